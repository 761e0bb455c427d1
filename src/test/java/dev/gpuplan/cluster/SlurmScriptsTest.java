package dev.gpuplan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.PortfolioReader;

/**
 * The Slurm export: directives, quoting, dependency order and submit-all.sh. Scripts are run by the machine's bash;
 * submit-all.sh runs against a stand-in sbatch that records its arguments (the real Slurm is in SlurmClusterTest).
 */
class SlurmScriptsTest {

    @TempDir
    Path dir;

    private static final ClusterMapping MAPPING = new ClusterMapping(Duration.ofMinutes(10), false, null, Map.of(
            "a100-east", new ClusterMapping.PoolMapping("gpu-a100", "a100", null, Map.of(), List.of())));

    private List<ExportRun> runs() {
        return ClusterExport.runs(ExportFixtures.plan("0f9d3c7e-1111-4222-8333-444455556666", Plan.Status.SOLVED, true),
                "0f9d3c7e-1111-4222-8333-444455556666", ExportFixtures.portfolio(), MAPPING);
    }

    private Path export() {
        Path out = dir.resolve("slurm");
        ExportDirectory.write(out, SlurmScripts.files(runs(), MAPPING.timeGrace()), false);
        return out;
    }

    @Test
    void aPilotGatedRunWaitsForItsPilotLikeADependency() {
        Portfolio gated = PortfolioReader.read("gated.yaml", """
                horizon: {start: 2026-12-01T00:00:00Z, days: 2, slotMinutes: 60}
                budget: {gpuHours: 1000}
                pools:
                  - {name: a100-east, gpuType: a100, gpus: 8}
                proposals:
                  - {key: probe, team: pretrain, value: 1, gpus: 2, hours: 1}
                  - {key: full, team: pretrain, value: 20, gpus: 8, hours: 4, pilot: probe, pilotSuccessProbability: 0.6}
                """);
        Plan plan = new Plan("p-gated", Plan.Status.SOLVED, new BigDecimal("1000"), new BigDecimal("950"), "default", "planning-configs",
                "0hard/12medium/0soft", true, new Plan.Totals(BigDecimal.TEN, BigDecimal.TEN, new BigDecimal("34"), 2, 2),
                List.of(ExportFixtures.assignment("full", "a100-east", "2026-12-01T02:00:00Z", 4, 8),
                        ExportFixtures.assignment("probe", "a100-east", "2026-12-01T00:00:00Z", 1, 2)),
                List.of(), List.of());

        List<ExportRun> runs = ClusterExport.runs(plan, "p-gated", gated, MAPPING);

        assertThat(runs).extracting(ExportRun::proposal).containsExactly("probe", "full");
        assertThat(runs.get(1).dependsOn()).containsExactly("probe");
        String submitAll = SlurmScripts.files(runs, MAPPING.timeGrace()).get(SlurmScripts.SUBMIT_ALL);
        assertThat(submitAll.lines().filter(line -> line.startsWith("submit full ")))
                .as("the full run is submitted after its pilot's job (afterok)").singleElement().asString().endsWith(" probe");
    }

