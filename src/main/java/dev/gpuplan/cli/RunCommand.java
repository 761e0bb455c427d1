package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.domain.Run;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.YamlFields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Records what happened to a run on the service: start, finish, fail or cancel. "
                + "Sending the same event twice records it once.",
        footer = ExitCodes.HELP)
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "ACTION", description = "start, finish, fail or cancel.")
    String action;

    @Parameters(index = "1", paramLabel = "KEY", description = "The proposal whose run it is.")
    String key;

    @Option(names = "--at", paramLabel = "INSTANT", description = "When it happened, ISO-8601 (default: now).")
    String at;

    @Option(names = "--gpu-hours", paramLabel = "N", description = "Actual GPU-hours used (finish, fail, cancel; default: GPUs x elapsed).")
    BigDecimal gpuHours;

    @Option(names = "--pool", paramLabel = "POOL", description = "The pool it started on (start; default: the planned pool).")
    String pool;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why it failed (required for fail) or was cancelled.")
    String reason;

    @Option(names = "--event-id", paramLabel = "ID", description = "A name for this event, so a resend is recognised.")
    String eventId;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String type = switch (action.toLowerCase(Locale.ROOT)) {
            case "start" -> "STARTED";
            case "finish" -> "FINISHED";
            case "fail" -> "FAILED";
            case "cancel" -> "CANCELLED";
            default -> throw InvalidInputException.of("command line", "", "ACTION", "must be start, finish, fail or cancel, got \"" + action + "\"");
        };
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        Instant when = at == null ? Instant.now() : YamlFields.parseInstant(at);
        if (when == null) {
            throw InvalidInputException.of("command line", "", "--at", "must be an ISO-8601 instant such as 2026-12-01T08:00:00Z, got \"" + at + "\"");
        }
        event.put("at", when.toString());
        put(event, "gpuHours", gpuHours);
        put(event, "pool", pool);
        put(event, "reason", reason);
        put(event, "eventId", eventId);
        String body = service.client().postEvents(key, Json.write(event));
        JsonNode result = Json.mapper().readTree(body);
        if (json) {
            System.out.println(result.toPrettyString());
            return ExitCodes.OK;
        }
        Run run = Json.mapper().treeToValue(result.path("run"), Run.class);
        System.out.printf("%s (attempt %d) is %s%s%s%n", run.proposal(), run.attempt(), run.status(),
                run.pool() == null ? "" : " on " + run.pool(),
                result.path("duplicates").asInt() > 0 ? " (the event was already recorded; nothing changed)" : "");
        return ExitCodes.OK;
    }

    private static void put(Map<String, Object> event, String field, Object value) {
        if (value != null) {
            event.put(field, value);
        }
    }
}
