package dev.gpuplan.cluster;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import dev.gpuplan.config.ClusterMapping;

/**
 * One selected run as a cluster gets it: the plan's assignment, the proposal's text, and the pool's mapping.
 *
 * @param plan      the plan it comes from: its id, or {@code file-<hash>} for a plan file without one
 * @param dependsOn the proposals of this export it must wait for (a dependency outside the plan is not waited for)
 */
public record ExportRun(String plan, String proposal, String title, String team, String command, String pool,
                        Instant start, Instant end, int gpus, BigDecimal hours, List<String> dependsOn,
                        List<String> dependenciesOutsidePlan, ClusterMapping.PoolMapping mapping) {

    public ExportRun {
        dependsOn = List.copyOf(dependsOn);
        dependenciesOutsidePlan = List.copyOf(dependenciesOutsidePlan);
    }
}
