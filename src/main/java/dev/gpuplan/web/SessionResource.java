package dev.gpuplan.web;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.gpuplan.access.ApiTokens;
import dev.gpuplan.access.FailedAttempts;
import dev.gpuplan.access.Roles;
import dev.gpuplan.input.InvalidInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;

/**
 * Signing the page in and out: a personal API token is exchanged for the session cookie that
 * {@link SessionCookieMechanism} reads, with a CSRF cookie beside it. Scripts never see the session cookie. A token
 * that does not sign in counts as a failed attempt of its source, and a source with many is slowed down here as
 * everywhere else a token is checked ({@link FailedAttempts}).
 */
@Path(SessionCookieMechanism.SESSION_PATH)
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record SignIn(String token) {
    }

    public record SignedIn(String user, List<String> roles, List<String> teams) {
    }

    /** How the page may sign in: always with a personal token; through {@code oidc} when a provider is set up for it. */
    public record SignInOptions(boolean token, OidcSignIn oidc) {
    }

    /** "Sign in with {@code provider}" leads to {@code path}. */
    public record OidcSignIn(String provider, String path) {
    }

    /** The OIDC provider's session cookie (quarkus-oidc's default name), cleared on sign-out as well. */
    static final String OIDC_SESSION_COOKIE = "q_session";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiTokens tokens;
    private final FailedAttempts failedAttempts;
    private final SignInOptions options;

    public SessionResource(ApiTokens tokens, FailedAttempts failedAttempts,
                           @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcEnabled,
                           @ConfigProperty(name = "quarkus.oidc.application-type") Optional<String> oidcApplicationType,
                           @ConfigProperty(name = "gpuplan.page.oidc-sign-in", defaultValue = "false") boolean pageSignIn,
                           @ConfigProperty(name = "gpuplan.page.oidc-provider-name") String providerName) {
        this.tokens = tokens;
        this.failedAttempts = failedAttempts;
        // Only the hybrid (and web-app) application types run the authorization code flow the page signs in with;
        // a service-only tenant checks bearer tokens and cannot send a browser to the provider.
        String type = oidcApplicationType.orElse("service");
        boolean browserSignIn = pageSignIn && oidcEnabled && ("hybrid".equalsIgnoreCase(type) || "web-app".equalsIgnoreCase(type));
        this.options = new SignInOptions(true, browserSignIn ? new OidcSignIn(providerName, OidcSignInResource.PATH) : null);
    }

    @GET
    @Operation(summary = "How the page may sign in: with a personal token, and through the OIDC provider when one is set up for the page")
    @APIResponse(responseCode = "200", description = "The sign-in options", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SignInOptions")))
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    public SignInOptions options() {
        return options;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Sign the page in: {token} (a personal API token) → an HttpOnly, SameSite=Strict session cookie and a CSRF cookie")
    @APIResponse(responseCode = "200", description = "Signed in (cookies set): who the caller is", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "Me")))
    @APIResponse(responseCode = "400", ref = "BadInput")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    public Uni<Response> signIn(@RequestBody(required = true, description = "{token}", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "SignIn"))) SignIn body, @Context UriInfo uri, @Context HttpServerRequest request) {
        if (body == null || body.token() == null || body.token().isBlank()) {
            throw InvalidInputException.of("request body", "", "token", "is required: a personal API token (gpuplan token create)");
        }
        String token = body.token().strip();
        boolean secure = secure(uri, request);
        return failedAttempts.guard(FailedAttempts.source(request), () -> Uni.createFrom().item(() -> tokens.holder(token))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                        .map(holder -> holder.orElseThrow(() ->
                                // The same bare 401 as a wrong bearer token: nothing says whether the token exists, expired or was revoked.
                                new AuthenticationFailedException("not a valid, current API token"))))
                .map(holder -> Response.ok(new SignedIn(holder.user(), List.copyOf(Roles.implied(holder.role())), List.copyOf(new TreeSet<>(holder.teams()))))
                        .cookie(cookie(SessionCookieMechanism.SESSION_COOKIE, token, true, secure, -1), csrfCookie(secure))
                        .build());
    }

    static boolean secure(UriInfo uri, HttpServerRequest request) {
        return "https".equalsIgnoreCase(uri.getBaseUri().getScheme()) || "https".equalsIgnoreCase(request.getHeader("X-Forwarded-Proto"));
    }

    /** A fresh CSRF value, readable by the page's scripts (they repeat it in a header), never sent to another site. */
    static NewCookie csrfCookie(boolean secure) {
        byte[] csrf = new byte[32];
        RANDOM.nextBytes(csrf);
        return cookie(SessionCookieMechanism.CSRF_COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(csrf), false, secure, -1);
    }

    @DELETE
    @Operation(summary = "Sign the page out: both cookies are cleared")
    @APIResponse(responseCode = "204", description = "Signed out: both cookies cleared")
    @APIResponse(responseCode = "401", ref = "Unauthorized")
    public Response signOut(@Context UriInfo uri) {
        boolean secure = "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
        // The OIDC session cookie too, when the page signed in through the provider (the provider's own session stays).
        return Response.noContent()
                .cookie(cookie(SessionCookieMechanism.SESSION_COOKIE, "", true, secure, 0),
                        cookie(SessionCookieMechanism.CSRF_COOKIE, "", false, secure, 0),
                        new NewCookie.Builder(OIDC_SESSION_COOKIE).value("").path("/").httpOnly(true).secure(secure).maxAge(0).build())
                .build();
    }

    private static NewCookie cookie(String name, String value, boolean httpOnly, boolean secure, int maxAge) {
        return new NewCookie.Builder(name).value(value).path("/").httpOnly(httpOnly).secure(secure).maxAge(maxAge)
                .sameSite(NewCookie.SameSite.STRICT).build();
    }
}
