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
 * Ruin and recreate for pools that are full rather than budgets: frees a time window of one pool around a slot
 * with idle GPUs (takes out the runs that overlap it) and repacks the freed runs together with unselected
 * candidates, earliest fit from the window's start (elsewhere if they no longer fit there), in order of value per
 * GPU-hour or, every other time, of expected value (big valuable runs first, as packings are best filled), each
 * with a little noise, so repeated tries pack differently. A plan a few GPU-slots short of
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
    /** The idle-slot repair puts one of this many most valuable unselected runs in. */
    private static final int TARGETS = 8;

    @Override
    Optional<ReplanMove> build(PlanIndex plan, Random random) {
        List<PoolTimeline> pools = plan.schedule.getPools();
        PoolTimeline pool = pools.get(random.nextInt(pools.size()));
        Set<Run> onPool = plan.selectedOn.getOrDefault(pool, Set.of());
        if (onPool.isEmpty()) {
            return Optional.empty();
        }
        int slots = pool.slotCount();
        int idle = idleSlot(plan, pool, random);
        if (idle < 0) {
            return Optional.empty(); // the pool is full: nothing to gain by repacking it
        }
        ReplanDraft draft = new ReplanDraft(plan);
        int from;
        if (random.nextBoolean()) {
            int width = Math.max(1, Math.min(slots, slots / 8 + random.nextInt(Math.max(1, slots / 4))));
            from = Math.max(0, Math.min(slots - width, idle - random.nextInt(width)));
            if (!freeWindow(draft, onPool, from, from + width)) {
                return Optional.empty();
            }
        } else {
            from = makeRoomAtIdleSlot(draft, pool, idle, random);
            if (from < 0) {
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
        int orderKind = random.nextInt(3);
        Map<Run, Double> order = new HashMap<>();
        for (Run run : candidates) {
            double key = switch (orderKind) {
                case 0 -> PlanIndex.density(run);
                case 1 -> (double) run.getGpuMilliHours() * PlanIndex.density(run);
                // the freed runs in their old order (left-justified again), then the rest by value per GPU-hour
                default -> draft.removed.contains(run) ? 1e12 - run.getStartSlot() - 0.5 * random.nextDouble() : PlanIndex.density(run);
            };
            order.put(run, orderKind == 2 ? key : key * (1 + NOISE * (2 * random.nextDouble() - 1)));
        }
        List<Run> repack = new ArrayList<>(candidates);
        repack.sort(Comparator.comparing((Run run) -> -order.get(run)).thenComparing(Run::getId));
        for (Run run : repack) {
            if (!draft.selected(run) && draft.tally.allows(run) && draft.prerequisitesSelected(run)) {
                placeInWindowFirst(draft, run, pool, from);
            }
        }
        return draft.move("repack");
    }

    /** Takes out the runs on the pool that overlap {@code [from, to)}; false if there are none, too many, or one must stay. */
    private static boolean freeWindow(ReplanDraft draft, Set<Run> onPool, int from, int to) {
        List<Run> inWindow = new ArrayList<>();
        for (Run run : onPool) {
            if (run.getStartSlot() < to && run.endSlot() > from && !run.isPinned() && !run.isRequired()) {
                inWindow.add(run);
            }
        }
        if (inWindow.isEmpty() || inWindow.size() > MOST_FREED) {
            return false;
        }
        for (Run run : inWindow) {
            if (!draft.remove(run)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts one of the most valuable unselected runs over the idle slot, taking out the runs in its way (least value
     * per GPU-hour first); returns its start, or -1 when it cannot go there.
     */
    private static int makeRoomAtIdleSlot(ReplanDraft draft, PoolTimeline pool, int idle, Random random) {
        PlanIndex plan = draft.plan;
        List<Run> best = new ArrayList<>(TARGETS);
        for (Run run : plan.unselectedByDensity) {
            if (run.fitsOn(pool) && draft.prerequisitesSelected(run)) {
                best.add(run);
                if (best.size() == TARGETS) {
                    break;
                }
            }
        }
        if (best.isEmpty()) {
            return -1;
        }
        Run chosen = best.get(random.nextInt(best.size()));
        int earliest = Math.max(draft.earliestStart(chosen), idle - chosen.getDurationSlots() + 1);
        int latest = Math.min(chosen.getLatestStartSlot(), idle);
        if (earliest > latest || (chosen.getExclusiveGroup() != null && draft.groupHolder(chosen.getExclusiveGroup()) != null)) {
            return -1;
        }
        int start = earliest + random.nextInt(latest - earliest + 1);
        int end = start + chosen.getDurationSlots();
        List<Run> inTheWay = new ArrayList<>(plan.selectedOn.getOrDefault(pool, Set.of()).stream()
                .filter(run -> run.getStartSlot() < end && run.endSlot() > start).toList());
        inTheWay.sort(Comparator.comparingDouble(PlanIndex::density));
        for (Run run : inTheWay) {
            if (draft.fitsAt(chosen, pool, start) || run.isPinned() || run.isRequired()) {
                continue;
            }
            if (!draft.remove(run)) {
                return -1;
            }
        }
        if (!draft.fitsAt(chosen, pool, start) || !draft.tally.allows(chosen)) {
            return -1;
        }
        draft.place(chosen, pool, start);
        return Math.max(0, start - chosen.getDurationSlots());
    }

    /** A random slot of the pool with GPUs idle in the working plan, or -1 when every slot is full. */
    private static int idleSlot(PlanIndex plan, PoolTimeline pool, Random random) {
        SlotUsage usage = plan.tally.usage();
        int slots = pool.slotCount();
        int offset = random.nextInt(slots);
        for (int i = 0; i < slots; i++) {
            int slot = (offset + i) % slots;
            if (usage.inUse(pool, slot) < pool.capacityAt(slot)) {
                return slot;
            }
        }
        return -1;
    }

    /** The run at its earliest fit on the freed pool from the window's start, else at its earliest fit anywhere. */
    private static void placeInWindowFirst(ReplanDraft draft, Run run, PoolTimeline pool, int from) {
        int earliest = Math.max(from, draft.earliestStart(run));
        int latest = draft.latestStart(run);
        if (run.fitsOn(pool) && earliest <= latest) {
            int start = draft.tally.usage().earliestFreeStart(pool, run, earliest, latest);
            if (start >= 0) {
                draft.place(run, pool, start);
                return;
            }
        }
        draft.placeEarliest(run);
    }
}
