package dev.gpuplan.solver;

import dev.gpuplan.domain.Overruns;

/**
 * The GPU-hours the plan may spend, in thousandths of a GPU-hour, and the quantile at which its selected runs' charges
 * must fit: {@code z} is the standard normal score of the config's {@code budget.confidence} (0 without learned
 * overruns, where every charge is certain and the quantile is the plain sum). With a flat reserve the limit is the
 * budget less the reserve; with learned overruns it is the whole budget.
 */
public record BudgetLimit(long gpuMilliHours, double z) {

    public BudgetLimit(long gpuMilliHours) {
        this(gpuMilliHours, 0);
    }

    /** What the charges come to at the confidence quantile, in thousandths of a GPU-hour (rounded up). */
    public long quantile(long meanMilliHours, long varianceMilli) {
        return quantile(meanMilliHours, varianceMilli, z);
    }

    /** The {@code z}-quantile of a sum of charges with this mean and variance (the plain mean when nothing varies). */
    static long quantile(long meanMilliHours, long varianceMilli, double z) {
        if (varianceMilli <= 0) {
            return meanMilliHours;
        }
        double gpuHours = Overruns.quantileOfSum(meanMilliHours / 1000.0, varianceMilli / 1000.0, z);
        return (long) Math.ceil(gpuHours * 1000 - 1e-6);
    }
}
