package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What changed from plan {@code a} to plan {@code b}: runs added, removed, and moved (another pool or start),
 * and the change in expected value and GPU-hours.
 */
public record PlanDiff(List<Plan.Assignment> added, List<Plan.Assignment> removed, List<Move> moved,
                       BigDecimal expectedValueChange, BigDecimal gpuHoursChange, int selectedChange) {

    public record Move(String proposal, String fromPool, Instant fromStart, String toPool, Instant toStart) {
    }

    public static PlanDiff between(Plan a, Plan b) {
        Map<String, Plan.Assignment> before = byProposal(a);
        Map<String, Plan.Assignment> after = byProposal(b);
        List<Plan.Assignment> added = new ArrayList<>();
        List<Move> moved = new ArrayList<>();
        for (Plan.Assignment assignment : b.assignments()) {
            Plan.Assignment earlier = before.get(assignment.proposal());
            if (earlier == null) {
                added.add(assignment);
            } else if (!earlier.pool().equals(assignment.pool()) || !earlier.start().equals(assignment.start())) {
                moved.add(new Move(assignment.proposal(), earlier.pool(), earlier.start(), assignment.pool(), assignment.start()));
            }
        }
        List<Plan.Assignment> removed = a.assignments().stream().filter(x -> !after.containsKey(x.proposal())).toList();
        return new PlanDiff(added, removed, moved, difference(b.totals().expectedValue(), a.totals().expectedValue()),
                difference(b.totals().gpuHours(), a.totals().gpuHours()), b.totals().selected() - a.totals().selected());
    }

    private static Map<String, Plan.Assignment> byProposal(Plan plan) {
        return plan.assignments().stream().collect(Collectors.toMap(Plan.Assignment::proposal, Function.identity(), (x, y) -> x));
    }

    private static BigDecimal difference(BigDecimal after, BigDecimal before) {
        BigDecimal a = after == null ? BigDecimal.ZERO : after;
        BigDecimal b = before == null ? BigDecimal.ZERO : before;
        return a.subtract(b).stripTrailingZeros();
    }
}
