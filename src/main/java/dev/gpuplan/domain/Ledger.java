package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the planning period's GPU-hours are, as of {@code asOf}. spent = actual use of FINISHED, FAILED and
 * cancelled-after-start runs plus use so far of STARTED runs; committed = expected remainder of STARTED runs plus
 * estimates of PLANNED runs; free = budget - spent - committed. {@code reserve} is what plans hold back from the
 * budget for overruns (the config's flat percentage, or the learned one). Team lines have the same fields;
 * {@code budgetGpuHours} and {@code freeGpuHours} of a team without a cap are null. Every figure is the exact sum of
 * the runs' own figures (thousandths).
 */
public record Ledger(Instant asOf, Instant periodStart, Instant periodEnd, String committedPlanId,
                     BigDecimal budgetGpuHours, BigDecimal spentGpuHours, BigDecimal committedGpuHours, BigDecimal freeGpuHours,
                     BigDecimal reserveGpuHours, BigDecimal gatedFreedGpuHours, Map<String, Line> perTeam) {

    public record Line(BigDecimal budgetGpuHours, BigDecimal spentGpuHours, BigDecimal committedGpuHours, BigDecimal freeGpuHours,
                       BigDecimal reserveGpuHours) {
    }

    /**
     * @param reserve      GPU-hours plans hold back from the total budget
     * @param teamReserves GPU-hours held back from each capped team's cap
     * @param gatedFreed   GPU-hours of full runs dropped because their pilot failed
     */
    public static Ledger of(PlanningPeriod period, Instant periodStart, Instant periodEnd, List<Run> runs, Instant asOf,
                            BigDecimal reserve, Map<String, BigDecimal> teamReserves, BigDecimal gatedFreed) {
        BigDecimal spent = BigDecimal.ZERO;
        BigDecimal committed = BigDecimal.ZERO;
        Map<String, BigDecimal[]> teams = new TreeMap<>();
        period.perTeam().keySet().forEach(team -> teams.put(team, new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO}));
        for (Run run : runs) {
            BigDecimal used = run.usedGpuHours(asOf);
            BigDecimal remainder = run.expectedRemainderGpuHours(asOf);
            spent = spent.add(used);
            committed = committed.add(remainder);
            BigDecimal[] team = teams.computeIfAbsent(run.team(), t -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            team[0] = team[0].add(used);
            team[1] = team[1].add(remainder);
        }
        Map<String, Line> perTeam = new TreeMap<>();
        teams.forEach((team, sums) -> {
            BigDecimal cap = period.perTeam().get(team);
            perTeam.put(team, new Line(plain(cap), plain(sums[0]), plain(sums[1]),
                    cap == null ? null : plain(cap.subtract(sums[0]).subtract(sums[1])),
                    cap == null ? null : plain(teamReserves.getOrDefault(team, BigDecimal.ZERO))));
        });
        BigDecimal budget = period.budgetGpuHours();
        return new Ledger(asOf, periodStart, periodEnd, period.committedPlanId(), plain(budget), plain(spent), plain(committed),
                plain(budget.subtract(spent).subtract(committed)), plain(reserve), plain(gatedFreed), perTeam);
    }

    private static BigDecimal plain(BigDecimal amount) {
        return amount == null ? null : amount.stripTrailingZeros();
    }
}
