package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The time a plan covers, cut into slots of {@code slotMinutes}. A run occupies whole slots:
 * {@code ceil(hours / slot)} of them, on one pool.
 */
public record Horizon(Instant start, BigDecimal hours, int slotMinutes) {

    public static final int DEFAULT_SLOT_MINUTES = 60;

    /** Whole slots only: a partial slot at the end is not planned. */
    public int slotCount() {
        return hours.multiply(BigDecimal.valueOf(60)).divide(BigDecimal.valueOf(slotMinutes), 0, RoundingMode.FLOOR).intValueExact();
    }

    public Instant end() {
        return slotStart(slotCount());
    }

    public Instant slotStart(int slot) {
        return start.plus(Duration.ofMinutes((long) slot * slotMinutes));
    }

    /** The first slot that starts at or after {@code instant} (may be outside the horizon). */
    public int firstSlotAtOrAfter(Instant instant) {
        long seconds = Duration.between(start, instant).toSeconds();
        long slotSeconds = slotMinutes * 60L;
        return (int) -Math.floorDiv(-seconds, slotSeconds);
    }

    /** The number of whole slots that end at or before {@code instant}. */
    public int slotsEndingBy(Instant instant) {
        long seconds = Duration.between(start, instant).toSeconds();
        return (int) Math.floorDiv(seconds, slotMinutes * 60L);
    }

    /** Whole slots a run of {@code hours} occupies. */
    public int slotsFor(BigDecimal runHours) {
        BigDecimal minutes = runHours.multiply(BigDecimal.valueOf(60));
        return minutes.divide(BigDecimal.valueOf(slotMinutes), 0, RoundingMode.CEILING).intValueExact();
    }

    public boolean isSlotBoundary(Instant instant) {
        return Duration.between(start, instant).toSeconds() % (slotMinutes * 60L) == 0;
    }
}
