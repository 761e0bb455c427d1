package dev.gpuplan.persistence;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One unit of solver work as a row: a plan, a frontier point, or a frontier's final monotone repair. Claims, lease
 * renewals and finishes are conditional SQL updates in {@code service.JobQueue}; this entity only reads rows.
 */
@Entity
@Table(name = "job")
public class JobEntity extends PanacheEntityBase {

    public enum Kind { PLAN, FRONTIER_POINT, FRONTIER_REPAIR }

    /** QUEUED: nobody holds it (new, or released by a replica that shut down); RUNNING: leased by {@code owner}. */
    public enum Status { QUEUED, RUNNING, DONE, STOPPED, FAILED }

    @Id
    public String id;
    @Enumerated(EnumType.STRING)
    public Kind kind;
    @Column(name = "target_id")
    public String targetId;
    @Column(name = "point_budget")
    public BigDecimal pointBudget;
    @Enumerated(EnumType.STRING)
    public Status status;
    public String owner;
    public long generation;
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;
    @Column(name = "stop_requested")
    public boolean stopRequested;
    public int starts;
    public int completions;
    public String result;
    public String failure;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
}
