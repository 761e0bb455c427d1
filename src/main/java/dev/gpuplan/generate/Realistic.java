package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.HORIZON_START;
import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Teams with caps, two GPU types, baselines and their ablations, variants, maintenance, deadlines, a pinned run
 * and one run too big for any pool.
 */
final class Realistic extends ShapeBuilder {

    private static final String[] OWNERS = {"alice", "bilal", "chen", "dana", "emeka", "farah", "goran", "hana",
            "ivan", "jun", "kira", "luis", "mei", "nora", "omar", "priya"};

    Realistic(PortfolioGenerator settings) {
        super(settings);
    }

    /** Keys here are {@code stem-N}, N the proposal's position (1-based): topics repeat across families. */
    @Override
    String key(String stem) {
        return stem + "-" + (drafts.size() + 1);
    }

    @Override
    Portfolio build() {
        List<String> types = settings.pools() == 1 ? List.of("h100") : List.of("h100", "a100");
        int longest = Math.max(1, horizonHours / 4);
        // a team's share of proposals over the mean size of its families (a pretrain family is ~6 proposals)
        Map<String, Double> teamShares = new LinkedHashMap<>();
        teamShares.put("pretrain", 0.35 / 6);
        teamShares.put("data", 0.15 / 2.4);
        teamShares.put("optim", 0.15 / 2.7);
        teamShares.put("evals", 0.15);
        teamShares.put("scaling", 0.08);
        teamShares.put("multimodal", 0.12 / 3);
        int requiredBaselines = 0;
        ProposalDraft pinned = null;
        ProposalDraft oversized = null;
        if (settings.proposals() >= 20) {
            pinned = draft("evals-nightly-harness", "evals", 4, Math.min(6, longest));
            pinned.title = "Nightly eval harness (already running)";
            pinned.value = 6;
            pinned.owner = pick(OWNERS);
            add(pinned);
        }
        while (drafts.size() < settings.proposals()) {
            if (oversized == null && settings.proposals() >= 50 && drafts.size() >= settings.proposals() / 2) {
                oversized = draft("scaling-moe-wide", "scaling", 8, Math.min(12, longest));
                oversized.title = "MoE probe that needs more GPUs than any single pool";
                oversized.gpuType = types.get(0);
                oversized.value = 250;
                oversized.successProbability = decimal(0.4, 2);
                add(oversized);
                continue;
            }
            String team = weighted(teamShares);
            switch (team) {
                case "pretrain" -> requiredBaselines += pretrainFamily(longest, requiredBaselines < 2);
                case "data" -> dataFamily(longest);
                case "optim" -> optimSweep(longest);
                case "evals" -> evalsRun(longest);
                case "scaling" -> scalingProbe(longest, types.get(0));
                default -> multimodalFamily(longest, types.get(types.size() - 1));
            }
        }
        List<ProposalDraft> fitting = new ArrayList<>(drafts);
        fitting.remove(oversized);
        double cost = totalGpuHours(fitting);
        List<Pool> pools = realisticPools(types, fitting, 0.6 * cost);
        if (oversized != null) {
            String type = oversized.gpuType;
            oversized.gpus = 2 * pools.stream().filter(p -> p.gpuType().equals(type)).mapToInt(Pool::gpus).max().orElse(8);
        }
        if (pinned != null) {
            pinned.pinned = new Proposal.Pin(pools.get(0).name(), HORIZON_START);
        }
        double fixed = 0;
        for (ProposalDraft d : drafts) {
            fixed += d.required || d.pinned != null ? d.gpuHours() : 0;
        }
        BigDecimal budget = budget(Math.max(0.35 * cost, 3 * fixed));
        Map<String, BigDecimal> caps = new LinkedHashMap<>();
        double b = budget.doubleValue();
        double pinnedCost = pinned == null ? 0 : pinned.gpuHours();
        caps.put("scaling", decimal(Math.ceil(0.3 * b), 0));
        caps.put("data", decimal(Math.ceil(0.2 * b), 0));
        caps.put("evals", decimal(Math.ceil(Math.max(0.1 * b, 4 * pinnedCost)), 0));
        return portfolio(pools, budget, caps);
    }

