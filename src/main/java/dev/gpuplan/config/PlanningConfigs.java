package dev.gpuplan.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.yaml.snakeyaml.nodes.Node;

import dev.gpuplan.domain.Rule;
import dev.gpuplan.input.DurationText;
import dev.gpuplan.input.InputError;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.input.YamlFields;

/**
 * The planning configs of one directory: {@code <name>.yaml} files and the solver phase files in
 * {@code solver/<algorithm>.xml}. The directory is, in order: the {@code --config-dir} option,
 * {@code GPUPLAN_CONFIG_DIR}, {@code ./planning-configs} if it exists, else the defaults packaged in the jar.
 * A config is validated when loaded: an unknown key or a bad value is refused with the file, line and reason.
 */
public final class PlanningConfigs {

    public static final String ENV = "GPUPLAN_CONFIG_DIR";
    public static final String PACKAGED = "classpath:planning-configs";
    public static final String DEFAULT_NAME = "default";
    /** Soft constraints a config may weigh; hard rules are not here, so no config can switch them off. */
    public static final Set<String> SOFT_CONSTRAINTS = YamlFields.names(Rule.soft().stream().map(Rule::id).toArray(String[]::new));
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final Set<String> TOP = YamlFields.names("description", "solver", "weights", "budget", "deadlineMarginHours", "cluster");
    private static final Set<String> SOLVER = YamlFields.names("algorithm", "timeLimit", "unimprovedTimeLimit");
    private static final Set<String> BUDGET = YamlFields.names("reservePercent", "defaultTeamCaps", "confidence", "gatedSpend");

    private final Path directory;

    private PlanningConfigs(Path directory) {
        this.directory = directory;
    }

    /** Resolves the config directory from an explicit option (may be null), the environment, the working directory. */
    public static PlanningConfigs locate(String option) {
        if (option != null && !option.isBlank()) {
            return in(Path.of(option));
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return in(Path.of(env));
        }
        Path local = Path.of("planning-configs");
        return Files.isDirectory(local) ? new PlanningConfigs(local) : packaged();
    }

