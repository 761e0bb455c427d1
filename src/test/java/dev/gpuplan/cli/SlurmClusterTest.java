package dev.gpuplan.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.cluster.SlurmJob;
import dev.gpuplan.cluster.SlurmJobs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * From plan to a real Slurm and back: the one-node Slurm of {@code .ci/slurm-up.sh} (slurmctld, slurmd, munge; four
 * fake GPUs as GRES, partitions a100 and h100). A plan solved by the service is exported by id, submit-all.sh submits it
 * with sbatch, the jobs (short sleeps) run, one fails on purpose and the one after it is cancelled by Slurm, and
 * {@code gpuplan sync --slurm} turns the job states into run events. Skipped, with the reason, where no Slurm answers.
 */
@QuarkusTest
@TestProfile(SlurmClusterTest.OwnDatabase.class)
class SlurmClusterTest {

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-slurm;DB_CLOSE_DELAY=-1");
        }
    }

    private static final Duration JOBS_TIMEOUT = Duration.ofSeconds(120);

    @TestHTTPResource("/")
    URL service;

    @TempDir
    Path dir;

    @BeforeAll
    static void slurmAnswers() throws Exception {
        String why = null;
        try {
            Result ping = run(Path.of("."), "scontrol", "ping");
            Result cluster = run(Path.of("."), "scontrol", "show", "config");
            if (ping.exitCode() != 0 || !ping.out().contains("UP")) {
                why = "scontrol ping: " + (ping.out() + ping.err()).strip();
            } else if (!cluster.out().matches("(?s).*ClusterName\\s*=\\s*gpuplan\\b.*")) {
                why = "the Slurm here is not the test cluster of .ci/slurm-up.sh (ClusterName is not gpuplan); not touching it";
            }
        } catch (IOException e) {
            why = "Slurm's client tools are not installed (" + e.getMessage() + ")";
        }
        Assumptions.assumeTrue(why == null, "SlurmClusterTest SKIPPED: no test Slurm answers: " + why
                + ". Start one with: sudo .ci/slurm-up.sh (needs apt-get install -y slurm-wlm munge slurm-client)");
    }

    private static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    record Result(int exitCode, String out, String err) {
    }

    /** Four runs on the two partitions: train then finetune; broken fails (exit 3), so after-broken never runs. */
    private static String portfolio(Instant start) {
        return """
                {"horizon": {"start": "%s", "hours": 1, "slotMinutes": 1},
                 "budget": {"gpuHours": 100},
                 "pools": [{"name": "a100", "gpuType": "fake", "gpus": 4}, {"name": "h100", "gpuType": "fake", "gpus": 4}],
                 "proposals": [
                   {"key": "train", "title": "it's a \\"test\\"\\n#SBATCH --partition=evil", "team": "pretrain", "value": 10, "gpus": 2,
                    "hours": 0.02, "required": true, "command": "sleep 4"},
                   {"key": "finetune", "team": "pretrain", "value": 5, "gpus": 1, "hours": 0.02, "required": true,
                    "dependsOn": ["train"], "command": "sleep 2; echo \\"done $GPUPLAN_PROPOSAL\\""},
                   {"key": "broken", "team": "evals", "value": 3, "gpus": 1, "hours": 0.02, "required": true,
                    "command": "sleep 2; echo boom >&2; exit 3"},
                   {"key": "after-broken", "team": "evals", "value": 1, "gpus": 1, "hours": 0.02, "required": true,
                    "dependsOn": ["broken"], "command": "sleep 1"}]}
                """.formatted(start);
    }

    private Path labConfig() throws IOException {
        Path configs = dir.resolve("configs");
        Files.createDirectories(configs.resolve("solver"));
        Files.copy(Path.of("planning-configs/solver/late-acceptance.xml"), configs.resolve("solver/late-acceptance.xml"));
        Files.writeString(configs.resolve("lab.yaml"), """
                description: the test cluster of .ci/slurm-up.sh
                cluster:
                  timeGrace: 5m
                  requireMapping: true
                  pools:
                    a100: {gresType: fake}
                    h100: {gresType: fake}
                """);
        return configs;
    }

    private Plan solvedPlan() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(50));
        String body = "{\"budgetGpuHours\": 100, \"timeLimitSeconds\": 2, \"portfolio\": " + portfolio(start) + "}";
        String id = given().baseUri(service.toString()).contentType(ContentType.JSON).body(body).post("/api/plans")
                .then().statusCode(202).extract().path("id");
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> given().baseUri(service.toString()).get("/api/plans/" + id).then().extract().as(Plan.class),
                        plan -> plan.status() == Plan.Status.SOLVED);
    }

    private static Map<String, String> jobIds(Path slurmDir) throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(slurmDir.resolve("job-ids.tsv"))) {
            String[] parts = line.split("\t");
            ids.put(parts[0], parts[1]);
        }
        return ids;
    }

    private static List<SlurmJob> jobsOf(Map<String, String> ids) throws Exception {
        List<SlurmJob> ours = new ArrayList<>();
        for (SlurmJob job : SlurmJobs.fromSqueue(run(Path.of("."), "squeue", "--json").out())) {
            if (ids.containsValue(Long.toString(job.jobId()))) {
                ours.add(job);
            }
        }
        return ours;
    }

    @Test
    void planIsExportedSubmittedRunAndSyncedBack() throws Exception {
        // An empty queue: nothing of an earlier run still pending or running.
        Awaitility.await().atMost(JOBS_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() ->
                SlurmJobs.fromSqueue(run(Path.of("."), "squeue", "--json").out()).stream()
                        .noneMatch(j -> j.state().equals("PENDING") || j.state().equals("RUNNING")));
        Plan plan = solvedPlan();
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.assignments()).hasSize(4);
        Path configs = labConfig();
        Path slurmDir = dir.resolve("slurm");

        Gpuplan.Result exported = Gpuplan.run("export", plan.id(), "--slurm", slurmDir.toString(), "--server", service.toString(),
                "--config", "lab", "--config-dir", configs.toString());

        assertThat(exported.exitCode()).as(exported.err()).isEqualTo(ExitCodes.OK);
        assertThat(exported.out()).contains("4 runs written to");
        assertThat(Files.readString(slurmDir.resolve("train.sbatch"))).contains("#SBATCH --gres=gpu:fake:2", "#SBATCH --partition=a100",
                "#SBATCH --comment=gpuplan:" + plan.id() + "/train");
        Result test = run(slurmDir, "sbatch", "--test-only", "train.sbatch");
        assertThat(test.exitCode()).as("sbatch --test-only accepts the script: " + test.err()).isZero();

        Result submitted = run(slurmDir, "bash", "submit-all.sh");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        Map<String, String> ids = jobIds(slurmDir);
        assertThat(ids).containsOnlyKeys("train", "finetune", "broken", "after-broken");
        assertThat(submitted.out()).contains("finetune: job " + ids.get("finetune") + " (after job " + ids.get("train") + ")");
        Result unrelated = run(dir, "sbatch", "--parsable", "--job-name=not-ours", "--wrap", "sleep 1");
        assertThat(unrelated.exitCode()).as(unrelated.err()).isZero();

        List<SlurmJob> done = Awaitility.await().atMost(JOBS_TIMEOUT).pollInterval(Duration.ofSeconds(1))
                .until(() -> jobsOf(ids), jobs -> jobs.size() == 4 && jobs.stream()
                        .allMatch(j -> !j.state().equals("PENDING") && !j.state().equals("RUNNING") && !j.state().equals("COMPLETING")));
        Map<String, SlurmJob> byName = new LinkedHashMap<>();
        done.forEach(j -> byName.put(j.name(), j));
        assertThat(byName.get("train").state()).isEqualTo("COMPLETED");
        assertThat(byName.get("finetune").state()).isEqualTo("COMPLETED");
        assertThat(byName.get("finetune").start()).as("after train ended").isAfterOrEqualTo(byName.get("train").end());
        assertThat(byName.get("broken").state()).isEqualTo("FAILED");
        assertThat(byName.get("broken").exitCode()).isEqualTo(3);
        assertThat(byName.get("after-broken").state()).isEqualTo("CANCELLED");
        assertThat(byName.get("after-broken").start()).isNull();
        assertThat(Files.readString(slurmDir.resolve("finetune-" + ids.get("finetune") + ".out"))).contains("done finetune");

        Gpuplan.Result dryRun = Gpuplan.run("sync", "--slurm", "--dry-run", "--plan", plan.id(), "--config", "lab",
                "--config-dir", configs.toString());

        assertThat(dryRun.exitCode()).as(dryRun.err()).isEqualTo(ExitCodes.OK);
        JsonNode events = Json.mapper().readTree(dryRun.out());
        List<String> seen = new ArrayList<>();
        events.forEach(e -> seen.add(e.path("proposal").asText() + " " + e.path("type").asText()));
        assertThat(seen).containsExactlyInAnyOrder("train STARTED", "train FINISHED", "finetune STARTED", "finetune FINISHED",
                "broken STARTED", "broken FAILED", "after-broken CANCELLED");
        for (JsonNode event : events) {
            if (event.path("type").asText().equals("FINISHED")) {
                SlurmJob job = byName.get(event.path("proposal").asText());
                long seconds = Duration.between(job.start(), job.end()).toSeconds();
                assertThat(seconds).isPositive();
                assertThat(event.path("gpuHours").decimalValue()).as("elapsed x GPUs")
                        .isEqualByComparingTo(java.math.BigDecimal.valueOf(seconds * job.gpus())
                                .divide(java.math.BigDecimal.valueOf(3600), 3, java.math.RoundingMode.CEILING));
            }
        }
        assertThat(events.findValues("reason").stream().map(JsonNode::asText)).anySatisfy(r -> assertThat(r).contains("exit code 3"));
        assertThat(events.findValues("pool").stream().map(JsonNode::asText)).contains("a100");
        Files.writeString(Path.of("target/slurm-cluster-test.log"), exported.out() + "\n" + submitted.out() + "\n" + dryRun.out()
                + "\n" + dryRun.err());
    }
}