    /** A baseline and its ablations (some with a follow-up); returns 1 if the baseline is required. */
    private int pretrainFamily(int longest, boolean makeRequired) {
        String[] sizes = {"350m", "1b", "3b"};
        int size = random.nextInt(sizes.length);
        int gpus = new int[] {8, 16, 32}[size];
        int baseHours = hours(new int[] {6, 10, 16}[size], new int[] {10, 16, 30}[size], longest / 3);
        ProposalDraft baseline = draft("pretrain-baseline-" + sizes[size], "pretrain", gpus, baseHours);
        baseline.title = sizes[size].toUpperCase(Locale.ROOT) + " baseline, standard data mix";
        baseline.value = between(30, 60);
        baseline.owner = pick(OWNERS);
        baseline.required = makeRequired;
        add(baseline);
        String[][] topics = {
                {"no-code", "without code data"}, {"more-math", "with 2x math"}, {"dedup-strict", "with strict dedup"},
                {"long-context", "with 32k context"}, {"web-only", "on web data only"}, {"books-2x", "with 2x books"},
                {"synthetic-10pct", "with 10% synthetic data"}, {"filter-v3", "with quality filter v3"},
                {"no-multilingual", "without multilingual data"}, {"curriculum", "with a length curriculum"},
                {"lower-lr", "at half the learning rate"}, {"bigger-batch", "with a 2x batch"}};
        int ablations = 2 + random.nextInt(5);
        for (int a = 0; a < ablations && drafts.size() < settings.proposals(); a++) {
            String[] topic = topics[random.nextInt(topics.length)];
            ProposalDraft ablation = draft("pretrain-ablation-" + topic[0], "pretrain", gpus, hours(baseHours / 2, baseHours, longest / 3));
            ablation.title = sizes[size].toUpperCase(Locale.ROOT) + " " + topic[1];
            ablation.value = between(15, 80);
            ablation.successProbability = decimal(between(0.6, 0.9), 2);
            ablation.owner = pick(OWNERS);
            ablation.dependsOn.add(baseline.key);
            if (random.nextDouble() < 0.15) { // a paper deadline, with room for the baseline first
                int due = 2 * (baseHours + ablation.hours) + 24 + random.nextInt(48);
                if (due <= horizonHours) {
                    ablation.deadline = HORIZON_START.plus(Duration.ofHours(due));
                }
            }
            add(ablation);
            if (random.nextDouble() < 0.2 && drafts.size() < settings.proposals()) {
                ProposalDraft followUp = draft("pretrain-followup-" + topic[0], "pretrain", gpus, hours(baseHours / 2, baseHours, longest / 3));
                followUp.title = ablation.title + ", confirmed at a second seed";
                followUp.value = between(10, 40);
                followUp.successProbability = decimal(between(0.7, 0.95), 2);
                followUp.dependsOn.add(ablation.key);
                add(followUp);
            }
        }
        return makeRequired ? 1 : 0;
    }

    /** Data-mix variants (at most one runs), or a tokenizer run waiting for its data. */
    private void dataFamily(int longest) {
        if (random.nextDouble() < 0.3) {
            ProposalDraft d = draft("data-tokenizer-retrain", "data", 8, hours(6, 12, longest));
            d.title = "Tokenizer retrain on the new crawl";
            d.value = between(10, 30);
            d.owner = pick(OWNERS);
            if (horizonHours >= 48) { // the crawl lands some morning in the first days
                int ready = 24 * (1 + random.nextInt(Math.max(1, Math.min(4, settings.days() / 2)))) + 8;
                if (ready + 2 * d.hours <= horizonHours) {
                    d.earliestStart = HORIZON_START.plus(Duration.ofHours(ready));
                }
            }
            add(d);
            return;
        }
        int mix = drafts.size() + 1;
        String group = "data-mix-" + mix;
        int hours = hours(6, 12, longest);
        int[] webShares = {40, 50, 60, 70, 80};
        int variants = 2 + random.nextInt(3);
        int first = random.nextInt(webShares.length - variants + 1);
        for (int v = 0; v < variants && drafts.size() < settings.proposals(); v++) {
            int web = webShares[first + v];
            ProposalDraft d = draft("data-mix-web" + web, "data", 8, hours);
            d.title = "Data mix " + mix + ": " + web + "% web";
            d.value = between(10, 40);
            d.successProbability = decimal(between(0.7, 1.0), 2);
            d.exclusiveGroup = group;
            add(d);
        }
    }

    /** A learning-rate or warmup sweep: variants of which at most one runs. */
    private void optimSweep(int longest) {
        boolean warmup = random.nextDouble() < 0.4;
        String[] settingsNames = warmup ? new String[] {"short", "medium", "long"} : new String[] {"1e-4", "3e-4", "1e-3", "3e-3"};
        String group = (warmup ? "optim-warmup-" : "optim-lr-sweep-") + (drafts.size() + 1);
        int gpus = pick(4, 8);
        int variants = 2 + random.nextInt(settingsNames.length - 1);
        for (int v = 0; v < variants && drafts.size() < settings.proposals(); v++) {
            String setting = settingsNames[v];
            ProposalDraft d = draft((warmup ? "optim-warmup-" : "optim-lr-") + setting, "optim", gpus, hours(4, 10, longest));
            d.title = warmup ? setting.substring(0, 1).toUpperCase(Locale.ROOT) + setting.substring(1) + " warmup" : "Peak learning rate " + setting;
            d.value = between(5, 25);
            d.successProbability = random.nextDouble() < 0.5 ? null : decimal(between(0.7, 0.95), 2);
            d.exclusiveGroup = group;
            add(d);
        }
    }

