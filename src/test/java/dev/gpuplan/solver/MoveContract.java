package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.impl.score.director.InnerScoreDirector;
import org.optaplanner.core.impl.solver.DefaultSolverFactory;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;

/** What every compound move factory must keep: the contract its tests drive it against. */
final class MoveContract {

    private MoveContract() {
    }

    /**
     * Many moves tried and undone per step, the last kept, as local search does: after every move the plan breaks no
     * hard rule; after every undo each run is back where it was and the score is the same.
     */
    static int driveLikeLocalSearch(IndexedMoveFactory factory, Portfolio portfolio, PlanningConfig config) {
        PlanningProblem problem = new PlanningProblem(portfolio, config);
        DefaultSolverFactory<GpuSchedule> solverFactory =
                (DefaultSolverFactory<GpuSchedule>) SolverFactory.<GpuSchedule>create(PlanSolver.solverConfig(config, null));
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
        assertThat(PlanChecker.check(portfolio, config.usableBudget(portfolio.budget().gpuHours()), config.defaultTeamCaps(), plan)).isEmpty();
        return done;
    }

    private static List<String> places(GpuSchedule schedule) {
        List<String> places = new ArrayList<>();
        for (Run run : schedule.getRuns()) {
            places.add(run.getKey() + (run.getPool() == null ? " out" : " " + run.getPool().getName() + ":" + run.getStartSlot()));
        }
        return places;
    }
}
