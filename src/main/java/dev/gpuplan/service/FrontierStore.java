package dev.gpuplan.service;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.FrontierEntity;
import dev.gpuplan.persistence.JobEntity;
import dev.gpuplan.service.FrontierService.FrontierView;
import dev.gpuplan.analysis.Frontier;

/**
 * Every write of a frontier and its point jobs. A frontier's points are separate jobs, solved by whichever replicas
 * are free; the one that lands the last point (under a lock of the frontier row, so exactly one sees "none left")
 * queues the frontier's monotone repair as one more job, and that job writes the final curve.
 */
@ApplicationScoped
public class FrontierStore {

    /** What a solver thread needs for one point of a frontier. */
    public record PointWork(Portfolio portfolio, String configName, Duration perPoint) {
    }

    /** What the repair needs: the frontier's snapshot and each budget's independently solved plan, ascending. */
    public record RepairWork(Portfolio portfolio, String configName, Duration perPoint, List<BigDecimal> budgets, List<Plan> plans) {
    }

    private static final String REPAIR = ":repair";

    private final JobQueue queue;
    private final Caller caller;
    private final AuditLog audit;

    public FrontierStore(JobQueue queue, Caller caller, AuditLog audit) {
        this.queue = queue;
        this.caller = caller;
        this.audit = audit;
    }

    @Transactional
    public FrontierView createQueued(Portfolio portfolio, PlanningConfig config, List<BigDecimal> budgets, Integer timeLimitSeconds) {
        FrontierEntity frontier = new FrontierEntity();
        frontier.id = UUID.randomUUID().toString();
        frontier.status = FrontierEntity.Status.QUEUED;
        frontier.configName = config.name();
        frontier.budgets = Json.write(budgets);
        frontier.timeLimitMillis = timeLimitSeconds == null ? null : timeLimitSeconds * 1000L;
        frontier.snapshot = Json.write(portfolio);
        frontier.points = "[]";
        frontier.createdAt = Instant.now();
        frontier.submittedBy = caller.name();
        frontier.persist();
        List<BigDecimal> distinct = budgets.stream().distinct().sorted().toList();
        for (int i = 0; i < distinct.size(); i++) {
            queue.enqueue(frontier.id + ":" + i, JobEntity.Kind.FRONTIER_POINT, frontier.id, distinct.get(i));
        }
        FrontierView view = view(frontier);
        audit.record("frontier", frontier.id, "submit", null, view);
        return view;
    }

    @Transactional
    public Optional<FrontierView> frontier(String id) {
        return FrontierEntity.<FrontierEntity>findByIdOptional(id).map(this::view);
    }

    /** Who submitted a frontier ("" for frontiers submitted before access control); empty if there is no such frontier. */
    @Transactional
    public Optional<String> submitter(String id) {
        return FrontierEntity.<FrontierEntity>findByIdOptional(id).map(f -> f.submittedBy == null ? "" : f.submittedBy);
    }

    @Transactional
    public Optional<PointWork> startPoint(JobQueue.Claim claim) {
        if (!queue.holds(claim)) {
            return Optional.empty();
        }
        // The frontier row is not written here: every write of it locks it before any job row, so none can deadlock.
        FrontierEntity frontier = FrontierEntity.findById(claim.targetId());
        return Optional.of(new PointWork(Json.read(frontier.snapshot, Portfolio.class), frontier.configName, perPoint(frontier)));
    }

    /**
     * Stores a point's plan (STOPPED when its frontier was cancelled mid-solve: the plan found so far is kept) and,
     * when it was the last point still open, queues the monotone repair. @return false if this replica no longer holds the point
     */
    @Transactional
    public boolean finishPoint(JobQueue.Claim claim, Plan plan, boolean stopped) {
        FrontierEntity frontier = FrontierEntity.findById(claim.targetId(), LockModeType.PESSIMISTIC_WRITE);
        if (!queue.complete(claim, stopped ? JobEntity.Status.STOPPED : JobEntity.Status.DONE, Json.write(plan), null)) {
            return false;
        }
        if (frontier.status != FrontierEntity.Status.QUEUED && frontier.status != FrontierEntity.Status.SOLVING) {
            return true;
        }
        List<JobEntity> points = JobEntity.list("targetId = ?1 and kind = ?2", frontier.id, JobEntity.Kind.FRONTIER_POINT);
        boolean allDone = points.stream().allMatch(p -> p.status == JobEntity.Status.DONE);
        if (allDone && JobEntity.findByIdOptional(frontier.id + REPAIR).isEmpty()) {
            queue.enqueue(frontier.id + REPAIR, JobEntity.Kind.FRONTIER_REPAIR, frontier.id, null);
        }
        return true;
    }

