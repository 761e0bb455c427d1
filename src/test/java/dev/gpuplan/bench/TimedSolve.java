package dev.gpuplan.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.impl.solver.DefaultSolver;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanSolver;
import dev.gpuplan.solver.PlanningProblem;

/**
 * Our solver, the way {@link PlanSolver#solve} runs it (same {@link PlanningProblem}, same
 * {@link PlanSolver#solverConfig}, same plan), with the stop-watch and counters a benchmark needs:
 * every best-solution event (time since the call, score), the score calculation count and speed, and the
 * heap. Times run from the call, so they include building the planning problem and the solver.
 */
public final class TimedSolve {

    /** One new best solution: when (since the call) and its score. */
    public record Improvement(Duration elapsed, HardMediumSoftLongScore score) {
    }

    /**
     * @param plan                   the plan, as {@code gpuplan solve} would print it
     * @param improvements           every new best solution, in order
     * @param firstFeasible          when the first plan without broken hard rules was found (null: never)
     * @param withinOnePercent       when the first feasible plan within 1% of the final expected value was found
     * @param solveTime              the whole call
     * @param scoreCalculationCount  score calculations over the whole solve
     * @param scoreCalculationSpeed  per second, as OptaPlanner reports it
     * @param peakHeapBytes          {@link HeapSampler#peakUsedBytes()}
     * @param peakHeapAfterGcBytes   {@link HeapSampler#peakAfterGcBytes()}
     */
    public record Outcome(Plan plan, HardMediumSoftLongScore score, List<Improvement> improvements, Duration firstFeasible,
                          Duration withinOnePercent, Duration solveTime, long scoreCalculationCount, long scoreCalculationSpeed,
                          long peakHeapBytes, long peakHeapAfterGcBytes) {
    }

    private TimedSolve() {
    }

    public static Outcome solve(Portfolio portfolio, PlanningConfig config, Duration timeLimit) {
        return solve(portfolio, config, timeLimit, UnaryOperator.identity());
    }

    /** As {@link #solve(Portfolio, PlanningConfig, Duration)}, with the solver configuration changed first (e.g. moves left out). */
    public static Outcome solve(Portfolio portfolio, PlanningConfig config, Duration timeLimit, UnaryOperator<SolverConfig> adjust) {
        List<Improvement> improvements = Collections.synchronizedList(new ArrayList<>());
        try (HeapSampler heap = HeapSampler.start()) {
            long started = System.nanoTime();
            PlanningProblem problem = new PlanningProblem(portfolio, config);
            SolverFactory<GpuSchedule> factory = SolverFactory.create(adjust.apply(PlanSolver.solverConfig(config, timeLimit)));
            DefaultSolver<GpuSchedule> solver = (DefaultSolver<GpuSchedule>) factory.buildSolver();
            solver.addEventListener(event -> improvements.add(new Improvement(Duration.ofNanos(System.nanoTime() - started),
                    (HardMediumSoftLongScore) event.getNewBestScore())));
            GpuSchedule solved = solver.solve(problem.schedule());
            Plan plan = Plans.of(problem, solved, Plan.Status.SOLVED, PlanSolver.hardViolations(SolutionManager.create(factory), solved));
            long ended = System.nanoTime();
            heap.close();
            HardMediumSoftLongScore score = solved.getScore();
            Duration firstFeasible = null;
            Duration withinOnePercent = null;
            for (Improvement improvement : improvements) {
                if (improvement.score().hardScore() < 0) {
                    continue;
                }
                if (firstFeasible == null) {
                    firstFeasible = improvement.elapsed();
                }
                // medium = expected value in thousandths; within 1% of the final one
                if (withinOnePercent == null && score.hardScore() == 0
                        && improvement.score().mediumScore() * 100 >= score.mediumScore() * 99) {
                    withinOnePercent = improvement.elapsed();
                }
            }
            return new Outcome(plan, score, List.copyOf(improvements), firstFeasible, withinOnePercent,
                    Duration.ofNanos(ended - started), solver.getSolverScope().getScoreCalculationCount(),
                    solver.getSolverScope().getScoreCalculationSpeed(), heap.peakUsedBytes(), heap.peakAfterGcBytes());
        }
    }
}
