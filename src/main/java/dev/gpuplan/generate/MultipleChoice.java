package dev.gpuplan.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;

/**
 * A multiple-choice knapsack: groups of 2-5 exclusive variants of one experiment (2-32 GPUs x 2-24 h each,
 * worth about the square root of their GPU-hours, with noise), under a budget of half the summed largest
 * variant of every group. The pools are large enough that any one variant per group runs (see below), so only
 * the budget binds and {@link KnownOptimum#multipleChoice} gives the exact optimum.
 */
final class MultipleChoice extends ShapeBuilder {

    private static final int LONGEST_HOURS = 24;

    MultipleChoice(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        String[] teams = {"optim", "data", "pretrain", "evals"};
        int longest = Math.min(LONGEST_HOURS, horizonHours);
        int group = 0;
        double largestVariants = 0;
        int largestGpus = 0;
        int summedGroupGpus = 0;
        while (drafts.size() < settings.proposals()) {
            group++;
            String name = String.format("choice-%02d", group);
            String team = pick(teams);
            int variants = 2 + random.nextInt(4);
            double groupLargest = 0;
            int groupGpus = 0;
            for (int v = 1; v <= variants && drafts.size() < settings.proposals(); v++) {
                ProposalDraft d = draft(name + "-v" + v, team, pick(2, 4, 8, 12, 16, 24, 32), hours(2, LONGEST_HOURS, longest));
                d.title = "Variant " + v + " of " + name + " (" + d.gpus + " GPUs x " + d.hours + " h)";
                d.value = Math.max(0.1, Math.sqrt(d.gpuHours()) * between(0.8, 1.2));
                d.exclusiveGroup = name;
                add(d);
                groupLargest = Math.max(groupLargest, d.gpuHours());
                groupGpus = Math.max(groupGpus, d.gpus);
            }
            largestVariants += groupLargest;
            largestGpus = Math.max(largestGpus, groupGpus);
            summedGroupGpus += groupGpus;
        }
        // Capacity never binds: cut the horizon into day-long layers (no run is longer than a day), one set per pool.
        // A pool of at least (every group's widest variant summed) / layers + the widest variant holds one variant of
        // every group, laid first-fit into the layers: a group that found no layer would mean every layer is fuller
        // than the average, which cannot be.
        int layers = Math.max(1, horizonHours / longest) * settings.pools();
        int size = multipleOf8((double) summedGroupGpus / layers + largestGpus);
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < settings.pools(); i++) {
            pools.add(new Pool(poolName("h100", i), "h100", size, List.of()));
        }
        return portfolio(pools, budget(0.5 * largestVariants), Map.of());
    }
}
