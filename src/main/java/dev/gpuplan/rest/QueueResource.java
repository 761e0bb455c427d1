package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.gpuplan.access.Roles;
import dev.gpuplan.service.JobQueue;

@Path("/api/queue")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.RESEARCHER)
public class QueueResource {

    private final JobQueue queue;

    public QueueResource(JobQueue queue) {
        this.queue = queue;
    }

    @GET
    @Operation(summary = "The job queue over all replicas: {replica (the one answering), queued, solving, queuedByKind, solvingByKind, "
            + "replicas: [{replica, solving, oldestLeaseExpiresAt}]}; kinds are PLAN, FRONTIER_POINT, FRONTIER_REPAIR")
    public JobQueue.QueueState state() {
        return queue.state();
    }
}
