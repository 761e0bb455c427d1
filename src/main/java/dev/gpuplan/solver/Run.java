package dev.gpuplan.solver;

import java.util.List;
import java.util.Objects;

import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.entity.PlanningPin;
import org.optaplanner.core.api.domain.lookup.PlanningId;
import org.optaplanner.core.api.domain.valuerange.CountableValueRange;
import org.optaplanner.core.api.domain.valuerange.ValueRangeFactory;
import org.optaplanner.core.api.domain.valuerange.ValueRangeProvider;
import org.optaplanner.core.api.domain.variable.PlanningVariable;
import org.optaplanner.core.api.domain.variable.ShadowVariable;

/**
 * One proposal as a planning entity. It is selected when it has a {@code pool}; it then occupies
 * {@code durationSlots} slots from {@code startSlot}. Both variables range only over what the proposal
 * could ever use (pools it fits on, starts inside its window), so most hard rules hold by construction;
 * the constraints still check them for pinned runs and for explanation.
 * Amounts are scaled to exact integers: GPU-hours and expected value in thousandths.
 */
@PlanningEntity
public class Run {

    @PlanningId
    private Integer id;
    private String key;
    private String team;
    private String exclusiveGroup;
    private int gpus;
    private int durationSlots;
    private long gpuMilliHours;
    private long expectedMilliValue;
    /** What the run counts against budget and team cap: its estimate, unless overruns are learned or a pilot gates it. */
    private long chargeMilliHours;
    private long chargeVarianceMilli;
    private int earliestStartSlot;
    private int latestStartSlot;
    /** Slot by which the run should end to keep the configured margin before its deadline; MAX_VALUE if none. */
    private int deadlineMarginSlot = Integer.MAX_VALUE;
    private boolean required;
    @PlanningPin
    private boolean pinned;
    private List<PoolTimeline> fittingPools;

    @PlanningVariable(valueRangeProviderRefs = "fittingPools", nullable = true)
    private PoolTimeline pool;
    @PlanningVariable(valueRangeProviderRefs = "startSlots")
    private Integer startSlot;
    /**
     * Bookkeeping, not a rule: its listener notes the run in {@link ChangedRuns} whenever its pool or start
     * changes. Never set, never read by a constraint.
     */
    @ShadowVariable(variableListenerClass = ChangedRuns.Listener.class, sourceVariableName = "pool")
    @ShadowVariable(variableListenerClass = ChangedRuns.Listener.class, sourceVariableName = "startSlot")
    private Boolean changeNoted;

    /** For the solver's cloning only. */
    Run() {
    }

    public Run(int id, String key, String team, int gpus, int durationSlots, long gpuMilliHours, long expectedMilliValue,
               int earliestStartSlot, int latestStartSlot, List<PoolTimeline> fittingPools) {
        this.id = id;
        this.key = key;
        this.team = team;
        this.gpus = gpus;
        this.durationSlots = durationSlots;
        this.gpuMilliHours = gpuMilliHours;
        this.expectedMilliValue = expectedMilliValue;
        this.chargeMilliHours = gpuMilliHours;
        this.earliestStartSlot = earliestStartSlot;
        this.latestStartSlot = latestStartSlot;
        this.fittingPools = List.copyOf(fittingPools);
        this.startSlot = earliestStartSlot;
    }

    Run withExclusiveGroup(String exclusiveGroup) {
        this.exclusiveGroup = exclusiveGroup;
        return this;
    }

    /** Counts the run against budget and team cap with this mean and variance instead of its estimate. */
    Run withCharge(Charge charge) {
        this.chargeMilliHours = charge.meanMilliHours();
        this.chargeVarianceMilli = Math.min(charge.varianceMilli(), Charge.MAX_VARIANCE);
        return this;
    }

    Run withRequired(boolean required) {
        this.required = required;
        return this;
    }

    Run withDeadlineMarginSlot(int deadlineMarginSlot) {
        this.deadlineMarginSlot = deadlineMarginSlot;
        return this;
    }

