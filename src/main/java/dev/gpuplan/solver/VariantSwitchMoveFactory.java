package dev.gpuplan.solver;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Switches one exclusive group to another of its variants and repairs the budget in the same move, for portfolios
 * of many variants of different sizes under a binding budget (a multiple-choice knapsack). Exchanging a variant for
 * a bigger one only pays when another group gives up GPU-hours at the same time, which the one-run moves and
 * {@link ReplanMoveFactory}'s insert (that frees room by taking whole runs out) rarely find. The move:
 * <ol>
 *   <li>takes a random group's variant in (at its earliest free start) and its current holder out;</li>
 *   <li>while the budget is exceeded, makes the cheapest repair: of taking out one of the runs that lose least
 *       per GPU-hour, or <i>stepping another group down</i> to a cheaper variant, the one that loses least value
 *       per GPU-hour freed;</li>
 *   <li>brings team caps back within limits as insert does, then spends what budget is left on the best value per
 *       extra GPU-hour: stepping a group up to a bigger variant, or taking a run in.</li>
 * </ol>
 * Groups are looked at all together when there are at most {@value #GROUPS_SCANNED}, else a random sample of that
 * many per decision, so that a move costs the same on 10,000-run plans. Runs with selected dependents, pinned or
 * required runs never step up or down.
 */
public class VariantSwitchMoveFactory extends IndexedMoveFactory {

    static final int GROUPS_SCANNED = 64;
    private static final int DROPS_SCANNED = 3;
    private static final int STEP_UPS = 8;

    /** Only plans with an exclusive group of two or more runs that may move. */
    @Override
    boolean appliesTo(PlanIndex plan) {
        return !plan.groups.isEmpty();
    }

    @Override
    Optional<ReplanMove> build(PlanIndex plan, Random random) {
        if (plan.groups.isEmpty()) {
            return Optional.empty();
        }
        String group = plan.groups.get(random.nextInt(plan.groups.size()));
        List<Run> variants = plan.variantsOf(group);
        ReplanDraft draft = new ReplanDraft(plan);
        Run holder = draft.groupHolder(group);
        Run target = variants.get(random.nextInt(variants.size()));
        if (target == holder || !draft.prerequisitesSelected(target)) {
            return Optional.empty();
        }
        draft.protectWithAncestors(List.of(target));
        if (holder != null && !draft.remove(holder)) {
            return Optional.empty();
        }
        if (!draft.placeEarliest(target)) {
            return Optional.empty();
        }
        if (!repairBudget(draft, random)) {
            return Optional.empty();
        }
        if (!draft.makeRoom(Charge.NONE, Map.of(target.getTeam(), Charge.NONE), random)) {
            return Optional.empty();
        }
        stepUp(draft, random);
        draft.refill();
        return draft.move("switch");
    }

    /** Repairs until the budget holds: each time the drop or step-down that loses least value per GPU-hour freed. */
    private static boolean repairBudget(ReplanDraft draft, Random random) {
        PlanIndex plan = draft.plan;
        while (!draft.tally.fitsBudget(Charge.NONE)) {
            Run out = null;
            Run in = null;
            double lowestLoss = Double.MAX_VALUE;
            int seen = 0;
            for (Run run : plan.removable) {
                if (draft.selected(run) && !draft.protectedRuns.contains(run)) {
                    double loss = PlanIndex.density(run);
                    if (loss < lowestLoss) {
                        lowestLoss = loss;
                        out = run;
                    }
                    if (++seen == DROPS_SCANNED) {
                        break;
                    }
                }
            }
            for (int g : groupsToScan(plan, random)) {
                Run current = changeable(draft, plan.groups.get(g));
                if (current == null) {
                    continue;
                }
                for (Run variant : plan.variantsOf(plan.groups.get(g))) {
                    long freed = current.getChargeMilliHours() - variant.getChargeMilliHours();
                    if (freed <= 0 || !draft.prerequisitesSelected(variant)) {
                        continue;
                    }
                    double loss = (double) (current.getExpectedMilliValue() - variant.getExpectedMilliValue()) / freed;
                    if (loss < lowestLoss) {
                        lowestLoss = loss;
                        out = current;
                        in = variant;
                    }
                }
            }
            if (out == null || !draft.remove(out)) {
                return false;
            }
            // cheaper than what went out, so the budget is nearer to holding; where it cannot go in, the step-down was a drop
            if (in != null && draft.tally.fitsTeamCap(in.getTeam(), in.getCharge())) {
                draft.placeEarliest(in);
            }
        }
        return true;
    }

    /** Spends leftover budget: the step-up or new run bringing most value per extra GPU-hour that fits, a few times. */
    private static void stepUp(ReplanDraft draft, Random random) {
        PlanIndex plan = draft.plan;
        for (int step = 0; step < STEP_UPS; step++) {
            Run out = null;
            Run in = null;
            double bestGain = 0;
            for (int g : groupsToScan(plan, random)) {
                String group = plan.groups.get(g);
                Run current = draft.groupHolder(group);
                if (current != null && changeable(draft, group) == null) {
                    continue;
                }
                for (Run variant : plan.variantsOf(group)) {
                    if (variant == current || draft.selected(variant) || !draft.prerequisitesSelected(variant)) {
                        continue;
                    }
                    Charge extra = current == null ? variant.getCharge() : variant.getCharge().minus(current.getCharge());
                    long gain = variant.getExpectedMilliValue() - (current == null ? 0 : current.getExpectedMilliValue());
                    if (gain <= 0 || !draft.tally.fitsBudget(extra) || !draft.tally.fitsTeamCap(variant.getTeam(), extra)) {
                        continue;
                    }
                    double perHour = (double) gain / Math.max(1, extra.meanMilliHours());
                    if (perHour > bestGain) {
                        bestGain = perHour;
                        out = current;
                        in = variant;
                    }
                }
            }
            if (in == null) {
                return;
            }
            if (out != null && !draft.remove(out)) {
                return;
            }
            if (!draft.placeEarliest(in)) {
                if (out != null) {
                    draft.placeEarliest(out); // its place is free again
                }
                return;
            }
        }
    }

    /** The group's holder if it may step up or down: not pinned, not required, not protected, no selected dependents. */
    private static Run changeable(ReplanDraft draft, String group) {
        Run holder = draft.groupHolder(group);
        if (holder == null || holder.isPinned() || holder.isRequired() || draft.protectedRuns.contains(holder)) {
            return null;
        }
        for (Run dependent : draft.dependents(holder)) {
            if (draft.selected(dependent)) {
                return null;
            }
        }
        return holder;
    }

    /** Indexes into {@link PlanIndex#groups}: all of them, or a random sample of {@value #GROUPS_SCANNED}. */
    private static int[] groupsToScan(PlanIndex plan, Random random) {
        int count = plan.groups.size();
        if (count <= GROUPS_SCANNED) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] sample = new int[GROUPS_SCANNED];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = random.nextInt(count);
        }
        return sample;
    }
}
