package dev.gpuplan.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;

/**
 * The one-node test Slurm of {@code .ci/slurm-up.sh}, as the tests that use it need it: whether it answers, running
 * its commands, waiting for jobs. Only that cluster is touched (its ClusterName is {@code gpuplan}); a test whose
 * machine has none is skipped with the reason and the command that starts one.
 */
public final class TestSlurm {

    public static final Duration JOBS_TIMEOUT = Duration.ofSeconds(120);

    private TestSlurm() {
    }

    public record Result(int exitCode, String out, String err) {
    }

    /** Skips the calling test class, saying why, unless the test Slurm answers. */
    public static void assumeTestCluster() throws InterruptedException {
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
        Assumptions.assumeTrue(why == null, "Slurm tests SKIPPED: no test Slurm answers: " + why
                + ". Start one with: sudo .ci/slurm-up.sh (needs apt-get install -y slurm-wlm munge slurm-client)");
    }

    public static Result run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end");
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<SlurmJob> squeue() throws IOException, InterruptedException {
        return SlurmJobs.fromSqueue(run(Path.of("."), "squeue", "--json").out());
    }

    private static boolean over(SlurmJob job) {
        return !job.state().equals("PENDING") && !job.state().equals("RUNNING") && !job.state().equals("COMPLETING");
    }

    /** Waits until nothing of an earlier run is still pending or running. */
    public static void awaitIdleQueue() {
        Awaitility.await().atMost(JOBS_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> squeue().stream().allMatch(TestSlurm::over));
    }

    /** {@code job-ids.tsv} of an export directory after submit-all.sh: proposal to job id. */
    public static Map<String, String> jobIds(Path slurmDir) throws IOException {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(slurmDir.resolve("job-ids.tsv"))) {
            String[] parts = line.split("\t");
            ids.put(parts[0], parts[1]);
        }
        return ids;
    }

    /** Waits until every job of {@code ids} has ended; returns them by job name. */
    public static Map<String, SlurmJob> awaitEnded(Map<String, String> ids) {
        List<SlurmJob> done = Awaitility.await().atMost(JOBS_TIMEOUT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            List<SlurmJob> ours = new ArrayList<>();
            for (SlurmJob job : squeue()) {
                if (ids.containsValue(Long.toString(job.jobId()))) {
                    ours.add(job);
                }
            }
            return ours;
        }, jobs -> jobs.size() == ids.size() && jobs.stream().allMatch(TestSlurm::over));
        Map<String, SlurmJob> byName = new LinkedHashMap<>();
        done.forEach(j -> byName.put(j.name(), j));
        return byName;
    }

    /** A config directory with {@code lab.yaml}: the test cluster's pools a100 and h100 and their fake GPUs. */
    public static Path labConfig(Path dir) throws IOException {
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

    /** The test cluster's pools, as {@code PUT /api/pools} takes them. */
    public static final String POOLS = "[{\"name\": \"a100\", \"gpuType\": \"fake\", \"gpus\": 4}, {\"name\": \"h100\", \"gpuType\": \"fake\", \"gpus\": 4}]";

    /** Elapsed x GPUs of a job that ran, in GPU-hours rounded up to the thousandth: what sync records. */
    public static java.math.BigDecimal gpuHours(SlurmJob job) {
        long seconds = Duration.between(job.start(), job.end()).toSeconds();
        return java.math.BigDecimal.valueOf(seconds * job.gpus()).divide(java.math.BigDecimal.valueOf(3600), 3, java.math.RoundingMode.CEILING);
    }
}
