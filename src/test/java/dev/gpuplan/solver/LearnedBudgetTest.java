package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;

/**
 * The budget rule under learned overruns: the quantile the solver holds a plan to (moment matching of a sum of
 * lognormals, {@link BudgetLimit#quantile}) against a simulation of the very same model with a fixed seed: each run's
 * actual GPU-hours are its estimate times a ratio drawn from its team's learned lognormal (and, for a pilot-gated run
 * held at its expected cost, zero unless its pilot succeeds).
 */
class LearnedBudgetTest {

    private static final PlanningConfigs CONFIGS = PlanningConfigs.in(Path.of("planning-configs"));
    private static final int TRIALS = 200_000;

    static PlanningConfig withConfidence(PlanningConfig config, String confidence, PlanningConfig.GatedSpend gatedSpend) {
        return new PlanningConfig(config.name(), config.directory(), config.algorithm(), config.solverXml(), config.timeLimit(),
                config.unimprovedTimeLimit(), config.weights(), config.reservePercent(), config.defaultTeamCaps(),
                config.deadlineMarginHours(), config.cluster(), confidence == null ? null : new BigDecimal(confidence), gatedSpend);
    }

    /** Finished runs: vision about +8% (12 runs), nlp about -5% but spread wide (3 runs). */
    static Overruns history() {
        Random random = new Random(0);
        List<Overruns.Observation> observations = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            observations.add(new Overruns.Observation("vision", 40, 40 * Math.exp(0.08 + 0.15 * random.nextGaussian())));
        }
        for (int i = 0; i < 3; i++) {
            observations.add(new Overruns.Observation("nlp", 40, 40 * Math.exp(-0.05 + 0.3 * random.nextGaussian())));
        }
        return Overruns.learn(observations);
    }

    /** 30 proposals of 1 to 8 GPUs for 2 to 24 hours, two teams; every third of the vision ones gated by a pilot (p 0.5). */
    static Portfolio portfolio(Overruns overruns) {
        Random random = new Random(7);
        List<Proposal> proposals = new ArrayList<>();
        proposals.add(proposal("pilot", "vision", 1, 2, null, null));
        for (int i = 0; i < 30; i++) {
            String team = i % 2 == 0 ? "vision" : "nlp";
            boolean gated = team.equals("vision") && i % 3 == 0;
            proposals.add(proposal("p" + i, team, 1 + random.nextInt(8), 2 + random.nextInt(23), gated ? "pilot" : null,
                    gated ? new BigDecimal("0.5") : null));
        }
        Horizon horizon = new Horizon(Instant.parse("2026-12-01T00:00:00Z"), BigDecimal.valueOf(24 * 14), 60);
        return new Portfolio(horizon, new Budget(BigDecimal.valueOf(5000), Map.of(), overruns),
                List.of(new Pool("a100", "A100", 64, List.of())), proposals);
    }

    static Proposal proposal(String key, String team, int gpus, int hours, String pilot, BigDecimal pilotProbability) {
        return new Proposal(key, null, team, null, BigDecimal.TEN, null, null, gpus, BigDecimal.valueOf(hours), List.of(), null, null, null,
                false, null, null, pilot, pilotProbability);
    }

    @Test
    void learnedQuantileAgreesWithAFixedSeedSimulationOfTheSameModel() {
        Overruns overruns = history();
        PlanningProblem problem = new PlanningProblem(portfolio(overruns),
                withConfidence(CONFIGS.load("default"), "0.9", PlanningConfig.GatedSpend.FULL));

        double solver = quantileOfAll(problem) / 1000.0;
        double simulated = simulate(problem, overruns, false, 0.9);

        assertThat(problem.overruns()).isSameAs(overruns);
        assertThat(solver).as("moment-matched 90%% quantile vs simulation (%.1f)", simulated).isCloseTo(simulated, within(simulated * 0.01));
    }

    @Test
    void gatedRunsHeldAtTheirExpectedCostAgreeWithTheSimulationToo() {
        Overruns overruns = history();
        PlanningProblem problem = new PlanningProblem(portfolio(overruns),
                withConfidence(CONFIGS.load("default"), "0.9", PlanningConfig.GatedSpend.EXPECTED));

        double solver = quantileOfAll(problem) / 1000.0;
        double simulated = simulate(problem, overruns, true, 0.9);

        // A pilot gate makes a run's use all or nothing: the lognormal fit of the sum is rougher than for overruns alone.
        assertThat(solver).as("moment-matched 90%% quantile vs simulation (%.1f)", simulated).isCloseTo(simulated, within(simulated * 0.03));
    }

    @Test
    void withoutLearnedOverrunsTheChargeIsTheEstimateAndTheLimitTheFlatReserve() {
        PlanningProblem problem = new PlanningProblem(portfolio(null),
                withConfidence(CONFIGS.load("default"), "0.9", PlanningConfig.GatedSpend.FULL));

        assertThat(problem.overruns()).isNull();
        assertThat(problem.usableGpuHours()).isEqualByComparingTo("4750"); // 5000 less the default's 5%
        for (Run run : problem.schedule().getRuns()) {
            assertThat(run.getCharge()).isEqualTo(new Charge(run.getGpuMilliHours(), 0));
        }
        assertThat(problem.schedule().getBudget().gpuMilliHours()).isEqualTo(4_750_000);
    }

    @Test
    void withoutConfidenceLearnedOverrunsAreIgnored() {
        PlanningProblem problem = new PlanningProblem(portfolio(history()), withConfidence(CONFIGS.load("default"), null,
                PlanningConfig.GatedSpend.FULL));

        assertThat(problem.overruns()).isNull();
        assertThat(problem.usableGpuHours()).isEqualByComparingTo("4750");
    }

    private static long quantileOfAll(PlanningProblem problem) {
        Charge all = Charge.NONE;
        for (Run run : problem.schedule().getRuns()) {
            all = all.plus(run.getCharge());
        }
        return problem.schedule().getBudget().quantile(all.meanMilliHours(), all.varianceMilli());
    }

    /** The {@code q}-quantile of total actual GPU-hours over {@link #TRIALS} draws of the model (seed 42). */
    private static double simulate(PlanningProblem problem, Overruns overruns, boolean gated, double q) {
        List<Proposal> proposals = problem.portfolio().proposals();
        Random random = new Random(42);
        double[] totals = new double[TRIALS];
        for (int t = 0; t < TRIALS; t++) {
            double total = 0;
            for (Proposal proposal : proposals) {
                if (gated && proposal.pilot() != null && random.nextDouble() >= proposal.pilotSuccessProbability().doubleValue()) {
                    continue;
                }
                Overruns.Fit fit = overruns.forTeam(proposal.team());
                total += proposal.gpuHours().doubleValue() * Math.exp(fit.mu() + Math.sqrt(fit.sigma2()) * random.nextGaussian());
            }
            totals[t] = total;
        }
        Arrays.sort(totals);
        return totals[(int) Math.ceil(q * TRIALS) - 1];
    }
}
