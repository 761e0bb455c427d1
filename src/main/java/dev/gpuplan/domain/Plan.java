package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * The result of one solve, described in docs/rules.md. {@code id} is null for a local solve.
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
        List<String> violations,
        Reserve reserve,
        Replan replan) {

    /** A plan without a reserve statement or replan details (local solves, baselines). */
    public Plan(String id, Status status, BigDecimal budgetGpuHours, BigDecimal usableGpuHours, String config, String configDir,
                String score, boolean feasible, Totals totals, List<Assignment> assignments, List<Unselected> unselected,
                List<String> violations) {
        this(id, status, budgetGpuHours, usableGpuHours, config, configDir, score, feasible, totals, assignments, unselected, violations,
                null, null);
    }

    public Plan withReserve(Reserve statedReserve) {
        return new Plan(id, status, budgetGpuHours, usableGpuHours, config, configDir, score, feasible, totals, assignments, unselected,
                violations, statedReserve, replan);
    }

    public Plan withReplan(Replan replanned) {
        return new Plan(id, status, budgetGpuHours, usableGpuHours, config, configDir, score, feasible, totals, assignments, unselected,
                violations, reserve, replanned);
    }

    public enum Status { QUEUED, SOLVING, SOLVED, FAILED, STOPPED }

    public record Totals(BigDecimal expectedValue, BigDecimal value, BigDecimal gpuHours, int selected, int candidates) {
    }

    /** A selected run; {@code expectedValue} is its contribution to the plan's total. */
    public record Assignment(String proposal, String pool, Instant start, Instant end, int gpus, BigDecimal gpuHours,
                             BigDecimal expectedValue) {
    }

    /**
     * Why a proposal is not in the plan: a stable {@code code}, a sentence for a researcher, and the figures
     * behind it in {@code details} (e.g. {@code usedGpuHours}, {@code budgetGpuHours}, {@code needsGpuHours}).
     */
    public record Unselected(String proposal, ReasonCode code, String message, java.util.Map<String, Object> details) {
        public Unselected {
            details = details == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
        }
    }
}
