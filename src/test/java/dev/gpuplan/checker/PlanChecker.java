package dev.gpuplan.checker;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Plan.Assignment;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Re-checks a {@link Plan} against every hard rule of docs/rules.md, from the plan's assignments (their ISO
 * start and end instants) and the portfolio alone. It shares no code with {@code dev.gpuplan.solver}, nor
 * the slot arithmetic of the domain records: only their fields and {@code java.time}, so a bug in the
 * solver's model cannot hide itself here.
 *
 * <p>Every violation is one sentence starting with the rule it breaks: {@code budget:}, {@code team-cap:},
 * {@code capacity:}, {@code fit:}, {@code dependency:}, {@code exclusive-group:}, {@code window:},
 * {@code pilot:}, {@code required:}, {@code pinned:}, and for a plan that does not describe the portfolio faithfully
 * {@code assignment:}, {@code duration:}, {@code coverage:} and {@code totals:}.
 */
public final class PlanChecker {

    private final Portfolio portfolio;
    private final BigDecimal usableBudget;
    private final Map<String, BigDecimal> teamCaps = new TreeMap<>();
    private final Map<String, Proposal> proposals = new LinkedHashMap<>();
    private final Map<String, Pool> pools = new LinkedHashMap<>();
    private final Instant horizonStart;
    private final long slotSeconds;
    private final int slotCount;
    private final List<String> violations = new ArrayList<>();
    /** The first assignment of each known proposal: the selected proposals. */
    private final Map<String, Assignment> selected = new LinkedHashMap<>();
    /** {@code budget.gatedSpend: expected}: a pilot-gated proposal counts at its pilot's probability x its cost. */
    private final boolean gatedAtExpectedCost;

    private PlanChecker(Portfolio portfolio, BigDecimal usableBudget, Map<String, BigDecimal> defaultTeamCaps, boolean gatedAtExpectedCost) {
        this.portfolio = portfolio;
        this.usableBudget = usableBudget;
        this.gatedAtExpectedCost = gatedAtExpectedCost;
        teamCaps.putAll(defaultTeamCaps);
        if (portfolio.budget() != null) {
            teamCaps.putAll(portfolio.budget().perTeam());
        }
        portfolio.proposals().forEach(p -> proposals.put(p.key(), p));
        portfolio.pools().forEach(p -> pools.put(p.name(), p));
        horizonStart = portfolio.horizon().start();
        slotSeconds = portfolio.horizon().slotMinutes() * 60L;
        slotCount = portfolio.horizon().hours().multiply(BigDecimal.valueOf(3600))
                .divide(BigDecimal.valueOf(slotSeconds), 0, RoundingMode.FLOOR).intValueExact(); // whole slots only
    }

    /** The violations of {@code plan}, with the portfolio's own team caps only. Empty means every hard rule holds. */
    public static List<String> check(Portfolio portfolio, BigDecimal usableBudget, Plan plan) {
        return check(portfolio, usableBudget, Map.of(), plan);
    }

    /**
     * @param usableBudget    the budget less the config's reserve: selected GPU-hours may not exceed it
     * @param defaultTeamCaps caps for teams the portfolio's budget does not name (the config's {@code defaultTeamCaps})
     */
    public static List<String> check(Portfolio portfolio, BigDecimal usableBudget, Map<String, BigDecimal> defaultTeamCaps, Plan plan) {
        return check(portfolio, usableBudget, defaultTeamCaps, plan, false);
    }

    /** @param gatedAtExpectedCost the config's {@code budget.gatedSpend} is {@code expected} */
    public static List<String> check(Portfolio portfolio, BigDecimal usableBudget, Map<String, BigDecimal> defaultTeamCaps, Plan plan,
                                     boolean gatedAtExpectedCost) {
        PlanChecker checker = new PlanChecker(portfolio, usableBudget, defaultTeamCaps, gatedAtExpectedCost);
        checker.coverage(plan);
        checker.selected.values().forEach(checker::assignment);
        checker.budget();
        checker.teamCaps();
        checker.capacity();
        checker.dependencies();
        checker.pilots();
        checker.pinnedRunsStay();
        checker.exclusiveGroups();
        checker.required();
        checker.totals(plan);
        return List.copyOf(checker.violations);
    }

