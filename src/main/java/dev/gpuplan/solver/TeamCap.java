package dev.gpuplan.solver;

/**
 * A team's GPU-hour cap, in thousandths of a GPU-hour; the team's charges must fit it at the standard normal score
 * {@code z} (see {@link BudgetLimit}).
 */
public record TeamCap(String team, long gpuMilliHours, double z) {

    public TeamCap(String team, long gpuMilliHours) {
        this(team, gpuMilliHours, 0);
    }

    /** What the team's charges come to at the confidence quantile, in thousandths of a GPU-hour. */
    public long quantile(long meanMilliHours, long varianceMilli) {
        return BudgetLimit.quantile(meanMilliHours, varianceMilli, z);
    }
}
