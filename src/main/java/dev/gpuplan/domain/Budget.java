package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.util.Map;

/** The GPU-hours a plan may spend in all, and per team. */
public record Budget(BigDecimal gpuHours, Map<String, BigDecimal> perTeam) {

    public Budget {
        perTeam = perTeam == null ? Map.of() : Map.copyOf(perTeam);
    }
}
