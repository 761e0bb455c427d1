package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintStreamImplType;
import org.optaplanner.test.api.score.stream.ConstraintVerifier;

import dev.gpuplan.domain.Rule;

/**
 * The rules of docs/rules.md: every test is named after the constraint it checks and asserts the exact
 * match weight. Fixtures: a horizon of {@value #HORIZON} one-hour slots, two 8-GPU pools of different
 * types and one 8-GPU pool with maintenance in slots 3 and 4. A run of {@code g} GPUs for {@code s} slots
 * costs {@code g * s * 1000} GPU-milli-hours unless a test says otherwise.
 */
class GpuPlanConstraintProviderTest {

    static final int HORIZON = 12;

    static final PoolTimeline A100 = new PoolTimeline("a100", "A100", 8, capacity(8));
    static final PoolTimeline H100 = new PoolTimeline("h100", "H100", 8, capacity(8));
    /** 8 A100s, down for maintenance in slots 3 and 4. */
    static final PoolTimeline A100_MAINTENANCE = new PoolTimeline("a100-maint", "A100", 8, capacity(8, 3, 4));

    private final ConstraintVerifier<GpuPlanConstraintProvider, GpuSchedule> constraintVerifier =
            ConstraintVerifier.build(new GpuPlanConstraintProvider(), GpuSchedule.class, Run.class)
                    .withConstraintStreamImplType(ConstraintStreamImplType.BAVET);

    /** A slot of the fixtures in thousandths of an hour: hard penalties are GPU-hours in thousandths. */
    private static final long SLOT = 1000;

    private int nextId;

    // ---------------------------------------------------------------- fixtures

    /** Capacity {@code gpus} in every slot of the horizon except the {@code down} slots (0 there). */
    static int[] capacity(int gpus, int... down) {
        int[] capacity = new int[HORIZON];
        Arrays.fill(capacity, gpus);
        for (int slot : down) {
            capacity[slot] = 0;
        }
        return capacity;
    }

    /** An unselected run of team "vision" that fits every pool and may start anywhere it ends inside the horizon. */
    Run run(String key, int gpus, int slots) {
        return run(key, "vision", gpus, slots);
    }

    Run run(String key, String team, int gpus, int slots) {
        return new Run(nextId++, key, team, gpus, slots, gpus * slots * 1000L, 0, 0, HORIZON - slots,
                List.of(A100, H100, A100_MAINTENANCE));
    }

    /** An unselected run with an explicit cost in GPU-milli-hours (e.g. 1500 = 1.5 GPU-hours). */
    Run costing(String key, String team, long gpuMilliHours) {
        return new Run(nextId++, key, team, 1, 1, gpuMilliHours, 0, 0, HORIZON - 1, List.of(A100, H100));
    }

    Run valued(String key, int slots, long expectedMilliValue) {
        return new Run(nextId++, key, "vision", 1, slots, slots * 1000L, expectedMilliValue, 0, HORIZON - slots,
                List.of(A100, H100));
    }

    Run windowed(String key, int slots, int earliestStartSlot, int latestStartSlot) {
        return new Run(nextId++, key, "vision", 1, slots, slots * 1000L, 0, earliestStartSlot, latestStartSlot,
                List.of(A100, H100));
    }

    Run fitting(String key, int gpus, PoolTimeline... fittingPools) {
        return new Run(nextId++, key, "vision", gpus, 2, gpus * 2000L, 0, 0, HORIZON - 2, List.of(fittingPools));
    }

    /** Selects {@code run}: places it on {@code pool} from {@code start}. */
    static Run at(PoolTimeline pool, int start, Run run) {
        run.setPool(pool);
        run.setStartSlot(start);
        return run;
    }

    /** Leaves {@code run} unselected but gives it a start, as the solver may. */
    static Run unselectedAt(int start, Run run) {
        run.setPool(null);
        run.setStartSlot(start);
        return run;
    }

    static Dependency dependsOn(Run dependent, Run prerequisite) {
        return new Dependency(dependent.getId(), prerequisite.getId());
    }

    // ---------------------------------------------------------------- hard

