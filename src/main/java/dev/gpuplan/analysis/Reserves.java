package dev.gpuplan.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.Reserve;
import dev.gpuplan.solver.BudgetLimit;
import dev.gpuplan.solver.Charge;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanningProblem;
import dev.gpuplan.solver.Run;
import dev.gpuplan.solver.TeamCap;

/**
 * What a plan holds back from its budget, in numbers and one sentence.
 * <ul>
 * <li>Flat (no {@code budget.confidence}, or no finished runs to learn from): the config's {@code reservePercent} of the
 *     budget.</li>
 * <li>Learned: the plan's runs come to their planned GPU-hours (estimates, times the pilot's probability under
 *     {@code gatedSpend: expected}); at the confidence quantile of the learned overruns they come to more. The
 *     difference is what the budget must keep free, so the reserve is {@code quantile - planned} of the plan's own
 *     runs, and the plan may use {@code budget - reserve}. Team lines are the same sums over a capped team's runs.</li>
 * </ul>
 * Before a plan is solved its runs are not known: {@link #beforeSolving} states the reserve of the share of all
 * candidates (same mix) whose quantile just fits the budget.
 */
public final class Reserves {

    private Reserves() {
    }

    /** The reserve of a solved (or partly solved) schedule of {@code problem}. */
    public static Reserve of(PlanningProblem problem, GpuSchedule schedule) {
        if (problem.overruns() == null) {
            return flat(problem);
        }
        List<Run> selected = schedule.getRuns().stream().filter(Run::isSelected).toList();
        BudgetLimit limit = schedule.getBudget();
        Sums total = sums(problem, selected);
        long held = limit.quantile(total.charge.meanMilliHours(), total.charge.varianceMilli()) - total.plannedMilli;
        Map<String, BigDecimal> perTeam = new LinkedHashMap<>();
        for (TeamCap cap : schedule.getTeamCaps()) {
            Sums team = sums(problem, selected.stream().filter(r -> r.getTeam().equals(cap.team())).toList());
            perTeam.put(cap.team(), gpuHours(cap.quantile(team.charge.meanMilliHours(), team.charge.varianceMilli()) - team.plannedMilli));
        }
        return learned(problem, gpuHours(held), perTeam, false);
    }

    /**
     * The reserve stated when a plan is created: exact for a flat reserve; for a learned one, that of the largest share
     * of all candidates (in their mix) whose quantile fits the budget, since the solved plan's runs are not known yet.
     */
    public static Reserve beforeSolving(PlanningProblem problem) {
        if (problem.overruns() == null) {
            return flat(problem);
        }
        BudgetLimit limit = problem.schedule().getBudget();
        Sums all = sums(problem, problem.schedule().getRuns());
        double share = 1;
        if (quantile(limit, all, 1) > limit.gpuMilliHours()) {
            double low = 0;
            double high = 1;
            for (int i = 0; i < 50; i++) {
                double mid = (low + high) / 2;
                if (quantile(limit, all, mid) <= limit.gpuMilliHours()) {
                    low = mid;
                } else {
                    high = mid;
                }
            }
            share = low;
        }
        long held = quantile(limit, all, share) - Math.round(all.plannedMilli * share);
        return learned(problem, gpuHours(held), Map.of(), true);
    }

    /** The budget the plan may use for its planned GPU-hours: the budget less the reserve. */
    public static BigDecimal usable(BigDecimal budget, Reserve reserve) {
        return budget.subtract(reserve.gpuHours()).stripTrailingZeros();
    }

    private static Reserve flat(PlanningProblem problem) {
        PlanningConfig config = problem.config();
        BigDecimal budget = problem.portfolio().budget().gpuHours();
        BigDecimal held = budget.subtract(config.usableBudget(budget)).stripTrailingZeros();
        String why = config.confidence() == null
                ? "the flat " + percent(config.reservePercent()) + " reservePercent of config " + config.name()
                : "the flat " + percent(config.reservePercent()) + " reservePercent of config " + config.name()
                        + ", as no run has finished yet to learn overruns from (budget.confidence " + config.confidence().toPlainString() + ")";
        String statement = "holds back " + held.toPlainString() + " of " + budget.stripTrailingZeros().toPlainString() + " GPU-hours: " + why;
        return new Reserve(held, "flat", null, null, null, null, Map.of(), statement);
    }

    private static Reserve learned(PlanningProblem problem, BigDecimal held, Map<String, BigDecimal> perTeam, boolean estimate) {
        Overruns overruns = problem.overruns();
        BigDecimal confidence = problem.config().confidence();
        String outcomes = confidence.multiply(BigDecimal.valueOf(100)).stripTrailingZeros().toPlainString() + "% of outcomes fit";
        String evidence = overruns.finishedRuns() + " finished run" + (overruns.finishedRuns() == 1 ? "" : "s") + ", median overrun "
                + signed(overruns.medianOverrunPercent()) + ", P90 " + signed(overruns.p90OverrunPercent());
        String amount = held.signum() >= 0
                ? "holds back " + (estimate ? "about " : "") + held.toPlainString() + " GPU-hours so that " + outcomes
                : "plans " + (estimate ? "about " : "") + held.negate().toPlainString() + " GPU-hours beyond the budget and still " + outcomes;
        String statement = amount + ": " + evidence + (estimate ? " (estimated from all candidates; the solved plan states its own)" : "");
        return new Reserve(held, "learned", confidence, overruns.finishedRuns(), BigDecimal.valueOf(overruns.medianOverrunPercent()),
                BigDecimal.valueOf(overruns.p90OverrunPercent()), perTeam, statement);
    }

    /** The summed charges of runs and their planned GPU-hours (thousandths): estimates, gated ones at their probability. */
    private record Sums(Charge charge, long plannedMilli) {
    }

    private static Sums sums(PlanningProblem problem, List<Run> runs) {
        Charge charge = Charge.NONE;
        long planned = 0;
        for (Run run : runs) {
            charge = charge.plus(run.getCharge());
            planned += plannedMilli(problem, problem.proposal(run.getKey()));
        }
        return new Sums(charge, planned);
    }

    private static long plannedMilli(PlanningProblem problem, Proposal proposal) {
        BigDecimal hours = proposal.gpuHours();
        if (proposal.pilot() != null && problem.config().gatedSpend() == PlanningConfig.GatedSpend.EXPECTED) {
            hours = hours.multiply(proposal.pilotSuccessProbability());
        }
        return PlanningProblem.milli(hours, RoundingMode.CEILING);
    }

    private static long quantile(BudgetLimit limit, Sums sums, double share) {
        return limit.quantile(Math.round(sums.charge.meanMilliHours() * share), Math.round(sums.charge.varianceMilli() * share));
    }

    private static BigDecimal gpuHours(long milli) {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros();
    }

    private static String percent(BigDecimal percent) {
        return percent.stripTrailingZeros().toPlainString() + "%";
    }

    private static String signed(double percent) {
        BigDecimal value = BigDecimal.valueOf(percent).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
        return (value.signum() >= 0 ? "+" : "") + value.toPlainString() + "%";
    }
}
