package dev.gpuplan.cli;

import java.util.concurrent.Callable;

import dev.gpuplan.domain.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops a plan that is queued or solving; the best plan found so far is kept.", footer = ExitCodes.HELP)
public final class StopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The plan to stop.")
    String id;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Override
    public Integer call() {
        Plan plan = service.client().stop(id);
        System.out.printf("Plan %s is %s (expected value %s, %d runs).%n", plan.id(), plan.status(),
                plan.totals().expectedValue() == null ? "-" : plan.totals().expectedValue().toPlainString(), plan.totals().selected());
        return ExitCodes.OK;
    }
}