    @Transactional
    public Optional<RepairWork> startRepair(JobQueue.Claim claim) {
        if (!queue.holds(claim)) {
            return Optional.empty();
        }
        FrontierEntity frontier = FrontierEntity.findById(claim.targetId());
        List<JobEntity> points = pointsByBudget(frontier.id);
        return Optional.of(new RepairWork(Json.read(frontier.snapshot, Portfolio.class), frontier.configName, perPoint(frontier),
                points.stream().map(p -> p.pointBudget.stripTrailingZeros()).toList(),
                points.stream().map(p -> Json.read(p.result, Plan.class)).toList()));
    }

    @Transactional
    public boolean finishRepair(JobQueue.Claim claim, List<Frontier.Point> curve) {
        FrontierEntity frontier = FrontierEntity.findById(claim.targetId(), LockModeType.PESSIMISTIC_WRITE);
        if (!queue.complete(claim, JobEntity.Status.DONE, null, null)) {
            return false;
        }
        if (frontier.status == FrontierEntity.Status.SOLVING || frontier.status == FrontierEntity.Status.QUEUED) {
            frontier.points = Json.write(curve);
            frontier.status = FrontierEntity.Status.SOLVED;
            frontier.finishedAt = Instant.now();
        }
        return true;
    }

    /** A point or the repair failed: the frontier is FAILED and its other open jobs are stopped. */
    @Transactional
    public boolean fail(JobQueue.Claim claim, String reason) {
        FrontierEntity frontier = FrontierEntity.findById(claim.targetId(), LockModeType.PESSIMISTIC_WRITE);
        if (!queue.complete(claim, JobEntity.Status.FAILED, null, reason)) {
            return false;
        }
        if (frontier.status == FrontierEntity.Status.QUEUED || frontier.status == FrontierEntity.Status.SOLVING) {
            frontier.status = FrontierEntity.Status.FAILED;
            frontier.failure = reason.length() > 1900 ? reason.substring(0, 1900) : reason;
            frontier.finishedAt = Instant.now();
        }
        queue.requestStop(frontier.id);
        return true;
    }

    /**
     * Cancels a frontier: CANCELLED at once; its points not yet started are stopped, running ones are stopped by their
     * owners (keeping the plan found so far), points already solved stay. A finished frontier is left as it is.
     */
    @Transactional
    public Optional<FrontierView> cancel(String id) {
        FrontierEntity frontier = FrontierEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (frontier == null) {
            return Optional.empty();
        }
        if (frontier.status == FrontierEntity.Status.QUEUED || frontier.status == FrontierEntity.Status.SOLVING) {
            FrontierEntity.Status before = frontier.status;
            frontier.status = FrontierEntity.Status.CANCELLED;
            frontier.finishedAt = Instant.now();
            queue.requestStop(id);
            audit.record("frontier", id, "cancel", java.util.Map.of("status", before.name()), java.util.Map.of("status", "CANCELLED"));
        }
        return Optional.of(view(frontier));
    }

    /** A QUEUED frontier one of whose points has started reads as SOLVING (the row itself only records final states). */
    private FrontierView view(FrontierEntity entity) {
        List<JobEntity> jobs = entity.status == FrontierEntity.Status.SOLVED ? List.of() : pointsByBudget(entity.id);
        List<Frontier.Point> points = entity.status == FrontierEntity.Status.SOLVED
                ? Arrays.asList(Json.read(entity.points, Frontier.Point[].class))
                : jobs.stream().filter(p -> p.result != null).map(FrontierStore::provisional).toList();
        FrontierEntity.Status status = entity.status == FrontierEntity.Status.QUEUED && jobs.stream().anyMatch(j -> j.starts > 0)
                ? FrontierEntity.Status.SOLVING : entity.status;
        return new FrontierView(entity.id, status, entity.configName, Arrays.asList(Json.read(entity.budgets, BigDecimal[].class)),
                points, entity.failure);
    }

    /** A point as its own solve left it; the marginal value and added runs come with the final curve. */
    private static Frontier.Point provisional(JobEntity job) {
        Plan plan = Json.read(job.result, Plan.class);
        return new Frontier.Point(job.pointBudget.stripTrailingZeros(), plan.totals().gpuHours(), plan.totals().expectedValue(),
                plan.totals().selected(), null, List.of(), plan);
    }

    private static List<JobEntity> pointsByBudget(String frontierId) {
        List<JobEntity> points = new ArrayList<>(JobEntity.<JobEntity>list("targetId = ?1 and kind = ?2", frontierId, JobEntity.Kind.FRONTIER_POINT));
        points.sort(Comparator.comparing(p -> p.pointBudget));
        return points;
    }

    private static Duration perPoint(FrontierEntity frontier) {
        return frontier.timeLimitMillis == null ? null : Duration.ofMillis(frontier.timeLimitMillis);
    }
}
