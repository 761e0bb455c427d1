package dev.gpuplan.rest;

import java.util.List;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.Caller;
import dev.gpuplan.access.Roles;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;

/** Who the service takes the caller to be: what {@code gpuplan login} checks a token with. */
@Path("/api/me")
@Authenticated
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    /** {@code roles}: the caller's role and the roles it includes; empty for an OIDC token without a gpuplan role. */
    public record Me(String user, List<String> roles, List<String> teams) {
    }

    private final SecurityIdentity identity;
    private final Caller caller;

    public MeResource(SecurityIdentity identity, Caller caller) {
        this.identity = identity;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "The signed-in user, their roles and their teams")
    @APIResponse(responseCode = "200", description = "Who the caller is", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Me")))
    public Me me() {
        return new Me(caller.name(), Roles.ALL.stream().filter(identity::hasRole).toList(), List.copyOf(new TreeSet<>(caller.teams())));
    }
}
