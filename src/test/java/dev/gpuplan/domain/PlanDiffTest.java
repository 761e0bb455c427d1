package dev.gpuplan.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** What changed between two hand-built plans: runs added, removed and moved, and the change in totals. */
class PlanDiffTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static final Plan.Assignment KEPT = run("kept", "a100-east", 0, 2, 4, "8", "10");
    private static final Plan.Assignment TO_OTHER_POOL = run("to-other-pool", "a100-east", 4, 8, 2, "16", "20");
    private static final Plan.Assignment LATER = run("later", "h100-west", 0, 4, 3, "12", "7.5");
    private static final Plan.Assignment DROPPED = run("dropped", "h100-west", 6, 8, 5, "40", "25");

    @Test
    void addedRemovedMovedAndTheChangeInTotals() {
        Plan a = plan(KEPT, TO_OTHER_POOL, LATER, DROPPED);
        Plan.Assignment added = run("added", "h100-west", 10, 4, 6, "24", "33.25");
        Plan.Assignment added2 = run("added-2", "a100-east", 12, 1, 1, "1", "0.5");
        Plan.Assignment movedPool = run("to-other-pool", "h100-west", 4, 8, 2, "16", "20");
        Plan.Assignment movedTime = run("later", "h100-west", 3, 4, 3, "12", "7.5");
        Plan b = plan(KEPT, movedPool, movedTime, added, added2);

        PlanDiff diff = PlanDiff.between(a, b);

        assertThat(diff.added()).containsExactly(added, added2);
        assertThat(diff.removed()).containsExactly(DROPPED);
        assertThat(diff.moved()).containsExactly(
                new PlanDiff.Move("to-other-pool", "a100-east", T0.plus(Duration.ofHours(4)), "h100-west", T0.plus(Duration.ofHours(4))),
                new PlanDiff.Move("later", "h100-west", T0, "h100-west", T0.plus(Duration.ofHours(3))));
        // a: 10 + 20 + 7.5 + 25 = 62.5 for 8 + 16 + 12 + 40 = 76; b: 10 + 20 + 7.5 + 33.25 + 0.5 = 71.25 for 8 + 16 + 12 + 24 + 1 = 61
        assertThat(a.totals().expectedValue()).isEqualByComparingTo("62.5");
        assertThat(b.totals().expectedValue()).isEqualByComparingTo("71.25");
        assertThat(diff.expectedValueChange()).isEqualByComparingTo("8.75");
        assertThat(diff.gpuHoursChange()).isEqualByComparingTo("-15");
        assertThat(diff.selectedChange()).isEqualTo(1);
    }

    @Test
    void theOtherWayRoundIsTheMirrorImage() {
        Plan a = plan(KEPT, TO_OTHER_POOL, DROPPED);
        Plan b = plan(KEPT, run("to-other-pool", "h100-west", 5, 8, 2, "16", "20"));

        PlanDiff forward = PlanDiff.between(a, b);
        PlanDiff backward = PlanDiff.between(b, a);

        assertThat(forward.removed()).containsExactly(DROPPED);
        assertThat(forward.added()).isEmpty();
        assertThat(backward.added()).containsExactly(DROPPED);
        assertThat(backward.removed()).isEmpty();
        assertThat(forward.moved()).containsExactly(new PlanDiff.Move("to-other-pool", "a100-east", T0.plus(Duration.ofHours(4)),
                "h100-west", T0.plus(Duration.ofHours(5))));
        assertThat(backward.moved()).containsExactly(new PlanDiff.Move("to-other-pool", "h100-west", T0.plus(Duration.ofHours(5)),
                "a100-east", T0.plus(Duration.ofHours(4))));
        assertThat(forward.expectedValueChange()).isEqualByComparingTo("-25");
        assertThat(backward.expectedValueChange()).isEqualByComparingTo("25");
        assertThat(forward.gpuHoursChange()).isEqualByComparingTo("-40");
        assertThat(backward.gpuHoursChange()).isEqualByComparingTo("40");
        assertThat(forward.selectedChange()).isEqualTo(-1);
        assertThat(backward.selectedChange()).isEqualTo(1);
    }

    @Test
    void aPlanAgainstItselfChangesNothing() {
        Plan a = plan(KEPT, TO_OTHER_POOL, LATER);

        PlanDiff diff = PlanDiff.between(a, plan(KEPT, TO_OTHER_POOL, LATER));

        assertThat(diff.added()).isEmpty();
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.moved()).isEmpty();
        assertThat(diff.expectedValueChange()).isEqualByComparingTo("0");
        assertThat(diff.gpuHoursChange()).isEqualByComparingTo("0");
        assertThat(diff.selectedChange()).isZero();
    }

    @Test
    void fromAnEmptyPlanEverythingIsAdded() {
        Plan empty = plan();
        Plan b = plan(KEPT, LATER);

        PlanDiff diff = PlanDiff.between(empty, b);

        assertThat(diff.added()).containsExactly(KEPT, LATER);
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.moved()).isEmpty();
        assertThat(diff.expectedValueChange()).isEqualByComparingTo("17.5");
        assertThat(diff.gpuHoursChange()).isEqualByComparingTo("20");
        assertThat(diff.selectedChange()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ helpers

    private static Plan.Assignment run(String key, String pool, int startHour, int hours, int gpus, String gpuHours, String expectedValue) {
        return new Plan.Assignment(key, pool, T0.plus(Duration.ofHours(startHour)), T0.plus(Duration.ofHours(startHour + hours)), gpus,
                new BigDecimal(gpuHours), new BigDecimal(expectedValue));
    }

    /** A solved plan of these assignments, with totals that add them up. */
    private static Plan plan(Plan.Assignment... assignments) {
        BigDecimal expectedValue = BigDecimal.ZERO;
        BigDecimal gpuHours = BigDecimal.ZERO;
        for (Plan.Assignment assignment : assignments) {
            expectedValue = expectedValue.add(assignment.expectedValue());
            gpuHours = gpuHours.add(assignment.gpuHours());
        }
        return new Plan(null, Plan.Status.SOLVED, new BigDecimal("100"), new BigDecimal("95"), "default", "planning-configs", null, true,
                new Plan.Totals(expectedValue, expectedValue, gpuHours, assignments.length, 6), List.of(assignments), List.of(), List.of());
    }
}
