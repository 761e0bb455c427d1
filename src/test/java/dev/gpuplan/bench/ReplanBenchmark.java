package dev.gpuplan.bench;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.gpuplan.checker.GreedyBaseline;
import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;
import dev.gpuplan.input.PortfolioReader;

/**
 * What replanning with runs in flight costs against a fresh solve ({@code ./mvnw -B -Pbench -Dbench=replan}):
 * <ol>
 * <li>the realistic example solved fresh under the config's own time limits, then solved again with the 30 earliest runs
 *     of that plan pinned where they run (runs in flight: the solver may not move them), under the same limits;</li>
 * <li>the scale instance (10,000 proposals, 20 pools, 14 days) with the 1,000 earliest runs of the greedy baseline's plan
 *     pinned, against the same instance with nothing pinned: the time to the first feasible plan of each.</li>
 * </ol>
 * Runs in flight are pinned on the portfolio's own horizon (the service's replan also moves the horizon's start to the
 * current slot and shortens the pinned runs to their remainder; that changes what is planned, not the solver's work).
 * Every plan is re-checked by the {@link PlanChecker}.
 */
final class ReplanBenchmark {

    static final int REALISTIC_IN_FLIGHT = 30;
    static final int SCALE_PINNED = 1_000;
    static final Duration SCALE_LIMIT = Duration.ofSeconds(15);

    private ReplanBenchmark() {
    }

    static boolean run(PlanningConfig config) {
        List<String> problems = new ArrayList<>();
        System.out.println();
        System.out.println("Replan with runs in flight (one process, solves one after the other; the machine is shared, so times vary"
                + " with what else runs on it)");

        Portfolio realistic = PortfolioReader.read(Path.of("planning-configs/examples/realistic.yaml"));
        TimedSolve.Outcome fresh = TimedSolve.solve(realistic, config, null);
        check("realistic fresh", realistic, config, fresh.plan(), problems);
        Portfolio inFlight = pinEarliest(realistic, fresh.plan(), REALISTIC_IN_FLIGHT);
        TimedSolve.Outcome replan = TimedSolve.solve(inFlight, config, null);
        check("realistic replan", inFlight, config, replan.plan(), problems);

        Table realisticTable = new Table("realistic.yaml (" + realistic.proposals().size() + " proposals), config " + config.name(),
                "fresh", REALISTIC_IN_FLIGHT + " runs in flight", "replan / fresh");
        realisticTable.row("whole solve", fresh.solveTime(), replan.solveTime());
        realisticTable.row("first feasible plan", fresh.firstFeasible(), replan.firstFeasible());
        realisticTable.row("within 1% of its final value", fresh.withinOnePercent(), replan.withinOnePercent());
        realisticTable.print();
        System.out.printf(Locale.ROOT, "  expected value: fresh %s, replan %s (the pinned runs are fixed, so the replan may be worth less)%n",
                fresh.plan().totals().expectedValue().toPlainString(), replan.plan().totals().expectedValue().toPlainString());

        PortfolioGenerator generator = new PortfolioGenerator(Shape.REALISTIC, 10_000, 20, 14, 1);
        Portfolio scale = generator.generate();
        Plan greedy = GreedyBaseline.plan(scale, config.usableBudget(scale.budget().gpuHours()), config.defaultTeamCaps());
        Portfolio pinned = pinEarliest(scale, greedy, SCALE_PINNED);
        TimedSolve.Outcome scaleFresh = TimedSolve.solve(scale, config, SCALE_LIMIT);
        check("scale fresh", scale, config, scaleFresh.plan(), problems);
        TimedSolve.Outcome scaleReplan = TimedSolve.solve(pinned, config, SCALE_LIMIT);
        check("scale replan", pinned, config, scaleReplan.plan(), problems);

        Table scaleTable = new Table("scale: 10,000 proposals x 20 pools x 14 days, time limit " + SCALE_LIMIT.toSeconds() + " s",
                "fresh", SCALE_PINNED + " runs pinned", "replan / fresh");
        scaleTable.row("first feasible plan", scaleFresh.firstFeasible(), scaleReplan.firstFeasible());
        scaleTable.row("within 1% of its final value", scaleFresh.withinOnePercent(), scaleReplan.withinOnePercent());
        scaleTable.print();

        problems.forEach(p -> System.out.println("  PROBLEM: " + p));
        return problems.isEmpty();
    }

