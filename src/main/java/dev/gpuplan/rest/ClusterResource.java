package dev.gpuplan.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.service.CatalogService;
import dev.gpuplan.service.NotFoundException;

/** The pools and the planning horizon that plans without a portfolio of their own are solved on; leads set them. */
@Path("/api")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class ClusterResource {

    private final CatalogService catalog;

    public ClusterResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("pools")
    @APIResponse(responseCode = "200", description = "The pools", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PoolList")))
    public List<Pool> pools() {
        return catalog.pools();
    }

    @PUT
    @Path("pools")
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Replace all pools")
    @APIResponse(responseCode = "200", description = "The pools as stored", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PoolList")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public List<Pool> replacePools(@RequestBody(required = true, description = "Every pool (a list); stored proposals must still fit their GPU types", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PoolList")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "PoolList"))}) String body) {
        return catalog.replacePools(PortfolioReader.readPools("request body", body));
    }

    @GET
    @Path("horizon")
    @APIResponse(responseCode = "200", description = "The stored horizon", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Horizon")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Horizon horizon() {
        return catalog.storedHorizon().orElseThrow(() -> new NotFoundException("no horizon is set: PUT /api/horizon"));
    }

    @PUT
    @Path("horizon")
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Set the horizon: {start, days | hours, slotMinutes}")
    @APIResponse(responseCode = "200", description = "The horizon as stored", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Horizon")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public Horizon replaceHorizon(@RequestBody(required = true, description = "{start, days | hours, slotMinutes}", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "HorizonInput")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "HorizonInput"))}) String body) {
        return catalog.replaceHorizon(PortfolioReader.readHorizon("request body", body));
    }
}
