package dev.gpuplan.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import dev.gpuplan.input.DurationText;
import dev.gpuplan.input.InputError;
import dev.gpuplan.input.YamlFields;

/**
 * How the pools of a plan map onto a real cluster: the {@code cluster:} section of a planning config.
 * Every name that ends up in a Slurm directive or a Kubernetes object is checked here against the characters
 * those accept, so a config value can never carry a second directive or a shell word.
 *
 * @param timeGrace      added to every run's hours (rounded up) in Slurm's {@code --time}
 * @param requireMapping when true, exporting a plan with a pool not listed in {@code pools} is refused
 * @param image          the container image of Kubernetes Jobs (null: it must be given on the command line)
 * @param pools          pool name to its mapping; a pool not listed maps to defaults named after the pool
 */
public record ClusterMapping(Duration timeGrace, boolean requireMapping, String image, Map<String, PoolMapping> pools) {

    public static final Duration DEFAULT_TIME_GRACE = Duration.ofMinutes(10);
    public static final ClusterMapping DEFAULT = new ClusterMapping(DEFAULT_TIME_GRACE, false, null, Map.of());

    /** Slurm partition, GRES type and Kueue queue names: letters, digits and {@code . _ -}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** A Kubernetes label key: optional DNS prefix and a name. */
    static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?");
    /** A Kubernetes label value (may be empty). */
    static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?");
    /** A container image reference: registry, path, tag and digest characters, no spaces. */
    public static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]{0,254}");
    static final Set<String> OPERATORS = Set.of("Equal", "Exists");
    static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private static final Set<String> FIELDS = YamlFields.names("timeGrace", "requireMapping", "image", "pools");
    private static final Set<String> POOL = YamlFields.names("partition", "gresType", "queue", "nodeSelector", "tolerations");
    private static final Set<String> TOLERATION = YamlFields.names("key", "operator", "value", "effect");

    public ClusterMapping {
        pools = Map.copyOf(pools);
    }

    /**
     * One pool on the cluster; {@code null} means the default.
     *
     * @param partition    Slurm partition (default: the pool name)
     * @param gresType     the type in {@code --gres=gpu:TYPE:N} (default: none, {@code --gres=gpu:N})
     * @param queue        Kueue LocalQueue in the label {@code kueue.x-k8s.io/queue-name} (default: the pool name)
     * @param nodeSelector Kubernetes node labels the Job's pods must match
     * @param tolerations  Kubernetes taints the Job's pods tolerate
     */
    public record PoolMapping(String partition, String gresType, String queue, Map<String, String> nodeSelector,
                              List<Toleration> tolerations) {
        public PoolMapping {
            nodeSelector = nodeSelector == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(nodeSelector));
            tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
        }
    }

    /** A Kubernetes toleration; {@code value} is null with {@code operator: Exists}. */
    public record Toleration(String key, String operator, String value, String effect) {
    }

    /** The mapping of a pool, or the defaults named after it when the config does not list it. */
    public PoolMapping pool(String name) {
        PoolMapping mapping = pools.get(name);
        return new PoolMapping(
                mapping == null || mapping.partition() == null ? name : mapping.partition(),
                mapping == null ? null : mapping.gresType(),
                mapping == null || mapping.queue() == null ? name : mapping.queue(),
                mapping == null ? Map.of() : mapping.nodeSelector(),
                mapping == null ? List.of() : mapping.tolerations());
    }

    public boolean lists(String pool) {
        return pools.containsKey(pool);
    }

    /** The pool a Slurm partition stands for, when exactly one pool maps to it (listed, or named like it). */
    public Optional<String> poolOfPartition(String partition, java.util.Collection<String> knownPools) {
        List<String> matches = new ArrayList<>();
        pools.forEach((pool, mapping) -> {
            if (partition.equals(pool(pool).partition())) {
                matches.add(pool);
            }
        });
        if (matches.isEmpty() && knownPools.contains(partition) && !pools.containsKey(partition)) {
            matches.add(partition);
        }
        return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
    }

    /** Reads the {@code cluster:} section; errors go to {@code errors} with the line. */
    static ClusterMapping read(Node node, List<InputError> errors) {
        YamlFields f = YamlFields.of(node, "cluster", FIELDS, errors);
        Duration grace = DEFAULT_TIME_GRACE;
        String graceText = f.text("timeGrace", false);
        if (graceText != null) {
            Duration parsed = DurationText.parse(graceText);
            if (parsed == null || parsed.isNegative()) {
                f.error("timeGrace", "must be a duration such as 10m, 1h or 0, got \"" + graceText + "\"");
            } else if (parsed.compareTo(Duration.ofDays(7)) > 0) {
                f.error("timeGrace", "must be at most 7 days, got \"" + graceText + "\"");
            } else {
                grace = parsed;
            }
        }
        boolean require = f.bool("requireMapping");
        String image = f.text("image", false);
        if (image != null && !IMAGE.matcher(image).matches()) {
            f.error("image", "must be a container image reference such as registry/team/train:1.2 (no spaces), got \"" + image + "\"");
            image = null;
        }
        Map<String, PoolMapping> pools = new LinkedHashMap<>();
        Node poolsNode = f.value("pools").orElse(null);
        if (poolsNode != null && !(poolsNode instanceof MappingNode)) {
            f.error("pools", "must be a mapping of pool name to its mapping");
        } else if (poolsNode instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String pool = tuple.getKeyNode() instanceof ScalarNode key ? key.getValue() : "?";
                if (pools.containsKey(pool)) {
                    errors.add(new InputError(YamlFields.line(tuple.getKeyNode()), "cluster.pools", pool, "is given twice"));
                    continue;
                }
                pools.put(pool, pool("cluster.pools." + pool, tuple.getValueNode(), errors));
            }
        }
        return new ClusterMapping(grace, require, image, pools);
    }

    private static PoolMapping pool(String entry, Node node, List<InputError> errors) {
        if (YamlFields.isNull(node)) {
            return new PoolMapping(null, null, null, Map.of(), List.of());
        }
        YamlFields f = YamlFields.of(node, entry, POOL, errors);
        String partition = name(f, "partition");
        String gresType = name(f, "gresType");
        String queue = name(f, "queue");
        Map<String, String> selector = new LinkedHashMap<>();
        Node selectorNode = f.value("nodeSelector").orElse(null);
        if (selectorNode != null && !(selectorNode instanceof MappingNode)) {
            f.error("nodeSelector", "must be a mapping of node label to value");
        } else if (selectorNode instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                String key = tuple.getKeyNode() instanceof ScalarNode k ? k.getValue() : "";
                int line = YamlFields.line(tuple.getValueNode());
                if (!LABEL_KEY.matcher(key).matches()) {
                    errors.add(new InputError(line, entry, "nodeSelector", "\"" + key + "\" is not a Kubernetes label key"));
                } else if (!(tuple.getValueNode() instanceof ScalarNode value) || YamlFields.isNull(tuple.getValueNode())
                        || !LABEL_VALUE.matcher(value.getValue()).matches()) {
                    errors.add(new InputError(line, entry, "nodeSelector." + key,
                            "must be a Kubernetes label value (letters, digits, . _ -, at most 63)"));
                } else {
                    selector.put(key, value.getValue());
                }
            }
        }
        List<Toleration> tolerations = new ArrayList<>();
        f.list("tolerations", false, (i, item) -> {
            YamlFields t = YamlFields.of(item, entry + ".tolerations[" + i + "]", TOLERATION, errors);
            String key = t.text("key", false);
            String operator = Optional.ofNullable(t.text("operator", false)).orElse("Equal");
            String value = t.text("value", false);
            String effect = t.text("effect", false);
            if (key != null && !LABEL_KEY.matcher(key).matches()) {
                t.error("key", "\"" + key + "\" is not a Kubernetes taint key");
            }
            if (!OPERATORS.contains(operator)) {
                t.error("operator", "must be Equal or Exists, got \"" + operator + "\"");
            } else if (operator.equals("Exists") && value != null) {
                t.error("value", "must be absent with operator Exists");
            } else if (operator.equals("Equal") && key == null) {
                t.error("key", "is required with operator Equal");
            }
            if (value != null && !LABEL_VALUE.matcher(value).matches()) {
                t.error("value", "must be a Kubernetes label value (letters, digits, . _ -, at most 63)");
            }
            if (effect != null && !EFFECTS.contains(effect)) {
                t.error("effect", "must be NoSchedule, PreferNoSchedule or NoExecute, got \"" + effect + "\"");
            }
            tolerations.add(new Toleration(key, operator, value, effect));
        });
        return new PoolMapping(partition, gresType, queue, selector, tolerations);
    }

    private static String name(YamlFields f, String field) {
        String value = f.text(field, false);
        if (value != null && !NAME.matcher(value).matches()) {
            f.error(field, "must be letters, digits, '.', '_' or '-' (at most 63, starting with a letter or digit), got \"" + value + "\"");
            return null;
        }
        return value;
    }
}
