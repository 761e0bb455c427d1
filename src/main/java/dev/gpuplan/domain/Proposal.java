package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One candidate experiment. Cost is {@link #gpuHours()}; what it is worth is {@link #expectedValue()}.
 * Optional fields are {@code null} when absent; {@code dependsOn} is never null. {@code command} is what a
 * cluster runs for it (a shell command line, exported to Slurm scripts and Kubernetes Jobs); the solver ignores it.
 * {@code pilot} names a cheaper proposal whose success ({@code pilotSuccessProbability}, default 1) gates this one: it
 * starts after its pilot ends, and is worth {@code pilotSuccessProbability} x its own expected value.
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
        String command,
        String pilot,
        BigDecimal pilotSuccessProbability) {

    public Proposal {
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
        successProbability = successProbability == null ? BigDecimal.ONE : successProbability;
        pilotSuccessProbability = pilot == null ? null : pilotSuccessProbability == null ? BigDecimal.ONE : pilotSuccessProbability;
    }

    /** A proposal not gated by a pilot. */
    public Proposal(String key, String title, String team, String owner, BigDecimal value, BigDecimal successProbability,
                    String gpuType, int gpus, BigDecimal hours, List<String> dependsOn, String exclusiveGroup,
                    Instant earliestStart, Instant deadline, boolean required, Pin pinned, String command) {
        this(key, title, team, owner, value, successProbability, gpuType, gpus, hours, dependsOn, exclusiveGroup,
                earliestStart, deadline, required, pinned, command, null, null);
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

    /** {@code value x successProbability}, times {@code pilotSuccessProbability} for a run gated by a pilot. */
    public BigDecimal expectedValue() {
        BigDecimal expected = value.multiply(successProbability);
        return pilot == null ? expected : expected.multiply(pilotSuccessProbability);
    }

    /** What must be selected and end before this one starts: its {@code dependsOn}, then its pilot. */
    public List<String> prerequisites() {
        if (pilot == null || dependsOn.contains(pilot)) {
            return dependsOn;
        }
        List<String> all = new java.util.ArrayList<>(dependsOn);
        all.add(pilot);
        return List.copyOf(all);
    }

    /** The same proposal with another pilot gate (null: none). */
    public Proposal withPilot(String pilotKey, BigDecimal probability) {
        return new Proposal(key, title, team, owner, value, successProbability, gpuType, gpus, hours, dependsOn, exclusiveGroup,
                earliestStart, deadline, required, pinned, command, pilotKey, probability);
    }

    public boolean fitsOn(Pool pool) {
        return (gpuType == null || gpuType.equals(pool.gpuType())) && gpus <= pool.gpus();
    }

    /** A run that is already running or fixed: the solver keeps its pool and start. */
    public record Pin(String pool, Instant start) {
    }
}
