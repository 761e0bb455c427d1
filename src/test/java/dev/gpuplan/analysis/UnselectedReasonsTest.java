package dev.gpuplan.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.gpuplan.checker.PlanChecker;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.solver.PlanningProblem;

/**
 * One small portfolio per reason code, built so that the reason is the truth: each test solves it, asserts the code,
 * the exact sentence and details, and re-derives every figure of the reason from the plan and the portfolio (not
 * from the solver's model), so a reason that is false of its plan fails here. The default config holds back 5% of
 * the budget: a budget of 100 GPU-hours leaves 95 usable.
 */
class UnselectedReasonsTest {

    static final PlanningConfig CONFIG = PlanningConfigs.in(Path.of("planning-configs")).load("default");
    static final Duration LIMIT = Duration.ofSeconds(1);

    static final String DAY = """
            horizon:
              start: 2026-12-01T00:00:00Z
              days: 1
            """;
    static final String THREE_DAYS = """
            horizon:
              start: 2026-12-01T00:00:00Z
              days: 3
            """;
    static final String ONE_POOL = """
            pools:
              - name: a100-east
                gpuType: a100
                gpus: 8
            """;

    /**
     * The budget portfolio (also used by {@code CounterfactualsTest}): 100 GPU-hours, 95 usable. {@code base} is
     * required (5 GPU-hours); of the rest a+b+c (90 GPU-hours, expected value 149) is the one best choice, so
     * {@code d} (50 GPU-hours, expected value 50) is left out by the budget. By hand, over all subsets:
     * a+d 131, b+c+d 120, a+b+c 150 (with base).
     */
    static final String BUDGET_PORTFOLIO = THREE_DAYS + """
            budget:
              gpuHours: 100
            """ + ONE_POOL + """
            proposals:
              - {key: base, team: pretrain, value: 1, gpus: 1, hours: 5, required: true}
              - {key: a, team: pretrain, value: 80, gpus: 2, hours: 20}
              - {key: b, team: pretrain, value: 60, successProbability: 0.75, gpus: 2, hours: 15}
              - {key: c, team: pretrain, value: 24, gpus: 2, hours: 10}
              - {key: d, team: pretrain, value: 50, gpus: 2, hours: 25}
            """;

    // ------------------------------------------------------------------ structural reasons

