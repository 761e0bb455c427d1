package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * Something that happened to a run: {@code STARTED {at, pool}}, {@code FINISHED {at, gpuHours?}},
 * {@code FAILED {at, gpuHours?, reason}}, {@code CANCELLED {at?, reason?}}. {@code gpuHours} is the actual use;
 * when absent it is the run's GPUs x the time it ran. {@code eventId} (optional) names the event for idempotent resends.
 */
public record RunEvent(Type type, Instant at, BigDecimal gpuHours, String pool, String reason, String eventId) {

    public enum Type { STARTED, FINISHED, FAILED, CANCELLED }

    /**
     * Whether this event is a resend of {@code accepted}: the same {@code eventId} (when both have one), else the same
     * type with every field this one gives equal to the accepted one's (a resend may leave out what was defaulted).
     */
    public boolean repeats(RunEvent accepted) {
        if (eventId != null && accepted.eventId() != null) {
            return eventId.equals(accepted.eventId());
        }
        return sameContent(accepted);
    }

    /** Same type, and every field this event gives equal to the accepted one's. */
    public boolean sameContent(RunEvent accepted) {
        return type == accepted.type()
                && (at == null || at.equals(accepted.at()))
                && (gpuHours == null || (accepted.gpuHours() != null && gpuHours.compareTo(accepted.gpuHours()) == 0))
                && (pool == null || pool.equals(accepted.pool()))
                && (reason == null || Objects.equals(reason, accepted.reason()));
    }
}
