package dev.gpuplan.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import org.optaplanner.core.config.heuristic.selector.move.MoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.composite.UnionMoveSelectorConfig;
import org.optaplanner.core.config.heuristic.selector.move.factory.MoveIteratorFactoryConfig;
import org.optaplanner.core.config.localsearch.LocalSearchPhaseConfig;
import org.optaplanner.core.config.phase.PhaseConfig;
import org.optaplanner.core.config.solver.SolverConfig;

import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.generate.KnownOptimum;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;
import dev.gpuplan.solver.VariantSwitchMoveFactory;

/**
 * The two shapes with a known exact optimum ({@code multiple-choice}, {@code tight-packing}), each solved twice in the
 * same run, one solve after the other: <b>before</b>, the config's solver without the moves written for these shapes
 * ({@link #SHAPE_MOVES}: so far the variant switch, for multiple-choice; no move has closed tight packing's gap yet),
 * and <b>after</b>, the config's solver as it is. Reports each plan's gap to the optimum
 * ({@link KnownOptimum}), checks every plan with the independent {@link PlanChecker}, then runs the 10,000-proposal
 * scale instance both ways to show what the moves cost where they do not help.
 * <pre>
 *   ./mvnw -B -Pbench -Dbench=shapes
 * </pre>
 */
final class ShapeBenchmark {

    /** The moves written for these shapes: left out for the "before" solve. */
    static final List<Class<?>> SHAPE_MOVES = List.of(VariantSwitchMoveFactory.class);
    static final Duration LIMIT = Duration.ofSeconds(10);
    static final int SEEDS = 3;

    private record Instance(Shape shape, int proposals, long seed, Function<Portfolio, Long> optimum) {
        String name() {
            return shape.cliName() + "-" + proposals + "-s" + seed;
        }
    }

    private record Row(Instance instance, long optimum, long before, long after) {
        double gapBefore() {
            return gap(optimum, before);
        }

        double gapAfter() {
            return gap(optimum, after);
        }
    }

    private ShapeBenchmark() {
    }

