package dev.gpuplan.cluster;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run event in the shape the service takes at {@code POST /api/runs/{proposal}/events}:
 * {@code {type, at, gpuHours?, pool?, reason?, eventId}}. {@code proposal} names the run and is not sent in the body.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(@JsonIgnore String proposal, Type type, Instant at, BigDecimal gpuHours, String pool, String reason,
                       String eventId) {

    public enum Type { STARTED, FINISHED, FAILED, CANCELLED }

    /** The event as the service's run lifecycle takes it (the same fields, without the proposal). */
    public dev.gpuplan.domain.RunEvent toDomain() {
        return new dev.gpuplan.domain.RunEvent(dev.gpuplan.domain.RunEvent.Type.valueOf(type.name()), at, gpuHours, pool, reason, eventId);
    }
}
