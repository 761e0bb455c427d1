package dev.gpuplan.cluster;

/** A plan that cannot be exported, or a directory that cannot take it: the message says which and why. */
public final class ExportException extends RuntimeException {

    public enum Kind {
        /** The plan is not SOLVED, or a pool cannot be mapped: the input is wrong. */
        BAD_INPUT,
        /** The plan breaks a hard rule: sending it to a cluster would break it there too. */
        INFEASIBLE,
        /** The directory cannot be written. */
        IO
    }

    private final Kind kind;

    public ExportException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
