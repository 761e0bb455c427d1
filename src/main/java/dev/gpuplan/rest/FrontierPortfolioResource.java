package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.service.Snapshots;

/** The portfolio a frontier solves at each of its budgets. */
@Path("/api/frontiers/{id}/portfolio")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class FrontierPortfolioResource {

    private final Snapshots snapshots;

    public FrontierPortfolioResource(Snapshots snapshots) {
        this.snapshots = snapshots;
    }

    @GET
    @Operation(summary = "The portfolio snapshot a frontier is solved from (horizon, budget, pools, proposals)")
    @APIResponse(responseCode = "200", description = "The portfolio, as it was when the frontier was submitted", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Portfolio")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Portfolio get(@PathParam("id") String id) {
        return snapshots.ofFrontier(id);
    }
}
