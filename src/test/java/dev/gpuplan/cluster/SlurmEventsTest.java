package dev.gpuplan.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * Slurm job states to run events, from a real {@code squeue --json} of Slurm 22.05 (captured on the test cluster of
 * .ci/slurm-up.sh: a job that completed, one that failed with exit code 3, one cancelled because the failed one was its
 * dependency, one running, one without a gpuplan comment, one pending, one cancelled while pending) and from hand-made jobs.
 */
class SlurmEventsTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    private static String fixture(String name) throws IOException {
        try (InputStream in = SlurmEventsTest.class.getResourceAsStream("/slurm/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static SlurmJob job(long id, String comment, String state, String reason, Integer exit, Instant start, Instant end, int gpus) {
        return new SlurmJob(id, "name", comment, "a100", state, reason, exit, 0, T0, start, end, gpus);
    }

    @Test
    void squeueJsonOf2205IsRead() throws IOException {
        List<SlurmJob> jobs = SlurmJobs.fromSqueue(fixture("squeue-22.05.json"));

        assertThat(jobs).extracting(SlurmJob::name)
                .containsExactly("fx-ok", "fx-fail", "fx-dep", "fx-long", "other", "fx-pend", "fx-cancel");
        SlurmJob ok = jobs.get(0);
        assertThat(ok.state()).isEqualTo("COMPLETED");
        assertThat(ok.gpus()).isEqualTo(2);
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.start()).isEqualTo(Instant.ofEpochSecond(1796240534));
        assertThat(ok.end()).isEqualTo(Instant.ofEpochSecond(1796240536));
        SlurmJob failed = jobs.get(1);
        assertThat(failed.exitCode()).as("wait status 768 is exit code 3").isEqualTo(3);
        assertThat(failed.gpus()).as("gres:gpu:1, no type").isEqualTo(1);
        assertThat(failed.partition()).isEqualTo("h100");
        assertThat(jobs.get(2).start()).as("cancelled before it ran: no start").isNull();
        assertThat(jobs.get(3).end()).as("running: end_time is only the time limit's end").isNull();
        assertThat(jobs.get(5).start()).as("pending: start_time is only an estimate").isNull();
        assertThat(jobs.get(6).start()).isNull();
    }

    @Test
    void eachStateBecomesItsEvents() throws IOException {
        List<RunEvent> events = SlurmEvents.events(SlurmJobs.fromSqueue(fixture("squeue-22.05.json")),
                partition -> partition.equals("a100") ? Optional.of("a100-east") : Optional.empty());

        assertThat(events).extracting(e -> e.proposal() + " " + e.type()).containsExactly(
                "fx-ok STARTED", "fx-ok FINISHED",
                "fx-fail STARTED", "fx-fail FAILED",
                "fx-dep CANCELLED",
                "fx-long STARTED",
                "fx-cancel CANCELLED");
        RunEvent finished = events.get(1);
        assertThat(finished.at()).isEqualTo(Instant.ofEpochSecond(1796240536));
        assertThat(finished.gpuHours()).as("2 s x 2 GPUs = 4 GPU-seconds, rounded up to the thousandth").isEqualByComparingTo("0.002");
        assertThat(events.get(0).pool()).isEqualTo("a100-east");
        assertThat(events.get(2).pool()).as("h100 maps to no pool here").isNull();
        RunEvent failed = events.get(3);
        assertThat(failed.reason()).contains("FAILED").contains("exit code 3").contains("NonZeroExitCode");
        assertThat(failed.gpuHours()).isEqualByComparingTo("0.001");
        assertThat(events.get(4).reason()).contains("depends on").contains("DependencyNeverSatisfied");
        assertThat(events.get(4).at()).as("when Slurm cancelled it").isEqualTo(Instant.ofEpochSecond(1796240537));
        assertThat(events.get(6).reason()).isEqualTo("Slurm job 8 cancelled");
    }

    @Test
    void eventIdsAreTheSameOnEverySyncAndDifferBetweenJobsAndStates() throws IOException {
        List<RunEvent> first = SlurmEvents.events(SlurmJobs.fromSqueue(fixture("squeue-22.05.json")), p -> Optional.empty());
        List<RunEvent> again = SlurmEvents.events(SlurmJobs.fromSqueue(fixture("squeue-22.05.json")), p -> Optional.empty());

        assertThat(again).isEqualTo(first);
        assertThat(first).extracting(RunEvent::eventId).doesNotHaveDuplicates()
                .contains("slurm-2-1796240534-started", "slurm-2-1796240534-finished", "slurm-3-1796240534-failed");
    }

    @Test
    void aJobThatRunsOnGetsItsStartOnceAndItsEndLater() {
        SlurmJob running = job(10, "gpuplan:p/run-a", "RUNNING", "None", 0, T0, null, 4);
        SlurmJob done = job(10, "gpuplan:p/run-a", "COMPLETED", "None", 0, T0, T0.plusSeconds(5400), 4);

        List<RunEvent> before = SlurmEvents.events(List.of(running), p -> Optional.empty());
        List<RunEvent> after = SlurmEvents.events(List.of(done), p -> Optional.empty());

        assertThat(before).extracting(RunEvent::type).containsExactly(RunEvent.Type.STARTED);
        assertThat(after).extracting(RunEvent::type).containsExactly(RunEvent.Type.STARTED, RunEvent.Type.FINISHED);
        assertThat(after.get(0)).as("the same STARTED event: the service records it once").isEqualTo(before.get(0));
        assertThat(after.get(1).gpuHours()).as("1.5 h x 4 GPUs").isEqualByComparingTo("6");
    }

