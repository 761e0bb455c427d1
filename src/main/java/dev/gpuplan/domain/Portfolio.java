package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.util.List;

/** Everything one solve needs: horizon, budget, pools and proposals. {@code budget} is null until one is given. */
public record Portfolio(Horizon horizon, Budget budget, List<Pool> pools, List<Proposal> proposals) {

    public Portfolio {
        pools = List.copyOf(pools);
        proposals = List.copyOf(proposals);
    }

    /** The same portfolio with its total budget replaced (team caps kept). */
    public Portfolio withBudgetGpuHours(BigDecimal gpuHours) {
        var perTeam = budget == null ? null : budget.perTeam();
        return new Portfolio(horizon, new Budget(gpuHours, perTeam), pools, proposals);
    }
}
