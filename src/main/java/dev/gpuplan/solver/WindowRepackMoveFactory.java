package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Ruin and recreate for pools that are full rather than budgets: frees a time window of one pool (takes out the
 * runs that overlap it) and repacks the freed runs together with unselected candidates, earliest fit, in order of
 * value per GPU-hour (with a little noise, so repeated tries pack differently). A plan a few GPU-slots short of
 * a perfect packing needs several runs to change place at once to get there, which moves of one or two runs
 * cannot do without breaking the capacity rule on the way. The score decides whether the repacked plan is kept.
 */
public class WindowRepackMoveFactory extends IndexedMoveFactory {

    /** Unselected runs offered for the freed room: the best by value per GPU-hour, and as many at random. */
    private static final int BEST_CANDIDATES = 24;
    private static final int RANDOM_CANDIDATES = 8;
    /** Runs a window may free: wider windows are narrowed until they free no more. */
    private static final int MOST_FREED = 16;
    private static final double NOISE = 0.15;

    @Override
    Optional<ReplanMove> build(PlanIndex plan, Random random) {
        List<PoolTimeline> pools = plan.schedule.getPools();
        PoolTimeline pool = pools.get(random.nextInt(pools.size()));
        Set<Run> onPool = plan.selectedOn.getOrDefault(pool, Set.of());
        if (onPool.isEmpty()) {
            return Optional.empty();
        }
        int slots = pool.slotCount();
        int width = Math.max(1, Math.min(slots, slots / 8 + random.nextInt(Math.max(1, slots / 4))));
        int from = random.nextInt(Math.max(1, slots - width + 1));
        int to = from + width;
        List<Run> inWindow = new ArrayList<>();
        for (Run run : onPool) {
            if (run.getStartSlot() < to && run.endSlot() > from && !run.isPinned() && !run.isRequired()) {
                inWindow.add(run);
            }
        }
        if (inWindow.isEmpty() || inWindow.size() > MOST_FREED) {
            return Optional.empty();
        }
        ReplanDraft draft = new ReplanDraft(plan);
        for (Run run : inWindow) {
            if (!draft.remove(run)) {
                return Optional.empty();
            }
        }
        Set<Run> candidates = new LinkedHashSet<>(draft.removed);
        int best = 0;
        for (Run run : plan.unselectedByDensity) {
            if (best++ == BEST_CANDIDATES) {
                break;
            }
            candidates.add(run);
        }
        if (!plan.unselected.isEmpty()) {
            for (int i = 0; i < RANDOM_CANDIDATES; i++) {
                candidates.add(plan.unselected.pick(random));
            }
        }
        Map<Run, Double> order = new HashMap<>();
        for (Run run : candidates) {
            order.put(run, PlanIndex.density(run) * (1 + NOISE * (2 * random.nextDouble() - 1)));
        }
        List<Run> repack = new ArrayList<>(candidates);
        repack.sort(Comparator.comparing((Run run) -> -order.get(run)).thenComparing(Run::getId));
        for (Run run : repack) {
            if (!draft.selected(run) && draft.tally.allows(run) && draft.prerequisitesSelected(run)) {
                draft.placeEarliest(run);
            }
        }
        return draft.move("repack");
    }
}
