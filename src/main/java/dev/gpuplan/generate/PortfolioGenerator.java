package dev.gpuplan.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import dev.gpuplan.domain.Portfolio;

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
        BUDGET_ONLY(1, 7, "knapsack: value follows cost, one big pool, only the budget binds", BudgetOnly::new),
        /** Cheap baselines that unlock valuable ablations (and follow-ups of those). */
        DEPENDENCY_FOREST(2, 7, "cheap baselines unlocking valuable ablations and follow-ups", DependencyForest::new),
        /** Groups of variants of which at most one may run. */
        EXCLUSIVE_GROUPS(2, 7, "groups of 2-5 variants, at most one of each may run", ExclusiveGroups::new),
        /** Runs cut from the pools' GPU x time rectangles: all fit only with a perfect packing; budget not binding. */
        CAPACITY_TIGHT(2, 3, "runs that all fit only with a perfect packing; the budget does not bind", CapacityTight::new),
        /** Teams with caps, two GPU types, baselines and ablations, variants, maintenance, deadlines, a pinned run. */
        REALISTIC(3, 14, "teams with caps, two GPU types, baselines->ablations, variants, maintenance, deadlines", Realistic::new),
        /** A multiple-choice knapsack: groups of exclusive variants of different sizes; only the budget binds. */
        MULTIPLE_CHOICE(1, 7, "groups of 2-5 exclusive variants of 2-32 GPUs x 2-24 h; only the budget binds (exact optimum known)",
                MultipleChoice::new),
        /** Pools cut exactly into runs, plus decoys worth less per GPU-hour; capacity binds, the budget does not. */
        TIGHT_PACKING(2, 3, "pools cut exactly into runs, plus lower-density decoys; capacity binds (exact optimum known)",
                TightPacking::new);

        private final int defaultPools;
        private final int defaultDays;
        private final String description;
        /** Makes one generation of this shape (a class per shape). */
        private final Function<PortfolioGenerator, ShapeBuilder> builder;

        Shape(int defaultPools, int defaultDays, String description, Function<PortfolioGenerator, ShapeBuilder> builder) {
            this.defaultPools = defaultPools;
            this.defaultDays = defaultDays;
            this.description = description;
            this.builder = builder;
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
        return shape.builder.apply(this).build();
    }

    /** A number as written in a file: no trailing zeros, never in exponent form. */
    static BigDecimal decimal(double amount, int places) {
        BigDecimal exact = BigDecimal.valueOf(amount).setScale(places, RoundingMode.HALF_UP).stripTrailingZeros();
        return exact.scale() < 0 ? exact.setScale(0) : exact;
    }
}
