package dev.gpuplan.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives every signed-in identity its gpuplan user, role and teams, whichever way it came in: from the stored token
 * (personal API tokens) or from the claims of an OIDC token (claim names configurable). The identity's roles are
 * replaced by the role and the roles it implies ({@link Roles#implied}); roles an identity provider put in other
 * claims (such as {@code groups}) grant nothing here. An OIDC token without a role claim gets no role: it is
 * signed in, and refused (403) everywhere.
 */
@ApplicationScoped
public class AccessAugmentor implements SecurityIdentityAugmentor {

    private final String userClaim;
    private final String teamClaim;
    private final String roleClaim;

    public AccessAugmentor(@ConfigProperty(name = "gpuplan.access.oidc.user-claim") String userClaim,
                           @ConfigProperty(name = "gpuplan.access.oidc.team-claim") String teamClaim,
                           @ConfigProperty(name = "gpuplan.access.oidc.role-claim") String roleClaim) {
        this.userClaim = userClaim;
        this.teamClaim = teamClaim;
        this.roleClaim = roleClaim;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        String tokenRole = identity.getAttribute(ApiTokenIdentityProvider.TOKEN_ROLE);
        if (tokenRole != null) {
            Set<String> teams = identity.getAttribute(Caller.TEAMS);
            return Uni.createFrom().item(rebuild(identity, identity.getPrincipal().getName(), tokenRole, teams));
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            List<String> users = strings(jwt.getClaim(userClaim));
            String user = users.isEmpty() ? jwt.getName() : users.get(0);
            String role = highestRole(strings(jwt.getClaim(roleClaim)));
            return Uni.createFrom().item(rebuild(identity, user, role, new LinkedHashSet<>(strings(jwt.getClaim(teamClaim)))));
        }
        return Uni.createFrom().item(identity);
    }

    private static SecurityIdentity rebuild(SecurityIdentity identity, String user, String role, Set<String> teams) {
        QuarkusSecurityIdentity.Builder builder = QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user))
                .addCredentials(identity.getCredentials())
                .addAttributes(identity.getAttributes())
                .addAttribute(Caller.TEAMS, teams == null ? Set.of() : Set.copyOf(teams))
                .addRoles(Roles.implied(role))
                .addPermissionChecker(identity::checkPermission);
        return builder.build();
    }

    /** Of several role names, the one that grants most; null when none is a gpuplan role. */
    private static String highestRole(List<String> names) {
        for (String role : List.of(Roles.ADMIN, Roles.LEAD, Roles.RESEARCHER)) {
            if (names.contains(role)) {
                return role;
            }
        }
        return null;
    }

    /** A claim as strings: a string (comma-separated lists allowed), or an array of strings. */
    private static List<String> strings(Object claim) {
        List<String> values = new ArrayList<>();
        if (claim == null) {
            return values;
        }
        if (claim instanceof JsonArray array) {
            array.forEach(v -> values.addAll(strings(v)));
        } else if (claim instanceof JsonString string) {
            values.addAll(strings(string.getString()));
        } else if (claim instanceof Collection<?> collection) {
            collection.forEach(v -> values.addAll(strings(v)));
        } else if (claim instanceof String string) {
            for (String part : string.split(",")) {
                if (!part.isBlank()) {
                    values.add(part.strip());
                }
            }
        } else if (!(claim instanceof JsonValue)) {
            values.add(claim.toString());
        }
        return values;
    }
}
