package dev.gpuplan.analysis;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.ReasonCode;

/**
 * "Why is my run not in the plan, and what would it take?" for one proposal. Each threshold is verified, not
 * estimated: the portfolio is re-solved with the changed input and only a value at which the proposal was
 * actually selected is reported. Re-solves start from scratch rather than from the current plan: getting a
 * proposal in usually means moving or dropping runs the current plan holds, which a search started from that
 * plan rarely undoes within a short limit, while a fresh greedy pass ranks the changed proposal where it now
 * belongs. The three searches run in parallel.
 */
public final class Counterfactuals {

    private static final int MAX_DOUBLINGS = 12;
    private static final int MAX_BISECTIONS = 6;

    /** The answer, in the shape {@code {proposal, selected, reasons, wouldBeSelectedIf, displaces}}. */
    public record Explanation(String proposal, boolean selected, List<Plan.Unselected> reasons,
                              Map<String, BigDecimal> wouldBeSelectedIf, List<String> displaces, Plan plan) {
    }

    private final Portfolio portfolio;
    private final PlanningConfig config;
    private final Duration perSolve;
    private final Consumer<String> progress;

    public Counterfactuals(Portfolio portfolio, PlanningConfig config, Duration perSolve, Consumer<String> progress) {
        this.portfolio = portfolio;
        this.config = config;
        this.perSolve = perSolve;
        this.progress = progress;
    }

