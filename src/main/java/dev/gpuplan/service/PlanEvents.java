package dev.gpuplan.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanProgress;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * A plan's live progress as a stream of changes: its status, each better score, then the final totals.
 *
 * <p>The stream reads the plan's stored summary every {@code gpuplan.events.interval}, so it follows a plan solved by
 * any replica, and nothing is kept per listener but this subscription: no thread waits between reads (the delay is a
 * timer), each read is one short query on a worker thread, and a listener that goes away cancels its stream at the
 * next event or keep-alive written to it.
 */
@ApplicationScoped
public class PlanEvents {

    /** What changed. {@code KEEP_ALIVE} carries nothing new: it is written so that a vanished listener is noticed. */
    public enum Kind { STATUS, BEST, DONE, KEEP_ALIVE }

    public record Event(Kind kind, long sequence, PlanProgress progress) {
    }

    private final PlanStore store;
    private final Duration interval;
    private final Duration keepAlive;

    public PlanEvents(PlanStore store,
                      @ConfigProperty(name = "gpuplan.events.interval", defaultValue = "1s") Duration interval,
                      @ConfigProperty(name = "gpuplan.events.keep-alive", defaultValue = "15s") Duration keepAlive) {
        this.store = store;
        this.interval = interval;
        this.keepAlive = keepAlive;
    }

    /** The stream of one plan; the plan must exist (404 otherwise, before anything is streamed). */
    public Multi<Event> follow(String id) {
        PlanProgress first = store.progress(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
        return Multi.createFrom().deferred(() -> {
            Changes changes = new Changes(keepAlive.toNanos());
            Multi<PlanProgress> reads = first.finished() ? Multi.createFrom().item(first)
                    : Multi.createFrom().item(first).onCompletion().switchTo(
                            Uni.createFrom().item(() -> store.progress(id).orElse(null))
                                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                    .repeat().withDelay(interval)
                                    .whilst(p -> p != null && !p.finished())
                                    .select().where(Objects::nonNull));
            return reads.onItem().transformToIterable(changes::after);
        });
    }

    /** What one listener has been told so far, and what a new reading adds to it. */
    private static final class Changes {
        private final long keepAliveNanos;
        private Plan.Status status;
        private String score;
        private long sequence;
        private long lastSent = System.nanoTime();

        Changes(long keepAliveNanos) {
            this.keepAliveNanos = keepAliveNanos;
        }

        List<Event> after(PlanProgress now) {
            List<Event> events = new ArrayList<>(2);
            if (now.finished()) {
                events.add(new Event(Kind.DONE, ++sequence, now));
            } else if (now.status() != status) {
                events.add(new Event(Kind.STATUS, ++sequence, now));
            } else if (now.score() != null && !now.score().equals(score)) {
                events.add(new Event(Kind.BEST, ++sequence, now));
            } else if (System.nanoTime() - lastSent >= keepAliveNanos) {
                events.add(new Event(Kind.KEEP_ALIVE, sequence, now));
            }
            status = now.status();
            score = now.score();
            if (!events.isEmpty()) {
                lastSent = System.nanoTime();
            }
            return events;
        }
    }
}
