package dev.gpuplan.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.persistence.ApiTokenEntity;
import dev.gpuplan.service.NotFoundException;
import io.quarkus.panache.common.Sort;

/**
 * Personal API tokens: {@code gpt_} and 32 random bytes in base64url. A token is shown once, when it is made; the
 * database keeps only its SHA-256, so a copy of the database does not let anyone in. Tokens expire and can be revoked.
 */
@ApplicationScoped
public class ApiTokens {

    public static final String PREFIX = "gpt_";
    /** What every token looks like: anything else is refused before the database is asked. */
    static final Pattern SHAPE = Pattern.compile("gpt_[A-Za-z0-9_-]{43}");
    private static final Pattern USER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,199}");
    private static final Pattern TEAM = Pattern.compile("[^,\\s][^,]{0,199}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token as it is made: the only time {@code token} is known to anyone but its holder. */
    public record Issued(String token, TokenView info) {
    }

    /** A stored token as listed: never the token, nor its hash. */
    public record TokenView(String id, String user, String role, List<String> teams, String description, String createdBy,
                            Instant createdAt, Instant expiresAt, Instant revokedAt, boolean active) {
    }

    /** Who a valid token belongs to. */
    public record Holder(String tokenId, String user, String role, Set<String> teams) {
    }

    private final AuditLog audit;
    private final Caller caller;

    public ApiTokens(AuditLog audit, Caller caller) {
        this.audit = audit;
        this.caller = caller;
    }

    /**
     * Makes a token for {@code user}.
     *
     * @param validFor how long it is valid; null for a token that does not expire
     */
    @Transactional
    public Issued create(String user, String role, List<String> teams, Duration validFor, String description) {
        Issued issued = newToken(randomId(), user, role, teams, validFor, description, caller.name());
        audit.record("token", issued.info().id(), "create", null, issued.info());
        return issued;
    }

    /**
     * The first admin token, made when the service starts with no token at all; null when there are tokens. The token
     * is handed to {@code keep} before the transaction commits, so a token that could not be kept is not stored either.
     */
    @Transactional
    Issued createFirstAdminToken(java.util.function.Consumer<String> keep) {
        if (ApiTokenEntity.count() > 0) {
            return null;
        }
        Issued issued = newToken("first-admin", "admin", Roles.ADMIN, List.of(), null, "made at first start", Caller.SYSTEM);
        audit.record("token", issued.info().id(), "create", null, issued.info());
        keep.accept(issued.token());
        return issued;
    }

    @Transactional
    public List<TokenView> list() {
        return ApiTokenEntity.<ApiTokenEntity>listAll(Sort.by("createdAt").and("id")).stream().map(ApiTokens::view).toList();
    }

    /** Revokes a token at once; revoking a revoked token changes nothing. */
    @Transactional
    public TokenView revoke(String id) {
        ApiTokenEntity entity = ApiTokenEntity.findById(id);
        if (entity == null) {
            throw new NotFoundException("token \"" + id + "\" does not exist");
        }
        if (entity.revokedAt != null) {
            return view(entity);
        }
        TokenView before = view(entity);
        entity.revokedAt = Instant.now();
        TokenView after = view(entity);
        audit.record("token", id, "revoke", before, after);
        return after;
    }

    /** The holder of a valid (known, unexpired, unrevoked) token. */
    @Transactional
    public Optional<Holder> holder(String token) {
        if (token == null || !SHAPE.matcher(token).matches()) {
            return Optional.empty();
        }
        ApiTokenEntity entity = ApiTokenEntity.find("tokenHash", hash(token)).firstResult();
        if (entity == null || !active(entity, Instant.now())) {
            return Optional.empty();
        }
        return Optional.of(new Holder(entity.id, entity.userName, entity.role, teams(entity)));
    }

    /** Whether a value has the shape of one of our tokens (a bearer token of another shape may be an OIDC token). */
    public static boolean looksLikeOurs(String value) {
        return value.startsWith(PREFIX);
    }

    private static Issued newToken(String id, String user, String role, List<String> teams, Duration validFor, String description,
                                   String createdBy) {
        String source = "token request";
        if (user == null || !USER.matcher(user).matches()) {
            throw InvalidInputException.of(source, "", "user", "must be 1-200 letters, digits, '.', '_', '@' or '-', got \"" + user + "\"");
        }
        if (!Roles.isRole(role)) {
            throw InvalidInputException.of(source, "", "role", "must be one of " + String.join(", ", Roles.ALL) + ", got \"" + role + "\"");
        }
        Set<String> teamSet = new LinkedHashSet<>(teams == null ? List.of() : teams);
        for (String team : teamSet) {
            if (team == null || !TEAM.matcher(team).matches()) {
                throw InvalidInputException.of(source, "", "teams", "a team name is 1-200 characters without commas, got \"" + team + "\"");
            }
        }
        if (Roles.RESEARCHER.equals(role) && teamSet.isEmpty()) {
            throw InvalidInputException.of(source, "", "teams", "a researcher's token needs at least one team");
        }
        if (validFor != null && (validFor.isNegative() || validFor.isZero())) {
            throw InvalidInputException.of(source, "", "expires", "must be a positive duration, got " + validFor);
        }
        if (description != null && description.length() > 500) {
            throw InvalidInputException.of(source, "", "description", "must be at most 500 characters");
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiTokenEntity entity = new ApiTokenEntity();
        entity.id = id;
        entity.tokenHash = hash(token);
        entity.userName = user;
        entity.role = role;
        entity.teams = String.join(",", teamSet);
        entity.description = description;
        entity.createdBy = createdBy;
        entity.createdAt = Instant.now();
        entity.expiresAt = validFor == null ? null : entity.createdAt.plus(validFor);
        entity.persist();
        return new Issued(token, view(entity));
    }

    private static TokenView view(ApiTokenEntity entity) {
        return new TokenView(entity.id, entity.userName, entity.role, List.copyOf(teams(entity)), entity.description, entity.createdBy,
                entity.createdAt, entity.expiresAt, entity.revokedAt, active(entity, Instant.now()));
    }

    private static boolean active(ApiTokenEntity entity, Instant now) {
        return entity.revokedAt == null && (entity.expiresAt == null || entity.expiresAt.isAfter(now));
    }

    private static Set<String> teams(ApiTokenEntity entity) {
        return entity.teams.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(entity.teams.split(",")));
    }

    private static String randomId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "tok-" + HexFormat.of().formatHex(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
