package dev.gpuplan.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.domain.Plan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;

/** The Kueue export, parsed back with the fabric8 Kubernetes model. */
class KubernetesJobsTest {

    private static final String PLAN = "0f9d3c7e-1111-4222-8333-444455556666";
    private static final ClusterMapping MAPPING = new ClusterMapping(Duration.ZERO, false, "registry.example/team/train:1.2", Map.of(
            "a100-east", new ClusterMapping.PoolMapping(null, null, "team-a100",
                    Map.of("cloud.example/accelerator", "nvidia-a100"),
                    List.of(new ClusterMapping.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule")))));

    @TempDir
    Path dir;

    private Job job(String key) throws IOException {
        List<ExportRun> runs = ClusterExport.runs(ExportFixtures.plan(PLAN, Plan.Status.SOLVED, true), PLAN, ExportFixtures.portfolio(), MAPPING);
        Path out = dir.resolve("k8s-" + key);
        ExportDirectory.write(out, KubernetesJobs.files(runs, MAPPING.image()), false);
        try (var in = Files.newInputStream(out.resolve(key + ".yaml"))) {
            return Serialization.unmarshal(in, Job.class);
        }
    }

    @Test
    void eachRunIsASuspendedJobForItsKueueQueueWithItsGpus() throws IOException {
        Job job = job("base");

        assertThat(job.getApiVersion()).isEqualTo("batch/v1");
        assertThat(job.getKind()).isEqualTo("Job");
        assertThat(job.getMetadata().getName()).isEqualTo("base-0f9d3c7e");
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesJobs.QUEUE_LABEL, "team-a100");
        assertThat(job.getMetadata().getAnnotations())
                .containsEntry(KubernetesJobs.PLAN_ANNOTATION, PLAN)
                .containsEntry(KubernetesJobs.PROPOSAL_ANNOTATION, "base")
                .containsEntry(KubernetesJobs.START_ANNOTATION, "2026-12-01T00:00:00Z")
                .containsEntry("gpuplan.dev/title", ExportFixtures.HOSTILE_TITLE);
        Container container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("registry.example/team/train:1.2");
        assertThat(container.getResources().getLimits()).containsEntry(KubernetesJobs.GPU_RESOURCE, new Quantity("4"));
        assertThat(container.getCommand()).containsExactly("/bin/sh", "-c");
        assertThat(container.getArgs()).containsExactly(ExportFixtures.HOSTILE_COMMAND);
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
        assertThat(job.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("cloud.example/accelerator", "nvidia-a100");
        assertThat(job.getSpec().getTemplate().getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getOperator, Toleration::getEffect)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("nvidia.com/gpu", "Exists", "NoSchedule"));
    }

    @Test
    void unmappedPoolsUseTheirNameAsQueueAndDependenciesAreAnnotated() throws IOException {
        Job job = job("eval_1");

        assertThat(job.getMetadata().getName()).as("a DNS label: no dots or underscores").isEqualTo("eval-1-0f9d3c7e");
        assertThat(job.getMetadata().getLabels()).containsEntry(KubernetesJobs.QUEUE_LABEL, "team-a100");
        assertThat(job.getMetadata().getAnnotations()).containsEntry("gpuplan.dev/depends-on", "base,ablation.v2");
        Job other = job("ablation.v2");
        assertThat(other.getMetadata().getLabels()).containsEntry(KubernetesJobs.QUEUE_LABEL, "h100-west");
        assertThat(other.getSpec().getTemplate().getSpec().getNodeSelector()).isNullOrEmpty();
        assertThat(other.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().get(0)).contains("has no command").contains("exit 2");
    }

    @Test
    void longKeysGiveJobNamesWithinTheDnsLabelLimit() {
        String name = KubernetesJobs.jobName("a".repeat(64), "file-0123456789ab");

        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").endsWith("-01234567");
    }
}
