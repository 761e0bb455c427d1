package dev.gpuplan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.generate.PortfolioGenerator.Shape;
import dev.gpuplan.solver.PlanSolver;

/**
 * The benchmark harness works: a tiny instance of every shape through our solver, the greedy baseline and
 * CP-SAT, every plan checked clean by the independent checker, and the three ordered as they must be.
 * Also: every planning config solves, and the OptaPlanner Benchmarker writes its report. No timing is asserted:
 * wall-clock figures belong to {@link BenchmarkSuite}, not to CI. About 30 s.
 */
class BenchmarkSmokeTest {

    private static PlanningConfig config;

    @BeforeAll
    static void loadConfig() {
        config = PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME);
    }

    @Test
    void loadsTheOrToolsNativeLibrary() {
        CpSatModel.loadNativeLibraries();
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void oursGreedyAndCpSatAgreeWithTheChecker(Shape shape) {
        BenchInstance instance = BenchInstance.of(shape, 20, 1, Duration.ofSeconds(2));

        BenchmarkSuite.Row row = BenchmarkSuite.measure(instance, config, Duration.ofSeconds(3));

        assertThat(row.problems()).as("checker and consistency problems").isEmpty();
        assertThat(row.outcome().plan().feasible()).isTrue();
        assertThat(row.outcome().firstFeasible()).isNotNull();
        assertThat(row.ours()).as("ours >= greedy").isGreaterThanOrEqualTo(row.greedy());
        assertThat(row.cpSat().boundMilli()).as("CP-SAT's bound >= ours").isGreaterThanOrEqualTo(row.ours());
        if (row.cpSat().proven()) {
            assertThat(row.cpSat().objectiveMilli()).as("CP-SAT's proven optimum >= ours").isGreaterThanOrEqualTo(row.ours());
        }
    }

    /** Every planning config (tabu.yaml with solver/tabu-search.xml among them) solves as {@code gpuplan solve --config NAME} does. */
    @ParameterizedTest
    @ValueSource(strings = {"default", "deadline-crunch", "tabu"})
    void everyPlanningConfigSolves(String name) {
        PlanningConfig named = PlanningConfigs.locate(null).load(name);
        Portfolio portfolio = BenchInstance.of(Shape.REALISTIC, 30, 1, Duration.ofSeconds(1)).portfolio();

        Plan plan = Plans.solve(portfolio, named, Duration.ofSeconds(1), progress -> { });

        assertThat(plan.feasible()).isTrue();
        assertThat(plan.config()).isEqualTo(name);
        assertThat(PlanChecker.check(portfolio, named.usableBudget(portfolio.budget().gpuHours()), named.defaultTeamCaps(), plan)).isEmpty();
    }

    /** The OptaPlanner Benchmarker runs both configs of benchmark.yaml on a tiny instance and writes its HTML report. */
    @Test
    void benchmarkerWritesItsReport(@TempDir Path directory) throws IOException {
        Path settings = directory.resolve("benchmark.yaml");
        Files.writeString(settings, String.join("\n",
                "configs: " + configsOf(ConfigBenchmark.SETTINGS),
                "problemConfig: default",
                "timeLimit: 1s",
                "instances:",
                "  - {shape: realistic, proposals: 20, seed: 1}",
                ""));

        Path report = ConfigBenchmark.run(settings, directory.resolve("benchmarks"));

        assertThat(report).exists().hasFileName("index.html");
        assertThat(Files.readString(report)).contains("realistic-20-s1", "default", "tabu");
    }

    /** The configs line of the committed settings, so the smoke run compares what the real one compares. */
    private static String configsOf(Path settings) throws IOException {
        return Files.readAllLines(settings).stream().filter(line -> line.startsWith("configs:"))
                .map(line -> line.substring("configs:".length()).replaceAll("#.*", "").trim()).findFirst().orElseThrow();
    }
}
