package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.Roles;
import dev.gpuplan.input.Json;
import dev.gpuplan.service.PlanEvents;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;

/**
 * A plan's progress as server-sent events: {@code status} when the status changes, {@code best} when a better plan is
 * found, {@code done} with the final totals (then the stream ends), and a comment line as keep-alive. Whoever may read
 * the plan may follow it.
 */
@Path("/api/plans/{id}/events")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class PlanEventsResource {

    private final PlanEvents events;

    public PlanEventsResource(PlanEvents events) {
        this.events = events;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "A plan's progress as server-sent events: status (the status changed), best (a better plan so far), "
            + "done (the final totals; the stream ends); each event's data is a PlanProgress; comment lines keep the connection alive")
    @APIResponse(responseCode = "200", description = "An event stream (text/event-stream) of PlanProgress documents",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "PlanProgress")))
    @APIResponse(responseCode = "404", ref = "NotFound")
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
