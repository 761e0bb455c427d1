package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.util.Map;

/**
 * The GPU-hours a plan may spend in all, and per team. {@code overruns} is what finished runs taught about overruns
 * (null when none finished, or for a portfolio read from a file): a config with {@code budget.confidence} then makes
 * the budget and the team caps hold at that quantile of the plan's actual GPU-hours.
 */
public record Budget(BigDecimal gpuHours, Map<String, BigDecimal> perTeam, Overruns overruns) {

    public Budget {
        perTeam = perTeam == null ? Map.of() : Map.copyOf(perTeam);
    }

    public Budget(BigDecimal gpuHours, Map<String, BigDecimal> perTeam) {
        this(gpuHours, perTeam, null);
    }

    public Budget withOverruns(Overruns learned) {
        return new Budget(gpuHours, perTeam, learned);
    }
}
