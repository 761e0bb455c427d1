package dev.gpuplan.solver;

/** The GPU-hours the plan may spend (budget less the config's reserve), in thousandths of a GPU-hour. */
public record BudgetLimit(long gpuMilliHours) {
}
