package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Ledger;
import dev.gpuplan.domain.Overruns;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunStatus;

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
    private final ReserveService reserves;

    public LedgerService(RunService runs, CatalogService catalog, ConfigCatalog configs, ReserveService reserves) {
        this.reserves = reserves;
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
        List<Run> inPeriod = runsInPeriod(period);
        Overruns overruns = config.confidence() == null ? null : reserves.learned();
        BigDecimal reserve;
        Map<String, BigDecimal> teamReserves = new LinkedHashMap<>(); // a flat reserve holds back from the total only
        if (overruns == null) {
            reserve = period.budgetGpuHours().subtract(config.usableBudget(period.budgetGpuHours()));
        } else {
            double z = Overruns.normalQuantile(config.confidence().doubleValue());
            List<Run> ahead = inPeriod.stream().filter(run -> run.status().isActive()).toList();
            reserve = learnedReserve(ahead, overruns, z);
            period.perTeam().keySet().forEach(team ->
                    teamReserves.put(team, learnedReserve(ahead.stream().filter(run -> run.team().equals(team)).toList(), overruns, z)));
        }
        List<Run> gated = gatedOff(inPeriod);
        BigDecimal freed = gated.stream().map(Run::estimatedGpuHours).reduce(BigDecimal.ZERO, BigDecimal::add);
        // A PLANNED run whose pilot failed will never start: its hours are freed, not committed.
        List<Run> counted = inPeriod.stream().filter(run -> !(run.status() == RunStatus.PLANNED && gated.contains(run))).toList();
        return Ledger.of(period, period.start(), period.end(), counted, now, reserve, teamReserves, freed);
    }

    /**
     * Runs freed by a gate: attempts that never started (PLANNED or CANCELLED before starting) of proposals whose pilot's
     * latest run FAILED.
     */
    List<Run> gatedOff(List<Run> inPeriod) {
        Map<String, Proposal> proposals = catalog.storedProposals();
        Map<String, RunStatus> latest = new HashMap<>();
        runs.runs(null, null).forEach(run -> latest.put(run.proposal(), run.status()));
        return inPeriod.stream().filter(run -> run.start() == null
                        && (run.status() == RunStatus.PLANNED || run.status() == RunStatus.CANCELLED))
                .filter(run -> {
                    Proposal proposal = proposals.get(run.proposal());
                    return proposal != null && proposal.pilot() != null && latest.get(proposal.pilot()) == RunStatus.FAILED;
                })
                .toList();
    }

    /**
     * What the committed runs still ahead need beyond their expected remainders for {@code z} of outcomes to fit: the
     * quantile of their remainders times their teams' learned overruns, less the remainders themselves.
     */
    private BigDecimal learnedReserve(List<Run> ahead, Overruns overruns, double z) {
        Instant now = runs.now();
        double planned = 0;
        double mean = 0;
        double variance = 0;
        for (Run run : ahead) {
            double remainder = run.expectedRemainderGpuHours(now).doubleValue();
            Overruns.Fit fit = overruns.forTeam(run.team());
            planned += remainder;
            mean += remainder * fit.mean();
            variance += remainder * remainder * fit.variance();
        }
        return BigDecimal.valueOf(Overruns.quantileOfSum(mean, variance, z) - planned).setScale(3, java.math.RoundingMode.CEILING);
    }
}
