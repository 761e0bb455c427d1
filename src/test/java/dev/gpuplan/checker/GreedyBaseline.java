package dev.gpuplan.checker;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Plan.Assignment;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * The spreadsheet plan SPEC section 1 describes, as the bar the solver must clear: one pass in order of
 * expected value per GPU-hour (pinned first, then required), taking each proposal that the budget, its
 * team cap, its exclusive group and its already-taken dependencies allow, at the earliest slot where a
 * fitting pool has its GPUs free for the whole run. Independent of {@code dev.gpuplan.solver}.
 */
public final class GreedyBaseline {


    private final Portfolio portfolio;
    private final BigDecimal usableBudget;
    private final Map<String, BigDecimal> teamCaps = new HashMap<>();
    private final long slotSeconds;
    private final int slotCount;
    private final Map<String, int[]> free = new LinkedHashMap<>();
    private final Map<String, Assignment> taken = new LinkedHashMap<>();
    private final Map<String, BigDecimal> teamUse = new HashMap<>();
    private final Set<String> groupsTaken = new HashSet<>();
    private BigDecimal budgetUse = BigDecimal.ZERO;

    private GreedyBaseline(Portfolio portfolio, BigDecimal usableBudget, Map<String, BigDecimal> defaultTeamCaps) {
        this.portfolio = portfolio;
        this.usableBudget = usableBudget;
        teamCaps.putAll(defaultTeamCaps);
        teamCaps.putAll(portfolio.budget().perTeam());
        slotSeconds = portfolio.horizon().slotMinutes() * 60L;
        slotCount = portfolio.horizon().hours().multiply(BigDecimal.valueOf(3600))
                .divide(BigDecimal.valueOf(slotSeconds), 0, RoundingMode.FLOOR).intValueExact(); // whole slots only
        for (Pool pool : portfolio.pools()) {
            int[] gpus = new int[slotCount];
            for (int slot = 0; slot < slotCount; slot++) {
                Instant from = slotStart(slot);
                Instant to = slotStart(slot + 1);
                boolean down = false;
                for (TimeWindow window : pool.unavailable()) {
                    down |= window.from().isBefore(to) && from.isBefore(window.to());
                }
                gpus[slot] = down ? 0 : pool.gpus();
            }
            free.put(pool.name(), gpus);
        }
    }

    public static Plan plan(Portfolio portfolio, BigDecimal usableBudget) {
        return plan(portfolio, usableBudget, Map.of());
    }

    public static Plan plan(Portfolio portfolio, BigDecimal usableBudget, Map<String, BigDecimal> defaultTeamCaps) {
        return new GreedyBaseline(portfolio, usableBudget, defaultTeamCaps).run();
    }

    private Plan run() {
        List<Proposal> order = new ArrayList<>(portfolio.proposals());
        order.sort(Comparator.comparing((Proposal p) -> p.pinned() == null)
                .thenComparing(p -> !p.required())
                .thenComparing(GreedyBaseline::valuePerGpuHour, Comparator.reverseOrder()));
        for (Proposal p : order) {
            if (p.pinned() != null) {
                int start = slotAtOrAfter(p.pinned().start());
                take(p, p.pinned().pool(), start);
            } else if (allowed(p)) {
                place(p);
            }
        }
        return toPlan();
    }

    private static BigDecimal valuePerGpuHour(Proposal p) {
        return p.expectedValue().divide(cost(p), MathContext.DECIMAL64);
    }

    private boolean allowed(Proposal p) {
        if (budgetUse.add(cost(p)).compareTo(usableBudget) > 0) {
            return false;
        }
        BigDecimal cap = teamCaps.get(p.team());
        if (cap != null && teamUse.getOrDefault(p.team(), BigDecimal.ZERO).add(cost(p)).compareTo(cap) > 0) {
            return false;
        }
        if (p.exclusiveGroup() != null && groupsTaken.contains(p.exclusiveGroup())) {
            return false;
        }
        return p.dependsOn().stream().allMatch(taken::containsKey);
    }

