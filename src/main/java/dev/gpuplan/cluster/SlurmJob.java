package dev.gpuplan.cluster;

import java.time.Instant;

/**
 * One Slurm job as the sync needs it, whichever command reported it.
 *
 * @param state      Slurm's job state: PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT, ...
 * @param reason     Slurm's state reason (e.g. {@code NonZeroExitCode}, {@code DependencyNeverSatisfied}); may be null
 * @param exitCode   the batch script's exit status, or null when unknown
 * @param signal     the signal that ended it, 0 when none
 * @param start      null when it never started
 * @param end        when it ended (completed, failed, or was cancelled, even before it ran); null while running or pending
 * @param gpus       the GPUs it holds (GRES gpu over all its nodes)
 */
public record SlurmJob(long jobId, String name, String comment, String partition, String state, String reason,
                       Integer exitCode, int signal, Instant submit, Instant start, Instant end, int gpus) {
}
