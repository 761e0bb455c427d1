package dev.gpuplan.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

import dev.gpuplan.domain.Rule;

/**
 * A planning lead's policy: {@code planning-configs/<name>.yaml}, validated.
 *
 * @param name              the file's name without {@code .yaml}
 * @param directory         where it was read from ({@code classpath:planning-configs} for the packaged defaults)
 * @param algorithm         the solver phases: {@code planning-configs/solver/<algorithm>.xml}
 * @param solverXml         that file's content
 * @param weights           soft constraint name to weight (0 turns it off)
 * @param reservePercent    the share of the budget held back from planning
 * @param defaultTeamCaps   caps for teams the portfolio's budget does not name
 * @param cluster           how pools map onto Slurm partitions and Kueue queues ({@code cluster:}); never null
 * @param confidence        {@code budget.confidence}: with overruns learned from finished runs, the budget and team caps
 *                          hold at this quantile of the plan's actual GPU-hours instead of the flat reserve; null: flat
 * @param gatedSpend        {@code budget.gatedSpend}: how a pilot-gated run's GPU-hours count against budget and caps
 */
public record PlanningConfig(
        String name,
        String directory,
        String algorithm,
        String solverXml,
        Duration timeLimit,
        Duration unimprovedTimeLimit,
        Map<String, Long> weights,
        BigDecimal reservePercent,
        Map<String, BigDecimal> defaultTeamCaps,
        BigDecimal deadlineMarginHours,
        ClusterMapping cluster,
        BigDecimal confidence,
        GatedSpend gatedSpend) {

    /** How the GPU-hours of a run gated by a pilot count: in full, or at the pilot's success probability x its cost. */
    public enum GatedSpend {
        FULL, EXPECTED;

        /** The word a config file uses. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public PlanningConfig {
        gatedSpend = gatedSpend == null ? GatedSpend.FULL : gatedSpend;
        cluster = cluster == null ? ClusterMapping.DEFAULT : cluster;
        weights = Map.copyOf(weights);
        defaultTeamCaps = Map.copyOf(defaultTeamCaps);
    }

    public long weight(Rule rule) {
        return weights.getOrDefault(rule.id(), rule.defaultWeight());
    }

    /** The budget left for planning once the reserve is held back, rounded down to a thousandth. */
    public BigDecimal usableBudget(BigDecimal gpuHours) {
        BigDecimal share = BigDecimal.valueOf(100).subtract(reservePercent).divide(BigDecimal.valueOf(100));
        return gpuHours.multiply(share).setScale(3, RoundingMode.DOWN).stripTrailingZeros();
    }
}
