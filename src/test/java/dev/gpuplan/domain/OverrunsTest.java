package dev.gpuplan.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Learning overruns from finished runs: the fit, the shrinkage toward the global fit, the observed percentiles. */
class OverrunsTest {

    @Test
    void noFinishedRunsLearnNothing() {
        assertThat(Overruns.learn(List.of())).isNull();
        assertThat(Overruns.learn(List.of(new Overruns.Observation("vision", 10, 0)))).as("a run that used nothing").isNull();
    }

    @Test
    void fitIsTheMeanAndUnbiasedVarianceOfLogRatios() {
        // ratios 1.1, 1.21 (logs: l, 2l with l = ln 1.1): mean 1.5 l, variance (0.5 l)^2 x 2 / 1
        Overruns overruns = Overruns.learn(List.of(new Overruns.Observation("vision", 100, 110),
                new Overruns.Observation("vision", 100, 121)));
        double l = Math.log(1.1);

        assertThat(overruns.finishedRuns()).isEqualTo(2);
        assertThat(overruns.global().mu()).isCloseTo(1.5 * l, within(1e-12));
        assertThat(overruns.global().sigma2()).isCloseTo(0.5 * l * l, within(1e-12));
        assertThat(overruns.medianOverrunPercent()).isEqualTo(10.0);
        assertThat(overruns.p90OverrunPercent()).isEqualTo(21.0);
    }

    @Test
    void aTeamWithFewRunsIsShrunkTowardTheGlobalFitAndOneWithManyKeepsItsOwn() {
        Random random = new Random(0);
        List<Overruns.Observation> observations = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // the lab: about +5%
            observations.add(new Overruns.Observation("pretrain", 100, 100 * Math.exp(0.05 + 0.1 * random.nextGaussian())));
        }
        observations.add(new Overruns.Observation("newcomer", 100, 200)); // one run at +100%
        Overruns overruns = Overruns.learn(observations);

        Overruns.Fit newcomer = overruns.forTeam("newcomer");
        double global = overruns.global().mu();
        // 1 run against a prior of PRIOR_RUNS: the fit moves 1/(1+5) of the way from the global one toward ln 2.
        assertThat(newcomer.mu()).isCloseTo((Math.log(2) + Overruns.PRIOR_RUNS * global) / (1 + Overruns.PRIOR_RUNS), within(1e-12));
        assertThat(overruns.forTeam("pretrain").mu()).isCloseTo(0.05, within(0.02));
        assertThat(overruns.forTeam("never-seen")).isEqualTo(overruns.global());
    }

    @Test
    void normalQuantileMatchesTheTable() {
        assertThat(Overruns.normalQuantile(0.5)).isCloseTo(0, within(1e-9));
        assertThat(Overruns.normalQuantile(0.9)).isCloseTo(1.2815515655446004, within(1e-8));
        assertThat(Overruns.normalQuantile(0.99)).isCloseTo(2.3263478740408408, within(1e-8));
        assertThat(Overruns.normalQuantile(0.01)).isCloseTo(-2.3263478740408408, within(1e-8));
    }

    @Test
    void quantileOfACertainSumIsTheSum() {
        assertThat(Overruns.quantileOfSum(123.5, 0, 1.28)).isEqualTo(123.5);
    }
}
