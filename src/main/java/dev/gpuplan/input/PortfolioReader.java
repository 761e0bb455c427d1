package dev.gpuplan.input;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.DependencyOrder;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Reads a portfolio from YAML or JSON (the field names of docs/rules.md) and validates it against
 * the field rules of docs/rules.md. Either a valid {@link Portfolio} comes out or an {@link InvalidInputException} listing
 * every error with the source, line, entry and field: the solver never sees an invalid portfolio.
 */
public final class PortfolioReader {

    /** Bigger inputs are refused before parsing. */
    public static final long MAX_INPUT_BYTES = 64L * 1024 * 1024;
    public static final int MAX_SLOTS = 20_000;
    /** The longest horizon ({@link #MAX_SLOTS} day-long slots), and so the longest run that could ever be planned. */
    public static final long MAX_HOURS = MAX_SLOTS * 24L;
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MAX_ERRORS = 50;

    private static final Set<String> TOP = YamlFields.names("horizon", "budget", "pools", "proposals");
    private static final Set<String> HORIZON = YamlFields.names("start", "days", "hours", "slotMinutes");
    private static final Set<String> BUDGET = YamlFields.names("gpuHours", "perTeam");
    private static final Set<String> POOL = YamlFields.names("name", "gpuType", "gpus", "unavailable");
    private static final Set<String> WINDOW = YamlFields.names("from", "to");
    private static final Set<String> PIN = YamlFields.names("pool", "start");
    private static final Set<String> PROPOSAL = YamlFields.names("key", "title", "team", "owner", "value", "successProbability",
            "gpuType", "gpus", "hours", "dependsOn", "exclusiveGroup", "earliestStart", "deadline", "required", "pinned", "command",
            "pilot", "pilotSuccessProbability");
    /** The longest {@code command} a proposal may carry. */
    public static final int MAX_COMMAND_CHARS = 10_000;

    private PortfolioReader() {
    }

