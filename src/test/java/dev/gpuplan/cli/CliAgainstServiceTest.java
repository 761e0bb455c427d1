package dev.gpuplan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** The CLI's service commands against the real service, started by the test with a database of its own. */
@QuarkusTest
@TestProfile(CliAgainstServiceTest.OwnDatabase.class)
class CliAgainstServiceTest {

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-cli;DB_CLOSE_DELAY=-1");
        }
    }

    private static final Path SMALL = Path.of("planning-configs/examples/small.yaml");

    @TestHTTPResource("/")
    URL service;

    private String server() {
        return service.toString();
    }

    /** Runs a service command with a lead's token (see TestTokens). */
    private static Gpuplan.Result gpuplan(String... args) {
        String[] withToken = java.util.Arrays.copyOf(args, args.length + 2);
        withToken[args.length] = "--token";
        withToken[args.length + 1] = dev.gpuplan.access.TestTokens.lead();
        return Gpuplan.run(withToken);
    }

    @Test
    void submitWaitPrintsTheSolvedPlanTable() {
        Gpuplan.Result result = gpuplan("submit", SMALL.toString(), "--budget", "400-gpu-hours", "--server", server(), "--wait", "--time-limit", "2s");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("Sent 10 proposals. Plan ").contains("/api/plans/");
        assertThat(result.out()).contains("Plan (SOLVED): feasible").contains("baseline-1b")
                .contains("moe-16x").contains("NO_FITTING_POOL");
    }

    @Test
    void submitWaitJsonPrintsThePlanShapeAndPlansShowsIt() throws IOException {
        Gpuplan.Result submitted = gpuplan("submit", SMALL.toString(), "--budget", "400h", "--server", server(), "--wait", "--json", "--time-limit", "1s");
        assertThat(submitted.exitCode()).as(submitted.err()).isEqualTo(ExitCodes.OK);
        Plan plan = Json.mapper().readValue(submitted.out(), Plan.class);
        assertThat(plan.status()).isEqualTo(Plan.Status.SOLVED);
        assertThat(plan.feasible()).isTrue();
        assertThat(plan.budgetGpuHours()).isEqualByComparingTo("400");
        assertThat(plan.assignments()).extracting(Plan.Assignment::proposal).contains("baseline-1b");

        Gpuplan.Result listed = gpuplan("plans", "--server", server());
        assertThat(listed.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(listed.out()).contains(plan.id()).contains("SOLVED");

        Gpuplan.Result shown = gpuplan("plans", plan.id(), "--server", server());
        assertThat(shown.out()).contains("Plan (SOLVED): feasible");

        Gpuplan.Result stopped = gpuplan("stop", plan.id(), "--server", server());
        assertThat(stopped.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(stopped.out()).contains("is SOLVED");
    }

    @Test
    void submitWithoutWaitPrintsThePlanId() {
        Gpuplan.Result result = gpuplan("submit", SMALL.toString(), "--budget", "300", "--server", server(), "--time-limit", "1s");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        String id = result.out().strip();
        RestAssured.given().get(server() + "api/plans/" + id).then().statusCode(200);
    }

    @Test
    void aBadFileIsRefusedLocallyAndNothingIsSent(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                - key: never-sent-a
                  team: t
                  value: 1
                  gpus: 0
                  hours: 2
                """);

        Gpuplan.Result result = gpuplan("submit", bad.toString(), "--budget", "100", "--server", server());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains(bad + ":4: proposals[0] (key \"never-sent-a\"): gpus must be >= 1, got 0");
        assertThat(result.err()).doesNotContain("Exception");
        RestAssured.given().get(server() + "api/proposals/never-sent-a").then().statusCode(404);
    }

    @Test
    void aServerSideRefusalIsOneLineWithExitCode2(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path unknownDependency = dir.resolve("proposals.yaml");
        Files.writeString(unknownDependency, """
                - {key: orphan-ablation, team: t, value: 1, gpus: 1, hours: 2, dependsOn: [no-such-baseline]}
                """);

        Gpuplan.Result result = gpuplan("submit", unknownDependency.toString(), "--budget", "100", "--server", server());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).contains("the service refused the input").contains("no-such-baseline");
    }

    @Test
    void anUnreachableServerIsOneLineWithItsOwnExitCode() {
        Gpuplan.Result result = gpuplan("submit", SMALL.toString(), "--budget", "100", "--server", "http://127.0.0.1:1");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(result.err().strip().lines()).hasSize(1);
        assertThat(result.err()).startsWith("gpuplan: cannot reach the gpuplan service at http://127.0.0.1:1");
    }

    @Test
    void anUnknownPlanIsReportedWithItsOwnExitCode() {
        Gpuplan.Result result = gpuplan("plans", "no-such-plan", "--server", server());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).contains("plan \"no-such-plan\" does not exist");
    }

    @Test
    void aBadBudgetIsABadInput() {
        Gpuplan.Result result = gpuplan("submit", SMALL.toString(), "--budget", "lots", "--server", server());

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("budget must be a number of GPU-hours > 0 such as 2000, 2000h or 2000-gpu-hours, got 'lots'");
    }
}
