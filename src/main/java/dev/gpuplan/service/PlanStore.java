package dev.gpuplan.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanProgress;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.JobEntity;
import dev.gpuplan.persistence.PlanEntity;

/**
 * Every write of a plan row, each in its own transaction. Writes by a solver are conditional on its claim of the
 * plan's job ({@link JobQueue#holds}), so a replica that lost its lease cannot overwrite the replica that took over;
 * and a saved plan is never replaced by a worse one (a stop, a restart or a takeover keeps the best found so far).
 */
@ApplicationScoped
public class PlanStore {

    /** What a solver thread needs to solve a claimed plan; {@code savedBest} is the best plan saved so far, if any. */
    public record Claimed(String id, Portfolio portfolio, String configName, Duration timeLimit, Plan savedBest) {
    }

    private final JobQueue queue;
    private final Caller caller;
    private final AuditLog audit;

    public PlanStore(JobQueue queue, Caller caller, AuditLog audit) {
        this.queue = queue;
        this.caller = caller;
        this.audit = audit;
    }

    /** A plan with the config's flat reserve and no reserve statement (as queued by tests of the queue itself). */
    @Transactional
    public Plan createQueued(Portfolio portfolio, PlanningConfig config, Integer timeLimitSeconds) {
        return createQueued(portfolio, config, timeLimitSeconds, null, config.usableBudget(portfolio.budget().gpuHours()), null);
    }

    /**
     * The plan and its job, in one transaction, with the reserve it states at creation ({@code usableGpuHours} is the
     * budget less it) and, for a replan, what it was planned from: written with the row, so that no solver that claims
     * the job at once can read the row without them (and write it back without them).
     */
    @Transactional
    public Plan createQueued(Portfolio portfolio, PlanningConfig config, Integer timeLimitSeconds, dev.gpuplan.domain.Reserve reserve,
                             java.math.BigDecimal usableGpuHours, dev.gpuplan.domain.Replan replan) {
        PlanEntity plan = new PlanEntity();
        plan.id = UUID.randomUUID().toString();
        plan.status = Plan.Status.QUEUED;
        plan.budgetGpuHours = portfolio.budget().gpuHours();
        plan.usableGpuHours = usableGpuHours;
        plan.reserve = reserve == null ? null : Json.write(reserve);
        plan.replan = replan == null ? null : Json.write(replan);
        plan.configName = config.name();
        plan.configDir = config.directory();
        plan.timeLimitMillis = timeLimitSeconds == null ? null : Duration.ofSeconds(timeLimitSeconds).toMillis();
        plan.candidateCount = portfolio.proposals().size();
        plan.snapshot = Json.write(portfolio);
        plan.createdAt = Instant.now();
        plan.heartbeatAt = plan.createdAt;
        plan.violations = Json.write(List.of());
        plan.submittedBy = caller.name();
        plan.persist();
        queue.enqueue(plan.id, JobEntity.Kind.PLAN, plan.id, null);
        Plan queued = plan.toPlan();
        audit.record("plan", plan.id, "submit", null, queued);
        return queued;
    }

    @Transactional
    public Optional<Plan> plan(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(PlanEntity::toPlan);
    }

    /** A plan's status and best-so-far summary, without its runs: what the progress stream reads every interval. */
    @Transactional
    public Optional<PlanProgress> progress(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(PlanEntity::toProgress);
    }

    @Transactional
    public List<Plan> plans() {
        return PlanEntity.listNewestFirst().stream().map(PlanEntity::toPlan).toList();
    }

    /** Who submitted a plan (null for plans submitted before access control). */
    @Transactional
    public Optional<String> submitter(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(plan -> plan.submittedBy);
    }

    /** The portfolio a plan was solved from. */
    @Transactional
    public Portfolio snapshot(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(PlanEntity::snapshotPortfolio)
                .orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
    }