    public static PlanningConfigs in(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw InvalidInputException.of(directory.toString(), "", "", "is not a directory of planning configs");
        }
        return new PlanningConfigs(directory);
    }

    public static PlanningConfigs packaged() {
        return new PlanningConfigs(null);
    }

    /** {@code planning-configs} as given, or {@code classpath:planning-configs}. */
    public String location() {
        return directory == null ? PACKAGED : directory.toString();
    }

    /** The names of the configs available here, sorted. */
    public List<String> names() {
        if (directory == null) {
            return readPackaged("index.txt").map(text -> text.lines().map(String::trim).filter(l -> !l.isEmpty()).sorted().toList())
                    .orElse(List.of(DEFAULT_NAME));
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length())).filter(n -> NAME.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            throw InvalidInputException.of(location(), "", "", "cannot be listed: " + e.getMessage());
        }
    }

    /** The file's text as the lead wrote it. */
    public Optional<String> text(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return read(name + ".yaml");
    }

    public PlanningConfig load(String name) {
        String configName = name == null ? DEFAULT_NAME : name;
        String source = location() + "/" + configName + ".yaml";
        String text = text(configName).orElseThrow(() -> InvalidInputException.of("--config", "", "",
                "names unknown config \"" + configName + "\" in " + location() + " (available: " + String.join(", ", names()) + ")"));
        return parse(configName, source, text);
    }

    PlanningConfig parse(String name, String source, String text) {
        Node root = PortfolioReader.parse(source, new StringReader(text));
        List<InputError> errors = new ArrayList<>();
        YamlFields top = YamlFields.of(root, "", TOP, errors);
        top.text("description", false);

        String algorithm = "late-acceptance";
        int algorithmLine = top.line("solver");
        Duration timeLimit = Duration.ofSeconds(30);
        Duration unimproved = null;
        if (top.has("solver")) {
            YamlFields solver = YamlFields.of(top.value("solver").get(), "solver", SOLVER, errors);
            algorithm = Optional.ofNullable(solver.text("algorithm", false)).orElse(algorithm);
            algorithmLine = solver.line("algorithm");
            timeLimit = Optional.ofNullable(duration(solver, "timeLimit")).orElse(timeLimit);
            unimproved = duration(solver, "unimprovedTimeLimit");
        }

        Map<String, Long> weights = new LinkedHashMap<>();
        Rule.soft().forEach(rule -> weights.put(rule.id(), rule.defaultWeight()));
        YamlFields weightFields = top.has("weights")
                ? YamlFields.of(top.value("weights").get(), "weights", SOFT_CONSTRAINTS, errors) : null;
        if (weightFields != null) {
            for (String constraint : SOFT_CONSTRAINTS) {
                BigDecimal weight = weightFields.number(constraint, false);
                if (weight == null) {
                    continue;
                }
                if (weight.signum() < 0 || weight.stripTrailingZeros().scale() > 0) {
                    weightFields.error(constraint, "must be a whole number >= 0 (0 turns it off), got " + weight.toPlainString());
                } else {
                    weights.put(constraint, weight.longValueExact());
                }
            }
        }

        BigDecimal reserve = BigDecimal.ZERO;
        BigDecimal confidence = null;
        PlanningConfig.GatedSpend gatedSpend = PlanningConfig.GatedSpend.FULL;
        Map<String, BigDecimal> teamCaps = Map.of();
        if (top.has("budget")) {
            YamlFields budget = YamlFields.of(top.value("budget").get(), "budget", BUDGET, errors);
            BigDecimal percent = budget.number("reservePercent", false);
            if (percent != null && (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) >= 0)) {
                budget.error("reservePercent", "must be >= 0 and < 100, got " + percent.toPlainString());
            } else if (percent != null) {
                reserve = percent;
            }
            BigDecimal quantile = budget.number("confidence", false);
            if (quantile != null && (quantile.compareTo(new BigDecimal("0.5")) < 0 || quantile.compareTo(new BigDecimal("0.999")) > 0)) {
                budget.error("confidence", "must be a probability from 0.5 to 0.999 (0.9: 90% of outcomes fit the budget), got "
                        + quantile.toPlainString());
            } else {
                confidence = quantile;
            }
            String gated = budget.text("gatedSpend", false);
            if (gated != null) {
                switch (gated) {
                    case "full" -> gatedSpend = PlanningConfig.GatedSpend.FULL;
                    case "expected" -> gatedSpend = PlanningConfig.GatedSpend.EXPECTED;
                    default -> budget.error("gatedSpend", "must be full or expected, got \"" + gated + "\"");
                }
            }
            teamCaps = budget.numbers("defaultTeamCaps");
            teamCaps.forEach((team, cap) -> {
                if (cap.signum() < 0) {
                    budget.error("defaultTeamCaps." + team, "must be >= 0, got " + cap.toPlainString());
                }
            });
        }

        BigDecimal margin = top.number("deadlineMarginHours", false);
        if (margin != null && margin.signum() < 0) {
            top.error("deadlineMarginHours", "must be >= 0, got " + margin.toPlainString());
        } else if (margin != null && margin.compareTo(BigDecimal.valueOf(PortfolioReader.MAX_HOURS)) > 0) {
            top.error("deadlineMarginHours", "must be at most " + PortfolioReader.MAX_HOURS + " (the longest horizon), got " + margin.toPlainString());
        }

        ClusterMapping cluster = top.has("cluster") ? ClusterMapping.read(top.value("cluster").get(), errors) : ClusterMapping.DEFAULT;

        String solverXml = null;
        if (!NAME.matcher(algorithm).matches()) {
            errors.add(new InputError(algorithmLine, "solver", "algorithm", "must be a file name, got \"" + algorithm + "\""));
        } else {
            solverXml = read("solver/" + algorithm + ".xml").orElse(null);
            if (solverXml == null) {
                errors.add(new InputError(algorithmLine, "solver", "algorithm",
                        "names \"" + algorithm + "\" but " + location() + "/solver/" + algorithm + ".xml does not exist"));
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        return new PlanningConfig(name, location(), algorithm, solverXml, timeLimit, unimproved, weights, reserve, teamCaps,
                margin == null ? BigDecimal.ZERO : margin, cluster, confidence, gatedSpend);
    }

    private static Duration duration(YamlFields fields, String field) {
        if (!fields.has(field)) {
            return null;
        }
        String text = fields.text(field, false); // a number such as 90 arrives as its text: seconds
        if (text == null) {
            return null; // not a scalar: reported by text()
        }
        Duration duration = DurationText.parse(text);
        if (duration == null || duration.isNegative() || duration.isZero()) {
            fields.error(field, "must be a positive duration such as 30s, 5m or 1h, got \"" + text + "\"");
            return null;
        }
        return duration;
    }

    private Optional<String> read(String relative) {
        if (directory == null) {
            return readPackaged(relative);
        }
        Path file = directory.resolve(relative);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw InvalidInputException.of(file.toString(), "", "", "cannot be read: " + e.getMessage());
        }
    }

    private static Optional<String> readPackaged(String relative) {
        try (InputStream in = PlanningConfigs.class.getClassLoader().getResourceAsStream("planning-configs/" + relative)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw InvalidInputException.of(PACKAGED + "/" + relative, "", "", "cannot be read: " + e.getMessage());
        }
    }
}
