package dev.gpuplan.analysis;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan.Unselected;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.Justifications;
import dev.gpuplan.solver.PlanTally;
import dev.gpuplan.solver.PlanningProblem;
import dev.gpuplan.solver.PoolTimeline;
import dev.gpuplan.solver.Run;

/**
 * Why each proposal is not in a solved schedule, computed from that schedule: the first rule, in the order
 * dependency, exclusive group, team cap, budget, capacity, that adding the proposal to this very plan would
 * break. Every figure in a reason is a figure of the plan it accompanies, so a reason cannot be shown false by
 * re-checking the plan.
 */
final class UnselectedReasons {

    private static final int MAX_COMPETITORS = 5;

    private final PlanningProblem problem;
    private final GpuSchedule solved;
    private final Map<String, Run> runsByKey = new HashMap<>();
    private final PlanTally tally;
    private final List<Run> selected = new ArrayList<>();

    UnselectedReasons(PlanningProblem problem, GpuSchedule solved) {
        this.problem = problem;
        this.solved = solved;
        this.tally = new PlanTally(solved);
        for (Run run : solved.getRuns()) {
            runsByKey.put(run.getKey(), run);
            if (!run.isSelected()) {
                continue;
            }
            selected.add(run);
            tally.book(run);
        }
    }

    List<Unselected> reasons() {
        List<Unselected> reasons = new ArrayList<>();
        for (Proposal proposal : problem.portfolio().proposals()) {
            PlanningProblem.Exclusion exclusion = problem.exclusion(proposal.key());
            Run run = runsByKey.get(proposal.key());
            if (exclusion != null) {
                reasons.add(structural(exclusion, problem.portfolio().horizon()));
            } else if (!run.isSelected()) {
                reasons.add(reasonFor(proposal, run));
            }
        }
        return reasons;
    }

    private static String windowBound(Object bound, String otherwise) {
        return bound == null ? otherwise : bound.toString();
    }

    /** The reason of a proposal the problem left out before solving, in words from its figures. */
    static Unselected structural(PlanningProblem.Exclusion exclusion, Horizon horizon) {
        Map<String, Object> d = exclusion.details();
        String message = switch (exclusion.code()) {
            case NO_FITTING_POOL -> {
                String type = d.get("gpuType") == null ? "" : d.get("gpuType") + " ";
                yield "needs " + d.get("gpus") + " " + type + "GPUs on one pool; the largest " + type + "pool has "
                        + d.get("largestPoolGpus") + ", so no budget helps";
            }
            case NO_WINDOW -> String.valueOf(d.get("windowStart")).equals(String.valueOf(d.get("windowEnd")))
                    // An empty window: its deadline is at or before the horizon's start (a replan from now), or its
                    // earliest start at or after the horizon's end.
                    ? "needs " + d.get("slotsNeeded") + " slots of " + horizon.slotMinutes() + " minutes, but its window ("
                            + windowBound(d.get("earliestStart"), "the horizon's start") + " to " + windowBound(d.get("deadline"), "the horizon's end")
                            + ") does not overlap the horizon (" + horizon.start() + " to " + horizon.end() + ")"
                    : "needs " + d.get("slotsNeeded") + " slots of " + horizon.slotMinutes() + " minutes between "
                            + d.get("windowStart") + " and " + d.get("windowEnd") + "; there are only " + d.get("slotsAvailable")
                            + ", even on an empty cluster";
            case DEPENDENCY_NOT_SELECTED -> "depends on " + d.get("dependency") + ", which can never be selected ("
                    + d.get("dependencyCode") + ")";
            default -> throw new IllegalStateException("not a reason found before solving: " + exclusion.code());
        };
        return new Unselected(exclusion.proposal(), exclusion.code(), message, d);
    }

