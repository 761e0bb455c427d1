package dev.gpuplan.service;

import java.math.BigDecimal;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.analysis.Reserves;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Reserve;
import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunStatus;
import dev.gpuplan.solver.PlanningProblem;

/**
 * What a plan holds back from its budget. With {@code budget.confidence} in its config, the overruns of every FINISHED
 * run so far are learned ({@link Overruns}) and go into the plan's portfolio, so that the solve, its explanations and
 * its frontier all hold the budget against the same distribution; with no finished run the flat reserve applies.
 */
@ApplicationScoped
public class ReserveService {

    /** The portfolio a plan will be solved from, the reserve stated when it is created, and the GPU-hours it may use. */
    public record Reserved(Portfolio portfolio, Reserve reserve, BigDecimal usableGpuHours) {
    }

    private final RunService runs;

    public ReserveService(RunService runs) {
        this.runs = runs;
    }

    public Reserved reserveFor(Portfolio portfolio, PlanningConfig config) {
        Portfolio planned = config.confidence() == null ? portfolio : portfolio.withOverruns(learned());
        PlanningProblem problem = new PlanningProblem(planned, config);
        Reserve reserve = Reserves.beforeSolving(problem);
        BigDecimal usable = problem.overruns() == null ? problem.usableGpuHours() : Reserves.usable(planned.budget().gpuHours(), reserve);
        return new Reserved(planned, reserve, usable);
    }

    /** The overruns of every FINISHED run (actual / estimated GPU-hours, per team), or null when none has finished. */
    public Overruns learned() {
        List<Overruns.Observation> observations = runs.allAttempts().stream()
                .filter(run -> run.status() == RunStatus.FINISHED && run.actualGpuHours() != null && run.estimatedGpuHours() != null)
                .map(ReserveService::observation).toList();
        return Overruns.learn(observations);
    }

    private static Overruns.Observation observation(Run run) {
        return new Overruns.Observation(run.team(), run.estimatedGpuHours().doubleValue(), run.actualGpuHours().doubleValue());
    }
}
