package dev.gpuplan.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;

/**
 * Tight packing: each pool's GPUs x hours rectangle cut exactly into runs (about three quarters of the proposals),
 * plus decoys worth less per GPU-hour than any of those runs. Capacity binds and the budget (twice the pools'
 * GPU-hours) does not. The best plan is the exact cut: any other plan swaps some cut runs for decoys, and decoys
 * bring less value for the same GPU-hours ({@link KnownOptimum#tightPacking}).
 */
final class TightPacking extends ShapeBuilder {

    TightPacking(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        int cutRuns = Math.max(1, (int) Math.round(0.75 * settings.proposals()));
        int perPool = Math.max(1, cutRuns / settings.pools());
        int size = perPool > 40 ? 32 : 16;
        while ((long) size * horizonHours < perPool + 1) { // room for every cut run to get one GPU for one slot
            size *= 2;
        }
        String[] teams = {"pretrain", "optim", "evals"};
        List<Pool> pools = new ArrayList<>();
        List<ProposalDraft> made = new ArrayList<>();
        double lowestDensity = Double.MAX_VALUE;
        for (int i = 0; i < settings.pools(); i++) {
            pools.add(new Pool(poolName("a100", i), "a100", size, List.of()));
            int count = cutRuns / settings.pools() + (i < cutRuns % settings.pools() ? 1 : 0);
            for (int[] piece : cut(size, horizonHours, count)) {
                ProposalDraft d = draft("", pick(teams), piece[0], piece[1]);
                d.value = tenths(Math.max(0.1, d.gpuHours() / 10 * between(1.0, 1.3)));
                lowestDensity = Math.min(lowestDensity, d.value / d.gpuHours());
                made.add(d);
            }
        }
        int longest = Math.max(1, Math.min(24, horizonHours / 2));
        while (made.size() < settings.proposals()) {
            ProposalDraft d = draft("", pick(teams), Math.min(size, pick(1, 2, 4, 4, 8)), hours(2, 24, longest));
            // rounded down to tenths, so strictly below the lowest density of the cut runs; never below 0.1
            d.value = Math.max(0.1, Math.floor(d.gpuHours() * lowestDensity * between(0.85, 0.99) * 10) / 10);
            if (d.value / d.gpuHours() >= lowestDensity) {
                continue; // a decoy too small to be worth less than 0.1: draw another
            }
            made.add(d);
        }
        Collections.shuffle(made, random);
        for (int i = 0; i < made.size(); i++) {
            ProposalDraft d = made.get(i);
            d.key = String.format("job-%03d", i + 1);
            d.title = "Job " + (i + 1) + " (" + d.gpus + " GPUs x " + d.hours + " h)";
            add(d);
        }
        long poolGpuHours = (long) size * horizonHours * settings.pools();
        return portfolio(pools, budget(2.0 * poolGpuHours), Map.of());
    }

    private static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
