package dev.gpuplan.cli;

import java.util.List;
import java.util.concurrent.Callable;

import dev.gpuplan.domain.Run;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "runs", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Lists the service's runs (the latest attempt of every committed proposal).", footer = ExitCodes.HELP)
public final class RunsCommand implements Callable<Integer> {

    @Option(names = "--status", paramLabel = "STATUS", description = "Only runs in this status: PLANNED, STARTED, FINISHED, FAILED, CANCELLED.")
    String status;

    @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's runs.")
    String team;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String body = service.client().runs(status, team);
        if (json) {
            System.out.println(Json.mapper().readTree(body).toPrettyString());
        } else {
            RunTable.print(System.out, List.of(Json.mapper().readValue(body, Run[].class)));
        }
        return ExitCodes.OK;
    }
}