    // ---- the plan describes the portfolio ----

    /** Every proposal is either assigned once or unselected once; nothing unknown appears. */
    private void coverage(Plan plan) {
        Map<String, Integer> assigned = new HashMap<>();
        for (Assignment a : plan.assignments()) {
            if (!proposals.containsKey(a.proposal())) {
                violation("assignment: %s is not a proposal of the portfolio", a.proposal());
                continue;
            }
            if (assigned.merge(a.proposal(), 1, Integer::sum) == 1) {
                selected.put(a.proposal(), a);
            }
        }
        assigned.forEach((key, times) -> {
            if (times > 1) {
                violation("assignment: %s is assigned %d times", key, times);
            }
        });
        Map<String, Integer> unselected = new HashMap<>();
        for (Plan.Unselected u : plan.unselected()) {
            if (!proposals.containsKey(u.proposal())) {
                violation("coverage: unselected %s is not a proposal of the portfolio", u.proposal());
            } else if (unselected.merge(u.proposal(), 1, Integer::sum) == 2) {
                violation("coverage: %s is listed as unselected more than once", u.proposal());
            }
        }
        for (String key : proposals.keySet()) {
            boolean isAssigned = assigned.containsKey(key);
            boolean isUnselected = unselected.containsKey(key);
            if (isAssigned && isUnselected) {
                violation("coverage: %s is both assigned and unselected", key);
            } else if (!isAssigned && !isUnselected) {
                violation("coverage: %s is neither assigned nor unselected", key);
            }
        }
    }

    /** One assignment on its own: amounts, slot grid, duration, fit, windows, pin. */
    private void assignment(Assignment a) {
        Proposal p = proposals.get(a.proposal());
        String key = p.key();
        if (a.gpus() != p.gpus()) {
            violation("assignment: %s uses %d GPUs, the proposal asks for %d", key, a.gpus(), p.gpus());
        }
        if (a.gpuHours() == null || a.gpuHours().compareTo(cost(p)) != 0) {
            violation("assignment: %s is listed with %s GPU-hours, the proposal costs %s", key, a.gpuHours(), plain(cost(p)));
        }
        long fromStart = Duration.between(horizonStart, a.start()).toSeconds();
        long toEnd = Duration.between(horizonStart, a.end()).toSeconds();
        if (Math.floorMod(fromStart, slotSeconds) != 0 || Math.floorMod(toEnd, slotSeconds) != 0) {
            violation("assignment: %s runs %s to %s, off the %d-minute slot grid from %s", key, a.start(), a.end(),
                    slotSeconds / 60, horizonStart);
        }
        long slots = occupiedSlots(p);
        if (toEnd - fromStart != slots * slotSeconds) {
            violation("duration: %s runs %s to %s (%d minutes) but %s hours take %d slots of %d minutes", key, a.start(), a.end(),
                    (toEnd - fromStart) / 60, plain(p.hours()), slots, slotSeconds / 60);
        }
        Pool pool = pools.get(a.pool());
        if (pool == null) {
            violation("assignment: %s runs on unknown pool %s", key, a.pool());
        } else {
            if (p.gpuType() != null && !p.gpuType().equals(pool.gpuType())) {
                violation("fit: %s needs %s GPUs but runs on %s (%s)", key, p.gpuType(), pool.name(), pool.gpuType());
            }
            if (p.gpus() > pool.gpus()) {
                violation("fit: %s needs %d GPUs but pool %s has %d", key, p.gpus(), pool.name(), pool.gpus());
            }
        }
        Instant horizonEnd = horizonStart.plusSeconds(slotCount * slotSeconds);
        if (a.start().isBefore(horizonStart) || a.end().isAfter(horizonEnd)) {
            violation("window: %s runs %s to %s, outside the horizon %s to %s", key, a.start(), a.end(), horizonStart, horizonEnd);
        }
        if (p.earliestStart() != null && a.start().isBefore(p.earliestStart())) {
            violation("window: %s starts at %s, before its earliestStart %s", key, a.start(), p.earliestStart());
        }
        if (p.deadline() != null && a.end().isAfter(p.deadline())) {
            violation("window: %s ends at %s, after its deadline %s", key, a.end(), p.deadline());
        }
        if (p.pinned() != null && (!p.pinned().pool().equals(a.pool()) || !p.pinned().start().equals(a.start()))) {
            violation("pinned: %s is pinned to %s at %s but runs on %s at %s", key, p.pinned().pool(), p.pinned().start(),
                    a.pool(), a.start());
        }
    }

