package dev.gpuplan.rest;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Ledger;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.input.PeriodRequest;
import dev.gpuplan.service.LedgerService;
import dev.gpuplan.service.RunService;

@RolesAllowed(Roles.RESEARCHER)
@Path("/api/budget")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class BudgetResource {

    private final LedgerService ledger;
    private final RunService runs;

    public BudgetResource(LedgerService ledger, RunService runs) {
        this.ledger = ledger;
        this.runs = runs;
    }

    @GET
    @Operation(summary = "The planning period's ledger: {budgetGpuHours, spentGpuHours, committedGpuHours, freeGpuHours, reserveGpuHours, "
            + "gatedFreedGpuHours, perTeam: {team: {same fields}}}; the reserve is that of the config named (default: default)")
    @APIResponse(responseCode = "200", description = "The ledger as of now", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Ledger")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Ledger get(@Parameter(description = "Planning config whose reserve applies (default: default)") @QueryParam("config") String config) {
        return ledger.ledger(config);
    }

    @PUT
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Set the planning period's budget: {gpuHours, perTeam?, start?, end?} (start and end default to the stored horizon's)")
    @APIResponse(responseCode = "200", description = "The period as stored", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PlanningPeriod")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public PlanningPeriod put(@RequestBody(required = true, description = "{gpuHours, perTeam?, start?, end?}", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PeriodRequest")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "PeriodRequest"))}) String body) {
        return runs.putPeriod(PeriodRequest.read("request body", body));
    }
}
