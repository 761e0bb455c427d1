package dev.gpuplan.persistence;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.gpuplan.domain.RunEvent;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** An accepted event of a run: written once, never updated or deleted. */
@Entity
@Table(name = "run_event")
public class RunEventEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "run_id")
    public String runId;
    public int seq;
    @Enumerated(EnumType.STRING)
    @Column(name = "event_type")
    public RunEvent.Type type;
    @Column(name = "occurred_at")
    public Instant at;
    @Column(name = "gpu_hours")
    public BigDecimal gpuHours;
    public String pool;
    public String reason;
    @Column(name = "event_id")
    public String eventId;
    @Column(name = "recorded_at")
    public Instant recordedAt;

    public static RunEventEntity of(String runId, int seq, RunEvent event, Instant recordedAt) {
        RunEventEntity entity = new RunEventEntity();
        entity.id = UUID.randomUUID().toString();
        entity.runId = runId;
        entity.seq = seq;
        entity.type = event.type();
        entity.at = event.at();
        entity.gpuHours = event.gpuHours();
        entity.pool = event.pool();
        entity.reason = event.reason();
        entity.eventId = event.eventId();
        entity.recordedAt = recordedAt;
        return entity;
    }

    public RunEvent toEvent() {
        return new RunEvent(type, at, PlanEntity.plain(gpuHours), pool, reason, eventId);
    }
}
