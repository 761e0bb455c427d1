package dev.gpuplan.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.gpuplan.config.ClusterMapping;

/**
 * Which Slurm jobs a sync records, and as which run events: the one decision the command line's {@code gpuplan sync
 * --slurm} and the service's periodic sync share. No I/O: the jobs, the runs and the pools are read by the caller.
 * <p>
 * A job counts when its comment is {@code gpuplan:<plan>/<proposal>} and the proposal's latest run belongs to that
 * plan (the committed plan placed it there): a job of an older or another plan, or of a proposal with no run, is
 * left alone, so a stale job cannot move a run it never ran for. A STARTED event names the pool the job's partition
 * maps back to only when the service knows that pool (an unknown pool would get the whole batch refused).
 */
public final class SlurmSync {

    private SlurmSync() {
    }

    /** The events of one run, in the order they happened. */
    public record RunEvents(String proposal, List<RunEvent> events) {
    }

    /**
     * What a sync would record.
     *
     * @param slurmJobs   every job Slurm reported
     * @param gpuplanJobs jobs with a gpuplan comment (of the plan asked for, if one was)
     * @param otherPlan   gpuplan jobs left alone: their proposal's latest run belongs to another plan
     * @param noRun       gpuplan jobs left alone: their proposal has no run (no commit selected it)
     * @param runs        the events to record, run by run
     */
    public record Selection(int slurmJobs, int gpuplanJobs, int otherPlan, int noRun, List<RunEvents> runs) {

        public int events() {
            return runs.stream().mapToInt(r -> r.events().size()).sum();
        }

        /** One line for a log or stderr: what was read and what was left alone. */
        public String summary() {
            StringBuilder text = new StringBuilder().append(slurmJobs).append(" Slurm jobs, ").append(gpuplanJobs).append(" of them gpuplan's");
            if (otherPlan > 0) {
                text.append(", ").append(otherPlan).append(" left alone (another plan's than their run's)");
            }
            if (noRun > 0) {
                text.append(", ").append(noRun).append(" left alone (no run of their proposal)");
            }
            return text.append(": ").append(events()).append(" events for ").append(runs.size()).append(" runs").toString();
        }
    }

    /**
     * @param jobs       what Slurm reported
     * @param mapping    the planning config's {@code cluster:} section (partitions back to pools)
     * @param knownPools the service's pools; null when there is no service to ask (a dry run): the mapping's pools count
     * @param runPlans   proposal to the plan id of its latest run; null when there is no service to ask: every job counts
     * @param onlyPlan   only this plan's jobs; null for all
     */
    public static Selection select(List<SlurmJob> jobs, ClusterMapping mapping, Collection<String> knownPools,
                                   Map<String, String> runPlans, String onlyPlan) {
        Collection<String> pools = knownPools != null ? knownPools : mapping.pools().keySet();
        int gpuplanJobs = 0;
        int otherPlan = 0;
        int noRun = 0;
        List<SlurmJob> selected = new ArrayList<>();
        for (SlurmJob job : jobs) {
            Optional<SlurmEvents.Origin> origin = SlurmEvents.origin(job);
            if (origin.isEmpty() || (onlyPlan != null && !onlyPlan.equals(origin.get().plan()))) {
                continue;
            }
            gpuplanJobs++;
            if (runPlans != null) {
                String runPlan = runPlans.get(origin.get().proposal());
                if (runPlan == null) {
                    noRun++;
                    continue;
                }
                if (!runPlan.equals(origin.get().plan())) {
                    otherPlan++;
                    continue;
                }
            }
            selected.add(job);
        }
        // oldest first: a proposal submitted twice (a resubmit after a failure) gets its jobs' events in the order they ran
        selected.sort(Comparator.comparing(SlurmJob::submit, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(SlurmJob::jobId));
        List<RunEvent> events = SlurmEvents.events(selected,
                partition -> mapping.poolOfPartition(partition, pools).filter(pools::contains));
        Map<String, List<RunEvent>> byProposal = new LinkedHashMap<>();
        events.forEach(e -> byProposal.computeIfAbsent(e.proposal(), k -> new ArrayList<>()).add(e));
        List<RunEvents> runs = byProposal.entrySet().stream().map(e -> new RunEvents(e.getKey(), List.copyOf(e.getValue()))).toList();
        return new Selection(jobs.size(), gpuplanJobs, otherPlan, noRun, runs);
    }
}
