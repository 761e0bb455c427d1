package dev.gpuplan.rest;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.gpuplan.access.Roles;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.analysis.Counterfactuals;
import dev.gpuplan.input.PlanRequest;
import dev.gpuplan.service.NotFoundException;
import dev.gpuplan.service.PlanService;
import dev.gpuplan.service.RunService;
import dev.gpuplan.service.WorkLimits;

/** Researchers submit and read plans and stop their own; leads stop anyone's. */
@Path("/api/plans")
@RolesAllowed(Roles.RESEARCHER)
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class PlanResource {

    private final PlanService plans;
    private final RunService runs;
    private final WorkLimits limits;

    public PlanResource(PlanService plans, WorkLimits limits, RunService runs) {
        this.plans = plans;
        this.limits = limits;
        this.runs = runs;
    }

    @POST
    @Operation(summary = "Start solving a plan: {budgetGpuHours, config?, timeLimitSeconds?, proposals?: [keys], perTeam?, portfolio?}; "
            + "answers 202 with Location at once")
    public Response create(String body) {
        Plan plan = plans.create(PlanRequest.read("request body", body));
        return Response.accepted(plan).location(URI.create("/api/plans/" + plan.id())).build();
    }

    @GET
    @Operation(summary = "Plans newest first, as summaries (no assignments or reasons: GET /api/plans/{id} has them); a page of `limit` "
            + "(default 100, at most 1000) from `cursor`, the next page in the Link header (rel=next)")
    public Response list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor, @Context UriInfo uri) {
        return Pages.response(plans.plans(cursor, limits.pageSize(limit)), uri);
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A plan: QUEUED, SOLVING with the best plan so far, SOLVED, STOPPED or FAILED")
    public Plan get(@PathParam("id") String id) {
        return plans.plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
    }

    @GET
    @Path("{id}/explain/{proposal}")
    @Operation(summary = "Why a proposal is (not) in this plan, and what would change that: {proposal, selected, reasons, "
            + "wouldBeSelectedIf: {valueAtLeast, hoursAtMost, budgetGpuHoursAtLeast}, displaces}; thresholds are verified by re-solving")
    public Map<String, Object> explain(@PathParam("id") String id, @PathParam("proposal") String proposal,
                                       @QueryParam("resolveLimitSeconds") String resolveLimitSeconds) {
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
    public Portfolio portfolio(@PathParam("id") String id) {
        return plans.portfolio(id);
    }

    @GET
    @Path("{a}/diff/{b}")
    @Operation(summary = "What changed from plan a to plan b: runs added, removed, moved; change in expected value and GPU-hours")
    public PlanDiff diff(@PathParam("a") String a, @PathParam("b") String b) {
        return plans.diff(a, b);
    }

    @POST
    @Path("{id}/commit")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Commit a SOLVED plan: each assignment becomes a PLANNED run (409 for a plan that is not SOLVED or infeasible); "
            + "PLANNED runs it leaves out are cancelled; committing again changes nothing")
    public RunService.CommitResult commit(@PathParam("id") String id) {
        return runs.commit(id);
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop solving; the best plan so far is kept")
    public Plan stop(@PathParam("id") String id) {
        return plans.stop(id);
    }
}
