package dev.gpuplan.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The run state machine, in one place: a run's state is what its accepted events, replayed in order, make of it.
 * {@link #apply} either accepts an event (returning the next state) or refuses it with the field and a sentence;
 * a refused event changes nothing. Allowed: {@code PLANNED -> STARTED -> FINISHED | FAILED} and
 * {@code PLANNED | STARTED -> CANCELLED}; time never runs backwards within a run, and no event lies further in the
 * future than the allowed clock skew.
 */
public final class RunLifecycle {

    /** What the events made of a run. {@code actualGpuHours} is set once the run has ended after starting. */
    public record State(RunStatus status, String pool, Instant start, Instant end, BigDecimal actualGpuHours, String reason) {

        public static State planned(String plannedPool) {
            return new State(RunStatus.PLANNED, plannedPool, null, null, null, null);
        }
    }

    /** The outcome of applying one event: {@code next} when accepted, else {@code field} and {@code refusal}. */
    public record Outcome(State next, String field, String refusal) {

        static Outcome accepted(State next) {
            return new Outcome(next, null, null);
        }

        static Outcome refused(String field, String refusal) {
            return new Outcome(null, field, refusal);
        }

        public boolean isAccepted() {
            return refusal == null;
        }
    }

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private final int gpus;
    private final Instant now;
    private final Duration clockSkew;

    /**
     * @param gpus      the run's GPUs, for the default actual use (GPUs x elapsed hours)
     * @param now       the time events are judged against
     * @param clockSkew how far in the future an event's {@code at} may lie (clocks of launchers differ a little)
     */
    public RunLifecycle(int gpus, Instant now, Duration clockSkew) {
        this.gpus = gpus;
        this.now = now;
        this.clockSkew = clockSkew;
    }

    /** The state after replaying accepted events from PLANNED. */
    public State replay(String plannedPool, List<RunEvent> accepted) {
        State state = State.planned(plannedPool);
        for (RunEvent event : accepted) {
            Outcome outcome = transition(state, event);
            if (!outcome.isAccepted()) {
                throw new IllegalStateException("stored event " + event + " does not replay: " + outcome.refusal());
            }
            state = outcome.next();
        }
        return state;
    }

    /** Accepts or refuses one new event; {@code at} is checked against now and the skew. */
    public Outcome apply(State state, RunEvent event) {
        if (event.at() != null && event.at().isAfter(now.plus(clockSkew))) {
            return Outcome.refused("at", event.type() + " at " + event.at() + " lies in the future (now is " + now
                    + ", allowed clock skew " + clockSkew.toSeconds() + "s)");
        }
        return transition(state, event);
    }

    private Outcome transition(State state, RunEvent event) {
        Instant at = event.at() == null ? now : event.at();
        RunStatus status = state.status();
        switch (event.type()) {
            case STARTED -> {
                if (status != RunStatus.PLANNED) {
                    return wrongState(state, event, "only a PLANNED run can start");
                }
                return Outcome.accepted(new State(RunStatus.STARTED, event.pool() == null ? state.pool() : event.pool(), at, null, null, null));
            }
            case FINISHED, FAILED -> {
                if (status != RunStatus.STARTED) {
                    return wrongState(state, event, "only a STARTED run can " + (event.type() == RunEvent.Type.FINISHED ? "finish" : "fail"));
                }
                if (at.isBefore(state.start())) {
                    return Outcome.refused("at", event.type() + " at " + at + " is before the run started (" + state.start() + ")");
                }
                RunStatus next = event.type() == RunEvent.Type.FINISHED ? RunStatus.FINISHED : RunStatus.FAILED;
                return Outcome.accepted(new State(next, state.pool(), state.start(), at, actual(event, state.start(), at), event.reason()));
            }
            case CANCELLED -> {
                if (!status.isActive()) {
                    return wrongState(state, event, "only a PLANNED or STARTED run can be cancelled");
                }
                if (status == RunStatus.STARTED && at.isBefore(state.start())) {
                    return Outcome.refused("at", "CANCELLED at " + at + " is before the run started (" + state.start() + ")");
                }
                BigDecimal used = status == RunStatus.STARTED ? actual(event, state.start(), at) : null;
                return Outcome.accepted(new State(RunStatus.CANCELLED, state.pool(), state.start(), status == RunStatus.STARTED ? at : null,
                        used, event.reason()));
            }
            default -> throw new IllegalArgumentException("unknown event type " + event.type());
        }
    }

    private static Outcome wrongState(State state, RunEvent event, String rule) {
        return Outcome.refused("type", event.type() + " refused: the run is " + state.status() + "; " + rule);
    }

    /** The given actual use, else GPUs x the hours between start and end. */
    private BigDecimal actual(RunEvent event, Instant start, Instant end) {
        return event.gpuHours() != null ? event.gpuHours() : gpuHoursBetween(gpus, start, end);
    }

    /** GPUs x hours from {@code from} to {@code to} (0 when {@code to} is earlier), to the thousandth. */
    public static BigDecimal gpuHoursBetween(int gpus, Instant from, Instant to) {
        long seconds = Math.max(0, Duration.between(from, to).toSeconds());
        return BigDecimal.valueOf(seconds).multiply(BigDecimal.valueOf(gpus)).divide(SECONDS_PER_HOUR, 3, RoundingMode.HALF_UP)
                .stripTrailingZeros();
    }
}
