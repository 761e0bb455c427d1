package dev.gpuplan.cli;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.access.TestTokens;
import dev.gpuplan.cluster.SlurmCommands;
import dev.gpuplan.cluster.SlurmJob;
import dev.gpuplan.cluster.TestSlurm;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import dev.gpuplan.service.SlurmSyncService;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * The service's periodic Slurm sync on the test Slurm of {@code .ci/slurm-up.sh}: with {@code gpuplan.slurm.sync-interval}
 * set, a committed plan's jobs reach the runs with nobody running {@code gpuplan sync}, recorded as the system; a Slurm
 * that answers an error is logged and counted, and nothing is recorded. Skipped, with the reason, where no Slurm answers.
 */
@QuarkusTest
@TestProfile(SlurmPeriodicSyncTest.PeriodicSync.class)
class SlurmPeriodicSyncTest {

    public static class PeriodicSync implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-slurm-periodic;DB_CLOSE_DELAY=-1",
                    "gpuplan.slurm.sync-interval", "1s");
        }
    }

    @TestHTTPResource("/")
    URL service;

    @Inject
    SlurmSyncService sync;

    @Inject
    MeterRegistry metrics;

    @TempDir
    Path dir;

    @BeforeAll
    static void slurmAnswers() throws Exception {
        TestSlurm.assumeTestCluster();
    }

    private io.restassured.specification.RequestSpecification api() {
        return given().baseUri(service.toString()).contentType(ContentType.JSON);
    }

    private Map<String, JsonNode> runs() throws IOException {
        Map<String, JsonNode> runs = new LinkedHashMap<>();
        Json.mapper().readTree(api().get("/api/runs").then().statusCode(200).extract().asString())
                .forEach(run -> runs.put(run.path("proposal").asText(), run));
        return runs;
    }

    private double syncs(String outcome) {
        var counter = metrics.find("gpuplan.slurm.sync").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void committedJobsAreRecordedWithoutAnyoneSyncing() throws Exception {
        TestSlurm.awaitIdleQueue();
        api().body(TestSlurm.POOLS).put("/api/pools").then().statusCode(200);
        Instant start = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(30));
        String portfolio = """
                {"horizon": {"start": "%s", "hours": 1, "slotMinutes": 1}, "budget": {"gpuHours": 50},
                 "pools": %s,
                 "proposals": [
                   {"key": "probe", "team": "pretrain", "value": 4, "gpus": 2, "hours": 0.02, "required": true, "command": "sleep 3"},
                   {"key": "probe-crash", "team": "evals", "value": 2, "gpus": 1, "hours": 0.02, "required": true,
                    "command": "sleep 1; exit 4"}]}
                """.formatted(start, TestSlurm.POOLS);
        String id = api().body("{\"budgetGpuHours\": 50, \"timeLimitSeconds\": 2, \"portfolio\": " + portfolio + "}")
                .post("/api/plans").then().statusCode(202).extract().path("id");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
                .until(() -> api().get("/api/plans/" + id).then().extract().as(Plan.class).status() == Plan.Status.SOLVED);
        api().post("/api/plans/" + id + "/commit").then().statusCode(200);
        Path slurmDir = dir.resolve("slurm");
        Gpuplan.Result exported = Gpuplan.run("export", id, "--slurm", slurmDir.toString(), "--server", service.toString(),
                "--config", "lab", "--config-dir", TestSlurm.labConfig(dir).toString(), "--token", TestTokens.lead());
        assertThat(exported.exitCode()).as(exported.err()).isEqualTo(ExitCodes.OK);
        double okBefore = syncs("ok");

        TestSlurm.Result submitted = TestSlurm.run(slurmDir, "bash", "submit-all.sh");

        assertThat(submitted.exitCode()).as(submitted.err()).isZero();
        Map<String, SlurmJob> jobs = TestSlurm.awaitEnded(TestSlurm.jobIds(slurmDir));
        Map<String, JsonNode> runs = Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(this::runs, r -> r.get("probe").path("status").asText().equals("FINISHED")
                        && r.get("probe-crash").path("status").asText().equals("FAILED"));
        assertThat(runs.get("probe").path("actualGpuHours").decimalValue()).as("elapsed x GPUs")
                .isEqualByComparingTo(TestSlurm.gpuHours(jobs.get("probe")));
        assertThat(runs.get("probe-crash").path("reason").asText()).contains("exit code 4");
        assertThat(syncs("ok")).as("the periodic sync ran").isGreaterThan(okBefore);
        JsonNode audit = Json.mapper().readTree(api().queryParam("entity", "run/probe#1").get("/api/audit").then().statusCode(200)
                .extract().asString());
        assertThat(audit).isNotEmpty();
        audit.forEach(entry -> assertThat(entry.path("actor").asText()).as("recorded by the service itself").isEqualTo("system"));
        String prometheus = given().baseUri(service.toString()).get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(prometheus).containsPattern("gpuplan_slurm_sync_total\\{[^}]*outcome=\"ok\"");

        // A Slurm that answers an error: the real squeue, told to find its controller on a port where none listens.
        Path badConf = dir.resolve("slurm.conf");
        Files.writeString(badConf, Files.readString(Path.of("/etc/slurm/slurm.conf")).replaceAll("(?m)^SlurmctldPort=.*$", "")
                + "\nSlurmctldPort=1\n");
        Path squeue = dir.resolve("squeue");
        Files.writeString(squeue, "#!/bin/sh\nSLURM_CONF='" + badConf + "' exec squeue \"$@\"\n");
        assertThat(squeue.toFile().setExecutable(true)).isTrue();
        double errorsBefore = syncs("slurm-error");

        SlurmSyncService.Outcome refused = sync.sync(new SlurmCommands(squeue.toString(), "sacct"));

        assertThat(refused.error()).contains("squeue --json reported").contains("slurm_load_jobs");
        assertThat(refused.accepted()).isZero();
        assertThat(syncs("slurm-error")).isEqualTo(errorsBefore + 1);
        assertThat(runs()).as("nothing recorded").isEqualTo(runs);
    }
}
