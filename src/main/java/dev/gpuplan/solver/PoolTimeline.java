package dev.gpuplan.solver;

import org.optaplanner.core.api.domain.lookup.PlanningId;

/** A pool as the solver sees it: how many GPUs it has free in each slot (0 inside unavailable windows). */
public class PoolTimeline {

    @PlanningId
    private String name;
    private String gpuType;
    private int gpus;
    private int[] capacityBySlot;
    private long slotMilliHours;

    PoolTimeline() {
    }

    /** A pool planned in one-hour slots. */
    public PoolTimeline(String name, String gpuType, int gpus, int[] capacityBySlot) {
        this(name, gpuType, gpus, capacityBySlot, 1000);
    }

    /** @param slotMilliHours a slot's length in thousandths of an hour (rounded up): turns GPU-slots into GPU-hours */
    public PoolTimeline(String name, String gpuType, int gpus, int[] capacityBySlot, long slotMilliHours) {
        this.name = name;
        this.gpuType = gpuType;
        this.gpus = gpus;
        this.capacityBySlot = capacityBySlot;
        this.slotMilliHours = slotMilliHours;
    }

    public String getName() {
        return name;
    }

    public String getGpuType() {
        return gpuType;
    }

    public int getGpus() {
        return gpus;
    }

    /** A slot's length in thousandths of an hour, rounded up. */
    public long getSlotMilliHours() {
        return slotMilliHours;
    }

    /** Thousandths of a GPU-hour of {@code gpuSlots} GPU-slots on this pool. */
    public long gpuMilliHours(long gpuSlots) {
        return gpuSlots * slotMilliHours;
    }

    public int slotCount() {
        return capacityBySlot.length;
    }

    /** GPUs available in {@code slot}; 0 outside the horizon. */
    public int capacityAt(int slot) {
        return slot >= 0 && slot < capacityBySlot.length ? capacityBySlot[slot] : 0;
    }

    @Override
    public String toString() {
        return name;
    }
}
