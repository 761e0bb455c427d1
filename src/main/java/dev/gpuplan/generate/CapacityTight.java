package dev.gpuplan.generate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;

/** Runs cut from the pools' GPU x time rectangles: all fit only with a perfect packing; the budget does not bind. */
final class CapacityTight extends ShapeBuilder {

    CapacityTight(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        int perPool = Math.max(1, settings.proposals() / settings.pools());
        int size = perPool > 40 ? 32 : 16;
        // enough GPU-slots that every run gets at least one GPU for one slot
        while ((long) size * horizonHours < perPool + 1) {
            size *= 2;
        }
        String[] teams = {"pretrain", "optim", "evals"};
        List<Pool> pools = new ArrayList<>();
        List<int[]> pieces = new ArrayList<>();
        for (int i = 0; i < settings.pools(); i++) {
            pools.add(new Pool(poolName("a100", i), "a100", size, List.of()));
            int count = settings.proposals() / settings.pools() + (i < settings.proposals() % settings.pools() ? 1 : 0);
            pieces.addAll(cut(size, horizonHours, count));
        }
        Collections.shuffle(pieces, random);
        for (int i = 0; i < pieces.size(); i++) {
            int[] piece = pieces.get(i);
            ProposalDraft d = draft(String.format("job-%03d", i + 1), pick(teams), piece[0], piece[1]);
            d.title = "Job " + (i + 1) + " (" + piece[0] + " GPUs x " + piece[1] + " h)";
            d.value = Math.max(0.1, d.gpuHours() / 10 * between(0.8, 1.2));
            add(d);
        }
        return portfolio(pools, budget(Math.ceil(1.25 * totalGpuHours(drafts))), Map.of());
    }
}
