package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GPUs in use per pool and slot in a (partial) plan, for placing runs outside of score calculation.
 * A {@link #draft()} is a cheap copy for trying changes: it copies a pool's slots only when it first writes them.
 */
public final class SlotUsage {

    private final SlotUsage base;
    private final Map<PoolTimeline, int[]> gpusInUse = new HashMap<>();

    public SlotUsage() {
        this(null);
    }

    private SlotUsage(SlotUsage base) {
        this.base = base;
    }

    /** A copy to try changes on; this usage does not see them. */
    public SlotUsage draft() {
        return new SlotUsage(this);
    }

    /** Books the run where it is now (its pool and start). */
    public void book(Run run) {
        book(run, run.getPool(), run.getStartSlot());
    }

    public void book(Run run, PoolTimeline pool, int startSlot) {
        add(pool, startSlot, startSlot + run.getDurationSlots(), run.getGpus());
    }

    /** Frees what {@link #book(Run)} booked for the run where it is now. */
    public void release(Run run) {
        release(run, run.getPool(), run.getStartSlot());
    }

    public void release(Run run, PoolTimeline pool, int startSlot) {
        add(pool, startSlot, startSlot + run.getDurationSlots(), -run.getGpus());
    }

    private void add(PoolTimeline pool, int start, int end, int gpus) {
        int[] use = writable(pool);
        for (int slot = Math.max(0, start); slot < Math.min(end, use.length); slot++) {
            use[slot] += gpus;
        }
    }

    /** The first start from {@code earliest} where the pool has the run's GPUs free for its whole duration, or -1. */
    public int earliestFreeStart(PoolTimeline pool, Run run, int earliest) {
        return earliestFreeStart(pool, run, earliest, run.getLatestStartSlot());
    }

    /** The first start in {@code [earliest, latest]} where the pool has the run's GPUs free for its whole duration, or -1. */
    public int earliestFreeStart(PoolTimeline pool, Run run, int earliest, int latest) {
        int[] use = readable(pool);
        int start = Math.max(0, earliest);
        while (start <= latest) {
            int blocked = blockedSlot(pool, use, run, start);
            if (blocked < 0) {
                return start;
            }
            start = blocked + 1;
        }
        return -1;
    }

    /** Every start in {@code [earliest, latest]} where the pool has the run's GPUs free for its whole duration. */
    public List<Integer> freeStarts(PoolTimeline pool, Run run, int earliest, int latest) {
        int[] use = readable(pool);
        List<Integer> starts = new ArrayList<>();
        int start = Math.max(0, earliest);
        while (start <= latest) {
            int blocked = blockedSlot(pool, use, run, start);
            if (blocked < 0) {
                starts.add(start++);
            } else {
                start = blocked + 1;
            }
        }
        return starts;
    }

    /** The last slot at which the run would not fit if it started at {@code start}, or -1 when it fits. */
    private static int blockedSlot(PoolTimeline pool, int[] use, Run run, int start) {
        int end = start + run.getDurationSlots();
        if (end > use.length) {
            return Integer.MAX_VALUE - 1;
        }
        for (int slot = end - 1; slot >= start; slot--) {
            if (use[slot] + run.getGpus() > pool.capacityAt(slot)) {
                return slot;
            }
        }
        return -1;
    }

    private int[] readable(PoolTimeline pool) {
        int[] own = gpusInUse.get(pool);
        if (own != null) {
            return own;
        }
        return base != null ? base.readable(pool) : writable(pool);
    }

    private int[] writable(PoolTimeline pool) {
        return gpusInUse.computeIfAbsent(pool, p -> base != null ? base.readable(p).clone() : new int[p.slotCount()]);
    }
}
