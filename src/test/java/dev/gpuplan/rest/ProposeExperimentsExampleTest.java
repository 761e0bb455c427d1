package dev.gpuplan.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * {@code examples/propose_experiments.py}, the research loop's example, run with the machine's python3 against the
 * test service: proposals as JSON lines in, the selected runs and the reasons for the others out, the service's own
 * message and a non-zero exit code on an error.
 */
@QuarkusTest
class ProposeExperimentsExampleTest {

    private static final Path SCRIPT = Path.of("examples/propose_experiments.py");

    record Run(int exitCode, String out, String err) {
    }

    @TestHTTPResource("/")
    URL service;

    @BeforeAll
    static void needsPython() {
        org.junit.jupiter.api.Assumptions.assumeTrue(pythonAvailable(),
                "python3 is not on the PATH: the example script examples/propose_experiments.py cannot be run here");
    }

    @Test
    void schedulesJsonLinesProposalsAndPrintsSelectedRunsAndReasons(@TempDir Path dir) throws Exception {
        Api.ensureCluster();
        Path proposals = dir.resolve("proposals.jsonl");
        Files.writeString(proposals, """
                # what a research loop emits: one proposal per line
                {"key": "pyex-baseline", "team": "pyex", "value": 40, "gpus": 8, "hours": 6}
                {"key": "pyex-ablation", "team": "pyex", "value": 30, "successProbability": 0.8, "gpus": 4, "hours": 6, "dependsOn": ["pyex-baseline"]}

                {"key": "pyex-too-wide", "team": "pyex", "value": 99, "gpus": 64, "hours": 2}
                """);

        Run first = python(proposals.toString(), "--budget", "200-gpu-hours", "--time-limit", "1s", "--only-these");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.err()).contains("Sent 3 proposals (created). Plan ").contains("/api/plans/");
        assertThat(first.out()).contains("SOLVED, feasible").contains("Selected runs:")
                .contains("pyex-baseline").contains("pyex-ablation")
                .contains("Not selected:").containsPattern("pyex-too-wide\\s+NO_FITTING_POOL");

        // The loop proposes again: known keys are replaced, not refused; the budget is read as the CLI reads it.
        Files.writeString(proposals, Files.readString(proposals).replace("\"value\": 30", "\"value\": 35"));
        Run again = python(proposals.toString(), "--budget", "150h", "--time-limit", "1s", "--only-these");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.err()).contains("Sent 3 proposals (stored (known keys replaced))");
        assertThat(again.out()).contains("of 150 budgeted");
        io.restassured.RestAssured.given().get("/api/proposals/pyex-ablation").then().statusCode(200)
                .body("value", org.hamcrest.Matchers.equalTo(35));
    }

    @Test
    void readsStandardInput() throws Exception {
        Api.ensureCluster();
        Run run = pythonWithInput("{\"key\": \"pyex-stdin\", \"team\": \"pyex\", \"value\": 5, \"gpus\": 1, \"hours\": 1}\n",
                "--budget", "10", "--time-limit", "1s", "--only-these");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("pyex-stdin").contains("1 of 1 proposals selected");
    }

    @Test
    void aRefusedProposalExitsWith2AndTheServicesMessage(@TempDir Path dir) throws Exception {
        Path proposals = dir.resolve("bad.jsonl");
        Files.writeString(proposals, """
                {"key": "pyex-fine", "team": "pyex", "value": 1, "gpus": 1, "hours": 1}
                {"key": "pyex-zero-gpus", "team": "pyex", "value": 1, "gpus": 0, "hours": 1}
                """);

        Run run = python(proposals.toString(), "--budget", "100");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("the service answered 400 to POST /api/proposals").contains("gpus must be >= 1, got 0");
        assertThat(run.out()).isEmpty();
        Api.assertNotStored("pyex-fine", "pyex-zero-gpus");
    }

    @Test
    void badLocalInputAndABadBudgetExitWith2(@TempDir Path dir) throws Exception {
        Path proposals = dir.resolve("broken.jsonl");
        Files.writeString(proposals, "{\"key\": \"pyex-ok\", \"team\": \"pyex\", \"value\": 1, \"gpus\": 1, \"hours\": 1}\n{not json\n");

        Run broken = python(proposals.toString(), "--budget", "100");
        assertThat(broken.exitCode()).isEqualTo(2);
        assertThat(broken.err()).contains(proposals + ":2: not a JSON object");

        Run budget = python(proposals.toString(), "--budget", "lots");
        assertThat(budget.exitCode()).isEqualTo(2);
        assertThat(budget.err()).contains("budget must be a number of GPU-hours > 0 such as 2000, 2000h or 2000-gpu-hours, got 'lots'");
    }

    @Test
    void anUnreachableServiceExitsWith4() throws Exception {
        Run run = runScript(null, "-", "--budget", "100", "--server", "http://127.0.0.1:1");
        // nothing on stdin: the script refuses the empty input before it calls the service
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no proposals");

        Run unreachable = runScript("{\"key\": \"pyex-x\", \"team\": \"pyex\", \"value\": 1, \"gpus\": 1, \"hours\": 1}\n",
                "-", "--budget", "100", "--server", "http://127.0.0.1:1");
        assertThat(unreachable.exitCode()).isEqualTo(4);
        assertThat(unreachable.err()).contains("cannot reach the gpuplan service at http://127.0.0.1:1");
    }

    private Run python(String... args) throws Exception {
        return runScript(null, withServer(args));
    }

    private Run pythonWithInput(String stdin, String... args) throws Exception {
        return runScript(stdin, withServer(args));
    }

    private String[] withServer(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(service.toString());
        all.add("--token");
        all.add(dev.gpuplan.access.TestTokens.lead());
        return all.toArray(String[]::new);
    }

    private static Run runScript(String stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove("GPUPLAN_TOKEN");
        builder.environment().remove("GPUPLAN_SERVER");
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        var out = process.getInputStream().readAllBytes();
        var err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the example script did not finish in 120 s");
        }
        return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    private static boolean pythonAvailable() {
        try {
            return new ProcessBuilder("python3", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
