package dev.gpuplan.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Seeded portfolios of a known {@link Shape}, for tests, benchmarks and the example files. The same
 * settings always give the same portfolio ({@code new Random(seed)}, no clock, no hash order), and every
 * portfolio passes {@link dev.gpuplan.input.PortfolioReader}'s validation.
 *
 * @param shape     what makes the portfolio hard
 * @param proposals how many proposals, exactly
 * @param pools     how many GPU pools
 * @param days      the horizon's length in days (hourly slots)
 * @param seed      the random seed
 */
public record PortfolioGenerator(Shape shape, int proposals, int pools, int days, long seed) {

    /** Every generated horizon starts here, so files do not change with the day they are generated. */
    public static final Instant HORIZON_START = Instant.parse("2026-12-01T00:00:00Z");
    /** Longest horizon the reader accepts at hourly slots. */
    public static final int MAX_DAYS = 800;

    /** What a portfolio is made to test. */
    public enum Shape {
        /** Knapsack-like: value roughly follows cost, one big pool, no time pressure. */
        BUDGET_ONLY(1, 7, "knapsack: value follows cost, one big pool, only the budget binds"),
        /** Cheap baselines that unlock valuable ablations (and follow-ups of those). */
        DEPENDENCY_FOREST(2, 7, "cheap baselines unlocking valuable ablations and follow-ups"),
        /** Groups of variants of which at most one may run. */
        EXCLUSIVE_GROUPS(2, 7, "groups of 2-5 variants, at most one of each may run"),
        /** Runs cut from the pools' GPU x time rectangles: all fit only with a perfect packing; budget not binding. */
        CAPACITY_TIGHT(2, 3, "runs that all fit only with a perfect packing; the budget does not bind"),
        /** Teams with caps, two GPU types, baselines and ablations, variants, maintenance, deadlines, a pinned run. */
        REALISTIC(3, 14, "teams with caps, two GPU types, baselines->ablations, variants, maintenance, deadlines");

        private final int defaultPools;
        private final int defaultDays;
        private final String description;

        Shape(int defaultPools, int defaultDays, String description) {
            this.defaultPools = defaultPools;
            this.defaultDays = defaultDays;
            this.description = description;
        }

        public int defaultPools() {
            return defaultPools;
        }

        public int defaultDays() {
            return defaultDays;
        }

        public String description() {
            return description;
        }

