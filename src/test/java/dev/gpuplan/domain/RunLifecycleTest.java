package dev.gpuplan.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.gpuplan.domain.RunEvent.Type;

/** Every pair of (state, event) of the run state machine, accepted or refused, and the rules about time. */
class RunLifecycleTest {

    private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
    private static final Instant START = NOW.minus(Duration.ofHours(10));
    private static final Instant END = NOW.minus(Duration.ofHours(2));
    private static final RunLifecycle LIFECYCLE = new RunLifecycle(4, NOW, Duration.ofMinutes(5));

    /** The events that bring a run from PLANNED to each state. */
    private static List<RunEvent> historyOf(RunStatus status) {
        return switch (status) {
            case PLANNED -> List.of();
            case STARTED -> List.of(started(START));
            case FINISHED -> List.of(started(START), new RunEvent(Type.FINISHED, END, null, null, null, null));
            case FAILED -> List.of(started(START), new RunEvent(Type.FAILED, END, null, null, "nan loss", null));
            case CANCELLED -> List.of(new RunEvent(Type.CANCELLED, END, null, null, null, null));
        };
    }

    private static RunEvent started(Instant at) {
        return new RunEvent(Type.STARTED, at, null, "a100-east", null, null);
    }

    private static RunEvent event(Type type, Instant at) {
        return new RunEvent(type, at, null, type == Type.STARTED ? "a100-east" : null, type == Type.FAILED ? "oom" : null, null);
    }

    /** from state, event type, the state after it or null when it is refused. */
    static Stream<Arguments> transitions() {
        List<Arguments> table = new ArrayList<>();
        RunStatus[][] allowed = {
                // PLANNED:   STARTED,           FINISHED, FAILED, CANCELLED
                {RunStatus.STARTED, null, null, RunStatus.CANCELLED},
                // STARTED
                {null, RunStatus.FINISHED, RunStatus.FAILED, RunStatus.CANCELLED},
                // FINISHED
                {null, null, null, null},
                // FAILED
                {null, null, null, null},
                // CANCELLED
                {null, null, null, null},
        };
        for (RunStatus from : RunStatus.values()) {
            for (Type type : Type.values()) {
                table.add(Arguments.of(from, type, allowed[from.ordinal()][type.ordinal()]));
            }
        }
        return table.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("transitions")
    void everyTransitionIsAcceptedOrRefusedAsTheStateMachineSays(RunStatus from, Type type, RunStatus expected) {
        RunLifecycle.State state = LIFECYCLE.replay("a100-east", historyOf(from));
        assertThat(state.status()).isEqualTo(from);

        RunLifecycle.Outcome outcome = LIFECYCLE.apply(state, event(type, NOW.minus(Duration.ofHours(1))));

        if (expected == null) {
            assertThat(outcome.isAccepted()).as("refused").isFalse();
            assertThat(outcome.field()).isEqualTo("type");
            assertThat(outcome.refusal()).contains("the run is " + from);
        } else {
            assertThat(outcome.isAccepted()).as("accepted: %s", outcome.refusal()).isTrue();
            assertThat(outcome.next().status()).isEqualTo(expected);
        }
    }

    @Test
    void eventsWithinTheClockSkewAreAcceptedAndBeyondItRefused() {
        RunLifecycle.State planned = RunLifecycle.State.planned("a100-east");

        assertThat(LIFECYCLE.apply(planned, started(NOW.plus(Duration.ofMinutes(5)))).isAccepted()).isTrue();
        RunLifecycle.Outcome tooLate = LIFECYCLE.apply(planned, started(NOW.plus(Duration.ofMinutes(6))));
        assertThat(tooLate.isAccepted()).isFalse();
        assertThat(tooLate.field()).isEqualTo("at");
        assertThat(tooLate.refusal()).contains("future");
    }

    @Test
    void aRunCannotEndBeforeItStarted() {
        RunLifecycle.State running = LIFECYCLE.replay("a100-east", List.of(started(START)));
        for (Type end : List.of(Type.FINISHED, Type.FAILED, Type.CANCELLED)) {
            RunLifecycle.Outcome outcome = LIFECYCLE.apply(running, event(end, START.minusSeconds(1)));
            assertThat(outcome.isAccepted()).as(end.toString()).isFalse();
            assertThat(outcome.field()).isEqualTo("at");
            assertThat(outcome.refusal()).contains("before the run started");
        }
        assertThat(LIFECYCLE.apply(running, event(Type.FINISHED, START)).isAccepted()).as("a zero-length run").isTrue();
    }

    @Test
    void actualUseIsTheGivenGpuHoursElseGpusTimesElapsedHours() {
        RunLifecycle.State running = LIFECYCLE.replay("a100-east", List.of(started(START)));

        RunLifecycle.State measured = LIFECYCLE.apply(running, event(Type.FINISHED, END)).next();
        RunLifecycle.State reported = LIFECYCLE.apply(running, new RunEvent(Type.FINISHED, END, new BigDecimal("30.5"), null, null, null)).next();

        assertThat(measured.actualGpuHours()).isEqualByComparingTo("32"); // 4 GPUs x 8 hours
        assertThat(reported.actualGpuHours()).isEqualByComparingTo("30.5");
        assertThat(measured.start()).isEqualTo(START);
        assertThat(measured.end()).isEqualTo(END);
    }

    @Test
    void startedTakesThePlannedPoolUnlessOneIsGiven() {
        RunLifecycle.State planned = RunLifecycle.State.planned("a100-east");

        assertThat(LIFECYCLE.apply(planned, new RunEvent(Type.STARTED, START, null, null, null, null)).next().pool()).isEqualTo("a100-east");
        assertThat(LIFECYCLE.apply(planned, new RunEvent(Type.STARTED, START, null, "h100-west", null, null)).next().pool()).isEqualTo("h100-west");
    }

    @Test
    void aResendIsRecognisedByEventIdOrByContent() {
        RunEvent accepted = new RunEvent(Type.FINISHED, END, new BigDecimal("32"), null, null, "job-7:end");

        assertThat(new RunEvent(Type.FINISHED, END, null, null, null, "job-7:end").repeats(accepted)).as("same id").isTrue();
        assertThat(new RunEvent(Type.FINISHED, END, new BigDecimal("32.000"), null, null, null).repeats(accepted)).as("same content").isTrue();
        assertThat(new RunEvent(Type.FINISHED, END, null, null, null, null).repeats(accepted)).as("content, defaults left out").isTrue();
        assertThat(new RunEvent(Type.FINISHED, END.plusSeconds(60), null, null, null, null).repeats(accepted)).as("another time").isFalse();
        assertThat(new RunEvent(Type.FAILED, END, null, null, null, null).repeats(accepted)).as("another type").isFalse();
        RunEvent sameIdOtherContent = new RunEvent(Type.FINISHED, END.plusSeconds(60), null, null, null, "job-7:end");
        assertThat(sameIdOtherContent.repeats(accepted)).isTrue();
        assertThat(sameIdOtherContent.sameContent(accepted)).as("an id reused for another event").isFalse();
    }
}
