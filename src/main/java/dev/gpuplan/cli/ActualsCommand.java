package dev.gpuplan.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "actuals", mixinStandardHelpOptions = true, description = "Bulk run events: gpuplan actuals import FILE.",
        subcommands = ActualsCommand.Import.class, footer = ExitCodes.HELP)
public final class ActualsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    @Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Sends run events from a file to the service, line by line: CSV with the header key,event,at,gpuHours "
                    + "(and optionally reason,pool,eventId), or JSON lines {key, event, at, gpuHours?, reason?, pool?, eventId?}. "
                    + "event is start, finish, fail or cancel (or STARTED, FINISHED, FAILED, CANCELLED). Each line is one request: "
                    + "a refused line is reported and the others still go; lines already recorded are accepted once. "
                    + "Exits 2 when a line was refused.",
            footer = ExitCodes.HELP)
    static final class Import implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "CSV (.csv) or JSON lines (any other name).")
        Path file;

        @picocli.CommandLine.Mixin
        ServiceConnection service;

        @Option(names = "--json", description = "Print one JSON result per line.")
        boolean json;

        @Override
        public Integer call() {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw InvalidInputException.of(file.toString(), "", "", "cannot be read: " + e.getMessage());
            }
            List<Line> events = file.toString().endsWith(".csv") ? csv(lines) : jsonLines(lines);
            ServiceClient client = service.client();
            int accepted = 0;
            int duplicates = 0;
            int refused = 0;
            for (Line line : events) {
                try {
                    JsonNode result = Json.mapper().readTree(client.postEvents(line.key(), Json.write(line.event())));
                    accepted += result.path("accepted").asInt();
                    duplicates += result.path("duplicates").asInt();
                    if (json) {
                        System.out.println(Json.write(Map.of("line", line.number(), "key", line.key(), "result", result)));
                    }
                } catch (ServiceClient.ServiceException e) {
                    if (e.exitCode == ExitCodes.UNREACHABLE) {
                        throw e;
                    }
                    refused++;
                    System.err.printf("%s:%d: %s: %s%n", file, line.number(), line.key(), e.getMessage());
                } catch (IOException e) {
                    throw new IllegalStateException("the service's answer is not JSON", e);
                }
            }
            System.err.printf("%s: %d events recorded, %d already recorded, %d refused%n", file, accepted, duplicates, refused);
            return refused > 0 ? ExitCodes.BAD_INPUT : ExitCodes.OK;
        }

        private record Line(int number, String key, Map<String, Object> event) {
        }

        private List<Line> csv(List<String> lines) {
            List<Line> events = new ArrayList<>();
            if (lines.isEmpty()) {
                return events;
            }
            List<String> header = List.of(lines.get(0).trim().split("\\s*,\\s*"));
            for (String required : List.of("key", "event", "at")) {
                if (!header.contains(required)) {
                    throw InvalidInputException.of(file.toString(), "line 1", required, "is a required column (header: key,event,at,gpuHours)");
                }
            }
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] cells = lines.get(i).split(",", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int c = 0; c < header.size() && c < cells.length; c++) {
                    row.put(header.get(c), cells[c].trim());
                }
                events.add(line(i + 1, row));
            }
            return events;
        }

        private List<Line> jsonLines(List<String> lines) {
            List<Line> events = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                Map<String, String> row = new LinkedHashMap<>();
                try {
                    Json.mapper().readTree(lines.get(i)).fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().asText()));
                } catch (IOException e) {
                    throw InvalidInputException.of(file.toString(), "line " + (i + 1), "", "is not a JSON object: " + e.getMessage());
                }
                events.add(line(i + 1, row));
            }
            return events;
        }

        private Line line(int number, Map<String, String> row) {
            String entry = "line " + number;
            String key = row.get("key");
            if (key == null || key.isEmpty()) {
                throw InvalidInputException.of(file.toString(), entry, "key", "is required");
            }
            String eventText = row.getOrDefault("event", row.get("type"));
            String type = eventText == null ? "" : switch (eventText.toLowerCase(Locale.ROOT)) {
                case "start", "started" -> "STARTED";
                case "finish", "finished" -> "FINISHED";
                case "fail", "failed" -> "FAILED";
                case "cancel", "cancelled", "canceled" -> "CANCELLED";
                default -> "";
            };
            if (type.isEmpty()) {
                throw InvalidInputException.of(file.toString(), entry, "event", "must be start, finish, fail or cancel, got \"" + eventText + "\"");
            }
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("type", type);
            copy(row, "at", event);
            copy(row, "pool", event);
            copy(row, "reason", event);
            copy(row, "eventId", event);
            String gpuHours = row.get("gpuHours");
            if (gpuHours != null && !gpuHours.isEmpty()) {
                try {
                    event.put("gpuHours", new java.math.BigDecimal(gpuHours));
                } catch (NumberFormatException e) {
                    throw InvalidInputException.of(file.toString(), entry, "gpuHours", "must be a number, got \"" + gpuHours + "\"");
                }
            }
            if (type.equals("FAILED") && !event.containsKey("reason")) {
                event.put("reason", "reported failed by " + file.getFileName());
            }
            return new Line(number, key, event);
        }

        private static void copy(Map<String, String> row, String field, Map<String, Object> event) {
            String value = row.get(field);
            if (value != null && !value.isEmpty()) {
                event.put(field, value);
            }
        }
    }
}