    /** A copy of every field, for {@link GpuScheduleCloner}: a field added to Run must be copied here too. */
    Run copy() {
        Run copy = new Run();
        copy.id = id;
        copy.key = key;
        copy.team = team;
        copy.exclusiveGroup = exclusiveGroup;
        copy.gpus = gpus;
        copy.durationSlots = durationSlots;
        copy.gpuMilliHours = gpuMilliHours;
        copy.expectedMilliValue = expectedMilliValue;
        copy.chargeMilliHours = chargeMilliHours;
        copy.chargeVarianceMilli = chargeVarianceMilli;
        copy.earliestStartSlot = earliestStartSlot;
        copy.latestStartSlot = latestStartSlot;
        copy.deadlineMarginSlot = deadlineMarginSlot;
        copy.required = required;
        copy.pinned = pinned;
        copy.fittingPools = fittingPools;
        copy.pool = pool;
        copy.startSlot = startSlot;
        copy.changeNoted = changeNoted;
        return copy;
    }

    /** Fixes the run where it already is: the solver will not move it. */
    Run pinnedAt(PoolTimeline pool, int startSlot) {
        this.pool = pool;
        this.startSlot = startSlot;
        this.pinned = true;
        return this;
    }

    @ValueRangeProvider(id = "fittingPools")
    public List<PoolTimeline> getFittingPools() {
        return fittingPools;
    }

    @ValueRangeProvider(id = "startSlots")
    public CountableValueRange<Integer> getStartSlotRange() {
        return ValueRangeFactory.createIntValueRange(earliestStartSlot, latestStartSlot + 1);
    }

    public boolean isSelected() {
        return pool != null;
    }

    /** The first slot after the run. */
    public int endSlot() {
        return startSlot + durationSlots;
    }

    public boolean fitsOn(PoolTimeline candidate) {
        return fittingPools.contains(candidate);
    }

    public boolean isInsideWindow() {
        return startSlot >= earliestStartSlot && startSlot <= latestStartSlot;
    }

    /** Slots by which the run starts too early or ends too late for its window. */
    public int slotsOutsideWindow() {
        return Math.max(0, earliestStartSlot - startSlot) + Math.max(0, startSlot - latestStartSlot);
    }

    /** GPU-slots the run spends inside the margin before its deadline. */
    public long gpuSlotsInsideDeadlineMargin() {
        return (long) gpus * Math.max(0, endSlot() - Math.max(startSlot, deadlineMarginSlot));
    }

    public Integer getId() {
        return id;
    }

    public String getKey() {
        return key;
    }

    public String getTeam() {
        return team;
    }

    public String getExclusiveGroup() {
        return exclusiveGroup;
    }

    public int getGpus() {
        return gpus;
    }

    public int getDurationSlots() {
        return durationSlots;
    }

    public long getGpuMilliHours() {
        return gpuMilliHours;
    }

    /** The mean GPU-hours (thousandths) the run counts against budget and team cap. */
    public long getChargeMilliHours() {
        return chargeMilliHours;
    }

    /** The variance (thousandths of a GPU-hour squared) of what the run counts against budget and team cap. */
    public long getChargeVarianceMilli() {
        return chargeVarianceMilli;
    }

    public Charge getCharge() {
        return new Charge(chargeMilliHours, chargeVarianceMilli);
    }

    public long getExpectedMilliValue() {
        return expectedMilliValue;
    }

    public int getEarliestStartSlot() {
        return earliestStartSlot;
    }

    public int getLatestStartSlot() {
        return latestStartSlot;
    }

    public boolean isRequired() {
        return required;
    }

    public boolean isPinned() {
        return pinned;
    }

    public PoolTimeline getPool() {
        return pool;
    }

    public void setPool(PoolTimeline pool) {
        this.pool = pool;
    }

    public Integer getStartSlot() {
        return startSlot;
    }

    public void setStartSlot(Integer startSlot) {
        this.startSlot = startSlot;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Run other && Objects.equals(id, other.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String toString() {
        return key + (pool == null ? " (unselected)" : " @" + pool + ":" + startSlot);
    }
}