    // ---- the hard rules across assignments ----

    private void budget() {
        BigDecimal used = selectedProposals().stream().map(this::charged).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (used.compareTo(usableBudget) > 0) {
            violation("budget: selected proposals use %s GPU-hours, over the usable budget of %s", plain(used), plain(usableBudget));
        }
    }

    private void teamCaps() {
        Map<String, BigDecimal> used = new TreeMap<>();
        selectedProposals().forEach(p -> used.merge(p.team(), charged(p), BigDecimal::add));
        used.forEach((team, gpuHours) -> {
            BigDecimal cap = teamCaps.get(team);
            if (cap != null && gpuHours.compareTo(cap) > 0) {
                violation("team-cap: team %s uses %s GPU-hours, over its cap of %s", team, plain(gpuHours), plain(cap));
            }
        });
    }

    /** GPUs in use per pool and slot, recomputed from the instants, against the pool's GPUs (0 in unavailable windows). */
    private void capacity() {
        Map<String, int[]> inUse = new LinkedHashMap<>();
        pools.keySet().forEach(name -> inUse.put(name, new int[slotCount]));
        for (Assignment a : selected.values()) {
            int[] use = inUse.get(a.pool());
            if (use == null) {
                continue; // reported as an unknown pool
            }
            long first = Math.floorDiv(Duration.between(horizonStart, a.start()).toSeconds(), slotSeconds);
            long last = -Math.floorDiv(-Duration.between(horizonStart, a.end()).toSeconds(), slotSeconds); // exclusive, rounded up
            for (long slot = Math.max(0, first); slot < Math.min(slotCount, last); slot++) {
                use[(int) slot] += proposals.get(a.proposal()).gpus();
            }
        }
        for (Pool pool : pools.values()) {
            int[] use = inUse.get(pool.name());
            int overSlots = 0;
            String firstOver = null;
            for (int slot = 0; slot < slotCount; slot++) {
                Instant from = horizonStart.plusSeconds(slot * slotSeconds);
                Instant to = from.plusSeconds(slotSeconds);
                int capacity = pool.gpus();
                for (TimeWindow down : pool.unavailable()) {
                    if (down.from().isBefore(to) && from.isBefore(down.to())) {
                        capacity = 0;
                    }
                }
                if (use[slot] > capacity) {
                    overSlots++;
                    if (firstOver == null) {
                        firstOver = from + " (" + use[slot] + " GPUs in use of " + capacity + ")";
                    }
                }
            }
            if (overSlots > 0) {
                violation("capacity: pool %s is over capacity in %d slots, first at %s", pool.name(), overSlots, firstOver);
            }
        }
    }

    private void dependencies() {
        for (Assignment a : selected.values()) {
            for (String dependency : proposals.get(a.proposal()).dependsOn()) {
                Assignment before = selected.get(dependency);
                if (before == null) {
                    violation("dependency: %s is selected but its dependency %s is not", a.proposal(), dependency);
                } else if (before.end().isAfter(a.start())) {
                    violation("dependency: %s starts at %s, before its dependency %s ends at %s", a.proposal(), a.start(),
                            dependency, before.end());
                }
            }
        }
    }

    /** A selected full run's pilot is selected and ends no later than the full run starts. */
    private void pilots() {
        for (Assignment a : selected.values()) {
            String pilot = proposals.get(a.proposal()).pilot();
            if (pilot == null) {
                continue;
            }
            Assignment before = selected.get(pilot);
            if (before == null) {
                violation("pilot: %s is selected but its pilot %s is not", a.proposal(), pilot);
            } else if (before.end().isAfter(a.start())) {
                violation("pilot: %s starts at %s, before its pilot %s ends at %s", a.proposal(), a.start(), pilot, before.end());
            }
        }
    }

