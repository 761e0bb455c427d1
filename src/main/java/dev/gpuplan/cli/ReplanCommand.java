package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Replans the service's stored proposals from now: the horizon starts at the current slot, running runs stay "
                + "pinned on their pool for what is left of them, finished and failed runs are not proposed again (unless --retry), "
                + "planned runs may move or drop, and the budget is the period's (or --budget) less what was spent. "
                + "The plan lists what changed against the committed plan.",
        footer = ExitCodes.HELP)
public final class ReplanCommand implements Callable<Integer> {

    @Option(names = "--budget", paramLabel = "GPU_HOURS", converter = BudgetText.class,
            description = "The period's total budget (default: the stored one); what was spent is taken off.")
    BigDecimal budget;

    @Option(names = "--retry", paramLabel = "KEY", split = ",", description = "Failed runs to propose again, as a new attempt.")
    List<String> retry = new ArrayList<>();

    @Option(names = "--config", paramLabel = "NAME", description = "Planning config on the service (default: the service's default).")
    String config;

    @Option(names = "--time-limit", paramLabel = "DURATION", converter = TimeLimitText.class,
            description = "Solver time limit such as 30s (default: the config's).")
    java.time.Duration timeLimit;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--wait", description = "Show progress while the service solves, then print the plan.")
    boolean await;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("replan", true);
        if (budget != null) {
            request.put("budgetGpuHours", budget);
        }
        if (!retry.isEmpty()) {
            request.put("retry", retry);
        }
        if (config != null) {
            request.put("config", config);
        }
        if (timeLimit != null) {
            request.put("timeLimitSeconds", Math.max(1, timeLimit.toSeconds()));
        }
        Plan plan = client.createPlan(Json.write(request));
        System.err.printf("Replan %s is %s: %s%n", plan.id(), plan.status(), client.url("/api/plans/" + plan.id()));
        if (!await) {
            if (json) {
                new PlanPrinter(System.out).json(plan);
            } else {
                System.out.println(plan.id());
            }
            return ExitCodes.OK;
        }
        return new SubmitCommand.PlanWatcher(client, System.err, json).watch(plan.id());
    }
}
