package dev.gpuplan.solver;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a (partial) plan uses, for building plans outside of score calculation: budget, each team's use
 * against its cap, the run holding each exclusive group, and GPUs in use per pool and slot. The greedy first
 * phase, the replanning moves' index, their drafts and the unselected reasons all keep their books here.
 * A {@link #draft()} is a cheap copy for trying changes: the slot usage is copied per pool on first write,
 * group holders are an overlay, and the team map (a handful of teams) is copied.
 */
public final class PlanTally {

    private final PlanTally base;
    private final long budgetLimit;
    private final Map<String, Long> teamCaps;
    private final SlotUsage usage;
    private final Map<String, Long> teamUse;
    /** Holders changed here: the new holder, or empty for none; the base answers for the others. */
    private final Map<String, Optional<Run>> groupHolders = new HashMap<>();
    private long budgetUse;

    /** An empty tally under the schedule's budget and team caps. */
    public PlanTally(GpuSchedule schedule) {
        this.base = null;
        this.budgetLimit = schedule.getBudget().gpuMilliHours();
        this.teamCaps = new HashMap<>();
        schedule.getTeamCaps().forEach(cap -> teamCaps.put(cap.team(), cap.gpuMilliHours()));
        this.usage = new SlotUsage();
        this.teamUse = new HashMap<>();
    }

    private PlanTally(PlanTally base) {
        this.base = base;
        this.budgetLimit = base.budgetLimit;
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
        budgetUse += run.getGpuMilliHours();
        teamUse.merge(run.getTeam(), run.getGpuMilliHours(), Long::sum);
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
        budgetUse -= run.getGpuMilliHours();
        teamUse.merge(run.getTeam(), -run.getGpuMilliHours(), Long::sum);
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
        return budgetLimit;
    }

    public long budgetUse() {
        return budgetUse;
    }

    /** Whether {@code cost} more fits the budget. */
    public boolean fitsBudget(long cost) {
        return budgetUse + cost <= budgetLimit;
    }

    /** The team's cap, or null when it has none. */
    public Long teamCap(String team) {
        return teamCaps.get(team);
    }

    public long teamUse(String team) {
        return teamUse.getOrDefault(team, 0L);
    }

    /** Whether {@code cost} more fits the team's cap (always, for a team without one). */
    public boolean fitsTeamCap(String team, long cost) {
        Long cap = teamCaps.get(team);
        return cap == null || teamUse(team) + cost <= cap;
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
        return fitsBudget(run.getGpuMilliHours()) && fitsTeamCap(run.getTeam(), run.getGpuMilliHours())
                && (run.getExclusiveGroup() == null || groupHolder(run.getExclusiveGroup()) == null);
    }

    /** GPUs in use per pool and slot, to find where a run fits. */
    public SlotUsage usage() {
        return usage;
    }
}