    static boolean run(PlanningConfig config) {
        List<Instance> instances = new ArrayList<>();
        for (long seed = 1; seed <= SEEDS; seed++) {
            instances.add(new Instance(Shape.MULTIPLE_CHOICE, 140, seed,
                    p -> KnownOptimum.multipleChoice(p, config.usableBudget(p.budget().gpuHours())).valueMilli()));
        }
        for (long seed = 1; seed <= SEEDS; seed++) {
            instances.add(new Instance(Shape.TIGHT_PACKING, 200, seed,
                    p -> KnownOptimum.tightPacking(p, config.usableBudget(p.budget().gpuHours())).valueMilli()));
        }
        List<String> problems = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (Instance instance : instances) {
            Portfolio portfolio = PortfolioGenerator.of(instance.shape(), instance.proposals(), instance.seed()).generate();
            System.out.printf(Locale.ROOT, "  %-26s before %ss, after %ss ...%n", instance.name(), LIMIT.toSeconds(), LIMIT.toSeconds());
            long optimum = instance.optimum().apply(portfolio);
            long before = solve("before", portfolio, config, LIMIT, ShapeBenchmark::withoutShapeMoves, problems);
            long after = solve("after", portfolio, config, LIMIT, UnaryOperator.identity(), problems);
            for (long value : new long[] {before, after}) {
                if (value > optimum) {
                    problems.add(instance.name() + ": a plan worth " + value + " beats the known optimum " + optimum);
                }
            }
            rows.add(new Row(instance, optimum, before, after));
        }
        System.out.println();
        System.out.println("Gap to the known optimum at " + LIMIT.toSeconds() + " s: before = without "
                + SHAPE_MOVES.stream().map(Class::getSimpleName).toList() + ", after = the config as it is (same run)");
        BenchmarkSuite.Table table = new BenchmarkSuite.Table("instance", "optimum", "before", "gap% before", "after", "gap% after");
        for (Row r : rows) {
            table.add(r.instance().name(), BenchmarkSuite.value(r.optimum()), BenchmarkSuite.value(r.before()), BenchmarkSuite.pct(r.gapBefore()),
                    BenchmarkSuite.value(r.after()), BenchmarkSuite.pct(r.gapAfter()));
        }
        table.print();
        System.out.println();
        BenchmarkSuite.Table medians = new BenchmarkSuite.Table("shape", "seeds", "median gap% before", "median gap% after", "worst after");
        for (Shape shape : List.of(Shape.MULTIPLE_CHOICE, Shape.TIGHT_PACKING)) {
            List<Row> group = rows.stream().filter(r -> r.instance().shape() == shape).toList();
            medians.add(shape.cliName(), String.valueOf(group.size()), BenchmarkSuite.pct(median(group.stream().mapToDouble(Row::gapBefore).toArray())),
                    BenchmarkSuite.pct(median(group.stream().mapToDouble(Row::gapAfter).toArray())),
                    BenchmarkSuite.pct(group.stream().mapToDouble(Row::gapAfter).max().orElse(0)));
        }
        medians.print();

        PortfolioGenerator scale = new PortfolioGenerator(Shape.REALISTIC, 10_000, 20, 14, 1);
        Duration scaleLimit = BenchmarkSuite.SCALE_LIMIT;
        System.out.printf(Locale.ROOT, "%nScale instance (%s, %d proposals x %d pools x %d days), %ss each ...%n", scale.shape().cliName(),
                scale.proposals(), scale.pools(), scale.days(), scaleLimit.toSeconds());
        Portfolio portfolio = scale.generate();
        long before = solve("scale before", portfolio, config, scaleLimit, ShapeBenchmark::withoutShapeMoves, problems);
        long after = solve("scale after", portfolio, config, scaleLimit, UnaryOperator.identity(), problems);
        BenchmarkSuite.Table scaleTable = new BenchmarkSuite.Table("measure", "value");
        scaleTable.add("expected value before", BenchmarkSuite.value(before));
        scaleTable.add("expected value after", BenchmarkSuite.value(after));
        scaleTable.add("after / before", String.format(Locale.ROOT, "%.4f", before == 0 ? 0 : (double) after / before));
        scaleTable.print();
        problems.forEach(p -> System.out.println("    PROBLEM: " + p));
        return problems.isEmpty();
    }

    private static long solve(String label, Portfolio portfolio, PlanningConfig config, Duration limit, UnaryOperator<SolverConfig> adjust,
                              List<String> problems) {
        TimedSolve.Outcome outcome = TimedSolve.solve(portfolio, config, limit, adjust);
        BigDecimal usable = config.usableBudget(portfolio.budget().gpuHours());
        PlanChecker.check(portfolio, usable, config.defaultTeamCaps(), outcome.plan()).forEach(v -> problems.add(label + ": checker: " + v));
        if (!outcome.plan().feasible()) {
            problems.add(label + ": infeasible plan " + outcome.plan().violations());
        }
        return BenchmarkSuite.valueMilli(portfolio, outcome.plan());
    }

    /** The solver configuration without {@link #SHAPE_MOVES} in its local search phases. */
    static SolverConfig withoutShapeMoves(SolverConfig solverConfig) {
        for (PhaseConfig<?> phase : solverConfig.getPhaseConfigList()) {
            if (phase instanceof LocalSearchPhaseConfig localSearch && localSearch.getMoveSelectorConfig() instanceof UnionMoveSelectorConfig union) {
                List<MoveSelectorConfig> kept = new ArrayList<>(union.getMoveSelectorConfigList());
                kept.removeIf(move -> move instanceof MoveIteratorFactoryConfig factory && SHAPE_MOVES.contains(factory.getMoveIteratorFactoryClass()));
                union.setMoveSelectorConfigList(kept);
            }
        }
        return solverConfig;
    }

    private static double gap(long optimum, long value) {
        return optimum == 0 ? 0 : 100.0 * (optimum - value) / optimum;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
