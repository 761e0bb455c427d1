package dev.gpuplan.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.input.PlanRequest;
import dev.gpuplan.service.NotFoundException;
import dev.gpuplan.service.PlanService;

@Path("/api/plans")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class PlanResource {

    private final PlanService plans;

    public PlanResource(PlanService plans) {
        this.plans = plans;
    }

    @POST
    @Operation(summary = "Start solving a plan: {budgetGpuHours, config?, timeLimitSeconds?, proposals?: [keys], perTeam?, portfolio?}; "
            + "answers 202 with Location at once")
    public Response create(String body) {
        Plan plan = plans.create(PlanRequest.read("request body", body));
        return Response.accepted(plan).location(URI.create("/api/plans/" + plan.id())).build();
    }

    @GET
    @Operation(summary = "All plans, newest first")
    public List<Plan> list() {
        return plans.plans();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A plan: QUEUED, SOLVING with the best plan so far, SOLVED, STOPPED or FAILED")
    public Plan get(@PathParam("id") String id) {
        return plans.plan(id).orElseThrow(() -> new NotFoundException("plan \"" + id + "\" does not exist"));
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Stop solving; the best plan so far is kept")
    public Plan stop(@PathParam("id") String id) {
        return plans.stop(id);
    }
}
