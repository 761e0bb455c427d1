package dev.gpuplan.domain;

import java.time.Instant;

/** A half-open interval {@code [from, to)}. */
public record TimeWindow(Instant from, Instant to) {

    public boolean overlaps(Instant start, Instant end) {
        return from.isBefore(end) && start.isBefore(to);
    }
}
