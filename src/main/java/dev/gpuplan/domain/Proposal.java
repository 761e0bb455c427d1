package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One candidate experiment. Cost is {@link #gpuHours()}; what it is worth is {@link #expectedValue()}.
 * Optional fields are {@code null} when absent; {@code dependsOn} is never null. {@code command} is what a
 * cluster runs for it (a shell command line, exported to Slurm scripts and Kubernetes Jobs); the solver ignores it.
 */
public record Proposal(
        String key,
        String title,
        String team,
        String owner,
        BigDecimal value,
        BigDecimal successProbability,
        String gpuType,
        int gpus,
        BigDecimal hours,
        List<String> dependsOn,
        String exclusiveGroup,
        Instant earliestStart,
        Instant deadline,
        boolean required,
        Pin pinned,
        String command) {

    public Proposal {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        successProbability = successProbability == null ? BigDecimal.ONE : successProbability;
    }

    /** A proposal without a command. */
    public Proposal(String key, String title, String team, String owner, BigDecimal value, BigDecimal successProbability,
                    String gpuType, int gpus, BigDecimal hours, List<String> dependsOn, String exclusiveGroup,
                    Instant earliestStart, Instant deadline, boolean required, Pin pinned) {
        this(key, title, team, owner, value, successProbability, gpuType, gpus, hours, dependsOn, exclusiveGroup,
                earliestStart, deadline, required, pinned, null);
    }

    /** Cost: {@code gpus x hours}. */
    public BigDecimal gpuHours() {
        return hours.multiply(BigDecimal.valueOf(gpus));
    }

    /** {@code value x successProbability}. */
    public BigDecimal expectedValue() {
        return value.multiply(successProbability);
    }

    public boolean fitsOn(Pool pool) {
        return (gpuType == null || gpuType.equals(pool.gpuType())) && gpus <= pool.gpus();
    }

    /** A run that is already running or fixed: the solver keeps its pool and start. */
    public record Pin(String pool, Instant start) {
    }
}
