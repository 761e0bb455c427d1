package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.Roles;
import dev.gpuplan.service.JobQueue;

@Path("/api/queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
public class QueueResource {

    private final JobQueue queue;

    public QueueResource(JobQueue queue) {
        this.queue = queue;
    }

    @GET
    @Operation(summary = "The job queue over all replicas: {replica (the one answering), queued, solving, queuedByKind, solvingByKind, "
            + "replicas: [{replica, solving, oldestLeaseExpiresAt}]}; kinds are PLAN, FRONTIER_POINT, FRONTIER_REPAIR")
    @APIResponse(responseCode = "200", description = "The queue now", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "QueueState")))
    public JobQueue.QueueState state() {
        return queue.state();
    }
}
