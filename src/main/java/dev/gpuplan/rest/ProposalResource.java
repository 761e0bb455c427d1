package dev.gpuplan.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.service.CatalogService;
import dev.gpuplan.service.IdempotencyKeys;
import dev.gpuplan.service.NotFoundException;
import dev.gpuplan.service.WorkLimits;

/** Everyone signed in reads proposals; a researcher changes their own teams' proposals, a lead every team's. */
@Path("/api/proposals")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class ProposalResource {

    private final CatalogService catalog;
    private final WorkLimits limits;
    private final IdempotencyKeys idempotency;

    public ProposalResource(CatalogService catalog, WorkLimits limits, IdempotencyKeys idempotency) {
        this.catalog = catalog;
        this.limits = limits;
        this.idempotency = idempotency;
    }

    @POST
    @Operation(summary = "Add one proposal (an object) or a batch (an array); a batch is all-or-nothing. "
            + "With an Idempotency-Key header, a retry with the same key and body gets the first answer; another body gets 422")
    @APIResponse(responseCode = "201", description = "Stored: the proposal (Location: its URL) or the batch (Location: /api/proposals)", headers = @Header(name = "Location", description = "The stored proposal, or /api/proposals for a batch", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposalOrBatch")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    public Response create(@Parameter(description = "Any unique string (e.g. a UUID): a retry with the same key and body answers as the first request did") @HeaderParam(Idempotent.HEADER) String idempotencyKey,
                           @RequestBody(required = true, description = "A proposal, or an array of proposals", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposalOrBatch")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "ProposalOrBatch"))}) String body) {
        return Idempotent.response(idempotency.once(idempotencyKey, "POST /api/proposals", body, () -> {
            List<Proposal> proposals = PortfolioReader.readProposals("request body", body);
            catalog.create(proposals);
            boolean single = !body.stripLeading().startsWith("[");
            if (single && proposals.size() == 1) {
                return Idempotent.answer(Response.Status.CREATED, "/api/proposals/" + proposals.get(0).key(), proposals.get(0));
            }
            return Idempotent.answer(Response.Status.CREATED, "/api/proposals", proposals);
        }));
    }

    @GET
    @Operation(summary = "List proposals in key order, optionally of one team and one status (selected, unselected, unplanned: from the "
            + "newest solved plan); a page of `limit` (default 100, at most 1000) from `cursor`, the next page in the Link header (rel=next)")
    @APIResponse(responseCode = "200", description = "The stored proposals in key order", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ProposalListEntryList")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    public Response list(@Parameter(description = "Only proposals of this team") @QueryParam("team") String team,
                         @Parameter(description = "Only proposals with this status in the newest solved plan", schema = @Schema(enumeration = {"selected", "unselected", "unplanned"})) @QueryParam("status") String status,
                         @Parameter(description = "Proposals per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
                         @Parameter(description = "Where the page starts: the X-Next-Cursor of the page before") @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return Pages.response(catalog.proposals(team, status, cursor, limits.pageSize(limit)), uri);
    }

    @GET
    @Path("{key}")
    @APIResponse(responseCode = "200", description = "The proposal", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Proposal")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Proposal get(@PathParam("key") String key) {
        return catalog.proposal(key).orElseThrow(() -> new NotFoundException("proposal \"" + key + "\" does not exist"));
    }

    @PUT
    @Path("{key}")
    @Operation(summary = "Replace a proposal (or create it)")
    @APIResponse(responseCode = "200", description = "Replaced", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Proposal")))
    @APIResponse(responseCode = "201", description = "Created", headers = @Header(name = "Location", description = "The proposal", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Proposal")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public Response replace(@PathParam("key") String key, @RequestBody(required = true, description = "The proposal; its key must be the path's", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Proposal")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "Proposal"))}) String body) {
        List<Proposal> proposals = PortfolioReader.readProposals("request body", body);
        if (proposals.size() != 1) {
            throw dev.gpuplan.input.InvalidInputException.of("request body", "", "", "must be one proposal");
        }
        boolean created = catalog.replace(key, proposals.get(0));
        return (created ? Response.created(URI.create("/api/proposals/" + key)) : Response.ok()).entity(proposals.get(0)).build();
    }

    @DELETE
    @Path("{key}")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public Response delete(@PathParam("key") String key) {
        catalog.delete(key);
        return Response.noContent().build();
    }
}
