package dev.gpuplan.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A frontier job: what it solves (a portfolio snapshot and the budgets) and its points so far, as JSON documents. */
@Entity
@Table(name = "frontier")
public class FrontierEntity extends PanacheEntityBase {

    public enum Status { QUEUED, SOLVING, SOLVED, FAILED }

    @Id
    public String id;
    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    public Status status;
    @Column(name = "config_name")
    public String configName;
    public String budgets;
    @Column(name = "time_limit_ms")
    public Long timeLimitMillis;
    public String snapshot;
    public String points;
    public String failure;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "finished_at")
    public Instant finishedAt;
    @Column(name = "submitted_by")
    public String submittedBy;
    @Version
    public long version;
}
