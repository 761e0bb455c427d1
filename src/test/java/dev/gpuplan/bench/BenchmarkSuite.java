package dev.gpuplan.bench;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.gpuplan.checker.GreedyBaseline;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/**
 * Plan quality against the exact optimum (CP-SAT) and the greedy baseline, solve speed, and scale.
 * Every instance is solved by all three in the same run, one after the other (never at the same time: the
 * machine has 2 cores), and every plan is re-checked by the independent {@link PlanChecker}.
 *
 * <pre>
 *   ./mvnw -B -Pbench                      # quick: one seed of every shape at 200 proposals
 *   ./mvnw -B -Pbench -Dbench=full         # every shape at 50 (5 s) and 200 (10 s), 3 seeds each, and at 1,000
 *                                          # proposals (30 s, CP-SAT 30 s), then the scale run (about 12 minutes)
 *   ./mvnw -B -Pbench -Dbench=scale        # the scale run only
 *   ./mvnw -B -Pbench -Dbench=replan       # replan with runs in flight vs a fresh solve ({@link ReplanBenchmark})
 *   ./mvnw -B -Pbench -Dbench=shapes       # multiple-choice and tight-packing vs their known optimum, without and with
 *                                          # the moves written for them, then the scale run both ways ({@link ShapeBenchmark})
 *   ./mvnw -B -Pbench -Dbench=benchmarker  # the OptaPlanner Benchmarker ({@link ConfigBenchmark}), HTML report
 * </pre>
 * Extra arguments: {@code --config NAME} (planning config, default {@code default}).
 * The process exits with 1 when a plan breaks a hard rule or the checker disagrees with a plan.
 */
public final class BenchmarkSuite {

    /** CP-SAT search workers: one per core of the 2-core benchmark machine. */
    static final int CP_SAT_WORKERS = 2;
    static final Duration SMALL_LIMIT = Duration.ofSeconds(5);
    static final Duration QUALITY_LIMIT = Duration.ofSeconds(10);
    static final Duration LARGE_LIMIT = Duration.ofSeconds(30);
    /** How long CP-SAT may try to prove optimality on the quality instances. */
    static final Duration SMALL_PROOF_LIMIT = Duration.ofSeconds(20);
    static final Duration PROOF_LIMIT = Duration.ofSeconds(30);
    static final Duration SCALE_LIMIT = Duration.ofSeconds(60);
    static final List<Shape> SHAPES = List.of(Shape.values());

    /** One instance, solved three ways. Values are expected value in thousandths, the solver's medium score. */
    public record Row(BenchInstance instance, int proposals, int candidates, long ours, long greedy, CpSatModel.Result cpSat,
                      TimedSolve.Outcome outcome, List<String> problems) {

        /** Our gap to CP-SAT's optimum (or to its bound, an upper limit of the true gap, when not proven), in %. */
        public double gapPercent() {
            long reference = cpSat.proven() ? cpSat.objectiveMilli() : cpSat.boundMilli();
            return reference == 0 ? 0 : 100.0 * (reference - ours) / reference;
        }

        /** Our gain over the greedy baseline, in %. */
        public double gainOverGreedyPercent() {
            return greedy == 0 ? (ours == 0 ? 0 : Double.POSITIVE_INFINITY) : 100.0 * (ours - greedy) / greedy;
        }
    }

    private BenchmarkSuite() {
    }

