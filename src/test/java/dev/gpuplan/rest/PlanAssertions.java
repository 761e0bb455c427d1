package dev.gpuplan.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.PortfolioReader;

/** What every solved plan the REST tests receive must satisfy. */
public final class PlanAssertions {

    private PlanAssertions() {
    }

    /**
     * The plan is clean by the independent plan checker ({@link PlanChecker}, which shares no code with the solver),
     * and its API shape is consistent (every candidate assigned or unselected once, totals add up).
     *
     * @param portfolioYaml the portfolio the plan was solved from, YAML or JSON, with the budget the plan used
     */
    public static void assertCheckerClean(String portfolioYaml, Plan plan) {
        Portfolio portfolio = PortfolioReader.read("portfolio under check", portfolioYaml);
        Map<String, Proposal> proposals = portfolio.proposals().stream().collect(Collectors.toMap(Proposal::key, Function.identity()));
        Map<String, Pool> pools = portfolio.pools().stream().collect(Collectors.toMap(Pool::name, Function.identity()));

        assertThat(PlanChecker.check(portfolio, plan.usableGpuHours(), plan)).as("independent checker on plan %s", plan.id()).isEmpty();
        assertThat(plan.feasible()).as("plan %s is feasible", plan.id()).isTrue();
        assertThat(plan.violations()).as("violations of plan %s", plan.id()).isEmpty();

        List<String> assigned = plan.assignments().stream().map(Plan.Assignment::proposal).toList();
        assertThat(assigned).as("no proposal is assigned twice").doesNotHaveDuplicates();
        List<String> unselected = plan.unselected().stream().map(Plan.Unselected::proposal).toList();
        assertThat(unselected).as("no proposal is unselected twice").doesNotHaveDuplicates();
        Set<String> both = new HashSet<>(assigned);
        both.retainAll(unselected);
        assertThat(both).as("assigned and also unselected").isEmpty();
        assertThat(assigned).as("assignments name candidates").allMatch(proposals::containsKey);
        assertThat(unselected).as("unselected name candidates").allMatch(proposals::containsKey);
        assertThat(assigned.size() + unselected.size()).as("every candidate is assigned or unselected").isEqualTo(proposals.size());
        assertThat(plan.totals().candidates()).isEqualTo(proposals.size());
        assertThat(plan.totals().selected()).isEqualTo(assigned.size());

        BigDecimal gpuHours = BigDecimal.ZERO;
        for (Plan.Assignment assignment : plan.assignments()) {
            Proposal proposal = proposals.get(assignment.proposal());
            assertThat(pools).as("pool of %s", assignment.proposal()).containsKey(assignment.pool());
            assertThat(assignment.gpus()).as("GPUs of %s", assignment.proposal()).isEqualTo(proposal.gpus());
            assertThat(assignment.gpuHours()).as("GPU-hours of %s", assignment.proposal()).isEqualByComparingTo(proposal.gpuHours());
            assertThat(assignment.end()).as("end of %s", assignment.proposal()).isAfter(assignment.start());
            gpuHours = gpuHours.add(assignment.gpuHours());
        }
        assertThat(plan.totals().gpuHours()).as("total GPU-hours").isEqualByComparingTo(gpuHours);
        assertThat(plan.usableGpuHours()).as("usable GPU-hours").isNotNull();
        assertThat(gpuHours).as("GPU-hours within the usable budget").isLessThanOrEqualTo(plan.usableGpuHours());
        assertThat(plan.usableGpuHours()).isLessThanOrEqualTo(plan.budgetGpuHours());
    }
}
