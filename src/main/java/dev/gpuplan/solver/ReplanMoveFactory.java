package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;

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
 * Moves are built from {@link PlanIndex}, brought in step with the working plan each time the solver asks for a
 * new iterator, which it does at the start of every step (keep the move selector's default just-in-time cache).
 */
public class ReplanMoveFactory implements MoveIteratorFactory<GpuSchedule, ReplanMove> {

    private static final int LOWEST_CHOICES = 3;
    private static final int REFILL_SCAN = 400;
    private static final int REFILL_TRIES = 40;
    private static final int ATTEMPTS = 10;

    private PlanIndex index;

    @Override
    public void phaseStarted(ScoreDirector<GpuSchedule> scoreDirector) {
        index = new PlanIndex(scoreDirector.getWorkingSolution());
    }

    @Override
    public void phaseEnded(ScoreDirector<GpuSchedule> scoreDirector) {
        index = null;
    }

    @Override
    public long getSize(ScoreDirector<GpuSchedule> scoreDirector) {
        return scoreDirector.getWorkingSolution().getRuns().size();
    }

    @Override
    public Iterator<ReplanMove> createOriginalMoveIterator(ScoreDirector<GpuSchedule> scoreDirector) {
        throw new UnsupportedOperationException("ReplanMoveFactory only selects at random (selectionOrder RANDOM)");
    }

    @Override
    public Iterator<ReplanMove> createRandomMoveIterator(ScoreDirector<GpuSchedule> scoreDirector, Random random) {
        if (index == null || index.schedule != scoreDirector.getWorkingSolution()) {
            index = new PlanIndex(scoreDirector.getWorkingSolution());
        }
        PlanIndex plan = index;
        return new Iterator<>() {
            private boolean synced;

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public ReplanMove next() {
                if (!synced) { // once per step, and only in steps that ask for one of these moves
                    plan.sync();
                    synced = true;
                }
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    double kind = random.nextDouble();
                    Optional<ReplanMove> move = kind < 0.5 ? insert(plan, random) : kind < 0.75 ? evict(plan, random) : relocate(plan, random);
                    if (move.isPresent()) {
                        return move.get();
                    }
                }
                return new ReplanMove("none", List.of()); // not doable: the solver skips it
            }
        };
    }

    // ---- the three moves ----

    private static Optional<ReplanMove> insert(PlanIndex plan, Random random) {
        if (plan.unselected.isEmpty()) {
            return Optional.empty();
        }
        Draft draft = new Draft(plan);
        List<Run> closure = draft.unselectedClosure(plan.unselected.pick(random));
        draft.protectWithAncestors(closure);
        if (!draft.freeGroupsFor(closure)) {
            return Optional.empty();
        }
        long cost = closure.stream().mapToLong(Run::getGpuMilliHours).sum();
        Map<String, Long> teamCost = new HashMap<>();
        closure.forEach(run -> teamCost.merge(run.getTeam(), run.getGpuMilliHours(), Long::sum));
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
        Draft draft = new Draft(plan);
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
        if (!draft.makeRoom(0, Map.of(chosen.getTeam(), 0L), random)) {
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
        Draft draft = new Draft(plan);
        draft.usage.release(chosen);
        int earliest = draft.earliestStart(chosen);
        int latest = draft.latestStart(chosen);
        List<PoolTimeline> pools = new ArrayList<>(chosen.getFittingPools());
        while (!pools.isEmpty()) {
            PoolTimeline pool = pools.remove(random.nextInt(pools.size()));
            List<Integer> starts = draft.usage.freeStarts(pool, chosen, earliest, latest);
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

    /** One move under construction: its changes, and what the plan would use after them. */
    private static final class Draft {
        final PlanIndex plan;
        final SlotUsage usage;
        final Map<Run, ReplanMove.Change> changes = new LinkedHashMap<>();
        final Set<Run> protectedRuns = new HashSet<>();
        final List<Run> removed = new ArrayList<>();
        final Map<String, Long> teamUse;
        /** Exclusive groups whose holder this draft changed: the new holder, or empty for none. */
        final Map<String, Optional<Run>> groupHolders = new HashMap<>();
        long budgetUse;

        Draft(PlanIndex plan) {
            this.plan = plan;
            this.usage = plan.usage.draft();
            this.teamUse = new HashMap<>(plan.teamUse);
            this.budgetUse = plan.budgetUse;
        }

        boolean selected(Run run) {
            ReplanMove.Change change = changes.get(run);
            return change != null ? change.pool() != null : run.isSelected();
        }

        PoolTimeline pool(Run run) {
            ReplanMove.Change change = changes.get(run);
            return change != null ? change.pool() : run.getPool();
        }

        int start(Run run) {
            ReplanMove.Change change = changes.get(run);
            return change != null ? change.startSlot() : run.getStartSlot();
        }

        Run groupHolder(String group) {
            Optional<Run> changed = groupHolders.get(group);
            return changed != null ? changed.orElse(null) : plan.groupHolder.get(group);
        }

        List<Run> prerequisites(Run run) {
            return plan.prerequisitesOf(run);
        }

        List<Run> dependents(Run run) {
            return plan.dependentsOf(run);
        }

        boolean prerequisitesSelected(Run run) {
            for (Run prerequisite : prerequisites(run)) {
                if (!selected(prerequisite)) {
                    return false;
                }
            }
            return true;
        }

        /** The run and its unselected prerequisites (transitively), prerequisites first. */
        List<Run> unselectedClosure(Run run) {
            List<Run> ordered = new ArrayList<>();
            collect(run, new HashSet<>(), ordered);
            return ordered;
        }

        private void collect(Run run, Set<Run> seen, List<Run> ordered) {
            if (!seen.add(run) || selected(run)) {
                return;
            }
            for (Run prerequisite : prerequisites(run)) {
                collect(prerequisite, seen, ordered);
            }
            ordered.add(run);
        }

        /** These runs and their prerequisites (transitively) stay in. */
        void protectWithAncestors(List<Run> runs) {
            List<Run> todo = new ArrayList<>(runs);
            while (!todo.isEmpty()) {
                Run run = todo.remove(todo.size() - 1);
                if (protectedRuns.add(run)) {
                    todo.addAll(prerequisites(run));
                }
            }
        }

        /** Takes out the runs holding these runs' exclusive groups; false if two share a group or a holder must stay. */
        boolean freeGroupsFor(List<Run> runs) {
            Set<String> groups = new HashSet<>();
            for (Run run : runs) {
                String group = run.getExclusiveGroup();
                if (group == null) {
                    continue;
                }
                if (!groups.add(group)) {
                    return false;
                }
                Run holder = groupHolder(group);
                if (holder != null && !remove(holder)) {
                    return false;
                }
            }
            return true;
        }

        /** Takes out the runs that lose least until {@code cost} more fits the budget and {@code teamCost} the team caps. */
        boolean makeRoom(long cost, Map<String, Long> teamCost, Random random) {
            while (true) {
                boolean overBudget = budgetUse + cost > plan.budgetLimit;
                String overTeam = null;
                for (Map.Entry<String, Long> e : teamCost.entrySet()) {
                    Long cap = plan.teamCaps.get(e.getKey());
                    if (cap != null && teamUse.getOrDefault(e.getKey(), 0L) + e.getValue() > cap) {
                        overTeam = e.getKey();
                    }
                }
                if (!overBudget && overTeam == null) {
                    return true;
                }
                Run victim = cheapestLoss(overBudget ? null : overTeam, random);
                if (victim == null || !remove(victim)) {
                    return false;
                }
            }
        }

        /** A random one of the {@value #LOWEST_CHOICES} removable runs (of {@code team}, if given) that lose least per GPU-hour. */
        private Run cheapestLoss(String team, Random random) {
            List<Run> choices = new ArrayList<>(LOWEST_CHOICES);
            for (Run run : plan.removable) {
                if (selected(run) && !protectedRuns.contains(run) && (team == null || run.getTeam().equals(team))) {
                    choices.add(run);
                    if (choices.size() == LOWEST_CHOICES) {
                        break;
                    }
                }
            }
            return choices.isEmpty() ? null : choices.get(random.nextInt(choices.size()));
        }

        /** Takes the run (and its selected dependents) out; false if one of them must stay. */
        boolean remove(Run run) {
            if (!selected(run)) {
                return true;
            }
            if (run.isPinned() || run.isRequired() || protectedRuns.contains(run)) {
                return false;
            }
            for (Run dependent : dependents(run)) {
                if (!remove(dependent)) {
                    return false;
                }
            }
            usage.release(run, pool(run), start(run));
            if (run.isSelected()) {
                changes.put(run, new ReplanMove.Change(run, null, run.getStartSlot()));
                removed.add(run);
            } else {
                changes.remove(run); // put in by this draft: back to how it was
            }
            budgetUse -= run.getGpuMilliHours();
            teamUse.merge(run.getTeam(), -run.getGpuMilliHours(), Long::sum);
            if (run.getExclusiveGroup() != null) {
                groupHolders.put(run.getExclusiveGroup(), Optional.empty());
            }
            return true;
        }

        int earliestStart(Run run) {
            int earliest = run.getEarliestStartSlot();
            for (Run prerequisite : prerequisites(run)) {
                earliest = Math.max(earliest, start(prerequisite) + prerequisite.getDurationSlots());
            }
            return earliest;
        }

        int latestStart(Run run) {
            int latest = run.getLatestStartSlot();
            for (Run dependent : dependents(run)) {
                if (selected(dependent)) {
                    latest = Math.min(latest, start(dependent) - run.getDurationSlots());
                }
            }
            return latest;
        }

        boolean fitsAt(Run run, PoolTimeline pool, int start) {
            return usage.earliestFreeStart(pool, run, start, start) == start;
        }

        /** Puts the run in at the earliest start where a fitting pool has room; false if none has. */
        boolean placeEarliest(Run run) {
            int earliest = earliestStart(run);
            int latest = latestStart(run);
            PoolTimeline bestPool = null;
            int bestStart = Integer.MAX_VALUE;
            for (PoolTimeline pool : run.getFittingPools()) {
                int start = usage.earliestFreeStart(pool, run, earliest, Math.min(latest, bestStart - 1));
                if (start >= 0) {
                    bestPool = pool;
                    bestStart = start;
                }
            }
            if (bestPool == null) {
                return false;
            }
            place(run, bestPool, bestStart);
            return true;
        }

        /** Puts the run in at this pool and start, or moves it there if it is in already. */
        void place(Run run, PoolTimeline pool, int start) {
            if (selected(run)) {
                usage.release(run, pool(run), start(run));
            } else {
                budgetUse += run.getGpuMilliHours();
                teamUse.merge(run.getTeam(), run.getGpuMilliHours(), Long::sum);
            }
            usage.book(run, pool, start);
            changes.put(run, new ReplanMove.Change(run, pool, start));
            if (run.getExclusiveGroup() != null) {
                groupHolders.put(run.getExclusiveGroup(), Optional.of(run));
            }
        }

        /** Whether the run could go in as far as budget, team cap, exclusive group and prerequisites go (cheapest checks first). */
        private boolean allowed(Run run) {
            if (budgetUse + run.getGpuMilliHours() > plan.budgetLimit || selected(run)) {
                return false;
            }
            Long cap = plan.teamCaps.get(run.getTeam());
            if (cap != null && teamUse.getOrDefault(run.getTeam(), 0L) + run.getGpuMilliHours() > cap) {
                return false;
            }
            if (run.getExclusiveGroup() != null && groupHolder(run.getExclusiveGroup()) != null) {
                return false;
            }
            return prerequisitesSelected(run);
        }

        /** Puts the runs this move took out back in where they fit now, prerequisites first. */
        void replaceRemoved() {
            List<Run> again = new ArrayList<>(removed);
            again.sort(Comparator.comparing(Run::getId)); // ids follow dependency order
            for (Run run : again) {
                if (allowed(run)) {
                    placeEarliest(run);
                }
            }
        }

        /** Spends what budget is left on the best runs per GPU-hour that fit. */
        void refill() {
            int scanned = 0;
            int tries = 0;
            for (Run run : plan.unselectedByDensity) {
                if (scanned++ >= REFILL_SCAN || tries >= REFILL_TRIES || budgetUse + plan.smallestCost > plan.budgetLimit) {
                    return;
                }
                if (!changes.containsKey(run) && allowed(run)) {
                    tries++;
                    placeEarliest(run);
                }
            }
        }

        Optional<ReplanMove> move(String kind) {
            return changes.isEmpty() ? Optional.empty() : Optional.of(new ReplanMove(kind, new ArrayList<>(changes.values())));
        }
    }
}
