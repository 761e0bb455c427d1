package dev.gpuplan.solver;

import org.optaplanner.core.api.domain.lookup.PlanningId;

/** A pool as the solver sees it: how many GPUs it has free in each slot (0 inside unavailable windows). */
public class PoolTimeline {

    @PlanningId
    private String name;
    private String gpuType;
    private int gpus;
    private int[] capacityBySlot;

    PoolTimeline() {
    }

    public PoolTimeline(String name, String gpuType, int gpus, int[] capacityBySlot) {
        this.name = name;
        this.gpuType = gpuType;
        this.gpus = gpus;
        this.capacityBySlot = capacityBySlot;
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
