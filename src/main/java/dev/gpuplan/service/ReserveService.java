package dev.gpuplan.service;

import java.math.BigDecimal;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.gpuplan.config.PlanningConfig;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Reserve;

/** What a plan holds back from its budget, and the sentence that says why. */
@ApplicationScoped
public class ReserveService {

    public Reserve reserveFor(Portfolio portfolio, PlanningConfig config) {
        BigDecimal budget = portfolio.budget().gpuHours();
        BigDecimal held = budget.subtract(config.usableBudget(budget)).stripTrailingZeros();
        String statement = "holds back " + held.toPlainString() + " of " + budget.stripTrailingZeros().toPlainString() + " GPU-hours: the flat "
                + config.reservePercent().stripTrailingZeros().toPlainString() + "% reservePercent of config " + config.name();
        return new Reserve(held, "flat", null, null, null, null, Map.of(), statement);
    }
}
