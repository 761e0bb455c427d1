package dev.gpuplan.input;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** The budgets of a frontier as people write them: {@code 500,1000,2000} or {@code 500:4000:250} (from, to inclusive, step). */
public final class BudgetRange {

    /** The most points a budget list or FROM:TO:STEP range may name (a service may allow fewer). */
    public static final int MAX_RANGE_POINTS = 200;

    private BudgetRange() {
    }

    /**
     * A budget as written, or null when it is no number or one of absurd size or precision (1e400, 1e-40), which
     * would make counting or printing the range itself expensive.
     */
    private static BigDecimal sensible(String text) {
        String trimmed = text.trim();
        if (trimmed.length() > 40) {
            return null;
        }
        BigDecimal number = new BigDecimal(trimmed);
        if (number.signum() != 0 && ((long) number.precision() - number.scale() > 16 || number.stripTrailingZeros().scale() > 9)) {
            return null;
        }
        return number;
    }

    /** @return the budgets in the order written (a range ascending, its end kept only when on a step), or null if not of that form */
    public static List<BigDecimal> parse(String text) {
        List<BigDecimal> budgets = new ArrayList<>();
        try {
            if (text.contains(":")) {
                String[] parts = text.split(":");
                if (parts.length != 3) {
                    return null;
                }
                BigDecimal from = sensible(parts[0]);
                BigDecimal to = sensible(parts[1]);
                BigDecimal step = sensible(parts[2]);
                // Counted exactly before a single point is built: a step of 1e-40 or a range of 2^31 points is refused
                // here, not after a truncating int conversion let it through.
                if (from == null || to == null || step == null || step.signum() <= 0 || to.compareTo(from) < 0
                        || to.subtract(from).divide(step, 0, RoundingMode.FLOOR).compareTo(BigDecimal.valueOf(MAX_RANGE_POINTS)) >= 0) {
                    return null;
                }
                for (BigDecimal b = from; b.compareTo(to) <= 0; b = b.add(step)) {
                    budgets.add(b);
                }
            } else {
                for (String part : text.split(",", MAX_RANGE_POINTS + 2)) {
                    BigDecimal budget = sensible(part);
                    if (budget == null || budgets.size() >= MAX_RANGE_POINTS) {
                        return null;
                    }
                    budgets.add(budget);
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return budgets.isEmpty() || budgets.stream().anyMatch(b -> b.signum() <= 0) ? null : budgets;
    }
}
