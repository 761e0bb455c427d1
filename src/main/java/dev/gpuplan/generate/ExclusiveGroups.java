package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.util.Map;

import dev.gpuplan.domain.Portfolio;

/** Groups of 2-5 variants of one experiment (at most one of each may run) and some stand-alone runs. */
final class ExclusiveGroups extends ShapeBuilder {

    ExclusiveGroups(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        String[] teams = {"optim", "data", "pretrain"};
        int longest = Math.max(1, horizonHours / 4);
        int group = 0;
        int single = 0;
        double selectable = 0;
        double largest = 0;
        while (drafts.size() < settings.proposals()) {
            if (random.nextDouble() < 0.2) {
                single++;
                ProposalDraft d = draft(String.format("single-%02d", single), pick(teams), pick(2, 4, 8), hours(4, 24, longest));
                d.title = "Stand-alone run " + single;
                d.value = d.gpuHours() / 10 * between(0.6, 1.4);
                add(d);
                selectable += d.gpuHours();
                largest += d.gpuHours();
                continue;
            }
            group++;
            String name = String.format("sweep-%02d", group);
            String team = pick(teams);
            int baseGpus = pick(2, 4, 8);
            int baseHours = hours(4, 16, longest);
            double baseValue = baseGpus * baseHours / 10.0 * between(0.6, 1.4);
            int variants = 2 + random.nextInt(4);
            double groupMax = 0;
            double groupSum = 0;
            int made = 0;
            for (int v = 1; v <= variants && drafts.size() < settings.proposals(); v++) {
                int gpus = baseGpus * pick(1, 1, 2);
                int hours = Math.min(longest, Math.max(1, (int) Math.round(baseHours * pick(2, 3, 4) / 2.0)));
                ProposalDraft d = draft(name + "-v" + v, team, gpus, hours);
                d.title = "Variant " + v + " of sweep " + group + " (" + gpus + " GPUs x " + hours + " h)";
                // diminishing returns: bigger variants are worth more, but less per GPU-hour
                d.value = baseValue * Math.pow(d.gpuHours() / (baseGpus * baseHours), 0.7) * between(0.85, 1.15);
                d.successProbability = random.nextDouble() < 0.5 ? null : decimal(between(0.6, 0.95), 2);
                d.exclusiveGroup = name;
                add(d);
                groupMax = Math.max(groupMax, d.gpuHours());
                groupSum += d.gpuHours();
                made++;
            }
            selectable += groupSum / made;
            largest += groupMax;
        }
        return portfolio(samePools("h100", 1.5 * largest, 16), budget(0.4 * selectable), Map.of());
    }
}
