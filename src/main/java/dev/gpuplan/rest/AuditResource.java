package dev.gpuplan.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.AuditLog;
import dev.gpuplan.access.Roles;
import dev.gpuplan.input.InvalidInputException;

/** The audit trail, for leads and admins. */
@Path("/api/audit")
@RolesAllowed(Roles.LEAD)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    static final int MAX_LIMIT = 1000;

    private final AuditLog audit;

    public AuditResource(AuditLog audit) {
        this.audit = audit;
    }

    @GET
    @Operation(summary = "Changes, newest first: who, when, what, and the entity before and after. entity=proposal or "
            + "entity=proposal/KEY (types: proposal, pools, horizon, plan, frontier, token), actor=USER, since=ISO-8601 instant; "
            + "limit (default 100, at most 1000) and offset page through them")
    @APIResponse(responseCode = "200", description = "Entries, newest first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "AuditEntryList")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    public List<AuditLog.Entry> list(@Parameter(description = "TYPE or TYPE/ID, e.g. proposal or proposal/baseline-1b") @QueryParam("entity") String entity,
                                     @Parameter(description = "Only changes by this user") @QueryParam("actor") String actor,
                                     @Parameter(description = "Only changes at or after this ISO-8601 instant") @QueryParam("since") String since,
                                     @Parameter(description = "Entries per page, 1 to 1000") @QueryParam("limit") @DefaultValue("100") int limit,
                                     @Parameter(description = "Entries to skip, >= 0") @QueryParam("offset") @DefaultValue("0") int offset) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw InvalidInputException.of("query", "", "limit", "must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw InvalidInputException.of("query", "", "offset", "must be 0 or more, got " + offset);
        }
        return audit.entries(entity, actor, parseInstant(since), offset, limit);
    }

    private static Instant parseInstant(String since) {
        if (since == null || since.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw InvalidInputException.of("query", "", "since", "must be an ISO-8601 instant such as 2026-12-01T00:00:00Z, got \"" + since + "\"");
        }
    }
}
