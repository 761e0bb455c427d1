package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.Roles;
import dev.gpuplan.input.FrontierRequest;
import dev.gpuplan.service.FrontierService;
import dev.gpuplan.service.IdempotencyKeys;
import dev.gpuplan.service.NotFoundException;

@Path("/api/frontiers")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class FrontierResource {

    private final FrontierService frontiers;
    private final IdempotencyKeys idempotency;

    public FrontierResource(FrontierService frontiers, IdempotencyKeys idempotency) {
        this.frontiers = frontiers;
        this.idempotency = idempotency;
    }

    @POST
    @Operation(summary = "Start a value-vs-budget frontier: {budgets: [500, 1000] | \"500:4000:250\", config?, timeLimitSeconds? (per point), "
            + "proposals?, perTeam?, portfolio?}; answers 202 with Location at once")
    @APIResponse(responseCode = "202", description = "Accepted: the frontier, QUEUED; Location: its URL", headers = @Header(name = "Location", description = "The frontier", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Frontier")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Response create(@Parameter(description = "Any unique string (e.g. a UUID): a retry with the same key and body answers as the first request did") @HeaderParam(Idempotent.HEADER) String idempotencyKey, @RequestBody(required = true, description = "The budgets and what to plan", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FrontierRequest")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "FrontierRequest"))}) String body) {
        return Idempotent.response(idempotency.once(idempotencyKey, "POST /api/frontiers", body, () -> {
            FrontierService.FrontierView frontier = frontiers.create(FrontierRequest.read("request body", body));
            return Idempotent.answer(Response.Status.ACCEPTED, "/api/frontiers/" + frontier.id(), frontier);
        }));
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A frontier: QUEUED, SOLVING with the points solved so far, SOLVED with the monotone curve, or FAILED")
    @APIResponse(responseCode = "200", description = "The frontier", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Frontier")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public FrontierService.FrontierView get(@PathParam("id") String id) {
        return frontiers.frontier(id).orElseThrow(() -> new NotFoundException("frontier \"" + id + "\" does not exist"));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Cancel a frontier: points not yet solved are stopped (one being solved keeps what it found), solved points stay")
    @APIResponse(responseCode = "200", description = "The frontier, CANCELLED with the points solved so far (or as it was, when already finished)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Frontier")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public FrontierService.FrontierView cancel(@PathParam("id") String id) {
        return frontiers.cancel(id);
    }
}
