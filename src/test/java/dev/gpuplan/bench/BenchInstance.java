package dev.gpuplan.bench;

import java.time.Duration;

import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/** One generated benchmark portfolio: a {@link PortfolioGenerator} setting and the time limit our solver gets on it. */
public record BenchInstance(PortfolioGenerator generator, Duration timeLimit) {

    public static BenchInstance of(Shape shape, int proposals, long seed, Duration timeLimit) {
        return new BenchInstance(PortfolioGenerator.of(shape, proposals, seed), timeLimit);
    }

    /** {@code realistic-200-s1}: shape, proposals, seed (and pools x days when not the shape's defaults). */
    public String name() {
        PortfolioGenerator g = generator;
        String base = g.shape().cliName() + "-" + g.proposals() + "-s" + g.seed();
        boolean defaults = g.pools() == g.shape().defaultPools() && g.days() == g.shape().defaultDays();
        return defaults ? base : base + "-" + g.pools() + "x" + g.days() + "d";
    }

    /** {@code 200p 3x14d}: proposals, pools x days. */
    public String size() {
        return generator.proposals() + "p " + generator.pools() + "x" + generator.days() + "d";
    }

    public Portfolio portfolio() {
        return generator.generate();
    }
}
