package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Ledger;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.domain.Run;

/**
 * The ledger of the planning period. The period is the stored budget ({@code PUT /api/budget}, or the budget of the
 * first committed plan) over the stored horizon (or the start and end given with the budget); it counts every attempt
 * whose actual (else planned) start lies in it.
 */
@ApplicationScoped
public class LedgerService {

    private final RunService runs;
    private final CatalogService catalog;
    private final ConfigCatalog configs;

    public LedgerService(RunService runs, CatalogService catalog, ConfigCatalog configs) {
        this.runs = runs;
        this.catalog = catalog;
        this.configs = configs;
    }

    /** The period with its start and end filled in from the stored horizon where it gives none. */
    public PlanningPeriod period() {
        PlanningPeriod period = runs.period().orElseThrow(() -> new NotFoundException(
                "no budget is stored: PUT /api/budget {gpuHours, perTeam?} or commit a plan (its budget opens the period)"));
        Horizon horizon = catalog.storedHorizon().orElse(null);
        return new PlanningPeriod(period.budgetGpuHours(), period.perTeam(),
                period.start() != null ? period.start() : horizon == null ? null : horizon.start(),
                period.end() != null ? period.end() : horizon == null ? null : horizon.end(), period.committedPlanId());
    }

    /** Every attempt in the period. */
    public List<Run> runsInPeriod(PlanningPeriod period) {
        return runs.allAttempts().stream().filter(period::covers).toList();
    }

    public Ledger ledger(String configName) {
        PlanningPeriod period = period();
        Instant now = runs.now();
        PlanningConfig config = configs.load(configName);
        BigDecimal reserve = period.budgetGpuHours().subtract(config.usableBudget(period.budgetGpuHours()));
        Map<String, BigDecimal> teamReserves = new LinkedHashMap<>(); // a flat reserve holds back from the total only
        return Ledger.of(period, period.start(), period.end(), runsInPeriod(period), now, reserve, teamReserves, BigDecimal.ZERO);
    }
}
