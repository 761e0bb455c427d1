package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a working plan uses (a {@link PlanTally}) and its runs by kind, for the compound move factories
 * ({@link ReplanMoveFactory}, {@link VariantSwitchMoveFactory}) to build moves from. {@link #sync()} brings it in step with the working plan by
 * updating only the runs that changed since the last call, so a step of local search costs O(changes), not a
 * rebuild (a rebuild per step made 10,000-run plans 10x slower).
 */
final class PlanIndex {

    final GpuSchedule schedule;
    /** The charge of the cheapest run that may move (its mean only: a quick test that the budget has room left at all). */
    final Charge smallestCharge;

    /** What the working plan uses: budget, team caps, exclusive groups, GPUs per pool and slot. */
    final PlanTally tally;
    final Sample unselected = new Sample();
    /** The same runs, highest expected value per GPU-hour first. */
    final TreeSet<Run> unselectedByDensity = new TreeSet<>(Comparator.comparingDouble(PlanIndex::density).reversed().thenComparing(Run::getId));
    final Sample movable = new Sample();
    final Map<PoolTimeline, Set<Run>> selectedOn = new HashMap<>();
    /**
     * Selected runs that may go out, lowest first by what goes out with them: expected value per GPU-hour of the
     * run and its selected dependents (transitively), which leave the plan with it.
     */
    final TreeSet<Run> removable;

    /** Exclusive groups with at least two runs that may move, and those runs (variants of one experiment). */
    final List<String> groups = new ArrayList<>();
    private final Map<String, List<Run>> variants = new HashMap<>();

    /** Indexed by run id (ids are the runs' positions): arrays, because map look-ups dominated the moves' cost. */
    private final List<Run> runs;
    private final List<List<Run>> prerequisites = new ArrayList<>();
    private final List<List<Run>> dependents = new ArrayList<>();
    private final PoolTimeline[] seenPool;
    private final int[] seenStart;
    private final long[] subtreeValue;
    private final long[] subtreeCost;

    PlanIndex(GpuSchedule schedule) {
        this.schedule = schedule;
        this.runs = schedule.getRuns();
        for (int i = 0; i < runs.size(); i++) {
            if (runs.get(i).getId() != i) {
                throw new IllegalStateException("run ids must be their positions, as PlanningProblem makes them: " + runs.get(i));
            }
            prerequisites.add(new ArrayList<>(0));
            dependents.add(new ArrayList<>(0));
        }
        for (Dependency dependency : schedule.getDependencies()) {
            prerequisites.get(dependency.dependentId()).add(runs.get(dependency.prerequisiteId()));
            dependents.get(dependency.prerequisiteId()).add(runs.get(dependency.dependentId()));
        }
        for (Run run : runs) {
            if (run.getExclusiveGroup() != null && !run.isPinned()) {
                variants.computeIfAbsent(run.getExclusiveGroup(), g -> new ArrayList<>()).add(run);
            }
        }
        variants.values().removeIf(group -> group.size() < 2);
        runs.stream().map(Run::getExclusiveGroup).filter(variants::containsKey).distinct().forEach(groups::add);
        tally = new PlanTally(schedule);
        smallestCharge = new Charge(runs.stream().filter(run -> !run.isPinned()).mapToLong(Run::getChargeMilliHours).min().orElse(Long.MAX_VALUE / 2), 0);
        seenPool = new PoolTimeline[runs.size()];
        seenStart = new int[runs.size()];
        subtreeValue = new long[runs.size()];
        subtreeCost = new long[runs.size()];
        removable = new TreeSet<>(Comparator.comparingDouble(this::lossDensity).thenComparing(Run::getId));
        schedule.changedRuns().drain(); // all runs are read below
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            all.add(i);
            apply(i);
        }
        updateSubtrees(all);
    }

    static double density(Run run) {
        return (double) run.getExpectedMilliValue() / Math.max(1, run.getGpuMilliHours());
    }

    private double lossDensity(Run run) {
        int i = run.getId();
        return (double) subtreeValue[i] / Math.max(1, subtreeCost[i]);
    }

    /** The runs of an exclusive group that may move (of a group in {@link #groups}). */
    List<Run> variantsOf(String group) {
        return variants.getOrDefault(group, List.of());
    }

    List<Run> prerequisitesOf(Run run) {
        return prerequisites.get(run.getId());
    }

    List<Run> dependentsOf(Run run) {
        return dependents.get(run.getId());
    }

    /**
     * Catches up with the working plan: the runs {@link ChangedRuns} noted since the last call whose pool or start
     * differ from what this index has (most were moved by a move the solver then undid).
     */
    void sync() {
        List<Integer> changed = new ArrayList<>();
        for (Run run : schedule.changedRuns().drain()) {
            int i = run.getId();
            if (run.getPool() != seenPool[i] || (run.getPool() != null && run.getStartSlot() != seenStart[i])) {
                changed.add(i);
            }
        }
        if (changed.isEmpty()) {
            return;
        }
        Set<Integer> affected = new LinkedHashSet<>();
        for (int i : changed) {
            collectWithAncestors(runs.get(i), affected);
        }
        for (int i : affected) {
            removable.remove(runs.get(i)); // before its key changes
        }
        for (int i : changed) {
            unapply(i);
            apply(i);
        }
        updateSubtrees(new ArrayList<>(affected));
    }

    private void collectWithAncestors(Run run, Set<Integer> affected) {
        if (affected.add(run.getId())) {
            for (Run prerequisite : prerequisitesOf(run)) {
                collectWithAncestors(prerequisite, affected);
            }
        }
    }

    /** Takes out what the run used where it was last seen. */
    private void unapply(int i) {
        Run run = runs.get(i);
        PoolTimeline pool = seenPool[i];
        if (pool == null) {
            unselected.remove(run);
            unselectedByDensity.remove(run);
            return;
        }
        tally.release(run, pool, seenStart[i]);
        selectedOn.get(pool).remove(run);
        movable.remove(run);
    }

    /** Books what the run uses where it is now. */
    private void apply(int i) {
        Run run = runs.get(i);
        seenPool[i] = run.getPool();
        seenStart[i] = run.getStartSlot();
        if (run.getPool() == null) {
            if (!run.isPinned()) {
                unselected.add(run);
                unselectedByDensity.add(run);
            }
            return;
        }
        tally.book(run);
        selectedOn.computeIfAbsent(run.getPool(), p -> new LinkedHashSet<>()).add(run);
        if (!run.isPinned()) {
            movable.add(run);
        }
    }

    /** Recomputes what goes out with each of these runs, dependents before prerequisites (ids follow dependency order). */
    private void updateSubtrees(List<Integer> affected) {
        affected.sort(Comparator.comparing((Integer i) -> runs.get(i).getId()).reversed());
        for (int i : affected) {
            Run run = runs.get(i);
            if (run.getPool() == null) {
                subtreeValue[i] = 0;
                subtreeCost[i] = 0;
                continue;
            }
            long value = run.getExpectedMilliValue();
            long cost = run.getGpuMilliHours();
            for (Run dependent : dependentsOf(run)) {
                int d = dependent.getId();
                value += subtreeValue[d];
                cost += subtreeCost[d];
            }
            subtreeValue[i] = value;
            subtreeCost[i] = cost;
            if (!run.isPinned() && !run.isRequired()) {
                removable.add(run);
            }
        }
    }

    /** A set of runs to draw from at random: add, remove and pick in constant time. */
    static final class Sample {
        private final List<Run> runs = new ArrayList<>();
        private final Map<Run, Integer> index = new HashMap<>();

        void add(Run run) {
            if (index.putIfAbsent(run, runs.size()) == null) {
                runs.add(run);
            }
        }

        void remove(Run run) {
            Integer i = index.remove(run);
            if (i == null) {
                return;
            }
            Run last = runs.remove(runs.size() - 1);
            if (last != run) {
                runs.set(i, last);
                index.put(last, i);
            }
        }

        boolean isEmpty() {
            return runs.isEmpty();
        }

        Run pick(Random random) {
            return runs.get(random.nextInt(runs.size()));
        }
    }
}