    @Test
    void budget_underBudgetIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(at(A100, 0, run("a", 4, 2)), at(H100, 0, run("b", 4, 2)), new BudgetLimit(20_000))
                .penalizesBy(0);
    }

    @Test
    void budget_exactlyTheBudgetIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(at(A100, 0, run("a", 4, 2)), at(H100, 0, run("b", 4, 2)), new BudgetLimit(16_000))
                .penalizesBy(0);
    }

    @Test
    void budget_overBudgetIsPenalisedByTheExactExcessInMilliGpuHours() {
        // 8 + 2.5 GPU-hours against a budget of 10: over by 0.5 GPU-hours.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(at(A100, 0, run("a", 4, 2)), at(H100, 0, costing("b", "vision", 2_500)), new BudgetLimit(10_000))
                .penalizesBy(500);
    }

    @Test
    void budget_unselectedRunsCostNothing() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(at(A100, 0, run("a", 4, 2)), run("b", 8, 10), new BudgetLimit(8_000))
                .penalizesBy(0);
    }

    /** The 90% normal score, as a table gives it. */
    private static final double Z90 = 1.2815515655446004;

    /** The 90% quantile, in thousandths rounded up, of the lognormal with mean {@code m} and variance {@code v} (GPU-hours). */
    private static long lognormalQuantile90(double m, double v) {
        double sigma2 = Math.log(1 + v / (m * m));
        return (long) Math.ceil(1000 * Math.exp(Math.log(m) - sigma2 / 2 + Z90 * Math.sqrt(sigma2)) - 1e-6);
    }

    @Test
    void budget_learnedOverrunsHoldTheChargesAtTheirQuantileToTheBudget() {
        // Charges: means 10 and 6 GPU-hours, variances 5 and 3 GPU-hours^2 -> sum mean 16, variance 8; budget 16.
        Run a = at(A100, 0, costing("a", "vision", 8_000)).withCharge(new Charge(10_000, 5_000));
        Run b = at(H100, 0, costing("b", "vision", 5_000)).withCharge(new Charge(6_000, 3_000));
        long quantile = lognormalQuantile90(16, 8);
        assertThat(quantile).isGreaterThan(16_000);
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(a, b, new BudgetLimit(16_000, Z90))
                .penalizesBy(quantile - 16_000);
    }

    @Test
    void budget_learnedOverrunsWithinTheBudgetAtTheirQuantileAreNotPenalised() {
        Run a = at(A100, 0, costing("a", "vision", 8_000)).withCharge(new Charge(10_000, 5_000));
        Run b = at(H100, 0, costing("b", "vision", 5_000)).withCharge(new Charge(6_000, 3_000));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(a, b, new BudgetLimit(lognormalQuantile90(16, 8), Z90))
                .penalizesBy(0);
    }

    @Test
    void budget_aGatedRunHeldAtItsExpectedCostChargesItsMean() {
        // A 10 GPU-hour run behind a pilot of probability 0.3, held at its expected cost: charges 3 GPU-hours.
        Run gated = at(A100, 0, costing("full", "vision", 10_000)).withCharge(new Charge(3_000, 0));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::budget)
                .given(gated, at(H100, 0, costing("other", "vision", 2_000)), new BudgetLimit(4_500))
                .penalizesBy(500);
    }

    @Test
    void teamCap_onlyTheTeamOverItsCapIsPenalisedByItsExcess() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::teamCap)
                .given(at(A100, 0, costing("v1", "vision", 5_000)), at(A100, 1, costing("v2", "vision", 7_250)),
                        at(H100, 0, costing("s1", "speech", 3_000)),
                        at(H100, 1, costing("n1", "nlp", 900_000)),
                        new TeamCap("vision", 10_000), new TeamCap("speech", 3_000))
                .penalizesBy(2_250);
    }

    @Test
    void teamCap_learnedOverrunsHoldTheTeamsChargesAtTheirQuantileToItsCap() {
        Run v1 = at(A100, 0, costing("v1", "vision", 8_000)).withCharge(new Charge(10_000, 5_000));
        Run v2 = at(A100, 1, costing("v2", "vision", 5_000)).withCharge(new Charge(6_000, 3_000));
        Run s1 = at(H100, 0, costing("s1", "speech", 50_000)).withCharge(new Charge(60_000, 90_000));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::teamCap)
                .given(v1, v2, s1, new TeamCap("vision", 16_000, Z90), new TeamCap("speech", 100_000, Z90))
                .penalizesBy(lognormalQuantile90(16, 8) - 16_000);
    }

    @Test
    void teamCap_teamWithoutCapIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::teamCap)
                .given(at(H100, 0, costing("n1", "nlp", 900_000)), new TeamCap("vision", 1_000))
                .penalizesBy(0);
    }

    @Test
    void teamCap_unselectedRunsDoNotCountAgainstTheCap() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::teamCap)
                .given(at(A100, 0, costing("v1", "vision", 1_000)), costing("v2", "vision", 50_000),
                        new TeamCap("vision", 1_000))
                .penalizesBy(0);
    }

    @Test
    void poolCapacity_threeRunsOfFourGpusOverlappingInTwoSlotsOverflowByFourGpusTimesTwoSlots() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 4, 4)), at(A100, 0, run("b", 4, 4)), at(A100, 2, run("c", 4, 2)))
                .penalizesBy(SLOT * (4 * 2));
    }

    @Test
    void poolCapacity_twoRunsThatFillThePoolExactlyFit() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 4, 4)), at(A100, 0, run("b", 4, 4)))
                .penalizesBy(0);
    }

    @Test
    void poolCapacity_partialOverlapsAreCountedSlotBySlot() {
        // slot:  0  1   2   3  4
        // a(6):  6  6   6   6
        // b(5):     5   5
        // c(3):         3   3  3
        // sum:   6  11  14  9  3  -> over 8 by 0+3+6+1+0 = 10 GPU-slots
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 6, 4)), at(A100, 1, run("b", 5, 2)), at(A100, 2, run("c", 3, 3)))
                .penalizesBy(SLOT * (10));
    }

    @Test
    void poolCapacity_runsBackToBackDoNotOverlap() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 8, 3)), at(A100, 3, run("b", 8, 3)))
                .penalizesBy(0);
    }

    @Test
    void poolCapacity_maintenanceSlotUnderARunPenalisesItsGpusPerSlot() {
        // Slots 3 and 4 have capacity 0; the run covers slots 2, 3 and 4.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100_MAINTENANCE, 2, run("a", 2, 3)))
                .penalizesBy(SLOT * (2 * 2));
    }

    @Test
    void poolCapacity_maintenanceAndOverlapAddUp() {
        // slot 2: a+b = 12 > 8 -> 4; slot 3 (maintenance): a = 6 > 0 -> 6; slot 5: c = 6 fits.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100_MAINTENANCE, 2, run("a", 6, 2)), at(A100_MAINTENANCE, 2, run("b", 6, 1)),
                        at(A100_MAINTENANCE, 5, run("c", 6, 1)))
                .penalizesBy(SLOT * (4 + 6));
    }

    @Test
    void poolCapacity_slotsBeyondTheHorizonHaveNoCapacity() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, HORIZON - 1, run("a", 2, 3)))
                .penalizesBy(SLOT * (2 * 2));
    }

    @Test
    void poolCapacity_runsOnDifferentPoolsDoNotInteract() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 8, 4)), at(H100, 0, run("b", 8, 4)))
                .penalizesBy(0);
    }

    @Test
    void poolCapacity_eachPoolIsPenalisedForItsOwnOverflow() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 8, 2)), at(A100, 1, run("b", 1, 2)),
                        at(H100, 0, run("c", 8, 1)), at(H100, 0, run("d", 3, 1)))
                .penalizesBy(SLOT * (1 + 3));
    }

    @Test
    void poolCapacity_unselectedRunIsIgnored() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::poolCapacity)
                .given(at(A100, 0, run("a", 8, 4)), unselectedAt(0, run("b", 8, 4)))
                .penalizesBy(0);
    }

    @Test
    void gpuFit_runOnAPoolOutsideItsFittingListIsPenalisedByItsGpuHours() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::gpuFit)
                .given(at(A100, 0, fitting("h100-only", 3, H100)))
                .penalizesBy(3 * 2 * SLOT);
    }

    @Test
    void gpuFit_runOnAFittingPoolIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::gpuFit)
                .given(at(H100, 0, fitting("h100-only", 3, H100)), at(A100, 0, fitting("either", 5, A100, H100)))
                .penalizesBy(0);
    }

    @Test
    void gpuFit_unselectedRunIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::gpuFit)
                .given(fitting("h100-only", 3, H100))
                .penalizesBy(0);
    }

    @Test
    void dependency_unselectedPrerequisitePenalisesTheDependentsGpuHours() {
        Run prerequisite = run("pre", 2, 2);
        Run dependent = at(A100, 4, run("dep", 2, 3));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizesBy(2 * 3 * SLOT);
    }

    @Test
    void dependency_prerequisiteEndingAfterTheDependentStartsIsPenalisedByTheDependentsGpuHoursInTheOverlap() {
        Run prerequisite = at(A100, 0, run("pre", 2, 5));
        Run dependent = at(H100, 3, run("dep", 2, 3));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizesBy(2 * (5 - 3) * SLOT);
    }

    @Test
    void dependency_prerequisiteStartingAfterTheDependentIsPenalisedByTheDependentsGpuHoursUntilItEnds() {
        Run prerequisite = at(A100, 4, run("pre", 2, 2));
        Run dependent = at(A100, 1, run("dep", 2, 2));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizesBy(2 * (6 - 1) * SLOT);
    }

    @Test
    void dependency_prerequisiteEndingExactlyWhenTheDependentStartsIsFine() {
        Run prerequisite = at(A100, 0, run("pre", 2, 3));
        Run dependent = at(A100, 3, run("dep", 2, 3));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizesBy(0);
        // Not even a zero-weight match: it would show up as a broken dependency in the plan's explanation.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizes(0);
    }

    @Test
    void dependency_aFullRunStartingBeforeItsPilotEndsIsPenalisedLikeADependency() {
        Run pilot = at(A100, 0, run("pilot", 1, 3));
        Run full = at(H100, 1, run("full", 4, 4));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(pilot, full, new Dependency(full.getId(), pilot.getId(), true))
                .penalizesBy(4 * 2 * SLOT);
    }

    @Test
    void dependency_aFullRunWithoutItsPilotIsPenalisedByItsGpuHours() {
        Run pilot = run("pilot", 1, 3);
        Run full = at(H100, 4, run("full", 4, 4));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(pilot, full, new Dependency(full.getId(), pilot.getId(), true))
                .penalizesBy(4 * 4 * SLOT);
    }

    @Test
    void dependency_unselectedDependentIsNotPenalised() {
        Run prerequisite = run("pre", 2, 2);
        Run dependent = unselectedAt(0, run("dep", 2, 3));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(prerequisite, dependent, dependsOn(dependent, prerequisite))
                .penalizesBy(0);
    }

    @Test
    void dependency_eachBrokenPrerequisiteOfOneDependentIsPenalised() {
        Run missing = run("missing", 1, 1);
        Run late = at(H100, 0, run("late", 1, 4));
        Run done = at(H100, 4, run("done", 1, 1));
        Run dependent = at(A100, 2, run("dep", 2, 2));
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::dependency)
                .given(missing, late, done, dependent,
                        dependsOn(dependent, missing), dependsOn(dependent, late), dependsOn(late, done))
                // missing: dep's 2 GPUs x 2 slots; late ends at 4, dep (2 GPUs) starts at 2: 2 x 2; done ends at 5
                // after late (1 GPU) starts at 0: 1 x 5. Each GPU-slot is one GPU-hour here.
                .penalizesBy((2 * 2 + 2 * 2 + 1 * 5) * SLOT);
    }

    @Test
    void exclusiveGroup_threeSelectedInOneGroupArePenalisedByTheGpuHoursOfAllButTheLargest() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::exclusiveGroup)
                .given(at(A100, 0, run("mix-a", 1, 1).withExclusiveGroup("mix")),
                        at(A100, 1, run("mix-b", 1, 1).withExclusiveGroup("mix")),
                        at(H100, 0, run("mix-c", 1, 1).withExclusiveGroup("mix")))
                .penalizesBy(2 * SLOT);
    }

    @Test
    void exclusiveGroup_oneSelectedInAGroupIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::exclusiveGroup)
                .given(at(A100, 0, run("mix-a", 1, 1).withExclusiveGroup("mix")),
                        run("mix-b", 1, 1).withExclusiveGroup("mix"),
                        run("mix-c", 1, 1).withExclusiveGroup("mix"))
                .penalizesBy(0);
    }

    @Test
    void exclusiveGroup_oneSelectedInEachOfDifferentGroupsIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::exclusiveGroup)
                .given(at(A100, 0, run("mix-a", 1, 1).withExclusiveGroup("mix")),
                        at(A100, 0, run("lr-a", 1, 1).withExclusiveGroup("lr")),
                        at(A100, 0, run("free-1", 1, 1)), at(A100, 0, run("free-2", 1, 1)))
                .penalizesBy(0);
    }

    @Test
    void exclusiveGroup_eachGroupIsPenalisedForItsOwnExtras() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::exclusiveGroup)
                .given(at(A100, 0, run("mix-a", 1, 1).withExclusiveGroup("mix")),
                        at(A100, 0, run("mix-b", 1, 1).withExclusiveGroup("mix")),
                        at(A100, 0, run("lr-a", 1, 1).withExclusiveGroup("lr")),
                        at(A100, 0, run("lr-b", 1, 1).withExclusiveGroup("lr")))
                .penalizesBy(SLOT + SLOT);
    }

    @Test
    void timeWindow_startBeforeTheEarliestStartIsPenalisedByGpuHoursOutside() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::timeWindow)
                .given(at(A100, 1, windowed("early", 2, 4, 8)))
                .penalizesBy((4 - 1) * SLOT);
    }

    @Test
    void timeWindow_startAfterTheLatestStartIsPenalisedByGpuHoursOutside() {
        // Latest start 8 for 2 slots: the run must end by slot 10; starting at 10 it ends 2 slots late.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::timeWindow)
                .given(at(A100, 10, windowed("late", 2, 4, 8)))
                .penalizesBy((10 - 8) * SLOT);
    }

    @Test
    void timeWindow_startOnEitherEdgeOfTheWindowIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::timeWindow)
                .given(at(A100, 4, windowed("first", 2, 4, 8)), at(A100, 8, windowed("last", 2, 4, 8)))
                .penalizesBy(0);
    }

    @Test
    void timeWindow_unselectedRunOutsideItsWindowIsNotPenalised() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::timeWindow)
                .given(unselectedAt(0, windowed("early", 2, 4, 8)))
                .penalizesBy(0);
    }

    @Test
    void required_requiredAndUnselectedIsPenalisedByItsGpuHours() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::required)
                .given(run("baseline", 4, 3).withRequired(true))
                .penalizesBy(4 * 3 * SLOT);
    }

    @Test
    void required_requiredAndSelectedIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::required)
                .given(at(A100, 0, run("baseline", 4, 3).withRequired(true)))
                .penalizesBy(0);
    }

    @Test
    void required_optionalAndUnselectedIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::required)
                .given(run("ablation", 4, 3))
                .penalizesBy(0);
    }

    // ---------------------------------------------------------------- medium and soft

    @Test
    void expectedValue_rewardsTheExpectedValueOfSelectedRunsOnly() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::expectedValue)
                .given(at(A100, 0, valued("a", 2, 1_500)), at(H100, 0, valued("b", 2, 2_250)),
                        valued("unselected", 2, 10_000))
                .rewardsWith(1_500 + 2_250);
    }

    @Test
    void expectedValue_nothingSelectedRewardsNothing() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::expectedValue)
                .given(valued("unselected", 2, 10_000))
                .rewardsWith(0);
    }

    @Test
    void earlierResults_penalisesExpectedValueTimesEndSlotInWholeValueUnits() {
        // a: 2.5 x slot 4 = 10; b: 1.5 x slot 3 = 4.5, truncated to 4; unselected runs count nothing.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::earlierResults)
                .given(at(A100, 2, valued("a", 2, 2_500)), at(H100, 0, valued("b", 3, 1_500)),
                        unselectedAt(5, valued("unselected", 2, 10_000)))
                .penalizesBy(10 + 4);
    }

    @Test
    void earlierResults_countsTheSlotTheRunEndsInNotTheOneItStartsIn() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::earlierResults)
                .given(at(A100, 7, valued("a", 2, 2_000)))
                .penalizesBy(2 * 9);
    }

    @Test
    void deadlineMargin_penalisesGpusTimesSlotsInsideTheMargin() {
        // Margin starts at slot 6; the run covers slots 4..7: slots 6 and 7 are inside.
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::deadlineMargin)
                .given(at(A100, 4, run("a", 4, 4).withDeadlineMarginSlot(6)))
                .penalizesBy(4 * 2);
    }

    @Test
    void deadlineMargin_runWhollyInsideTheMarginIsPenalisedForAllItsSlots() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::deadlineMargin)
                .given(at(A100, 7, run("a", 2, 2).withDeadlineMarginSlot(6)))
                .penalizesBy(2 * 2);
    }

    @Test
    void deadlineMargin_runEndingWhereTheMarginStartsIsFine() {
        constraintVerifier.verifyThat(GpuPlanConstraintProvider::deadlineMargin)
                .given(at(A100, 2, run("a", 4, 4).withDeadlineMarginSlot(6)), at(A100, 0, run("no-deadline", 4, 12)),
                        unselectedAt(8, run("unselected", 4, 4).withDeadlineMarginSlot(6)))
                .penalizesBy(0);
    }

    // ---------------------------------------------------------------- all together

    @Test
    void wholeScoreAppliesTheConfiguredSoftWeights() {
        Run a = at(A100, 0, valued("a", 2, 3_000));
        Run b = at(A100, 2, valued("b", 2, 1_000).withDeadlineMarginSlot(3));
        Run c = valued("c", 2, 5_000);
        GpuSchedule schedule = new GpuSchedule(List.of(A100, H100), List.of(a, b, c), List.of(dependsOn(b, a)),
                List.of(new TeamCap("vision", 10_000)), new BudgetLimit(10_000), new ScheduleWeights(2, 5));
        // medium: 3 + 1; soft: earlier-results 2 x (3 x 2 + 1 x 4) = 20, deadline-margin 5 x (1 GPU x 1 slot) = 5.
        constraintVerifier.verifyThat()
                .givenSolution(schedule)
                .scores(HardMediumSoftLongScore.of(0, 4_000, -25));
    }

    /** The provider names its constraints after the rules, and only the soft rules take a config's weight. */
    @Test
    void constraintsAreTheRulesAndOnlySoftOnesAreConfigurable() {
        Map<String, Boolean> configurableByName = constraintsOfTheProvider();

        assertThat(configurableByName.keySet()).containsExactlyInAnyOrderElementsOf(Arrays.stream(Rule.values()).map(Rule::id).toList());
        assertThat(configurableByName.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey))
                .as("constraints whose weight a config sets: no hard rule may be among them")
                .containsExactlyInAnyOrderElementsOf(Rule.soft().stream().map(Rule::id).toList());
    }

    /**
     * Runs the provider's {@code defineConstraints} against a recording stand-in for the constraint streams:
     * constraint name to whether its weight comes from the constraint configuration ({@code penalizeConfigurable...}).
     */
    private static Map<String, Boolean> constraintsOfTheProvider() {
        Map<String, Boolean> constraints = new LinkedHashMap<>();
        ConstraintFactory factory = (ConstraintFactory) recorder(ConstraintFactory.class, false, constraints);
        new GpuPlanConstraintProvider().defineConstraints(factory);
        return constraints;
    }

    private static Object recorder(Class<?> type, boolean configurable, Map<String, Boolean> constraints) {
        return Proxy.newProxyInstance(GpuPlanConstraintProviderTest.class.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            String name = method.getName();
            switch (name) {
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "recorder of " + type.getSimpleName();
                case "asConstraint":
                    constraints.put((String) args[args.length - 1], configurable);
                    break;
                default:
                    break;
            }
            Class<?> returned = method.getReturnType();
            if (returned.isInterface()) {
                return recorder(returned, configurable || name.contains("Configurable"), constraints);
            }
            if (returned == boolean.class) {
                return false;
            }
            return returned.isPrimitive() && returned != void.class ? 0 : null;
        });
    }
}
