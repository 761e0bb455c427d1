package dev.gpuplan.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import dev.gpuplan.input.Json;
import dev.gpuplan.service.PlanEvents;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * A plan's progress as server-sent events: {@code status} when the status changes, {@code best} when a better plan is
 * found, {@code done} with the final totals (then the stream ends), and a comment line as keep-alive.
 */
@Path("/api/plans/{id}/events")
public class PlanEventsResource {

    private final PlanEvents events;

    public PlanEventsResource(PlanEvents events) {
        this.events = events;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    public Multi<OutboundSseEvent> follow(@PathParam("id") String id, @Context Sse sse) {
        return events.follow(id).map(event -> event.kind() == PlanEvents.Kind.KEEP_ALIVE
                ? sse.newEventBuilder().comment("still " + event.progress().status()).build()
                : sse.newEventBuilder()
                        .name(event.kind().name().toLowerCase(java.util.Locale.ROOT))
                        .id(Long.toString(event.sequence()))
                        .data(Json.write(event.progress()))
                        .build());
    }
}
