package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What a plan held back from its budget and why. {@code basis} is {@code flat} (the config's reservePercent) or
 * {@code learned} (the overrun distribution learned from finished runs, held at {@code confidence}).
 * {@code perTeam} is what was held back from each capped team's cap. {@code statement} says it in one sentence.
 */
public record Reserve(BigDecimal gpuHours, String basis, BigDecimal confidence, Integer finishedRuns,
                      BigDecimal medianOverrunPercent, BigDecimal p90OverrunPercent, Map<String, BigDecimal> perTeam, String statement) {

    public Reserve {
        perTeam = perTeam == null ? Map.of() : Map.copyOf(perTeam);
    }
}