    public static Portfolio read(Path file) {
        String source = file.toString();
        try {
            if (Files.size(file) > MAX_INPUT_BYTES) {
                throw InvalidInputException.of(source, "", "", "is larger than " + MAX_INPUT_BYTES / (1024 * 1024) + " MiB");
            }
            return read(source, Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw InvalidInputException.of(source, "", "", "cannot be read: " + e.getMessage());
        }
    }

    public static Portfolio read(String source, String text) {
        return read(source, parse(source, text));
    }

    /** A portfolio from an already parsed node, e.g. embedded in a plan request. */
    public static Portfolio read(String source, Node root) {
        return collect(source, errors -> new Parse(errors).portfolio(root));
    }

    /**
     * Proposals alone: one object, a list, or {@code {proposals: [...]}}. Checks each proposal's fields;
     * references between proposals and to pools are checked by {@link #validate} once the set is known.
     */
    public static List<Proposal> readProposals(String source, String text) {
        Node root = parse(source, text);
        return collect(source, errors -> {
            Parse parse = new Parse(errors);
            List<Proposal> proposals = new ArrayList<>();
            if (root instanceof org.yaml.snakeyaml.nodes.SequenceNode sequence) {
                for (int i = 0; i < sequence.getValue().size(); i++) {
                    proposals.add(parse.proposal(i, sequence.getValue().get(i)));
                }
            } else if (root instanceof org.yaml.snakeyaml.nodes.MappingNode mapping && hasField(mapping, "proposals")) {
                YamlFields top = YamlFields.of(root, "", Set.of("proposals"), errors);
                top.list("proposals", true, (i, item) -> proposals.add(parse.proposal(i, item)));
            } else {
                proposals.add(parse.proposal(0, root));
            }
            return proposals;
        });
    }

    /** Whether a mapping names {@code field}, whatever its value: tells {@code {proposals: [...]}} from one proposal. */
    private static boolean hasField(org.yaml.snakeyaml.nodes.MappingNode mapping, String field) {
        return mapping.getValue().stream().anyMatch(tuple ->
                tuple.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode key && key.getValue().equals(field));
    }

    /** The pools of a cluster: a list of pools. */
    public static List<Pool> readPools(String source, String text) {
        Node root = parse(source, text);
        return collect(source, errors -> {
            Parse parse = new Parse(errors);
            List<Pool> pools = new ArrayList<>();
            if (!(root instanceof org.yaml.snakeyaml.nodes.SequenceNode sequence)) {
                errors.add(new InputError(YamlFields.line(root), "", "pools", "must be a list of pools"));
                return pools;
            }
            for (int i = 0; i < sequence.getValue().size(); i++) {
                pools.add(parse.pool(i, sequence.getValue().get(i)));
            }
            return pools;
        });
    }

    public static Horizon readHorizon(String source, String text) {
        Node root = parse(source, text);
        return collect(source, errors -> new Parse(errors).horizon(root));
    }

    /** Checks the rules across entries (unique names, known references, no cycles, pins that fit) of an assembled portfolio. */
    public static void validate(String source, Horizon horizon, List<Pool> pools, List<Proposal> proposals) {
        collect(source, errors -> {
            new Consistency(errors, horizon, pools, java.util.Collections.nCopies(pools.size(), 0), proposals,
                    java.util.Collections.nCopies(proposals.size(), 0)).check();
            return null;
        });
    }

    private static <T> T collect(String source, java.util.function.Function<List<InputError>, T> reading) {
        List<InputError> errors = new ArrayList<>();
        T result = reading.apply(errors);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors.size() > MAX_ERRORS ? errors.subList(0, MAX_ERRORS) : errors);
        }
        return result;
    }

    public static Node parse(String source, String text) {
        if (text.length() > MAX_INPUT_BYTES || (text.length() > MAX_INPUT_BYTES / 3 && utf8Length(text) > MAX_INPUT_BYTES)) {
            throw InvalidInputException.of(source, "", "", "is larger than " + MAX_INPUT_BYTES / (1024 * 1024) + " MiB");
        }
        return parse(source, new StringReader(text));
    }

    /** The size of {@code text} in UTF-8, without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** Parses YAML or JSON into a node tree that keeps line numbers; syntax errors name the line. */
    public static Node parse(String source, Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // reported by YamlFields with the entry and field
        options.setCodePointLimit((int) MAX_INPUT_BYTES);
        try {
            Node root = new Yaml(options).compose(reader);
            if (root == null) {
                throw InvalidInputException.of(source, "", "", "is empty");
            }
            return root;
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            throw new InvalidInputException(source, List.of(new InputError(line, "", "", "is not valid YAML/JSON: " + e.getProblem())));
        } catch (YAMLException e) {
            throw InvalidInputException.of(source, "", "", "is not valid YAML/JSON: " + e.getMessage());
        }
    }

    /**
     * A GPU-hour budget or team cap: > 0 (or >= 0 for a cap) and at most {@link FieldLimits#GPU_HOURS}. Shared by
     * portfolios and plan and frontier requests, so every budget that reaches the solver passed the same check.
     */
    public static void checkGpuHours(YamlFields f, String field, BigDecimal gpuHours, boolean zeroAllowed) {
        if (gpuHours == null) {
            return;
        }
        if (gpuHours.signum() < 0 || (!zeroAllowed && gpuHours.signum() == 0)) {
            f.error(field, "must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + gpuHours.toPlainString());
        } else if (gpuHours.compareTo(FieldLimits.GPU_HOURS) > 0) {
            f.error(field, "must be at most " + FieldLimits.GPU_HOURS.toPlainString() + " GPU-hours, got " + gpuHours.toPlainString());
        }
    }

    private static void checkGpus(YamlFields f, Integer gpus) {
        if (gpus != null && gpus < 1) {
            f.error("gpus", "must be >= 1, got " + gpus);
        } else if (gpus != null && gpus > FieldLimits.GPUS) {
            f.error("gpus", "must be at most " + FieldLimits.GPUS + ", got " + gpus);
        }
    }

    /** One pass over one document, collecting errors. */
    private static final class Parse {
        private final List<InputError> errors;

        Parse(List<InputError> errors) {
            this.errors = errors;
        }

        Portfolio portfolio(Node root) {
            if (root == null) {
                errors.add(new InputError(0, "", "", "is empty"));
                return null;
            }
            YamlFields top = YamlFields.of(root, "", TOP, errors);
            Horizon horizon = top.has("horizon") ? horizon(top.value("horizon").get()) : null;
            if (!top.has("horizon")) {
                top.error("horizon", "is required");
            }
            Budget budget = top.has("budget") ? budget(top.value("budget").get()) : null;
            List<Pool> pools = new ArrayList<>();
            List<Integer> poolLines = new ArrayList<>();
            top.list("pools", true, (i, item) -> {
                pools.add(pool(i, item));
                poolLines.add(YamlFields.line(item));
            });
            List<Proposal> proposals = new ArrayList<>();
            List<Integer> lines = new ArrayList<>();
            top.list("proposals", true, (i, item) -> {
                proposals.add(proposal(i, item));
                lines.add(YamlFields.line(item));
            });
            if (!errors.isEmpty()) {
                return null;
            }
            new Consistency(errors, horizon, pools, poolLines, proposals, lines).check();
            return new Portfolio(horizon, budget, pools, proposals);
        }

        Horizon horizon(Node node) {
            YamlFields f = YamlFields.of(node, "horizon", HORIZON, errors);
            Instant start = f.instant("start", true);
            BigDecimal days = f.number("days", false);
            BigDecimal hours = f.number("hours", false);
            Integer slotMinutes = f.integer("slotMinutes", false);
            int slot = slotMinutes == null ? Horizon.DEFAULT_SLOT_MINUTES : slotMinutes;
            if (slot < 1 || slot > 1440) {
                f.error("slotMinutes", "must be between 1 and 1440, got " + slot);
            }
            BigDecimal length = null;
            if (days != null && hours != null) {
                f.error("days", "and hours cannot both be given");
            } else if (days == null && hours == null) {
                f.error("days", "or hours is required");
            } else {
                BigDecimal h = days != null ? days.multiply(BigDecimal.valueOf(24)) : hours;
                if (h.signum() <= 0) {
                    f.error(days != null ? "days" : "hours", "must be > 0");
                } else if (h.compareTo(BigDecimal.valueOf(MAX_HOURS)) > 0) {
                    f.error(days != null ? "days" : "hours", "must be at most " + (days != null ? MAX_HOURS / 24 : MAX_HOURS)
                            + ", got " + (days != null ? days : hours).toPlainString());
                } else {
                    length = h.stripTrailingZeros();
                }
            }
            if (start == null || length == null || slot < 1 || slot > 1440) {
                return null;
            }
            Horizon horizon = new Horizon(start, length, slot);
            if (horizon.slotCount() < 1) {
                f.error("slotMinutes", "is longer than the horizon");
            } else if (horizon.slotCount() > MAX_SLOTS) {
                f.error("slotMinutes", "gives " + horizon.slotCount() + " slots; at most " + MAX_SLOTS + " are allowed (use longer slots)");
            }
            return horizon;
        }

        Budget budget(Node node) {
            YamlFields f = YamlFields.of(node, "budget", BUDGET, errors);
            BigDecimal gpuHours = f.number("gpuHours", true);
            checkGpuHours(f, "gpuHours", gpuHours, false);
            Map<String, BigDecimal> perTeam = new LinkedHashMap<>();
            f.numbers("perTeam").forEach((team, cap) -> {
                checkGpuHours(f, "perTeam." + team, cap, true);
                perTeam.put(team, cap);
            });
            return new Budget(gpuHours, perTeam);
        }

        Pool pool(int index, Node node) {
            String named = YamlFields.peek(node, "name");
            YamlFields f = YamlFields.of(node, "pools[" + index + "]" + (named == null ? "" : " (name \"" + named + "\")"), POOL, errors);
            String name = f.name("name", true, FieldLimits.POOL_NAME);
            String gpuType = f.name("gpuType", true, FieldLimits.GPU_TYPE);
            Integer gpus = f.integer("gpus", true);
            checkGpus(f, gpus);
            Node windows = f.value("unavailable").orElse(null);
            if (windows instanceof org.yaml.snakeyaml.nodes.SequenceNode list && list.getValue().size() > FieldLimits.LIST_ENTRIES) {
                f.error("unavailable", "must have at most " + FieldLimits.LIST_ENTRIES + " windows, got " + list.getValue().size());
                return new Pool(name, gpuType, gpus == null ? 0 : gpus, List.of());
            }
            List<TimeWindow> unavailable = new ArrayList<>();
            f.list("unavailable", false, (i, item) -> {
                YamlFields w = YamlFields.of(item, f.entry() + ": unavailable[" + i + "]", WINDOW, errors);
                Instant from = w.instant("from", true);
                Instant to = w.instant("to", true);
                if (from != null && to != null) {
                    if (!to.isAfter(from)) {
                        w.error("to", "must be after from (" + from + "), got " + to);
                    }
                    unavailable.add(new TimeWindow(from, to));
                }
            });
            return new Pool(name, gpuType, gpus == null ? 0 : gpus, unavailable);
        }

        Proposal proposal(int index, Node node) {
            String keyed = YamlFields.peek(node, "key");
            YamlFields f = YamlFields.of(node, "proposals[" + index + "]" + (keyed == null ? "" : " (key \"" + keyed + "\")"), PROPOSAL, errors);
            String key = f.text("key", true);
            if (key != null && !KEY.matcher(key).matches()) {
                f.error("key", "must match [a-z0-9][a-z0-9._-]{0,63}, got \"" + FieldLimits.quote(key, 100) + "\"");
            }
            String title = f.name("title", false, FieldLimits.TITLE);
            String team = f.name("team", true, FieldLimits.TEAM);
            if (team != null && team.isBlank()) {
                f.error("team", "must not be blank");
            }
            String owner = f.name("owner", false, FieldLimits.OWNER);
            BigDecimal value = f.number("value", true);
            if (value != null && value.signum() < 0) {
                f.error("value", "must be >= 0, got " + value.toPlainString());
            } else if (value != null && value.compareTo(FieldLimits.VALUE) > 0) {
                f.error("value", "must be at most " + FieldLimits.VALUE.toPlainString() + ", got " + value.toPlainString());
            }
            BigDecimal p = f.number("successProbability", false);
            if (p != null && (p.signum() <= 0 || p.compareTo(BigDecimal.ONE) > 0)) {
                f.error("successProbability", "must be > 0 and <= 1, got " + p.toPlainString());
            } else if (p != null && p.compareTo(FieldLimits.MIN_SUCCESS_PROBABILITY) < 0) {
                f.error("successProbability", "must be at least " + FieldLimits.MIN_SUCCESS_PROBABILITY.toPlainString() + ", got "
                        + p.toPlainString());
            }
            String gpuType = f.name("gpuType", false, FieldLimits.GPU_TYPE);
            Integer gpus = f.integer("gpus", true);
            checkGpus(f, gpus);
            BigDecimal hours = f.number("hours", true);
            if (hours != null && hours.signum() <= 0) {
                f.error("hours", "must be > 0, got " + hours.toPlainString());
            } else if (hours != null && hours.compareTo(BigDecimal.valueOf(MAX_HOURS)) > 0) {
                f.error("hours", "must be at most " + MAX_HOURS + " (the longest horizon), got " + hours.toPlainString());
            }
            List<String> dependsOn = f.texts("dependsOn", FieldLimits.KEY, FieldLimits.LIST_ENTRIES);
            String group = f.name("exclusiveGroup", false, FieldLimits.EXCLUSIVE_GROUP);
            Instant earliestStart = f.instant("earliestStart", false);
            Instant deadline = f.instant("deadline", false);
            if (earliestStart != null && deadline != null && !deadline.isAfter(earliestStart)) {
                f.error("deadline", "must be after earliestStart (" + earliestStart + "), got " + deadline);
            }
            boolean required = f.bool("required");
            Proposal.Pin pin = null;
            if (f.has("pinned")) {
                YamlFields pf = YamlFields.of(f.value("pinned").get(), f.entry() + ": pinned", PIN, errors);
                String pool = pf.name("pool", true, FieldLimits.POOL_NAME);
                Instant start = pf.instant("start", true);
                pin = new Proposal.Pin(pool, start);
            }
            String command = f.text("command", false);
            if (command != null && command.isBlank()) {
                f.error("command", "must not be blank (leave it out when there is none)");
            } else if (command != null && command.length() > MAX_COMMAND_CHARS) {
                f.error("command", "must be at most " + MAX_COMMAND_CHARS + " characters, got " + command.length());
            } else if (command != null && command.indexOf('\0') >= 0) {
                f.error("command", "must not contain a NUL character");
            }
            String pilot = f.text("pilot", false);
            if (pilot != null && !KEY.matcher(pilot).matches()) {
                f.error("pilot", "must be a proposal key, got \"" + FieldLimits.quote(pilot, 100) + "\"");
            }
            BigDecimal pilotP = f.number("pilotSuccessProbability", false);
            if (pilotP != null && pilot == null) {
                f.error("pilotSuccessProbability", "is given without a pilot (name the pilot proposal in pilot)");
            } else if (pilotP != null && (pilotP.signum() <= 0 || pilotP.compareTo(BigDecimal.ONE) > 0)) {
                f.error("pilotSuccessProbability", "must be > 0 and <= 1, got " + pilotP.toPlainString());
            } else if (pilotP != null && pilotP.compareTo(FieldLimits.MIN_SUCCESS_PROBABILITY) < 0) {
                f.error("pilotSuccessProbability", "must be at least " + FieldLimits.MIN_SUCCESS_PROBABILITY.toPlainString() + ", got "
                        + pilotP.toPlainString());
            }
            return new Proposal(key, title, team, owner, value, p, gpuType, gpus == null ? 0 : gpus, hours, dependsOn,
                    group, earliestStart, deadline, required, pin, command, pilot, pilotP);
        }
    }

    /** Rules across entries: unique names, known references, no dependency cycles, pins that fit. */
    private record Consistency(List<InputError> errors, Horizon horizon, List<Pool> pools, List<Integer> poolLines,
                               List<Proposal> proposals, List<Integer> lines) {

        void check() {
            Map<String, Pool> poolsByName = new HashMap<>();
            Map<String, Integer> poolIndexByName = new HashMap<>();
            for (int i = 0; i < pools.size(); i++) {
                Pool pool = pools.get(i);
                Integer first = poolIndexByName.putIfAbsent(pool.name(), i);
                if (first != null) {
                    errors.add(new InputError(poolLines.get(i), "pools[" + i + "] (name \"" + pool.name() + "\")", "name",
                            "is a duplicate of pools[" + first + "]"));
                } else {
                    poolsByName.put(pool.name(), pool);
                }
            }
            Set<String> gpuTypes = new LinkedHashSet<>();
            pools.forEach(p -> gpuTypes.add(p.gpuType()));
            Map<String, Integer> indexByKey = new HashMap<>();
            for (int i = 0; i < proposals.size(); i++) {
                Proposal proposal = proposals.get(i);
                Integer first = indexByKey.putIfAbsent(proposal.key(), i);
                if (first != null) {
                    error(i, "key", "is a duplicate of proposals[" + first + "]");
                }
            }
            for (int i = 0; i < proposals.size(); i++) {
                Proposal proposal = proposals.get(i);
                if (proposal.gpuType() != null && !gpuTypes.contains(proposal.gpuType())) {
                    error(i, "gpuType", "\"" + proposal.gpuType() + "\" is not the type of any pool (pool types: "
                            + String.join(", ", gpuTypes) + ")");
                }
                for (String dependency : proposal.dependsOn()) {
                    if (dependency.equals(proposal.key())) {
                        error(i, "dependsOn", "names the proposal itself");
                    } else if (!indexByKey.containsKey(dependency)) {
                        error(i, "dependsOn", "names unknown proposal \"" + dependency + "\"");
                    }
                }
                if (proposal.pilot() != null) {
                    if (proposal.pilot().equals(proposal.key())) {
                        error(i, "pilot", "names the proposal itself");
                    } else if (!indexByKey.containsKey(proposal.pilot())) {
                        error(i, "pilot", "names unknown proposal \"" + proposal.pilot() + "\"");
                    }
                }
                checkPin(i, proposal, poolsByName);
            }
            if (errors.isEmpty()) {
                findCycle(indexByKey);
            }
        }

        private void checkPin(int i, Proposal proposal, Map<String, Pool> poolsByName) {
            Proposal.Pin pin = proposal.pinned();
            if (pin == null || pin.pool() == null || pin.start() == null) {
                return;
            }
            Pool pool = poolsByName.get(pin.pool());
            if (pool == null) {
                error(i, "pinned.pool", "names unknown pool \"" + pin.pool() + "\"");
            } else if (!proposal.fitsOn(pool)) {
                error(i, "pinned.pool", "\"" + pool.name() + "\" (" + pool.gpus() + " x " + pool.gpuType()
                        + ") does not fit " + proposal.gpus() + " GPUs" + (proposal.gpuType() == null ? "" : " of type " + proposal.gpuType()));
            }
            if (horizon != null) {
                if (!horizon.isSlotBoundary(pin.start())) {
                    error(i, "pinned.start", "must be on a slot boundary (every " + horizon.slotMinutes() + " minutes from " + horizon.start() + ")");
                } else {
                    int slot = horizon.firstSlotAtOrAfter(pin.start());
                    if (slot < 0 || slot + horizon.slotsFor(proposal.hours()) > horizon.slotCount()) {
                        error(i, "pinned.start", "puts the run outside the horizon " + horizon.start() + " to " + horizon.end());
                    }
                }
            }
        }

        /** Reports the first dependency cycle found as {@code a -> b -> a}, on the proposal that closes it. */
        private void findCycle(Map<String, Integer> indexByKey) {
            List<String> cycle = DependencyOrder.find(proposals).cycle();
            if (!cycle.isEmpty()) {
                error(indexByKey.get(cycle.get(0)), "dependsOn", "forms a cycle: " + String.join(" -> ", cycle));
            }
        }

        private void error(int index, String field, String message) {
            errors.add(new InputError(lines.get(index), "proposals[" + index + "] (key \"" + proposals.get(index).key() + "\")", field, message));
        }
    }
}
