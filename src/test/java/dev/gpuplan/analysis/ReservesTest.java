package dev.gpuplan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.solver.BudgetLimit;
import dev.gpuplan.solver.PlanningProblem;

/** Every plan states the reserve it held back: flat without finished runs, learned from their overruns with them. */
class ReservesTest {

    private static final PlanningConfigs CONFIGS = PlanningConfigs.in(Path.of("planning-configs"));
    private static final Duration SOLVE = Duration.ofSeconds(2);

    private static PlanningConfig confident(String confidence) {
        PlanningConfig c = CONFIGS.load("default");
        return new PlanningConfig(c.name(), c.directory(), c.algorithm(), c.solverXml(), c.timeLimit(), Duration.ofSeconds(1), c.weights(),
                c.reservePercent(), c.defaultTeamCaps(), c.deadlineMarginHours(), c.cluster(), new BigDecimal(confidence),
                PlanningConfig.GatedSpend.FULL);
    }

    private static Portfolio small() {
        return PortfolioReader.read(Path.of("planning-configs/examples/small.yaml"));
    }

    /** Ten finished runs, all 10% to 30% over their estimates. */
    private static Overruns overrunning() {
        java.util.List<Overruns.Observation> runs = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            runs.add(new Overruns.Observation(i % 2 == 0 ? "pretrain" : "optim", 48, 48 * (1.1 + 0.02 * i)));
        }
        return Overruns.learn(runs);
    }

    @Test
    void withoutActualsTheFlatReservePercentApplies() {
        Plan plan = Plans.solve(small(), confident("0.9"), SOLVE, p -> { });

        assertThat(plan.reserve().basis()).isEqualTo("flat");
        assertThat(plan.reserve().gpuHours()).isEqualByComparingTo("20"); // 5% of 400
        assertThat(plan.usableGpuHours()).isEqualByComparingTo("380");
        assertThat(plan.reserve().statement()).isEqualTo("holds back 20 of 400 GPU-hours: the flat 5% reservePercent of config default,"
                + " as no run has finished yet to learn overruns from (budget.confidence 0.9)");
    }

    @Test
    void withActualsThePlanHoldsBackWhatItsOwnRunsNeedAtTheConfidence() {
        Portfolio portfolio = small().withOverruns(overrunning());
        PlanningConfig config = confident("0.9");
        PlanningProblem problem = new PlanningProblem(portfolio, config);

        Plan plan = Plans.solve(problem, SOLVE, p -> { });

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.reserve().basis()).isEqualTo("learned");
        assertThat(plan.reserve().finishedRuns()).isEqualTo(10);
        assertThat(plan.reserve().medianOverrunPercent()).isEqualByComparingTo("18");
        assertThat(plan.reserve().p90OverrunPercent()).isEqualByComparingTo("26");
        // what the plan's runs use at 90% of outcomes: their estimates plus the reserve, within the budget of 400
        BigDecimal atQuantile = plan.totals().gpuHours().add(plan.reserve().gpuHours());
        assertThat(atQuantile).isLessThanOrEqualTo(new BigDecimal("400"));
        assertThat(plan.reserve().gpuHours()).isGreaterThan(plan.totals().gpuHours().multiply(new BigDecimal("0.1")));
        assertThat(plan.usableGpuHours()).isEqualByComparingTo(new BigDecimal("400").subtract(plan.reserve().gpuHours()));
        assertThat(plan.reserve().statement()).startsWith("holds back " + plan.reserve().gpuHours().toPlainString()
                + " GPU-hours so that 90% of outcomes fit: 10 finished runs, median overrun +18%, P90 +26%");
        assertThat(plan.reserve().perTeam()).containsKey("evals"); // the capped team's own line
    }

    @Test
    void beforeSolvingTheLearnedReserveIsThatOfTheCandidatesShareThatFits() {
        Portfolio portfolio = small().withOverruns(overrunning());
        PlanningProblem problem = new PlanningProblem(portfolio, confident("0.9"));

        var reserve = Reserves.beforeSolving(problem);

        assertThat(reserve.basis()).isEqualTo("learned");
        assertThat(reserve.statement()).startsWith("holds back about ").contains("(estimated from all candidates");
        BudgetLimit limit = problem.schedule().getBudget();
        assertThat(limit.gpuMilliHours()).isEqualTo(400_000); // the whole budget: the quantile, not a flat share, holds it back
        assertThat(reserve.gpuHours()).isPositive().isLessThan(new BigDecimal("400"));
    }
}
