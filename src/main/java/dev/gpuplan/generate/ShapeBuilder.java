package dev.gpuplan.generate;

import static dev.gpuplan.generate.PortfolioGenerator.HORIZON_START;
import static dev.gpuplan.generate.PortfolioGenerator.decimal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;

/**
 * One generation of one {@link PortfolioGenerator.Shape}: the random source, the proposals made so far and the
 * helpers every shape draws with. A subclass per shape says what it makes in {@link #build()}; the order of
 * random draws is part of the contract (the same seed must keep giving the same portfolio).
 */
abstract class ShapeBuilder {

    private static final String[] REGIONS = {"west", "east", "north", "south", "central", "eu", "asia", "lab"};

    final PortfolioGenerator settings;
    final Random random;
    final int horizonHours;
    final List<ProposalDraft> drafts = new ArrayList<>();

    ShapeBuilder(PortfolioGenerator settings) {
        this.settings = settings;
        this.random = new Random(settings.seed());
        this.horizonHours = settings.days() * 24;
    }

    /** The portfolio, with exactly {@code settings.proposals()} proposals. */
    abstract Portfolio build();

    /** A proposal's key made from its stem: the stem itself, unless the shape's stems repeat. */
    String key(String stem) {
        return stem;
    }

    /** A proposal under construction, keyed {@link #key(String)}. */
    ProposalDraft draft(String stem, String team, int gpus, int hours) {
        ProposalDraft d = new ProposalDraft();
        d.key = key(stem);
        d.team = team;
        d.gpus = gpus;
        d.hours = hours;
        return d;
    }

    void add(ProposalDraft d) {
        drafts.add(d);
    }

    List<Pool> samePools(String type, double gpuHours, int smallest) {
        int size = multipleOf8(Math.max(Math.max(smallest, maxGpus(drafts)), gpuHours / horizonHours / settings.pools()));
        List<Pool> pools = new ArrayList<>();
        for (int i = 0; i < settings.pools(); i++) {
            pools.add(new Pool(poolName(type, i), type, size, List.of()));
        }
        return pools;
    }

    static String poolName(String type, int index) {
        return type + "-" + REGIONS[index % REGIONS.length] + (index < REGIONS.length ? "" : "-" + (index / REGIONS.length + 1));
    }

    Portfolio portfolio(List<Pool> pools, BigDecimal budget, Map<String, BigDecimal> perTeam) {
        Horizon horizon = new Horizon(HORIZON_START, BigDecimal.valueOf(24L * settings.days()), Horizon.DEFAULT_SLOT_MINUTES);
        List<Proposal> proposals = drafts.stream().map(ProposalDraft::toProposal).toList();
        return new Portfolio(horizon, new Budget(budget, perTeam), pools, proposals);
    }

    static BigDecimal budget(double gpuHours) {
        return decimal(Math.max(1, Math.round(gpuHours)), 0);
    }

    static double totalGpuHours(List<ProposalDraft> drafts) {
        return drafts.stream().mapToDouble(ProposalDraft::gpuHours).sum();
    }

    static int maxGpus(List<ProposalDraft> drafts) {
        return drafts.stream().mapToInt(d -> d.gpus).max().orElse(1);
    }

    static int multipleOf8(double gpus) {
        return Math.max(8, (int) Math.ceil(gpus / 8) * 8);
    }

    /** Whole hours in [low, high], at most {@code longest} (and at least 1). */
    int hours(int low, int high, int longest) {
        int h = low + random.nextInt(Math.max(1, high - low + 1));
        return Math.max(1, Math.min(h, longest));
    }

    double between(double low, double high) {
        return low + random.nextDouble() * (high - low);
    }

    int pick(int... options) {
        return options[random.nextInt(options.length)];
    }

    String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    String weighted(Map<String, Double> shares) {
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

    /**
     * Cuts a pool's GPUs x hours rectangle into {@code count} rectangles {gpus, hours} by guillotine cuts of
     * the largest piece: laid side by side they fill the pool exactly, so all fit, but only packed just so.
     */
    List<int[]> cut(int gpus, int hours, int count) {
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
}
