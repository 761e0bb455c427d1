package dev.gpuplan.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

import dev.gpuplan.access.ApiTokenRequest;
import dev.gpuplan.access.FailedAttempts;

/**
 * The page's session: the personal API token a user signed in with ({@link SessionResource}), carried in an
 * HttpOnly, SameSite=Strict cookie and checked exactly as the same token sent as a bearer token would be, so the
 * page has its user's rights and no more. A request that changes something must also repeat the CSRF cookie's
 * value in the {@value #CSRF_HEADER} header (double submit): a page on another site can make the browser send the
 * cookie, but cannot read it to write the header. A request with an Authorization header is left to the bearer
 * mechanism, and so is the sign-in request itself (an old cookie must not stand in its way); the cookie is read for
 * the API only, so a stale one never keeps the page itself from loading. A cookie that holds no valid token counts
 * as a failed attempt of its source, like a wrong bearer token ({@link FailedAttempts}).
 * <p>
 * A page signed in through the OIDC provider ({@link OidcSignInResource}) carries the provider's session cookie
 * instead, which quarkus-oidc reads; the same CSRF rule holds for it, and is checked here, before that mechanism runs.
 */
@ApplicationScoped
public class SessionCookieMechanism implements HttpAuthenticationMechanism {

    public static final String SESSION_COOKIE = "gpuplan-session";
    public static final String CSRF_COOKIE = "gpuplan-csrf";
    public static final String CSRF_HEADER = "X-CSRF-Token";
    static final String SESSION_PATH = "/api/session";

    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final FailedAttempts failedAttempts;

    public SessionCookieMechanism(FailedAttempts failedAttempts) {
        this.failedAttempts = failedAttempts;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        Cookie session = context.request().getCookie(SESSION_COOKIE);
        String path = context.normalizedPath();
        if (context.request().getHeader(HttpHeaderNames.AUTHORIZATION) != null || !path.startsWith("/api/") || SESSION_PATH.equals(path)) {
            return Uni.createFrom().nullItem();
        }
        boolean change = !SAFE.contains(context.request().method());
        if (session == null) {
            if (change && hasOidcSession(context) && !csrfMatches(context)) {
                return Uni.createFrom().failure(new AuthenticationFailedException(
                        "a change made with the page's OIDC session needs the " + CSRF_HEADER + " header"));
            }
            return Uni.createFrom().nullItem(); // the OIDC mechanism (when on) reads its own session cookie
        }
        if (change && !csrfMatches(context)) {
            return Uni.createFrom().failure(new AuthenticationFailedException(
                    "a change made with the page's session cookie needs the " + CSRF_HEADER + " header"));
        }
        return failedAttempts.guard(FailedAttempts.source(context.request()), () -> identityProviderManager.authenticate(
                HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(session.getValue()), context)));
    }

    /** quarkus-oidc's session cookie, whole or split into chunks ({@code q_session}, {@code q_session_chunk_1}, ...). */
    private static boolean hasOidcSession(RoutingContext context) {
        return context.request().cookies().stream().anyMatch(c -> c.getName().startsWith(SessionResource.OIDC_SESSION_COOKIE));
    }

    static boolean csrfMatches(RoutingContext context) {
        Cookie cookie = context.request().getCookie(CSRF_COOKIE);
        String header = context.request().getHeader(CSRF_HEADER);
        return cookie != null && header != null && !header.isEmpty()
                && MessageDigest.isEqual(cookie.getValue().getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, null, null));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.COOKIE, SESSION_COOKIE));
    }

    /** After the bearer mechanism: a request that carries both is judged by its Authorization header. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 50;
    }
}
