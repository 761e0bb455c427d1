package dev.gpuplan.service;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.optaplanner.core.api.solver.SolutionManager;
import org.optaplanner.core.api.solver.Solver;
import org.optaplanner.core.api.solver.SolverFactory;

import dev.gpuplan.analysis.Frontier;
import dev.gpuplan.analysis.Plans;
import dev.gpuplan.config.ConfigCatalog;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.persistence.JobEntity;
import dev.gpuplan.solver.GpuSchedule;
import dev.gpuplan.solver.PlanSolver;
import dev.gpuplan.solver.PlanningProblem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * This replica's worker: claims jobs (plans, frontier points, frontier repairs) from {@link JobQueue} whenever one of
 * its {@code gpuplan.solver.parallel-solves} solver threads is free, renews their leases every {@code heartbeat},
 * and solves them. A stop recorded in the database reaches the owner at its next renewal. A plan taken over from
 * a replica that died resumes warm-started from its saved best plan. On shutdown it stops claiming, saves each
 * plan's best so far and releases its leases at once, so another replica takes the work over at its next poll.
 */
@ApplicationScoped
public class PlanRunner {

    private static final Logger LOG = Logger.getLogger(PlanRunner.class);

    /** A job this replica holds, and the solver working on it. */
    private static final class Active {
        final JobQueue.Claim claim;
        final AtomicReference<Solver<GpuSchedule>> solver = new AtomicReference<>();
        volatile boolean stop;
        volatile boolean lost;

        Active(JobQueue.Claim claim) {
            this.claim = claim;
        }

        void terminate() {
            Solver<GpuSchedule> current = solver.get();
            if (current != null) {
                current.terminateEarly();
            }
        }
    }

    private final JobQueue queue;
    private final PlanStore plans;
    private final FrontierStore frontiers;
    private final ConfigCatalog configs;
    private final MeterRegistry metrics;
    private final int parallelSolves;
    private final Duration poll;
    private final Duration heartbeat;
    private final Duration saveInterval;
    private final Duration shutdownWait;
    private final Map<String, Active> active = new ConcurrentHashMap<>();
    private final AtomicLong lastRenewal = new AtomicLong();
    private volatile JobQueue.QueueState lastState;
    private ExecutorService solverThreads;
    private ScheduledExecutorService loop;
    /** Set on shutdown: nothing more is claimed, and work cut short is saved and released instead of finished. */
    private volatile boolean stopping;

    public PlanRunner(JobQueue queue, PlanStore plans, FrontierStore frontiers, ConfigCatalog configs, MeterRegistry metrics,
                      @ConfigProperty(name = "gpuplan.solver.parallel-solves") int parallelSolves,
                      @ConfigProperty(name = "gpuplan.queue.poll") Duration poll,
                      @ConfigProperty(name = "gpuplan.solver.heartbeat") Duration heartbeat,
                      @ConfigProperty(name = "gpuplan.solver.save-interval") Duration saveInterval,
                      @ConfigProperty(name = "gpuplan.solver.shutdown-wait") Duration shutdownWait) {
        this.queue = queue;
        this.plans = plans;
        this.frontiers = frontiers;
        this.configs = configs;
        this.metrics = metrics;
        this.parallelSolves = Math.max(0, parallelSolves); // 0: this replica serves the API and solves nothing
        this.poll = poll;
        this.heartbeat = heartbeat;
        this.saveInterval = saveInterval;
        this.shutdownWait = shutdownWait;
        if (heartbeat.compareTo(queue.lease().dividedBy(2)) > 0) {
            throw new IllegalArgumentException("gpuplan.solver.heartbeat (" + heartbeat + ") must be at most half of gpuplan.solver.lease ("
                    + queue.lease() + "), or a live replica's leases would expire");
        }
    }

