package dev.gpuplan.input;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import dev.gpuplan.domain.Portfolio;

/**
 * {@code POST /api/plans}: {@code {budgetGpuHours, config?, timeLimitSeconds?, proposals?: [keys], perTeam?, portfolio?}}.
 * With {@code portfolio} the solve is self-contained; without it the stored proposals, pools and horizon are used.
 */
public record PlanRequest(BigDecimal budgetGpuHours, String config, Integer timeLimitSeconds, List<String> proposals,
                          Map<String, BigDecimal> perTeam, Portfolio portfolio, boolean replan, List<String> retry) {

    public PlanRequest(BigDecimal budgetGpuHours, String config, Integer timeLimitSeconds, List<String> proposals,
                       Map<String, BigDecimal> perTeam, Portfolio portfolio) {
        this(budgetGpuHours, config, timeLimitSeconds, proposals, perTeam, portfolio, false, List.of());
    }

    /** A sanity bound on the field itself; what the service allows is gpuplan.limits.plan-seconds (and frontier-point-seconds). */
    public static final int MAX_TIME_LIMIT_SECONDS = 86_400;
    private static final Set<String> FIELDS = YamlFields.names("budgetGpuHours", "config", "timeLimitSeconds",
            "proposals", "perTeam", "portfolio", "replan", "retry");

    public static PlanRequest read(String source, String text) {
        Node root = PortfolioReader.parse(source, text);
        List<InputError> errors = new ArrayList<>();
        YamlFields f = YamlFields.of(root, "", FIELDS, errors);
        boolean replan = f.bool("replan");
        // a replan may leave the budget out: the planning period's stored budget applies
        BigDecimal budget = f.number("budgetGpuHours", !replan);
        PortfolioReader.checkGpuHours(f, "budgetGpuHours", budget, false);
        String config = f.name("config", false, FieldLimits.CONFIG_NAME);
        Integer timeLimit = f.integer("timeLimitSeconds", false);
        if (timeLimit != null && (timeLimit < 1 || timeLimit > MAX_TIME_LIMIT_SECONDS)) {
            f.error("timeLimitSeconds", "must be between 1 and " + MAX_TIME_LIMIT_SECONDS + ", got " + timeLimit);
        }
        List<String> keys = f.has("proposals") ? f.texts("proposals", FieldLimits.KEY, Integer.MAX_VALUE) : null;
        Map<String, BigDecimal> perTeam = f.numbers("perTeam");
        perTeam.forEach((team, cap) -> PortfolioReader.checkGpuHours(f, "perTeam." + team, cap, true));
        List<String> retry = f.texts("retry", FieldLimits.KEY, Integer.MAX_VALUE);
        if (!retry.isEmpty() && !replan) {
            f.error("retry", "is only given with replan: true (failed runs to try again)");
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        Portfolio portfolio = f.value("portfolio").map(node -> PortfolioReader.read(source + ": portfolio", node)).orElse(null);
        if (portfolio != null && keys != null) {
            throw InvalidInputException.of(source, "", "proposals", "cannot be combined with portfolio (the portfolio holds its proposals)");
        }
        if (portfolio != null && replan) {
            throw InvalidInputException.of(source, "", "replan", "cannot be combined with portfolio: a replan starts from the stored proposals and runs");
        }
        return new PlanRequest(budget, config, timeLimit, keys, perTeam, portfolio, replan, retry);
    }
}
