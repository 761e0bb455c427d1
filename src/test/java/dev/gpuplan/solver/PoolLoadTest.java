package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.stream.uni.UniConstraintCollector;

/**
 * The incremental collector behind pool-capacity: adding and retracting runs in any order always
 * yields the overflow a from-scratch count gives, and retracting undoes exactly what was added even
 * after the run has moved.
 */
class PoolLoadTest {

    static final int HORIZON = 12;
    /** 8 GPUs, down in slots 3 and 4. */
    static final PoolTimeline POOL = new PoolTimeline("a100", "A100", 8, new int[] {8, 8, 8, 0, 0, 8, 8, 8, 8, 8, 8, 8});

    private final UniConstraintCollector<Run, PoolLoad, Long> collector = PoolLoad.overflow();
    private final PoolLoad load = collector.supplier().get();
    private int nextId;

    Run placed(int gpus, int start, int slots) {
        Run run = new Run(nextId++, "r" + nextId, "vision", gpus, slots, gpus * slots * 1000L, 0, 0, HORIZON - slots, List.of(POOL));
        run.setPool(POOL);
        run.setStartSlot(start);
        return run;
    }

    Runnable add(Run run) {
        return collector.accumulator().apply(load, run);
    }

    long overflow() {
        return collector.finisher().apply(load);
    }

    /** The overflow counted from scratch, slot by slot (no capacity beyond the horizon). */
    static long overflowFromScratch(List<Run> runs) {
        long overflow = 0;
        for (int slot = 0; slot < HORIZON + 8; slot++) {
            int inUse = 0;
            for (Run run : runs) {
                if (run.getStartSlot() <= slot && slot < run.endSlot()) {
                    inUse += run.getGpus();
                }
            }
            overflow += Math.max(0, inUse - POOL.capacityAt(slot));
        }
        return overflow;
    }

    @Test
    void emptyLoadHasNoOverflow() {
        assertThat(overflow()).isZero();
    }

    @Test
    void retractingInAnotherOrderThanAddingRestoresEachStep() {
        Runnable a = add(placed(6, 0, 4));   // 6 6 6 6       -> slots 3 (maintenance): 6
        assertThat(overflow()).isEqualTo(6);
        Runnable b = add(placed(4, 1, 2));   // +4 in 1, 2    -> 2 + 2
        assertThat(overflow()).isEqualTo(6 + 2 + 2);
        Runnable c = add(placed(8, 2, 1));   // +8 in 2       -> slot 2: 18 - 8 = 10
        assertThat(overflow()).isEqualTo(6 + 2 + 10);

        b.run();                             // slot 1 fits again, slot 2: 14 - 8 = 6
        assertThat(overflow()).isEqualTo(6 + 6);
        a.run();                             // only c: 8 in slot 2 fits
        assertThat(overflow()).isZero();
        c.run();
        assertThat(overflow()).isZero();
    }

    @Test
    void retractingAMovedRunUndoesWhereItWasCounted() {
        Run run = placed(5, 2, 2);           // slot 3 is down: 5
        Runnable undo = add(run);
        assertThat(overflow()).isEqualTo(5);

        run.setStartSlot(6);                 // the solver moves it before the collector retracts it
        undo.run();
        assertThat(overflow()).isZero();
        add(run);
        assertThat(overflow()).isZero();
    }

    @Test
    void slotsBeyondTheHorizonOverflowAndAreRetracted() {
        Runnable undo = add(placed(3, HORIZON - 1, 3));
        assertThat(overflow()).isEqualTo(3 * 2);
        undo.run();
        assertThat(overflow()).isZero();
    }

    @Test
    void randomAddsAndRetractsMatchACountFromScratch() {
        Random random = new Random(0);
        List<Run> live = new ArrayList<>();
        List<Runnable> undos = new ArrayList<>();
        for (int step = 0; step < 2_000; step++) {
            if (live.isEmpty() || random.nextInt(5) < 3) {
                Run run = placed(1 + random.nextInt(8), random.nextInt(HORIZON), 1 + random.nextInt(4));
                undos.add(add(run));
                live.add(run);
            } else {
                int victim = random.nextInt(live.size());
                undos.remove(victim).run();
                live.remove(victim);
            }
            assertThat(overflow()).as("step %d with %s", step, live).isEqualTo(overflowFromScratch(live));
        }
        undos.forEach(Runnable::run);
        assertThat(overflow()).isZero();
    }
}
