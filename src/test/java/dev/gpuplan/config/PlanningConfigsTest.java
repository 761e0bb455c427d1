package dev.gpuplan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

import dev.gpuplan.domain.Rule;
import dev.gpuplan.input.InvalidInputException;

/** Planning configs (README "Editing planning-configs"): every file in {@code planning-configs/} is valid, and a broken one is refused with the line and the reason. */
class PlanningConfigsTest {

    private static final Path CONFIG_DIR = Path.of("planning-configs");

    /** A valid config in the shape of default.yaml; tests change one line of it with {@link #with}. */
    private static final String VALID = """
            description: test
            solver:
              timeLimit: 30s
              unimprovedTimeLimit: 10s
              algorithm: late-acceptance
            weights:
              earlier-results: 1
              deadline-margin: 0
            budget:
              reservePercent: 5
              defaultTeamCaps:
                evals: 100
            deadlineMarginHours: 0
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void solverPhases() throws IOException {
        Files.createDirectories(dir.resolve("solver"));
        Files.copy(CONFIG_DIR.resolve("solver/late-acceptance.xml"), dir.resolve("solver/late-acceptance.xml"));
    }

    // ---- the files of planning-configs/

    static List<String> configNames() throws IOException {
        try (Stream<Path> files = Files.list(CONFIG_DIR)) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".yaml"))
                    .map(f -> f.substring(0, f.length() - ".yaml".length())).sorted().toList();
            assertThat(names).contains("default", "deadline-crunch");
            return names;
        }
    }

    @ParameterizedTest
    @MethodSource("configNames")
    void everyConfigFileParses(String name) {
        PlanningConfig config = PlanningConfigs.in(CONFIG_DIR).load(name);

        assertThat(config.name()).isEqualTo(name);
        assertThat(config.directory()).isEqualTo("planning-configs");
        assertThat(config.solverXml()).contains("<solver", "GpuPlanConstraintProvider");
        assertThat(config.timeLimit()).isPositive();
        assertThat(config.weights().keySet()).isEqualTo(PlanningConfigs.SOFT_CONSTRAINTS);
    }

    @ParameterizedTest
    @MethodSource("configNames")
    void everyWeightKeyNamesASoftConstraint(String name) throws IOException {
        Map<String, Object> yaml = new Yaml().load(Files.readString(CONFIG_DIR.resolve(name + ".yaml")));

        assertThat(yaml).containsKey("weights");
        @SuppressWarnings("unchecked")
        Map<String, Object> weights = (Map<String, Object>) yaml.get("weights");
        assertThat(weights).isNotEmpty();
        assertThat(PlanningConfigs.SOFT_CONSTRAINTS).containsAll(weights.keySet());
    }

    void indexListsExactlyTheConfigsOfTheDirectory() throws IOException {
        List<String> index = Files.readAllLines(CONFIG_DIR.resolve("index.txt")).stream().map(String::trim)
                .filter(l -> !l.isEmpty()).sorted().toList();

        assertThat(index).isEqualTo(configNames());
        assertThat(PlanningConfigs.in(CONFIG_DIR).names()).isEqualTo(index);
        assertThat(PlanningConfigs.packaged().names()).isEqualTo(index);
    }

    @Test
    void packagedDefaultIsTheFileOfTheDirectory() {
        PlanningConfigs packaged = PlanningConfigs.packaged();
        PlanningConfig config = packaged.load(null);

        assertThat(packaged.location()).isEqualTo("classpath:planning-configs");
        assertThat(config.name()).isEqualTo("default");
        assertThat(config.directory()).isEqualTo("classpath:planning-configs");
        assertThat(config).usingRecursiveComparison().ignoringFields("directory")
                .isEqualTo(PlanningConfigs.in(CONFIG_DIR).load("default"));
    }

    @Test
    void defaultConfigHoldsThePolicyOfItsFile() {
        PlanningConfig config = PlanningConfigs.in(CONFIG_DIR).load("default");

        assertThat(config.algorithm()).isEqualTo("late-acceptance");
        assertThat(config.timeLimit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.unimprovedTimeLimit()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.weights()).containsExactlyInAnyOrderEntriesOf(Map.of(Rule.EARLIER_RESULTS.id(), 1L, Rule.DEADLINE_MARGIN.id(), 0L));
        assertThat(config.reservePercent()).isEqualByComparingTo("5");
        assertThat(config.usableBudget(new BigDecimal("400"))).isEqualByComparingTo("380");
        assertThat(config.defaultTeamCaps()).isEmpty();
        assertThat(config.deadlineMarginHours()).isEqualByComparingTo("0");
    }

    @Test
    void deadlineCrunchDiffersFromDefault() {
        PlanningConfigs configs = PlanningConfigs.in(CONFIG_DIR);
        PlanningConfig normal = configs.load("default");
        PlanningConfig crunch = configs.load("deadline-crunch");

        assertThat(crunch.reservePercent()).isEqualByComparingTo("0");
        assertThat(normal.reservePercent()).isEqualByComparingTo("5");
        assertThat(crunch.usableBudget(new BigDecimal("400"))).isEqualByComparingTo("400");
        assertThat(crunch.weights()).isNotEqualTo(normal.weights());
        assertThat(crunch.weight(Rule.EARLIER_RESULTS)).isEqualTo(10L);
        assertThat(crunch.weight(Rule.DEADLINE_MARGIN)).isEqualTo(1000L);
        assertThat(crunch.timeLimit()).isEqualTo(Duration.ofSeconds(15)).isLessThan(normal.timeLimit());
        assertThat(crunch.deadlineMarginHours()).isEqualByComparingTo("24");
    }

    // ---- a lead's own directory

    @Test
    void validConfigInAnotherDirectory() throws IOException {
        PlanningConfig config = write("team", VALID).load("team");

        assertThat(config.directory()).isEqualTo(dir.toString());
        assertThat(config.defaultTeamCaps()).containsOnlyKeys("evals");
        assertThat(config.defaultTeamCaps().get("evals")).isEqualByComparingTo("100");
    }

    @Test
    void omittedSectionsTakeTheDefaults() throws IOException {
        PlanningConfig config = write("minimal", "description: only a description\n").load("minimal");

        assertThat(config.algorithm()).isEqualTo("late-acceptance");
        assertThat(config.timeLimit()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.unimprovedTimeLimit()).isNull();
        assertThat(config.weights()).containsExactlyInAnyOrderEntriesOf(Map.of(Rule.EARLIER_RESULTS.id(), 1L, Rule.DEADLINE_MARGIN.id(), 0L));
        assertThat(config.reservePercent()).isEqualByComparingTo("0");
    }

    @Test
    void wholeSecondsMayBeGivenAsANumber() throws IOException {
        PlanningConfig config = write("x", with(VALID, "  timeLimit: 30s\n", "  timeLimit: 90\n")).load("x");

        assertThat(config.timeLimit()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void confidenceAndGatedSpendAreReadAndChecked() throws IOException {
        String yaml = with(VALID, "  reservePercent: 5\n", "  reservePercent: 5\n  confidence: 0.9\n  gatedSpend: expected\n");
        PlanningConfig config = write("learned", yaml).load("learned");
        assertThat(config.confidence()).isEqualByComparingTo("0.9");
        assertThat(config.gatedSpend()).isEqualTo(PlanningConfig.GatedSpend.EXPECTED);
        assertThat(write("plain", VALID).load("plain").gatedSpend()).isEqualTo(PlanningConfig.GatedSpend.FULL);

        String low = with(VALID, "  reservePercent: 5\n", "  reservePercent: 5\n  confidence: 0.3\n");
        assertRefused("low", low, at("low", low, "confidence")
                + "budget: confidence must be a probability from 0.5 to 0.999 (0.9: 90% of outcomes fit the budget), got 0.3");
        String odd = with(VALID, "  reservePercent: 5\n", "  reservePercent: 5\n  gatedSpend: half\n");
        assertRefused("odd", odd, at("odd", odd, "gatedSpend") + "budget: gatedSpend must be full or expected, got \"half\"");
    }

    @Test
    void unknownKeyIsRefusedWithFileLineAndReason() throws IOException {
        String yaml = with(VALID, "  reservePercent: 5\n", "  reservePercnt: 5\n");

        assertRefused("broken", yaml, at("broken", yaml, "reservePercnt") + "budget: reservePercnt is not a known field (known: reservePercent, defaultTeamCaps, confidence, gatedSpend)");
    }

    @Test
    void unknownTopLevelKey() throws IOException {
        String yaml = VALID + "timelimit: 10s\n";

        assertRefused("broken", yaml, at("broken", yaml, "timelimit")
                + "timelimit is not a known field (known: description, solver, weights, budget, deadlineMarginHours, cluster)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"budget", "pool-capacity", "earlier-result"})
    void weightOfAHardRuleOrAMisspeltConstraintIsRefused(String name) throws IOException {
        String yaml = with(VALID, "  deadline-margin: 0\n", "  deadline-margin: 0\n  " + name + ": 0\n");

        assertRefused("broken", yaml, at("broken", yaml, name + ": 0") + "weights: " + name + " is not a known field (known: earlier-results, deadline-margin)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  reservePercent: 5     | reservePercent: 150    | budget: reservePercent must be >= 0 and < 100, got 150",
            "  reservePercent: 5     | reservePercent: 100    | budget: reservePercent must be >= 0 and < 100, got 100",
            "  reservePercent: 5     | reservePercent: -1     | budget: reservePercent must be >= 0 and < 100, got -1",
            "  earlier-results: 1    | earlier-results: -1    | weights: earlier-results must be a whole number >= 0 (0 turns it off), got -1",
            "  earlier-results: 1    | earlier-results: 1.5   | weights: earlier-results must be a whole number >= 0 (0 turns it off), got 1.5",
            "  deadline-margin: 0    | deadline-margin: lots  | weights: deadline-margin must be a number, got \"lots\"",
            "  timeLimit: 30s        | timeLimit: fast        | solver: timeLimit must be a positive duration such as 30s, 5m or 1h, got \"fast\"",
            "  timeLimit: 30s        | timeLimit: 0s          | solver: timeLimit must be a positive duration such as 30s, 5m or 1h, got \"0s\"",
            "  timeLimit: 30s        | timeLimit: 99999999999999999999s | solver: timeLimit must be a positive duration such as 30s, 5m or 1h, got \"99999999999999999999s\"",
            "  timeLimit: 30s        | timeLimit: true        | solver: timeLimit must be a string",
            "  unimprovedTimeLimit: 10s | unimprovedTimeLimit: -5s | solver: unimprovedTimeLimit must be a positive duration such as 30s, 5m or 1h, got \"-5s\"",
            "    evals: 100          | evals: -100            | budget: defaultTeamCaps.evals must be >= 0, got -100",
            "deadlineMarginHours: 0  | deadlineMarginHours: -1 | deadlineMarginHours must be >= 0, got -1",
            "deadlineMarginHours: 0  | deadlineMarginHours: 1000000000000 | deadlineMarginHours must be at most 480000 (the longest horizon), got 1000000000000"})
    void badValueIsRefusedWithItsLine(String original, String replacement, String message) throws IOException {
        String indent = original.substring(0, original.length() - original.stripLeading().length());
        String yaml = with(VALID, original + "\n", indent + replacement + "\n");

        assertRefused("broken", yaml, at("broken", yaml, replacement) + message);
    }

    @Test
    void everyErrorOfTheFileIsReported() throws IOException {
        String yaml = with(with(VALID, "  timeLimit: 30s\n", "  timeLimit: fast\n"), "  reservePercent: 5\n", "  reservePercent: 150\n");

        assertRefused("broken", yaml,
                at("broken", yaml, "timeLimit: fast") + "solver: timeLimit must be a positive duration such as 30s, 5m or 1h, got \"fast\"",
                at("broken", yaml, "reservePercent: 150") + "budget: reservePercent must be >= 0 and < 100, got 150");
    }

    @Test
    void unknownAlgorithmIsRefused() throws IOException {
        String yaml = with(VALID, "  algorithm: late-acceptance\n", "  algorithm: tabu-search\n");

        assertRefused("broken", yaml, at("broken", yaml, "algorithm: tabu-search") + "solver: algorithm names \"tabu-search\" but "
                + dir + "/solver/tabu-search.xml does not exist");
    }

    @Test
    void algorithmMustBeAFileNameNotAPath() throws IOException {
        String yaml = with(VALID, "  algorithm: late-acceptance\n", "  algorithm: ../../etc/passwd\n");

        assertRefused("broken", yaml, at("broken", yaml, "algorithm: ../") + "solver: algorithm must be a file name, got \"../../etc/passwd\"");
    }

    @Test
    void invalidYamlIsRefusedWithItsLine() throws IOException {
        String yaml = with(VALID, "  timeLimit: 30s\n", "  timeLimit: [30s\n");

        InvalidInputException e = refused("broken", yaml);

        assertThat(e.errors()).hasSize(1);
        assertThat(e.getMessage()).startsWith(at("broken", yaml, "unimprovedTimeLimit") + "is not valid YAML/JSON: ");
    }

    @Test
    void emptyConfigIsRefused() throws IOException {
        assertRefused("empty", "# nothing yet\n", dir + "/empty.yaml: is empty");
    }

    @Test
    void unknownConfigNameIsRefusedNamingTheAvailableOnes() {
        assertThatThrownBy(() -> PlanningConfigs.in(CONFIG_DIR).load("crunch")).isInstanceOf(InvalidInputException.class)
                .hasMessage("--config: names unknown config \"crunch\" in planning-configs (available: deadline-crunch, default, overrun-aware, tabu)");
        assertThatThrownBy(() -> PlanningConfigs.packaged().load("crunch")).isInstanceOf(InvalidInputException.class)
                .hasMessage("--config: names unknown config \"crunch\" in classpath:planning-configs (available: deadline-crunch, default, overrun-aware, tabu)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../planning-configs/default", "solver/late-acceptance", "Default", "examples/small"})
    void configNameIsNotAPath(String name) {
        assertThatThrownBy(() -> PlanningConfigs.in(CONFIG_DIR).load(name)).isInstanceOf(InvalidInputException.class)
                .hasMessage("--config: names unknown config \"" + name + "\" in planning-configs (available: deadline-crunch, default, overrun-aware, tabu)");
    }

    @Test
    void configDirectoryMustExist() {
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> PlanningConfigs.in(missing)).isInstanceOf(InvalidInputException.class)
                .hasMessage(missing + ": is not a directory of planning configs");
    }

    // ---- helpers

    private PlanningConfigs write(String name, String yaml) throws IOException {
        Files.writeString(dir.resolve(name + ".yaml"), yaml);
        return PlanningConfigs.in(dir);
    }

    private void assertRefused(String name, String yaml, String... messageLines) throws IOException {
        assertThat(refused(name, yaml).getMessage()).isEqualTo(String.join("\n", messageLines));
    }

    private InvalidInputException refused(String name, String yaml) throws IOException {
        PlanningConfigs configs = write(name, yaml);
        try {
            PlanningConfig accepted = configs.load(name);
            return fail("accepted an invalid config: " + accepted);
        } catch (InvalidInputException e) {
            return e;
        }
    }

    /** {@code <dir>/<name>.yaml:<line>: } for the line holding {@code fragment}. */
    private String at(String name, String yaml, String fragment) {
        String[] lines = yaml.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment)) {
                return dir + "/" + name + ".yaml:" + (i + 1) + ": ";
            }
        }
        throw new IllegalArgumentException("no line with " + fragment);
    }

    /** {@code base} with {@code original} (which must occur exactly once) replaced. */
    private static String with(String base, String original, String replacement) {
        int first = base.indexOf(original);
        if (first < 0 || base.indexOf(original, first + 1) >= 0) {
            throw new IllegalArgumentException("must occur exactly once: " + original);
        }
        return base.substring(0, first) + replacement + base.substring(first + original.length());
    }
}
