package dev.gpuplan.solver;

import static org.optaplanner.core.api.score.stream.ConstraintCollectors.count;
import static org.optaplanner.core.api.score.stream.ConstraintCollectors.sumLong;
import static org.optaplanner.core.api.score.stream.Joiners.equal;

import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;
import org.optaplanner.core.api.score.stream.Constraint;
import org.optaplanner.core.api.score.stream.ConstraintFactory;
import org.optaplanner.core.api.score.stream.ConstraintProvider;

import dev.gpuplan.domain.Rule;
import dev.gpuplan.solver.Justifications.BrokenDependency;
import dev.gpuplan.solver.Justifications.ExpectedValue;
import dev.gpuplan.solver.Justifications.InsideDeadlineMargin;
import dev.gpuplan.solver.Justifications.LateResult;
import dev.gpuplan.solver.Justifications.OutsideWindow;
import dev.gpuplan.solver.Justifications.OverBudget;
import dev.gpuplan.solver.Justifications.OverCapacity;
import dev.gpuplan.solver.Justifications.OverTeamCap;
import dev.gpuplan.solver.Justifications.RequiredNotSelected;
import dev.gpuplan.solver.Justifications.SeveralInGroup;
import dev.gpuplan.solver.Justifications.WrongPool;

/**
 * The rules of SPEC section 3, one method each. {@code forEach(Run.class)} sees selected runs only
 * (a run without a pool is not selected); {@code forEachIncludingNullVars} sees all.
 */
public class GpuPlanConstraintProvider implements ConstraintProvider {

    @Override
    public Constraint[] defineConstraints(ConstraintFactory factory) {
        return new Constraint[] {
                // Hard
                budget(factory),
                teamCap(factory),
                poolCapacity(factory),
                gpuFit(factory),
                dependency(factory),
                exclusiveGroup(factory),
                timeWindow(factory),
                required(factory),
                // Medium
                expectedValue(factory),
                // Soft
                earlierResults(factory),
                deadlineMargin(factory)
        };
    }

    /** GPU-hours of selected runs stay within the budget (less the reserve); penalised by the excess. */
    Constraint budget(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(sumLong(Run::getGpuMilliHours))
                .join(BudgetLimit.class)
                .filter((used, limit) -> used > limit.gpuMilliHours())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (used, limit) -> used - limit.gpuMilliHours())
                .justifyWith((used, limit, score) -> new OverBudget(used, limit.gpuMilliHours()))
                .asConstraint(Rule.BUDGET.id());
    }

    /** Per team, selected GPU-hours stay within the team's cap; penalised by the excess. */
    Constraint teamCap(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(Run::getTeam, sumLong(Run::getGpuMilliHours))
                .join(TeamCap.class, equal((team, used) -> team, TeamCap::team))
                .filter((team, used, cap) -> used > cap.gpuMilliHours())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (team, used, cap) -> used - cap.gpuMilliHours())
                .justifyWith((team, used, cap, score) -> new OverTeamCap(team, used, cap.gpuMilliHours()))
                .asConstraint(Rule.TEAM_CAP.id());
    }

    /** On every pool at every slot, GPUs of runs in progress fit the pool's capacity; penalised by GPU-slots over. */
    Constraint poolCapacity(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(Run::getPool, PoolLoad.overflow())
                .filter((pool, overflow) -> overflow > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (pool, overflow) -> overflow)
                .justifyWith((pool, overflow, score) -> new OverCapacity(pool.getName(), overflow))
                .asConstraint(Rule.POOL_CAPACITY.id());
    }

    /** A run uses a pool of its GPU type that is big enough; penalised by the run's GPUs. */
    Constraint gpuFit(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> !run.fitsOn(run.getPool()))
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Run::getGpus)
                .justifyWith((run, score) -> new Justifications.WrongPool(run.getKey(), run.getPool().getName()))
                .asConstraint(Rule.GPU_FIT.id());
    }

    /**
     * A selected run's dependencies are selected and end no later than it starts; penalised by the
     * dependent's slots when the dependency is missing, by the overlapping slots when it is late.
     */
    Constraint dependency(ConstraintFactory factory) {
        return factory.forEach(Dependency.class)
                .join(Run.class, equal(Dependency::dependentId, Run::getId))
                .join(factory.forEachIncludingNullVars(Run.class),
                        equal((dependency, dependent) -> dependency.prerequisiteId(), Run::getId))
                .filter((dependency, dependent, prerequisite) -> !prerequisite.isSelected()
                        || prerequisite.endSlot() > dependent.getStartSlot())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (dependency, dependent, prerequisite) -> prerequisite.isSelected()
                        ? prerequisite.endSlot() - dependent.getStartSlot()
                        : dependent.getDurationSlots() + 1L)
                .justifyWith((dependency, dependent, prerequisite, score) ->
                        new BrokenDependency(dependent.getKey(), prerequisite.getKey(), prerequisite.isSelected()))
                .asConstraint(Rule.DEPENDENCY.id());
    }

    /** At most one run of an exclusive group is selected; penalised by the number beyond one. */
    Constraint exclusiveGroup(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> run.getExclusiveGroup() != null)
                .groupBy(Run::getExclusiveGroup, count())
                .filter((group, selected) -> selected > 1)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (group, selected) -> selected - 1L)
                .justifyWith((group, selected, score) -> new SeveralInGroup(group, selected))
                .asConstraint(Rule.EXCLUSIVE_GROUP.id());
    }

    /** A run lies inside the horizon and its own earliestStart/deadline; penalised by slots outside. */
    Constraint timeWindow(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> !run.isInsideWindow())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Run::slotsOutsideWindow)
                .justifyWith((run, score) -> new OutsideWindow(run.getKey(), run.slotsOutsideWindow()))
                .asConstraint(Rule.TIME_WINDOW.id());
    }

    /** A required proposal is selected. */
    Constraint required(ConstraintFactory factory) {
        return factory.forEachIncludingNullVars(Run.class)
                .filter(run -> run.isRequired() && !run.isSelected())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, run -> run.getDurationSlots() + 1L)
                .justifyWith((run, score) -> new RequiredNotSelected(run.getKey()))
                .asConstraint(Rule.REQUIRED.id());
    }

    /** The objective: the expected value (value x successProbability) of every selected run. */
    Constraint expectedValue(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .rewardLong(HardMediumSoftLongScore.ONE_MEDIUM, Run::getExpectedMilliValue)
                .justifyWith((run, score) -> new ExpectedValue(run.getKey(), run.getExpectedMilliValue()))
                .asConstraint(Rule.EXPECTED_VALUE.id());
    }

    /** Earlier results for higher value: penalise expected value x the slot the run ends in (whole value units). */
    Constraint earlierResults(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .penalizeConfigurableLong(run -> run.getExpectedMilliValue() * run.endSlot() / 1000)
                .justifyWith((run, score) -> new LateResult(run.getKey(), run.endSlot()))
                .asConstraint(Rule.EARLIER_RESULTS.id());
    }

    /** Keep a safety margin before deadlines: penalise GPU-slots run inside the margin. */
    Constraint deadlineMargin(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> run.gpuSlotsInsideDeadlineMargin() > 0)
                .penalizeConfigurableLong(Run::gpuSlotsInsideDeadlineMargin)
                .justifyWith((run, score) -> new InsideDeadlineMargin(run.getKey(), run.gpuSlotsInsideDeadlineMargin()))
                .asConstraint(Rule.DEADLINE_MARGIN.id());
    }
}
