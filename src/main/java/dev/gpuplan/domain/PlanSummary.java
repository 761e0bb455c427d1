package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;

/** A plan in a list: its status and totals, without its assignments and reasons (read those with the plan's own URL). */
public record PlanSummary(String id, Plan.Status status, BigDecimal budgetGpuHours, BigDecimal usableGpuHours, String config,
                          String configDir, String score, boolean feasible, Plan.Totals totals, Instant createdAt) {
}
