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

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.input.PortfolioReader;
import dev.gpuplan.service.CatalogService;
import dev.gpuplan.service.NotFoundException;

/** The pools and the planning horizon that plans without a portfolio of their own are solved on; leads set them. */
@Path("/api")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class ClusterResource {

    private final CatalogService catalog;

    public ClusterResource(CatalogService catalog) {
        this.catalog = catalog;
    }

    @GET
    @Path("pools")
    public List<Pool> pools() {
        return catalog.pools();
    }

    @PUT
    @Path("pools")
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Replace all pools")
    public List<Pool> replacePools(String body) {
        return catalog.replacePools(PortfolioReader.readPools("request body", body));
    }

    @GET
    @Path("horizon")
    public Horizon horizon() {
        return catalog.storedHorizon().orElseThrow(() -> new NotFoundException("no horizon is set: PUT /api/horizon"));
    }

    @PUT
    @Path("horizon")
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Set the horizon: {start, days | hours, slotMinutes}")
    public Horizon replaceHorizon(String body) {
        return catalog.replaceHorizon(PortfolioReader.readHorizon("request body", body));
    }
}
