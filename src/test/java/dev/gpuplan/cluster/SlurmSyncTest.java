package dev.gpuplan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.gpuplan.config.ClusterMapping;

/** Which jobs a sync records: only those of the plan that placed their proposal's latest run, oldest first. */
class SlurmSyncTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
    private static final ClusterMapping MAPPING = new ClusterMapping(ClusterMapping.DEFAULT_TIME_GRACE, false, null,
            Map.of("a100-east", new ClusterMapping.PoolMapping("gpu-a100", null, null, null, null)));

    private static SlurmJob finished(long id, String comment, String partition, Instant submit) {
        return new SlurmJob(id, "job" + id, comment, partition, "COMPLETED", "None", 0, 0, submit, submit.plusSeconds(60),
                submit.plusSeconds(3660), 2);
    }

    @Test
    void onlyJobsOfTheRunsOwnPlanCount() {
        List<SlurmJob> jobs = List.of(
                finished(1, "gpuplan:plan-b/train", "gpu-a100", T0),
                finished(2, "gpuplan:plan-a/train", "gpu-a100", T0),      // train's run was re-placed by plan-b
                finished(3, "gpuplan:plan-b/never-committed", "gpu-a100", T0),
                finished(4, null, "gpu-a100", T0),
                finished(5, "not gpuplan's", "gpu-a100", T0));

        SlurmSync.Selection selection = SlurmSync.select(jobs, MAPPING, Set.of("a100-east"), Map.of("train", "plan-b"), null);

        assertThat(selection.slurmJobs()).isEqualTo(5);
        assertThat(selection.gpuplanJobs()).isEqualTo(3);
        assertThat(selection.otherPlan()).isEqualTo(1);
        assertThat(selection.noRun()).isEqualTo(1);
        assertThat(selection.runs()).singleElement().satisfies(run -> {
            assertThat(run.proposal()).isEqualTo("train");
            assertThat(run.events()).extracting(RunEvent::eventId).containsExactly("slurm-1-" + T0.getEpochSecond() + "-started",
                    "slurm-1-" + T0.getEpochSecond() + "-finished");
            assertThat(run.events().get(0).pool()).as("gpu-a100 maps back to a100-east").isEqualTo("a100-east");
            assertThat(run.events().get(1).gpuHours()).as("1 h x 2 GPUs").isEqualByComparingTo("2");
        });
        assertThat(selection.summary()).contains("5 Slurm jobs, 3 of them gpuplan's", "1 left alone (another plan's",
                "1 left alone (no run", "2 events for 1 runs");
    }

    @Test
    void aPoolTheServiceDoesNotKnowIsNotNamed() {
        SlurmSync.Selection selection = SlurmSync.select(List.of(finished(1, "gpuplan:p/train", "gpu-a100", T0)), MAPPING,
                Set.of("h100-west"), Map.of("train", "p"), null);

        assertThat(selection.runs().get(0).events().get(0).pool()).isNull();
    }

    @Test
    void withoutTheServiceEveryGpuplanJobOfThePlanAskedForCountsInSubmitOrder() {
        List<SlurmJob> jobs = List.of(
                finished(9, "gpuplan:p/retry", "gpu-a100", T0.plusSeconds(7200)),
                finished(8, "gpuplan:p/retry", "gpu-a100", T0),
                finished(7, "gpuplan:q/other", "gpu-a100", T0));

        SlurmSync.Selection selection = SlurmSync.select(jobs, MAPPING, null, null, "p");

        assertThat(selection.gpuplanJobs()).isEqualTo(2);
        assertThat(selection.runs()).singleElement().satisfies(run -> assertThat(run.events()).extracting(RunEvent::eventId)
                .first().asString().startsWith("slurm-8-"));
        assertThat(selection.runs().get(0).events()).hasSize(4);
    }
}
