package dev.gpuplan.input;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** The budgets of a frontier as people write them: {@code 500,1000,2000} or {@code 500:4000:250} (from, to inclusive, step). */
public final class BudgetRange {

    /** The most points a FROM:TO:STEP range may expand to. */
    public static final int MAX_RANGE_POINTS = 200;

    private BudgetRange() {
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
                BigDecimal from = new BigDecimal(parts[0].trim());
                BigDecimal to = new BigDecimal(parts[1].trim());
                BigDecimal step = new BigDecimal(parts[2].trim());
                if (step.signum() <= 0 || to.compareTo(from) < 0
                        || to.subtract(from).divide(step, 0, RoundingMode.FLOOR).intValue() > MAX_RANGE_POINTS) {
                    return null;
                }
                for (BigDecimal b = from; b.compareTo(to) <= 0; b = b.add(step)) {
                    budgets.add(b);
                }
            } else {
                for (String part : text.split(",")) {
                    budgets.add(new BigDecimal(part.trim()));
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return budgets.isEmpty() || budgets.stream().anyMatch(b -> b.signum() <= 0) ? null : budgets;
    }
}
