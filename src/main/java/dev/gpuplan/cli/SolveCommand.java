package dev.gpuplan.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.solver.PlanSolver;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "solve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Solves a portfolio locally (no server, no database) and prints the plan: "
                + "selected runs by pool and start, GPU-hours used against the budget, expected value, "
                + "and every unselected proposal with its reason.",
        footer = ExitCodes.HELP)
public final class SolveCommand implements Callable<Integer> {

    @Mixin
    PortfolioInput input;

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
        boolean quiet = (format.json || format.csv) && !verbose;
        Plan plan = Plans.solve(input.portfolio(), input.planningConfig(), input.timeLimit,
                quiet ? progress -> { } : new ProgressLine(System.err));
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