    /** Explains {@code key} against {@code plan}, a plan of this portfolio under this config. */
    public Explanation explain(Plan plan, String key) {
        Proposal proposal = portfolio.proposals().stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no proposal \"" + key + "\" in the portfolio"));
        Optional<Plan.Assignment> assignment = plan.assignments().stream().filter(a -> a.proposal().equals(key)).findFirst();
        if (assignment.isPresent()) {
            Plan.Assignment a = assignment.get();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("pool", a.pool());
            details.put("start", a.start().toString());
            details.put("end", a.end().toString());
            details.put("gpuHours", a.gpuHours());
            details.put("expectedValue", a.expectedValue());
            return new Explanation(key, true, List.of(new Plan.Unselected(key, ReasonCode.SELECTED, "selected on " + a.pool() + " from "
                    + a.start() + " to " + a.end() + ", adding expected value " + a.expectedValue().toPlainString()
                    + " for " + a.gpuHours().toPlainString() + " GPU-hours", details)), Map.of(), List.of(), plan);
        }
        Plan.Unselected reason = plan.unselected().stream().filter(u -> u.proposal().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the plan neither selects nor explains " + key));
        Map<String, BigDecimal> thresholds = new LinkedHashMap<>();
        List<String> displaces = List.of();
        if (!structural(reason)) {
            ExecutorService threads = Executors.newFixedThreadPool(Math.max(1, Math.min(3, Runtime.getRuntime().availableProcessors())));
            try {
                boolean windowOnly = reason.code() == ReasonCode.NO_WINDOW;
                BigDecimal floor = plan.totals().expectedValue();
                Future<Optional<Found>> value = windowOnly ? null : threads.submit(() -> valueAtLeast(proposal, floor));
                Future<Optional<Found>> hours = threads.submit(() -> hoursAtMost(proposal, floor));
                Future<Optional<Found>> budget = windowOnly ? null : threads.submit(() -> budgetAtLeast(proposal, floor));
                Optional<Found> valueFound = value == null ? Optional.empty() : value.get();
                valueFound.ifPresent(found -> thresholds.put("valueAtLeast", found.threshold()));
                hours.get().ifPresent(found -> thresholds.put("hoursAtMost", found.threshold()));
                if (budget != null) {
                    budget.get().ifPresent(found -> thresholds.put("budgetGpuHoursAtLeast", found.threshold()));
                }
                displaces = valueFound.map(found -> leaving(plan, found.plan())).orElse(List.of());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while re-solving", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a re-solve failed: " + e.getCause(), e.getCause());
            } finally {
                threads.shutdownNow();
            }
        }
        return new Explanation(key, false, List.of(reason), thresholds, displaces, plan);
    }

    /**
     * Whether no change of this proposal's value, hours or the budget can help: it fits no pool, or it depends on a
     * proposal that can never be selected ({@code dependencyCode} names why). A dependency that this plan merely
     * did not choose is not structural: a higher value or a bigger budget can bring both in.
     */
    private static boolean structural(Plan.Unselected reason) {
        return reason.code() == ReasonCode.NO_FITTING_POOL
                || reason.code() == ReasonCode.DEPENDENCY_NOT_SELECTED && reason.details().containsKey("dependencyCode");
    }

    /** A threshold at which the proposal was selected, and that plan. */
    private record Found(BigDecimal threshold, Plan plan) {
    }

    private Optional<Found> valueAtLeast(Proposal proposal, BigDecimal floor) {
        BigDecimal start = proposal.value().signum() > 0 ? proposal.value() : BigDecimal.ONE;
        return search("value", proposal.value(), start, true, v -> withProposal(copy(proposal, v, proposal.hours())), proposal.key(), floor);
    }

    private Optional<Found> hoursAtMost(Proposal proposal, BigDecimal floor) {
        BigDecimal oneSlot = BigDecimal.valueOf(portfolio.horizon().slotMinutes()).divide(BigDecimal.valueOf(60), 6, RoundingMode.HALF_UP);
        return search("hours", proposal.hours(), proposal.hours(), false, h -> h.compareTo(oneSlot) < 0 ? null
                : withProposal(copy(proposal, proposal.value(), h)), proposal.key(), floor);
    }

    private Optional<Found> budgetAtLeast(Proposal proposal, BigDecimal floor) {
        BigDecimal budget = portfolio.budget().gpuHours();
        BigDecimal all = portfolio.proposals().stream().map(Proposal::gpuHours).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal ceiling = all.add(budget).multiply(BigDecimal.valueOf(2));
        return search("budget", budget, budget, true, b -> b.compareTo(ceiling) > 0 ? null
                : portfolio.withBudgetGpuHours(b), proposal.key(), floor);
    }

    private Portfolio withProposal(Proposal changed) {
        List<Proposal> proposals = portfolio.proposals().stream().map(p -> p.key().equals(changed.key()) ? changed : p).toList();
        return new Portfolio(portfolio.horizon(), portfolio.budget(), portfolio.pools(), proposals);
    }

    private static Proposal copy(Proposal p, BigDecimal value, BigDecimal hours) {
        return new Proposal(p.key(), p.title(), p.team(), p.owner(), value, p.successProbability(), p.gpuType(), p.gpus(), hours,
                p.dependsOn(), p.exclusiveGroup(), p.earliestStart(), p.deadline(), p.required(), p.pinned(), p.command(), p.pilot(),
                p.pilotSuccessProbability());
    }

    /**
     * Moves {@code what} away from {@code current} (up when {@code upwards}, else down) by doubling/halving until the
     * proposal is selected, then bisects between the last failing and the first succeeding value. Every value tried
     * is rounded to three significant digits, so the reported threshold is a round number that was actually solved.
     * A re-solve counts only if its plan is worth at least {@code floor}, the expected value of the plan being
     * explained: that plan leaves the proposal out, so it is still feasible after each change, and a plan that
     * selects the proposal but is worth less only shows the solver stuck short of it, not a reason to select it.
     */
    private Optional<Found> search(String what, BigDecimal current, BigDecimal first, boolean upwards,
                                   Function<BigDecimal, Portfolio> changed, String key, BigDecimal floor) {
        BigDecimal failing = current;
        BigDecimal candidate = first;
        Found found = null;
        for (int i = 0; i < MAX_DOUBLINGS && found == null; i++) {
            candidate = round(upwards ? candidate.multiply(BigDecimal.valueOf(2)) : candidate.divide(BigDecimal.valueOf(2)), upwards);
            Portfolio problem = changed.apply(candidate);
            if (problem == null) {
                return Optional.empty();
            }
            Plan plan = solve(problem);
            if (selects(plan, key, floor)) {
                found = new Found(candidate, plan);
            } else {
                failing = candidate;
            }
        }
        if (found == null) {
            return Optional.empty();
        }
        for (int i = 0; i < MAX_BISECTIONS; i++) {
            BigDecimal middle = round(failing.add(found.threshold()).divide(BigDecimal.valueOf(2)), upwards);
            if (middle.compareTo(failing) == 0 || middle.compareTo(found.threshold()) == 0) {
                break;
            }
            Plan plan = solve(changed.apply(middle));
            if (selects(plan, key, floor)) {
                found = new Found(middle, plan);
            } else {
                failing = middle;
            }
        }
        progress.accept(key + ": selected with " + what + " " + found.threshold().toPlainString());
        return Optional.of(found);
    }

    private Plan solve(Portfolio changed) {
        return Plans.solve(changed, config, perSolve, p -> { });
    }

    private static BigDecimal round(BigDecimal amount, boolean up) {
        return amount.round(new MathContext(3, up ? RoundingMode.UP : RoundingMode.DOWN)).stripTrailingZeros();
    }

    private static boolean selects(Plan plan, String key, BigDecimal floor) {
        return plan.feasible() && plan.assignments().stream().anyMatch(a -> a.proposal().equals(key))
                && plan.totals().expectedValue().compareTo(floor) >= 0;
    }

    /** Runs of {@code before} that are not in {@code after}. */
    static List<String> leaving(Plan before, Plan after) {
        Set<String> kept = after.assignments().stream().map(Plan.Assignment::proposal).collect(Collectors.toSet());
        List<String> gone = new ArrayList<>();
        before.assignments().stream().map(Plan.Assignment::proposal).filter(k -> !kept.contains(k)).forEach(gone::add);
        return gone;
    }
}