    /** Marks a claimed plan SOLVING and reads what solving it needs, including its saved best (a resumed plan's warm start). */
    @Transactional
    public Optional<Claimed> startSolving(JobQueue.Claim claim) {
        if (!queue.holds(claim)) {
            return Optional.empty();
        }
        PlanEntity plan = PlanEntity.findById(claim.targetId());
        if (plan.status == Plan.Status.QUEUED) {
            plan.status = Plan.Status.SOLVING;
            plan.startedAt = Instant.now();
        }
        plan.heartbeatAt = Instant.now();
        Plan saved = plan.score == null ? null : plan.toPlan();
        return Optional.of(new Claimed(plan.id, plan.snapshotPortfolio(), plan.configName,
                plan.timeLimitMillis == null ? null : Duration.ofMillis(plan.timeLimitMillis), saved));
    }

    /** The best plan so far of a plan still solving. @return false if this replica no longer holds the plan */
    @Transactional
    public boolean saveProgress(JobQueue.Claim claim, Plan best) {
        if (!queue.holds(claim)) {
            return false;
        }
        PlanEntity plan = PlanEntity.findById(claim.targetId());
        recordIfNotWorse(plan, best);
        plan.heartbeatAt = Instant.now();
        return true;
    }

    /** SOLVED or STOPPED with the result (or the saved plan, if that is better). @return false if this replica no longer holds the plan */
    @Transactional
    public boolean finish(JobQueue.Claim claim, Plan result) {
        JobEntity.Status jobStatus = result.status() == Plan.Status.STOPPED ? JobEntity.Status.STOPPED : JobEntity.Status.DONE;
        if (!queue.complete(claim, jobStatus, null, null)) {
            return false;
        }
        PlanEntity plan = PlanEntity.findById(claim.targetId());
        // A resumed solve that has not caught up with the saved plan leaves the saved one (and its violations) as the answer.
        recordIfNotWorse(plan, result);
        plan.status = result.status();
        plan.finishedAt = Instant.now();
        plan.heartbeatAt = plan.finishedAt;
        return true;
    }

    @Transactional
    public boolean fail(JobQueue.Claim claim, String reason) {
        if (!queue.complete(claim, JobEntity.Status.FAILED, null, reason)) {
            return false;
        }
        PlanEntity plan = PlanEntity.findById(claim.targetId());
        plan.status = Plan.Status.FAILED;
        plan.failure = reason.length() > 1900 ? reason.substring(0, 1900) : reason;
        plan.feasible = false;
        plan.finishedAt = Instant.now();
        return true;
    }

    /**
     * Records a stop in the database, where every replica sees it. A plan nobody is solving (queued, or its
     * replica gone) is STOPPED here at once with its best plan saved so far; a solving one is stopped by its owner.
     * @return whether the plan was stopped here
     */
    @Transactional
    public boolean requestStop(String id) {
        return !queue.requestStop(id).isEmpty() && markStopped(id);
    }

    /** Finishes stops whose solver is gone (see {@link JobQueue#abandonedStops}); any replica's sweep does it. */
    @Transactional
    public void stopAbandoned() {
        for (JobEntity job : queue.abandonedStops()) {
            if (job.kind == JobEntity.Kind.PLAN) {
                markStopped(job.targetId);
            }
        }
    }

    /** A plan whose job was stopped while nobody held it: STOPPED, keeping whatever best plan was saved. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean markStopped(String id) {
        PlanEntity plan = PlanEntity.findById(id);
        if (plan == null || (plan.status != Plan.Status.QUEUED && plan.status != Plan.Status.SOLVING)) {
            return false;
        }
        plan.status = Plan.Status.STOPPED;
        plan.finishedAt = Instant.now();
        return true;
    }

    private static void recordIfNotWorse(PlanEntity plan, Plan candidate) {
        if (!isWorse(candidate.score(), plan.score)) {
            plan.record(candidate);
        }
    }

    /** Whether a candidate score is worse than the stored one (any score beats none). */
    static boolean isWorse(String candidate, String stored) {
        if (stored == null) {
            return false;
        }
        if (candidate == null) {
            return true;
        }
        return HardMediumSoftLongScore.parseScore(candidate).compareTo(HardMediumSoftLongScore.parseScore(stored)) < 0;
    }
}
