package dev.gpuplan.solver;

import java.util.HashMap;
import java.util.Map;

/** GPUs in use per pool and slot in a (partial) plan, for placing runs outside of score calculation. */
final class SlotUsage {

    private final Map<PoolTimeline, int[]> gpusInUse = new HashMap<>();

    void book(Run run) {
        int[] use = of(run.getPool());
        for (int slot = Math.max(0, run.getStartSlot()); slot < Math.min(run.endSlot(), use.length); slot++) {
            use[slot] += run.getGpus();
        }
    }

    /** The first start from {@code earliest} where the pool has the run's GPUs free for its whole duration, or -1. */
    int earliestFreeStart(PoolTimeline pool, Run run, int earliest) {
        int[] use = of(pool);
        int start = earliest;
        while (start <= run.getLatestStartSlot()) {
            int blocked = -1;
            for (int slot = start; slot < start + run.getDurationSlots(); slot++) {
                if (use[slot] + run.getGpus() > pool.capacityAt(slot)) {
                    blocked = slot;
                    break;
                }
            }
            if (blocked < 0) {
                return start;
            }
            start = blocked + 1;
        }
        return -1;
    }

    private int[] of(PoolTimeline pool) {
        return gpusInUse.computeIfAbsent(pool, p -> new int[p.slotCount()]);
    }
}
