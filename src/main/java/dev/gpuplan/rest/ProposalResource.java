package dev.gpuplan.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.service.CatalogService;
import dev.gpuplan.service.NotFoundException;
import dev.gpuplan.service.WorkLimits;

/** Everyone signed in reads proposals; a researcher changes their own teams' proposals, a lead every team's. */
@Path("/api/proposals")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class ProposalResource {

    private final CatalogService catalog;
    private final WorkLimits limits;

    public ProposalResource(CatalogService catalog, WorkLimits limits) {
        this.catalog = catalog;
        this.limits = limits;
    }

    @POST
    @Operation(summary = "Add one proposal (an object) or a batch (an array); a batch is all-or-nothing")
    public Response create(@RequestBody(description = "A proposal, or an array of proposals (SPEC field names)") String body) {
        List<Proposal> proposals = PortfolioReader.readProposals("request body", body);
        catalog.create(proposals);
        boolean single = !body.stripLeading().startsWith("[");
        if (single && proposals.size() == 1) {
            return Response.created(URI.create("/api/proposals/" + proposals.get(0).key())).entity(proposals.get(0)).build();
        }
        return Response.created(URI.create("/api/proposals")).entity(proposals).build();
    }

    @GET
    @Operation(summary = "List proposals in key order, optionally of one team and one status (selected, unselected, unplanned: from the "
            + "newest solved plan); a page of `limit` (default 100, at most 1000) from `cursor`, the next page in the Link header (rel=next)")
    public Response list(@QueryParam("team") String team, @QueryParam("status") String status, @QueryParam("limit") String limit,
                         @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return Pages.response(catalog.proposals(team, status, cursor, limits.pageSize(limit)), uri);
    }

    @GET
    @Path("{key}")
    public Proposal get(@PathParam("key") String key) {
        return catalog.proposal(key).orElseThrow(() -> new NotFoundException("proposal \"" + key + "\" does not exist"));
    }

    @PUT
    @Path("{key}")
    @Operation(summary = "Replace a proposal (or create it)")
    public Response replace(@PathParam("key") String key, String body) {
        List<Proposal> proposals = PortfolioReader.readProposals("request body", body);
        if (proposals.size() != 1) {
            throw dev.gpuplan.input.InvalidInputException.of("request body", "", "", "must be one proposal");
        }
        boolean created = catalog.replace(key, proposals.get(0));
        return (created ? Response.created(URI.create("/api/proposals/" + key)) : Response.ok()).entity(proposals.get(0)).build();
    }

    @DELETE
    @Path("{key}")
    public Response delete(@PathParam("key") String key) {
        catalog.delete(key);
        return Response.noContent().build();
    }
}
