package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A committed run of a proposal (one attempt): where and when it was planned, and what its events made of it.
 * {@code pool}, {@code start} and {@code end} are the actual ones once known (the planned pool until it starts);
 * {@code actualGpuHours} is set once a started run has ended.
 */
public record Run(
        String proposal,
        String team,
        RunStatus status,
        int attempt,
        String pool,
        Instant plannedStart,
        Instant plannedEnd,
        Instant start,
        Instant end,
        int gpus,
        BigDecimal hours,
        BigDecimal estimatedGpuHours,
        BigDecimal actualGpuHours,
        String planId,
        String reason) {

    /** GPU-hours used up to {@code now}: the actual use once ended, GPUs x elapsed while STARTED, else 0. */
    public BigDecimal usedGpuHours(Instant now) {
        if (actualGpuHours != null) {
            return actualGpuHours;
        }
        if (status == RunStatus.STARTED) {
            return RunLifecycle.gpuHoursBetween(gpus, start, now);
        }
        return BigDecimal.ZERO;
    }

    /** What is still expected to be used: the estimate of a PLANNED run, the estimate less use so far of a STARTED one. */
    public BigDecimal expectedRemainderGpuHours(Instant now) {
        return switch (status) {
            case PLANNED -> estimatedGpuHours;
            case STARTED -> estimatedGpuHours.subtract(usedGpuHours(now)).max(BigDecimal.ZERO);
            default -> BigDecimal.ZERO;
        };
    }

    /** When a STARTED run is expected to end: its start plus its estimated hours. */
    public Instant expectedEnd() {
        long seconds = hours.multiply(BigDecimal.valueOf(3600)).longValue();
        return (start == null ? plannedStart : start).plusSeconds(seconds);
    }
}
