package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;

/** Knapsack-like: value roughly follows cost, one big pool, no time pressure; only the budget binds. */
final class BudgetOnly extends ShapeBuilder {

    BudgetOnly(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        String[] teams = {"pretrain", "data", "optim", "evals"};
        int longest = Math.max(1, Math.min(48, horizonHours / 4));
        for (int i = 1; i <= settings.proposals(); i++) {
            ProposalDraft d = new ProposalDraft();
            d.key = String.format("exp-%03d", i);
            d.team = pick(teams);
            d.gpus = pick(1, 2, 4, 8, 8, 16, 32);
            d.hours = hours(2, 48, longest);
            d.title = "Experiment " + i + " (" + d.gpus + " GPUs x " + d.hours + " h)";
            d.value = Math.max(0.1, d.gpuHours() / 10 * between(0.6, 1.4));
            d.successProbability = random.nextDouble() < 0.7 ? null : decimal(between(0.5, 0.95), 2);
            drafts.add(d);
        }
        double cost = totalGpuHours(drafts);
        int size = multipleOf8(Math.max(Math.max(32, maxGpus(drafts)), 2 * cost / horizonHours / settings.pools()));
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < settings.pools(); i++) {
            pools.add(new Pool(poolName("h100", i), "h100", size, List.of()));
        }
        return portfolio(pools, budget(0.35 * cost), Map.of());
    }
}
