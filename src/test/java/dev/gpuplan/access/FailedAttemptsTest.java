package dev.gpuplan.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;

/**
 * The slowing down of repeated failed sign-ins, without a service: per source, growing with each failure over the
 * free ones, capped, counted in the two metrics, and never touching another source.
 */
class FailedAttemptsTest {

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final FailedAttempts attempts = new FailedAttempts(3, Duration.ofMinutes(10), Duration.ofMillis(40), Duration.ofMillis(100), metrics);

    private double counter(String name) {
        return metrics.get(name).counter().count();
    }

    private static Uni<String> failing() {
        return Uni.createFrom().failure(new AuthenticationFailedException("no"));
    }

    @Test
    void aSourceIsSlowedOnlyAfterItsFreeFailuresAndByAGrowingCappedDelay() {
        for (int i = 0; i < 3; i++) {
            assertThat(attempts.delayFor("10.0.0.1")).as("within the free failures").isZero();
            attempts.failed("10.0.0.1");
        }
        assertThat(attempts.delayFor("10.0.0.1")).as("no failure over the free ones yet").isZero();
        attempts.failed("10.0.0.1");
        assertThat(attempts.delayFor("10.0.0.1")).isEqualTo(Duration.ofMillis(40));
        attempts.failed("10.0.0.1");
        assertThat(attempts.delayFor("10.0.0.1")).isEqualTo(Duration.ofMillis(80));
        attempts.failed("10.0.0.1");
        assertThat(attempts.delayFor("10.0.0.1")).as("capped at max-delay").isEqualTo(Duration.ofMillis(100));

        assertThat(attempts.delayFor("10.0.0.2")).as("another source is not slowed").isZero();
        assertThat(counter("gpuplan.auth.failures")).isEqualTo(6);
        assertThat(counter("gpuplan.auth.delayed")).as("the three checks above that returned a delay").isEqualTo(3);
    }

    @Test
    void guardCountsFailedChecksOnlyAndMakesASlowedSourceWait() {
        AtomicInteger checks = new AtomicInteger();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> attempts.guard("10.0.0.3", () -> {
                checks.incrementAndGet();
                return failing();
            }).await().atMost(Duration.ofSeconds(10))).isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(checks).as("every attempt is checked: slowed, never refused unchecked").hasValue(5);
        assertThat(counter("gpuplan.auth.failures")).isEqualTo(5);

        // Two failures over the free three: the next attempt waits 80 ms before its check runs, even a good one.
        long start = System.nanoTime();
        String who = attempts.guard("10.0.0.3", () -> Uni.createFrom().item("alice")).await().atMost(Duration.ofSeconds(10));
        assertThat(who).isEqualTo("alice");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a slowed source waits at least its delay").isGreaterThanOrEqualTo(Duration.ofMillis(80));
        assertThat(counter("gpuplan.auth.failures")).as("a good credential is no failure").isEqualTo(5);
        assertThat(counter("gpuplan.auth.delayed")).as("the fifth failed attempt and the good one waited").isEqualTo(2);

        String other = attempts.guard("10.0.0.4", () -> Uni.createFrom().item("bob")).await().atMost(Duration.ofSeconds(10));
        assertThat(other).isEqualTo("bob");
        assertThat(counter("gpuplan.auth.delayed")).as("another source does not wait").isEqualTo(2);
    }

    @Test
    void failuresOutsideTheWindowAreForgotten() {
        FailedAttempts shortWindow = new FailedAttempts(0, Duration.ofNanos(1), Duration.ofMillis(40), Duration.ofMillis(100), metrics);
        shortWindow.failed("10.0.0.5");
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1_000) {
            Thread.onSpinWait(); // longer than the one-nanosecond window
        }
        assertThat(shortWindow.delayFor("10.0.0.5")).isZero();
    }
}
