package dev.gpuplan.input;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads the fields of one YAML/JSON mapping, recording an {@link InputError} (with line, entry and field)
 * for every field that is missing, of the wrong type or not allowed, instead of throwing at the first.
 * Every reader returns {@code null} when the field is absent or wrong, so callers read on and collect
 * all errors of a file in one pass.
 */
public final class YamlFields {

    private final Node node;
    private final Map<String, NodeTuple> fields = new LinkedHashMap<>();
    private final Set<String> allowed;
    private final List<InputError> errors;
    private final String entry;

    private YamlFields(Node node, String entry, Set<String> allowed, List<InputError> errors) {
        this.node = node;
        this.entry = entry;
        this.allowed = allowed;
        this.errors = errors;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key) {
                    if (fields.putIfAbsent(key.getValue(), tuple) != null) {
                        errors.add(new InputError(line(key), entry, key.getValue(), "is given twice"));
                    }
                }
            }
        }
    }

    /**
     * Opens {@code node} as a mapping with the given allowed field names; an unknown field is an error
     * naming it (a typo must not be silently ignored).
     */
    public static YamlFields of(Node node, String entry, Set<String> allowed, List<InputError> errors) {
        YamlFields fields = new YamlFields(node, entry, allowed, errors);
        if (!(node instanceof MappingNode)) {
            errors.add(new InputError(line(node), entry, "", "must be an object with fields " + allowed));
        } else {
            fields.fields.forEach((name, tuple) -> {
                if (!allowed.contains(name)) {
                    errors.add(new InputError(line(tuple.getKeyNode()), entry, name,
                            "is not a known field (known: " + String.join(", ", allowed) + ")"));
                }
            });
        }
        return fields;
    }

    /** Whether {@code node} is a mapping with the field {@code field}. */
    public static boolean hasField(Node node, String field) {
        return node instanceof MappingNode mapping && mapping.getValue().stream()
                .anyMatch(t -> t.getKeyNode() instanceof ScalarNode key && key.getValue().equals(field));
    }

    /** A scalar field of a mapping read before the mapping is opened, e.g. a key to name the entry by; null if absent. */
    public static String peek(Node node, String field) {
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode key && key.getValue().equals(field)
                        && tuple.getValueNode() instanceof ScalarNode value && !isNull(value)) {
                    return value.getValue();
                }
            }
        }
        return null;
    }

    public static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
    }

    public String entry() {
        return entry;
    }

    public int line() {
        return line(node);
    }

    public int line(String field) {
        NodeTuple tuple = fields.get(field);
        return tuple == null ? line(node) : line(tuple.getValueNode());
    }

    public boolean has(String field) {
        return value(field).isPresent();
    }

    public void error(String field, String message) {
        errors.add(new InputError(line(field), entry, field, message));
    }

    public Optional<Node> value(String field) {
        NodeTuple tuple = fields.get(field);
        if (tuple == null || isNull(tuple.getValueNode())) {
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }

    private Node required(String field) {
        Optional<Node> value = value(field);
        if (value.isEmpty() && node instanceof MappingNode) {
            error(field, "is required");
        }
        return value.orElse(null);
    }

    public String text(String field, boolean required) {
        Node value = required ? required(field) : value(field).orElse(null);
        if (value == null) {
            return null;
        }
        if (!(value instanceof ScalarNode scalar) || scalar.getTag().equals(Tag.BOOL)) {
            error(field, "must be a string");
            return null;
        }
        return scalar.getValue();
    }

    public BigDecimal number(String field, boolean required) {
        Node value = required ? required(field) : value(field).orElse(null);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
            try {
                return new BigDecimal(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        error(field, "must be a number, got " + describe(value));
        return null;
    }

    public Integer integer(String field, boolean required) {
        BigDecimal number = number(field, required);
        if (number == null) {
            return null;
        }
        try {
            return number.intValueExact();
        } catch (ArithmeticException e) {
            error(field, "must be a whole number, got " + number.toPlainString());
            return null;
        }
    }

    public boolean bool(String field) {
        Node value = value(field).orElse(null);
        if (value == null) {
            return false;
        }
        if (value instanceof ScalarNode scalar && scalar.getTag().equals(Tag.BOOL)) {
            return Boolean.parseBoolean(scalar.getValue().toLowerCase());
        }
        error(field, "must be true or false, got " + describe(value));
        return false;
    }

    /** An ISO-8601 instant with a zone ({@code 2026-12-01T08:00:00Z}); a bare date means midnight UTC. */
    public Instant instant(String field, boolean required) {
        Node value = required ? required(field) : value(field).orElse(null);
        if (value == null) {
            return null;
        }
        if (value instanceof ScalarNode scalar) {
            Instant parsed = parseInstant(scalar.getValue());
            if (parsed != null) {
                return parsed;
            }
        }
        error(field, "must be an ISO-8601 instant such as 2026-12-01T08:00:00Z, got " + describe(value));
        return null;
    }

    public static Instant parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    /** The items of a list field, each handed to {@code item} with its index; absent means empty. */
    public int list(String field, boolean required, ItemReader item) {
        Node value = required ? required(field) : value(field).orElse(null);
        if (value == null) {
            return 0;
        }
        if (!(value instanceof SequenceNode sequence)) {
            error(field, "must be a list");
            return 0;
        }
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            item.read(i, items.get(i));
        }
        return items.size();
    }

    public List<String> texts(String field) {
        List<String> result = new ArrayList<>();
        list(field, false, (i, item) -> {
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                result.add(scalar.getValue());
            } else {
                errors.add(new InputError(line(item), entry, field + "[" + i + "]", "must be a string"));
            }
        });
        return result;
    }

    /** A mapping of name to number ({@code team: 500}); absent means empty. */
    public Map<String, BigDecimal> numbers(String field) {
        Map<String, BigDecimal> result = new LinkedHashMap<>();
        Node value = value(field).orElse(null);
        if (value == null) {
            return result;
        }
        if (!(value instanceof MappingNode mapping)) {
            error(field, "must be a mapping of name to number");
            return result;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String name = tuple.getKeyNode() instanceof ScalarNode scalar ? scalar.getValue() : "?";
            Node item = tuple.getValueNode();
            if (item instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))) {
                try {
                    result.put(name, new BigDecimal(scalar.getValue().replace("_", "")));
                    continue;
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            errors.add(new InputError(line(item), entry, field + "." + name, "must be a number, got " + describe(item)));
        }
        return result;
    }

    public static boolean isNull(Node node) {
        return node == null || node.getTag().equals(Tag.NULL);
    }

    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return "\"" + scalar.getValue() + "\"";
        }
        return node instanceof SequenceNode ? "a list" : "an object";
    }

    @FunctionalInterface
    public interface ItemReader {
        void read(int index, Node item);
    }
}
