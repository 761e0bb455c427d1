package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * One {@link ReplanMoveFactory} move under construction: its changes, and what the plan would use after them
 * (a draft of the index's {@link PlanTally}, so trying a move never touches the index).
 */
final class ReplanDraft {

    private static final int LOWEST_CHOICES = 3;
    private static final int REFILL_SCAN = 400;
    private static final int REFILL_TRIES = 40;

    final PlanIndex plan;
    final PlanTally tally;
    final Map<Run, ReplanMove.Change> changes = new LinkedHashMap<>();
    final Set<Run> protectedRuns = new HashSet<>();
    final List<Run> removed = new ArrayList<>();

    ReplanDraft(PlanIndex plan) {
        this.plan = plan;
        this.tally = plan.tally.draft();
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
        return tally.groupHolder(group);
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
    boolean makeRoom(Charge cost, Map<String, Charge> teamCost, Random random) {
        while (true) {
            boolean overBudget = !tally.fitsBudget(cost);
            String overTeam = null;
            for (Map.Entry<String, Charge> e : teamCost.entrySet()) {
                if (!tally.fitsTeamCap(e.getKey(), e.getValue())) {
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
        tally.release(run, pool(run), start(run));
        if (run.isSelected()) {
            changes.put(run, new ReplanMove.Change(run, null, run.getStartSlot()));
            removed.add(run);
        } else {
            changes.remove(run); // put in by this draft: back to how it was
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
        return tally.usage().earliestFreeStart(pool, run, start, start) == start;
    }

    /** Puts the run in at the earliest start where a fitting pool has room; false if none has. */
    boolean placeEarliest(Run run) {
        int earliest = earliestStart(run);
        int latest = latestStart(run);
        PoolTimeline bestPool = null;
        int bestStart = Integer.MAX_VALUE;
        for (PoolTimeline pool : run.getFittingPools()) {
            int start = tally.usage().earliestFreeStart(pool, run, earliest, Math.min(latest, bestStart - 1));
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
            tally.move(run, pool(run), start(run), pool, start);
        } else {
            tally.book(run, pool, start);
        }
        changes.put(run, new ReplanMove.Change(run, pool, start));
    }

    /** Whether the run could go in as far as budget, team cap, exclusive group and prerequisites go (cheapest checks first). */
    private boolean allowed(Run run) {
        return !selected(run) && tally.allows(run) && prerequisitesSelected(run);
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
            if (scanned++ >= REFILL_SCAN || tries >= REFILL_TRIES || !tally.fitsBudget(plan.smallestCharge)) {
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
