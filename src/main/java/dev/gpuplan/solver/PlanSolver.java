package dev.gpuplan.solver;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.optaplanner.core.api.score.ScoreExplanation;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.constraint.ConstraintMatch;
import org.optaplanner.core.api.score.constraint.ConstraintMatchTotal;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;
import org.optaplanner.core.config.solver.SolverConfig;
import org.optaplanner.core.config.solver.termination.TerminationConfig;

import dev.gpuplan.config.PlanningConfig;

/** Solves one problem under its planning config, in this thread; {@code dev.gpuplan.analysis.Plans} makes the plan of it. */
public final class PlanSolver {

    /** The best plan so far, reported as the solver finds better ones. */
    public record Progress(Duration elapsed, HardMediumSoftLongScore score) {
        public boolean feasible() {
            return score.hardScore() == 0;
        }
    }

    private PlanSolver() {
    }

    /**
     * The solver configuration: phases from the config's {@code solver/<algorithm>.xml}, termination
     * from its time limits ({@code timeLimit} overrides the config's total limit when not null).
     */
    public static SolverConfig solverConfig(PlanningConfig config, Duration timeLimit) {
        SolverConfig solverConfig = SolverConfig.createFromXmlReader(new StringReader(config.solverXml()), PlanSolver.class.getClassLoader());
        TerminationConfig termination = new TerminationConfig()
                .withSpentLimit(timeLimit != null ? timeLimit : config.timeLimit());
        if (config.unimprovedTimeLimit() != null) {
            termination.setUnimprovedSpentLimit(config.unimprovedTimeLimit());
        }
        return solverConfig.withTerminationConfig(termination);
    }

    /** The best schedule found and the sentences of the hard rules it still breaks (none when feasible). */
    public record Solved(GpuSchedule schedule, List<String> hardViolations) {
    }

    /** Solves a problem, which may have been warm-started ({@link PlanningProblem#warmStart}). */
    public static Solved solve(PlanningProblem problem, Duration timeLimit, Consumer<Progress> progress) {
        SolverFactory<GpuSchedule> factory = SolverFactory.create(solverConfig(problem.config(), timeLimit));
        Solver<GpuSchedule> solver = factory.buildSolver();
        long started = System.nanoTime();
        solver.addEventListener(event -> progress.accept(
                new Progress(Duration.ofNanos(System.nanoTime() - started), (HardMediumSoftLongScore) event.getNewBestScore())));
        GpuSchedule solved = solver.solve(problem.schedule());
        return new Solved(solved, hardViolations(SolutionManager.create(factory), solved));
    }

    /** Every broken hard rule of a schedule, as the justification's sentence. */
    public static List<String> hardViolations(SolutionManager<GpuSchedule, HardMediumSoftLongScore> solutionManager, GpuSchedule schedule) {
        ScoreExplanation<GpuSchedule, HardMediumSoftLongScore> explanation = solutionManager.explain(schedule);
        List<String> violations = new ArrayList<>();
        for (ConstraintMatchTotal<HardMediumSoftLongScore> total : explanation.getConstraintMatchTotalMap().values()) {
            if (total.getScore().hardScore() >= 0) {
                continue;
            }
            for (ConstraintMatch<HardMediumSoftLongScore> match : total.getConstraintMatchSet()) {
                violations.add(match.getJustification() instanceof Justifications.Explained explained
                        ? explained.message() : total.getConstraintName() + ": " + match.getIndictedObjectList());
            }
        }
        violations.sort(null);
        return violations;
    }
}
