package dev.gpuplan.analysis;

import static dev.gpuplan.analysis.UnselectedReasonsTest.CONFIG;
import static dev.gpuplan.analysis.UnselectedReasonsTest.assignment;
import static dev.gpuplan.analysis.UnselectedReasonsTest.read;
import static dev.gpuplan.analysis.UnselectedReasonsTest.reasonOf;
import static dev.gpuplan.analysis.UnselectedReasonsTest.selectedKeys;
import static dev.gpuplan.analysis.UnselectedReasonsTest.solve;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.ReasonCode;

/**
 * "What would it take?": every threshold {@link Counterfactuals#explain} reports is re-checked here by building the
 * changed portfolio in test code, solving it, and asserting the proposal is selected in a checker-clean plan. Where
 * the true threshold is known by hand, the reported one must also lie on the right side of it (a threshold below
 * the true one could only come from a lucky, worse plan). Expected values here avoid ties on the three-digit grid
 * the search tries, so a threshold never depends on how the solver breaks a tie.
 */
class CounterfactualsTest {

    private static final Duration PER_SOLVE = Duration.ofSeconds(1);

    /** See {@link UnselectedReasonsTest#BUDGET_PORTFOLIO}: d (2 GPUs x 25 h, value 50) is out for the budget. */
    @Test
    void budgetReasonThresholdsReproduce() {
        Portfolio portfolio = read(UnselectedReasonsTest.BUDGET_PORTFOLIO);
        Plan plan = solve(portfolio);
        assertThat(selectedKeys(plan)).containsExactlyInAnyOrder("base", "a", "b", "c");

        Counterfactuals.Explanation explanation = explain(portfolio, plan, "d");

        assertThat(explanation.proposal()).isEqualTo("d");
        assertThat(explanation.selected()).isFalse();
        assertThat(explanation.reasons()).containsExactly(reasonOf(plan, "d"));
        assertThat(explanation.reasons().get(0).code()).isEqualTo(ReasonCode.BUDGET);
        Map<String, BigDecimal> thresholds = explanation.wouldBeSelectedIf();
        assertThat(thresholds).containsOnlyKeys("valueAtLeast", "hoursAtMost", "budgetGpuHoursAtLeast");

        // by hand: with value v, base+a+d (81 + v) beats base+a+b+c (150) only for v > 69
        BigDecimal value = thresholds.get("valueAtLeast");
        assertThat(value).isGreaterThan(new BigDecimal("69"));
        Plan withValue = assertSelected(withProposal(portfolio, "d", value, null), "d", plan);
        // at that value d takes the place of b and c
        assertThat(selectedKeys(withValue)).containsExactlyInAnyOrder("base", "a", "d");
        assertThat(explanation.displaces()).containsExactlyInAnyOrder("b", "c");

        // by hand: base+a+c+d fits 95 only for 2h <= 30, and beats 150 (155); no other set with d does
        BigDecimal hours = thresholds.get("hoursAtMost");
        assertThat(hours).isLessThanOrEqualTo(new BigDecimal("15"));
        assertSelected(withProposal(portfolio, "d", null, hours), "d", plan);

        // by hand: base+a+c+d needs 115 usable GPU-hours, i.e. a budget of at least 115 / 0.95
        BigDecimal budget = thresholds.get("budgetGpuHoursAtLeast");
        assertThat(CONFIG.usableBudget(budget)).isGreaterThanOrEqualTo(new BigDecimal("115"));
        assertSelected(portfolio.withBudgetGpuHours(budget), "d", plan);
    }

    /**
     * Team evals may spend 30 GPU-hours and has used 20 on the harness (expected value 10.37): the long-context eval
     * gets in by being worth more than the harness, or by needing at most the 10 GPU-hours left; a bigger budget
     * does not help, so no budget threshold is reported.
     */
    @Test
    void teamCapThresholdsReproduceAndNoBudgetHelps() {
        Portfolio portfolio = read(UnselectedReasonsTest.THREE_DAYS + """
                budget:
                  gpuHours: 1000
                  perTeam:
                    evals: 30
                """ + UnselectedReasonsTest.ONE_POOL + """
                proposals:
                  - {key: eval-harness, team: evals, value: 10.37, gpus: 2, hours: 10}
                  - {key: eval-long-context, team: evals, value: 8, gpus: 2, hours: 10}
                  - {key: pretrain-run, team: pretrain, value: 30, gpus: 8, hours: 5}
                """);
        Plan plan = solve(portfolio);
        assertThat(reasonOf(plan, "eval-long-context").code()).isEqualTo(ReasonCode.TEAM_CAP);

        Counterfactuals.Explanation explanation = explain(portfolio, plan, "eval-long-context");

        assertThat(explanation.selected()).isFalse();
        Map<String, BigDecimal> thresholds = explanation.wouldBeSelectedIf();
        assertThat(thresholds).containsOnlyKeys("valueAtLeast", "hoursAtMost");

        BigDecimal value = thresholds.get("valueAtLeast");
        assertThat(value).isGreaterThan(new BigDecimal("10.37"));
        Plan withValue = assertSelected(withProposal(portfolio, "eval-long-context", value, null), "eval-long-context", plan);
        assertThat(selectedKeys(withValue)).doesNotContain("eval-harness");
        assertThat(explanation.displaces()).containsExactly("eval-harness");

        BigDecimal hours = thresholds.get("hoursAtMost");
        assertThat(hours).isLessThanOrEqualTo(new BigDecimal("5"));
        Plan withHours = assertSelected(withProposal(portfolio, "eval-long-context", null, hours), "eval-long-context", plan);
        assertThat(selectedKeys(withHours)).contains("eval-harness");
    }

