package dev.gpuplan.input;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code POST /api/tokens}: {@code {user, role, teams?: [..], expires?: "90d" | "12h" | "never", description?}}.
 * {@code validFor} is null for a token that never expires; without {@code expires} a token is valid for 90 days.
 */
public record TokenRequest(String user, String role, List<String> teams, Duration validFor, String description) {

    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(90);
    private static final Set<String> FIELDS = YamlFields.names("user", "role", "teams", "expires", "description");
    private static final Pattern EXPIRY = Pattern.compile("(\\d{1,5})\\s*(d|h|m)");

    public static TokenRequest read(String source, String text) {
        Node root = PortfolioReader.parse(source, text);
        List<InputError> errors = new ArrayList<>();
        YamlFields f = YamlFields.of(root, "", FIELDS, errors);
        String user = f.text("user", true);
        String role = f.text("role", true);
        List<String> teams = f.has("teams") ? f.texts("teams", FieldLimits.TEAM, FieldLimits.LIST_ENTRIES) : List.of();
        String expires = f.text("expires", false);
        Duration validFor = DEFAULT_VALIDITY;
        if (expires != null) {
            try {
                validFor = parseExpiry(expires);
            } catch (IllegalArgumentException e) {
                f.error("expires", e.getMessage());
            }
        }
        String description = f.text("description", false);
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        return new TokenRequest(user, role, teams, validFor, description);
    }

    /** {@code 90d}, {@code 12h}, {@code 30m} or {@code never} (null). */
    public static Duration parseExpiry(String text) {
        String trimmed = text.strip();
        if (trimmed.equalsIgnoreCase("never")) {
            return null;
        }
        Matcher m = EXPIRY.matcher(trimmed);
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new IllegalArgumentException("must be a positive number of days, hours or minutes (90d, 12h, 30m) or never, got \""
                    + text + "\"");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofMinutes(amount);
        };
    }
}
