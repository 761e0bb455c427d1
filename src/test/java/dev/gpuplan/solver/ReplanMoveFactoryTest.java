package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.EnvironmentMode;
import org.optaplanner.core.config.solver.SolverConfig;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/**
 * The compound moves keep a feasible plan feasible (every hard rule, as the score and the independent checker
 * see it), and their undo moves restore every run's place and the exact score ({@link MoveContract}). Driven like
 * local search: many moves tried and undone per step, some kept, on a generated portfolio of every shape.
 */
class ReplanMoveFactoryTest {

    @ParameterizedTest
    @EnumSource(Shape.class)
    void movesKeepThePlanFeasibleAndUndoExactly(Shape shape) {
        PlanningConfig config = PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME);

        int done = MoveContract.driveLikeLocalSearch(new ReplanMoveFactory(), PortfolioGenerator.of(shape, 60, 3).generate(), config);

        assertThat(done).isGreaterThan(100);
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