    /**
     * The follow-up's prerequisite {@code base} (80 GPU-hours, value 2) is not chosen because {@code rival} (80, value 51)
     * is worth more. That is a reason of this plan, not of the portfolio: a budget that holds all three (168 usable
     * GPU-hours) gets it selected, and so would a follow-up worth more than 49 (with its base, instead of rival).
     *
     * <p>The value threshold is not asserted to be found: from a fresh start the solver does not trade rival for base
     * within a second (the greedy pass ranks base by its own value per GPU-hour, and late acceptance never takes the
     * step down from 51 to 2 that leads to 2 + v), so the search finds none and leaves it out rather than report one
     * it could not verify. If it is reported, it must be true.
     */
    @Test
    void dependencyNotChosenInThisPlanIsNotStructural() {
        Portfolio portfolio = read(UnselectedReasonsTest.THREE_DAYS + """
                budget:
                  gpuHours: 100
                """ + UnselectedReasonsTest.ONE_POOL + """
                proposals:
                  - {key: base, team: pretrain, value: 2, gpus: 8, hours: 10}
                  - {key: follow-up, team: pretrain, value: 6, gpus: 1, hours: 8, dependsOn: [base]}
                  - {key: rival, team: pretrain, value: 51, gpus: 8, hours: 10}
                """);
        Plan plan = solve(portfolio);
        assertThat(selectedKeys(plan)).containsExactly("rival");
        assertThat(reasonOf(plan, "follow-up").code()).isEqualTo(ReasonCode.DEPENDENCY_NOT_SELECTED);

        Counterfactuals.Explanation explanation = explain(portfolio, plan, "follow-up");

        Map<String, BigDecimal> thresholds = explanation.wouldBeSelectedIf();
        assertThat(thresholds).containsKey("budgetGpuHoursAtLeast").doesNotContainKey("hoursAtMost");
        // by hand: all three need 168 usable GPU-hours
        BigDecimal budget = thresholds.get("budgetGpuHoursAtLeast");
        assertThat(CONFIG.usableBudget(budget)).isGreaterThanOrEqualTo(new BigDecimal("168"));
        Plan withBudget = assertSelected(portfolio.withBudgetGpuHours(budget), "follow-up", plan);
        assertThat(selectedKeys(withBudget)).containsExactlyInAnyOrder("base", "follow-up", "rival");

        if (thresholds.containsKey("valueAtLeast")) {
            BigDecimal value = thresholds.get("valueAtLeast");
            assertThat(value).isGreaterThan(new BigDecimal("49"));
            Plan withValue = assertSelected(withProposal(portfolio, "follow-up", value, null), "follow-up", plan);
            assertThat(selectedKeys(withValue)).containsExactlyInAnyOrder("base", "follow-up");
            assertThat(explanation.displaces()).containsExactly("rival");
        } else {
            assertThat(explanation.displaces()).isEmpty();
        }
    }

    /** From 18:00 to the end of the day there are 6 hours: only a shorter run helps; value and budget are not tried. */
    @Test
    void noWindowHasOnlyAnHoursThreshold() {
        Portfolio portfolio = read(UnselectedReasonsTest.DAY + """
                budget:
                  gpuHours: 1000
                """ + UnselectedReasonsTest.ONE_POOL + """
                proposals:
                  - {key: late-sweep, team: evals, value: 20, gpus: 4, hours: 10, earliestStart: 2026-12-01T18:00:00Z}
                  - {key: early-sweep, team: evals, value: 5, gpus: 4, hours: 10}
                """);
        Plan plan = solve(portfolio);
        assertThat(reasonOf(plan, "late-sweep").code()).isEqualTo(ReasonCode.NO_WINDOW);

        Counterfactuals.Explanation explanation = explain(portfolio, plan, "late-sweep");

        assertThat(explanation.wouldBeSelectedIf()).containsOnlyKeys("hoursAtMost");
        BigDecimal hours = explanation.wouldBeSelectedIf().get("hoursAtMost");
        assertThat(hours).isLessThanOrEqualTo(new BigDecimal("6"));
        assertSelected(withProposal(portfolio, "late-sweep", null, hours), "late-sweep", plan);
        assertThat(explanation.displaces()).isEmpty();
    }

