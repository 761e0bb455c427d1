package dev.gpuplan.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gpuplan audit}: the service's audit trail, newest first (leads and admins). */
@Command(name = "audit", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = "Shows who changed what, newest first (leads and admins).")
public final class AuditCommand implements Callable<Integer> {

    @Option(names = "--entity", paramLabel = "TYPE[/ID]",
            description = "Only changes of one kind (proposal, pools, horizon, plan, frontier, token), or of one entity: proposal/lr-sweep.")
    String entity;

    @Option(names = "--actor", paramLabel = "USER", description = "Only changes made by this user.")
    String actor;

    @Option(names = "--since", paramLabel = "INSTANT", description = "Only changes at or after this time, e.g. 2026-12-01T00:00:00Z.")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most this many (default ${DEFAULT-VALUE}, up to 1000).")
    int limit;

    @Mixin
    TokenCommand.ServiceOptions service;

    @Override
    public Integer call() {
        List<String> query = new ArrayList<>();
        add(query, "entity", entity);
        add(query, "actor", actor);
        add(query, "since", since);
        add(query, "limit", String.valueOf(limit));
        JsonNode entries = Json.read(service.client().get("/api/audit?" + String.join("&", query)), JsonNode.class);
        if (service.json) {
            System.out.println(Json.writePretty(entries));
            return ExitCodes.OK;
        }
        String row = "%-24s  %-16s  %-8s  %-30s  %s%n";
        System.out.printf(row, "AT", "ACTOR", "ACTION", "ENTITY", "CHANGE");
        for (JsonNode entry : entries) {
            System.out.printf(row, entry.path("at").asText(), entry.path("actor").asText(), entry.path("action").asText(),
                    entry.path("entityType").asText() + "/" + entry.path("entityId").asText(), change(entry));
        }
        return ExitCodes.OK;
    }

    private static String change(JsonNode entry) {
        String text = entry.hasNonNull("after") ? Json.write(entry.get("after")) : "(deleted)";
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static void add(List<String> query, String name, String value) {
        if (value != null && !value.isBlank()) {
            query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }
}
