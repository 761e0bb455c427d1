package dev.gpuplan.cli;

import dev.gpuplan.cluster.ExportException;
import dev.gpuplan.cluster.SlurmException;
import dev.gpuplan.input.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "gpuplan", mixinStandardHelpOptions = true, version = "gpuplan 0.1.0",
        description = "Plans GPU experiments: picks the runs that maximise expected value within a GPU-hour budget, "
                + "schedules them on GPU pools, and explains every choice.",
        subcommands = {SolveCommand.class, ExplainCommand.class, FrontierCommand.class, DiffCommand.class, SubmitCommand.class,
                PlansCommand.class, StopCommand.class, CommitCommand.class, RunsCommand.class, RunCommand.class, ActualsCommand.class,
                BudgetCommand.class, ReplanCommand.class, LoginCommand.class, TokenCommand.class, AuditCommand.class, ExportCommand.class,
                SyncCommand.class, GenerateCommand.class, ServeCommand.class, CommandLine.HelpCommand.class},
        footer = ExitCodes.HELP)
public final class GpuplanCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    /** The command line with gpuplan's error handling: bad input exits 2 with one line per error, never a stack trace. */
    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new GpuplanCommand());
        commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> {
            if (error instanceof ServiceClient.ServiceException failure) {
                cmd.getErr().println("gpuplan: " + failure.getMessage());
                return failure.exitCode;
            }
            if (error instanceof ExportException export) {
                cmd.getErr().println("gpuplan: " + export.getMessage().replace("\n", "\ngpuplan: "));
                return export.kind() == ExportException.Kind.INFEASIBLE ? ExitCodes.INFEASIBLE : ExitCodes.BAD_INPUT;
            }
            if (error instanceof SlurmException slurm) {
                cmd.getErr().println("gpuplan: " + slurm.getMessage());
                return ExitCodes.CLUSTER_ERROR;
            }
            if (error instanceof InvalidInputException invalid) {
                cmd.getErr().println("gpuplan: " + invalid.getMessage().replace("\n", "\ngpuplan: "));
                return ExitCodes.BAD_INPUT;
            }
            cmd.getErr().println("gpuplan: internal error: " + error);
            if (System.getenv("GPUPLAN_DEBUG") != null) {
                error.printStackTrace(cmd.getErr());
            }
            return ExitCodes.INTERNAL_ERROR;
        });
        commandLine.setParameterExceptionHandler((error, args) -> {
            CommandLine cmd = error.getCommandLine();
            cmd.getErr().println("gpuplan: " + error.getMessage());
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            return ExitCodes.BAD_INPUT;
        });
        return commandLine;
    }
}
