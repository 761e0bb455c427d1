package dev.gpuplan.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Caller;
import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.persistence.PlanEntity;

/** Every write of a plan row, each in its own transaction; status changes are conditional, so replicas cannot collide. */
@ApplicationScoped
public class PlanStore {

    /** What a solver thread needs to solve a claimed plan. */
    public record Claimed(String id, Portfolio portfolio, String configName, Duration timeLimit) {
    }

    private final Caller caller;
    private final AuditLog audit;

    public PlanStore(Caller caller, AuditLog audit) {
        this.caller = caller;
        this.audit = audit;
    }

    @Transactional
    public Plan createQueued(Portfolio portfolio, PlanningConfig config, Integer timeLimitSeconds) {
        PlanEntity plan = new PlanEntity();
        plan.id = UUID.randomUUID().toString();
        plan.status = Plan.Status.QUEUED;
        plan.budgetGpuHours = portfolio.budget().gpuHours();
        plan.usableGpuHours = config.usableBudget(portfolio.budget().gpuHours());
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
        Plan queued = plan.toPlan();
        audit.record("plan", plan.id, "submit", null, queued);
        return queued;
    }

    @Transactional
    public Optional<Plan> plan(String id) {
        return PlanEntity.<PlanEntity>findByIdOptional(id).map(PlanEntity::toPlan);
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

    /** QUEUED to SOLVING, only if still queued: of two replicas that try, one wins. */
    @Transactional
    public Optional<Claimed> claim(String id) {
        Instant now = Instant.now();
        int updated = PlanEntity.update("status = ?1, startedAt = ?2, heartbeatAt = ?2, version = version + 1 where id = ?3 and status = ?4",
                Plan.Status.SOLVING, now, id, Plan.Status.QUEUED);
        if (updated == 0) {
            return Optional.empty();
        }
        PlanEntity plan = PlanEntity.findById(id);
        return Optional.of(new Claimed(id, plan.snapshotPortfolio(), plan.configName,
                plan.timeLimitMillis == null ? null : Duration.ofMillis(plan.timeLimitMillis)));
    }

    /** The best plan so far of a plan that is still solving. */
    @Transactional
    public void saveProgress(String id, Plan best) {
        PlanEntity plan = PlanEntity.findById(id);
        if (plan != null && plan.status == Plan.Status.SOLVING) {
            plan.record(best);
            plan.heartbeatAt = Instant.now();
        }
    }

    @Transactional
    public void finish(String id, Plan result) {
        PlanEntity plan = PlanEntity.findById(id);
        plan.record(result);
        plan.status = result.status();
        plan.finishedAt = Instant.now();
        plan.heartbeatAt = plan.finishedAt;
    }

    @Transactional
    public void fail(String id, String reason) {
        PlanEntity plan = PlanEntity.findById(id);
        if (plan != null) {
            plan.status = Plan.Status.FAILED;
            plan.failure = reason.length() > 1900 ? reason.substring(0, 1900) : reason;
            plan.feasible = false;
            plan.finishedAt = Instant.now();
        }
    }

    /** A plan that has not started: STOPPED with no assignments. @return whether it was still queued */
    @Transactional
    public boolean stopQueued(String id) {
        return PlanEntity.update("status = ?1, finishedAt = ?2, version = version + 1 where id = ?3 and status = ?4",
                Plan.Status.STOPPED, Instant.now(), id, Plan.Status.QUEUED) > 0;
    }

    /** Marks plans this replica is solving as alive. */
    @Transactional
    public void touch(Collection<String> ids) {
        if (!ids.isEmpty()) {
            PlanEntity.update("heartbeatAt = ?1 where id in ?2", Instant.now(), ids);
        }
    }

    /**
     * Plans nobody is working on: SOLVING or QUEUED with a heartbeat older than the lease (the replica that had
     * them stopped or restarted). SOLVING ones go back to QUEUED; their solve starts over from the snapshot.
     */
    @Transactional
    public List<String> adoptAbandoned(Duration lease, Collection<String> mine) {
        Instant cutoff = Instant.now().minus(lease);
        List<PlanEntity> abandoned = PlanEntity.list("status in ?1 and heartbeatAt < ?2",
                List.of(Plan.Status.QUEUED, Plan.Status.SOLVING), cutoff);
        List<String> adopted = new java.util.ArrayList<>();
        for (PlanEntity plan : abandoned) {
            if (mine.contains(plan.id)) {
                continue;
            }
            int updated = PlanEntity.update("status = ?1, heartbeatAt = ?2, version = version + 1 where id = ?3 and heartbeatAt = ?4",
                    Plan.Status.QUEUED, Instant.now(), plan.id, plan.heartbeatAt);
            if (updated > 0) {
                adopted.add(plan.id);
            }
        }
        return adopted;
    }
}
