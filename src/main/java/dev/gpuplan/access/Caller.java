package dev.gpuplan.access;

import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who the current request is made by, and the ownership rules that roles alone cannot express (a researcher
 * changes their own teams' proposals and stops their own plans). Work the service does on its own, outside a
 * request (solving, restarts), is done by {@value #SYSTEM}.
 */
@ApplicationScoped
public class Caller {

    /** The identity attribute holding the caller's teams, a {@code Set<String>} (set by {@link AccessAugmentor}). */
    public static final String TEAMS = "gpuplan.teams";
    public static final String SYSTEM = "system";

    private final SecurityIdentity identity;

    public Caller(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String name() {
        SecurityIdentity current = current();
        return current == null ? SYSTEM : current.getPrincipal().getName();
    }

    public Set<String> teams() {
        SecurityIdentity current = current();
        Set<String> teams = current == null ? null : current.getAttribute(TEAMS);
        return teams == null ? Set.of() : teams;
    }

    /** Leads and admins act for every team; so does the service itself. */
    public boolean actsForEveryTeam() {
        SecurityIdentity current = current();
        return current == null || current.hasRole(Roles.LEAD);
    }

    /** Refuses (403) unless the caller may act for {@code team}; {@code what} completes "may not ...". */
    public void requireTeam(String team, String what) {
        if (!actsForEveryTeam() && !teams().contains(team)) {
            throw new AccessDeniedException(name() + " may not " + what + " of team \"" + team + "\" (a researcher acts for "
                    + (teams().isEmpty() ? "no team" : "team(s) " + String.join(", ", new TreeSet<>(teams()))) + ")");
        }
    }

    /** Refuses (403) unless the caller is {@code owner} or a lead; {@code what} completes "may not ...". */
    public void requireSelfOrLead(String owner, String what) {
        if (!actsForEveryTeam() && !name().equals(owner)) {
            throw new AccessDeniedException(name() + " may not " + what + ": only its submitter or a lead may");
        }
    }

    /** The request's identity, or null outside a request or when nobody is signed in. */
    private SecurityIdentity current() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        return identity.isAnonymous() ? null : identity;
    }
}
