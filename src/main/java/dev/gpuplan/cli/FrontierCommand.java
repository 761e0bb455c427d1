package dev.gpuplan.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gpuplan.input.BudgetRange;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.analysis.Frontier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "frontier", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Solves the same portfolio at each budget and prints, per point, the budget, GPU-hours used, "
                + "expected value, runs selected and the marginal expected value per extra GPU-hour, so you see where "
                + "the curve flattens. The curve is monotone: a point below its predecessor is re-solved from the "
                + "predecessor's plan. --time-limit applies to each point (default: the config's, at most 8s).",
        footer = ExitCodes.HELP)
public final class FrontierCommand implements Callable<Integer> {

    @Mixin
    PortfolioInput input;

    @Option(names = "--budgets", required = true, paramLabel = "LIST",
            description = "Budgets in GPU-hours: 500,1000,2000 or FROM:TO:STEP such as 500:4000:250.")
    String budgets;

    @ArgGroup(exclusive = true)
    Format format = new Format();

    @Option(names = "--svg", paramLabel = "OUT.svg", description = "Also write the curve as an SVG a browser opens as is.")
    Path svg;

    static final class Format {
        @Option(names = "--json", description = "Print {points: [{budgetGpuHours, gpuHours, expectedValue, selected, marginalValuePerGpuHour, plan}]}.")
        boolean json;
        @Option(names = "--csv", description = "Print the points as CSV.")
        boolean csv;
    }

    @Override
    public Integer call() throws IOException {
        List<BigDecimal> list = BudgetRange.parse(budgets);
        if (list == null) {
            throw InvalidInputException.of("--budgets", "", "", "must be numbers > 0 like 500,1000,2000 or FROM:TO:STEP like 500:4000:250 "
                    + "(at most " + BudgetRange.MAX_RANGE_POINTS + " points), got '" + budgets + "'");
        }
        long started = System.nanoTime();
        List<Frontier.Point> points = Frontier.compute(input.portfolio(), input.planningConfig(), list, input.timeLimit,
                Runtime.getRuntime().availableProcessors(), line -> System.err.printf("[%5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line));
        if (svg != null) {
            Files.writeString(svg, FrontierSvg.render(points, input.file.getFileName().toString()));
            System.err.println("Wrote " + svg);
        }
        if (format.json) {
            System.out.println(Json.writePretty(Map.of("points", points)));
        } else if (format.csv) {
            System.out.println("budgetGpuHours,gpuHours,expectedValue,selected,marginalValuePerGpuHour");
            points.forEach(p -> System.out.println(String.join(",", p.budgetGpuHours().toPlainString(), p.gpuHours().toPlainString(),
                    p.expectedValue().toPlainString(), Integer.toString(p.selected()),
                    p.marginalValuePerGpuHour() == null ? "" : p.marginalValuePerGpuHour().toPlainString())));
        } else {
            String row = "%12s  %12s  %14s  %8s  %22s  %s%n";
            System.out.printf(row, "BUDGET", "GPU-HOURS", "EXPECTED VALUE", "SELECTED", "MARGINAL VALUE/GPU-H", "ADDED RUNS");
            for (Frontier.Point p : points) {
                String added = p.added().size() > 6 ? String.join(", ", p.added().subList(0, 6)) + ", ... (" + p.added().size() + ")"
                        : String.join(", ", p.added());
                System.out.printf(row, p.budgetGpuHours().toPlainString(), p.gpuHours().toPlainString(), p.expectedValue().toPlainString(),
                        p.selected(), p.marginalValuePerGpuHour() == null ? "-" : p.marginalValuePerGpuHour().toPlainString(), added);
            }
        }
        return ExitCodes.OK;
    }
}