    /**
     * The portfolio with the {@code count} earliest-starting runs of {@code plan} pinned where the plan put them, and with
     * them every prerequisite (and pilot) of a pinned run, so no pinned run waits for one that may still move.
     */
    static Portfolio pinEarliest(Portfolio portfolio, Plan plan, int count) {
        Map<String, Proposal> byKey = new HashMap<>();
        portfolio.proposals().forEach(p -> byKey.put(p.key(), p));
        Map<String, Plan.Assignment> assigned = new HashMap<>();
        plan.assignments().forEach(a -> assigned.put(a.proposal(), a));
        List<Plan.Assignment> earliest = plan.assignments().stream()
                .sorted(Comparator.comparing(Plan.Assignment::start).thenComparing(Plan.Assignment::proposal)).limit(count).toList();
        Set<String> pin = new HashSet<>();
        List<String> todo = new ArrayList<>(earliest.stream().map(Plan.Assignment::proposal).toList());
        while (!todo.isEmpty()) {
            String key = todo.remove(todo.size() - 1);
            if (pin.add(key)) {
                todo.addAll(byKey.get(key).prerequisites());
            }
        }
        List<Proposal> proposals = portfolio.proposals().stream().map(p -> {
            Plan.Assignment a = assigned.get(p.key());
            if (!pin.contains(p.key()) || a == null) {
                return p;
            }
            return new Proposal(p.key(), p.title(), p.team(), p.owner(), p.value(), p.successProbability(), p.gpuType(), p.gpus(), p.hours(),
                    p.dependsOn(), p.exclusiveGroup(), p.earliestStart(), p.deadline(), p.required(), new Proposal.Pin(a.pool(), a.start()),
                    p.command(), p.pilot(), p.pilotSuccessProbability());
        }).toList();
        return new Portfolio(portfolio.horizon(), portfolio.budget(), portfolio.pools(), proposals);
    }

    private static void check(String name, Portfolio portfolio, PlanningConfig config, Plan plan, List<String> problems) {
        BigDecimal usable = config.usableBudget(portfolio.budget().gpuHours());
        PlanChecker.check(portfolio, usable, config.defaultTeamCaps(), plan).forEach(v -> problems.add(name + ": " + v));
        if (!plan.feasible()) {
            problems.add(name + ": infeasible, " + plan.violations());
        }
    }

    /** Three columns of durations and their ratio. */
    private static final class Table {
        private final String title;
        private final String[] headers;
        private final List<String[]> rows = new ArrayList<>();

        Table(String title, String... headers) {
            this.title = title;
            this.headers = headers;
        }

        void row(String measure, Duration fresh, Duration replan) {
            String ratio = fresh == null || replan == null || fresh.isZero() ? "-"
                    : String.format(Locale.ROOT, "%.2f", (double) replan.toNanos() / fresh.toNanos());
            rows.add(new String[] {measure, time(fresh), time(replan), ratio});
        }

        void print() {
            System.out.println();
            System.out.println(title);
            String format = "  %-30s %14s %22s %15s%n";
            System.out.printf(Locale.ROOT, format, "measure", headers[0], headers[1], headers[2]);
            rows.forEach(r -> System.out.printf(Locale.ROOT, format, (Object[]) r));
        }

        private static String time(Duration duration) {
            return duration == null ? "never" : String.format(Locale.ROOT, "%.2f s", duration.toMillis() / 1000.0);
        }
    }
}