    /** The directives sbatch reads: {@code #SBATCH} lines among the comment lines before the first command. */
    static List<String> directives(String script) {
        List<String> directives = new ArrayList<>();
        for (String line : script.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#!")) {
                continue;
            }
            if (!line.startsWith("#")) {
                break;
            }
            if (line.startsWith("#SBATCH")) {
                directives.add(line);
            }
        }
        return directives;
    }

    private static ProcessResult run(Path workDir, Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new ProcessResult(process.exitValue(), out, err);
    }

    record ProcessResult(int exitCode, String out, String err) {
    }

    @Test
    void runsComeInDependencyOrderWithTheirMapping() {
        List<ExportRun> runs = runs();

        assertThat(runs).extracting(ExportRun::proposal).containsExactly("base", "ablation.v2", "eval_1");
        assertThat(runs.get(2).dependsOn()).containsExactly("base", "ablation.v2");
        assertThat(runs.get(0).mapping().partition()).isEqualTo("gpu-a100");
        assertThat(runs.get(1).mapping().partition()).as("not listed: the pool's name").isEqualTo("h100-west");
    }

    @Test
    void eachScriptCarriesExactlyTheDirectivesOfItsRun() throws IOException {
        Path out = export();

        assertThat(directives(Files.readString(out.resolve("base.sbatch")))).containsExactly(
                "#SBATCH --job-name=base",
                "#SBATCH --partition=gpu-a100",
                "#SBATCH --gres=gpu:a100:4",
                "#SBATCH --time=02:40:00",
                "#SBATCH --begin=2026-12-01T00:00:00",
                "#SBATCH --comment=gpuplan:0f9d3c7e-1111-4222-8333-444455556666/base",
                "#SBATCH --output=base-%j.out");
        assertThat(directives(Files.readString(out.resolve("ablation.v2.sbatch")))).contains(
                "#SBATCH --partition=h100-west", "#SBATCH --gres=gpu:2", "#SBATCH --time=01:10:00", "#SBATCH --begin=2026-12-01T03:00:00");
        assertThat(directives(Files.readString(out.resolve("eval_1.sbatch")))).as("30 h + 10 min").contains("#SBATCH --time=1-06:10:00");
        assertThat(Files.isExecutable(out.resolve("submit-all.sh"))).isTrue();
    }

    @Test
    void hostileTitlesAndCommandsNeitherAddDirectivesNorRunAnythingButTheCommand() throws Exception {
        Path out = export();
        String script = Files.readString(out.resolve("base.sbatch"));

        assertThat(directives(script)).hasSize(7).noneMatch(d -> d.contains("evil"));
        assertThat(script.lines().filter(l -> l.startsWith("#SBATCH"))).hasSize(7);
        assertThat(run(out, Map.of(), "bash", "-n", "base.sbatch").exitCode()).isZero();

        ProcessResult result = run(out, Map.of(), "bash", "base.sbatch");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(Files.readString(out.resolve("title.out"))).isEqualTo(ExportFixtures.HOSTILE_TITLE + "\n");
        assertThat(Files.readString(out.resolve("command.out"))).isEqualTo("it's base\n");
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("pwned"));
        }
    }

    @Test
    void aRunWithoutACommandFailsSayingSo() throws Exception {
        Path out = export();

        ProcessResult result = run(out, Map.of(), "bash", "ablation.v2.sbatch");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("proposal ablation.v2 has no command");
    }

    @Test
    void submitAllSubmitsInDependencyOrderWithTheJobIdsOfDependenciesAndResumes() throws Exception {
        Path out = export();
        Path fake = fakeSbatch(null);

        ProcessResult first = run(out, Map.of("SBATCH", fake.toString()), "bash", "submit-all.sh");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(Files.readAllLines(dir.resolve("sbatch.log"))).containsExactly(
                "TZ=UTC --parsable base.sbatch",
                "TZ=UTC --parsable --dependency=afterok:101 ablation.v2.sbatch",
                "TZ=UTC --parsable --dependency=afterok:101:102 eval_1.sbatch");
        assertThat(Files.readAllLines(out.resolve("job-ids.tsv"))).containsExactly("base\t101", "ablation.v2\t102", "eval_1\t103");
        assertThat(first.out()).contains("base: job 101", "eval_1: job 103 (after job 101:102)");

        ProcessResult again = run(out, Map.of("SBATCH", fake.toString()), "bash", "submit-all.sh");

        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("base: already submitted as job 101");
        assertThat(Files.readAllLines(dir.resolve("sbatch.log"))).hasSize(3);
    }

    @Test
    void submitAllStopsAtSlurmsRefusalAndKeepsWhatWasSubmitted() throws Exception {
        Path out = export();
        Path failing = fakeSbatch("ablation.v2.sbatch");

        ProcessResult result = run(out, Map.of("SBATCH", failing.toString()), "bash", "submit-all.sh");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("sbatch: error: Invalid partition name specified")
                .contains("submit-all: sbatch refused ablation.v2");
        assertThat(Files.readAllLines(out.resolve("job-ids.tsv"))).containsExactly("base\t101");
    }

    /** A stand-in sbatch: logs TZ and its arguments, answers job ids from 101; refuses {@code failOn} as Slurm would. */
    private Path fakeSbatch(String failOn) throws IOException {
        Path fake = dir.resolve("fake-sbatch");
        Files.writeString(fake, """
                #!/bin/bash
                for last; do :; done
                if [ "$last" = "%s" ]; then echo "sbatch: error: Invalid partition name specified" >&2; exit 1; fi
                echo "TZ=$TZ $*" >> "%s"
                n=$(( $(wc -l < "%s") + 100 ))
                echo "$n;gpuplan"
                """.formatted(failOn == null ? "" : failOn, dir.resolve("sbatch.log"), dir.resolve("sbatch.log")));
        fake.toFile().setExecutable(true);
        return fake;
    }

    @Test
    void timeLimitIsTheHoursRoundedUpToMinutesPlusTheGrace() {
        assertThat(SlurmScripts.timeLimit(new java.math.BigDecimal("0.01"), Duration.ZERO)).isEqualTo("00:01:00");
        assertThat(SlurmScripts.timeLimit(new java.math.BigDecimal("2.5"), Duration.ofMinutes(10))).isEqualTo("02:40:00");
        assertThat(SlurmScripts.timeLimit(new java.math.BigDecimal("23.99"), Duration.ofSeconds(30))).as("1440 min + 30 s grace, a started minute counts").isEqualTo("1-00:01:00");
        assertThat(SlurmScripts.timeLimit(new java.math.BigDecimal("48"), Duration.ofHours(1))).isEqualTo("2-01:00:00");
    }

    @Test
    void planThatIsNotSolvedOrIsInfeasibleIsRefused() {
        assertThatThrownBy(() -> ClusterExport.runs(ExportFixtures.plan("p1", Plan.Status.SOLVING, true), "p1",
                ExportFixtures.portfolio(), MAPPING))
                .isInstanceOf(ExportException.class).hasMessageContaining("plan p1 is SOLVING: only a SOLVED plan can be exported");
        assertThatThrownBy(() -> ClusterExport.runs(ExportFixtures.plan("p1", Plan.Status.SOLVED, false), "p1",
                ExportFixtures.portfolio(), MAPPING))
                .isInstanceOf(ExportException.class).hasMessageContaining("breaks a hard rule (budget: 42 over)")
                .extracting(e -> ((ExportException) e).kind()).isEqualTo(ExportException.Kind.INFEASIBLE);
    }

    @Test
    void poolWithoutMappingIsRefusedWhenTheConfigRequiresOne() {
        ClusterMapping strict = new ClusterMapping(Duration.ZERO, true, null, MAPPING.pools());

        assertThatThrownBy(() -> ClusterExport.runs(ExportFixtures.plan("p1", Plan.Status.SOLVED, true), "p1",
                ExportFixtures.portfolio(), strict))
                .isInstanceOf(ExportException.class)
                .hasMessageContaining("pool \"h100-west\" (run \"ablation.v2\") has no mapping under cluster.pools");
    }

    @Test
    void nonEmptyDirectoryIsRefusedWithoutForceAndReplacedWithIt() throws IOException {
        Path out = dir.resolve("busy");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        Map<String, String> files = SlurmScripts.files(runs(), MAPPING.timeGrace());

        assertThatThrownBy(() -> ExportDirectory.write(out, files, false))
                .isInstanceOf(ExportException.class).hasMessageContaining("exists and is not empty").hasMessageContaining("--force");
        assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("mine");

        ExportDirectory.write(out, files, true);

        try (var listed = Files.list(out); var siblings = Files.list(dir)) {
            assertThat(listed.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("base.sbatch", "ablation.v2.sbatch", "eval_1.sbatch", "submit-all.sh");
            assertThat(siblings.map(p -> p.getFileName().toString())).as("no temporary directory left").containsExactly("busy");
        }
    }

    @Test
    void aFailedWriteLeavesNothingHalfWritten() throws IOException {
        Path out = dir.resolve("out");
        Map<String, String> files = new java.util.LinkedHashMap<>(SlurmScripts.files(runs(), MAPPING.timeGrace()));
        files.put("../escape.sh", "#!/bin/bash\n");

        assertThatThrownBy(() -> ExportDirectory.write(out, files, false)).isInstanceOf(ExportException.class);

        try (var siblings = Files.list(dir)) {
            assertThat(siblings).as("neither the target nor a temporary directory").isEmpty();
        }
    }
}
