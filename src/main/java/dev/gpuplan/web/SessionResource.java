package dev.gpuplan.web;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.Roles;
import dev.gpuplan.input.InvalidInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing the page in and out: a personal API token is exchanged for the session cookie that
 * {@link SessionCookieMechanism} reads, with a CSRF cookie beside it. Scripts never see the session cookie.
 */
@Path(SessionCookieMechanism.SESSION_PATH)
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record SignIn(String token) {
    }

    public record SignedIn(String user, List<String> roles, List<String> teams) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiTokens tokens;

    public SessionResource(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign the page in: {token} (a personal API token) → an HttpOnly, SameSite=Strict session cookie and a CSRF cookie")
    @APIResponse(responseCode = "200", description = "Signed in (cookies set): who the caller is", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Me")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    public Response signIn(@RequestBody(required = true, description = "{token}", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SignIn"))) SignIn body, @Context UriInfo uri, @Context HttpServerRequest request) {
        if (body == null || body.token() == null || body.token().isBlank()) {
            throw InvalidInputException.of("request body", "", "token", "is required: a personal API token (gpuplan token create)");
        }
        ApiTokens.Holder holder = tokens.holder(body.token().strip()).orElse(null);
        if (holder == null) {
            // The same bare 401 as a wrong bearer token: nothing says whether the token exists, expired or was revoked.
            throw new AuthenticationFailedException("not a valid, current API token");
        }
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme())
                || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
        byte[] csrf = new byte[32];
        RANDOM.nextBytes(csrf);
        return Response.ok(new SignedIn(holder.user(), List.copyOf(Roles.implied(holder.role())), List.copyOf(new TreeSet<>(holder.teams()))))
                .cookie(cookie(SessionCookieMechanism.SESSION_COOKIE, body.token().strip(), true, secure, -1),
                        cookie(SessionCookieMechanism.CSRF_COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(csrf), false, secure, -1))
                .build();
    }

    @DELETE
    @Operation(summary = "Sign the page out: both cookies are cleared")
    @APIResponse(responseCode = "204", description = "Signed out: both cookies cleared")
    public Response signOut(@Context UriInfo uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        return Response.noContent()
                .cookie(cookie(SessionCookieMechanism.SESSION_COOKIE, "", true, secure, 0),
                        cookie(SessionCookieMechanism.CSRF_COOKIE, "", false, secure, 0))
                .build();
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
