package dev.gpuplan.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Asks the Slurm of this machine for its jobs: {@code squeue --json} always (the controller keeps finished jobs for
 * {@code MinJobAge}), and {@code sacct --json} when accounting is on (older finished jobs; where both know a job,
 * the controller's view wins). Without accounting ({@code sacct} says storage is disabled) only squeue is used.
 */
public final class SlurmCommands {

    private static final long TIMEOUT_SECONDS = 60;

    /** What was read, and from where. */
    public record Jobs(List<SlurmJob> jobs, boolean accounting, String accountingNote) {
    }

    private final String squeue;
    private final String sacct;

    public SlurmCommands() {
        this("squeue", "sacct");
    }

    public SlurmCommands(String squeue, String sacct) {
        this.squeue = squeue;
        this.sacct = sacct;
    }

    public Jobs jobs(String accountingSince) {
        List<SlurmJob> fromController = SlurmJobs.fromSqueue(run(List.of(squeue, "--json"), true).out());
        Result accounting = run(List.of(sacct, "--json", "--allusers", "--starttime", accountingSince), false);
        if (accounting.exitCode() != 0) {
            String said = accounting.err().isBlank() ? accounting.out().strip() : accounting.err().strip();
            return new Jobs(fromController, false, "sacct: " + (said.isEmpty() ? "exit code " + accounting.exitCode() : said));
        }
        Map<String, SlurmJob> merged = new LinkedHashMap<>();
        for (SlurmJob job : SlurmJobs.fromSacct(accounting.out())) {
            merged.put(job.jobId() + "@" + job.submit(), job);
        }
        for (SlurmJob job : fromController) {
            merged.put(job.jobId() + "@" + job.submit(), job);
        }
        return new Jobs(new ArrayList<>(merged.values()), true, null);
    }

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(List<String> command, boolean mustSucceed) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            if (!mustSucceed) {
                return new Result(127, "", command.get(0) + " cannot be run: " + e.getMessage());
            }
            throw new SlurmException(command.get(0) + " cannot be run (is Slurm's client installed and on PATH?): " + e.getMessage());
        }
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SlurmException(String.join(" ", command) + " did not answer within " + TIMEOUT_SECONDS + " s");
            }
            Result result = new Result(process.exitValue(), out.get(), err.get());
            if (mustSucceed && result.exitCode() != 0) {
                throw new SlurmException(String.join(" ", command) + " failed (exit code " + result.exitCode() + "): "
                        + (result.err().isBlank() ? result.out().strip() : result.err().strip()));
            }
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlurmException(String.join(" ", command) + " was interrupted");
        } catch (ExecutionException e) {
            throw new SlurmException(String.join(" ", command) + ": cannot read its output: " + e.getCause());
        }
    }

    private static String read(java.io.InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
