package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * What a replan was planned from: the period's budget, what was spent before {@code asOf} (the start of the current
 * slot, where the replan's horizon starts), the expected remainder of the running runs it pinned, the proposals it
 * left out and why, and (once solved) what changed against the committed plan.
 */
public record Replan(String committedPlanId, Instant asOf, BigDecimal periodBudgetGpuHours, BigDecimal spentGpuHours,
                     BigDecimal runningRemainderGpuHours, List<String> pinned, List<Dropped> dropped, PlanDiff changes) {

    public record Dropped(String proposal, String reason) {
    }

    public Replan {
        pinned = pinned == null ? List.of() : List.copyOf(pinned);
        dropped = dropped == null ? List.of() : List.copyOf(dropped);
    }

    public Replan withChanges(PlanDiff diff) {
        return new Replan(committedPlanId, asOf, periodBudgetGpuHours, spentGpuHours, runningRemainderGpuHours, pinned, dropped, diff);
    }
}