    private Unselected reasonFor(Proposal proposal, Run run) {
        String key = proposal.key();
        for (String prerequisite : proposal.prerequisites()) {
            if (!runsByKey.get(prerequisite).isSelected()) {
                String what = prerequisite.equals(proposal.pilot()) ? "is gated by its pilot " : "depends on ";
                return new Unselected(key, ReasonCode.DEPENDENCY_NOT_SELECTED, what + prerequisite + ", which is not selected",
                        Map.of("dependency", prerequisite));
            }
        }
        Run rival = run.getExclusiveGroup() == null ? null : tally.groupHolder(run.getExclusiveGroup());
        if (rival != null) {
            return new Unselected(key, ReasonCode.EXCLUSIVE_GROUP, "exclusive group " + run.getExclusiveGroup() + " already has "
                    + rival.getKey() + " selected (expected value " + value(rival.getExpectedMilliValue()) + ", this one "
                    + value(run.getExpectedMilliValue()) + ")",
                    Map.of("group", run.getExclusiveGroup(), "chosen", rival.getKey(), "chosenExpectedValue", decimal(rival.getExpectedMilliValue()),
                            "expectedValue", decimal(run.getExpectedMilliValue())));
        }
        if (!tally.fitsTeamCap(run.getTeam(), run.getCharge())) {
            long teamUsed = tally.teamUse(run.getTeam());
            long cap = tally.teamCap(run.getTeam());
            return new Unselected(key, ReasonCode.TEAM_CAP, "team " + run.getTeam() + " used " + gpuHours(teamUsed) + " of its "
                    + gpuHours(cap) + "; this needs " + gpuHours(run.getGpuMilliHours()),
                    Map.of("team", run.getTeam(), "usedGpuHours", decimal(teamUsed), "capGpuHours", decimal(cap),
                            "needsGpuHours", decimal(run.getGpuMilliHours())));
        }
        if (!tally.fitsBudget(run.getCharge())) {
            return budget(key, run, tally.budgetLimit());
        }
        int earliest = run.getEarliestStartSlot();
        for (String prerequisite : proposal.prerequisites()) {
            earliest = Math.max(earliest, runsByKey.get(prerequisite).endSlot());
        }
        for (PoolTimeline pool : run.getFittingPools()) {
            int start = tally.usage().earliestFreeStart(pool, run, earliest);
            if (start >= 0) {
                return new Unselected(key, ReasonCode.NOT_CHOSEN, "fits the budget and pool " + pool.getName() + " has room at "
                        + problem.portfolio().horizon().slotStart(start) + ", but the solver did not select it within its time limit",
                        Map.of("pool", pool.getName(), "start", problem.portfolio().horizon().slotStart(start).toString()));
            }
        }
        List<String> pools = run.getFittingPools().stream().map(PoolTimeline::getName).toList();
        return new Unselected(key, ReasonCode.CAPACITY, "the budget allows it, but no fitting pool (" + String.join(", ", pools)
                + ") has " + run.getGpus() + " GPUs free for " + run.getDurationSlots() + " slots inside its window",
                Map.of("pools", pools, "gpus", run.getGpus(), "slots", run.getDurationSlots(),
                        "windowStart", problem.portfolio().horizon().slotStart(earliest).toString(),
                        "windowEnd", problem.portfolio().horizon().slotStart(run.getLatestStartSlot() + run.getDurationSlots()).toString()));
    }

    /** Over budget: names the selected runs of lowest expected value per GPU-hour whose place it would need. */
    private Unselected budget(String key, Run run, long limit) {
        List<Run> cheapestFirst = new ArrayList<>(selected.stream().filter(r -> !r.isPinned() && !r.isRequired()).toList());
        cheapestFirst.sort(Comparator.comparingDouble(UnselectedReasons::valuePerGpuHour).thenComparing(Run::getKey));
        List<Map<String, Object>> competitors = new ArrayList<>();
        dev.gpuplan.solver.Charge freed = dev.gpuplan.solver.Charge.NONE;
        for (Run competitor : cheapestFirst) {
            if (tally.fitsBudget(run.getCharge(), freed) || competitors.size() == MAX_COMPETITORS) {
                break;
            }
            freed = freed.plus(competitor.getCharge());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("proposal", competitor.getKey());
            entry.put("gpuHours", decimal(competitor.getGpuMilliHours()));
            entry.put("expectedValue", decimal(competitor.getExpectedMilliValue()));
            entry.put("expectedValuePerGpuHour", BigDecimal.valueOf(valuePerGpuHour(competitor)).setScale(4, java.math.RoundingMode.HALF_UP));
            competitors.add(entry);
        }
        String names = competitors.stream().map(c -> c.get("proposal") + " (" + c.get("expectedValuePerGpuHour") + "/GPU-hour)")
                .reduce((a, b) -> a + ", " + b).orElse("none");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("usedGpuHours", decimal(tally.budgetUse()));
        details.put("budgetGpuHours", decimal(limit));
        details.put("needsGpuHours", decimal(run.getGpuMilliHours()));
        details.put("expectedValue", decimal(run.getExpectedMilliValue()));
        details.put("expectedValuePerGpuHour", BigDecimal.valueOf(valuePerGpuHour(run)).setScale(4, java.math.RoundingMode.HALF_UP));
        details.put("competesWith", competitors);
        return new Unselected(key, ReasonCode.BUDGET, "the plan uses " + gpuHours(tally.budgetUse()) + " of " + gpuHours(limit)
                + "; this needs " + gpuHours(run.getGpuMilliHours()) + " for expected value " + value(run.getExpectedMilliValue())
                + "; it competes with the selected runs of lowest value per GPU-hour: " + names, details);
    }

    private static double valuePerGpuHour(Run run) {
        return (double) run.getExpectedMilliValue() / Math.max(1, run.getGpuMilliHours());
    }

    private static BigDecimal decimal(long milli) {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros();
    }

    private static String gpuHours(long milli) {
        return Justifications.gpuHours(milli);
    }

    private static String value(long milli) {
        return Justifications.value(milli);
    }
}
