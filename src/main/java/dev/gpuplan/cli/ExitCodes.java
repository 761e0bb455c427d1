package dev.gpuplan.cli;

/** The exit codes of every command (SPEC section 4), listed in {@code gpuplan --help}. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The plan was solved but breaks a hard rule. */
    public static final int INFEASIBLE = 1;
    /** Bad input: the message names the file, the entry and the field. */
    public static final int BAD_INPUT = 2;
    /** Something failed that is not the input's fault. */
    public static final int INTERNAL_ERROR = 3;
    /** The service cannot be reached (refused, timed out). */
    public static final int UNREACHABLE = 4;
    /** The service answered with an error that is not the input's fault. */
    public static final int SERVICE_ERROR = 5;
    /** The plan (or another resource) asked for does not exist. */
    public static final int NOT_FOUND = 6;
    /** The service needs a valid token and got none, or one that is unknown, expired or revoked (401). */
    public static final int NOT_SIGNED_IN = 7;
    /** The token is valid but its holder may not do this (403). */
    public static final int FORBIDDEN = 8;
    /** Slurm cannot be run, or answered with an error (sync); or the service refused some run events. */
    public static final int CLUSTER_ERROR = 9;
    /** Waiting was interrupted (Ctrl-C); the plan goes on solving. */
    public static final int INTERRUPTED = 130;

    static final String HELP = "%nExit codes:%n"
            + "  0  ok%n"
            + "  1  solved, but the plan is infeasible (a hard rule is broken)%n"
            + "  2  bad input (the message names the file, the entry and the field)%n"
            + "  3  internal error%n"
            + "  4  the service cannot be reached (submit, plans, stop)%n"
            + "  5  the service answered with an error%n"
            + "  6  no such plan%n"
            + "  7  not signed in: no token, or a token that is unknown, expired or revoked%n"
            + "  8  signed in, but not allowed to do this (role or team)%n"
            + "  9  Slurm cannot be run or answered with an error, or the service refused run events (sync)%n"
            + "  130  interrupted while waiting (the plan keeps solving)%n";

    private ExitCodes() {
    }
}
