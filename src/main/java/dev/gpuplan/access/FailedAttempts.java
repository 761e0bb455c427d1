package dev.gpuplan.access;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/**
 * Failed sign-ins per source address. After {@code free} failures within {@code window}, every further attempt from
 * that source waits (without holding a thread) {@code step} per failure over the free ones, up to {@code max-delay},
 * so guessing slows down while other sources are served as before. Counted in {@code gpuplan_auth_failures_total}
 * and {@code gpuplan_auth_delayed_total}. The table is bounded: when it is full, the oldest windows are dropped.
 * Every way a token is checked (bearer header, the page's session cookie, the page's sign-in) goes through
 * {@link #guard}, so none of them is a way around the slowing down.
 */
@ApplicationScoped
public class FailedAttempts {

    private static final int MAX_SOURCES = 10_000;

    private record Window(long startedAtNanos, int failures) {
    }

    private final ConcurrentMap<String, Window> sources = new ConcurrentHashMap<>();
    private final int free;
    private final Duration window;
    private final Duration step;
    private final Duration maxDelay;
    private final Counter failures;
    private final Counter delayed;

    public FailedAttempts(@ConfigProperty(name = "gpuplan.access.failed-attempts.free") int free,
                          @ConfigProperty(name = "gpuplan.access.failed-attempts.window") Duration window,
                          @ConfigProperty(name = "gpuplan.access.failed-attempts.step") Duration step,
                          @ConfigProperty(name = "gpuplan.access.failed-attempts.max-delay") Duration maxDelay,
                          MeterRegistry metrics) {
        this.free = free;
        this.window = window;
        this.step = step;
        this.maxDelay = maxDelay;
        this.failures = Counter.builder("gpuplan.auth.failures").description("Requests refused because their credentials were not valid")
                .register(metrics);
        this.delayed = Counter.builder("gpuplan.auth.delayed").description("Sign-in attempts slowed down after repeated failures from their source")
                .register(metrics);
    }

    /** The source a request is counted against: its peer address (behind a proxy, the proxy's). */
    public static String source(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }

    /**
     * Checks a credential presented by {@code source}: the check starts after the wait the source has earned (a timer,
     * no thread held), and a check that fails counts against the source.
     */
    public <T> Uni<T> guard(String source, Supplier<Uni<? extends T>> check) {
        Uni<T> attempt = Uni.createFrom().<T>deferred(check);
        Duration delay = delayFor(source);
        Uni<T> waited = delay.isZero() ? attempt : Uni.createFrom().voidItem().onItem().delayIt().by(delay).chain(() -> attempt);
        return waited.onFailure().invoke(failure -> failed(source));
    }

    /** How long an attempt from {@code source} waits before it is checked (zero for a source in good standing). */
    public Duration delayFor(String source) {
        Window current = current(source);
        int over = current == null ? 0 : current.failures() - free;
        if (over <= 0) {
            return Duration.ZERO;
        }
        delayed.increment();
        Duration delay = step.multipliedBy(over);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }

    public void failed(String source) {
        failures.increment();
        if (sources.size() >= MAX_SOURCES) {
            long now = System.nanoTime();
            sources.entrySet().removeIf(e -> now - e.getValue().startedAtNanos() > window.toNanos());
            if (sources.size() >= MAX_SOURCES) {
                sources.clear();
            }
        }
        long now = System.nanoTime();
        sources.merge(source, new Window(now, 1), (old, one) -> now - old.startedAtNanos() > window.toNanos()
                ? one : new Window(old.startedAtNanos(), old.failures() + 1));
    }

    private Window current(String source) {
        Window current = sources.get(source);
        if (current != null && System.nanoTime() - current.startedAtNanos() > window.toNanos()) {
            sources.remove(source, current);
            return null;
        }
        return current;
    }
}
