package dev.gpuplan.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/** The two generated shapes with a known optimum hold what their optimum relies on, and the optimum is right. */
class KnownOptimumTest {

    private static final BigDecimal NINETY_FIVE_PERCENT = new BigDecimal("0.95");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4})
    void multipleChoiceOptimumEqualsTryingEveryChoice(long seed) {
        Portfolio portfolio = PortfolioGenerator.of(Shape.MULTIPLE_CHOICE, 20, seed).generate();
        BigDecimal usable = portfolio.budget().gpuHours().multiply(NINETY_FIVE_PERCENT);

        KnownOptimum.Optimum optimum = KnownOptimum.multipleChoice(portfolio, usable);

        List<List<Proposal>> groups = new ArrayList<>(byGroup(portfolio).values());
        assertThat(optimum.valueMilli()).isEqualTo(bestByEnumeration(groups, 0, BigDecimal.ZERO, usable));
        List<Proposal> chosen = portfolio.proposals().stream().filter(p -> optimum.selected().contains(p.key())).toList();
        assertThat(chosen.stream().map(Proposal::exclusiveGroup).distinct()).hasSameSizeAs(chosen);
        assertThat(chosen.stream().map(Proposal::gpuHours).reduce(BigDecimal.ZERO, BigDecimal::add)).isLessThanOrEqualTo(usable);
        assertThat(chosen.stream().mapToLong(KnownOptimumTest::milli).sum()).isEqualTo(optimum.valueMilli());
    }

    @Test
    void multipleChoiceShapeHasOnlyTheBudgetBinding() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.MULTIPLE_CHOICE, 140, 1).generate();
        Map<String, List<Proposal>> groups = byGroup(portfolio);
        assertThat(groups.size()).isBetween(28, 70);
        assertThat(groups.values()).allSatisfy(variants -> assertThat(variants.size()).isBetween(1, 5));
        assertThat(portfolio.proposals()).allSatisfy(p -> {
            assertThat(p.gpus()).isBetween(2, 32);
            assertThat(p.hours().intValueExact()).isBetween(2, 24);
        });
        BigDecimal largest = groups.values().stream()
                .map(variants -> variants.stream().map(Proposal::gpuHours).max(Comparator.naturalOrder()).orElseThrow())
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(portfolio.budget().gpuHours()).isEqualByComparingTo(largest.divide(BigDecimal.valueOf(2), 0, RoundingMode.HALF_UP));
        // one variant of every group runs at once: first fit of each group's widest variant into day-long layers
        int poolGpus = portfolio.pools().get(0).gpus();
        int[] layers = new int[portfolio.horizon().slotCount() / 24 * portfolio.pools().size()];
        for (List<Proposal> variants : groups.values()) {
            int widest = variants.stream().mapToInt(Proposal::gpus).max().orElseThrow();
            int layer = 0;
            while (layers[layer] + widest > poolGpus) {
                layer++; // runs off the end (and fails) if the pools were too small
            }
            layers[layer] += widest;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void tightPackingOptimumIsTheExactCut(long seed) {
        Portfolio portfolio = PortfolioGenerator.of(Shape.TIGHT_PACKING, 200, seed).generate();
        BigDecimal usable = portfolio.budget().gpuHours().multiply(NINETY_FIVE_PERCENT);

        KnownOptimum.Optimum optimum = KnownOptimum.tightPacking(portfolio, usable);

        long poolGpuHours = portfolio.pools().stream().mapToLong(p -> (long) p.gpus() * portfolio.horizon().slotCount()).sum();
        Set<String> cut = Set.copyOf(optimum.selected());
        List<Proposal> cutRuns = portfolio.proposals().stream().filter(p -> cut.contains(p.key())).toList();
        List<Proposal> decoys = portfolio.proposals().stream().filter(p -> !cut.contains(p.key())).toList();
        assertThat(cutRuns.stream().map(Proposal::gpuHours).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualByComparingTo(BigDecimal.valueOf(poolGpuHours));
        assertThat(decoys).hasSize(50);
        BigDecimal lowestCut = cutRuns.stream().map(KnownOptimumTest::density).min(Comparator.naturalOrder()).orElseThrow();
        assertThat(decoys).allSatisfy(d -> assertThat(density(d)).isLessThan(lowestCut));
        assertThat(usable).isGreaterThan(BigDecimal.valueOf(poolGpuHours));
        assertThat(optimum.valueMilli()).isEqualTo(cutRuns.stream().mapToLong(KnownOptimumTest::milli).sum());
    }

    @Test
    void refusesPortfoliosWithRulesItLeavesOut() {
        Portfolio realistic = PortfolioGenerator.of(Shape.REALISTIC, 60, 1).generate();
        assertThatThrownBy(() -> KnownOptimum.multipleChoice(realistic, realistic.budget().gpuHours()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not budget-only");
        Portfolio choices = PortfolioGenerator.of(Shape.MULTIPLE_CHOICE, 40, 1).generate();
        assertThatThrownBy(() -> KnownOptimum.tightPacking(choices, choices.budget().gpuHours()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclusive groups");
        Portfolio packing = PortfolioGenerator.of(Shape.TIGHT_PACKING, 40, 1).generate();
        assertThatThrownBy(() -> KnownOptimum.tightPacking(packing, BigDecimal.TEN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("budget could bind");
    }

    private static long bestByEnumeration(List<List<Proposal>> groups, int next, BigDecimal spent, BigDecimal usable) {
        if (next == groups.size()) {
            return 0;
        }
        long best = bestByEnumeration(groups, next + 1, spent, usable); // none of this group
        for (Proposal p : groups.get(next)) {
            BigDecimal after = spent.add(p.gpuHours());
            if (after.compareTo(usable) <= 0) {
                best = Math.max(best, milli(p) + bestByEnumeration(groups, next + 1, after, usable));
            }
        }
        return best;
    }

    private static Map<String, List<Proposal>> byGroup(Portfolio portfolio) {
        return portfolio.proposals().stream().collect(Collectors.groupingBy(Proposal::exclusiveGroup, LinkedHashMap::new, Collectors.toList()));
    }

    private static long milli(Proposal p) {
        return p.expectedValue().movePointRight(3).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static BigDecimal density(Proposal p) {
        return p.expectedValue().divide(p.gpuHours(), 12, RoundingMode.HALF_UP);
    }
}