    @Test
    void noFittingPool() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                pools:
                  - {name: h100-west, gpuType: h100, gpus: 8}
                  - {name: a100-east, gpuType: a100, gpus: 16}
                proposals:
                  - {key: moe-16x, team: scaling, value: 200, gpuType: h100, gpus: 16, hours: 4}
                  - {key: probe, team: scaling, value: 5, gpuType: h100, gpus: 8, hours: 4}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("probe");
        Plan.Unselected moe = reasonOf(plan, "moe-16x");
        assertThat(moe.code()).isEqualTo(ReasonCode.NO_FITTING_POOL);
        assertThat(moe.message()).isEqualTo("needs 16 h100 GPUs on one pool; the largest h100 pool has 8, so no budget helps");
        assertThat(moe.details()).containsExactlyInAnyOrderEntriesOf(Map.of("gpus", 16, "gpuType", "h100", "largestPoolGpus", 8));
        // true of the portfolio: the a100 pool is big enough, but no h100 pool is
        int largestH100 = portfolio.pools().stream().filter(p -> p.gpuType().equals("h100")).mapToInt(Pool::gpus).max().orElseThrow();
        assertThat(largestH100).isEqualTo(8).isLessThan(16);
    }

    @Test
    void noWindow() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                """ + ONE_POOL + """
                proposals:
                  - {key: late-sweep, team: evals, value: 20, gpus: 4, hours: 10, earliestStart: 2026-12-01T18:00:00Z}
                  - {key: early-sweep, team: evals, value: 5, gpus: 4, hours: 10, deadline: 2026-12-01T12:00:00Z}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("early-sweep");
        Plan.Unselected late = reasonOf(plan, "late-sweep");
        assertThat(late.code()).isEqualTo(ReasonCode.NO_WINDOW);
        assertThat(late.message()).isEqualTo("needs 10 slots of 60 minutes between 2026-12-01T18:00:00Z and 2026-12-02T00:00:00Z;"
                + " there are only 6, even on an empty cluster");
        assertThat(late.details()).containsExactlyInAnyOrderEntriesOf(Map.of("slotsNeeded", 10, "slotsAvailable", 6,
                "windowStart", "2026-12-01T18:00:00Z", "windowEnd", "2026-12-02T00:00:00Z", "earliestStart", "2026-12-01T18:00:00Z"));
        // true of the portfolio: from earliestStart to the end of the horizon is 6 hours, the run takes 10
        Instant horizonEnd = portfolio.horizon().start().plus(Duration.ofDays(1));
        assertThat(Duration.between(Instant.parse("2026-12-01T18:00:00Z"), horizonEnd)).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void noWindowWhenTheDeadlineIsBeforeTheHorizonSaysSo() {
        // What a replan from now meets: a proposal whose deadline passed before the horizon starts.
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                """ + ONE_POOL + """
                proposals:
                  - {key: missed, team: evals, value: 20, gpus: 4, hours: 10, deadline: 2026-11-30T20:00:00Z}
                  - {key: kept, team: evals, value: 5, gpus: 4, hours: 10}
                """);

        Plan plan = solve(portfolio);

        Plan.Unselected missed = reasonOf(plan, "missed");
        assertThat(missed.code()).isEqualTo(ReasonCode.NO_WINDOW);
        assertThat(missed.message()).isEqualTo("needs 10 slots of 60 minutes, but its window (the horizon's start to 2026-11-30T20:00:00Z)"
                + " does not overlap the horizon (2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z)");
        assertThat(missed.details()).containsEntry("deadline", "2026-11-30T20:00:00Z").containsEntry("slotsAvailable", 0);
    }

    @Test
    void dependencyThatCanNeverBeSelected() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                pools:
                  - {name: h100-west, gpuType: h100, gpus: 8}
                proposals:
                  - {key: moe-16x, team: scaling, value: 200, gpuType: h100, gpus: 16, hours: 4}
                  - {key: moe-ablation, team: scaling, value: 50, gpuType: h100, gpus: 8, hours: 4, dependsOn: [moe-16x]}
                """);

        Plan plan = solve(portfolio);

        assertThat(plan.assignments()).isEmpty();
        assertThat(reasonOf(plan, "moe-16x").code()).isEqualTo(ReasonCode.NO_FITTING_POOL);
        Plan.Unselected ablation = reasonOf(plan, "moe-ablation");
        assertThat(ablation.code()).isEqualTo(ReasonCode.DEPENDENCY_NOT_SELECTED);
        assertThat(ablation.message()).isEqualTo("depends on moe-16x, which can never be selected (NO_FITTING_POOL)");
        assertThat(ablation.details()).containsExactlyInAnyOrderEntriesOf(Map.of("dependency", "moe-16x", "dependencyCode", "NO_FITTING_POOL"));
    }

    // ------------------------------------------------------------------ reasons of the plan

    /**
     * {@code base} costs 80 GPU-hours for value 2, {@code rival} 80 for 50, {@code follow-up} 8 for 6 and needs
     * {@code base}: with 95 usable, rival (50) beats base + follow-up (8), and the follow-up's prerequisite is out.
     */
    @Test
    void dependencyNotChosenInThisPlan() {
        Portfolio portfolio = read(THREE_DAYS + """
                budget:
                  gpuHours: 100
                """ + ONE_POOL + """
                proposals:
                  - {key: base, team: pretrain, value: 2, gpus: 8, hours: 10}
                  - {key: follow-up, team: pretrain, value: 6, gpus: 1, hours: 8, dependsOn: [base]}
                  - {key: rival, team: pretrain, value: 50, gpus: 8, hours: 10}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("rival");
        Plan.Unselected followUp = reasonOf(plan, "follow-up");
        assertThat(followUp.code()).isEqualTo(ReasonCode.DEPENDENCY_NOT_SELECTED);
        assertThat(followUp.message()).isEqualTo("depends on base, which is not selected");
        assertThat(followUp.details()).containsExactlyInAnyOrderEntriesOf(Map.of("dependency", "base"));
        assertThat(selectedKeys(plan)).doesNotContain("base");
        assertThat(reasonOf(plan, "base").code()).isEqualTo(ReasonCode.BUDGET);
    }

    /** Both variants fit; the long one's expected value (20 x 0.75 = 15) beats the short one's (12). */
    @Test
    void exclusiveGroupNamesTheChosenVariantAndItsExpectedValue() {
        Portfolio portfolio = read(THREE_DAYS + """
                budget:
                  gpuHours: 1000
                """ + ONE_POOL + """
                proposals:
                  - {key: lr-warmup-short, team: optim, value: 12, gpus: 4, hours: 8, exclusiveGroup: warmup}
                  - {key: lr-warmup-long, team: optim, value: 20, successProbability: 0.75, gpus: 4, hours: 10, exclusiveGroup: warmup}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("lr-warmup-long");
        Plan.Unselected shortWarmup = reasonOf(plan, "lr-warmup-short");
        assertThat(shortWarmup.code()).isEqualTo(ReasonCode.EXCLUSIVE_GROUP);
        assertThat(shortWarmup.message()).isEqualTo("exclusive group warmup already has lr-warmup-long selected (expected value 15, this one 12)");
        assertThat(shortWarmup.details()).containsOnlyKeys("group", "chosen", "chosenExpectedValue", "expectedValue")
                .containsEntry("group", "warmup").containsEntry("chosen", "lr-warmup-long");
        assertThat(decimal(shortWarmup, "chosenExpectedValue")).isEqualByComparingTo("15");
        assertThat(decimal(shortWarmup, "expectedValue")).isEqualByComparingTo("12");
        // the chosen variant is in the plan with exactly that expected value
        assertThat(assignment(plan, "lr-warmup-long").expectedValue()).isEqualByComparingTo(decimal(shortWarmup, "chosenExpectedValue"));
    }

    /** Team evals may spend 30 GPU-hours; each eval costs 20; the budget (950 usable) does not bind. */
    @Test
    void teamCapSaysUsedOfCap() {
        Portfolio portfolio = read(THREE_DAYS + """
                budget:
                  gpuHours: 1000
                  perTeam:
                    evals: 30
                """ + ONE_POOL + """
                proposals:
                  - {key: eval-harness, team: evals, value: 10, gpus: 2, hours: 10}
                  - {key: eval-long-context, team: evals, value: 8, gpus: 2, hours: 10}
                  - {key: pretrain-run, team: pretrain, value: 30, gpus: 8, hours: 5}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactlyInAnyOrder("eval-harness", "pretrain-run");
        Plan.Unselected longContext = reasonOf(plan, "eval-long-context");
        assertThat(longContext.code()).isEqualTo(ReasonCode.TEAM_CAP);
        assertThat(longContext.message()).isEqualTo("team evals used 20 GPU-hours of its 30 GPU-hours; this needs 20 GPU-hours");
        assertThat(longContext.details()).containsOnlyKeys("team", "usedGpuHours", "capGpuHours", "needsGpuHours")
                .containsEntry("team", "evals");
        // the figures are the plan's: what team evals has selected, against its cap
        BigDecimal evalsUsed = plan.assignments().stream().filter(a -> a.proposal().startsWith("eval-"))
                .map(Plan.Assignment::gpuHours).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(decimal(longContext, "usedGpuHours")).isEqualByComparingTo(evalsUsed).isEqualByComparingTo("20");
        assertThat(decimal(longContext, "capGpuHours")).isEqualByComparingTo(portfolio.budget().perTeam().get("evals")).isEqualByComparingTo("30");
        assertThat(decimal(longContext, "needsGpuHours")).isEqualByComparingTo(proposal(portfolio, "eval-long-context").gpuHours());
        assertThat(evalsUsed.add(decimal(longContext, "needsGpuHours"))).isGreaterThan(decimal(longContext, "capGpuHours"));
        assertThat(plan.totals().gpuHours().add(decimal(longContext, "needsGpuHours"))).as("the budget would allow it")
                .isLessThanOrEqualTo(plan.usableGpuHours());
    }

    @Test
    void budgetSaysUsedOfUsableNeedsAndCompetesWithTheSelectedRunsOfLowestValuePerGpuHour() {
        Portfolio portfolio = read(BUDGET_PORTFOLIO);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactlyInAnyOrder("base", "a", "b", "c");
        assertThat(plan.totals().expectedValue()).isEqualByComparingTo("150");
        Plan.Unselected d = reasonOf(plan, "d");
        assertThat(d.code()).isEqualTo(ReasonCode.BUDGET);
        assertThat(d.message()).isEqualTo("the plan uses 95 GPU-hours of 95 GPU-hours; this needs 50 GPU-hours for expected value 50;"
                + " it competes with the selected runs of lowest value per GPU-hour: c (1.2000/GPU-hour), b (1.5000/GPU-hour)");
        assertThat(d.details()).containsOnlyKeys("usedGpuHours", "budgetGpuHours", "needsGpuHours", "expectedValue",
                "expectedValuePerGpuHour", "competesWith");
        // the figures are the plan's
        BigDecimal used = decimal(d, "usedGpuHours");
        BigDecimal needs = decimal(d, "needsGpuHours");
        assertThat(used).isEqualByComparingTo(plan.totals().gpuHours()).isEqualByComparingTo("95");
        assertThat(decimal(d, "budgetGpuHours")).isEqualByComparingTo(plan.usableGpuHours()).isEqualByComparingTo("95");
        assertThat(needs).isEqualByComparingTo(proposal(portfolio, "d").gpuHours()).isEqualByComparingTo("50");
        assertThat(used.add(needs)).isGreaterThan(plan.usableGpuHours());
        assertThat(decimal(d, "expectedValue")).isEqualByComparingTo("50");
        assertThat(decimal(d, "expectedValuePerGpuHour")).isEqualTo(new BigDecimal("1.0000"));

        // competesWith: the selected runs that are neither required nor pinned, lowest expected value per GPU-hour
        // first, as many as it takes to make room (c frees 20: 125 > 95; with b 50 more: 95 <= 95)
        List<Map<String, Object>> competitors = competitors(d);
        assertThat(competitors).extracting(c -> c.get("proposal")).containsExactly("c", "b");
        assertThat(competitors.get(0)).containsOnlyKeys("proposal", "gpuHours", "expectedValue", "expectedValuePerGpuHour");
        assertThat((BigDecimal) competitors.get(0).get("gpuHours")).isEqualByComparingTo("20");
        assertThat((BigDecimal) competitors.get(0).get("expectedValue")).isEqualByComparingTo("24");
        assertThat(competitors.get(0).get("expectedValuePerGpuHour")).isEqualTo(new BigDecimal("1.2000"));
        assertThat((BigDecimal) competitors.get(1).get("gpuHours")).isEqualByComparingTo("30");
        assertThat((BigDecimal) competitors.get(1).get("expectedValue")).isEqualByComparingTo("45");
        assertThat(competitors.get(1).get("expectedValuePerGpuHour")).isEqualTo(new BigDecimal("1.5000"));
        // re-derived from the plan's assignments: each competitor is selected with those figures, the required base
        // (0.2 per GPU-hour, the lowest) is not named, and no unnamed optional run is cheaper per GPU-hour
        for (Map<String, Object> competitor : competitors) {
            Plan.Assignment selected = assignment(plan, (String) competitor.get("proposal"));
            assertThat((BigDecimal) competitor.get("gpuHours")).isEqualByComparingTo(selected.gpuHours());
            assertThat((BigDecimal) competitor.get("expectedValue")).isEqualByComparingTo(selected.expectedValue());
        }
        BigDecimal freed = competitors.stream().map(c -> (BigDecimal) c.get("gpuHours")).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(used.subtract(freed).add(needs)).as("dropping them makes room").isLessThanOrEqualTo(plan.usableGpuHours());
        assertThat(used.subtract(freed).add((BigDecimal) competitors.get(0).get("gpuHours")).add(needs))
                .as("dropping fewer does not").isGreaterThan(plan.usableGpuHours());
        BigDecimal highestNamed = (BigDecimal) competitors.get(competitors.size() - 1).get("expectedValuePerGpuHour");
        assertThat(plan.assignments()).filteredOn(x -> !x.proposal().equals("base"))
                .filteredOn(x -> competitors.stream().noneMatch(c -> c.get("proposal").equals(x.proposal())))
                .allSatisfy(x -> assertThat(x.expectedValue().divide(x.gpuHours(), 4, java.math.RoundingMode.HALF_UP))
                        .isGreaterThanOrEqualTo(highestNamed));
    }

    /** One pool of 8 GPUs for a day: an 8-GPU run of 20 hours leaves no 10-hour gap for the second; the budget allows both. */
    @Test
    void capacityWhenThePoolIsFullInsideTheWindow() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                """ + ONE_POOL + """
                proposals:
                  - {key: big, team: pretrain, value: 100, gpus: 8, hours: 20}
                  - {key: squeezed, team: pretrain, value: 10, gpus: 8, hours: 10}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("big");
        Plan.Unselected squeezed = reasonOf(plan, "squeezed");
        assertCapacity(squeezed, portfolio, plan);
        assertThat(plan.totals().gpuHours().add(proposal(portfolio, "squeezed").gpuHours())).as("the budget allows it")
                .isLessThanOrEqualTo(plan.usableGpuHours());
    }

    /** Maintenance from 08:00 to 16:00 leaves two 8-hour stretches; the 10-hour run fits neither, on an otherwise empty pool. */
    @Test
    void capacityWhenAMaintenanceWindowLeavesNoRoom() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                pools:
                  - name: a100-east
                    gpuType: a100
                    gpus: 8
                    unavailable:
                      - {from: 2026-12-01T08:00:00Z, to: 2026-12-01T16:00:00Z}
                proposals:
                  - {key: squeezed, team: pretrain, value: 10, gpus: 8, hours: 10}
                  - {key: small, team: pretrain, value: 1, gpus: 1, hours: 2}
                """);

        Plan plan = solve(portfolio);

        assertThat(selectedKeys(plan)).containsExactly("small");
        assertCapacity(reasonOf(plan, "squeezed"), portfolio, plan);
    }

    /**
     * A schedule the solver never touched has no runs selected: every proposal that could run is NOT_CHOSEN, with
     * the pool and the earliest start where it fits; the structural reasons stay.
     */
    @Test
    void notChosenNamesWhereItWouldFit() {
        Portfolio portfolio = read(DAY + """
                budget:
                  gpuHours: 1000
                pools:
                  - name: a100-east
                    gpuType: a100
                    gpus: 8
                    unavailable:
                      - {from: 2026-12-01T00:00:00Z, to: 2026-12-01T03:00:00Z}
                proposals:
                  - {key: fits, team: pretrain, value: 10, gpus: 8, hours: 5, earliestStart: 2026-12-01T01:00:00Z}
                  - {key: too-big, team: pretrain, value: 10, gpus: 16, hours: 5}
                """);
        PlanningProblem problem = new PlanningProblem(portfolio, CONFIG);

        Plan unsolved = Plans.of(problem, problem.schedule(), Plan.Status.SOLVED, List.of());

        assertThat(unsolved.assignments()).isEmpty();
        Plan.Unselected fits = reasonOf(unsolved, "fits");
        assertThat(fits.code()).isEqualTo(ReasonCode.NOT_CHOSEN);
        assertThat(fits.message()).isEqualTo("fits the budget and pool a100-east has room at 2026-12-01T03:00:00Z,"
                + " but the solver did not select it within its time limit");
        assertThat(fits.details()).containsExactlyInAnyOrderEntriesOf(Map.of("pool", "a100-east", "start", "2026-12-01T03:00:00Z"));
        assertThat(reasonOf(unsolved, "too-big").code()).isEqualTo(ReasonCode.NO_FITTING_POOL);
    }

    @Test
    void selectedAssignmentsCarryValueTimesSuccessProbability() {
        Portfolio portfolio = read(BUDGET_PORTFOLIO);

        Plan plan = solve(portfolio);

        assertThat(plan.assignments()).isNotEmpty().allSatisfy(a -> {
            Proposal p = proposal(portfolio, a.proposal());
            assertThat(a.expectedValue()).as(a.proposal()).isEqualByComparingTo(p.value().multiply(p.successProbability()));
        });
        assertThat(assignment(plan, "b").expectedValue()).isEqualByComparingTo("45");
        BigDecimal sum = plan.assignments().stream().map(Plan.Assignment::expectedValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(plan.totals().expectedValue()).isEqualByComparingTo(sum);
        assertThat(plan.totals().value()).isEqualByComparingTo("165"); // 1 + 80 + 60 + 24: value before the success probability
    }

    // ------------------------------------------------------------------ helpers

    /**
     * A CAPACITY reason of a 10-hour, 8-GPU run on the one pool {@code a100-east} over the whole day, checked against
     * the plan: at every start inside the window some hour has the pool's GPUs taken by selected runs or maintenance.
     */
    private static void assertCapacity(Plan.Unselected reason, Portfolio portfolio, Plan plan) {
        assertThat(reason.code()).isEqualTo(ReasonCode.CAPACITY);
        assertThat(reason.message()).isEqualTo("the budget allows it, but no fitting pool (a100-east) has 8 GPUs free for 10 slots inside its window");
        assertThat(reason.details()).containsExactlyInAnyOrderEntriesOf(Map.of("pools", List.of("a100-east"), "gpus", 8, "slots", 10,
                "windowStart", "2026-12-01T00:00:00Z", "windowEnd", "2026-12-02T00:00:00Z"));
        Pool pool = portfolio.pools().get(0);
        Instant dayStart = portfolio.horizon().start();
        for (int start = 0; start + 10 <= 24; start++) {
            boolean blocked = false;
            for (int hour = start; hour < start + 10; hour++) {
                Instant from = dayStart.plus(Duration.ofHours(hour));
                Instant to = from.plus(Duration.ofHours(1));
                boolean down = pool.unavailable().stream().anyMatch((TimeWindow w) -> w.from().isBefore(to) && w.to().isAfter(from));
                int busy = plan.assignments().stream().filter(a -> a.pool().equals(pool.name()))
                        .filter(a -> a.start().isBefore(to) && a.end().isAfter(from)).mapToInt(Plan.Assignment::gpus).sum();
                blocked |= down || busy + 8 > pool.gpus();
            }
            assertThat(blocked).as("no room from hour %d", start).isTrue();
        }
    }

    static Portfolio read(String yaml) {
        return PortfolioReader.read("test portfolio", yaml);
    }

    /** Solves with the default config and asserts the plan feasible and clean by the independent checker. */
    static Plan solve(Portfolio portfolio) {
        return solve(portfolio, LIMIT);
    }

    static Plan solve(Portfolio portfolio, Duration limit) {
        Plan plan = Plans.solve(portfolio, CONFIG, limit, progress -> { });
        assertThat(plan.feasible()).as("feasible: %s", plan.violations()).isTrue();
        assertThat(PlanChecker.check(portfolio, CONFIG.usableBudget(portfolio.budget().gpuHours()), CONFIG.defaultTeamCaps(), plan))
                .as("independent checker").isEmpty();
        return plan;
    }

    static List<String> selectedKeys(Plan plan) {
        return plan.assignments().stream().map(Plan.Assignment::proposal).collect(Collectors.toList());
    }

    static Plan.Unselected reasonOf(Plan plan, String key) {
        List<Plan.Unselected> reasons = plan.unselected().stream().filter(u -> u.proposal().equals(key)).toList();
        assertThat(reasons).as("reasons for %s", key).hasSize(1);
        return reasons.get(0);
    }

    static Plan.Assignment assignment(Plan plan, String key) {
        return plan.assignments().stream().filter(a -> a.proposal().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError(key + " is not selected in " + selectedKeys(plan)));
    }

    static Proposal proposal(Portfolio portfolio, String key) {
        return portfolio.proposals().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    static BigDecimal decimal(Plan.Unselected reason, String detail) {
        Object value = reason.details().get(detail);
        assertThat(value).as("%s of %s", detail, reason.proposal()).isInstanceOf(BigDecimal.class);
        return (BigDecimal) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> competitors(Plan.Unselected reason) {
        return (List<Map<String, Object>>) reason.details().get("competesWith");
    }
}
