package dev.gpuplan.solver;

/**
 * What a run counts against the budget and its team's cap: the mean of its actual GPU-hours ({@code meanMilliHours},
 * thousandths of a GPU-hour) and their variance ({@code varianceMilli}, thousandths of a GPU-hour squared). Without
 * learned overruns or pilot gates the mean is the estimate and the variance 0, so the rules read as plain sums.
 * Amounts of several runs add up (the runs' overruns are taken as independent).
 */
public record Charge(long meanMilliHours, long varianceMilli) {

    public static final Charge NONE = new Charge(0, 0);
    /** The largest variance one run may carry, so that sums over a whole portfolio stay within a long. */
    static final long MAX_VARIANCE = 100_000_000_000_000L;

    public Charge plus(Charge other) {
        return new Charge(meanMilliHours + other.meanMilliHours, varianceMilli + other.varianceMilli);
    }

    public Charge minus(Charge other) {
        return new Charge(meanMilliHours - other.meanMilliHours, varianceMilli - other.varianceMilli);
    }
}
