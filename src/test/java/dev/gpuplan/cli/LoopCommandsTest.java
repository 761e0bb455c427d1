package dev.gpuplan.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.access.TestTokens;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.Json;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The research loop from the command line, against the real service with a database of its own: submit, commit,
 * run events one by one and in bulk, the runs list, the ledger and a replan from what happened.
 */
@QuarkusTest
@TestProfile(LoopCommandsTest.OwnDatabase.class)
class LoopCommandsTest {

    public static class OwnDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:gpuplan-cli-loop;DB_CLOSE_DELAY=-1");
        }
    }

    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TestHTTPResource("/")
    URL service;

    /** Runs a service command against the test's service with a lead's token. */
    private Gpuplan.Result gpuplan(String... args) {
        String[] full = Arrays.copyOf(args, args.length + 4);
        full[args.length] = "--server";
        full[args.length + 1] = service.toString();
        full[args.length + 2] = "--token";
        full[args.length + 3] = TestTokens.lead();
        return Gpuplan.run(full);
    }

    private static String hoursAgo(int hours) {
        return NOW.minus(Duration.ofHours(hours)).toString();
    }

    @Test
    void aPlanIsCommittedItsRunsReportedAndTheReplanStartsFromWhatHappened(@TempDir Path dir) throws IOException {
        Gpuplan.Result submitted = gpuplan("submit", "planning-configs/examples/small.yaml", "--budget", "400", "--wait", "--json", "--time-limit", "1s");
        assertThat(submitted.exitCode()).as(submitted.err()).isEqualTo(ExitCodes.OK);
        Plan plan = Json.mapper().readValue(submitted.out(), Plan.class);
        List<Plan.Assignment> runs = plan.assignments();
        assertThat(runs).hasSizeGreaterThanOrEqualTo(3);
        String finished = runs.get(0).proposal();
        String failed = runs.get(1).proposal();
        String running = runs.get(2).proposal();

        Gpuplan.Result committed = gpuplan("commit", plan.id());
        assertThat(committed.exitCode()).as(committed.err()).isEqualTo(ExitCodes.OK);
        assertThat(gpuplan("runs", "--status", "PLANNED").out()).contains(finished, failed, running);

        Gpuplan.Result started = gpuplan("run", "start", finished, "--at", hoursAgo(5));
        assertThat(started.exitCode()).as(started.err()).isEqualTo(ExitCodes.OK);
        assertThat(started.out()).contains(finished).contains("STARTED");
        Gpuplan.Result done = gpuplan("run", "finish", finished, "--at", hoursAgo(3), "--gpu-hours", "12.5");
        assertThat(done.exitCode()).as(done.err()).isEqualTo(ExitCodes.OK);
        assertThat(done.out()).contains("FINISHED");

        Gpuplan.Result twice = gpuplan("run", "finish", finished, "--at", hoursAgo(2), "--gpu-hours", "13");
        assertThat(twice.exitCode()).as("a second, different finish does not fit the run's state (409)").isEqualTo(ExitCodes.SERVICE_ERROR);
        assertThat(twice.err()).contains(finished).contains("FINISHED");
        Gpuplan.Result unknown = gpuplan("run", "start", "no-such-run", "--at", hoursAgo(1));
        assertThat(unknown.exitCode()).isNotEqualTo(ExitCodes.OK);
        assertThat(unknown.err()).contains("no-such-run");

        Path actuals = dir.resolve("actuals.csv");
        Files.writeString(actuals, String.join("\n",
                "key,event,at,gpuHours",
                failed + ",STARTED," + hoursAgo(4) + ",",
                failed + ",FAILED," + hoursAgo(2) + ",6",
                running + ",STARTED," + hoursAgo(1) + ",") + "\n");
        Gpuplan.Result imported = gpuplan("actuals", "import", actuals.toString());
        assertThat(imported.exitCode()).as(imported.err()).isEqualTo(ExitCodes.OK);
        Gpuplan.Result again = gpuplan("actuals", "import", actuals.toString());
        assertThat(again.exitCode()).as("the same events sent twice are accepted once: " + again.err()).isEqualTo(ExitCodes.OK);

        Gpuplan.Result finishedRuns = gpuplan("runs", "--status", "FINISHED");
        assertThat(finishedRuns.out()).contains(finished).doesNotContain(failed).doesNotContain(running);
        assertThat(gpuplan("runs", "--status", "FAILED").out()).contains(failed);
        assertThat(gpuplan("runs", "--status", "STARTED").out()).contains(running);

        Gpuplan.Result ledger = gpuplan("budget", "--json");
        assertThat(ledger.exitCode()).as(ledger.err()).isEqualTo(ExitCodes.OK);
        JsonNode budget = Json.mapper().readTree(ledger.out());
        // Spent: 12.5 finished, 6 failed, and the started run's GPUs x its hour so far.
        double runningSoFar = runs.get(2).gpus();
        assertThat(budget.path("spentGpuHours").asDouble()).isCloseTo(12.5 + 6 + runningSoFar, offset(0.05));
        assertThat(gpuplan("budget").out()).contains("SPENT").contains("FREE").contains("total");

        Gpuplan.Result replanned = gpuplan("replan", "--budget", "400", "--wait", "--json", "--time-limit", "1s");
        assertThat(replanned.exitCode()).as(replanned.err()).isEqualTo(ExitCodes.OK);
        Plan replan = Json.mapper().readValue(replanned.out(), Plan.class);
        assertThat(replan.status()).isEqualTo(Plan.Status.SOLVED);
        assertThat(replan.feasible()).isTrue();
        List<String> replannedKeys = replan.assignments().stream().map(Plan.Assignment::proposal).toList();
        assertThat(replannedKeys).as("finished and failed runs are not proposed again").doesNotContain(finished, failed);
        assertThat(replannedKeys).as("the started run stays in the plan, pinned").contains(running);
        assertThat(replan.replan().pinned()).as("pinned on its pool for the rest of its estimate").containsExactly(running);
        // Spent is counted to the start of the current slot, where the replan's horizon starts: the finished and failed
        // runs' actuals in full, the running run's hours up to then (at most what the ledger counts up to now).
        double spentBeforeSlot = replan.replan().spentGpuHours().doubleValue();
        assertThat(spentBeforeSlot).isBetween(12.5 + 6, budget.path("spentGpuHours").asDouble());
        assertThat(replan.budgetGpuHours().doubleValue()).as("the period's budget less what was spent").isEqualTo(400 - spentBeforeSlot);
    }
}
