package dev.gpuplan.solver;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a (partial) plan uses, for building plans outside of score calculation: budget, each team's use
 * against its cap (both as summed {@link Charge}s, judged at the confidence quantile exactly as the constraints judge them), the run holding each exclusive group, and GPUs in use per pool and slot. The greedy first
 * phase, the replanning moves' index, their drafts and the unselected reasons all keep their books here.
 * A {@link #draft()} is a cheap copy for trying changes: the slot usage is copied per pool on first write,
 * group holders are an overlay, and the team map (a handful of teams) is copied.
 */
public final class PlanTally {

    private final PlanTally base;
    private final BudgetLimit budget;
    private final Map<String, TeamCap> teamCaps;
    private final SlotUsage usage;
    /** Each team's summed charges (immutable values, so a draft's copy of the map is independent). */
    private final Map<String, Charge> teamUse;
    /** Holders changed here: the new holder, or empty for none; the base answers for the others. */
    private final Map<String, Optional<Run>> groupHolders = new HashMap<>();
    private Charge budgetUse = Charge.NONE;

    /** An empty tally under the schedule's budget and team caps. */
    public PlanTally(GpuSchedule schedule) {
        this.base = null;
        this.budget = schedule.getBudget();
        this.teamCaps = new HashMap<>();
        schedule.getTeamCaps().forEach(cap -> teamCaps.put(cap.team(), cap));
        this.usage = new SlotUsage();
        this.teamUse = new HashMap<>();
    }

    private PlanTally(PlanTally base) {
        this.base = base;
        this.budget = base.budget;
        this.teamCaps = base.teamCaps;
        this.usage = base.usage.draft();
        this.teamUse = new HashMap<>(base.teamUse);
        this.budgetUse = base.budgetUse;
    }

    /** A copy to try changes on; this tally does not see them. */
    public PlanTally draft() {
        return new PlanTally(this);
    }

    /** Books the run where it is now (its pool and start). */
    public void book(Run run) {
        book(run, run.getPool(), run.getStartSlot());
    }

    public void book(Run run, PoolTimeline pool, int startSlot) {
        usage.book(run, pool, startSlot);
        budgetUse = budgetUse.plus(run.getCharge());
        teamUse.merge(run.getTeam(), run.getCharge(), Charge::plus);
        if (run.getExclusiveGroup() != null) {
            groupHolders.put(run.getExclusiveGroup(), Optional.of(run));
        }
    }

    /** Frees what {@link #book(Run)} booked for the run where it is now. */
    public void release(Run run) {
        release(run, run.getPool(), run.getStartSlot());
    }

    public void release(Run run, PoolTimeline pool, int startSlot) {
        usage.release(run, pool, startSlot);
        budgetUse = budgetUse.minus(run.getCharge());
        teamUse.merge(run.getTeam(), run.getCharge(), Charge::minus);
        if (run.getExclusiveGroup() != null && groupHolder(run.getExclusiveGroup()) == run) {
            groupHolders.put(run.getExclusiveGroup(), Optional.empty());
        }
    }

    /** Moves a booked run: its GPUs change place, its costs stay. */
    public void move(Run run, PoolTimeline fromPool, int fromStart, PoolTimeline toPool, int toStart) {
        usage.release(run, fromPool, fromStart);
        usage.book(run, toPool, toStart);
    }

    public long budgetLimit() {
        return budget.gpuMilliHours();
    }

    /** The booked runs' charges at the budget's quantile (their plain sum without learned overruns). */
    public long budgetUse() {
        return budget.quantile(budgetUse.meanMilliHours(), budgetUse.varianceMilli());
    }

    /** The booked runs' summed charges. */
    public Charge budgetCharge() {
        return budgetUse;
    }

    /** Whether {@code charge} more fits the budget (at its quantile). */
    public boolean fitsBudget(Charge charge) {
        Charge after = budgetUse.plus(charge);
        return budget.quantile(after.meanMilliHours(), after.varianceMilli()) <= budget.gpuMilliHours();
    }

    /** Whether the budget would hold with {@code charge} more and {@code freed} less. */
    public boolean fitsBudget(Charge charge, Charge freed) {
        return fitsBudget(charge.minus(freed));
    }

    /** The team's cap, or null when it has none. */
    public Long teamCap(String team) {
        TeamCap cap = teamCaps.get(team);
        return cap == null ? null : cap.gpuMilliHours();
    }

    /** The team's booked charges at the cap's quantile (their plain sum without learned overruns). */
    public long teamUse(String team) {
        Charge use = teamUse.getOrDefault(team, Charge.NONE);
        TeamCap cap = teamCaps.get(team);
        return cap == null ? use.meanMilliHours() : cap.quantile(use.meanMilliHours(), use.varianceMilli());
    }

    /** Whether {@code charge} more fits the team's cap (always, for a team without one). */
    public boolean fitsTeamCap(String team, Charge charge) {
        TeamCap cap = teamCaps.get(team);
        if (cap == null) {
            return true;
        }
        Charge after = teamUse.getOrDefault(team, Charge.NONE).plus(charge);
        return cap.quantile(after.meanMilliHours(), after.varianceMilli()) <= cap.gpuMilliHours();
    }

    /** The booked run holding the group, or null. */
    public Run groupHolder(String group) {
        Optional<Run> changed = groupHolders.get(group);
        if (changed != null) {
            return changed.orElse(null);
        }
        return base != null ? base.groupHolder(group) : null;
    }

    /** Whether the run could be booked as far as budget, its team cap and its exclusive group go. */
    public boolean allows(Run run) {
        return fitsBudget(run.getCharge()) && fitsTeamCap(run.getTeam(), run.getCharge())
                && (run.getExclusiveGroup() == null || groupHolder(run.getExclusiveGroup()) == null);
    }

    /** GPUs in use per pool and slot, to find where a run fits. */
    public SlotUsage usage() {
        return usage;
    }
}
