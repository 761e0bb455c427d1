package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.analysis.Frontier;
import dev.gpuplan.analysis.Plans;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.ReasonCode;

/**
 * Pilots on a portfolio solvable by hand. One experiment can be run two ways (an exclusive group): {@code direct}, 8 GPUs
 * for 10 hours (80 GPU-hours) with success probability {@code q} = 0.4 and value 100; or behind a 2-GPU, 8-hour
 * {@code pilot} (16 GPU-hours, value 0), as {@code gated}: the same 80 GPU-hours and value 100, which only runs if the pilot
 * succeeds, with probability {@code p}. With a budget of 100 both ways fit; the gated pair is worth {@code 100 p}, the
 * direct run {@code 100 q}: the pair must win exactly when {@code p > q}. The full run must start after its pilot ends.
 */
class PilotGatingTest {

    private static final PlanningConfigs CONFIGS = PlanningConfigs.in(Path.of("planning-configs"));
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    static Portfolio portfolio(String pilotProbability, String budget) {
        Proposal pilot = proposal("pilot", "0", "1", 2, 8, null, null, null);
        Proposal gated = proposal("gated", "100", "1", 8, 10, "way", "pilot", new BigDecimal(pilotProbability));
        Proposal direct = proposal("direct", "100", "0.4", 8, 10, "way", null, null);
        return new Portfolio(new Horizon(START, BigDecimal.valueOf(48), 60), new Budget(new BigDecimal(budget), Map.of()),
                List.of(new Pool("a100", "a100", 8, List.of())), List.of(pilot, gated, direct));
    }

    static Proposal proposal(String key, String value, String successProbability, int gpus, int hours, String group, String pilot,
                             BigDecimal pilotProbability) {
        return new Proposal(key, null, "research", null, new BigDecimal(value), new BigDecimal(successProbability), null, gpus,
                BigDecimal.valueOf(hours), List.of(), group, null, null, false, null, null, pilot, pilotProbability);
    }

    static PlanningConfig config(PlanningConfig.GatedSpend gatedSpend) {
        PlanningConfig c = CONFIGS.load("default");
        return new PlanningConfig(c.name(), c.directory(), c.algorithm(), c.solverXml(), c.timeLimit(), c.unimprovedTimeLimit(), c.weights(),
                BigDecimal.ZERO, c.defaultTeamCaps(), c.deadlineMarginHours(), c.cluster(), null, gatedSpend);
    }

    /** Solves under a fixed number of local search steps: the same steps on every machine. */
    static Plan solve(Portfolio portfolio, PlanningConfig config) {
        PlanningProblem problem = new PlanningProblem(portfolio, config);
        SolverConfig solverConfig = PlanSolver.solverConfig(config, null)
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofMinutes(5))); // a safety net only
        solverConfig.getPhaseConfigList().stream().filter(LocalSearchPhaseConfig.class::isInstance)
                .forEach(phase -> phase.setTerminationConfig(new TerminationConfig().withStepCountLimit(300)));
        GpuSchedule solved = SolverFactory.<GpuSchedule>create(solverConfig).buildSolver().solve(problem.schedule());
        return Plans.of(problem, solved, Plan.Status.SOLVED, List.of());
    }

    @ParameterizedTest(name = "pilot succeeds with p = {0}: {1} runs")
    @CsvSource({"0.2, direct", "0.39, direct", "0.41, gated", "0.8, gated"})
    void thePilotGatedPairBeatsTheDirectRunExactlyWhenItsProbabilityTimesValueIsHigher(String p, String winner) {
        Portfolio portfolio = portfolio(p, "100");
        PlanningConfig config = config(PlanningConfig.GatedSpend.FULL);

        Plan plan = solve(portfolio, config);

        assertThat(PlanChecker.check(portfolio, new BigDecimal("100"), Map.of(), plan)).isEmpty();
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal).contains(winner);
        BigDecimal best = new BigDecimal("100").multiply(new BigDecimal(p)).max(new BigDecimal("40"));
        assertThat(plan.totals().expectedValue()).isEqualByComparingTo(best);
        if (winner.equals("gated")) {
            Plan.Assignment pilot = plan.assignments().stream().filter(a -> a.proposal().equals("pilot")).findFirst().orElseThrow();
            Plan.Assignment gated = plan.assignments().stream().filter(a -> a.proposal().equals("gated")).findFirst().orElseThrow();
            assertThat(gated.start()).isAfterOrEqualTo(pilot.end());
        }
    }

    @Test
    void heldInFullTheGatedPairDoesNotFitASmallBudgetHeldAtItsExpectedCostItDoes() {
        // Budget 60: direct (80) never fits; the pair is 16 + 80 = 96 in full, 16 + 0.5 x 80 = 56 at expected cost.
        Portfolio portfolio = portfolio("0.5", "60");

        Plan full = solve(portfolio, config(PlanningConfig.GatedSpend.FULL));
        Plan expected = solve(portfolio, config(PlanningConfig.GatedSpend.EXPECTED));

        assertThat(full.assignments()).extracting(Plan.Assignment::proposal).doesNotContain("gated", "direct");
        assertThat(PlanChecker.check(portfolio, new BigDecimal("60"), Map.of(), full)).isEmpty();
        assertThat(expected.assignments()).extracting(Plan.Assignment::proposal).containsExactlyInAnyOrder("pilot", "gated");
        assertThat(PlanChecker.check(portfolio, new BigDecimal("60"), Map.of(), expected, true)).isEmpty();
        assertThat(PlanChecker.check(portfolio, new BigDecimal("60"), Map.of(), expected))
                .as("the same plan held in full breaks the budget").containsExactly(
                        "budget: selected proposals use 96 GPU-hours, over the usable budget of 60");
        assertThat(expected.unselected()).filteredOn(u -> u.proposal().equals("direct")).extracting(Plan.Unselected::code)
                .containsAnyOf(ReasonCode.BUDGET, ReasonCode.EXCLUSIVE_GROUP);
    }

    @Test
    void aFullRunWithoutItsPilotIsExplainedAsGatedAndExplainAndFrontierWork() {
        Portfolio portfolio = portfolio("0.2", "100");
        PlanningConfig config = config(PlanningConfig.GatedSpend.FULL);
        Plan plan = solve(portfolio, config);

        Counterfactuals.Explanation why = new Counterfactuals(portfolio, config, Duration.ofSeconds(1), m -> { }).explain(plan, "gated");
        assertThat(why.selected()).isFalse();
        assertThat(why.wouldBeSelectedIf()).containsKey("valueAtLeast");
        assertThat(why.wouldBeSelectedIf().get("valueAtLeast")).isGreaterThan(new BigDecimal("200")); // 0.2 x value must beat 40

        List<Frontier.Point> frontier = Frontier.compute(portfolio, config, List.of(new BigDecimal("50"), new BigDecimal("100")),
                Duration.ofSeconds(1), 1, m -> { });
        assertThat(frontier).extracting(point -> point.expectedValue().stripTrailingZeros().toPlainString()).containsExactly("0", "40");
    }
}