    @Test
    void timeoutsAndNodeFailuresAreFailuresWithTheirState() {
        SlurmJob timeout = job(11, "gpuplan:p/run-b", "TIMEOUT", "TimeLimit", 0, T0, T0.plusSeconds(3600), 2);
        SlurmJob node = job(12, "gpuplan:p/run-c", "NODE_FAIL", "NodeDown", null, T0, T0.plusSeconds(60), 1);

        List<RunEvent> events = SlurmEvents.events(List.of(timeout, node), p -> Optional.empty());

        assertThat(events).extracting(e -> e.proposal() + " " + e.type())
                .containsExactly("run-b STARTED", "run-b FAILED", "run-c STARTED", "run-c FAILED");
        assertThat(events.get(1).reason()).contains("TIMEOUT").contains("TimeLimit");
        assertThat(events.get(1).gpuHours()).isEqualByComparingTo("2");
        assertThat(events.get(3).reason()).contains("NODE_FAIL").doesNotContain("exit code");
    }

    @Test
    void jobsWithoutAGpuplanCommentOrWithAForgedOneAreIgnored() {
        List<SlurmJob> jobs = List.of(
                job(20, null, "COMPLETED", "None", 0, T0, T0.plusSeconds(60), 1),
                job(21, "", "COMPLETED", "None", 0, T0, T0.plusSeconds(60), 1),
                job(22, "my own job", "RUNNING", "None", 0, T0, null, 1),
                job(23, "gpuplan:p/Not-A-Key", "RUNNING", "None", 0, T0, null, 1),
                job(24, "gpuplan:p/a/../b", "RUNNING", "None", 0, T0, null, 1),
                job(25, "gpuplan:p/ok-key", "PENDING", "Priority", 0, null, null, 1));

        assertThat(SlurmEvents.events(jobs, p -> Optional.empty())).isEmpty();
    }

    @Test
    void laterSlurmShapesAreReadToo() {
        String json = """
                {"errors": [], "jobs": [{"job_id": 31, "name": "x", "comment": "gpuplan:p/x", "partition": "a100",
                  "job_state": ["FAILED"], "state_reason": "NonZeroExitCode", "nodes": "n1", "batch_host": "n1", "node_count": {"set": true, "infinite": false, "number": 2},
                  "exit_code": {"status": ["ERROR"], "return_code": {"set": true, "infinite": false, "number": 1}},
                  "submit_time": {"set": true, "infinite": false, "number": 1796240000},
                  "start_time": {"set": true, "infinite": false, "number": 1796240000},
                  "end_time": {"set": true, "infinite": false, "number": 1796243600},
                  "tres_per_node": "gres/gpu:4"}]}
                """;

        SlurmJob job = SlurmJobs.fromSqueue(json).get(0);

        assertThat(job.state()).isEqualTo("FAILED");
        assertThat(job.exitCode()).isEqualTo(1);
        assertThat(job.gpus()).as("4 per node on 2 nodes").isEqualTo(8);
        assertThat(SlurmEvents.events(List.of(job), p -> Optional.empty()).get(1).gpuHours()).isEqualByComparingTo("8");
    }

    @Test
    void sacctJsonOf2205IsRead() {
        // The shape of Slurm 22.05's sacct --json (OpenAPI dbv0.0.38: state/current, time/submission, comment/job, tres/allocated).
        String json = """
                {"errors": [], "jobs": [{"job_id": 41, "name": "y", "partition": "a100", "nodes": "n1",
                  "comment": {"administrator": null, "job": "gpuplan:p/y", "system": null},
                  "state": {"current": "COMPLETED", "reason": "None"},
                  "exit_code": {"status": "SUCCESS", "return_code": 0},
                  "time": {"elapsed": 7200, "submission": 1796240000, "start": 1796240000, "end": 1796247200},
                  "tres": {"allocated": [{"type": "cpu", "name": null, "id": 1, "count": 1},
                                          {"type": "gres", "name": "gpu", "id": 1001, "count": 2}], "requested": []}}]}
                """;

        List<RunEvent> events = SlurmEvents.events(SlurmJobs.fromSacct(json), p -> Optional.empty());

        assertThat(events).extracting(RunEvent::type).containsExactly(RunEvent.Type.STARTED, RunEvent.Type.FINISHED);
        assertThat(events.get(1).gpuHours()).as("2 h x 2 GPUs").isEqualByComparingTo("4");
    }

    @Test
    void slurmErrorsAndNonJsonAreRefusedWithWhatSlurmSaid() {
        assertThatThrownBy(() -> SlurmJobs.fromSqueue("slurm_load_jobs error: Unable to contact slurm controller"))
                .isInstanceOf(SlurmException.class).hasMessageContaining("squeue --json did not print JSON");
        assertThatThrownBy(() -> SlurmJobs.fromSqueue("{\"errors\": [{\"error\": \"Invalid user\"}], \"jobs\": []}"))
                .isInstanceOf(SlurmException.class).hasMessageContaining("Invalid user");
        assertThatThrownBy(() -> new SlurmCommands("/nonexistent/squeue", "/nonexistent/sacct").jobs("now-1days"))
                .isInstanceOf(SlurmException.class).hasMessageContaining("cannot be run");
    }
}
