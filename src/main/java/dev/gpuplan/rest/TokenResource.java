package dev.gpuplan.rest;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
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

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.Roles;
import dev.gpuplan.input.TokenRequest;

/** Personal API tokens, managed by admins. A token is in the answer to its creation and nowhere else, ever. */
@Path("/api/tokens")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class TokenResource {

    private final ApiTokens tokens;

    public TokenResource(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Operation(summary = "Make a token: {user, role: researcher|lead|admin, teams: [..], expires?: \"90d\"|\"12h\"|\"never\" "
            + "(default 90d), description?}; the answer holds the token, shown this once")
    public Response create(String body) {
        TokenRequest request = TokenRequest.read("request body", body);
        ApiTokens.Issued issued = tokens.create(request.user(), request.role(), request.teams(), request.validFor(), request.description());
        return Response.created(URI.create("/api/tokens/" + issued.info().id())).entity(issued).build();
    }

    @GET
    @Operation(summary = "Every token (never the token itself): who holds it, role, teams, expiry, revoked or not")
    public List<ApiTokens.TokenView> list() {
        return tokens.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token at once")
    public ApiTokens.TokenView revoke(@PathParam("id") String id) {
        return tokens.revoke(id);
    }
}