    @Test
    void noFittingPoolHasNoThresholdAndASelectedProposalIsSaidToBeSelected() {
        Portfolio portfolio = read(UnselectedReasonsTest.DAY + """
                budget:
                  gpuHours: 1000
                pools:
                  - {name: h100-west, gpuType: h100, gpus: 8}
                proposals:
                  - {key: moe-16x, team: scaling, value: 200, gpuType: h100, gpus: 16, hours: 4}
                  - {key: moe-ablation, team: scaling, value: 50, gpuType: h100, gpus: 8, hours: 4, dependsOn: [moe-16x]}
                  - {key: probe, team: scaling, value: 5, successProbability: 0.5, gpuType: h100, gpus: 8, hours: 4}
                """);
        Plan plan = solve(portfolio);

        Counterfactuals.Explanation moe = explain(portfolio, plan, "moe-16x");
        assertThat(moe.selected()).isFalse();
        assertThat(moe.reasons()).containsExactly(reasonOf(plan, "moe-16x"));
        assertThat(moe.reasons().get(0).code()).isEqualTo(ReasonCode.NO_FITTING_POOL);
        assertThat(moe.wouldBeSelectedIf()).isEmpty();
        assertThat(moe.displaces()).isEmpty();

        Counterfactuals.Explanation ablation = explain(portfolio, plan, "moe-ablation");
        assertThat(ablation.reasons().get(0).code()).isEqualTo(ReasonCode.DEPENDENCY_NOT_SELECTED);
        assertThat(ablation.wouldBeSelectedIf()).as("its dependency can never run").isEmpty();

        Counterfactuals.Explanation probe = explain(portfolio, plan, "probe");
        Plan.Assignment assigned = assignment(plan, "probe");
        assertThat(probe.selected()).isTrue();
        assertThat(probe.wouldBeSelectedIf()).isEmpty();
        assertThat(probe.displaces()).isEmpty();
        assertThat(probe.reasons()).hasSize(1);
        Plan.Unselected selected = probe.reasons().get(0);
        assertThat(selected.code()).isEqualTo(ReasonCode.SELECTED);
        assertThat(selected.message()).isEqualTo("selected on h100-west from " + assigned.start() + " to " + assigned.end()
                + ", adding expected value 2.5 for 32 GPU-hours");
        assertThat(selected.details()).containsOnlyKeys("pool", "start", "end", "gpuHours", "expectedValue")
                .containsEntry("pool", "h100-west").containsEntry("start", assigned.start().toString())
                .containsEntry("end", assigned.end().toString());
        assertThat((BigDecimal) selected.details().get("expectedValue")).isEqualByComparingTo("2.5");
        assertThat((BigDecimal) selected.details().get("gpuHours")).isEqualByComparingTo("32");
    }

    // ------------------------------------------------------------------ helpers

    private static Counterfactuals.Explanation explain(Portfolio portfolio, Plan plan, String key) {
        return new Counterfactuals(portfolio, CONFIG, PER_SOLVE, message -> { }).explain(plan, key);
    }

    /**
     * Solves the changed portfolio and asserts the proposal selected in a feasible, checker-clean plan worth at least
     * the original plan (which left it out and so is still feasible after the change: a plan worth less would select
     * it only because the solver fell short).
     */
    private static Plan assertSelected(Portfolio changed, String key, Plan original) {
        Plan plan = solve(changed, PER_SOLVE);
        assertThat(selectedKeys(plan)).as("%s selected after the change", key).contains(key);
        assertThat(plan.totals().expectedValue()).as("expected value after the change")
                .isGreaterThanOrEqualTo(original.totals().expectedValue());
        return plan;
    }

    /** The portfolio with one proposal's value and/or hours replaced (null keeps it), built here, not by the code under test. */
    private static Portfolio withProposal(Portfolio portfolio, String key, BigDecimal value, BigDecimal hours) {
        List<Proposal> proposals = portfolio.proposals().stream().map(p -> !p.key().equals(key) ? p
                : new Proposal(p.key(), p.title(), p.team(), p.owner(), value == null ? p.value() : value, p.successProbability(),
                p.gpuType(), p.gpus(), hours == null ? p.hours() : hours, p.dependsOn(), p.exclusiveGroup(), p.earliestStart(),
                p.deadline(), p.required(), p.pinned())).toList();
        return new Portfolio(portfolio.horizon(), portfolio.budget(), portfolio.pools(), proposals);
    }
}
