package dev.gpuplan.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plans", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists the service's plans, newest first, or shows one plan.", footer = ExitCodes.HELP)
public final class PlansCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "ID", description = "A plan to show in full.")
    String id;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        ServiceClient client = service.client();
        PlanPrinter printer = new PlanPrinter(System.out);
        if (id != null) {
            Plan plan = client.plan(id);
            if (json) {
                printer.json(plan);
            } else {
                printer.table(plan);
            }
            return ExitCodes.OK;
        }
        List<PlanSummary> plans = client.plans();
        if (json) {
            System.out.println(dev.gpuplan.input.Json.writePretty(plans));
            return ExitCodes.OK;
        }
        String row = "%-36s  %-8s  %-15s  %10s  %14s  %8s  %s%n";
        System.out.printf(row, "ID", "STATUS", "CONFIG", "BUDGET", "EXPECTED VALUE", "SELECTED", "FEASIBLE");
        for (PlanSummary plan : plans) {
            System.out.printf(row, plan.id(), plan.status(), plan.config(), plan.budgetGpuHours().toPlainString(),
                    plan.totals().expectedValue() == null ? "-" : plan.totals().expectedValue().toPlainString(),
                    plan.totals().selected() + "/" + plan.totals().candidates(), plan.score() == null ? "-" : plan.feasible() ? "yes" : "no");
        }
        return ExitCodes.OK;
    }
}
