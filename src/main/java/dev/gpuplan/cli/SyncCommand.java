package dev.gpuplan.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.cluster.RunEvent;
import dev.gpuplan.cluster.SlurmCommands;
import dev.gpuplan.cluster.SlurmEvents;
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

    @Override
    public Integer call() {
        ClusterMapping mapping = PlanningConfigs.locate(configDir).load(config).cluster();
        SlurmCommands.Jobs jobs = new SlurmCommands().jobs(since);
        if (!jobs.accounting()) {
            System.err.println("gpuplan: no Slurm accounting here (" + jobs.accountingNote()
                    + "): jobs are read from squeue, which keeps finished jobs for the controller's MinJobAge");
        }
        ServiceClient client = dryRun ? null : service.client();
        Set<String> pools = new LinkedHashSet<>(mapping.pools().keySet());
        if (client != null) {
            for (JsonNode pool : readTree(client.pools())) {
                pools.add(pool.path("name").asText());
            }
        }
        List<dev.gpuplan.cluster.SlurmJob> ours = jobs.jobs().stream()
                .filter(j -> SlurmEvents.origin(j).filter(o -> plan == null || o.plan().equals(plan)).isPresent()).toList();
        List<RunEvent> events = SlurmEvents.events(ours, partition -> mapping.poolOfPartition(partition, pools));
        long gpuplanJobs = ours.size();
        if (dryRun) {
            System.out.println(Json.writePretty(events.stream().map(SyncCommand::withProposal).toList()));
            System.err.printf("%d Slurm jobs, %d of them gpuplan's" + (plan == null ? "" : " of plan " + plan) + ": %d events (not sent)%n", jobs.jobs().size(), gpuplanJobs, events.size());
            return ExitCodes.OK;
        }
        Map<String, List<RunEvent>> byProposal = new LinkedHashMap<>();
        events.forEach(e -> byProposal.computeIfAbsent(e.proposal(), k -> new ArrayList<>()).add(e));
        int refused = 0;
        for (Map.Entry<String, List<RunEvent>> run : byProposal.entrySet()) {
            String types = String.join(", ", run.getValue().stream().map(e -> e.type().name()).toList());
            try {
                JsonNode answer = readTree(client.postRunEvents(run.getKey(), Json.write(run.getValue())));
                String counts = answer.has("accepted")
                        ? " (" + answer.path("accepted").asInt() + " new, " + answer.path("duplicates").asInt() + " already recorded)" : "";
                System.out.printf("%-32s %s%s%n", run.getKey(), types, counts);
            } catch (ServiceClient.ServiceException e) {
                if (e.exitCode == ExitCodes.UNREACHABLE) {
                    throw e;
                }
                refused++;
                System.out.printf("%-32s %s: REFUSED: %s%n", run.getKey(), types, e.getMessage());
            }
        }
        System.err.printf("%d Slurm jobs, %d of them gpuplan's: %d events for %d runs sent%s%n", jobs.jobs().size(), gpuplanJobs,
                events.size(), byProposal.size(), refused == 0 ? "" : ", " + refused + " runs refused");
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
