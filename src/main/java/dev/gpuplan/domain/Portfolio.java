package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.util.List;

/** Everything one solve needs: horizon, budget, pools and proposals. {@code budget} is null until one is given. */
public record Portfolio(Horizon horizon, Budget budget, List<Pool> pools, List<Proposal> proposals) {

    public Portfolio {
        pools = List.copyOf(pools);
        proposals = List.copyOf(proposals);
    }

    /** The same portfolio with its total budget replaced (team caps and learned overruns kept). */
    public Portfolio withBudgetGpuHours(BigDecimal gpuHours) {
        var perTeam = budget == null ? null : budget.perTeam();
        return new Portfolio(horizon, new Budget(gpuHours, perTeam, budget == null ? null : budget.overruns()), pools, proposals);
    }

    /** The same portfolio with what finished runs taught about overruns (null: nothing learned). */
    public Portfolio withOverruns(Overruns overruns) {
        return new Portfolio(horizon, budget.withOverruns(overruns), pools, proposals);
    }
}
