package dev.gpuplan.rest;

import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
import dev.gpuplan.domain.Run;
import dev.gpuplan.domain.RunStatus;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.input.RunEventReader;
import dev.gpuplan.service.RunService;

@RolesAllowed(Roles.RESEARCHER)
@Path("/api/runs")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
@Consumes({MediaType.APPLICATION_JSON, "application/yaml"})
public class RunResource {

    private final RunService runs;

    public RunResource(RunService runs) {
        this.runs = runs;
    }

    @GET
    @Operation(summary = "The latest run of every committed proposal, optionally of one status (PLANNED, STARTED, FINISHED, FAILED, "
            + "CANCELLED) and one team")
    @APIResponse(responseCode = "200", description = "The latest attempt of each committed proposal, in proposal order", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RunList")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public List<Run> list(@Parameter(description = "Only runs in this status", schema = @Schema(ref = "RunStatus")) @QueryParam("status") String status,
                          @Parameter(description = "Only runs of this team") @QueryParam("team") String team) {
        return runs.runs(status(status), team == null || team.isBlank() ? null : team);
    }

    @GET
    @Path("{proposal}")
    @Operation(summary = "Every attempt of one proposal, oldest first")
    @APIResponse(responseCode = "200", description = "Its attempts, oldest first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RunList")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public List<Run> attempts(@PathParam("proposal") String proposal) {
        return runs.attempts(proposal);
    }

    @POST
    @Path("{proposal}/events")
    @Operation(summary = "Record what happened to the proposal's run: one event or an array {type: STARTED|FINISHED|FAILED|CANCELLED, "
            + "at, gpuHours?, pool?, reason?, eventId?}, applied in order, all or nothing; a resend is accepted once")
    @APIResponse(responseCode = "200", description = "Recorded: the run afterwards, events stored and resends accepted", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventsResult")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public RunService.EventsResult events(@PathParam("proposal") String proposal, @RequestBody(required = true, description = "One event, or an array of events applied in order", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RunEventOrBatch")),
            @Content(mediaType = "application/yaml", schema = @Schema(ref = "RunEventOrBatch"))}) String body) {
        return runs.record(proposal, RunEventReader.read("request body", body));
    }

    private static RunStatus status(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return RunStatus.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.of("query", "", "status", "must be one of PLANNED, STARTED, FINISHED, FAILED, CANCELLED, got \"" + text + "\"");
        }
    }
}
