package dev.gpuplan.bench;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.optaplanner.benchmark.api.PlannerBenchmarkFactory;
import org.optaplanner.benchmark.config.PlannerBenchmarkConfig;
import org.optaplanner.benchmark.config.ProblemBenchmarksConfig;
import org.optaplanner.benchmark.config.SolverBenchmarkConfig;
import org.optaplanner.benchmark.config.statistic.ProblemStatisticType;
import org.optaplanner.benchmark.impl.DefaultPlannerBenchmark;
import org.optaplanner.benchmark.impl.result.PlannerBenchmarkResult;
import org.optaplanner.benchmark.impl.result.ProblemBenchmarkResult;
import org.optaplanner.benchmark.impl.result.SolverBenchmarkResult;
import org.yaml.snakeyaml.Yaml;

import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;
import dev.gpuplan.generate.PortfolioYaml;
import dev.gpuplan.input.DurationText;
import dev.gpuplan.solver.PlanSolver;

/**
 * The OptaPlanner Benchmarker, set up by {@code planning-configs/benchmark/benchmark.yaml}: one solver benchmark
 * per planning config (its {@code solver/<algorithm>.xml}, the benchmark's time limit), run on generated
 * portfolios written as files, so the report names each problem and a lead can re-run one with {@code gpuplan solve}.
 * The report (HTML) lands in {@code target/benchmarks/<timestamp>/index.html}.
 */
public final class ConfigBenchmark {

    static final Path SETTINGS = Path.of("planning-configs", "benchmark", "benchmark.yaml");
    static final Path DIRECTORY = Path.of("target", "benchmarks");

    private ConfigBenchmark() {
    }

    /** Runs the benchmark and returns the report's index.html. */
    public static Path run(Path settingsFile, Path benchmarkDirectory) {
        Map<String, Object> settings = readSettings(settingsFile);
        PlanningConfigs configs = PlanningConfigs.locate(null);
        Duration timeLimit = duration(settings, "timeLimit", Duration.ofSeconds(10));
        Duration warmUp = duration(settings, "warmUp", Duration.ZERO);
        PortfolioFileIO.problemConfig = configs.load((String) settings.getOrDefault("problemConfig", PlanningConfigs.DEFAULT_NAME));

        List<SolverBenchmarkConfig> solverBenchmarks = new ArrayList<>();
        for (Object name : list(settings, "configs")) {
            solverBenchmarks.add(new SolverBenchmarkConfig().withName(name.toString())
                    .withSolverConfig(PlanSolver.solverConfig(configs.load(name.toString()), timeLimit)));
        }
        ProblemBenchmarksConfig problems = new ProblemBenchmarksConfig()
                .withSolutionFileIOClass(PortfolioFileIO.class)
                .withWriteOutputSolutionEnabled(false)
                .withInputSolutionFileList(writeInstances(list(settings, "instances"), benchmarkDirectory.resolve("instances")))
                .withProblemStatisticTypes(ProblemStatisticType.BEST_SCORE, ProblemStatisticType.STEP_SCORE,
                        ProblemStatisticType.SCORE_CALCULATION_SPEED, ProblemStatisticType.BEST_SOLUTION_MUTATION,
                        ProblemStatisticType.MOVE_COUNT_PER_STEP);
        PlannerBenchmarkConfig benchmark = new PlannerBenchmarkConfig()
                .withName("gpuplan planning configs")
                .withBenchmarkDirectory(benchmarkDirectory.toFile())
                .withParallelBenchmarkCount("1") // one solve at a time: the machines have 2 cores
                .withWarmUpMillisecondsSpentLimit(warmUp.toMillis())
                .withInheritedSolverBenchmarkConfig(new SolverBenchmarkConfig()
                        .withProblemBenchmarksConfig(problems)
                        .withSubSingleCount(((Number) settings.getOrDefault("subSingleCount", 1)).intValue()))
                .withSolverBenchmarkConfigList(solverBenchmarks);
        DefaultPlannerBenchmark planner = (DefaultPlannerBenchmark) PlannerBenchmarkFactory.create(benchmark).buildPlannerBenchmark();
        planner.benchmark();
        printScores(planner.getPlannerBenchmarkResult());
        return planner.getBenchmarkReport().getHtmlOverviewFile().toPath();
    }

    /** The report's headline in text: each config's score per instance (hard/medium/soft; medium = expected value x 1000). */
    private static void printScores(PlannerBenchmarkResult result) {
        List<SolverBenchmarkResult> solvers = result.getSolverBenchmarkResultList();
        List<String> columns = new ArrayList<>(List.of("instance"));
        solvers.forEach(solver -> columns.add(solver.getNameWithFavoriteSuffix()));
        BenchmarkSuite.Table table = new BenchmarkSuite.Table(columns.toArray(String[]::new));
        for (ProblemBenchmarkResult<?> problem : result.getUnifiedProblemBenchmarkResultList()) {
            List<String> cells = new ArrayList<>(List.of(problem.getName()));
            for (SolverBenchmarkResult solver : solvers) {
                cells.add(solver.getSingleBenchmarkResultList().stream().filter(single -> single.getProblemBenchmarkResult() == problem)
                        .findFirst().map(single -> single.getAverageScore() + (single.isWinner() ? " *" : "")).orElse("-"));
            }
            table.add(cells.toArray(String[]::new));
        }
        List<String> speeds = new ArrayList<>(List.of("score calculations /s"));
        solvers.forEach(solver -> speeds.add(String.format(Locale.ROOT, "%,d", solver.getAverageScoreCalculationSpeed())));
        table.add(speeds.toArray(String[]::new));
        table.print();
        System.out.println("(* best of the configs on that instance; the favorite config is marked by the Benchmarker)");
    }

    private static List<File> writeInstances(List<?> instances, Path directory) {
        List<File> files = new ArrayList<>();
        try {
            Files.createDirectories(directory);
            for (Object item : instances) {
                Map<?, ?> instance = (Map<?, ?>) item;
                Shape shape = Shape.parse(instance.get("shape").toString());
                int proposals = ((Number) instance.get("proposals")).intValue();
                long seed = instance.containsKey("seed") ? ((Number) instance.get("seed")).longValue() : 1;
                PortfolioGenerator generator = PortfolioGenerator.of(shape, proposals, seed);
                Path file = directory.resolve(shape.cliName() + "-" + proposals + "-s" + seed + ".yaml");
                Files.writeString(file, PortfolioYaml.write(generator.generate(), List.of(
                        "gpuplan generate --shape " + shape.cliName() + " --proposals " + proposals + " --seed " + seed)));
                files.add(file.toFile());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark's instances to " + directory, e);
        }
        return files;
    }

    private static Map<String, Object> readSettings(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Yaml().load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    private static List<?> list(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw new IllegalArgumentException(SETTINGS + ": " + key + " must be a non-empty list");
        }
        return list;
    }

    private static Duration duration(Map<String, Object> settings, String key, Duration fallback) {
        Object value = settings.get(key);
        Duration duration = value == null ? fallback : DurationText.parse(value.toString());
        if (duration == null) {
            throw new IllegalArgumentException(SETTINGS + ": " + key + " must be a duration such as 10s, got \"" + value + "\"");
        }
        return duration;
    }
}
