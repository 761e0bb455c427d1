package dev.gpuplan.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunEvent;
import dev.gpuplan.domain.RunLifecycle;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One attempt of a proposal, committed from a plan. Its status is not a column: {@link #toRun} replays the events.
 * {@code eventCount} changes with every appended event, so the optimistic lock serialises two event writers.
 */
@Entity
@Table(name = "run")
public class RunEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "proposal_key")
    public String proposal;
    public String team;
    public int attempt;
    @Column(name = "plan_id")
    public String planId;
    public int gpus;
    public BigDecimal hours;
    @Column(name = "planned_pool")
    public String plannedPool;
    @Column(name = "planned_start")
    public Instant plannedStart;
    @Column(name = "planned_end")
    public Instant plannedEnd;
    @Column(name = "estimated_gpu_hours")
    public BigDecimal estimatedGpuHours;
    @Column(name = "event_count")
    public int eventCount;
    @Column(name = "created_at")
    public Instant createdAt;
    @Version
    public long version;

    /** Every attempt of every proposal, in proposal then attempt order. */
    public static List<RunEntity> listAllOrdered() {
        return list("order by proposal, attempt");
    }

    /** The attempts of one proposal, oldest first. */
    public static List<RunEntity> ofProposal(String proposal) {
        return list("proposal = ?1 order by attempt", proposal);
    }

    public List<RunEvent> events() {
        return RunEventEntity.<RunEventEntity>list("runId = ?1 order by seq", id).stream().map(RunEventEntity::toEvent).toList();
    }

    /** The run as its events make it, judged at {@code now}. */
    public Run toRun(List<RunEvent> events, Instant now) {
        RunLifecycle.State state = new RunLifecycle(gpus, now, java.time.Duration.ZERO).replay(plannedPool, events);
        return new Run(proposal, team, state.status(), attempt, state.pool(), plannedStart, plannedEnd, state.start(), state.end(),
                gpus, PlanEntity.plain(hours), PlanEntity.plain(estimatedGpuHours), PlanEntity.plain(state.actualGpuHours()), planId,
                state.reason());
    }
}
