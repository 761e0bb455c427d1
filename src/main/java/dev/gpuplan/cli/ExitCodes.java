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

    static final String HELP = "%nExit codes:%n"
            + "  0  ok%n"
            + "  1  solved, but the plan is infeasible (a hard rule is broken)%n"
            + "  2  bad input (the message names the file, the entry and the field)%n"
            + "  3  internal error%n";

    private ExitCodes() {
    }
}
