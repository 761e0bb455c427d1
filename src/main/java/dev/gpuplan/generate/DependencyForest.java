package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Portfolio;

/** Cheap baselines that unlock valuable ablations, and follow-ups of those. */
final class DependencyForest extends ShapeBuilder {

    DependencyForest(PortfolioGenerator settings) {
        super(settings);
    }

    @Override
    Portfolio build() {
        String[] teams = {"pretrain", "data", "multimodal", "optim"};
        int longest = Math.max(1, horizonHours / 6);
        int tree = 0;
        while (drafts.size() < settings.proposals()) {
            tree++;
            String team = pick(teams);
            String prefix = String.format("tree%02d", tree);
            ProposalDraft baseline = draft(prefix + "-baseline", team, pick(4, 8), hours(4, 12, longest));
            baseline.title = "Baseline " + tree;
            baseline.value = baseline.gpuHours() / 40 * between(0.5, 1.5);
            add(baseline);
            int ablations = 2 + random.nextInt(4);
            List<ProposalDraft> done = new ArrayList<>();
            for (int a = 1; a <= ablations && drafts.size() < settings.proposals(); a++) {
                ProposalDraft ablation = draft(prefix + "-ablation-" + a, team, pick(4, 8, 8, 16), hours(6, 24, longest));
                ablation.title = "Ablation " + a + " of baseline " + tree;
                ablation.value = ablation.gpuHours() / 8 * between(0.7, 1.5);
                ablation.successProbability = decimal(between(0.6, 0.95), 2);
                ablation.dependsOn.add(baseline.key);
                add(ablation);
                int followUps = random.nextDouble() < 0.35 ? 1 + random.nextInt(2) : 0;
                for (int f = 1; f <= followUps && drafts.size() < settings.proposals(); f++) {
                    ProposalDraft followUp = draft(prefix + "-followup-" + a + "-" + f, team, pick(4, 8), hours(4, 16, longest));
                    followUp.title = "Follow-up " + f + " of ablation " + a + " of baseline " + tree;
                    followUp.value = followUp.gpuHours() / 6 * between(0.7, 1.5);
                    followUp.successProbability = decimal(between(0.5, 0.9), 2);
                    followUp.dependsOn.add(ablation.key);
                    if (!done.isEmpty() && random.nextDouble() < 0.3) {
                        followUp.dependsOn.add(done.get(random.nextInt(done.size())).key);
                    }
                    add(followUp);
                }
                done.add(ablation);
            }
        }
        return portfolio(samePools("a100", 1.5 * totalGpuHours(drafts), 16), budget(0.3 * totalGpuHours(drafts)), Map.of());
    }
}
