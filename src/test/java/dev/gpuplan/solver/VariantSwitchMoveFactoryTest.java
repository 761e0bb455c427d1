package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.generate.KnownOptimum;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/**
 * The move written for multiple-choice knapsacks, {@link VariantSwitchMoveFactory}: each move keeps a feasible plan
 * feasible and its undo move restores every run's pool and start and the exact score, on the shape it was written
 * for and on others; and the whole solver, stopped after a fixed number of steps (so the result does not depend on
 * the machine's speed), reaches the optimum the dynamic programme computes.
 */
class VariantSwitchMoveFactoryTest {

    private static final PlanningConfig CONFIG = PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME);

    @ParameterizedTest
    @EnumSource(value = Shape.class, names = {"MULTIPLE_CHOICE", "EXCLUSIVE_GROUPS", "REALISTIC"})
    void variantSwitchKeepsThePlanFeasibleAndUndoRestoresIt(Shape shape) {
        int done = MoveContract.driveLikeLocalSearch(new VariantSwitchMoveFactory(), PortfolioGenerator.of(shape, 80, 3).generate(), CONFIG);

        assertThat(done).as("moves done").isGreaterThan(100);
    }

    @Test
    void multipleChoiceReachesTheDynamicProgrammesOptimumUnderAStepLimit() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.MULTIPLE_CHOICE, 60, 11).generate();
        long optimum = KnownOptimum.multipleChoice(portfolio, usable(portfolio)).valueMilli();

        Plan plan = solveWithStepLimit(portfolio, 3_000);

        assertThat(valueMilli(portfolio, plan)).isEqualTo(optimum);
    }

    /** The default solver with its local search stopped after {@code steps} steps: the same result on any machine. */
    private static Plan solveWithStepLimit(Portfolio portfolio, int steps) {
        PlanningProblem problem = new PlanningProblem(portfolio, CONFIG);
        SolverConfig solverConfig = PlanSolver.solverConfig(CONFIG, null)
                .withTerminationConfig(new TerminationConfig().withSpentLimit(Duration.ofMinutes(10))); // only a safety net
        solverConfig.getPhaseConfigList().stream().filter(LocalSearchPhaseConfig.class::isInstance)
                .forEach(phase -> phase.setTerminationConfig(new TerminationConfig().withStepCountLimit(steps)));
        GpuSchedule solved = SolverFactory.<GpuSchedule>create(solverConfig).buildSolver().solve(problem.schedule());
        Plan plan = Plans.of(problem, solved, Plan.Status.SOLVED, List.of());
        assertThat(plan.feasible()).isTrue();
        assertThat(PlanChecker.check(portfolio, usable(portfolio), CONFIG.defaultTeamCaps(), plan)).isEmpty();
        return plan;
    }

    private static BigDecimal usable(Portfolio portfolio) {
        return CONFIG.usableBudget(portfolio.budget().gpuHours());
    }

    /** The plan's expected value in thousandths, each proposal's rounded half up as KnownOptimum rounds them. */
    private static long valueMilli(Portfolio portfolio, Plan plan) {
        Map<String, Proposal> byKey = portfolio.proposals().stream().collect(Collectors.toMap(Proposal::key, p -> p));
        return plan.assignments().stream().mapToLong(a -> byKey.get(a.proposal()).expectedValue().movePointRight(3)
                .setScale(0, RoundingMode.HALF_UP).longValueExact()).sum();
    }
}
