package dev.gpuplan.solver;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

import org.optaplanner.core.api.score.stream.uni.UniConstraintCollector;

/**
 * GPUs in use per slot on one pool, and the total overflow over the pool's capacity in GPU-slots.
 * Kept incrementally: adding or removing a run costs O(its duration), independent of how many other
 * runs share the pool. This is what makes the capacity rule exact for multi-GPU runs (a cumulative
 * resource) yet cheap enough for 10,000 runs.
 */
final class PoolLoad {

    private int[] gpusInUse;
    private PoolTimeline pool;
    private long overflowGpuSlots;

    /** Groups runs by pool and yields each pool's overflow in GPU-slots (0 when it fits). */
    static UniConstraintCollector<Run, PoolLoad, Long> overflow() {
        return new UniConstraintCollector<>() {
            @Override
            public Supplier<PoolLoad> supplier() {
                return PoolLoad::new;
            }

            @Override
            public BiFunction<PoolLoad, Run, Runnable> accumulator() {
                return (load, run) -> {
                    // Capture the values now: when the run is retracted it may already have moved.
                    PoolTimeline pool = run.getPool();
                    int start = run.getStartSlot();
                    int end = run.endSlot();
                    int gpus = run.getGpus();
                    load.add(pool, start, end, gpus);
                    return () -> load.add(pool, start, end, -gpus);
                };
            }

            @Override
            public Function<PoolLoad, Long> finisher() {
                return load -> load.overflowGpuSlots;
            }
        };
    }

    private void add(PoolTimeline pool, int start, int end, int gpus) {
        if (gpusInUse == null) {
            this.pool = pool;
            gpusInUse = new int[pool.slotCount()];
        }
        for (int slot = Math.max(0, start); slot < end; slot++) {
            if (slot >= gpusInUse.length) {
                // Outside the horizon there is no capacity: every GPU there overflows.
                overflowGpuSlots += gpus;
                continue;
            }
            int capacity = this.pool.capacityAt(slot);
            int before = Math.max(0, gpusInUse[slot] - capacity);
            gpusInUse[slot] += gpus;
            int after = Math.max(0, gpusInUse[slot] - capacity);
            overflowGpuSlots += after - before;
        }
    }
}