        /** The name on the command line: {@code budget-only}, {@code realistic}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** {@code realistic}, {@code REALISTIC}, {@code capacity-tight} or {@code capacity_tight}. */
        public static Shape parse(String text) {
            String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Shape shape : values()) {
                if (shape.name().equals(name)) {
                    return shape;
                }
            }
            List<String> names = new ArrayList<>();
            for (Shape shape : values()) {
                names.add(shape.cliName());
            }
            throw new IllegalArgumentException("unknown shape '" + text + "' (shapes: " + String.join(", ", names) + ")");
        }
    }

    public PortfolioGenerator {
        if (shape == null) {
            throw new IllegalArgumentException("a shape is required");
        }
        if (proposals < 1) {
            throw new IllegalArgumentException("proposals must be >= 1, got " + proposals);
        }
        if (pools < 1) {
            throw new IllegalArgumentException("pools must be >= 1, got " + pools);
        }
        if (days < 1 || days > MAX_DAYS) {
            throw new IllegalArgumentException("days must be between 1 and " + MAX_DAYS + ", got " + days);
        }
    }

    /** A generator with the shape's default pool count and horizon. */
    public static PortfolioGenerator of(Shape shape, int proposals, long seed) {
        return new PortfolioGenerator(shape, proposals, shape.defaultPools(), shape.defaultDays(), seed);
    }

    public PortfolioGenerator withPools(int pools) {
        return new PortfolioGenerator(shape, proposals, pools, days, seed);
    }

    public PortfolioGenerator withDays(int days) {
        return new PortfolioGenerator(shape, proposals, pools, days, seed);
    }

    public Portfolio generate() {
        Build build = new Build(this);
        return switch (shape) {
            case BUDGET_ONLY -> build.budgetOnly();
            case DEPENDENCY_FOREST -> build.dependencyForest();
            case EXCLUSIVE_GROUPS -> build.exclusiveGroups();
            case CAPACITY_TIGHT -> build.capacityTight();
            case REALISTIC -> build.realistic();
        };
    }

    /** A number as written in a file: no trailing zeros, never in exponent form. */
    static BigDecimal decimal(double amount, int places) {
        BigDecimal exact = BigDecimal.valueOf(amount).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros();
        return exact.scale() < 0 ? exact.setScale(0) : exact;
    }

    /** A proposal under construction. */
    private static final class Draft {
        String key;
        String title;
        String team;
        String owner;
        double value;
        BigDecimal successProbability;
        String gpuType;
        int gpus;
        int hours;
        List<String> dependsOn = new ArrayList<>();
        String exclusiveGroup;
        Instant earliestStart;
        Instant deadline;
        boolean required;
        Proposal.Pin pinned;

        double gpuHours() {
            return (double) gpus * hours;
        }

        Proposal toProposal() {
            return new Proposal(key, title, team, owner, decimal(value, 1), successProbability, gpuType, gpus,
                    BigDecimal.valueOf(hours), dependsOn, exclusiveGroup, earliestStart, deadline, required, pinned);
        }
    }

    /** One generation: the random source and what has been made so far. */
    private static final class Build {
        private static final String[] OWNERS = {"alice", "bilal", "chen", "dana", "emeka", "farah", "goran", "hana",
                "ivan", "jun", "kira", "luis", "mei", "nora", "omar", "priya"};
        private static final String[] REGIONS = {"west", "east", "north", "south", "central", "eu", "asia", "lab"};

        private final PortfolioGenerator settings;
        private final Random random;
        private final int horizonHours;
        private final List<Draft> drafts = new ArrayList<>();

        Build(PortfolioGenerator settings) {
            this.settings = settings;
            this.random = new Random(settings.seed());
            this.horizonHours = settings.days() * 24;
        }

        // ---- shapes ----

        Portfolio budgetOnly() {
            String[] teams = {"pretrain", "data", "optim", "evals"};
            int longest = Math.max(1, Math.min(48, horizonHours / 4));
            for (int i = 1; i <= settings.proposals(); i++) {
                Draft d = new Draft();
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

        Portfolio dependencyForest() {
            String[] teams = {"pretrain", "data", "multimodal", "optim"};
            int longest = Math.max(1, horizonHours / 6);
            int tree = 0;
            while (drafts.size() < settings.proposals()) {
                tree++;
                String team = pick(teams);
                String prefix = String.format("tree%02d", tree);
                Draft baseline = draft(prefix + "-baseline", team, pick(4, 8), hours(4, 12, longest));
                baseline.title = "Baseline " + tree;
                baseline.value = baseline.gpuHours() / 40 * between(0.5, 1.5);
                add(baseline);
                int ablations = 2 + random.nextInt(4);
                List<Draft> done = new ArrayList<>();
                for (int a = 1; a <= ablations && drafts.size() < settings.proposals(); a++) {
                    Draft ablation = draft(prefix + "-ablation-" + a, team, pick(4, 8, 8, 16), hours(6, 24, longest));
                    ablation.title = "Ablation " + a + " of baseline " + tree;
                    ablation.value = ablation.gpuHours() / 8 * between(0.7, 1.5);
                    ablation.successProbability = decimal(between(0.6, 0.95), 2);
                    ablation.dependsOn.add(baseline.key);
                    add(ablation);
                    int followUps = random.nextDouble() < 0.35 ? 1 + random.nextInt(2) : 0;
                    for (int f = 1; f <= followUps && drafts.size() < settings.proposals(); f++) {
                        Draft followUp = draft(prefix + "-followup-" + a + "-" + f, team, pick(4, 8), hours(4, 16, longest));
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

        Portfolio exclusiveGroups() {
            String[] teams = {"optim", "data", "pretrain"};
            int longest = Math.max(1, horizonHours / 4);
            int group = 0;
            int single = 0;
            double selectable = 0;
            double largest = 0;
            while (drafts.size() < settings.proposals()) {
                if (random.nextDouble() < 0.2) {
                    single++;
                    Draft d = draft(String.format("single-%02d", single), pick(teams), pick(2, 4, 8), hours(4, 24, longest));
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
                    Draft d = draft(name + "-v" + v, team, gpus, hours);
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

        Portfolio capacityTight() {
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
                Draft d = draft(String.format("job-%03d", i + 1), pick(teams), piece[0], piece[1]);
                d.title = "Job " + (i + 1) + " (" + piece[0] + " GPUs x " + piece[1] + " h)";
                d.value = Math.max(0.1, d.gpuHours() / 10 * between(0.8, 1.2));
                add(d);
            }
            return portfolio(pools, budget(Math.ceil(1.25 * totalGpuHours(drafts))), Map.of());
        }

        /**
         * Cuts a pool's GPUs x hours rectangle into {@code count} rectangles {gpus, hours} by guillotine cuts of
         * the largest piece: laid side by side they fill the pool exactly, so all fit, but only packed just so.
         */
        private List<int[]> cut(int gpus, int hours, int count) {
            if (count == 0) {
                return List.of();
            }
            PriorityQueue<int[]> queue = new PriorityQueue<>((a, b) -> a[0] * a[1] != b[0] * b[1]
                    ? Integer.compare(b[0] * b[1], a[0] * a[1]) : Integer.compare(a[2], b[2]));
            int made = 0;
            queue.add(new int[] {gpus, hours, made++});
            List<int[]> unsplittable = new ArrayList<>();
            while (queue.size() + unsplittable.size() < count && !queue.isEmpty()) {
                int[] piece = queue.poll();
                int w = piece[0];
                int h = piece[1];
                if (w * h < 2) {
                    unsplittable.add(piece);
                    continue;
                }
                boolean byGpus = h == 1 || (w > 1 && random.nextDouble() < 0.4);
                if (byGpus) {
                    int split = w % 2 == 0 && random.nextDouble() < 0.7 ? w / 2 : 1 + random.nextInt(w - 1);
                    queue.add(new int[] {split, h, made++});
                    queue.add(new int[] {w - split, h, made++});
                } else {
                    int low = Math.max(1, h / 4);
                    int high = Math.max(low, Math.min(h - 1, h - h / 4));
                    int split = low + random.nextInt(high - low + 1);
                    queue.add(new int[] {w, split, made++});
                    queue.add(new int[] {w, h - split, made++});
                }
            }
            List<int[]> result = new ArrayList<>(queue);
            result.addAll(unsplittable);
            result.sort((a, b) -> Integer.compare(a[2], b[2]));
            List<int[]> sizes = new ArrayList<>();
            result.forEach(piece -> sizes.add(new int[] {piece[0], piece[1]}));
            return sizes;
        }

        Portfolio realistic() {
            List<String> types = settings.pools() == 1 ? List.of("h100") : List.of("h100", "a100");
            int longest = Math.max(1, horizonHours / 4);
            Map<String, Double> teamShares = new LinkedHashMap<>();
            teamShares.put("pretrain", 0.35);
            teamShares.put("data", 0.15);
            teamShares.put("optim", 0.15);
            teamShares.put("evals", 0.15);
            teamShares.put("scaling", 0.1);
            teamShares.put("multimodal", 0.1);
            int requiredBaselines = 0;
            Draft pinned = null;
            Draft oversized = null;
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
            List<Draft> fitting = new ArrayList<>(drafts);
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
            for (Draft d : drafts) {
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
            Draft baseline = draft("pretrain-baseline-" + sizes[size], "pretrain", gpus, baseHours);
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
                Draft ablation = draft("pretrain-ablation-" + topic[0], "pretrain", gpus, hours(baseHours / 2, baseHours, longest / 3));
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
                    Draft followUp = draft("pretrain-followup-" + topic[0], "pretrain", gpus, hours(baseHours / 2, baseHours, longest / 3));
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
                Draft d = draft("data-tokenizer-retrain", "data", 8, hours(6, 12, longest));
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
                Draft d = draft("data-mix-web" + web, "data", 8, hours);
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
                Draft d = draft((warmup ? "optim-warmup-" : "optim-lr-") + setting, "optim", gpus, hours(4, 10, longest));
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
            Draft d = draft("evals-" + topic[0], "evals", pick(1, 2, 4, 4), hours(2, 12, longest));
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
            Draft d = draft("scaling-" + sizes[size] + "-probe", "scaling", new int[] {32, 32, 64}[size], hours(24, 48, longest));
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
            Draft baseline = draft("multimodal-baseline-" + topic[0], "multimodal", gpus, hours(8, 16, longest / 3));
            baseline.title = "Multimodal baseline with " + topic[1];
            baseline.value = between(20, 40);
            baseline.gpuType = random.nextDouble() < 0.5 ? gpuType : null;
            add(baseline);
            int children = 1 + random.nextInt(3);
            for (int c = 1; c <= children && drafts.size() < settings.proposals(); c++) {
                Draft d = draft("multimodal-" + topic[0] + "-stage" + (c + 1), "multimodal", gpus, hours(8, 24, longest / 3));
                d.title = "Multimodal " + topic[1] + ", stage " + (c + 1);
                d.value = between(20, 70);
                d.successProbability = decimal(between(0.5, 0.9), 2);
                d.gpuType = baseline.gpuType;
                d.dependsOn.add(baseline.key);
                add(d);
            }
        }

        /** Pools alternating between the types, sized to about {@code gpuHours} over the horizon, each fitting its runs. */
        private List<Pool> realisticPools(List<String> types, List<Draft> fitting, double gpuHours) {
            int anyTypeNeeds = 0;
            Map<String, Integer> typeNeeds = new LinkedHashMap<>();
            for (Draft d : fitting) {
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

        // ---- helpers ----

        /** A draft with a key unique in the portfolio: {@code stem-N}, N its position (1-based). */
        private Draft draft(String stem, String team, int gpus, int hours) {
            Draft d = new Draft();
            d.key = settings.shape() == Shape.REALISTIC ? stem + "-" + (drafts.size() + 1) : stem;
            d.team = team;
            d.gpus = gpus;
            d.hours = hours;
            return d;
        }

        private void add(Draft d) {
            drafts.add(d);
        }

        private List<Pool> samePools(String type, double gpuHours, int smallest) {
            int size = multipleOf8(Math.max(Math.max(smallest, maxGpus(drafts)), gpuHours / horizonHours / settings.pools()));
            List<Pool> pools = new ArrayList<>();
            for (int i = 0; i < settings.pools(); i++) {
                pools.add(new Pool(poolName(type, i), type, size, List.of()));
            }
            return pools;
        }

        private static String poolName(String type, int index) {
            return type + "-" + REGIONS[index % REGIONS.length] + (index < REGIONS.length ? "" : "-" + (index / REGIONS.length + 1));
        }

        private Portfolio portfolio(List<Pool> pools, BigDecimal budget, Map<String, BigDecimal> perTeam) {
            Horizon horizon = new Horizon(HORIZON_START, BigDecimal.valueOf(24L * settings.days()), Horizon.DEFAULT_SLOT_MINUTES);
            List<Proposal> proposals = drafts.stream().map(Draft::toProposal).toList();
            return new Portfolio(horizon, new Budget(budget, perTeam), pools, proposals);
        }

        private static BigDecimal budget(double gpuHours) {
            return decimal(Math.max(1, Math.round(gpuHours)), 0);
        }

        private static double totalGpuHours(List<Draft> drafts) {
            return drafts.stream().mapToDouble(Draft::gpuHours).sum();
        }

        private static int maxGpus(List<Draft> drafts) {
            return drafts.stream().mapToInt(d -> d.gpus).max().orElse(1);
        }

        private static int multipleOf8(double gpus) {
            return Math.max(8, (int) Math.ceil(gpus / 8) * 8);
        }

        /** Whole hours in [low, high], at most {@code longest} (and at least 1). */
        private int hours(int low, int high, int longest) {
            int h = low + random.nextInt(Math.max(1, high - low + 1));
            return Math.max(1, Math.min(h, longest));
        }

        private double between(double low, double high) {
            return low + random.nextDouble() * (high - low);
        }

        private int pick(int... options) {
            return options[random.nextInt(options.length)];
        }

        private String pick(String[] options) {
            return options[random.nextInt(options.length)];
        }

        private String weighted(Map<String, Double> shares) {
            double total = shares.values().stream().mapToDouble(Double::doubleValue).sum();
            double r = random.nextDouble() * total;
            String last = null;
            for (Map.Entry<String, Double> e : shares.entrySet()) {
                last = e.getKey();
                r -= e.getValue();
                if (r < 0) {
                    return last;
                }
            }
            return last;
        }
    }
}
