package dev.gpuplan.input;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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

    /** Allowed field names in the order given, so that error messages list them the same way every time. */
    public static Set<String> names(String... names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(List.of(names)));
    }

    public static int line(Node node) {
        return node == null || node.getStartMark() == null ? 0 : node.getStartMark().getLine() + 1;
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

    public String entry() {
        return entry;
    }

    public int line() {
        return line(node);
    }

    /** The line of a field's value; {@code perTeam.vision} finds the entry {@code vision} inside the mapping {@code perTeam}. */
    public int line(String field) {
        NodeTuple tuple = fields.get(field);
        if (tuple != null) {
            return line(tuple.getValueNode());
        }
        int dot = field.indexOf('.');
        NodeTuple outer = dot < 0 ? null : fields.get(field.substring(0, dot));
        if (outer != null && outer.getValueNode() instanceof MappingNode mapping) {
            String name = field.substring(dot + 1);
            for (NodeTuple inner : mapping.getValue()) {
                if (inner.getKeyNode() instanceof ScalarNode key && key.getValue().equals(name)) {
                    return line(inner.getValueNode());
                }
            }
        }
        return line(node);
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

    /**
     * A text that names something (a key, a team, a pool): at most {@code maxLength} characters, and no control,
     * bidirectional-override or unpaired surrogate characters, which would display differently from what is stored.
     */
    public String name(String field, boolean required, int maxLength) {
        String text = text(field, required);
        if (text == null) {
            return null;
        }
        String problem = checkName(text, maxLength);
        if (problem != null) {
            error(field, problem);
            return null;
        }
        return text;
    }

    /** Why {@code text} is not an acceptable name of at most {@code maxLength} characters; null when it is. */
    public static String checkName(String text, int maxLength) {
        if (text.length() > maxLength) {
            return "must be at most " + maxLength + " characters, got " + text.length();
        }
        return FieldLimits.unsafeCharacter(text);
    }

    public BigDecimal number(String field, boolean required) {
        Node value = required ? required(field) : value(field).orElse(null);
        if (value == null) {
            return null;
        }
        BigDecimal number = toNumber(value);
        if (number == null) {
            error(field, "must be a number, got " + describe(value));
            return null;
        }
        String range = outOfRange(number);
        if (range != null) {
            error(field, range + ", got " + describe(value));
            return null;
        }
        return number;
    }

    /** A number scalar as written; null when the node is no number or the literal is too long to be a sensible one. */
    private static BigDecimal toNumber(Node value) {
        if (value instanceof ScalarNode scalar && (scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT))
                && scalar.getValue().length() <= FieldLimits.NUMBER_CHARACTERS) {
            try {
                return new BigDecimal(scalar.getValue().replace("_", ""));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /**
     * Whether a number is beyond what any field accepts whatever its own range: so large (1e400) or so finely
     * divided (1e-40) that merely printing or rounding it would cost time and memory. Checked before any field's
     * own range, so messages can print the number safely.
     */
    static String outOfRange(BigDecimal number) {
        if (number.signum() == 0) {
            return null;
        }
        if ((long) number.precision() - number.scale() > 16) {
            return "is out of range (at most 16 digits before the decimal point)";
        }
        if (number.scale() > FieldLimits.DECIMAL_PLACES && number.stripTrailingZeros().scale() > FieldLimits.DECIMAL_PLACES) {
            return "has more than " + FieldLimits.DECIMAL_PLACES + " decimal places";
        }
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

    /** A list of names (keys), each at most {@code maxLength} characters of safe text; at most {@code maxEntries} of them. */
    public List<String> texts(String field, int maxLength, int maxEntries) {
        List<String> result = new ArrayList<>();
        Node listed = value(field).orElse(null);
        if (listed instanceof SequenceNode sequence && sequence.getValue().size() > maxEntries) {
            error(field, "must have at most " + maxEntries + " entries, got " + sequence.getValue().size());
            return result;
        }
        list(field, false, (i, item) -> {
            if (item instanceof ScalarNode scalar && !isNull(item)) {
                String problem = checkName(scalar.getValue(), maxLength);
                if (problem != null) {
                    errors.add(new InputError(line(item), entry, field + "[" + i + "]", problem));
                } else {
                    result.add(scalar.getValue());
                }
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
            String nameProblem = checkName(name, FieldLimits.TEAM);
            if (nameProblem != null) {
                errors.add(new InputError(line(tuple.getKeyNode()), entry, field, "names " + FieldLimits.quote(name, 40) + ", which "
                        + nameProblem));
                continue;
            }
            Node item = tuple.getValueNode();
            BigDecimal number = toNumber(item);
            String range = number == null ? null : outOfRange(number);
            if (number == null || range != null) {
                errors.add(new InputError(line(item), entry, field + "." + name,
                        (number == null ? "must be a number" : range) + ", got " + describe(item)));
                continue;
            }
            result.put(name, number);
        }
        return result;
    }

    public static boolean isNull(Node node) {
        return node == null || node.getTag().equals(Tag.NULL);
    }

    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            return "\"" + FieldLimits.quote(scalar.getValue(), 60) + "\"";
        }
        return node instanceof SequenceNode ? "a list" : "an object";
    }

    @FunctionalInterface
    public interface ItemReader {
        void read(int index, Node item);
    }
}
