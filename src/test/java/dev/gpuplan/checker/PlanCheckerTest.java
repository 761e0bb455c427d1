package dev.gpuplan.checker;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Plan.Assignment;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * The checker catches each broken rule on a hand-built plan, and only that rule: so a clean result from
 * it in the solver tests means something.
 */
class PlanCheckerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final BigDecimal USABLE = new BigDecimal("95");

    /**
     * Two days of hourly slots; pool {@code a} (12 x a100) is down 12:00-14:00 on the first day, pool
     * {@code h} has 4 x h100. Budget 100 GPU-hours (95 usable), team evals capped at 10.
     */
    private static final Portfolio PORTFOLIO = new Portfolio(
            new Horizon(T0, BigDecimal.valueOf(48), 60),
            new Budget(new BigDecimal("100"), Map.of("evals", new BigDecimal("10"))),
            List.of(new Pool("a", "a100", 12, List.of(new TimeWindow(at("12:00"), at("14:00")))),
                    new Pool("h", "h100", 4, List.of())),
            List.of(
                    proposal("base", "pretrain", "10", 4, "2").build(),
                    proposal("abl", "pretrain", "20", 4, "3").probability("0.5").dependsOn("base").build(),
                    proposal("v1", "optim", "5", 2, "1.5").group("g").build(),
                    proposal("v2", "optim", "6", 2, "1").group("g").build(),
                    proposal("ev", "evals", "3", 2, "4").window(at("02:00"), at("10:00")).build(),
                    proposal("big", "scaling", "50", 4, "5").type("h100").required().build(),
                    proposal("wide", "scaling", "7", 6, "1").build(),
                    proposal("pin", "ops", "1", 2, "1").pinned("a", at("00:00")).build()));

    /** A plan that keeps every rule: pool a holds 8 of 12 GPUs in slot 0, h is full with big until 05:00. */
    private static List<Assignment> good() {
        return new ArrayList<>(List.of(
                run("pin", "a", "00:00"),
                run("base", "a", "00:00"),
                run("v1", "a", "00:00"),
                run("abl", "a", "02:00"),
                run("ev", "a", "02:00"),
                run("big", "h", "00:00")));
    }

    @Test
    void acceptsAPlanThatKeepsEveryRule() {
        assertThat(check(plan(good()))).isEmpty();
    }

    @Test
    void budget() {
        assertOnly(PlanChecker.check(PORTFOLIO, new BigDecimal("50"), plan(good())), "budget:");
    }

    @Test
    void teamCapFromThePortfolio() {
        Portfolio tighter = new Portfolio(PORTFOLIO.horizon(), new Budget(new BigDecimal("100"), Map.of("evals", new BigDecimal("7.5"))),
                PORTFOLIO.pools(), PORTFOLIO.proposals());
        assertThat(PlanChecker.check(tighter, USABLE, plan(good())))
                .containsExactly("team-cap: team evals uses 8 GPU-hours, over its cap of 7.5");
    }

    @Test
    void teamCapFromTheConfigDefaultsUnlessThePortfolioNamesTheTeam() {
        assertOnly(PlanChecker.check(PORTFOLIO, USABLE, Map.of("optim", new BigDecimal("2.5")), plan(good())), "team-cap:");
        // evals is named by the portfolio (10), so a lower default does not apply to it
        assertThat(PlanChecker.check(PORTFOLIO, USABLE, Map.of("evals", new BigDecimal("1")), plan(good()))).isEmpty();
    }

    @Test
    void capacityOfOverlappingRuns() {
        List<Assignment> runs = replace(good(), run("v1", "h", "00:00")); // h: big 4 + v1 2 > 4
        assertOnly(check(plan(runs)), "capacity:");
        assertThat(check(plan(runs))).containsExactly(
                "capacity: pool h is over capacity in 2 slots, first at 2026-12-01T00:00:00Z (6 GPUs in use of 4)");
    }

    @Test
    void capacityIsZeroInsideAnUnavailableWindow() {
        assertOnly(check(plan(replace(good(), run("v1", "a", "11:00")))), "capacity:"); // 11:00-13:00 meets the 12:00 maintenance
        assertThat(check(plan(replace(good(), run("v1", "a", "10:00"))))).isEmpty(); // 10:00-12:00 just fits before it
    }

    @Test
    void fitOfGpuType() {
        assertThat(check(plan(replace(good(), run("big", "a", "06:00")))))
                .containsExactly("fit: big needs h100 GPUs but runs on a (a100)");
    }

    @Test
    void fitOfPoolSize() {
        List<Assignment> runs = good();
        runs.add(run("wide", "h", "06:00")); // 6 GPUs on a 4-GPU pool: also over its capacity
        List<String> violations = check(plan(runs));
        assertOnly(violations, "fit:", "capacity:");
        assertThat(violations).anyMatch(v -> v.equals("fit: wide needs 6 GPUs but pool h has 4"));
    }

    @Test
    void dependencyNotSelected() {
        List<Assignment> runs = good();
        runs.removeIf(a -> a.proposal().equals("base"));
        assertThat(check(plan(runs))).containsExactly("dependency: abl is selected but its dependency base is not");
    }

    @Test
    void dependencyNotFinished() {
        assertThat(check(plan(replace(good(), run("abl", "a", "01:00"))))).containsExactly(
                "dependency: abl starts at 2026-12-01T01:00:00Z, before its dependency base ends at 2026-12-01T02:00:00Z");
    }

    @Test
    void exclusiveGroup() {
        List<Assignment> runs = good();
        runs.add(run("v2", "a", "06:00"));
        assertThat(check(plan(runs))).containsExactly("exclusive-group: group g has 2 selected, at most 1 may be: v1, v2");
    }

    @Test
    void windowEarliestStart() {
        assertOnly(check(plan(replace(good(), run("ev", "a", "01:00")))), "window:");
    }

    @Test
    void windowDeadline() {
        assertOnly(check(plan(replace(good(), run("ev", "a", "07:00")))), "window:"); // ends 11:00, deadline 10:00
        assertThat(check(plan(replace(good(), run("ev", "a", "06:00"))))).isEmpty(); // ends exactly at the deadline
    }

    @Test
    void windowOfTheHorizon() {
        Instant lastDay = T0.plus(Duration.ofDays(1));
        assertOnly(check(plan(replace(good(), run("big", "h", lastDay.plus(Duration.ofHours(20)))))), "window:"); // ends after 48h
        assertOnly(check(plan(replace(good(), run("big", "h", T0.minus(Duration.ofHours(1)))))), "window:");
    }

    @Test
    void required() {
        List<Assignment> runs = good();
        runs.removeIf(a -> a.proposal().equals("big"));
        assertThat(check(plan(runs))).containsExactly("required: big is required but not selected");
    }

    @Test
    void pinnedKeepsPoolAndStart() {
        assertOnly(check(plan(replace(good(), run("pin", "a", "01:00")))), "pinned:");
        assertOnly(check(plan(replace(good(), run("pin", "h", "06:00")))), "pinned:");
    }

    @Test
    void durationIsCeilingOfHoursOverSlot() {
        // v1 runs 1.5 hours: it occupies 2 whole slots, not 1
        assertOnly(check(plan(replace(good(), run("v1", "a", at("00:00"), at("01:00"))))), "duration:");
        assertOnly(check(plan(replace(good(), run("v1", "a", at("00:00"), at("03:00"))))), "duration:");
    }

    @Test
    void assignmentOffTheSlotGrid() {
        assertOnly(check(plan(replace(good(), run("v1", "a", at("00:30"), at("02:30"))))), "assignment:");
    }

    @Test
    void assignmentOfUnknownProposalOrPool() {
        List<Assignment> runs = good();
        runs.add(new Assignment("ghost", "a", at("06:00"), at("07:00"), 1, BigDecimal.ONE, BigDecimal.ONE));
        assertOnly(check(plan(runs)), "assignment:");
        assertOnly(check(plan(replace(good(), run("v1", "nowhere", at("00:00"), at("02:00"))))), "assignment:");
    }

    @Test
    void assignmentTwice() {
        List<Assignment> runs = good();
        runs.add(run("v1", "a", "20:00"));
        assertThat(check(plan(runs))).containsExactly("assignment: v1 is assigned 2 times");
    }

    @Test
    void assignmentWithWrongAmounts() {
        Assignment v1 = run("v1", "a", "00:00");
        assertOnly(check(plan(replace(good(), new Assignment("v1", "a", v1.start(), v1.end(), 1, v1.gpuHours(), v1.expectedValue())))), "assignment:");
        assertOnly(check(plan(replace(good(), new Assignment("v1", "a", v1.start(), v1.end(), 2, BigDecimal.TEN, v1.expectedValue())))), "assignment:");
    }

    @Test
    void coverageOfEveryProposal() {
        Plan plan = plan(good());
        Plan missing = withUnselected(plan, plan.unselected().stream().filter(u -> !u.proposal().equals("v2")).toList());
        assertThat(check(missing)).containsExactly("coverage: v2 is neither assigned nor unselected");
        List<Plan.Unselected> both = new ArrayList<>(plan.unselected());
        both.add(new Plan.Unselected("base", ReasonCode.BUDGET, "test", null));
        assertThat(check(withUnselected(plan, both))).containsExactly("coverage: base is both assigned and unselected");
        List<Plan.Unselected> unknown = new ArrayList<>(plan.unselected());
        unknown.add(new Plan.Unselected("ghost", ReasonCode.BUDGET, "test", null));
        assertOnly(check(withUnselected(plan, unknown)), "coverage:");
    }

    @Test
    void totalsAddUp() {
        Plan plan = plan(good());
        Plan.Totals t = plan.totals();
        Plan wrong = new Plan(null, Plan.Status.SOLVED, plan.budgetGpuHours(), plan.usableGpuHours(), null, null, null, true,
                new Plan.Totals(t.expectedValue().add(BigDecimal.ONE), t.value(), t.gpuHours(), t.selected(), t.candidates()),
                plan.assignments(), plan.unselected(), List.of());
        assertOnly(check(wrong), "totals:");
    }

    // ---- fixtures ----

    private static List<String> check(Plan plan) {
        return PlanChecker.check(PORTFOLIO, USABLE, plan);
    }

    /** Every violation belongs to one of the expected rules, and the first of them is there. */
    private static void assertOnly(List<String> violations, String rule, String... alsoAllowed) {
        List<String> allowed = new ArrayList<>(List.of(alsoAllowed));
        allowed.add(rule);
        assertThat(violations).anyMatch(v -> v.startsWith(rule));
        assertThat(violations).allMatch(v -> allowed.stream().anyMatch(v::startsWith), "only " + allowed);
    }

    private static Instant at(String time) {
        return Instant.parse("2026-12-01T" + time + ":00Z");
    }

    private static Proposal find(String key) {
        return PORTFOLIO.proposals().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    /** A run of {@code key} for its whole ceil(hours) slots. */
    private static Assignment run(String key, String pool, String start) {
        return run(key, pool, at(start));
    }

    private static Assignment run(String key, String pool, Instant start) {
        Proposal p = find(key);
        long slots = p.hours().setScale(0, RoundingMode.CEILING).longValueExact();
        return run(key, pool, start, start.plus(Duration.ofHours(slots)));
    }

    private static Assignment run(String key, String pool, Instant start, Instant end) {
        Proposal p = find(key);
        return new Assignment(key, pool, start, end, p.gpus(), p.hours().multiply(BigDecimal.valueOf(p.gpus())), p.expectedValue());
    }

    private static List<Assignment> replace(List<Assignment> runs, Assignment replacement) {
        runs.replaceAll(a -> a.proposal().equals(replacement.proposal()) ? replacement : a);
        return runs;
    }

    /** The plan of these assignments: every other proposal unselected, totals that add up. */
    private static Plan plan(List<Assignment> assignments) {
        Map<String, Proposal> chosen = new LinkedHashMap<>();
        assignments.forEach(a -> PORTFOLIO.proposals().stream().filter(p -> p.key().equals(a.proposal())).findFirst()
                .ifPresent(p -> chosen.put(p.key(), p)));
        List<Plan.Unselected> unselected = PORTFOLIO.proposals().stream().filter(p -> !chosen.containsKey(p.key()))
                .map(p -> new Plan.Unselected(p.key(), ReasonCode.NOT_CHOSEN, "test", null)).toList();
        BigDecimal expectedValue = BigDecimal.ZERO;
        BigDecimal value = BigDecimal.ZERO;
        BigDecimal gpuHours = BigDecimal.ZERO;
        for (Proposal p : chosen.values()) {
            expectedValue = expectedValue.add(p.expectedValue());
            value = value.add(p.value());
            gpuHours = gpuHours.add(p.gpuHours());
        }
        return new Plan(null, Plan.Status.SOLVED, new BigDecimal("100"), USABLE, "test", null, null, true,
                new Plan.Totals(expectedValue, value, gpuHours, assignments.size(), PORTFOLIO.proposals().size()),
                List.copyOf(assignments), unselected, List.of());
    }

    private static Plan withUnselected(Plan plan, List<Plan.Unselected> unselected) {
        return new Plan(plan.id(), plan.status(), plan.budgetGpuHours(), plan.usableGpuHours(), plan.config(), plan.configDir(),
                plan.score(), plan.feasible(), plan.totals(), plan.assignments(), unselected, plan.violations());
    }

    private static ProposalBuilder proposal(String key, String team, String value, int gpus, String hours) {
        return new ProposalBuilder(key, team, new BigDecimal(value), gpus, new BigDecimal(hours));
    }

    /** Small named fixtures without fifteen positional arguments. */
    private static final class ProposalBuilder {
        private final String key;
        private final String team;
        private final BigDecimal value;
        private final int gpus;
        private final BigDecimal hours;
        private BigDecimal probability;
        private String gpuType;
        private final List<String> dependsOn = new ArrayList<>();
        private String group;
        private Instant earliestStart;
        private Instant deadline;
        private boolean required;
        private Proposal.Pin pin;

        ProposalBuilder(String key, String team, BigDecimal value, int gpus, BigDecimal hours) {
            this.key = key;
            this.team = team;
            this.value = value;
            this.gpus = gpus;
            this.hours = hours;
        }

        ProposalBuilder probability(String p) {
            probability = new BigDecimal(p);
            return this;
        }

        ProposalBuilder type(String type) {
            gpuType = type;
            return this;
        }

        ProposalBuilder dependsOn(String key) {
            dependsOn.add(key);
            return this;
        }

        ProposalBuilder group(String name) {
            group = name;
            return this;
        }

        ProposalBuilder window(Instant from, Instant to) {
            earliestStart = from;
            deadline = to;
            return this;
        }

        ProposalBuilder required() {
            required = true;
            return this;
        }

        ProposalBuilder pinned(String pool, Instant start) {
            pin = new Proposal.Pin(pool, start);
            return this;
        }

        Proposal build() {
            return new Proposal(key, null, team, null, value, probability, gpuType, gpus, hours, dependsOn, group,
                    earliestStart, deadline, required, pin);
        }
    }
}
