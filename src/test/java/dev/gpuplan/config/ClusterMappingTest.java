package dev.gpuplan.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpuplan.input.InvalidInputException;

/** The cluster: section of a planning config: pools to Slurm partitions and Kueue queues, refused with the line when wrong. */
class ClusterMappingTest {

    @TempDir
    Path dir;

    @BeforeEach
    void solverPhases() throws IOException {
        Files.createDirectories(dir.resolve("solver"));
        Files.copy(Path.of("planning-configs/solver/late-acceptance.xml"), dir.resolve("solver/late-acceptance.xml"));
    }

    private PlanningConfig load(String yaml) throws IOException {
        Files.writeString(dir.resolve("lab.yaml"), yaml);
        return PlanningConfigs.in(dir).load("lab");
    }

    @Test
    void withoutAClusterSectionPoolsMapToTheirOwnNames() throws IOException {
        ClusterMapping mapping = load("description: none\n").cluster();

        assertThat(mapping).isEqualTo(ClusterMapping.DEFAULT);
        assertThat(mapping.timeGrace()).isEqualTo(Duration.ofMinutes(10));
        assertThat(mapping.pool("a100-east").partition()).isEqualTo("a100-east");
        assertThat(mapping.pool("a100-east").queue()).isEqualTo("a100-east");
        assertThat(mapping.pool("a100-east").gresType()).isNull();
    }

    @Test
    void everyKeyIsRead() throws IOException {
        ClusterMapping mapping = load("""
                cluster:
                  timeGrace: 30m
                  requireMapping: true
                  image: registry.example/team/train:1.2
                  pools:
                    a100-east:
                      partition: gpu
                      gresType: a100
                      queue: team-a
                      nodeSelector: {cloud.example/accelerator: nvidia-a100}
                      tolerations:
                        - {key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}
                    h100-west:
                """).cluster();

        assertThat(mapping.timeGrace()).isEqualTo(Duration.ofMinutes(30));
        assertThat(mapping.requireMapping()).isTrue();
        assertThat(mapping.image()).isEqualTo("registry.example/team/train:1.2");
        ClusterMapping.PoolMapping a100 = mapping.pool("a100-east");
        assertThat(a100.partition()).isEqualTo("gpu");
        assertThat(a100.gresType()).isEqualTo("a100");
        assertThat(a100.queue()).isEqualTo("team-a");
        assertThat(a100.nodeSelector()).containsExactly(Map.entry("cloud.example/accelerator", "nvidia-a100"));
        assertThat(a100.tolerations()).containsExactly(new ClusterMapping.Toleration("nvidia.com/gpu", "Exists", null, "NoSchedule"));
        assertThat(mapping.lists("h100-west")).as("listed with no keys: mapped to its defaults").isTrue();
        assertThat(mapping.pool("h100-west").partition()).isEqualTo("h100-west");
        assertThat(mapping.poolOfPartition("gpu", Set.of())).contains("a100-east");
        assertThat(mapping.poolOfPartition("h100-west", Set.of())).contains("h100-west");
        assertThat(mapping.poolOfPartition("other", Set.of("other"))).contains("other");
        assertThat(mapping.poolOfPartition("unknown", Set.of())).isEmpty();
    }

    @Test
    void badValuesAreRefusedWithTheLineAndField() {
        assertThatThrownBy(() -> load("""
                cluster:
                  timeGrace: soon
                  pools:
                    a100-east:
                      partition: "gpu\\n#SBATCH --qos=high"
                      gresType: "a b"
                      nodeSelector: {"bad key!": x}
                      tolerations:
                        - {key: k, operator: Maybe}
                      colour: red
                """))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("lab.yaml:2")
                .hasMessageContaining("timeGrace")
                .hasMessageContaining("lab.yaml:5").hasMessageContaining("partition")
                .hasMessageContaining("gresType")
                .hasMessageContaining("\"bad key!\" is not a Kubernetes label key")
                .hasMessageContaining("must be Equal or Exists")
                .hasMessageContaining("colour").hasMessageContaining("is not a known field");
    }

    @Test
    void theConfigsOfTheRepositoryReadTheirClusterSection() {
        PlanningConfigs configs = PlanningConfigs.in(Path.of("planning-configs"));
        for (String name : configs.names()) {
            assertThat(configs.load(name).cluster()).isNotNull();
        }
    }
}
