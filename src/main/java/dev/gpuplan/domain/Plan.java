package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The result of one solve, in the shape of SPEC section 4. {@code id} is null for a local solve.
 * {@code end} of an assignment is the end of its last occupied slot.
 */
public record Plan(
        String id,
        Status status,
        BigDecimal budgetGpuHours,
        BigDecimal usableGpuHours,
        String config,
        String configDir,
        String score,
        boolean feasible,
        Totals totals,
        List<Assignment> assignments,
        List<Unselected> unselected,
        List<String> violations) {

    public enum Status { QUEUED, SOLVING, SOLVED, FAILED, STOPPED }

    public record Totals(BigDecimal expectedValue, BigDecimal value, BigDecimal gpuHours, int selected, int candidates) {
    }

    public record Assignment(String proposal, String pool, Instant start, Instant end, int gpus, BigDecimal gpuHours) {
    }

    /** Why a proposal is not in the plan: a stable {@code code} and a sentence for a researcher. */
    public record Unselected(String proposal, String code, String reason) {
    }
}
