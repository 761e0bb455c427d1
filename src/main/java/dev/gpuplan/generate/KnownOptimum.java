package dev.gpuplan.generate;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;

/**
 * The exact best expected value of two generated shapes, computed from the portfolio alone (no solver code), so a
 * benchmark or a test can tell how far a plan is from the best one:
 * <ul>
 *   <li>{@link #multipleChoice}: a dynamic programme over exclusive groups and whole budget units;</li>
 *   <li>{@link #tightPacking}: the value-per-GPU-hour bound of the pools' GPU-hours, reached by the exact cut.</li>
 * </ul>
 * Values are in thousandths, each proposal's expected value rounded half up (as plans are scored).
 */
public final class KnownOptimum {

    /** Largest table the dynamic programme builds (groups x budget units). */
    static final long MAX_TABLE = 200_000_000L;

    /** The best expected value (thousandths) and the proposals of one plan that reaches it. */
    public record Optimum(long valueMilli, List<String> selected) {
    }

    private KnownOptimum() {
    }

    /**
     * The best expected value of a multiple-choice knapsack: at most one proposal per exclusive group (a proposal
     * without a group is a group of its own), GPU-hours within {@code usableBudget}. Exact when only the budget
     * binds, as in the {@code multiple-choice} shape (its pools hold one variant of every group at once); an upper
     * bound otherwise. Costs are counted in units of the greatest common divisor of the proposals' GPU-hours.
     *
     * @throws IllegalArgumentException if the portfolio has rules this model leaves out (dependencies, team caps,
     *                                  windows, required or pinned runs, pilots) or the table would be too large
     */
    public static Optimum multipleChoice(Portfolio portfolio, BigDecimal usableBudget) {
        requireBudgetOnly(portfolio);
        Map<String, List<Proposal>> groups = new LinkedHashMap<>();
        for (Proposal p : portfolio.proposals()) {
            if (fitsAPool(portfolio, p)) {
                groups.computeIfAbsent(p.exclusiveGroup() != null ? p.exclusiveGroup() : "\u0000" + p.key(), g -> new ArrayList<>()).add(p);
            }
        }
        long unit = 0;
        for (List<Proposal> group : groups.values()) {
            for (Proposal p : group) {
                unit = gcd(unit, costMilli(p));
            }
        }
        if (unit == 0) {
            return new Optimum(0, List.of());
        }
        long budgetMilli = usableBudget.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.FLOOR).longValueExact();
        int capacity = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(-1, budgetMilli / unit));
        if (capacity < 0) {
            return new Optimum(0, List.of());
        }
        if ((long) groups.size() * (capacity + 1) > MAX_TABLE) {
            throw new IllegalArgumentException("too large for the dynamic programme: " + groups.size() + " groups x "
                    + (capacity + 1) + " budget units");
        }
        List<List<Proposal>> ordered = new ArrayList<>(groups.values());
        long[] best = new long[capacity + 1]; // best value using at most b units, over the groups so far
        byte[][] choice = new byte[ordered.size()][]; // 0: none of the group; i + 1: its i-th proposal
        for (int g = 0; g < ordered.size(); g++) {
            List<Proposal> group = ordered.get(g);
            if (group.size() > Byte.MAX_VALUE) {
                throw new IllegalArgumentException("exclusive group with more than " + Byte.MAX_VALUE + " proposals");
            }
            long[] next = best.clone();
            byte[] chosen = new byte[capacity + 1];
            for (int i = 0; i < group.size(); i++) {
                Proposal p = group.get(i);
                int cost = (int) (costMilli(p) / unit);
                long value = valueMilli(p);
                for (int b = capacity; b >= cost; b--) {
                    long with = best[b - cost] + value;
                    if (with > next[b]) {
                        next[b] = with;
                        chosen[b] = (byte) (i + 1);
                    }
                }
            }
            best = next;
            choice[g] = chosen;
        }
        List<String> selected = new ArrayList<>();
        int b = capacity;
        for (int g = ordered.size() - 1; g >= 0; g--) {
            int i = choice[g][b];
            if (i > 0) {
                Proposal p = ordered.get(g).get(i - 1);
                selected.add(p.key());
                b -= (int) (costMilli(p) / unit);
            }
        }
        selected.sort(null);
        return new Optimum(best[capacity], List.copyOf(selected));
    }

    /**
     * The best expected value of a tight packing: no plan uses more GPU-hours than the pools have, so none is worth
     * more than the pools' GPU-hours filled with the most valuable GPU-hours first. When the proposals with the most
     * value per GPU-hour add up to exactly the pools' GPU-hours (the {@code tight-packing} shape's cut runs, which
     * also pack exactly, being cut from the pools), that bound is reached and this returns it with those proposals.
     *
     * @throws IllegalArgumentException if the portfolio has rules this model leaves out, the budget could bind, or
     *                                  no set of most valuable proposals fills the pools exactly
     */
    public static Optimum tightPacking(Portfolio portfolio, BigDecimal usableBudget) {
        requireBudgetOnly(portfolio);
        if (portfolio.proposals().stream().anyMatch(p -> p.exclusiveGroup() != null)) {
            throw new IllegalArgumentException("not a tight packing: exclusive groups");
        }
        long poolMilli = 0;
        for (Pool pool : portfolio.pools()) {
            if (!pool.unavailable().isEmpty()) {
                throw new IllegalArgumentException("not a tight packing: pool " + pool.name() + " has unavailable windows");
            }
            poolMilli += (long) pool.gpus() * portfolio.horizon().slotCount() * slotMilliHours(portfolio);
        }
        if (usableBudget.multiply(BigDecimal.valueOf(1000)).compareTo(BigDecimal.valueOf(poolMilli)) < 0) {
            throw new IllegalArgumentException("not a tight packing: the budget could bind");
        }
        List<Proposal> byDensity = new ArrayList<>(portfolio.proposals().stream().filter(p -> fitsAPool(portfolio, p)).toList());
        byDensity.sort(Comparator.comparingDouble((Proposal p) -> -(double) valueMilli(p) / costMilli(p)).thenComparing(Proposal::key));
        long used = 0;
        long value = 0;
        List<String> selected = new ArrayList<>();
        for (Proposal p : byDensity) {
            if (used == poolMilli) {
                break;
            }
            used += costMilli(p);
            value += valueMilli(p);
            selected.add(p.key());
        }
        if (used != poolMilli) {
            throw new IllegalArgumentException("not a tight packing: the most valuable proposals fill " + used
                    + " of the pools' " + poolMilli + " thousandths of a GPU-hour");
        }
        selected.sort(null);
        return new Optimum(value, List.copyOf(selected));
    }

    private static void requireBudgetOnly(Portfolio portfolio) {
        if (!portfolio.budget().perTeam().isEmpty()) {
            throw new IllegalArgumentException("not budget-only: team caps");
        }
        for (Proposal p : portfolio.proposals()) {
            if (!p.prerequisites().isEmpty() || p.required() || p.pinned() != null || p.earliestStart() != null
                    || p.deadline() != null) {
                throw new IllegalArgumentException("not budget-only: " + p.key() + " has a dependency, pilot, window, pin or is required");
            }
        }
    }

    private static boolean fitsAPool(Portfolio portfolio, Proposal p) {
        long hours = p.hours().multiply(BigDecimal.valueOf(60)).setScale(0, RoundingMode.CEILING).longValueExact();
        return hours <= (long) portfolio.horizon().slotCount() * portfolio.horizon().slotMinutes()
                && portfolio.pools().stream().anyMatch(pool -> pool.gpus() >= p.gpus() && (p.gpuType() == null || p.gpuType().equals(pool.gpuType())));
    }

    private static long slotMilliHours(Portfolio portfolio) {
        return portfolio.horizon().slotMinutes() * 1000L / 60;
    }

    private static long costMilli(Proposal p) {
        return p.gpuHours().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    private static long valueMilli(Proposal p) {
        return p.expectedValue().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
