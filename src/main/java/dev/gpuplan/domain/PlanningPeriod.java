package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The budget the loop is run against: GPU-hours in all and per team, for runs that start (or are planned to start)
 * in {@code [start, end)}; {@code start}/{@code end} null means the stored horizon's. {@code committedPlanId} is the
 * plan last committed, the one a replan is compared with.
 */
public record PlanningPeriod(BigDecimal budgetGpuHours, Map<String, BigDecimal> perTeam, Instant start, Instant end,
                             String committedPlanId) {

    public PlanningPeriod {
        perTeam = perTeam == null ? Map.of() : Map.copyOf(perTeam);
    }

    /** Whether a run's (actual, else planned) start lies inside the period. */
    public boolean covers(Run run) {
        Instant when = run.start() != null ? run.start() : run.plannedStart();
        return (start == null || !when.isBefore(start)) && (end == null || when.isBefore(end));
    }
}
