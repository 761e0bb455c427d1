package dev.gpuplan.access;

import java.util.List;
import java.util.Set;

/**
 * The three roles and what each implies. Rights nest: a lead may do everything a researcher may, for every team;
 * an admin everything a lead may (the admin who hands out tokens can also give themselves any of them, so
 * withholding lead rights from admins would protect nothing), plus managing tokens. The nesting lives here only:
 * an identity carries every role its own role implies, so {@code @RolesAllowed(RESEARCHER)} admits leads and admins.
 */
public final class Roles {

    public static final String RESEARCHER = "researcher";
    public static final String LEAD = "lead";
    public static final String ADMIN = "admin";

    public static final List<String> ALL = List.of(RESEARCHER, LEAD, ADMIN);

    private Roles() {
    }

    public static boolean isRole(String role) {
        return ALL.contains(role);
    }

    /** The role and every role below it; empty for a name that is not a role. */
    public static Set<String> implied(String role) {
        if (role == null) {
            return Set.of();
        }
        return switch (role) {
            case ADMIN -> Set.of(ADMIN, LEAD, RESEARCHER);
            case LEAD -> Set.of(LEAD, RESEARCHER);
            case RESEARCHER -> Set.of(RESEARCHER);
            default -> Set.of();
        };
    }
}
