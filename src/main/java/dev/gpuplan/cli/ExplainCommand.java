package dev.gpuplan.cli;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.solver.PlanSolver;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Solves the portfolio and explains one proposal: selected or not, why, and what would change the "
                + "decision (wouldBeSelectedIf: valueAtLeast, hoursAtMost, budgetGpuHoursAtLeast; displaces). "
                + "Every threshold is verified by re-solving with the changed input.",
        footer = ExitCodes.HELP)
public final class ExplainCommand implements Callable<Integer> {

    @Mixin
    PortfolioInput input;

    @Parameters(index = "1", paramLabel = "KEY", description = "The proposal to explain.")
    String key;

    @Option(names = "--resolve-limit", paramLabel = "DURATION", converter = TimeLimitText.class, defaultValue = "2s",
            description = "Time limit of each verifying re-solve (default: ${DEFAULT-VALUE}).")
    Duration resolveLimit;

    @Option(names = "--json", description = "Print {proposal, selected, reasons, wouldBeSelectedIf, displaces} as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Portfolio portfolio = input.portfolio();
        if (portfolio.proposals().stream().noneMatch(p -> p.key().equals(key))) {
            throw InvalidInputException.of(input.file.toString(), "", "KEY", "names no proposal of the file: \"" + key + "\"");
        }
        PlanningConfig config = input.planningConfig();
        System.err.println("Solving the portfolio...");
        Plan plan = Plans.solve(portfolio, config, input.timeLimit, progress -> { });
        System.err.println("Verifying what would change the decision for " + key + "...");
        Counterfactuals.Explanation explanation = new Counterfactuals(portfolio, config, resolveLimit, System.err::println).explain(plan, key);
        if (json) {
            System.out.println(Json.writePretty(Map.of(
                    "proposal", explanation.proposal(),
                    "selected", explanation.selected(),
                    "reasons", explanation.reasons(),
                    "wouldBeSelectedIf", explanation.wouldBeSelectedIf(),
                    "displaces", explanation.displaces())));
        } else {
            print(explanation);
        }
        return ExitCodes.OK;
    }

    private static void print(Counterfactuals.Explanation explanation) {
        System.out.printf("%s is %s.%n", explanation.proposal(), explanation.selected() ? "SELECTED" : "NOT selected");
        for (Plan.Unselected reason : explanation.reasons()) {
            System.out.printf("  %s: %s%n", reason.code(), reason.message());
        }
        if (explanation.selected()) {
            return;
        }
        if (explanation.wouldBeSelectedIf().isEmpty()) {
            System.out.println("No change of its value, its hours or the budget gets it selected.");
        } else {
            System.out.println("It was selected when re-solved with (each change alone):");
            explanation.wouldBeSelectedIf().forEach((what, threshold) -> System.out.printf("  %-22s %s%n", what, threshold.toPlainString()));
        }
        if (!explanation.displaces().isEmpty()) {
            System.out.println("At that value it displaces: " + String.join(", ", explanation.displaces()));
        }
    }
}
