package dev.gpuplan.cluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm job states to run events, with no I/O. A job counts only if its comment is {@code gpuplan:<plan>/<proposal>}.
 * Each event's id is {@code slurm-<job id>-<submit time>-<type>}: the same job in the same state gives the same
 * id on every sync, so the service records it once however often the sync runs (the submit time tells apart two
 * jobs with the same id on a Slurm whose job counter was reset).
 * <ul>
 *   <li>PENDING: nothing, except a job that can never run because a dependency failed
 *       ({@code DependencyNeverSatisfied}): CANCELLED.</li>
 *   <li>RUNNING, SUSPENDED, COMPLETING: STARTED at its start.</li>
 *   <li>COMPLETED: STARTED, then FINISHED at its end with elapsed x GPUs as the actual GPU-hours.</li>
 *   <li>FAILED, TIMEOUT, NODE_FAIL, OUT_OF_MEMORY, BOOT_FAIL, DEADLINE, PREEMPTED: STARTED (if it started), then
 *       FAILED with the state, exit code and reason, and the GPU-hours it used.</li>
 *   <li>CANCELLED: STARTED (if it started), then CANCELLED.</li>
 * </ul>
 */
public final class SlurmEvents {

    private static final Pattern COMMENT = Pattern.compile("gpuplan:([A-Za-z0-9][A-Za-z0-9._-]{0,63})/([a-z0-9][a-z0-9._-]{0,63})");
    static final Set<String> RUNNING = Set.of("RUNNING", "SUSPENDED", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING");
    private static final Set<String> FAILED = Set.of("FAILED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "BOOT_FAIL", "DEADLINE", "PREEMPTED");

    private SlurmEvents() {
    }

    /** The plan and proposal a job's comment names, if it is a gpuplan job. */
    public record Origin(String plan, String proposal) {
    }

    public static Optional<Origin> origin(SlurmJob job) {
        if (job.comment() == null) {
            return Optional.empty();
        }
        Matcher m = COMMENT.matcher(job.comment().trim());
        return m.matches() ? Optional.of(new Origin(m.group(1), m.group(2))) : Optional.empty();
    }

    /**
     * The events of {@code jobs}, job by job in the order given; jobs without a gpuplan comment are skipped.
     * {@code poolOfPartition} names the pool a partition stands for (empty: the STARTED event names no pool).
     */
    public static List<RunEvent> events(List<SlurmJob> jobs, Function<String, Optional<String>> poolOfPartition) {
        List<RunEvent> events = new ArrayList<>();
        for (SlurmJob job : jobs) {
            origin(job).ifPresent(origin -> events.addAll(events(job, origin.proposal(),
                    job.partition() == null ? null : poolOfPartition.apply(job.partition()).orElse(null))));
        }
        return events;
    }

    static List<RunEvent> events(SlurmJob job, String proposal, String pool) {
        String state = baseState(job.state());
        List<RunEvent> events = new ArrayList<>();
        boolean started = job.start() != null && (job.end() == null || !job.start().isAfter(job.end()))
                && !"PENDING".equals(state);
        if ("PENDING".equals(state)) {
            if ("DependencyNeverSatisfied".equals(job.reason())) {
                events.add(event(job, proposal, RunEvent.Type.CANCELLED, job.submit(), null, null,
                        "a job it depends on did not finish successfully (Slurm: DependencyNeverSatisfied)"));
            }
            return events;
        }
        if (started && (RUNNING.contains(state) || "COMPLETED".equals(state) || FAILED.contains(state) || "CANCELLED".equals(state))) {
            events.add(event(job, proposal, RunEvent.Type.STARTED, job.start(), null, pool, null));
        }
        if ("COMPLETED".equals(state) && started && job.end() != null) {
            events.add(event(job, proposal, RunEvent.Type.FINISHED, job.end(), gpuHours(job), null, null));
        } else if (FAILED.contains(state) && job.end() != null) {
            events.add(event(job, proposal, RunEvent.Type.FAILED, job.end(), started ? gpuHours(job) : BigDecimal.ZERO, null,
                    failure(job, state)));
        } else if ("CANCELLED".equals(state)) {
            events.add(event(job, proposal, RunEvent.Type.CANCELLED, job.end() != null ? job.end() : job.submit(), null, null,
                    "DependencyNeverSatisfied".equals(job.reason())
                            ? "a job it depends on did not finish successfully (Slurm: DependencyNeverSatisfied)"
                            : "Slurm job " + job.jobId() + " cancelled"));
        }
        return events;
    }

    /** {@code CANCELLED by 0} and {@code RUNNING+...} as Slurm may print them: the state word alone. */
    static String baseState(String state) {
        if (state == null) {
            return "";
        }
        String word = state.trim().split("[ +,]")[0];
        return word.toUpperCase(java.util.Locale.ROOT);
    }

    /** Elapsed x GPUs, in GPU-hours to the thousandth (rounded up: a started second is used). */
    static BigDecimal gpuHours(SlurmJob job) {
        long seconds = Math.max(0, Duration.between(job.start(), job.end()).toSeconds());
        return BigDecimal.valueOf(seconds * (long) job.gpus()).divide(BigDecimal.valueOf(3600), 3, RoundingMode.CEILING)
                .stripTrailingZeros();
    }

    private static String failure(SlurmJob job, String state) {
        StringBuilder reason = new StringBuilder("Slurm job ").append(job.jobId()).append(' ').append(state);
        if (job.exitCode() != null) {
            reason.append(", exit code ").append(job.exitCode());
        }
        if (job.signal() != 0) {
            reason.append(", signal ").append(job.signal());
        }
        if (job.reason() != null && !job.reason().isBlank() && !job.reason().equals("None")) {
            reason.append(" (").append(job.reason()).append(')');
        }
        return reason.toString();
    }

    private static RunEvent event(SlurmJob job, String proposal, RunEvent.Type type, java.time.Instant at, BigDecimal gpuHours,
                                  String pool, String reason) {
        long submitted = job.submit() == null ? 0 : job.submit().getEpochSecond();
        return new RunEvent(proposal, type, at, gpuHours, pool, reason,
                "slurm-" + job.jobId() + "-" + submitted + "-" + type.name().toLowerCase(java.util.Locale.ROOT));
    }
}
