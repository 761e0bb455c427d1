package dev.gpuplan.cluster;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.input.Json;

/**
 * Reads the job lists Slurm prints as JSON: {@code squeue --json} (every job the controller still holds: pending,
 * running, and finished ones for {@code MinJobAge}) and {@code sacct --json} (finished jobs from the accounting
 * database, where there is one). Slurm 22.05 writes the OpenAPI v0.0.38 shapes (times as epoch seconds, squeue's
 * {@code exit_code} as a wait status); later versions wrap numbers in {@code {set, infinite, number}} objects and
 * exit codes in {@code {status, return_code, signal}}: both are read.
 */
public final class SlurmJobs {

    private static final Pattern GPU_TRES = Pattern.compile("gres/gpu(?::[A-Za-z0-9._-]+)?=(\\d+)");
    private static final Pattern GPU_GRES = Pattern.compile("gres[:/]gpu(?::([A-Za-z0-9._-]+))?[:=](\\d+)");

    private SlurmJobs() {
    }

    /** The jobs of {@code squeue --json} output. */
    public static List<SlurmJob> fromSqueue(String json) {
        List<SlurmJob> jobs = new ArrayList<>();
        for (JsonNode job : jobs(json, "squeue --json")) {
            Instant submit = time(job.path("submit_time"));
            Instant start = time(job.path("start_time"));
            String state = state(job.path("job_state"));
            boolean over = !SlurmEvents.RUNNING.contains(SlurmEvents.baseState(state)) && !"PENDING".equals(SlurmEvents.baseState(state));
            Instant end = over ? time(job.path("end_time")) : null; // while running, end_time is the time limit's end
            boolean ran = !job.path("nodes").asText("").isBlank() && !job.path("batch_host").asText("").isBlank()
                    && !"PENDING".equals(SlurmEvents.baseState(state(job.path("job_state")))) && start != null;
            int[] exit = exit(job.path("exit_code"));
            int gpus = gpus(job.path("tres_alloc_str").asText(""), job.path("tres_per_node").asText(""),
                    job.path("tres_per_job").asText(""), Math.max(1, number(job.path("node_count"), 1)));
            jobs.add(new SlurmJob(job.path("job_id").asLong(), job.path("name").asText(null), text(job.path("comment")),
                    job.path("partition").asText(null), state, job.path("state_reason").asText(null),
                    exit == null ? null : exit[0], exit == null ? 0 : exit[1], submit, ran ? start : null, end, gpus));
        }
        return jobs;
    }

    /** The jobs of {@code sacct --json} output (the accounting database's view). */
    public static List<SlurmJob> fromSacct(String json) {
        List<SlurmJob> jobs = new ArrayList<>();
        for (JsonNode job : jobs(json, "sacct --json")) {
            JsonNode time = job.path("time");
            Instant start = time(time.path("start"));
            Instant end = time(time.path("end"));
            String state = state(job.path("state").path("current"));
            boolean ran = start != null && !"PENDING".equals(SlurmEvents.baseState(state))
                    && (number(time.path("elapsed"), 0) > 0 || (end != null && end.isAfter(start)) || end == null);
            int[] exit = exit(job.path("exit_code"));
            int gpus = 0;
            for (JsonNode tres : job.path("tres").path("allocated")) {
                if ("gres".equals(tres.path("type").asText()) && tres.path("name").asText().startsWith("gpu")) {
                    gpus += number(tres.path("count"), 0);
                }
            }
            JsonNode comment = job.path("comment");
            jobs.add(new SlurmJob(job.path("job_id").asLong(), job.path("name").asText(null),
                    comment.isObject() ? text(comment.path("job")) : text(comment), job.path("partition").asText(null), state,
                    job.path("state").path("reason").asText(null), exit == null ? null : exit[0], exit == null ? 0 : exit[1],
                    time(time.path("submission")), ran ? start : null, end, gpus));
        }
        return jobs;
    }

    private static JsonNode jobs(String json, String source) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (IOException e) {
            throw new SlurmException(source + " did not print JSON: " + e.getMessage());
        }
        if (root == null || !root.path("jobs").isArray()) {
            throw new SlurmException(source + " printed JSON without a \"jobs\" list");
        }
        JsonNode errors = root.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            throw new SlurmException(source + " reported: " + errors);
        }
        return root.path("jobs");
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /** {@code "RUNNING"} or, in later versions, {@code ["RUNNING"]}. */
    private static String state(JsonNode node) {
        if (node.isArray()) {
            List<String> states = new ArrayList<>();
            node.forEach(s -> states.add(s.asText()));
            return String.join(",", states);
        }
        return node.asText("");
    }

    /** Epoch seconds, or {@code {set, infinite, number}}; 0 and unset mean none. */
    static Instant time(JsonNode node) {
        long seconds = number(node, 0);
        return seconds <= 0 ? null : Instant.ofEpochSecond(seconds);
    }

    private static long number(JsonNode node, long otherwise) {
        if (node.isObject()) {
            if (!node.path("set").asBoolean(true) || node.path("infinite").asBoolean(false)) {
                return otherwise;
            }
            return node.path("number").asLong(otherwise);
        }
        return node.isNumber() ? node.asLong() : otherwise;
    }

    private static int number(JsonNode node, int otherwise) {
        return (int) number(node, (long) otherwise);
    }

    /** {exit code, signal}: from a wait status (squeue 22.05) or {@code {status, return_code, signal}}; null when unknown. */
    static int[] exit(JsonNode node) {
        if (node.isObject()) {
            JsonNode code = node.path("return_code");
            JsonNode signal = node.path("signal");
            int signalNumber = signal.isObject() ? number(signal.path("signal_id"), number(signal.path("id"), 0)) : number(signal, 0);
            return code.isMissingNode() ? null : new int[] {number(code, 0), signalNumber};
        }
        if (node.isNumber()) {
            int status = node.asInt();
            return new int[] {(status >> 8) & 0xff, status & 0x7f};
        }
        return null;
    }

    /** GPUs held: {@code gres/gpu=N} of the allocated TRES, else per-node GRES x nodes, else per-job GRES. */
    static int gpus(String allocated, String perNode, String perJob, int nodes) {
        Matcher m = GPU_TRES.matcher(allocated);
        if (m.find()) {
            return Integer.parseInt(m.group(1));
        }
        m = GPU_GRES.matcher(perNode);
        if (m.find()) {
            return Integer.parseInt(m.group(2)) * nodes;
        }
        m = GPU_GRES.matcher(perJob);
        return m.find() ? Integer.parseInt(m.group(2)) : 0;
    }
}
