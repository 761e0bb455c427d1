package dev.gpuplan.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.cluster.RunEvent;
import dev.gpuplan.cluster.SlurmCommands;
import dev.gpuplan.cluster.SlurmSync;
import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.input.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Reads the states of gpuplan's jobs from Slurm (squeue --json; sacct --json where accounting is on) and "
                + "records them on the service as run events: STARTED, FINISHED with elapsed x GPUs as actual GPU-hours, FAILED "
                + "with the exit reason, CANCELLED. Jobs without a gpuplan:<plan>/<proposal> comment are ignored. Running it "
                + "again records nothing new: every event carries an id made from the job and its state.",
        footer = ExitCodes.HELP)
public final class SyncCommand implements Callable<Integer> {

    @Option(names = "--slurm", required = true, description = "Read the jobs of the Slurm this machine's squeue talks to.")
    boolean slurm;

    @picocli.CommandLine.Mixin
    ServiceConnection service;

    @Option(names = "--config", paramLabel = "NAME", defaultValue = PlanningConfigs.DEFAULT_NAME,
            description = "Planning config whose cluster.pools map partitions back to pools (default: ${DEFAULT-VALUE}).")
    String config;

    @Option(names = "--config-dir", paramLabel = "DIR", description = "Directory of planning configs.")
    String configDir;

    @Option(names = "--since", paramLabel = "WHEN", defaultValue = "now-14days",
            description = "With accounting: finished jobs since then, in sacct's --starttime syntax (default: ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--plan", paramLabel = "PLAN_ID", description = "Only the jobs of this plan (by their gpuplan:<plan>/ comment).")
    String plan;

    @Option(names = "--dry-run", description = "Print the events as JSON and send nothing.")
    boolean dryRun;

    @Option(names = "--squeue", paramLabel = "PATH", defaultValue = "${env:GPUPLAN_SQUEUE:-squeue}",
            description = "The squeue to run (default: $GPUPLAN_SQUEUE, else squeue on PATH).")
    String squeue;

    @Option(names = "--sacct", paramLabel = "PATH", defaultValue = "${env:GPUPLAN_SACCT:-sacct}",
            description = "The sacct to run (default: $GPUPLAN_SACCT, else sacct on PATH).")
    String sacct;

    @Override
    public Integer call() {
        ClusterMapping mapping = PlanningConfigs.locate(configDir).load(config).cluster();
        SlurmCommands.Jobs jobs = new SlurmCommands(squeue, sacct).jobs(since);
        if (!jobs.accounting()) {
            System.err.println("gpuplan: no Slurm accounting here (" + jobs.accountingNote()
                    + "): jobs are read from squeue, which keeps finished jobs for the controller's MinJobAge");
        }
        if (dryRun) {
            SlurmSync.Selection selection = SlurmSync.select(jobs.jobs(), mapping, null, null, plan);
            List<Map<String, Object>> shown = new ArrayList<>();
            selection.runs().forEach(run -> run.events().forEach(e -> shown.add(withProposal(e))));
            System.out.println(Json.writePretty(shown));
            System.err.println(selection.summary() + " (not sent)");
            return ExitCodes.OK;
        }
        ServiceClient client = service.client();
        Set<String> pools = new LinkedHashSet<>();
        readTree(client.pools()).forEach(pool -> pools.add(pool.path("name").asText()));
        Map<String, String> runPlans = new HashMap<>();
        readTree(client.runs(null, null)).forEach(run -> runPlans.put(run.path("proposal").asText(), run.path("planId").asText(null)));
        SlurmSync.Selection selection = SlurmSync.select(jobs.jobs(), mapping, pools, runPlans, plan);
        int accepted = 0;
        int duplicates = 0;
        int refused = 0;
        for (SlurmSync.RunEvents run : selection.runs()) {
            String types = String.join(", ", run.events().stream().map(e -> e.type().name()).toList());
            try {
                JsonNode answer = readTree(client.postEvents(run.proposal(), Json.write(run.events())));
                accepted += answer.path("accepted").asInt();
                duplicates += answer.path("duplicates").asInt();
                System.out.printf("%-32s %s (%d new, %d already recorded)%n", run.proposal(), types,
                        answer.path("accepted").asInt(), answer.path("duplicates").asInt());
            } catch (ServiceClient.ServiceException e) {
                if (e.exitCode == ExitCodes.UNREACHABLE || e.exitCode == ExitCodes.NOT_SIGNED_IN) {
                    throw e;
                }
                refused++;
                System.out.printf("%-32s %s: REFUSED: %s%n", run.proposal(), types, e.getMessage());
            }
        }
        System.err.printf("%s: %d recorded, %d already recorded%s%n", selection.summary(), accepted, duplicates,
                refused == 0 ? "" : ", " + refused + " runs refused");
        return refused == 0 ? ExitCodes.OK : ExitCodes.CLUSTER_ERROR;
    }

    private static Map<String, Object> withProposal(RunEvent event) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("proposal", event.proposal());
        shown.putAll(Json.mapper().convertValue(event, Map.class));
        return shown;
    }

    private static JsonNode readTree(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new ServiceClient.ServiceException(ExitCodes.SERVICE_ERROR, "the service did not answer JSON: " + e.getMessage());
        }
    }
}
