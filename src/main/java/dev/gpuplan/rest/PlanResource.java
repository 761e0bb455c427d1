package dev.gpuplan.rest;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.input.PlanRequest;
import dev.gpuplan.service.IdempotencyKeys;
import dev.gpuplan.service.NotFoundException;
import dev.gpuplan.service.PlanService;
import dev.gpuplan.service.RunService;
import dev.gpuplan.service.WorkLimits;

/** Researchers submit and read plans and stop their own; leads stop anyone's. */
@Path("/api/plans")
@RolesAllowed(Roles.RESEARCHER)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class PlanResource {

    private final PlanService plans;
    private final RunService runs;
    private final WorkLimits limits;
    private final IdempotencyKeys idempotency;

    public PlanResource(PlanService plans, WorkLimits limits, IdempotencyKeys idempotency, RunService runs) {
        this.plans = plans;
        this.limits = limits;
        this.idempotency = idempotency;
        this.runs = runs;
    }

    @POST
    @Operation(summary = "Start solving a plan: {budgetGpuHours, config?, timeLimitSeconds?, proposals?: [keys], perTeam?, portfolio?}; "
            + "answers 202 with Location at once. With an Idempotency-Key header, a retry with the same key and body gets the first answer "
            + "(the same plan); another body with that key gets 422")
    @APIResponse(responseCode = "202", description = "Accepted: the plan, QUEUED; Location: its URL", headers = @Header(name = "Location", description = "The plan: GET it, or GET its /events", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Plan")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Response create(@Parameter(description = "Any unique string (e.g. a UUID): a retry with the same key and body answers as the first request did") @HeaderParam(Idempotent.HEADER) String idempotencyKey, @RequestBody(required = true, description = "The budget and what to plan", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PlanRequest")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "PlanRequest"))}) String body) {
        return Idempotent.response(idempotency.once(idempotencyKey, "POST /api/plans", body, () -> {
            Plan plan = plans.create(PlanRequest.read("request body", body));
            return Idempotent.answer(Response.Status.ACCEPTED, "/api/plans/" + plan.id(), plan);
        }));
    }

    @GET
    @Operation(summary = "Plans newest first, as summaries (no assignments or reasons: GET /api/plans/{id} has them); a page of `limit` "
            + "(default 100, at most 1000) from `cursor`, the next page in the Link header (rel=next)")
    @APIResponse(responseCode = "200", description = "All plans, newest first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PlanSummaryList")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    public Response list(@Parameter(description = "Plans per page, 1 to 1000 (default 100)") @QueryParam("limit") String limit,
                         @Parameter(description = "Where the page starts: the X-Next-Cursor of the page before") @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return Pages.response(plans.plans(cursor, limits.pageSize(limit)), uri);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A plan: QUEUED, SOLVING with the best plan so far, SOLVED, STOPPED or FAILED")
    @APIResponse(responseCode = "200", description = "The plan", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Plan")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Plan get(@PathParam("id") String id) {
        return plans.plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
    }

    @GET
    @Path("{id}/explain/{proposal}")
    @Operation(summary = "Why a proposal is (not) in this plan, and what would change that: {proposal, selected, reasons, "
            + "wouldBeSelectedIf: {valueAtLeast, hoursAtMost, budgetGpuHoursAtLeast}, displaces}; thresholds are verified by re-solving")
    @APIResponse(responseCode = "200", description = "The explanation", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Explanation")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "Busy")
    public Map<String, Object> explain(@PathParam("id") String id, @PathParam("proposal") String proposal,
                                       @Parameter(description = "Seconds each verifying re-solve may take (default and maximum: the service's limits)") @QueryParam("resolveLimitSeconds") String resolveLimitSeconds) {
        Counterfactuals.Explanation e = plans.explain(id, proposal, limits.explainResolveLimit(resolveLimitSeconds));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("proposal", e.proposal());
        body.put("selected", e.selected());
        body.put("reasons", e.reasons());
        body.put("wouldBeSelectedIf", e.wouldBeSelectedIf());
        body.put("displaces", e.displaces());
        return body;
    }

    @GET
    @Path("{id}/portfolio")
    @Operation(summary = "The portfolio (horizon, budget, pools, proposals) the plan was solved from, as it was then")
    @APIResponse(responseCode = "200", description = "The plan's portfolio", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Portfolio")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Portfolio portfolio(@PathParam("id") String id) {
        return plans.portfolio(id);
    }

    @GET
    @Path("{a}/diff/{b}")
    @Operation(summary = "What changed from plan a to plan b: runs added, removed, moved; change in expected value and GPU-hours")
    @APIResponse(responseCode = "200", description = "The differences", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PlanDiff")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public PlanDiff diff(@PathParam("a") String a, @PathParam("b") String b) {
        return plans.diff(a, b);
    }

    @POST
    @Path("{id}/commit")
    @RolesAllowed(Roles.LEAD)
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Commit a SOLVED plan: each assignment becomes a PLANNED run (409 for a plan that is not SOLVED or infeasible); "
            + "PLANNED runs it leaves out are cancelled; committing again changes nothing")
    @APIResponse(responseCode = "200", description = "Committed: runs created, re-planned, unchanged and cancelled", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CommitResult")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    public RunService.CommitResult commit(@PathParam("id") String id) {
        return runs.commit(id);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop solving, on whichever replica solves it; the best plan so far is kept (a plan whose replica is gone is stopped at once)")
    @APIResponse(responseCode = "200", description = "The plan, STOPPED with its best plan so far (or as it was, when already finished)", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Plan")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public Plan stop(@PathParam("id") String id) {
        return plans.stop(id);
    }
}
