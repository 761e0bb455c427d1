package dev.gpuplan.input;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.gpuplan.domain.RunEvent;

/**
 * {@code POST /api/runs/{proposal}/events}: one event or an array of them,
 * {@code {type: STARTED|FINISHED|FAILED|CANCELLED, at, gpuHours?, pool?, reason?, eventId?}}. What a single event must
 * hold is checked here (fields, types, which fields fit which type); whether it fits the run is the lifecycle's call.
 */
public final class RunEventReader {

    private static final Set<String> FIELDS = YamlFields.names("type", "at", "gpuHours", "pool", "reason", "eventId");
    private static final int MAX_TEXT = 200;
    private static final int MAX_REASON = 2000;

    private RunEventReader() {
    }

    public static List<RunEvent> read(String source, String text) {
        Node root = PortfolioReader.parse(source, text);
        List<InputError> errors = new ArrayList<>();
        List<RunEvent> events = new ArrayList<>();
        if (root instanceof SequenceNode sequence) {
            if (sequence.getValue().isEmpty()) {
                errors.add(new InputError(0, "", "", "holds no events"));
            }
            for (int i = 0; i < sequence.getValue().size(); i++) {
                events.add(event("events[" + i + "]", sequence.getValue().get(i), errors));
            }
        } else {
            events.add(event("", root, errors));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        return events;
    }

    private static RunEvent event(String entry, Node node, List<InputError> errors) {
        YamlFields f = YamlFields.of(node, entry, FIELDS, errors);
        String typeText = f.text("type", true);
        RunEvent.Type type = null;
        if (typeText != null) {
            try {
                type = RunEvent.Type.valueOf(typeText.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                f.error("type", "must be one of STARTED, FINISHED, FAILED, CANCELLED, got \"" + typeText + "\"");
            }
        }
        boolean atRequired = type != null && type != RunEvent.Type.CANCELLED;
        var at = f.instant("at", atRequired);
        BigDecimal gpuHours = f.number("gpuHours", false);
        if (gpuHours != null && gpuHours.signum() < 0) {
            f.error("gpuHours", "must be >= 0, got " + gpuHours.toPlainString());
        }
        String pool = f.text("pool", false);
        String reason = f.text("reason", type == RunEvent.Type.FAILED);
        String eventId = f.text("eventId", false);
        if (type != null && pool != null && type != RunEvent.Type.STARTED) {
            f.error("pool", "is only given on STARTED (the pool the run started on)");
        }
        if (type != null && gpuHours != null && type == RunEvent.Type.STARTED) {
            f.error("gpuHours", "is given on FINISHED, FAILED or CANCELLED (the actual use), not on STARTED");
        }
        if (pool != null && pool.length() > MAX_TEXT) {
            f.error("pool", "must be at most " + MAX_TEXT + " characters");
        }
        if (eventId != null && (eventId.isBlank() || eventId.length() > MAX_TEXT)) {
            f.error("eventId", "must be 1 to " + MAX_TEXT + " characters");
        }
        if (reason != null && reason.length() > MAX_REASON) {
            f.error("reason", "must be at most " + MAX_REASON + " characters");
        }
        return new RunEvent(type, at, gpuHours, pool, reason, eventId);
    }
}
