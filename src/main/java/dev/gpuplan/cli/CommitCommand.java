package dev.gpuplan.cli;

import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.domain.Run;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "commit", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Commits a SOLVED plan on the service: each of its runs becomes PLANNED (a new attempt after a failed one), "
                + "PLANNED runs move to the plan's pool and start, STARTED runs stay, and PLANNED runs the plan leaves out are cancelled.",
        footer = ExitCodes.HELP)
public final class CommitCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ID", description = "The plan to commit.")
    String id;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String body = service.client().commit(id);
        if (json) {
            System.out.println(Json.mapper().readTree(body).toPrettyString());
            return ExitCodes.OK;
        }
        JsonNode result = Json.mapper().readTree(body);
        System.out.printf("Committed plan %s: %d runs created, %d re-planned, %d unchanged, %d PLANNED runs cancelled.%n", id,
                result.path("created").asInt(), result.path("replanned").asInt(), result.path("unchanged").asInt(), result.path("cancelled").asInt());
        RunTable.print(System.out, List.of(Json.mapper().treeToValue(result.path("runs"), Run[].class)));
        return ExitCodes.OK;
    }
}