    /** A pinned proposal (a run already running) is in the plan; where it runs is checked with its assignment. */
    private void pinnedRunsStay() {
        for (Proposal p : proposals.values()) {
            if (p.pinned() != null && !selected.containsKey(p.key())) {
                violation("pinned: %s is pinned (running) but not in the plan", p.key());
            }
        }
    }

    private void exclusiveGroups() {
        Map<String, List<String>> byGroup = new TreeMap<>();
        for (Proposal p : selectedProposals()) {
            if (p.exclusiveGroup() != null) {
                byGroup.computeIfAbsent(p.exclusiveGroup(), g -> new ArrayList<>()).add(p.key());
            }
        }
        byGroup.forEach((group, keys) -> {
            if (keys.size() > 1) {
                violation("exclusive-group: group %s has %d selected, at most 1 may be: %s", group, keys.size(), String.join(", ", keys));
            }
        });
    }

    private void required() {
        for (Proposal p : proposals.values()) {
            if (p.required() && !selected.containsKey(p.key())) {
                violation("required: %s is required but not selected", p.key());
            }
        }
    }

    /** The plan's totals add up from its assignments. */
    private void totals(Plan plan) {
        Plan.Totals totals = plan.totals();
        if (totals == null) {
            violation("totals: the plan has no totals");
            return;
        }
        List<Proposal> chosen = selectedProposals();
        BigDecimal expectedValue = chosen.stream().map(PlanChecker::expectedValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal value = chosen.stream().map(Proposal::value).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal gpuHours = chosen.stream().map(PlanChecker::cost).reduce(BigDecimal.ZERO, BigDecimal::add);
        if (totals.expectedValue() == null || totals.expectedValue().compareTo(expectedValue) != 0) {
            violation("totals: expectedValue is %s, the selected proposals add up to %s", totals.expectedValue(), plain(expectedValue));
        }
        if (totals.value() == null || totals.value().compareTo(value) != 0) {
            violation("totals: value is %s, the selected proposals add up to %s", totals.value(), plain(value));
        }
        if (totals.gpuHours() == null || totals.gpuHours().compareTo(gpuHours) != 0) {
            violation("totals: gpuHours is %s, the selected proposals add up to %s", totals.gpuHours(), plain(gpuHours));
        }
        if (totals.selected() != plan.assignments().size()) {
            violation("totals: selected is %d, the plan has %d assignments", totals.selected(), plan.assignments().size());
        }
        if (totals.candidates() != portfolio.proposals().size()) {
            violation("totals: candidates is %d, the portfolio has %d proposals", totals.candidates(), portfolio.proposals().size());
        }
    }

    // ---- helpers ----

    private List<Proposal> selectedProposals() {
        return selected.keySet().stream().map(proposals::get).toList();
    }

    /** {@code gpus x hours}, computed here rather than trusted from the domain. */
    static BigDecimal cost(Proposal p) {
        return p.hours().multiply(BigDecimal.valueOf(p.gpus()));
    }

    /** What a selected proposal counts against budget and caps: its cost, or its pilot's probability x its cost when gated. */
    private BigDecimal charged(Proposal p) {
        return gatedAtExpectedCost && p.pilot() != null ? cost(p).multiply(p.pilotSuccessProbability()) : cost(p);
    }

    /** {@code value x successProbability}, times the pilot's probability when gated: computed here, not by the domain. */
    static BigDecimal expectedValue(Proposal p) {
        BigDecimal expected = p.value().multiply(p.successProbability());
        return p.pilot() == null ? expected : expected.multiply(p.pilotSuccessProbability());
    }

    /** {@code ceil(hours / slot)}. */
    private long occupiedSlots(Proposal p) {
        BigDecimal seconds = p.hours().multiply(BigDecimal.valueOf(3600));
        return seconds.divide(BigDecimal.valueOf(slotSeconds), 0, RoundingMode.CEILING).longValueExact();
    }

    private static String plain(BigDecimal amount) {
        return amount.stripTrailingZeros().toPlainString();
    }

    private void violation(String format, Object... args) {
        violations.add(String.format(format, args));
    }
}
