package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gpuplan.domain.Ledger;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "budget", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Shows the planning period's ledger on the service: budget, spent (actual use of ended runs and use so far of "
                + "running ones), committed (expected remainder of running runs and estimates of planned ones), free, reserve; "
                + "per team as well. With --set, first stores the period's budget.",
        footer = ExitCodes.HELP)
public final class BudgetCommand implements Callable<Integer> {

    @Option(names = "--set", paramLabel = "GPU_HOURS", converter = BudgetText.class, description = "Store this budget for the period first.")
    BigDecimal set;

    @Option(names = "--team-cap", paramLabel = "TEAM=GPU_HOURS", description = "With --set: a team's cap (repeatable).")
    Map<String, BigDecimal> teamCaps = new LinkedHashMap<>();

    @Option(names = "--config", paramLabel = "NAME", description = "The planning config whose reserve to show (default: default).")
    String config;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        ServiceClient client = service.client();
        if (set != null) {
            client.putBudget(Json.write(Map.of("gpuHours", set, "perTeam", teamCaps)));
        }
        String body = client.ledger(config);
        if (json) {
            System.out.println(Json.mapper().readTree(body).toPrettyString());
            return ExitCodes.OK;
        }
        Ledger ledger = Json.read(body, Ledger.class);
        System.out.printf("Planning period %s to %s, as of %s; committed plan %s%n", RunTable.when(ledger.periodStart()),
                RunTable.when(ledger.periodEnd()), RunTable.when(ledger.asOf()), ledger.committedPlanId() == null ? "-" : ledger.committedPlanId());
        int width = Math.max(5, ledger.perTeam().keySet().stream().mapToInt(String::length).max().orElse(0));
        String row = "%-" + width + "s  %10s  %10s  %10s  %10s  %10s%n";
        System.out.printf(row, "", "BUDGET", "SPENT", "COMMITTED", "FREE", "RESERVE");
        System.out.printf(row, "total", n(ledger.budgetGpuHours()), n(ledger.spentGpuHours()), n(ledger.committedGpuHours()),
                n(ledger.freeGpuHours()), n(ledger.reserveGpuHours()));
        ledger.perTeam().forEach((team, line) -> System.out.printf(row, team, n(line.budgetGpuHours()), n(line.spentGpuHours()),
                n(line.committedGpuHours()), n(line.freeGpuHours()), n(line.reserveGpuHours())));
        if (ledger.gatedFreedGpuHours() != null && ledger.gatedFreedGpuHours().signum() > 0) {
            System.out.printf("Freed by failed pilots: %s GPU-hours%n", n(ledger.gatedFreedGpuHours()));
        }
        return ExitCodes.OK;
    }

    private static String n(BigDecimal amount) {
        return RunTable.number(amount);
    }
}