    /** The earliest start on any fitting pool (first pool on a tie), if there is one. */
    private void place(Proposal p) {
        int duration = slots(p);
        int earliest = p.earliestStart() == null ? 0 : Math.max(0, slotAtOrAfter(p.earliestStart()));
        for (String dependency : p.dependsOn()) {
            earliest = Math.max(earliest, slotAtOrAfter(taken.get(dependency).end()));
        }
        int lastEnd = p.deadline() == null ? slotCount : Math.min(slotCount, slotsBefore(p.deadline()));
        String bestPool = null;
        int bestStart = Integer.MAX_VALUE;
        for (Pool pool : portfolio.pools()) {
            if ((p.gpuType() != null && !p.gpuType().equals(pool.gpuType())) || p.gpus() > pool.gpus()) {
                continue;
            }
            int[] gpus = free.get(pool.name());
            for (int start = earliest; start + duration <= lastEnd && start < bestStart; start++) {
                boolean fits = true;
                for (int slot = start; slot < start + duration && fits; slot++) {
                    fits = gpus[slot] >= p.gpus();
                }
                if (fits) {
                    bestPool = pool.name();
                    bestStart = start;
                    break;
                }
            }
        }
        if (bestPool != null) {
            take(p, bestPool, bestStart);
        }
    }

    private void take(Proposal p, String pool, int start) {
        int end = start + slots(p);
        int[] gpus = free.get(pool);
        for (int slot = Math.max(0, start); slot < Math.min(end, slotCount); slot++) {
            gpus[slot] -= p.gpus();
        }
        taken.put(p.key(), new Assignment(p.key(), pool, slotStart(start), slotStart(end), p.gpus(), cost(p), p.expectedValue()));
        budgetUse = budgetUse.add(cost(p));
        teamUse.merge(p.team(), cost(p), BigDecimal::add);
        if (p.exclusiveGroup() != null) {
            groupsTaken.add(p.exclusiveGroup());
        }
    }

    private Plan toPlan() {
        List<Assignment> assignments = new ArrayList<>(taken.values());
        assignments.sort(Comparator.comparing(Assignment::pool).thenComparing(Assignment::start).thenComparing(Assignment::proposal));
        List<Plan.Unselected> unselected = new ArrayList<>();
        BigDecimal expectedValue = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        for (Proposal p : portfolio.proposals()) {
            if (taken.containsKey(p.key())) {
                expectedValue = expectedValue.add(p.expectedValue());
                value = value.add(p.value());
            } else {
                unselected.add(new Plan.Unselected(p.key(), ReasonCode.NOT_CHOSEN, "not taken by the greedy baseline", null));
            }
        }
        Plan.Totals totals = new Plan.Totals(expectedValue, value, budgetUse, taken.size(), portfolio.proposals().size());
        return new Plan(null, Plan.Status.SOLVED, portfolio.budget().gpuHours(), usableBudget, "greedy-baseline", null, null, true,
                totals, assignments, unselected, List.of());
    }

    private static BigDecimal cost(Proposal p) {
        return p.hours().multiply(BigDecimal.valueOf(p.gpus()));
    }

    private int slots(Proposal p) {
        return p.hours().multiply(BigDecimal.valueOf(3600)).divide(BigDecimal.valueOf(slotSeconds), 0, RoundingMode.CEILING).intValueExact();
    }

    private Instant slotStart(int slot) {
        return portfolio.horizon().start().plusSeconds(slot * slotSeconds);
    }

    private int slotAtOrAfter(Instant instant) {
        long seconds = Duration.between(portfolio.horizon().start(), instant).toSeconds();
        return (int) -Math.floorDiv(-seconds, slotSeconds);
    }

    private int slotsBefore(Instant instant) {
        return (int) Math.floorDiv(Duration.between(portfolio.horizon().start(), instant).toSeconds(), slotSeconds);
    }
}
