package dev.gpuplan.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.gpuplan.cluster.ClusterExport;
import dev.gpuplan.cluster.ExportDirectory;
import dev.gpuplan.cluster.ExportRun;
import dev.gpuplan.cluster.KubernetesJobs;
import dev.gpuplan.cluster.SlurmScripts;
import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.PortfolioReader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Writes what a cluster runs for a SOLVED plan: Slurm batch scripts and submit-all.sh (--slurm), "
                + "or suspended Kubernetes Jobs for Kueue (--kubernetes). The plan is a service plan's id, or a plan file "
                + "from 'gpuplan solve --json' with the portfolio it was solved from (--portfolio).",
        footer = ExitCodes.HELP)
public final class ExportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PLAN_ID_OR_FILE", description = "A plan id on the service, or a plan JSON file.")
    String plan;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    static final class Target {
        @Option(names = "--slurm", paramLabel = "DIR", description = "Write one batch script per run and submit-all.sh to DIR.")
        Path slurm;
        @Option(names = "--kubernetes", paramLabel = "DIR", description = "Write one suspended batch/v1 Job per run to DIR.")
        Path kubernetes;
    }

    @Option(names = "--portfolio", paramLabel = "FILE",
            description = "The portfolio a plan file was solved from (its commands, dependencies and pools); not used with a plan id.")
    Path portfolio;

    @Option(names = "--force", description = "Replace what DIR holds if it is not empty.")
    boolean force;

    @Option(names = "--config", paramLabel = "NAME",
            description = "Planning config whose cluster: section maps pools (default: the plan's config, else default).")
    String config;

    @Option(names = "--config-dir", paramLabel = "DIR",
            description = "Directory of planning configs (default: $GPUPLAN_CONFIG_DIR, else ./planning-configs, else the packaged defaults).")
    String configDir;

    @Option(names = "--image", paramLabel = "IMAGE", description = "Container image of the Kubernetes Jobs (default: the config's cluster.image).")
    String image;

    @Option(names = "--server", paramLabel = "URL", description = "The service, for a plan id (default: $GPUPLAN_SERVER, else http://localhost:8080).")
    String server;

    @Mixin
    TokenOption token;

    @Override
    public Integer call() {
        Path file = Path.of(plan);
        Plan solved;
        Portfolio solvedFrom;
        String reference;
        if (Files.isRegularFile(file)) {
            String text = read(file);
            try {
                solved = Json.mapper().readValue(text, Plan.class);
            } catch (IOException e) {
                throw InvalidInputException.of(plan, "", "", "is not a plan JSON file (as 'gpuplan solve --json' prints): " + e.getMessage());
            }
            if (portfolio == null) {
                throw InvalidInputException.of(plan, "", "--portfolio", "is required with a plan file: the plan names runs,"
                        + " the portfolio it was solved from holds their commands, dependencies and pools");
            }
            solvedFrom = PortfolioReader.read(portfolio);
            reference = solved.id() != null ? solved.id() : ClusterExport.fileReference(text);
        } else {
            if (portfolio != null) {
                throw InvalidInputException.of("--portfolio", "", "", "is only for a plan file; a service plan brings the portfolio it was solved from");
            }
            if (plan.contains("/") || plan.endsWith(".json")) {
                throw InvalidInputException.of(plan, "", "", "does not exist (a plan file) and is not a plan id");
            }
            ServiceClient client = new ServiceClient(SubmitCommand.serverOrDefault(server), token.resolve());
            solved = client.plan(plan);
            solvedFrom = PortfolioReader.read("plan " + plan + " portfolio", client.planPortfolio(plan));
            reference = solved.id();
        }
        String configName = config != null ? config : solved.config() != null ? solved.config() : PlanningConfigs.DEFAULT_NAME;
        ClusterMapping mapping = PlanningConfigs.locate(configDir).load(configName).cluster();
        List<ExportRun> runs = ClusterExport.runs(solved, reference, solvedFrom, mapping);

        Path dir;
        Map<String, String> files;
        if (target.slurm != null) {
            dir = target.slurm;
            files = SlurmScripts.files(runs, mapping.timeGrace());
        } else {
            dir = target.kubernetes;
            String jobImage = image != null ? image : mapping.image();
            if (jobImage == null) {
                throw InvalidInputException.of("--image", "", "", "is required for --kubernetes: pass --image or set cluster.image in planning config \""
                        + configName + "\"");
            }
            if (!ClusterMapping.IMAGE.matcher(jobImage).matches()) {
                throw InvalidInputException.of("--image", "", "", "must be a container image reference (no spaces), got \"" + jobImage + "\"");
            }
            files = KubernetesJobs.files(runs, jobImage);
        }
        ExportDirectory.write(dir, files, force);
        print(runs, dir, target.slurm != null);
        return ExitCodes.OK;
    }

    private static void print(List<ExportRun> runs, Path dir, boolean slurm) {
        System.out.printf("Plan %s: %d runs written to %s%n", runs.isEmpty() ? "-" : runs.get(0).plan(), runs.size(), dir);
        String row = "  %-32s %-16s %-16s %4s  %-20s  %s%n";
        System.out.printf(row, "RUN", "POOL", slurm ? "PARTITION" : "QUEUE", "GPUS", "PLANNED START", "AFTER");
        for (ExportRun run : runs) {
            System.out.printf(row, run.proposal(), run.pool(), slurm ? run.mapping().partition() : run.mapping().queue(), run.gpus(),
                    run.start(), run.dependsOn().isEmpty() ? "-" : String.join(", ", run.dependsOn()));
        }
        long withoutCommand = runs.stream().filter(r -> r.command() == null).count();
        if (withoutCommand > 0) {
            System.out.printf("%d runs have no command: their jobs fail with a message saying so.%n", withoutCommand);
        }
        if (slurm) {
            System.out.printf("Submit with: %s%n", dir.resolve(SlurmScripts.SUBMIT_ALL));
        } else {
            System.out.printf("Create with: kubectl apply -f %s (the Jobs are suspended until Kueue admits them)%n", dir);
        }
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > PortfolioReader.MAX_INPUT_BYTES) {
                throw InvalidInputException.of(file.toString(), "", "", "is too large to be a plan");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InvalidInputException.of(file.toString(), "", "", "cannot be read: " + e.getMessage());
        }
    }
}
