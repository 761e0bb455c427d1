package dev.gpuplan.input;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import dev.gpuplan.domain.Portfolio;

/**
 * {@code POST /api/frontiers}: {@code {budgets: "500:4000:250" | [500, 1000], config?, timeLimitSeconds?, proposals?, perTeam?,
 * portfolio?}}; {@code timeLimitSeconds} applies to each point. Without {@code portfolio} the stored proposals are used.
 */
public record FrontierRequest(List<BigDecimal> budgets, String config, Integer timeLimitSeconds, List<String> proposals,
                              Map<String, BigDecimal> perTeam, Portfolio portfolio) {

    private static final Set<String> FIELDS = YamlFields.names("budgets", "config", "timeLimitSeconds", "proposals", "perTeam", "portfolio");

    public static FrontierRequest read(String source, String text) {
        Node root = PortfolioReader.parse(source, text);
        List<InputError> errors = new ArrayList<>();
        YamlFields f = YamlFields.of(root, "", FIELDS, errors);
        List<BigDecimal> budgets = null;
        Node budgetNode = f.value("budgets").orElse(null);
        if (budgetNode == null) {
            f.error("budgets", "is required: a list of GPU-hour budgets or FROM:TO:STEP");
        } else if (budgetNode instanceof SequenceNode || budgetNode instanceof ScalarNode) {
            String text1 = budgetNode instanceof ScalarNode scalar ? scalar.getValue()
                    : String.join(",", ((SequenceNode) budgetNode).getValue().stream()
                    .map(n -> n instanceof ScalarNode s ? s.getValue() : "?").toList());
            budgets = text1.length() > 20_000 ? null : BudgetRange.parse(text1);
            if (budgets == null) {
                f.error("budgets", "must be GPU-hour budgets > 0 (at most 200, each a number of at most 16 digits and "
                        + FieldLimits.DECIMAL_PLACES + " decimal places), as [500, 1000] or \"500:4000:250\", got "
                        + FieldLimits.quote(text1, 80));
            } else if (budgets.stream().anyMatch(b -> b.compareTo(FieldLimits.GPU_HOURS) > 0)) {
                f.error("budgets", "must each be at most " + FieldLimits.GPU_HOURS.toPlainString() + " GPU-hours");
                budgets = null;
            }
        } else {
            f.error("budgets", "must be a list or FROM:TO:STEP");
        }
        String config = f.name("config", false, FieldLimits.CONFIG_NAME);
        Integer timeLimit = f.integer("timeLimitSeconds", false);
        if (timeLimit != null && (timeLimit < 1 || timeLimit > PlanRequest.MAX_TIME_LIMIT_SECONDS)) {
            f.error("timeLimitSeconds", "must be between 1 and " + PlanRequest.MAX_TIME_LIMIT_SECONDS + ", got " + timeLimit);
        }
        List<String> keys = f.has("proposals") ? f.texts("proposals", FieldLimits.KEY, Integer.MAX_VALUE) : null;
        Map<String, BigDecimal> perTeam = f.numbers("perTeam");
        perTeam.forEach((team, cap) -> PortfolioReader.checkGpuHours(f, "perTeam." + team, cap, true));
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        Portfolio portfolio = f.value("portfolio").map(node -> PortfolioReader.read(source + ": portfolio", node)).orElse(null);
        return new FrontierRequest(budgets, config, timeLimit, keys, perTeam, portfolio);
    }
}