    /** A small eval run; some must be done by a deadline. */
    private void evalsRun(int longest) {
        String[][] topics = {{"long-context-sweep", "Long-context eval sweep"}, {"harness-smoke", "Eval harness smoke run"},
                {"math-reasoning", "Math reasoning evals"}, {"code-humaneval", "Code evals"},
                {"safety-redteam", "Safety red-team evals"}, {"multilingual", "Multilingual evals"}};
        String[] topic = topics[random.nextInt(topics.length)];
        ProposalDraft d = draft("evals-" + topic[0], "evals", pick(1, 2, 4, 4), hours(2, 12, longest));
        d.title = topic[1];
        d.value = between(5, 30);
        d.owner = pick(OWNERS);
        if (random.nextDouble() < 0.4 && 3 * d.hours < horizonHours) {
            d.deadline = HORIZON_START.plus(Duration.ofHours(3 * d.hours + random.nextInt(horizonHours - 3 * d.hours + 1)));
        }
        add(d);
    }

    /** A large, risky, valuable run on the newest GPUs; some wait for a cluster reservation. */
    private void scalingProbe(int longest, String gpuType) {
        String[] sizes = {"7b", "13b", "30b"};
        int size = random.nextInt(sizes.length);
        ProposalDraft d = draft("scaling-" + sizes[size] + "-probe", "scaling", new int[] {32, 32, 64}[size], hours(24, 48, longest));
        d.title = sizes[size].toUpperCase(Locale.ROOT) + " scaling-law probe";
        d.gpuType = gpuType;
        d.value = between(150, 600);
        d.successProbability = decimal(between(0.3, 0.6), 2);
        d.owner = pick(OWNERS);
        if (random.nextDouble() < 0.25 && horizonHours >= 72) {
            int from = 24 * (1 + random.nextInt(2));
            if (from + d.hours <= horizonHours) {
                d.earliestStart = HORIZON_START.plus(Duration.ofHours(from));
            }
        }
        add(d);
    }

    /** A multimodal baseline with 1-3 runs that build on it. */
    private void multimodalFamily(int longest, String gpuType) {
        String[][] topics = {{"vision-encoder", "vision encoder"}, {"image-captions", "image captions"},
                {"video-frames", "video frames"}, {"audio-adapter", "audio adapter"}};
        String[] topic = topics[random.nextInt(topics.length)];
        int gpus = pick(8, 8, 16);
        ProposalDraft baseline = draft("multimodal-baseline-" + topic[0], "multimodal", gpus, hours(8, 16, longest / 3));
        baseline.title = "Multimodal baseline with " + topic[1];
        baseline.value = between(20, 40);
        baseline.gpuType = random.nextDouble() < 0.5 ? gpuType : null;
        add(baseline);
        int children = 1 + random.nextInt(3);
        for (int c = 1; c <= children && drafts.size() < settings.proposals(); c++) {
            ProposalDraft d = draft("multimodal-" + topic[0] + "-stage" + (c + 1), "multimodal", gpus, hours(8, 24, longest / 3));
            d.title = "Multimodal " + topic[1] + ", stage " + (c + 1);
            d.value = between(20, 70);
            d.successProbability = decimal(between(0.5, 0.9), 2);
            d.gpuType = baseline.gpuType;
            d.dependsOn.add(baseline.key);
            add(d);
        }
    }

    /** Pools alternating between the types, sized to about {@code gpuHours} over the horizon, each fitting its runs. */
    private List<Pool> realisticPools(List<String> types, List<ProposalDraft> fitting, double gpuHours) {
        int anyTypeNeeds = 0;
        Map<String, Integer> typeNeeds = new LinkedHashMap<>();
        for (ProposalDraft d : fitting) {
            if (d.gpuType == null) {
                anyTypeNeeds = Math.max(anyTypeNeeds, d.gpus);
            } else {
                typeNeeds.merge(d.gpuType, d.gpus, Math::max);
            }
        }
        int each = multipleOf8(gpuHours / horizonHours / settings.pools());
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < settings.pools(); i++) {
            String type = types.get(i % types.size());
            int size = Math.max(Math.max(32, each), Math.max(anyTypeNeeds, typeNeeds.getOrDefault(type, 0)));
            List<TimeWindow> maintenance = List.of();
            if (i == Math.min(1, settings.pools() - 1) && horizonHours >= 72) { // the second pool is down one day 06:00-18:00
                Instant from = HORIZON_START.plus(Duration.ofHours(2 * 24 + 6));
                maintenance = List.of(new TimeWindow(from, from.plus(Duration.ofHours(12))));
            }
            pools.add(new Pool(poolName(type, i), type, multipleOf8(size), maintenance));
        }
        return pools;
    }
}
