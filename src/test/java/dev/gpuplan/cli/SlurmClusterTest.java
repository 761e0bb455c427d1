package dev.gpuplan.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.access.TestTokens;
import dev.gpuplan.cluster.SlurmJob;
import dev.gpuplan.cluster.TestSlurm;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * From plan to a real Slurm and back: the one-node Slurm of {@code .ci/slurm-up.sh} (slurmctld, slurmd, munge; four
 * fake GPUs as GRES, partitions a100 and h100). A plan solved by the service is committed and exported by id,
 * submit-all.sh submits it with sbatch, the jobs (short sleeps) run, one fails on purpose and the one after it is
 * cancelled by Slurm, and {@code gpuplan sync --slurm} records their run events on the service: the runs' states,
 * actual GPU-hours and the ledger follow; a second sync records nothing. Skipped, with the reason, where no Slurm answers.
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

    @TestHTTPResource("/")
    URL service;

    @TempDir
    Path dir;

    @BeforeAll
    static void slurmAnswers() throws Exception {
        TestSlurm.assumeTestCluster();
    }

    /** Four runs on the two partitions: train then finetune; broken fails (exit 3), so after-broken never runs. */
    private static String portfolio(Instant start) {
        return """
                {"horizon": {"start": "%s", "hours": 1, "slotMinutes": 1},
                 "budget": {"gpuHours": 100},
                 "pools": [{"name": "a100", "gpuType": "fake", "gpus": 4}, {"name": "h100", "gpuType": "fake", "gpus": 4}],
                 "proposals": [
                   {"key": "train", "title": "it's a \\"test\\" #SBATCH --partition=evil", "team": "pretrain", "value": 10, "gpus": 2,
                    "hours": 0.02, "required": true, "command": "sleep 4"},
                   {"key": "finetune", "team": "pretrain", "value": 5, "gpus": 1, "hours": 0.02, "required": true,
                    "dependsOn": ["train"], "command": "sleep 2; echo \\"done $GPUPLAN_PROPOSAL\\""},
                   {"key": "broken", "team": "evals", "value": 3, "gpus": 1, "hours": 0.02, "required": true,
                    "command": "sleep 2; echo boom >&2; exit 3"},
                   {"key": "after-broken", "team": "evals", "value": 1, "gpus": 1, "hours": 0.02, "required": true,
                    "dependsOn": ["broken"], "command": "sleep 1"}]}
                """.formatted(start);
    }

    private io.restassured.specification.RequestSpecification api() {
        return given().baseUri(service.toString()).contentType(ContentType.JSON);
    }

    private Plan solvedPlan() {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(50));
        String body = "{\"budgetGpuHours\": 100, \"timeLimitSeconds\": 2, \"portfolio\": " + portfolio(start) + "}";
        String id = api().body(body).post("/api/plans").then().statusCode(202).extract().path("id");
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api().get("/api/plans/" + id).then().extract().as(Plan.class), plan -> plan.status() == Plan.Status.SOLVED);
    }

    private Map<String, JsonNode> runs() throws IOException {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        Json.mapper().readTree(api().get("/api/runs").then().statusCode(200).extract().asString())
                .forEach(run -> runs.put(run.path("proposal").asText(), run));
        return runs;
    }

    @Test
    void planIsCommittedExportedRunAndSyncedBack() throws Exception {
        TestSlurm.awaitIdleQueue();
        api().body(TestSlurm.POOLS).put("/api/pools").then().statusCode(200);
        Plan plan = solvedPlan();
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.assignments()).hasSize(4);
        api().post("/api/plans/" + plan.id() + "/commit").then().statusCode(200);
        assertThat(runs().values()).extracting(r -> r.path("status").asText()).containsOnly("PLANNED");
        Path configs = TestSlurm.labConfig(dir);
        Path slurmDir = dir.resolve("slurm");
        String token = TestTokens.lead();

        Gpuplan.Result exported = Gpuplan.run("export", plan.id(), "--slurm", slurmDir.toString(), "--server", service.toString(),
                "--config", "lab", "--config-dir", configs.toString(), "--token", token);

        assertThat(exported.exitCode()).as(exported.err()).isEqualTo(ExitCodes.OK);
        assertThat(exported.out()).contains("4 runs written to");
        assertThat(Files.readString(slurmDir.resolve("train.sbatch"))).contains("#SBATCH --gres=gpu:fake:2", "#SBATCH --partition=a100",
                "#SBATCH --comment=gpuplan:" + plan.id() + "/train");
        TestSlurm.Result test = TestSlurm.run(slurmDir, "sbatch", "--test-only", "train.sbatch");
        assertThat(test.exitCode()).as("sbatch --test-only accepts the script: " + test.err()).isZero();

        TestSlurm.Result submitted = TestSlurm.run(slurmDir, "bash", "submit-all.sh");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        Map<String, String> ids = TestSlurm.jobIds(slurmDir);
        assertThat(ids).containsOnlyKeys("train", "finetune", "broken", "after-broken");
        assertThat(submitted.out()).contains("finetune: job " + ids.get("finetune") + " (after job " + ids.get("train") + ")");
        // Not ours: a job without a gpuplan comment, and one whose comment names another plan than train's.
        Map<String, String> strangers = new LinkedHashMap<>(ids);
        strangers.put("not-ours", TestSlurm.run(dir, "sbatch", "--parsable", "--job-name=not-ours", "--wrap", "sleep 1").out().strip());
        strangers.put("other-plan", TestSlurm.run(dir, "sbatch", "--parsable", "--job-name=other-plan",
                "--comment=gpuplan:some-other-plan/train", "--wrap", "sleep 1").out().strip());
        assertThat(strangers.values()).allMatch(id -> id.matches("\\d+"));

        Map<String, SlurmJob> byName = TestSlurm.awaitEnded(strangers);
        assertThat(byName.get("train").state()).isEqualTo("COMPLETED");
        assertThat(byName.get("finetune").state()).isEqualTo("COMPLETED");
        assertThat(byName.get("finetune").start()).as("after train ended").isAfterOrEqualTo(byName.get("train").end());
        assertThat(byName.get("broken").state()).isEqualTo("FAILED");
        assertThat(byName.get("broken").exitCode()).isEqualTo(3);
        assertThat(byName.get("after-broken").state()).isEqualTo("CANCELLED");
        assertThat(byName.get("after-broken").start()).isNull();
        assertThat(byName.get("other-plan").state()).isEqualTo("COMPLETED");
        assertThat(Files.readString(slurmDir.resolve("finetune-" + ids.get("finetune") + ".out"))).contains("done finetune");

        Gpuplan.Result dryRun = Gpuplan.run("sync", "--slurm", "--dry-run", "--plan", plan.id(), "--config", "lab",
                "--config-dir", configs.toString());

        assertThat(dryRun.exitCode()).as(dryRun.err()).isEqualTo(ExitCodes.OK);
        List<String> seen = new ArrayList<>();
        Json.mapper().readTree(dryRun.out()).forEach(e -> seen.add(e.path("proposal").asText() + " " + e.path("type").asText()));
        assertThat(seen).containsExactlyInAnyOrder("train STARTED", "train FINISHED", "finetune STARTED", "finetune FINISHED",
                "broken STARTED", "broken FAILED", "after-broken CANCELLED");
        assertThat(runs().values()).as("a dry run sends nothing").extracting(r -> r.path("status").asText()).containsOnly("PLANNED");

        Gpuplan.Result synced = Gpuplan.run("sync", "--slurm", "--server", service.toString(), "--token", token, "--config", "lab",
                "--config-dir", configs.toString());

        assertThat(synced.exitCode()).as(synced.out() + synced.err()).isEqualTo(ExitCodes.OK);
        assertThat(synced.out()).contains("train").contains("STARTED, FINISHED (2 new, 0 already recorded)")
                .contains("STARTED, FAILED (2 new").contains("CANCELLED (1 new").doesNotContain("REFUSED");
        assertThat(synced.err()).contains("7 recorded, 0 already recorded").containsPattern("[1-9]\\d* left alone \\(another plan's");
        Map<String, JsonNode> runs = runs();
        assertThat(runs.get("train").path("status").asText()).isEqualTo("FINISHED");
        assertThat(runs.get("finetune").path("status").asText()).isEqualTo("FINISHED");
        assertThat(runs.get("broken").path("status").asText()).isEqualTo("FAILED");
        assertThat(runs.get("broken").path("reason").asText()).contains("exit code 3").contains("NonZeroExitCode");
        assertThat(runs.get("after-broken").path("status").asText()).isEqualTo("CANCELLED");
        assertThat(runs.get("after-broken").path("actualGpuHours").isNull()).isTrue();
        assertThat(runs.get("train").path("pool").asText()).isEqualTo("a100");
        assertThat(Instant.parse(runs.get("train").path("start").asText())).isEqualTo(byName.get("train").start());
        BigDecimal spent = BigDecimal.ZERO;
        for (String key : List.of("train", "finetune", "broken")) {
            BigDecimal actual = runs.get(key).path("actualGpuHours").decimalValue();
            assertThat(actual).as(key + ": elapsed x GPUs").isEqualByComparingTo(TestSlurm.gpuHours(byName.get(key)));
            assertThat(actual).isPositive();
            spent = spent.add(actual);
        }
        JsonNode ledger = Json.mapper().readTree(api().get("/api/budget").then().statusCode(200).extract().asString());
        assertThat(ledger.path("spentGpuHours").decimalValue()).as("spent = the actuals").isEqualByComparingTo(spent);
        assertThat(ledger.path("committedGpuHours").decimalValue()).as("nothing left planned").isEqualByComparingTo("0");

        Gpuplan.Result again = Gpuplan.run("sync", "--slurm", "--server", service.toString(), "--token", token, "--config", "lab",
                "--config-dir", configs.toString());

        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(ExitCodes.OK);
        assertThat(again.err()).contains("0 recorded, 7 already recorded");
        assertThat(runs()).as("syncing again changes nothing").isEqualTo(runs);

        Gpuplan.Result noSlurm = Gpuplan.run("sync", "--slurm", "--squeue", dir.resolve("no-such-squeue").toString(), "--server",
                service.toString(), "--token", token);
        assertThat(noSlurm.exitCode()).isEqualTo(ExitCodes.CLUSTER_ERROR);
        assertThat(noSlurm.err()).contains("no-such-squeue cannot be run");

        // The real Slurm refuses a partition it does not have: submit-all.sh stops there, having submitted nothing.
        Files.writeString(configs.resolve("wrong.yaml"), "cluster:\n  pools:\n    a100: {partition: no-such-partition, gresType: fake}\n");
        Path wrongDir = dir.resolve("wrong");
        Gpuplan.Result wrongExport = Gpuplan.run("export", plan.id(), "--slurm", wrongDir.toString(), "--server", service.toString(),
                "--config", "wrong", "--config-dir", configs.toString(), "--token", token);
        assertThat(wrongExport.exitCode()).as(wrongExport.err()).isEqualTo(ExitCodes.OK);
        TestSlurm.Result refused = TestSlurm.run(wrongDir, "bash", "submit-all.sh");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("invalid partition").contains("submit-all: sbatch refused");
        assertThat(!Files.exists(wrongDir.resolve("job-ids.tsv")) || Files.readString(wrongDir.resolve("job-ids.tsv")).isBlank())
                .as("nothing submitted").isTrue();

        Files.writeString(Path.of("target/slurm-cluster-test.log"), String.join("\n", "$ gpuplan export", exported.out(),
                "$ submit-all.sh", submitted.out(), "$ gpuplan sync --dry-run", dryRun.out(), dryRun.err(), "$ gpuplan sync", synced.out(),
                synced.err(), "$ gpuplan sync (again)", again.out(), again.err(), "$ gpuplan runs", Gpuplan.run("runs", "--server",
                        service.toString(), "--token", token).out(), "$ gpuplan budget", Gpuplan.run("budget", "--server", service.toString(),
                        "--token", token).out()));
    }
}
