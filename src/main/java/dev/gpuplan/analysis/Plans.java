package dev.gpuplan.analysis;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Plan.Assignment;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.Reserve;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanSolver;
import dev.gpuplan.solver.PlanningProblem;
import dev.gpuplan.solver.Run;

/**
 * A solved schedule as the {@link Plan} people read: assignments, totals, a reason for every proposal left out, violations,
 * and the reserve it held back ({@link Reserves}).
 */
public final class Plans {

    private Plans() {
    }

    /** Solves a portfolio under a config, in this thread. */
    public static Plan solve(Portfolio portfolio, PlanningConfig config, Duration timeLimit, Consumer<PlanSolver.Progress> progress) {
        return solve(new PlanningProblem(portfolio, config), timeLimit, progress);
    }

    /** Solves a problem, which may have been warm-started ({@link PlanningProblem#warmStart}). */
    public static Plan solve(PlanningProblem problem, Duration timeLimit, Consumer<PlanSolver.Progress> progress) {
        PlanSolver.Solved solved = PlanSolver.solve(problem, timeLimit, progress);
        return of(problem, solved.schedule(), Plan.Status.SOLVED, solved.hardViolations());
    }

    /** The plan a solved (or partly solved) schedule of {@code problem} stands for. */
    public static Plan of(PlanningProblem problem, GpuSchedule solved, Plan.Status status, List<String> hardViolations) {
        Portfolio portfolio = problem.portfolio();
        Horizon horizon = portfolio.horizon();
        List<Run> selected = solved.getRuns().stream().filter(Run::isSelected)
                .sorted(Comparator.comparing((Run r) -> r.getPool().getName()).thenComparing(Run::getStartSlot).thenComparing(Run::getKey))
                .toList();
        List<Assignment> assignments = selected.stream().map(run -> {
            Proposal proposal = problem.proposal(run.getKey());
            return new Assignment(run.getKey(), run.getPool().getName(), horizon.slotStart(run.getStartSlot()),
                    horizon.slotStart(run.endSlot()), run.getGpus(), proposal.gpuHours().stripTrailingZeros(),
                    proposal.expectedValue().stripTrailingZeros());
        }).toList();
        BigDecimal expectedValue = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal gpuHours = BigDecimal.ZERO;
        for (Run run : selected) {
            Proposal proposal = problem.proposal(run.getKey());
            expectedValue = expectedValue.add(proposal.expectedValue());
            value = value.add(proposal.value());
            gpuHours = gpuHours.add(proposal.gpuHours());
        }
        List<String> violations = new ArrayList<>(structuralViolations(problem));
        violations.addAll(hardViolations);
        boolean feasible = violations.isEmpty() && (solved.getScore() == null || solved.getScore().hardScore() == 0);
        String score = solved.getScore() == null ? null : solved.getScore().toString();
        PlanningConfig config = problem.config();
        Reserve reserve = Reserves.of(problem, solved);
        BigDecimal usable = problem.overruns() == null ? problem.usableGpuHours() : Reserves.usable(portfolio.budget().gpuHours(), reserve);
        return new Plan(null, status, portfolio.budget().gpuHours(), usable, config.name(), config.directory(), score,
                feasible, new Plan.Totals(expectedValue.stripTrailingZeros(), value.stripTrailingZeros(), gpuHours.stripTrailingZeros(),
                        selected.size(), portfolio.proposals().size()),
                assignments, new UnselectedReasons(problem, solved).reasons(), violations).withReserve(reserve);
    }

    /** Required proposals that can never be selected, pinned ones whose dependency never can: the plan cannot be feasible. */
    public static List<String> structuralViolations(PlanningProblem problem) {
        Horizon horizon = problem.portfolio().horizon();
        List<String> violations = new ArrayList<>();
        for (PlanningProblem.Exclusion exclusion : problem.exclusions()) {
            if (problem.proposal(exclusion.proposal()).required()) {
                violations.add(exclusion.proposal() + " is required but can never be selected: "
                        + UnselectedReasons.structural(exclusion, horizon).message());
            }
        }
        for (PlanningProblem.MissingPrerequisite missing : problem.pinnedWithoutPrerequisite()) {
            violations.add(missing.pinned() + " is pinned but its dependency " + missing.prerequisite() + " can never be selected: "
                    + UnselectedReasons.structural(problem.exclusion(missing.prerequisite()), horizon).message());
        }
        return violations;
    }
}
