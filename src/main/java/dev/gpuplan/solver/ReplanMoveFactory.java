package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Compound moves that keep the plan feasible while they exchange runs, which the one-variable moves can only
 * do through a broken rule (and late acceptance rarely accepts a broken rule once the plan is good):
 * <ul>
 *   <li><b>insert</b>: an unselected run, with any unselected prerequisites, each at the earliest start where a
 *       fitting pool has its GPUs free; the run holding its exclusive group goes out, and the runs that lose
 *       the least value per GPU-hour go out until budget and team caps hold (a random one of the three
 *       lowest each time, so repeated tries differ); then leftover budget is refilled with the best runs
 *       per GPU-hour that fit;</li>
 *   <li><b>evict</b>: an unselected run at a random start on a fitting pool, pushing out the runs in its way
 *       (lowest value per GPU-hour first), which then go back in at their earliest free start if they can:
 *       for pools that are full rather than budgets;</li>
 *   <li><b>relocate</b>: a selected run to a random start where it fits, between its prerequisites and its
 *       dependents, opening room for others.</li>
 * </ul>
 * Taking a run out takes its selected dependents with it. Pinned runs never move; required runs never go out.
 * Moves are built from the working plan's {@link PlanIndex} (shared with the other move factories), brought in step
 * with the working plan each time the solver asks for a new iterator, which it does at the start of every step (keep
 * the move selector's default just-in-time cache).
 */
public class ReplanMoveFactory extends IndexedMoveFactory {

    @Override
    Optional<ReplanMove> build(PlanIndex plan, Random random) {
        double kind = random.nextDouble();
        return kind < 0.5 ? insert(plan, random) : kind < 0.75 ? evict(plan, random) : relocate(plan, random);
    }

    // ---- the three moves ----

    private static Optional<ReplanMove> insert(PlanIndex plan, Random random) {
        if (plan.unselected.isEmpty()) {
            return Optional.empty();
        }
        ReplanDraft draft = new ReplanDraft(plan);
        List<Run> closure = draft.unselectedClosure(plan.unselected.pick(random));
        draft.protectWithAncestors(closure);
        if (!draft.freeGroupsFor(closure)) {
            return Optional.empty();
        }
        Charge cost = Charge.NONE;
        Map<String, Charge> teamCost = new HashMap<>();
        for (Run run : closure) {
            cost = cost.plus(run.getCharge());
            teamCost.merge(run.getTeam(), run.getCharge(), Charge::plus);
        }
        if (!draft.makeRoom(cost, teamCost, random)) {
            return Optional.empty();
        }
        for (Run run : closure) {
            if (!draft.placeEarliest(run)) {
                return Optional.empty();
            }
        }
        draft.refill();
        return draft.move("insert");
    }

    private static Optional<ReplanMove> evict(PlanIndex plan, Random random) {
        if (plan.unselected.isEmpty()) {
            return Optional.empty();
        }
        ReplanDraft draft = new ReplanDraft(plan);
        Run chosen = plan.unselected.pick(random);
        if (!draft.prerequisitesSelected(chosen)) {
            return Optional.empty();
        }
        draft.protectWithAncestors(List.of(chosen));
        if (!draft.freeGroupsFor(List.of(chosen))) {
            return Optional.empty();
        }
        List<PoolTimeline> pools = chosen.getFittingPools();
        PoolTimeline pool = pools.get(random.nextInt(pools.size()));
        int earliest = draft.earliestStart(chosen);
        int latest = chosen.getLatestStartSlot();
        if (earliest > latest) {
            return Optional.empty();
        }
        int start = earliest + random.nextInt(latest - earliest + 1);
        int end = start + chosen.getDurationSlots();
        List<Run> inTheWay = new ArrayList<>(plan.selectedOn.getOrDefault(pool, Set.of()).stream()
                .filter(run -> run.getStartSlot() < end && run.endSlot() > start).toList());
        inTheWay.sort(Comparator.comparingDouble(PlanIndex::density));
        for (Run run : inTheWay) {
            if (draft.fitsAt(chosen, pool, start)) {
                break;
            }
            if (!draft.remove(run)) {
                return Optional.empty();
            }
        }
        if (!draft.fitsAt(chosen, pool, start)) {
            return Optional.empty();
        }
        draft.place(chosen, pool, start);
        if (!draft.makeRoom(Charge.NONE, Map.of(chosen.getTeam(), Charge.NONE), random)) {
            return Optional.empty();
        }
        draft.replaceRemoved();
        draft.refill();
        return draft.move("evict");
    }

    private static Optional<ReplanMove> relocate(PlanIndex plan, Random random) {
        if (plan.movable.isEmpty()) {
            return Optional.empty();
        }
        Run chosen = plan.movable.pick(random);
        ReplanDraft draft = new ReplanDraft(plan);
        draft.tally.release(chosen);
        int earliest = draft.earliestStart(chosen);
        int latest = draft.latestStart(chosen);
        List<PoolTimeline> pools = new ArrayList<>(chosen.getFittingPools());
        while (!pools.isEmpty()) {
            PoolTimeline pool = pools.remove(random.nextInt(pools.size()));
            List<Integer> starts = draft.tally.usage().freeStarts(pool, chosen, earliest, latest);
            if (pool == chosen.getPool()) {
                starts.remove(chosen.getStartSlot());
            }
            if (!starts.isEmpty()) {
                draft.changes.put(chosen, new ReplanMove.Change(chosen, pool, starts.get(random.nextInt(starts.size()))));
                return draft.move("relocate");
            }
        }
        return Optional.empty();
    }
}
