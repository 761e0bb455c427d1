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

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Ledger;
import dev.gpuplan.domain.PlanningPeriod;
import dev.gpuplan.input.PeriodRequest;
import dev.gpuplan.service.LedgerService;
import dev.gpuplan.service.RunService;

@RolesAllowed(Roles.RESEARCHER)
@Path("/api/budget")
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
    public Ledger get(@QueryParam("config") String config) {
        return ledger.ledger(config);
    }

    @PUT
    @RolesAllowed(Roles.LEAD)
    @Operation(summary = "Set the planning period's budget: {gpuHours, perTeam?, start?, end?} (start and end default to the stored horizon's)")
    public PlanningPeriod put(String body) {
        return runs.putPeriod(PeriodRequest.read("request body", body));
    }
}
