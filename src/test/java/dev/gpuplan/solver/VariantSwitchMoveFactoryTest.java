package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import org.optaplanner.core.impl.solver.DefaultSolverFactory;

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
        int done = driveLikeLocalSearch(new VariantSwitchMoveFactory(), PortfolioGenerator.of(shape, 80, 3).generate());

        assertThat(done).as("moves done").isGreaterThan(100);
    }

    @Test
    void multipleChoiceReachesTheDynamicProgrammesOptimumUnderAStepLimit() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.MULTIPLE_CHOICE, 60, 11).generate();
        long optimum = KnownOptimum.multipleChoice(portfolio, usable(portfolio)).valueMilli();

        Plan plan = solveWithStepLimit(portfolio, 3_000);

        assertThat(valueMilli(portfolio, plan)).isEqualTo(optimum);
    }

    /**
     * Many moves tried and undone per step, the last kept, as local search does: after every move the plan breaks no
     * hard rule; after every undo each run is back where it was and the score is the same.
     */
    private static int driveLikeLocalSearch(IndexedMoveFactory factory, Portfolio portfolio) {
        PlanningProblem problem = new PlanningProblem(portfolio, CONFIG);
        DefaultSolverFactory<GpuSchedule> solverFactory =
                (DefaultSolverFactory<GpuSchedule>) SolverFactory.<GpuSchedule>create(PlanSolver.solverConfig(CONFIG, null));
        InnerScoreDirector<GpuSchedule, HardMediumSoftLongScore> scoreDirector =
                solverFactory.<HardMediumSoftLongScore>getScoreDirectorFactory().buildScoreDirector(false, false);
        scoreDirector.setWorkingSolution(problem.schedule());
        new GreedyInitializer().changeWorkingSolution(scoreDirector);
        assertThat(scoreDirector.calculateScore().hardScore()).isZero();

        factory.phaseStarted(scoreDirector);
        Random random = new Random(0);
        int done = 0;
        for (int step = 0; step < 60; step++) {
            Iterator<ReplanMove> moves = factory.createRandomMoveIterator(scoreDirector, random);
            for (int tried = 0; tried < 20; tried++) {
                ReplanMove move = moves.next();
                if (!move.isMoveDoable(scoreDirector)) {
                    continue;
                }
                HardMediumSoftLongScore before = scoreDirector.calculateScore();
                List<String> placesBefore = places(scoreDirector.getWorkingSolution());
                var undo = move.doMove(scoreDirector);
                assertThat(scoreDirector.calculateScore().hardScore()).as("hard score after %s", move).isZero();
                done++;
                if (tried == 19) {
                    break; // keep it: the next step starts from here
                }
                undo.doMove(scoreDirector);
                assertThat(places(scoreDirector.getWorkingSolution())).as("runs after undoing %s", move).isEqualTo(placesBefore);
                assertThat(scoreDirector.calculateScore()).as("score after undoing %s", move).isEqualTo(before);
            }
        }
        factory.phaseEnded(scoreDirector);

        GpuSchedule schedule = scoreDirector.getWorkingSolution();
        schedule.setScore(scoreDirector.calculateScore());
        Plan plan = Plans.of(problem, schedule, Plan.Status.SOLVED, List.of());
        assertThat(PlanChecker.check(portfolio, usable(portfolio), CONFIG.defaultTeamCaps(), plan)).isEmpty();
        return done;
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

    private static List<String> places(GpuSchedule schedule) {
        List<String> places = new ArrayList<>();
        for (Run run : schedule.getRuns()) {
            places.add(run.getKey() + (run.getPool() == null ? " out" : " " + run.getPool().getName() + ":" + run.getStartSlot()));
        }
        return places;
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
