package dev.gpuplan.analysis;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import dev.gpuplan.solver.PlanningProblem;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;

/**
 * The value-vs-budget frontier: the same portfolio solved at each budget. Independent points are solved in
 * parallel; then, in budget order, any point whose expected value came out below its predecessor's is solved
 * again warm-started from the predecessor's plan, which stays feasible under the larger budget, so the curve
 * is monotone by construction.
 */
public final class Frontier {

    /**
     * One point: {@code marginalValuePerGpuHour} is the extra expected value per extra budget GPU-hour against the
     * previous point (null for the first); {@code added} the runs in this plan that the previous plan lacks.
     */
    public record Point(BigDecimal budgetGpuHours, BigDecimal gpuHours, BigDecimal expectedValue, int selected,
                        BigDecimal marginalValuePerGpuHour, List<String> added, Plan plan) {
    }

    /** Per point, unless a time limit is given: ten points solve in under a minute on two cores. */
    public static final Duration DEFAULT_POINT_LIMIT = Duration.ofSeconds(8);

    private Frontier() {
    }

    /** Told of each point as its first solve finishes (before the monotone pass), and of progress in words. */
    @FunctionalInterface
    public interface Listener {
        void progress(String message);

        default void solved(BigDecimal budgetGpuHours, Plan plan) {
        }
    }

    public static List<Point> compute(Portfolio portfolio, PlanningConfig config, List<BigDecimal> budgets, Duration perPoint,
                                      int threads, Listener listener) {
        Consumer<String> progress = listener::progress;
        Duration limit = perPoint != null ? perPoint
                : config.timeLimit().compareTo(DEFAULT_POINT_LIMIT) < 0 ? config.timeLimit() : DEFAULT_POINT_LIMIT;
        List<BigDecimal> sorted = new ArrayList<>(new TreeSet<>(budgets));
        List<Plan> plans = solveIndependently(portfolio, config, sorted, limit, threads, listener);
        for (int i = 1; i < plans.size(); i++) {
            Plan previous = plans.get(i - 1);
            if (plans.get(i).totals().expectedValue().compareTo(previous.totals().expectedValue()) < 0) {
                progress.accept("budget " + sorted.get(i).toPlainString() + ": below the previous point, solving again from its plan");
                PlanningProblem problem = new PlanningProblem(portfolio.withBudgetGpuHours(sorted.get(i)), config).warmStart(previous);
                plans.set(i, Plans.solve(problem, limit, p -> { }));
            }
        }
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < plans.size(); i++) {
            Plan plan = plans.get(i);
            BigDecimal marginal = null;
            List<String> added = plan.assignments().stream().map(Plan.Assignment::proposal).toList();
            if (i > 0) {
                Plan previous = plans.get(i - 1);
                BigDecimal extraBudget = sorted.get(i).subtract(sorted.get(i - 1));
                marginal = plan.totals().expectedValue().subtract(previous.totals().expectedValue())
                        .divide(extraBudget, 6, RoundingMode.HALF_UP).stripTrailingZeros();
                List<String> before = previous.assignments().stream().map(Plan.Assignment::proposal).toList();
                added = added.stream().filter(k -> !before.contains(k)).toList();
            }
            points.add(new Point(sorted.get(i), plan.totals().gpuHours(), plan.totals().expectedValue(), plan.totals().selected(),
                    marginal, added, plan));
        }
        return points;
    }

    private static List<Plan> solveIndependently(Portfolio portfolio, PlanningConfig config, List<BigDecimal> budgets,
                                                 Duration perPoint, int threads, Listener listener) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<Plan>> futures = new ArrayList<>();
            int[] done = {0};
            for (BigDecimal budget : budgets) {
                futures.add(pool.submit(() -> {
                    Plan plan = Plans.solve(portfolio.withBudgetGpuHours(budget), config, perPoint, p -> { });
                    synchronized (done) {
                        done[0]++;
                        listener.progress(String.format("point %d/%d solved: budget %s, expected value %s", done[0], budgets.size(),
                                budget.toPlainString(), plan.totals().expectedValue().toPlainString()));
                        listener.solved(budget, plan);
                    }
                    return plan;
                }));
            }
            List<Plan> plans = new ArrayList<>();
            for (Future<Plan> future : futures) {
                plans.add(future.get());
            }
            return plans;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while solving the frontier", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a frontier point failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
