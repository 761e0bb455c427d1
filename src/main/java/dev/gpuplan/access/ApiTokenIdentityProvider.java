package dev.gpuplan.access;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns a personal API token into an identity: its user as principal, its role and teams as attributes (which
 * {@link AccessAugmentor} turns into roles and teams, the same way as for OIDC identities). An unknown, expired or
 * revoked token fails the same way, so a failure says nothing about which it was.
 */
@ApplicationScoped
public class ApiTokenIdentityProvider implements IdentityProvider<ApiTokenRequest> {

    /** The identity attribute holding the token's stored role. */
    static final String TOKEN_ROLE = "gpuplan.token.role";
    /** The identity attribute holding the token's id (never the token). */
    static final String TOKEN_ID = "gpuplan.token.id";

    private final ApiTokens tokens;

    public ApiTokenIdentityProvider(ApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<ApiTokenRequest> getRequestType() {
        return ApiTokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(ApiTokenRequest request, AuthenticationRequestContext context) {
        return context.runBlocking(() -> {
            Optional<ApiTokens.Holder> holder = tokens.holder(request.token());
            if (holder.isEmpty()) {
                throw new AuthenticationFailedException("invalid token");
            }
            return QuarkusSecurityIdentity.builder()
                    .setPrincipal(new QuarkusPrincipal(holder.get().user()))
                    .addAttribute(TOKEN_ROLE, holder.get().role())
                    .addAttribute(TOKEN_ID, holder.get().tokenId())
                    .addAttribute(Caller.TEAMS, holder.get().teams())
                    .build();
        });
    }
}
