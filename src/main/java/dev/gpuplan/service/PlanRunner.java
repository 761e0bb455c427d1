package dev.gpuplan.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;

import dev.gpuplan.analysis.Plans;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanSolver;
import dev.gpuplan.solver.PlanningProblem;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

/**
 * Solves queued plans on a fixed number of solver threads ({@code gpuplan.solver.parallel-solves}); the rest wait
 * as QUEUED. While a plan solves, its best plan so far is saved every {@code save-interval} and its heartbeat kept
 * fresh; a plan whose heartbeat is older than {@code lease} (its replica stopped) is taken over and solved again
 * from its snapshot.
 */
@ApplicationScoped
public class PlanRunner {

    private static final Logger LOG = Logger.getLogger(PlanRunner.class);

    private final PlanStore store;
    private final ConfigCatalog configs;
    private final MeterRegistry metrics;
    private final int parallelSolves;
    private final Duration lease;
    private final Duration saveInterval;
    private final Map<String, Solver<GpuSchedule>> running = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> finished = new ConcurrentHashMap<>();
    private final Set<String> queuedHere = ConcurrentHashMap.newKeySet();
    private final Set<String> stopRequested = ConcurrentHashMap.newKeySet();
    private ExecutorService solverThreads;
    /** Set on shutdown: plans cut short then are left SOLVING, for a replica (or this one restarted) to take over. */
    private volatile boolean stopping;
    private ScheduledExecutorService sweeper;

    public PlanRunner(PlanStore store, ConfigCatalog configs, MeterRegistry metrics,
                      @ConfigProperty(name = "gpuplan.solver.parallel-solves") int parallelSolves,
                      @ConfigProperty(name = "gpuplan.solver.lease") Duration lease,
                      @ConfigProperty(name = "gpuplan.solver.save-interval") Duration saveInterval) {
        this.store = store;
        this.configs = configs;
        this.metrics = metrics;
        this.parallelSolves = parallelSolves;
        this.lease = lease;
        this.saveInterval = saveInterval;
    }

    void onStart(@Observes StartupEvent event) {
        solverThreads = Executors.newFixedThreadPool(Math.max(1, parallelSolves), runnable -> {
            Thread thread = new Thread(runnable, "gpuplan-solver");
            thread.setDaemon(true);
            return thread;
        });
        sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gpuplan-plan-sweeper");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, lease.toMillis() / 3);
        sweeper.scheduleWithFixedDelay(this::sweep, 0, period, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void shutdown() {
        stopping = true;
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        running.values().forEach(Solver::terminateEarly);
        if (solverThreads != null) {
            solverThreads.shutdownNow();
        }
    }

    public void submit(String id) {
        queuedHere.add(id);
        finished.putIfAbsent(id, new CountDownLatch(1));
        solverThreads.submit(() -> solve(id));
    }

    /** Stops a plan: a queued one at once; a solving one keeps its best plan, saved before this returns (up to 10 s). */
    public void stop(String id) {
        if (store.stopQueued(id)) {
            return;
        }
        stopRequested.add(id);
        Solver<GpuSchedule> solver = running.get(id);
        if (solver != null) {
            solver.terminateEarly();
            CountDownLatch done = finished.get(id);
            try {
                if (done != null) {
                    done.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void sweep() {
        try {
            store.touch(running.keySet());
            Set<String> mine = ConcurrentHashMap.newKeySet();
            mine.addAll(running.keySet());
            mine.addAll(queuedHere);
            List<String> adopted = store.adoptAbandoned(lease, mine);
            for (String id : adopted) {
                LOG.infof("Plan %s was left QUEUED/SOLVING by a stopped replica; solving it again from its snapshot", id);
                submit(id);
            }
        } catch (RuntimeException e) {
            LOG.warn("Plan sweep failed; retrying at the next sweep", e);
        }
    }

    private void solve(String id) {
        queuedHere.remove(id);
        try {
            store.claim(id).ifPresent(this::solveClaimed);
        } catch (RuntimeException e) {
            if (stopping) {
                LOG.infof("Plan %s was cut short by shutdown; it stays SOLVING until its lease expires and it is solved again", id);
                return;
            }
            store.fail(id, Failures.describe(e, LOG, "plan " + id));
            metrics.counter("gpuplan.solves.finished", "status", Plan.Status.FAILED.name()).increment();
        } finally {
            running.remove(id);
            stopRequested.remove(id);
            CountDownLatch done = finished.remove(id);
            if (done != null) {
                done.countDown();
            }
        }
    }

    private void solveClaimed(PlanStore.Claimed claimed) {
        metrics.counter("gpuplan.solves.started").increment();
        Timer.Sample sample = Timer.start(metrics);
        PlanningConfig config = configs.load(claimed.configName());
        PlanningProblem problem = new PlanningProblem(claimed.portfolio(), config);
        SolverFactory<GpuSchedule> factory = SolverFactory.create(PlanSolver.solverConfig(config, claimed.timeLimit()));
        Solver<GpuSchedule> solver = factory.buildSolver();
        AtomicLong lastSave = new AtomicLong(System.nanoTime() - saveInterval.toNanos()); // the first best plan is saved at once
        solver.addEventListener(event -> {
            long now = System.nanoTime();
            if (now - lastSave.get() >= saveInterval.toNanos()) {
                lastSave.set(now);
                store.saveProgress(claimed.id(), Plans.of(problem, event.getNewBestSolution(), Plan.Status.SOLVING, List.of()));
            }
        });
        running.put(claimed.id(), solver);
        // A stop that arrived between the claim and now would be lost by solve(), which resets termination.
        GpuSchedule solved = stopRequested.contains(claimed.id()) ? problem.schedule() : solver.solve(problem.schedule());
        if (stopping) {
            LOG.infof("Plan %s was cut short by shutdown; it stays SOLVING until its lease expires and it is solved again", claimed.id());
            return;
        }
        Plan.Status status = stopRequested.contains(claimed.id()) ? Plan.Status.STOPPED : Plan.Status.SOLVED;
        Plan plan = Plans.of(problem, solved, status, PlanSolver.hardViolations(SolutionManager.create(factory), solved));
        store.finish(claimed.id(), plan);
        sample.stop(metrics.timer("gpuplan.solve.duration"));
        metrics.counter("gpuplan.solves.finished", "status", status.name()).increment();
    }

    public boolean isAcceptingWork() {
        return solverThreads != null && !solverThreads.isShutdown();
    }
}
