package dev.gpuplan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/**
 * The benchmark harness works: a tiny instance of every shape through our solver, the greedy baseline and
 * CP-SAT, every plan checked clean by the independent checker, and the three ordered as they must be.
 * No timing is asserted: wall-clock figures belong to {@link BenchmarkSuite}, not to CI.
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

        BenchmarkSuite.Row row = BenchmarkSuite.measure(instance, config, Duration.ofSeconds(10));

        assertThat(row.problems()).as("checker and consistency problems").isEmpty();
        assertThat(row.outcome().plan().feasible()).isTrue();
        assertThat(row.outcome().firstFeasible()).isNotNull();
        assertThat(row.ours()).as("ours >= greedy").isGreaterThanOrEqualTo(row.greedy());
        assertThat(row.cpSat().boundMilli()).as("CP-SAT's bound >= ours").isGreaterThanOrEqualTo(row.ours());
        if (row.cpSat().proven()) {
            assertThat(row.cpSat().objectiveMilli()).as("CP-SAT's proven optimum >= ours").isGreaterThanOrEqualTo(row.ours());
        }
    }
}
