package dev.gpuplan.access;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

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
import io.vertx.ext.web.RoutingContext;

/**
 * Reads {@code Authorization: Bearer gpt_...} (personal API tokens). A request without the header is anonymous
 * (open endpoints answer, the others 401). A header that is not a bearer token, or a bearer token that is not ours
 * while OIDC is off, fails at once; a bearer token of another shape is left to the OIDC mechanism when OIDC is on.
 * Every failure is the same bare 401, whatever was wrong, and is counted per source ({@link FailedAttempts}).
 */
@ApplicationScoped
public class ApiTokenMechanism implements HttpAuthenticationMechanism {

    private static final String BEARER = "Bearer ";

    private final FailedAttempts failedAttempts;
    private final boolean oidcEnabled;

    public ApiTokenMechanism(FailedAttempts failedAttempts,
                             @ConfigProperty(name = "quarkus.oidc.tenant-enabled", defaultValue = "true") boolean oidcEnabled) {
        this.failedAttempts = failedAttempts;
        this.oidcEnabled = oidcEnabled;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String header = context.request().getHeader(HttpHeaderNames.AUTHORIZATION);
        if (header == null) {
            return Uni.createFrom().nullItem();
        }
        String token = header.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? header.substring(BEARER.length()).strip() : null;
        if (token != null && !ApiTokens.looksLikeOurs(token) && oidcEnabled) {
            return Uni.createFrom().nullItem();
        }
        return failedAttempts.guard(FailedAttempts.source(context.request()), () -> token == null || !ApiTokens.SHAPE.matcher(token).matches()
                ? Uni.createFrom().failure(new AuthenticationFailedException("not a valid credential"))
                : identityProviderManager.authenticate(HttpSecurityUtils.setRoutingContextAttribute(new ApiTokenRequest(token), context)));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().item(new ChallengeData(401, HttpHeaderNames.WWW_AUTHENTICATE, "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(ApiTokenRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.AUTHORIZATION, "bearer"));
    }

    /** Before the OIDC mechanism, which would otherwise try to read a {@code gpt_} token as a JWT. */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }
}
