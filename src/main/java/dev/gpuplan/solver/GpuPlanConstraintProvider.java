package dev.gpuplan.solver;

import static org.optaplanner.core.api.score.stream.ConstraintCollectors.count;
import static org.optaplanner.core.api.score.stream.ConstraintCollectors.max;
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
 * The rules of {@code docs/rules.md}, one method each, named by {@link Rule}. {@code forEach(Run.class)} sees
 * selected runs only (a run without a pool is not selected); {@code forEachIncludingNullVars} sees all.
 * Every hard rule is penalised in one unit, thousandths of a GPU-hour of the work that breaks it, so no hard
 * rule outweighs another by accident of its unit.
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

    /**
     * The selected runs' charges, at the confidence quantile, stay within the budget (less a flat reserve); penalised by
     * the excess. Without learned overruns or pilot gates a charge is the run's estimate and the quantile the plain sum.
     */
    Constraint budget(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(sumLong(Run::getChargeMilliHours), sumLong(Run::getChargeVarianceMilli))
                .join(BudgetLimit.class)
                .filter((mean, variance, limit) -> limit.quantile(mean, variance) > limit.gpuMilliHours())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (mean, variance, limit) -> limit.quantile(mean, variance) - limit.gpuMilliHours())
                .justifyWith((mean, variance, limit, score) -> new OverBudget(limit.quantile(mean, variance), limit.gpuMilliHours(), variance > 0))
                .asConstraint(Rule.BUDGET.id());
    }

    /** Per team, the selected runs' charges at the confidence quantile stay within the team's cap; penalised by the excess. */
    Constraint teamCap(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(Run::getTeam, sumLong(Run::getChargeMilliHours), sumLong(Run::getChargeVarianceMilli))
                .join(TeamCap.class, equal((team, mean, variance) -> team, TeamCap::team))
                .filter((team, mean, variance, cap) -> cap.quantile(mean, variance) > cap.gpuMilliHours())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (team, mean, variance, cap) -> cap.quantile(mean, variance) - cap.gpuMilliHours())
                .justifyWith((team, mean, variance, cap, score) -> new OverTeamCap(team, cap.quantile(mean, variance), cap.gpuMilliHours(), variance > 0))
                .asConstraint(Rule.TEAM_CAP.id());
    }

    /** On every pool at every slot, GPUs of runs in progress fit the pool's capacity; penalised by the GPU-hours over. */
    Constraint poolCapacity(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .groupBy(Run::getPool, PoolLoad.overflow())
                .filter((pool, overflow) -> overflow > 0)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (pool, overflow) -> pool.gpuMilliHours(overflow))
                .justifyWith((pool, overflow, score) -> new OverCapacity(pool.getName(), overflow))
                .asConstraint(Rule.POOL_CAPACITY.id());
    }

    /** A run uses a pool of its GPU type that is big enough; penalised by the run's GPU-hours. */
    Constraint gpuFit(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> !run.fitsOn(run.getPool()))
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Run::getGpuMilliHours)
                .justifyWith((run, score) -> new Justifications.WrongPool(run.getKey(), run.getPool().getName()))
                .asConstraint(Rule.GPU_FIT.id());
    }

    /**
     * A selected run's dependencies (and its pilot) are selected and end no later than it starts; penalised by the
     * dependent's GPU-hours when the dependency is missing, by its GPU-hours in the overlapping slots when it is late.
     */
    Constraint dependency(ConstraintFactory factory) {
        return factory.forEach(Dependency.class)
                .join(Run.class, equal(Dependency::dependentId, Run::getId))
                .join(factory.forEachIncludingNullVars(Run.class),
                        equal((dependency, dependent) -> dependency.prerequisiteId(), Run::getId))
                .filter((dependency, dependent, prerequisite) -> !prerequisite.isSelected()
                        || prerequisite.endSlot() > dependent.getStartSlot())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (dependency, dependent, prerequisite) -> prerequisite.isSelected()
                        ? dependent.getPool().gpuMilliHours((long) dependent.getGpus() * (prerequisite.endSlot() - dependent.getStartSlot()))
                        : dependent.getGpuMilliHours())
                .justifyWith((dependency, dependent, prerequisite, score) ->
                        new BrokenDependency(dependent.getKey(), prerequisite.getKey(), prerequisite.isSelected(), dependency.pilot()))
                .asConstraint(Rule.DEPENDENCY.id());
    }

    /** At most one run of an exclusive group is selected; penalised by the GPU-hours of the runs beyond the largest. */
    Constraint exclusiveGroup(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> run.getExclusiveGroup() != null)
                .groupBy(Run::getExclusiveGroup, count(), sumLong(Run::getGpuMilliHours), max(Run::getGpuMilliHours))
                .filter((group, selected, cost, largest) -> selected > 1)
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, (group, selected, cost, largest) -> cost - largest)
                .justifyWith((group, selected, cost, largest, score) -> new SeveralInGroup(group, selected))
                .asConstraint(Rule.EXCLUSIVE_GROUP.id());
    }

    /** A run lies inside the horizon and its own earliestStart/deadline; penalised by its GPU-hours in the slots outside. */
    Constraint timeWindow(ConstraintFactory factory) {
        return factory.forEach(Run.class)
                .filter(run -> !run.isInsideWindow())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, run -> run.getPool().gpuMilliHours((long) run.getGpus() * run.slotsOutsideWindow()))
                .justifyWith((run, score) -> new OutsideWindow(run.getKey(), run.slotsOutsideWindow()))
                .asConstraint(Rule.TIME_WINDOW.id());
    }

    /** A required proposal is selected; penalised by its GPU-hours. */
    Constraint required(ConstraintFactory factory) {
        return factory.forEachIncludingNullVars(Run.class)
                .filter(run -> run.isRequired() && !run.isSelected())
                .penalizeLong(HardMediumSoftLongScore.ONE_HARD, Run::getGpuMilliHours)
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
