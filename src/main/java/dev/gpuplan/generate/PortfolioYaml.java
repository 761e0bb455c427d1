package dev.gpuplan.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Writes a {@link Portfolio} as the YAML a planning lead would write: the field names of docs/rules.md, block
 * style, optional fields only when they differ from their default. What it writes reads back through
 * {@link dev.gpuplan.input.PortfolioReader#read(String, String)} to an equal portfolio.
 */
public final class PortfolioYaml {

    /** Words YAML 1.1 reads as booleans or null: such strings are quoted. */
    private static final Set<String> RESERVED = Set.of("y", "n", "yes", "no", "true", "false", "on", "off", "null", "~");
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final BigDecimal MINUTES_PER_HOUR = BigDecimal.valueOf(60);

    private PortfolioYaml() {
    }

    public static String write(Portfolio portfolio) {
        return write(portfolio, List.of());
    }

    /** The portfolio as YAML, after {@code comments} as {@code #} lines. */
    public static String write(Portfolio portfolio, List<String> comments) {
        StringBuilder out = new StringBuilder();
        for (String comment : comments) {
            comment.lines().forEach(line -> out.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
        }
        if (!comments.isEmpty()) {
            out.append('\n');
        }
        horizon(out, portfolio.horizon());
        if (portfolio.budget() != null) {
            budget(out, portfolio.budget());
        }
        out.append("\npools:\n");
        for (Pool pool : portfolio.pools()) {
            pool(out, pool);
        }
        out.append("\nproposals:\n");
        for (Proposal proposal : portfolio.proposals()) {
            proposal(out, proposal);
        }
        return out.toString();
    }

    private static void horizon(StringBuilder out, Horizon horizon) {
        out.append("horizon:\n");
        field(out, 2, "start", horizon.start().toString());
        BigDecimal hours = horizon.hours();
        if (hours.remainder(BigDecimal.valueOf(24)).signum() == 0) {
            field(out, 2, "days", hours.divide(BigDecimal.valueOf(24)).toBigInteger().toString());
        } else {
            field(out, 2, "hours", number(hours));
        }
        if (horizon.slotMinutes() != Horizon.DEFAULT_SLOT_MINUTES) {
            field(out, 2, "slotMinutes", Integer.toString(horizon.slotMinutes()));
        }
    }

    private static void budget(StringBuilder out, Budget budget) {
        out.append("\nbudget:\n");
        if (budget.gpuHours() != null) {
            field(out, 2, "gpuHours", number(budget.gpuHours()));
        }
        if (!budget.perTeam().isEmpty()) {
            out.append("  perTeam:\n");
            new TreeMap<>(budget.perTeam()).forEach((team, cap) -> field(out, 4, text(team), number(cap)));
        }
    }

    private static void pool(StringBuilder out, Pool pool) {
        out.append("  - name: ").append(text(pool.name())).append('\n');
        field(out, 4, "gpuType", text(pool.gpuType()));
        field(out, 4, "gpus", Integer.toString(pool.gpus()));
        if (!pool.unavailable().isEmpty()) {
            out.append("    unavailable:\n");
            for (TimeWindow window : pool.unavailable()) {
                out.append("      - from: ").append(window.from()).append('\n');
                field(out, 8, "to", window.to().toString());
            }
        }
    }

    private static void proposal(StringBuilder out, Proposal p) {
        out.append("  - key: ").append(text(p.key())).append('\n');
        if (p.title() != null) {
            field(out, 4, "title", text(p.title()));
        }
        field(out, 4, "team", text(p.team()));
        if (p.owner() != null) {
            field(out, 4, "owner", text(p.owner()));
        }
        field(out, 4, "value", number(p.value()));
        if (p.successProbability().compareTo(BigDecimal.ONE) != 0) {
            field(out, 4, "successProbability", number(p.successProbability()));
        }
        if (p.gpuType() != null) {
            field(out, 4, "gpuType", text(p.gpuType()));
        }
        field(out, 4, "gpus", Integer.toString(p.gpus()));
        field(out, 4, "hours", number(p.hours()));
        if (!p.dependsOn().isEmpty()) {
            field(out, 4, "dependsOn", "[" + String.join(", ", p.dependsOn().stream().map(PortfolioYaml::text).toList()) + "]");
        }
        if (p.exclusiveGroup() != null) {
            field(out, 4, "exclusiveGroup", text(p.exclusiveGroup()));
        }
        if (p.earliestStart() != null) {
            field(out, 4, "earliestStart", p.earliestStart().toString());
        }
        if (p.deadline() != null) {
            field(out, 4, "deadline", p.deadline().toString());
        }
        if (p.required()) {
            field(out, 4, "required", "true");
        }
        if (p.pinned() != null) {
            out.append("    pinned:\n");
            field(out, 6, "pool", text(p.pinned().pool()));
            field(out, 6, "start", p.pinned().start().toString());
        }
    }

    private static void field(StringBuilder out, int indent, String name, String value) {
        out.append(" ".repeat(indent)).append(name).append(": ").append(value).append('\n');
    }

    private static String number(BigDecimal amount) {
        return amount.toPlainString();
    }

    /** A string plain when YAML reads it back as the same string, else double-quoted. */
    static String text(String value) {
        if (PLAIN.matcher(value).matches() && !RESERVED.contains(value.toLowerCase(Locale.ROOT))) {
            return value;
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                case '\r' -> quoted.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
