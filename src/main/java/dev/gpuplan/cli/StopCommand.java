package dev.gpuplan.cli;

import java.util.concurrent.Callable;

import dev.gpuplan.domain.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stops a plan that is queued or solving; the best plan found so far is kept.", footer = ExitCodes.HELP)
public final class StopCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The plan to stop.")
    String id;

    @Option(names = "--server", paramLabel = "URL", description = "The service (default: $GPUPLAN_SERVER, else http://localhost:8080).")
    String server;

    @picocli.CommandLine.Mixin
    TokenOption token;

    @Override
    public Integer call() {
        Plan plan = new ServiceClient(SubmitCommand.serverOrDefault(server), token.resolve()).stop(id);
        System.out.printf("Plan %s is %s (expected value %s, %d runs).%n", plan.id(), plan.status(),
                plan.totals().expectedValue() == null ? "-" : plan.totals().expectedValue().toPlainString(), plan.totals().selected());
        return ExitCodes.OK;
    }
}
