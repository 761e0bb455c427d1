package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import org.optaplanner.core.impl.solver.DefaultSolverFactory;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/**
 * The compound moves keep a feasible plan feasible (every hard rule, as the score and the independent checker
 * see it), and their undo moves restore the exact score. Driven like local search: many moves tried and undone
 * per step, some kept, on a generated portfolio of every shape.
 */
class ReplanMoveFactoryTest {

    @ParameterizedTest
    @EnumSource(Shape.class)
    void movesKeepThePlanFeasibleAndUndoExactly(Shape shape) {
        PlanningConfig config = PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME);
        Portfolio portfolio = PortfolioGenerator.of(shape, 60, 3).generate();
        PlanningProblem problem = new PlanningProblem(portfolio, config);
        DefaultSolverFactory<GpuSchedule> solverFactory =
                (DefaultSolverFactory<GpuSchedule>) SolverFactory.<GpuSchedule>create(PlanSolver.solverConfig(config, null));
        InnerScoreDirector<GpuSchedule, HardMediumSoftLongScore> scoreDirector =
                solverFactory.<HardMediumSoftLongScore>getScoreDirectorFactory().buildScoreDirector(false, false);
        scoreDirector.setWorkingSolution(problem.schedule());
        new GreedyInitializer().changeWorkingSolution(scoreDirector);
        assertThat(scoreDirector.calculateScore().hardScore()).isZero();

        ReplanMoveFactory factory = new ReplanMoveFactory();
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
                var undo = move.doMove(scoreDirector);
                assertThat(scoreDirector.calculateScore().hardScore()).as("hard score after %s", move).isZero();
                done++;
                if (tried == 19) {
                    break; // keep it: the next step starts from here
                }
                undo.doMove(scoreDirector);
                assertThat(scoreDirector.calculateScore()).as("score after undoing %s", move).isEqualTo(before);
            }
        }
        assertThat(done).isGreaterThan(100);

        GpuSchedule schedule = scoreDirector.getWorkingSolution();
        schedule.setScore(scoreDirector.calculateScore());
        Plan plan = Plans.of(problem, schedule, Plan.Status.SOLVED, List.of());
        assertThat(PlanChecker.check(portfolio, config.usableBudget(portfolio.budget().gpuHours()), config.defaultTeamCaps(), plan)).isEmpty();
    }

    /**
     * The whole local search with the replan moves under FULL_ASSERT: every move's score and undo re-checked from
     * scratch. Slow, so only with {@code -Dgpuplan.fullAssert=true}.
     */
    @ParameterizedTest
    @EnumSource(Shape.class)
    @EnabledIfSystemProperty(named = "gpuplan.fullAssert", matches = "true")
    void fullAssertFindsNoScoreCorruption(Shape shape) {
        PlanningConfig config = PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME);
        Portfolio portfolio = PortfolioGenerator.of(shape, 40, 2).generate();
        PlanningProblem problem = new PlanningProblem(portfolio, config);
        SolverConfig solverConfig = PlanSolver.solverConfig(config, Duration.ofSeconds(5)).withEnvironmentMode(EnvironmentMode.FULL_ASSERT);

        GpuSchedule solved = SolverFactory.<GpuSchedule>create(solverConfig).buildSolver().solve(problem.schedule());

        assertThat(solved.getScore().hardScore()).isZero();
    }
}
