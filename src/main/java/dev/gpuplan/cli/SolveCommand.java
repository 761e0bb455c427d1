package dev.gpuplan.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.solver.PlanSolver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Solves a portfolio locally (no server, no database) and prints the plan: "
                + "selected runs by pool and start, GPU-hours used against the budget, expected value, "
                + "and every unselected proposal with its reason.",
        footer = ExitCodes.HELP)
public final class SolveCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "Portfolio file (YAML or JSON): horizon, budget, pools, proposals.")
    Path file;

    @Option(names = "--budget", paramLabel = "GPU_HOURS", converter = BudgetText.class,
            description = "GPU-hour budget (2000, 2000h or 2000-gpu-hours); replaces budget.gpuHours of the file.")
    BigDecimal budget;

    @Option(names = "--config", paramLabel = "NAME", defaultValue = PlanningConfigs.DEFAULT_NAME,
            description = "Planning config: planning-configs/NAME.yaml (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Directory of planning configs (default: $GPUPLAN_CONFIG_DIR, else ./planning-configs, else the packaged defaults).")
    String configDir;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = TimeLimitText.class,
            description = "Solver time limit such as 30s, 2m (default: the config's solver.timeLimit).")
    Duration timeLimit;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    @Option(names = {"-v", "--verbose"}, description = "Show solver progress on stderr even with --json or --csv.")
    boolean verbose;

    static final class Format {
        @Option(names = "--json", description = "Print the plan as JSON (the REST plan shape).")
        boolean json;
        @Option(names = "--csv", description = "Print the assignments as CSV.")
        boolean csv;
    }

    @Override
    public Integer call() {
        Portfolio portfolio = PortfolioReader.read(file);
        if (budget != null) {
            portfolio = portfolio.withBudgetGpuHours(budget);
        } else if (portfolio.budget() == null) {
            throw InvalidInputException.of(file.toString(), "budget", "gpuHours", "is required: give it in the file or pass --budget");
        }
        PlanningConfig planningConfig = PlanningConfigs.locate(configDir).load(config);
        boolean quiet = (format.json || format.csv) && !verbose;
        Plan plan = PlanSolver.solve(portfolio, planningConfig, timeLimit, quiet ? progress -> { } : new ProgressLine(System.err));
        PlanPrinter printer = new PlanPrinter(System.out);
        if (format.json) {
            printer.json(plan);
        } else if (format.csv) {
            printer.csv(plan);
        } else {
            printer.table(plan);
        }
        return plan.feasible() ? ExitCodes.OK : ExitCodes.INFEASIBLE;
    }

    /** Best score so far on stderr, once a second, from two seconds in; redrawn in place on a terminal. */
    static final class ProgressLine implements Consumer<PlanSolver.Progress> {
        private final PrintStream err;
        private final boolean terminal = System.console() != null;
        private long lastPrintedSecond = 1;

        ProgressLine(PrintStream err) {
            this.err = err;
        }

        @Override
        public void accept(PlanSolver.Progress progress) {
            long second = progress.elapsed().toSeconds();
            if (second <= lastPrintedSecond) {
                return;
            }
            lastPrintedSecond = second;
            String line = String.format("solving %4ds  best: expected value %s, %s", second,
                    BigDecimal.valueOf(progress.score().mediumScore(), 3).stripTrailingZeros().toPlainString(),
                    progress.feasible() ? "feasible" : "infeasible (" + -progress.score().hardScore() + " hard)");
            err.print(terminal ? "\r" + line + "   " : line + System.lineSeparator());
            err.flush();
        }
    }
}
