package dev.gpuplan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpuplan.cluster.ClusterExport;

/** {@code gpuplan export} of a plan file from {@code gpuplan solve --json}, as the README shows it, and its refusals. */
class ExportCommandTest {

    private static final String SMALL = "planning-configs/examples/small.yaml";

    @TempDir
    static Path shared;
    static Path planFile;

    @TempDir
    Path dir;

    @BeforeAll
    static void solveOnce() throws IOException {
        Gpuplan.Result solved = Gpuplan.run("solve", SMALL, "--json", "--time-limit", "2s");
        assertThat(solved.exitCode()).as(solved.err()).isEqualTo(ExitCodes.OK);
        planFile = shared.resolve("plan.json");
        Files.writeString(planFile, solved.out());
    }

    private static String[] names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void planFileWithItsPortfolioIsExportedToSlurm() throws IOException {
        Path out = dir.resolve("slurm-jobs");

        Gpuplan.Result result = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--slurm", out.toString());

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        String reference = ClusterExport.fileReference(Files.readString(planFile));
        assertThat(result.out()).contains("Plan " + reference + ": ").contains("baseline-1b").contains("Submit with:")
                .contains("runs have no command");
        assertThat(names(out)).contains("submit-all.sh", "baseline-1b.sbatch", "ablation-no-code.sbatch");
        assertThat(Files.readString(out.resolve("baseline-1b.sbatch")))
                .contains("#SBATCH --comment=gpuplan:" + reference + "/baseline-1b", "#SBATCH --gres=gpu:8");
        assertThat(Files.readString(out.resolve("submit-all.sh"))).contains("submit ablation-no-code ablation-no-code.sbatch baseline-1b");
    }

    @Test
    void kubernetesNeedsAnImage() throws IOException {
        Path out = dir.resolve("k8s");

        Gpuplan.Result refused = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--kubernetes", out.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(refused.err()).contains("--image").contains("cluster.image");
        assertThat(out).doesNotExist();

        Gpuplan.Result written = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--kubernetes", out.toString(),
                "--image", "registry.example/lab/train:1");
        assertThat(written.exitCode()).as(written.err()).isEqualTo(ExitCodes.OK);
        assertThat(names(out)).contains("baseline-1b.yaml");
        assertThat(written.out()).contains("kubectl apply -f");
    }

    @Test
    void refusalsExitWithBadInputAndWriteNothing() throws IOException {
        Gpuplan.Result noPortfolio = Gpuplan.run("export", planFile.toString(), "--slurm", dir.resolve("a").toString());
        assertThat(noPortfolio.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(noPortfolio.err()).contains("--portfolio is required with a plan file");

        Path busy = dir.resolve("busy");
        Files.createDirectories(busy);
        Files.writeString(busy.resolve("keep.txt"), "x");
        Gpuplan.Result notEmpty = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--slurm", busy.toString());
        assertThat(notEmpty.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(notEmpty.err()).contains("exists and is not empty").contains("--force");
        assertThat(names(busy)).containsExactly("keep.txt");

        Gpuplan.Result forced = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--slurm", busy.toString(), "--force");
        assertThat(forced.exitCode()).as(forced.err()).isEqualTo(ExitCodes.OK);
        assertThat(names(busy)).doesNotContain("keep.txt").contains("submit-all.sh");

        Path solving = dir.resolve("solving.json");
        Files.writeString(solving, Files.readString(planFile).replace("\"SOLVED\"", "\"SOLVING\""));
        Gpuplan.Result notSolved = Gpuplan.run("export", solving.toString(), "--portfolio", SMALL, "--slurm", dir.resolve("b").toString());
        assertThat(notSolved.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(notSolved.err()).contains("is SOLVING: only a SOLVED plan can be exported");
        assertThat(dir.resolve("b")).doesNotExist();

        Path configs = dir.resolve("configs");
        Files.createDirectories(configs.resolve("solver"));
        Files.copy(Path.of("planning-configs/solver/late-acceptance.xml"), configs.resolve("solver/late-acceptance.xml"));
        Files.writeString(configs.resolve("strict.yaml"), "cluster:\n  requireMapping: true\n  pools:\n    a100-east: {partition: gpu}\n");
        Gpuplan.Result unmapped = Gpuplan.run("export", planFile.toString(), "--portfolio", SMALL, "--slurm", dir.resolve("c").toString(),
                "--config", "strict", "--config-dir", configs.toString());
        assertThat(unmapped.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(unmapped.err()).contains("pool \"h100-west\"").contains("has no mapping under cluster.pools");
        assertThat(dir.resolve("c")).doesNotExist();
    }
}
