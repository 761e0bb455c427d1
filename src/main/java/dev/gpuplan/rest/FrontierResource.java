package dev.gpuplan.rest;

import java.net.URI;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.gpuplan.access.Roles;
import dev.gpuplan.input.FrontierRequest;
import dev.gpuplan.service.FrontierService;
import dev.gpuplan.service.NotFoundException;

@Path("/api/frontiers")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class FrontierResource {

    private final FrontierService frontiers;

    public FrontierResource(FrontierService frontiers) {
        this.frontiers = frontiers;
    }

    @POST
    @Operation(summary = "Start a value-vs-budget frontier: {budgets: [500, 1000] | \"500:4000:250\", config?, timeLimitSeconds? (per point), "
            + "proposals?, perTeam?, portfolio?}; answers 202 with Location at once")
    public Response create(String body) {
        FrontierService.FrontierView frontier = frontiers.create(FrontierRequest.read("request body", body));
        return Response.accepted(frontier).location(URI.create("/api/frontiers/" + frontier.id())).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A frontier: QUEUED, SOLVING with the points solved so far, SOLVED with the monotone curve, or FAILED")
    public FrontierService.FrontierView get(@PathParam("id") String id) {
        return frontiers.frontier(id).orElseThrow(() -> new NotFoundException("frontier \"" + id + "\" does not exist"));
    }
}
