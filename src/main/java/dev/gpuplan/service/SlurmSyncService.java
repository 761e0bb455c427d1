package dev.gpuplan.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.gpuplan.access.AccessDeniedException;
import dev.gpuplan.access.Caller;
import dev.gpuplan.access.Roles;
import dev.gpuplan.cluster.SlurmCommands;
import dev.gpuplan.cluster.SlurmException;
import dev.gpuplan.cluster.SlurmSync;
import dev.gpuplan.config.ClusterMapping;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Run;
import dev.gpuplan.input.InvalidInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * The service's own Slurm sync: every {@code gpuplan.slurm.sync-interval} (off unless set) it reads the jobs of the
 * Slurm this machine's squeue talks to and records their run events, as {@code gpuplan sync --slurm} does from a
 * terminal: the same choice of jobs and events ({@link SlurmSync}), recorded through the same {@link RunService} path
 * as {@code POST /api/runs/{proposal}/events}, audited as {@value Caller#SYSTEM}. A Slurm that cannot be run or
 * answers an error is logged and counted ({@code gpuplan.slurm.sync{outcome=slurm-error}}); the next interval tries
 * again.
 */
@ApplicationScoped
public class SlurmSyncService {

    private static final Logger LOG = Logger.getLogger(SlurmSyncService.class);

    /** What one sync did; {@code error} is what Slurm said when it could not be read (then nothing was recorded). */
    public record Outcome(SlurmSync.Selection selection, int accepted, int duplicates, int refused, String error) {
    }

    private final RunService runs;
    private final CatalogService catalog;
    private final ConfigCatalog configs;
    private final SlurmCommands commands;
    private final String configName;
    private final String since;
    private final MeterRegistry metrics;
    private final Counter synced;
    private final Counter failed;
    private final Counter recorded;
    private final Counter refusedEvents;

    public SlurmSyncService(RunService runs, CatalogService catalog, ConfigCatalog configs, MeterRegistry metrics,
                            @ConfigProperty(name = "gpuplan.slurm.squeue", defaultValue = "squeue") String squeue,
                            @ConfigProperty(name = "gpuplan.slurm.sacct", defaultValue = "sacct") String sacct,
                            @ConfigProperty(name = "gpuplan.slurm.config", defaultValue = "default") String configName,
                            @ConfigProperty(name = "gpuplan.slurm.since", defaultValue = "now-14days") String since) {
        this.runs = runs;
        this.catalog = catalog;
        this.configs = configs;
        this.commands = new SlurmCommands(squeue, sacct);
        this.configName = configName;
        this.since = since;
        this.metrics = metrics;
        this.synced = Counter.builder("gpuplan.slurm.sync").tag("outcome", "ok")
                .description("Periodic Slurm syncs, by outcome").register(metrics);
        this.failed = Counter.builder("gpuplan.slurm.sync").tag("outcome", "slurm-error")
                .description("Periodic Slurm syncs, by outcome").register(metrics);
        this.recorded = Counter.builder("gpuplan.slurm.sync.events").tag("outcome", "recorded")
                .description("Run events from Slurm job states, by outcome").register(metrics);
        this.refusedEvents = Counter.builder("gpuplan.slurm.sync.events").tag("outcome", "refused")
                .description("Run events from Slurm job states, by outcome").register(metrics);
    }

    /** The periodic trigger; {@code off} (the default) never runs. One sync at a time: a slow Slurm skips a turn. */
    @Scheduled(identity = "slurm-sync", every = "${gpuplan.slurm.sync-interval:off}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        actAsSystem();
        sync(commands);
    }

    /**
     * One sync with {@code slurm}: reads the jobs, records the events of every run they concern, logs what it did.
     * Never throws for what Slurm or a run refused: that is logged, counted and returned.
     */
    public Outcome sync(SlurmCommands slurm) {
        SlurmCommands.Jobs jobs;
        try {
            jobs = slurm.jobs(since);
        } catch (SlurmException e) {
            failed.increment();
            LOG.warnf("Slurm sync skipped: %s", e.getMessage());
            return new Outcome(null, 0, 0, 0, e.getMessage());
        }
        ClusterMapping mapping;
        try {
            mapping = configs.load(configName).cluster();
        } catch (InvalidInputException e) {
            metrics.counter("gpuplan.slurm.sync", "outcome", "config-error").increment();
            LOG.warnf("Slurm sync skipped: planning config %s (gpuplan.slurm.config) cannot be used: %s", configName, e.getMessage());
            return new Outcome(null, 0, 0, 0, e.getMessage());
        }
        Set<String> pools = catalog.pools().stream().map(Pool::name).collect(Collectors.toSet());
        Map<String, String> runPlans = new HashMap<>();
        for (Run run : runs.runs(null, null)) {
            runPlans.put(run.proposal(), run.planId());
        }
        SlurmSync.Selection selection = SlurmSync.select(jobs.jobs(), mapping, pools, runPlans, null);
        int accepted = 0;
        int duplicates = 0;
        int refused = 0;
        for (SlurmSync.RunEvents run : selection.runs()) {
            try {
                RunService.EventsResult result = runs.record(run.proposal(), run.events().stream().map(e -> e.toDomain()).toList());
                accepted += result.accepted();
                duplicates += result.duplicates();
                if (result.accepted() > 0) {
                    LOG.infof("Slurm sync: %s: %d new of %s (run now %s)", run.proposal(), result.accepted(),
                            run.events().stream().map(e -> e.type().name()).collect(Collectors.joining(", ")), result.run().status());
                }
            } catch (ConflictException | NotFoundException | InvalidInputException | AccessDeniedException e) {
                refused++;
                refusedEvents.increment(run.events().size());
                LOG.warnf("Slurm sync: the events of %s were refused: %s", run.proposal(), e.getMessage());
            }
        }
        synced.increment();
        recorded.increment(accepted);
        if (accepted > 0 || refused > 0) {
            LOG.infof("Slurm sync: %s: %d recorded, %d already recorded, %d runs refused", selection.summary(), accepted, duplicates, refused);
        } else {
            LOG.debugf("Slurm sync: %s: nothing new", selection.summary());
        }
        return new Outcome(selection, accepted, duplicates, refused, null);
    }

    /**
     * A scheduled method runs with a request context but no request: without this it would act as an anonymous
     * caller. The sync is the service's own work, so it acts (and is audited) as {@value Caller#SYSTEM}.
     */
    private static void actAsSystem() {
        if (Arc.container().requestContext().isActive()) {
            Arc.container().instance(CurrentIdentityAssociation.class).get().setIdentity(QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(Caller.SYSTEM)).addRole(Roles.LEAD).build());
        }
    }
}