    public static void main(String[] args) {
        String mode = args.length > 0 && !args[0].startsWith("--") ? args[0] : "quick";
        if (mode.equals("benchmarker")) {
            System.out.println("OptaPlanner Benchmarker, as " + ConfigBenchmark.SETTINGS + " says ...");
            System.out.println("Report: " + ConfigBenchmark.run(ConfigBenchmark.SETTINGS, ConfigBenchmark.DIRECTORY).toAbsolutePath());
            return;
        }
        String configName = option(args, "--config", PlanningConfigs.DEFAULT_NAME);
        PlanningConfig config = PlanningConfigs.locate(null).load(configName);
        header(mode, config);
        warmUp(config);
        List<Row> rows = new ArrayList<>();
        switch (mode) {
            case "quick" -> rows.addAll(quality(config, instances(List.of(200), 1, QUALITY_LIMIT), PROOF_LIMIT));
            case "full" -> {
                rows.addAll(quality(config, instances(List.of(50), 3, SMALL_LIMIT), SMALL_PROOF_LIMIT));
                rows.addAll(quality(config, instances(List.of(200), 3, QUALITY_LIMIT), PROOF_LIMIT));
                rows.addAll(quality(config, instances(List.of(1000), 1, LARGE_LIMIT), LARGE_LIMIT));
            }
            case "scale", "replan", "shapes" -> {
            }
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "' (quick, full, scale, replan, shapes, benchmarker)");
        }
        if (!rows.isEmpty()) {
            printRows(rows);
            printMedians(rows);
        }
        boolean scaleOk = true;
        if (mode.equals("full") || mode.equals("scale")) {
            scaleOk = scale(config);
        }
        if (mode.equals("replan")) {
            scaleOk = ReplanBenchmark.run(config);
        }
        if (mode.equals("shapes")) {
            scaleOk = ShapeBenchmark.run(config);
        }
        boolean ok = scaleOk && rows.stream().allMatch(r -> r.problems().isEmpty());
        System.out.println(ok ? "\nAll plans checked clean." : "\nSOME PLANS FAILED THE CHECKS (see above).");
        System.exit(ok ? 0 : 1);
    }

    // ---- the quality table ----

    static List<BenchInstance> instances(List<Integer> sizes, int seeds, Duration timeLimit) {
        List<BenchInstance> instances = new ArrayList<>();
        for (int size : sizes) {
            for (Shape shape : SHAPES) {
                for (long seed = 1; seed <= seeds; seed++) {
                    instances.add(BenchInstance.of(shape, size, seed, timeLimit));
                }
            }
        }
        return instances;
    }

    static List<Row> quality(PlanningConfig config, List<BenchInstance> instances, Duration cpSatLimit) {
        List<Row> rows = new ArrayList<>();
        for (BenchInstance instance : instances) {
            System.out.printf(Locale.ROOT, "  %-28s ours %ss, CP-SAT up to %ss ...%n", instance.name(), instance.timeLimit().toSeconds(),
                    cpSatLimit.toSeconds());
            Row row = measure(instance, config, cpSatLimit);
            row.problems().forEach(p -> System.out.println("    PROBLEM: " + p));
            rows.add(row);
        }
        return rows;
    }

    /** Solves one instance with our solver, the greedy baseline and CP-SAT, and checks all three plans. */
    public static Row measure(BenchInstance instance, PlanningConfig config, Duration cpSatLimit) {
        Portfolio portfolio = instance.portfolio();
        BigDecimal usable = config.usableBudget(portfolio.budget().gpuHours());
        List<String> problems = new ArrayList<>();

        TimedSolve.Outcome outcome = TimedSolve.solve(portfolio, config, instance.timeLimit());
        Plan greedy = GreedyBaseline.plan(portfolio, usable, config.defaultTeamCaps());
        CpSatModel.Result cpSat = CpSatModel.reference(portfolio, config, cpSatLimit, CP_SAT_WORKERS);

        check("ours", portfolio, usable, config, outcome.plan(), problems);
        if (!outcome.plan().feasible()) {
            problems.add("ours: infeasible plan " + outcome.plan().violations());
        }
        check("greedy", portfolio, usable, config, greedy, problems);
        if (cpSat.plan() != null) {
            check("cp-sat", portfolio, usable, config, cpSat.plan(), problems);
            if (valueMilli(portfolio, cpSat.plan()) != cpSat.objectiveMilli()) {
                problems.add("cp-sat: objective " + cpSat.objectiveMilli() + " differs from its plan's value " + valueMilli(portfolio, cpSat.plan()));
            }
        } else {
            problems.add("cp-sat: no solution (" + cpSat.status() + ")");
        }
        long ours = valueMilli(portfolio, outcome.plan());
        if (outcome.score().hardScore() == 0 && outcome.score().mediumScore() != ours) {
            problems.add("ours: medium score " + outcome.score().mediumScore() + " differs from the plan's value " + ours);
        }
        if (cpSat.proven() && ours > cpSat.objectiveMilli()) {
            problems.add("ours: " + ours + " beats CP-SAT's proven optimum " + cpSat.objectiveMilli() + ": the two models differ");
        }
        return new Row(instance, portfolio.proposals().size(), cpSat.candidates(), ours, valueMilli(portfolio, greedy), cpSat,
                outcome, problems);
    }

    private static void check(String who, Portfolio portfolio, BigDecimal usable, PlanningConfig config, Plan plan, List<String> problems) {
        PlanChecker.check(portfolio, usable, config.defaultTeamCaps(), plan).forEach(v -> problems.add(who + ": checker: " + v));
    }

    /** The plan's expected value in thousandths, rounded per proposal as the solver and CP-SAT do. */
    static long valueMilli(Portfolio portfolio, Plan plan) {
        Map<String, Proposal> byKey = new LinkedHashMap<>();
        portfolio.proposals().forEach(p -> byKey.put(p.key(), p));
        return plan.assignments().stream().mapToLong(a -> CpSatModel.milli(byKey.get(a.proposal()).expectedValue())).sum();
    }

    private static void printRows(List<Row> rows) {
        System.out.println();
        System.out.println("Plan quality (expected value; ours with the time limit shown; CP-SAT " + CP_SAT_WORKERS + " workers)");
        Table table = new Table("instance", "size", "cand", "limit", "ours", "greedy", "CP-SAT", "bound", "proven", "gap%", "vs greedy%",
                "1st feas", "within 1%", "peak heap", "CP-SAT time");
        for (Row r : rows) {
            TimedSolve.Outcome o = r.outcome();
            table.add(r.instance().name(), r.instance().size(), String.valueOf(r.candidates()), secs(r.instance().timeLimit()),
                    value(r.ours()), value(r.greedy()), r.cpSat().hasSolution() ? value(r.cpSat().objectiveMilli()) : "-",
                    value(r.cpSat().boundMilli()), r.cpSat().proven() ? "yes" : "no",
                    (r.cpSat().proven() ? "" : "<=") + pct(r.gapPercent()), pct(r.gainOverGreedyPercent()),
                    time(o.firstFeasible()), time(o.withinOnePercent()), mb(o.peakHeapBytes()), time(r.cpSat().wallTime()));
        }
        table.print();
        System.out.println("""
                  gap%: (CP-SAT optimum - ours) / optimum; '<=' when CP-SAT did not prove optimality in its time limit: then
                        measured against CP-SAT's upper bound, so the true gap is at most that. vs greedy%: (ours - greedy) / greedy.
                  1st feas / within 1%: time from the call (building the problem and solver included) to the first plan with
                        no broken hard rule / to the first within 1% of our final expected value.
                  peak heap: heap in use, sampled every 10 ms during our solve (after a GC before it), garbage included.""");
    }

    private static void printMedians(List<Row> rows) {
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        rows.forEach(r -> groups.computeIfAbsent(r.instance().generator().shape().cliName() + " " + r.proposals(), k -> new ArrayList<>())
                .add(r));
        if (groups.values().stream().allMatch(g -> g.size() < 2)) {
            return;
        }
        System.out.println();
        System.out.println("Medians over seeds");
        Table table = new Table("shape", "proposals", "seeds", "gap%", "worst gap%", "vs greedy%", "worst vs greedy%", "1st feas",
                "within 1%", "peak heap", "proven");
        groups.forEach((key, group) -> {
            String[] parts = key.split(" ");
            table.add(parts[0], parts[1], String.valueOf(group.size()), pct(median(group, Row::gapPercent)),
                    pct(group.stream().mapToDouble(Row::gapPercent).max().orElse(0)), pct(median(group, Row::gainOverGreedyPercent)),
                    pct(group.stream().mapToDouble(Row::gainOverGreedyPercent).min().orElse(0)),
                    String.format(Locale.ROOT, "%.2fs", median(group, r -> seconds(r.outcome().firstFeasible()))),
                    String.format(Locale.ROOT, "%.2fs", median(group, r -> seconds(r.outcome().withinOnePercent()))),
                    String.format(Locale.ROOT, "%.0f MB", median(group, r -> r.outcome().peakHeapBytes() / 1e6)),
                    group.stream().filter(r -> r.cpSat().proven()).count() + "/" + group.size());
        });
        table.print();
    }

    // ---- the scale run ----

    /** 10,000 proposals x 20 pools x 14 days of hourly slots (REALISTIC shape): first feasible plan, score speed, memory. */
    static boolean scale(PlanningConfig config) {
        PortfolioGenerator generator = new PortfolioGenerator(Shape.REALISTIC, 10_000, 20, 14, 1);
        System.out.println();
        System.out.printf(Locale.ROOT, "Scale run: %s, %d proposals x %d pools x %d days of hourly slots (%d slots), our time limit %ss%n",
                generator.shape().cliName(), generator.proposals(), generator.pools(), generator.days(), generator.days() * 24,
                SCALE_LIMIT.toSeconds());
        long generating = System.nanoTime();
        Portfolio portfolio = generator.generate();
        Duration generated = Duration.ofNanos(System.nanoTime() - generating);
        BigDecimal usable = config.usableBudget(portfolio.budget().gpuHours());

        TimedSolve.Outcome o = TimedSolve.solve(portfolio, config, SCALE_LIMIT);
        long greedyStarted = System.nanoTime();
        Plan greedy = GreedyBaseline.plan(portfolio, usable, config.defaultTeamCaps());
        Duration greedyTime = Duration.ofNanos(System.nanoTime() - greedyStarted);

        List<String> problems = new ArrayList<>();
        check("ours", portfolio, usable, config, o.plan(), problems);
        check("greedy", portfolio, usable, config, greedy, problems);
        if (!o.plan().feasible()) {
            problems.add("ours: infeasible plan, " + o.plan().violations().size() + " violations");
        }
        long ours = valueMilli(portfolio, o.plan());
        long greedyValue = valueMilli(portfolio, greedy);
        Table table = new Table("measure", "value");
        table.add("portfolio generated in", time(generated));
        table.add("time to first feasible plan", time(o.firstFeasible()) + " (from the call: problem, solver and greedy first phase)");
        table.add("solve time (whole call)", time(o.solveTime()));
        table.add("score calculations", String.format(Locale.ROOT, "%,d", o.scoreCalculationCount()));
        table.add("score calculation speed", String.format(Locale.ROOT, "%,d /s (OptaPlanner's count over the whole solve)",
                o.scoreCalculationSpeed()));
        table.add("peak heap in use (sampled)", mb(o.peakHeapBytes()) + " of max " + mb(Runtime.getRuntime().maxMemory()));
        table.add("peak heap after a GC", mb(o.peakHeapAfterGcBytes()) + " (closer to the live data)");
        table.add("selected / candidates", o.plan().totals().selected() + " / " + o.plan().totals().candidates());
        table.add("expected value: ours", value(ours) + " (score " + o.score() + ")");
        table.add("expected value: greedy", value(greedyValue) + " (in " + time(greedyTime) + ")");
        table.add("ours vs greedy", pct(greedyValue == 0 ? 0 : 100.0 * (ours - greedyValue) / greedyValue));
        table.add("improvements found", String.valueOf(o.improvements().size()));
        table.add("checker", problems.isEmpty() ? "clean (ours and greedy)" : problems.size() + " problems");
        table.print();
        problems.forEach(p -> System.out.println("    PROBLEM: " + p));
        return problems.isEmpty();
    }

    // ---- set-up and formatting ----

    private static void header(String mode, PlanningConfig config) {
        Runtime runtime = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "gpuplan benchmarks (%s): config %s from %s (algorithm %s), %d cores, max heap %s, Java %s%n",
                mode, config.name(), config.directory(), config.algorithm(), runtime.availableProcessors(), mb(runtime.maxMemory()),
                System.getProperty("java.version"));
        System.out.println("Wall-clock figures depend on the machine and on anything else running on it; compare within one run.");
    }

    /** A short solve and a small CP-SAT solve first, so the JIT and the native library are warm for the first instance. */
    private static void warmUp(PlanningConfig config) {
        System.out.println("Warming up ...");
        BenchInstance instance = BenchInstance.of(Shape.REALISTIC, 100, 99, Duration.ofSeconds(5));
        TimedSolve.solve(instance.portfolio(), config, instance.timeLimit());
        CpSatModel.reference(instance.portfolio(), config, Duration.ofSeconds(2), CP_SAT_WORKERS);
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static double median(List<Row> rows, ToDoubleFunction<Row> metric) {
        double[] values = rows.stream().mapToDouble(metric).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double seconds(Duration d) {
        return d == null ? Double.NaN : d.toNanos() / 1e9;
    }

    static String value(long milli) {
        return String.format(Locale.ROOT, "%.1f", milli / 1000.0);
    }

    static String pct(double percent) {
        return Double.isInfinite(percent) ? "inf" : String.format(Locale.ROOT, "%.2f", percent);
    }

    static String time(Duration d) {
        return d == null ? "never" : String.format(Locale.ROOT, "%.2fs", d.toNanos() / 1e9);
    }

    private static String secs(Duration d) {
        return d.toSeconds() + "s";
    }

    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1e6);
    }

    /** A plain-text table: left-aligned first column, the rest right-aligned. */
    static final class Table {
        private final List<String[]> lines = new ArrayList<>();

        Table(String... columns) {
            lines.add(columns);
        }

        void add(String... cells) {
            lines.add(cells);
        }

        void print() {
            int columns = lines.get(0).length;
            int[] width = new int[columns];
            for (String[] line : lines) {
                for (int c = 0; c < columns; c++) {
                    width[c] = Math.max(width[c], line[c].length());
                }
            }
            for (int l = 0; l < lines.size(); l++) {
                StringBuilder text = new StringBuilder();
                for (int c = 0; c < columns; c++) {
                    String cell = lines.get(l)[c];
                    String padded = c == 0 || columns == 2 ? String.format("%-" + width[c] + "s", cell) : String.format("%" + width[c] + "s", cell);
                    text.append(c == 0 ? "" : "  ").append(padded);
                }
                System.out.println(text.toString().stripTrailing());
                if (l == 0) {
                    System.out.println("-".repeat(text.toString().stripTrailing().length()));
                }
            }
        }
    }
}
