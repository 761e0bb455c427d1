package dev.gpuplan.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far finished runs ran over their estimates, learned per team: the ratio r = actual / estimated GPU-hours is
 * taken as lognormal, with {@code log r} of mean {@code mu} and variance {@code sigma2}. A team with few runs is shrunk
 * toward the global fit as if the global one were {@value #PRIOR_RUNS} runs of its own: its parameters are the
 * run-weighted mix {@code (n x team + k x global) / (n + k)}, so one odd run moves a new team a little, thirty runs
 * decide it. A team without finished runs gets the global fit.
 *
 * <p>The plan's total actual GPU-hours is a sum of independent lognormals (one per run); its quantile is taken from the
 * lognormal with the same mean and variance (Fenton-Wilkinson moment matching), see {@link #quantileOfSum}.
 *
 * @param finishedRuns         how many finished runs it was learned from
 * @param medianOverrunPercent the median observed overrun, percent (+6 means 6% over the estimate)
 * @param p90OverrunPercent    the 90th percentile of observed overruns, percent
 * @param global               the fit over all runs
 * @param perTeam              each team's own fit (before shrinkage) and its number of runs
 */
public record Overruns(int finishedRuns, double medianOverrunPercent, double p90OverrunPercent, Fit global, Map<String, Fit> perTeam) {

    /** How many runs' worth of weight the global fit has when a team's fit is shrunk toward it. */
    public static final int PRIOR_RUNS = 5;

    /** A lognormal fit of one set of ratios: {@code log r ~ N(mu, sigma2)}, from {@code runs} runs. */
    public record Fit(int runs, double mu, double sigma2) {

        /** E[r]. */
        public double mean() {
            return Math.exp(mu + sigma2 / 2);
        }

        /** Var[r]. */
        public double variance() {
            return Math.expm1(sigma2) * Math.exp(2 * mu + sigma2);
        }
    }

    /** One finished run: its team, estimated and actual GPU-hours. */
    public record Observation(String team, double estimatedGpuHours, double actualGpuHours) {
    }

    public Overruns {
        perTeam = perTeam == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(perTeam));
    }

    /** The fit of finished runs, or null when there are none with a positive estimate and actual use. */
    public static Overruns learn(List<Observation> observations) {
        List<Double> logs = new ArrayList<>();
        Map<String, List<Double>> byTeam = new LinkedHashMap<>();
        for (Observation o : observations) {
            if (o.estimatedGpuHours() <= 0 || o.actualGpuHours() <= 0) {
                continue; // a run that used nothing tells nothing about overruns (and has no logarithm)
            }
            double log = Math.log(o.actualGpuHours() / o.estimatedGpuHours());
            logs.add(log);
            byTeam.computeIfAbsent(o.team(), t -> new ArrayList<>()).add(log);
        }
        if (logs.isEmpty()) {
            return null;
        }
        Map<String, Fit> teams = new TreeMap<>();
        byTeam.forEach((team, values) -> teams.put(team, fit(values)));
        List<Double> sorted = new ArrayList<>(logs);
        Collections.sort(sorted);
        return new Overruns(logs.size(), overrunPercent(nearestRank(sorted, 0.5)), overrunPercent(nearestRank(sorted, 0.9)), fit(logs), teams);
    }

    /** The fit used for a team's runs: its own shrunk toward the global one, or the global one for a team never seen. */
    public Fit forTeam(String team) {
        Fit own = perTeam.get(team);
        if (own == null) {
            return global;
        }
        double n = own.runs();
        double k = PRIOR_RUNS;
        double mu = (n * own.mu() + k * global.mu()) / (n + k);
        double sigma2 = (n * own.sigma2() + k * global.sigma2()) / (n + k);
        return new Fit(own.runs(), mu, sigma2);
    }

    /**
     * The {@code z}-quantile (a standard normal score) of a sum of independent positive amounts with total mean
     * {@code mean} and total variance {@code variance}, as the lognormal with those two moments. With no variance the
     * sum is certain and the quantile is the mean.
     */
    public static double quantileOfSum(double mean, double variance, double z) {
        if (variance <= 0 || mean <= 0) {
            return Math.max(0, mean);
        }
        double sigma2 = Math.log1p(variance / (mean * mean));
        double mu = Math.log(mean) - sigma2 / 2;
        return Math.exp(mu + z * Math.sqrt(sigma2));
    }

    /** The standard normal score of a probability {@code 0 < p < 1} (Acklam's rational approximation, error below 1.2e-9). */
    public static double normalQuantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("a probability strictly between 0 and 1 is needed, got " + p);
        }
        double[] a = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                -3.066479806614716e+01, 2.506628277459239e+00};
        double[] b = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                -1.328068155288572e+01};
        double[] c = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                4.374664141464968e+00, 2.938163982698783e+00};
        double[] d = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00};
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log1p(-p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }

    private static Fit fit(List<Double> logs) {
        double mean = 0;
        for (double x : logs) {
            mean += x;
        }
        mean /= logs.size();
        double squares = 0;
        for (double x : logs) {
            squares += (x - mean) * (x - mean);
        }
        // The unbiased variance; one run alone says nothing about spread (0).
        double sigma2 = logs.size() > 1 ? squares / (logs.size() - 1) : 0;
        return new Fit(logs.size(), mean, sigma2);
    }

    private static double nearestRank(List<Double> sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static double overrunPercent(double log) {
        return Math.round(Math.expm1(log) * 1000) / 10.0;
    }
}
