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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.Roles;
import dev.gpuplan.input.TokenRequest;

/** Personal API tokens, managed by admins. A token is in the answer to its creation and nowhere else, ever. */
@Path("/api/tokens")
@RolesAllowed(Roles.ADMIN)
@APIResponse(responseCode = "401", ref = "Unauthorized")
@APIResponse(responseCode = "403", ref = "Forbidden")
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
    @APIResponse(responseCode = "201", description = "Made: the token (shown this once) and its listing", headers = @Header(name = "Location", description = "The token's URL (to revoke it)", schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TokenIssued")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "413", ref = "TooLarge")
    @APIResponse(responseCode = "415", ref = "Unsupported")
    public Response create(@RequestBody(required = true, description = "{user, role, teams?, expires?, description?}", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TokenRequest"))) String body) {
        TokenRequest request = TokenRequest.read("request body", body);
        ApiTokens.Issued issued = tokens.create(request.user(), request.role(), request.teams(), request.validFor(), request.description());
        return Response.created(URI.create("/api/tokens/" + issued.info().id())).entity(issued).build();
    }

    @GET
    @Operation(summary = "Every token (never the token itself): who holds it, role, teams, expiry, revoked or not")
    @APIResponse(responseCode = "200", description = "Every token", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TokenViewList")))
    public List<ApiTokens.TokenView> list() {
        return tokens.list();
    }

    @DELETE
    @Path("{id}")
    @Operation(summary = "Revoke a token at once")
    @APIResponse(responseCode = "200", description = "The token, revoked", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "TokenView")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    public ApiTokens.TokenView revoke(@PathParam("id") String id) {
        return tokens.revoke(id);
    }
}
