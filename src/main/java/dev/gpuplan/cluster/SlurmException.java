package dev.gpuplan.cluster;

/** Slurm cannot be run, or answered with an error: the message says which command and what it said. */
public final class SlurmException extends RuntimeException {

    public SlurmException(String message) {
        super(message);
    }
}