    void onStart(@Observes StartupEvent event) {
        solverThreads = Executors.newFixedThreadPool(Math.max(1, parallelSolves), runnable -> {
            Thread thread = new Thread(runnable, "gpuplan-solver");
            thread.setDaemon(true);
            return thread;
        });
        loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "gpuplan-queue");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("gpuplan.queue.queued", this, runner -> runner.stateCount(true))
                .description("Jobs (plans, frontier points) waiting for a solver, over all replicas").register(metrics);
        Gauge.builder("gpuplan.queue.solving", this, runner -> runner.stateCount(false))
                .description("Jobs being solved, over all replicas").register(metrics);
        Gauge.builder("gpuplan.queue.solving.here", active, Map::size)
                .description("Jobs this replica is solving").tag("replica", queue.replica()).register(metrics);
        LOG.infof("Replica %s: %d solver threads, lease %s, heartbeat %s", queue.replica(), parallelSolves, queue.lease(), heartbeat);
        loop.scheduleWithFixedDelay(this::tick, 0, poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private double stateCount(boolean queued) {
        JobQueue.QueueState state = lastState;
        return state == null ? Double.NaN : queued ? state.queued() : state.solving();
    }

    /**
     * Stops claiming, stops every solver (each saves its best plan so far) and hands every job back at once. Runs on
     * Quarkus' shutdown event, before the datasource closes; waits at most {@code gpuplan.solver.shutdown-wait}.
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
        if (loop != null) {
            loop.shutdownNow();
        }
        active.values().forEach(Active::terminate);
        if (solverThreads == null) {
            return;
        }
        solverThreads.shutdown();
        try {
            if (!solverThreads.awaitTermination(shutdownWait.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("Solvers did not hand their work back within %s; releasing their leases anyway", shutdownWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Active job : active.values()) {
            queue.release(job.claim);
        }
        solverThreads.shutdownNow();
    }

    /** A new job was queued: claim at once rather than at the next poll. */
    public void submit(String id) {
        wake();
    }

    public void wake() {
        if (loop != null && !stopping) {
            try {
                loop.execute(this::tick);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down
            }
        }
    }

    /**
     * Stops a plan: the stop is recorded in the database. A plan nobody is solving (queued, or whose replica is
     * gone) is STOPPED at once; one solving here is stopped now; one solving on another replica is stopped by it at
     * its next lease renewal. Waits (up to 10 s) until the plan has left QUEUED/SOLVING.
     */
    public void stop(String planId) {
        plans.requestStop(planId);
        Active here = active.get(planId);
        if (here != null) {
            here.stop = true;
            here.terminate();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Plan.Status status = plans.plan(planId).map(Plan::status).orElse(Plan.Status.STOPPED);
            if (status != Plan.Status.QUEUED && status != Plan.Status.SOLVING) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A frontier was cancelled: its points solving here stop now (the others at their owners' next renewal). */
    public void stopFrontier(String frontierId) {
        active.values().stream().filter(a -> a.claim.targetId().equals(frontierId)).forEach(a -> {
            a.stop = true;
            a.terminate();
        });
    }

    public boolean isAcceptingWork() {
        return solverThreads != null && !solverThreads.isShutdown();
    }

    public String replica() {
        return queue.replica();
    }

    private synchronized void tick() {
        if (stopping) {
            return;
        }
        try {
            long now = System.nanoTime();
            if (now - lastRenewal.get() >= heartbeat.toNanos()) {
                lastRenewal.set(now);
                renewLeases();
                plans.stopAbandoned();
                lastState = queue.state();
            }
            int free = parallelSolves - active.size();
            for (JobQueue.Claim claim : queue.claim(free)) {
                Active job = new Active(claim);
                active.put(claim.jobId(), job);
                if (claim.resumed()) {
                    LOG.infof("Job %s (%s) taken over (start %d)", claim.jobId(), claim.kind(), claim.starts());
                }
                solverThreads.submit(() -> run(job));
            }
        } catch (RuntimeException e) {
            LOG.warn("Queue poll failed; retrying at the next poll", e);
        }
    }

    private void renewLeases() {
        if (active.isEmpty()) {
            return;
        }
        JobQueue.Renewal renewal = queue.renew(active.values().stream().map(a -> a.claim).toList());
        for (Active job : active.values()) {
            if (renewal.lost().contains(job.claim.jobId())) {
                LOG.warnf("Lost the lease of job %s to another replica; dropping this solve without writing", job.claim.jobId());
                job.lost = true;
                job.terminate();
            } else if (renewal.stopRequested().contains(job.claim.jobId()) && !job.stop) {
                job.stop = true;
                job.terminate();
            }
        }
    }

    private void run(Active job) {
        try {
            switch (job.claim.kind()) {
                case PLAN -> solvePlan(job);
                case FRONTIER_POINT -> solvePoint(job);
                case FRONTIER_REPAIR -> repairFrontier(job);
            }
        } catch (RuntimeException e) {
            if (stopping || job.lost) {
                LOG.infof("Job %s was cut short (%s); it is handed on", job.claim.jobId(), stopping ? "shutdown" : "lease lost");
                queue.release(job.claim);
            } else {
                String reason = Failures.describe(e, LOG, job.claim.kind().name().toLowerCase().replace('_', ' ') + " " + job.claim.jobId());
                boolean failed = job.claim.kind() == JobEntity.Kind.PLAN ? plans.fail(job.claim, reason) : frontiers.fail(job.claim, reason);
                if (failed) {
                    metrics.counter("gpuplan.solves.finished", "status", Plan.Status.FAILED.name()).increment();
                }
            }
        } finally {
            active.remove(job.claim.jobId());
            wake();
        }
    }

    private void solvePlan(Active job) {
        PlanStore.Claimed claimed = plans.startSolving(job.claim).orElse(null);
        if (claimed == null) {
            return;
        }
        metrics.counter("gpuplan.solves.started").increment();
        Timer.Sample sample = Timer.start(metrics);
        PlanningConfig config = configs.load(claimed.configName());
        PlanningProblem problem = new PlanningProblem(claimed.portfolio(), config);
        if (claimed.savedBest() != null) {
            LOG.infof("Plan %s resumes from its saved best plan (score %s)", claimed.id(), claimed.savedBest().score());
            problem.warmStart(claimed.savedBest());
        }
        SolverFactory<GpuSchedule> factory = SolverFactory.create(PlanSolver.solverConfig(config, claimed.timeLimit()));
        Solver<GpuSchedule> solver = factory.buildSolver();
        AtomicLong lastSave = new AtomicLong(System.nanoTime() - saveInterval.toNanos()); // the first best plan is saved at once
        solver.addEventListener(event -> {
            long now = System.nanoTime();
            if (now - lastSave.get() >= saveInterval.toNanos() && !job.lost) {
                lastSave.set(now);
                if (!plans.saveProgress(job.claim, Plans.of(problem, event.getNewBestSolution(), Plan.Status.SOLVING, List.of()))) {
                    job.lost = true;
                    solver.terminateEarly();
                }
            }
        });
        GpuSchedule solved = solve(job, solver, problem);
        if (job.lost) {
            return;
        }
        if (stopping && !job.stop) {
            plans.saveProgress(job.claim, Plans.of(problem, solved, Plan.Status.SOLVING, List.of()));
            queue.release(job.claim);
            LOG.infof("Plan %s handed back at shutdown with its best plan so far", claimed.id());
            return;
        }
        Plan.Status status = job.stop ? Plan.Status.STOPPED : Plan.Status.SOLVED;
        List<String> violations = solved.getScore() == null ? List.of() : PlanSolver.hardViolations(SolutionManager.create(factory), solved);
        if (plans.finish(job.claim, Plans.of(problem, solved, status, violations))) {
            sample.stop(metrics.timer("gpuplan.solve.duration"));
            metrics.counter("gpuplan.solves.finished", "status", status.name()).increment();
        }
    }

    private void solvePoint(Active job) {
        FrontierStore.PointWork work = frontiers.startPoint(job.claim).orElse(null);
        if (work == null) {
            return;
        }
        PlanningConfig config = configs.load(work.configName());
        PlanningProblem problem = new PlanningProblem(work.portfolio().withBudgetGpuHours(job.claim.pointBudget().stripTrailingZeros()), config);
        SolverFactory<GpuSchedule> factory = SolverFactory.create(PlanSolver.solverConfig(config, Frontier.pointLimit(config, work.perPoint())));
        GpuSchedule solved = solve(job, factory.buildSolver(), problem);
        if (job.lost) {
            return;
        }
        if (stopping && !job.stop) {
            queue.release(job.claim); // a point is short: the next owner solves it again
            return;
        }
        List<String> violations = solved.getScore() == null ? List.of() : PlanSolver.hardViolations(SolutionManager.create(factory), solved);
        frontiers.finishPoint(job.claim, Plans.of(problem, solved, Plan.Status.SOLVED, violations), job.stop);
    }

    private void repairFrontier(Active job) {
        FrontierStore.RepairWork work = frontiers.startRepair(job.claim).orElse(null);
        if (work == null) {
            return;
        }
        PlanningConfig config = configs.load(work.configName());
        List<Frontier.Point> curve = Frontier.monotone(work.portfolio(), config, work.budgets(), work.plans(),
                Frontier.pointLimit(config, work.perPoint()), message -> LOG.debugf("Frontier %s: %s", job.claim.targetId(), message));
        frontiers.finishRepair(job.claim, curve);
    }

    /** Solves unless a stop came first (a terminate before solve() starts would be forgotten by it). */
    private static GpuSchedule solve(Active job, Solver<GpuSchedule> solver, PlanningProblem problem) {
        job.solver.set(solver);
        if (job.stop || job.lost) {
            return problem.schedule();
        }
        return solver.solve(problem.schedule());
    }
}
