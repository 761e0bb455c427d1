package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.heuristic.move.AbstractMove;

/**
 * Several runs re-planned in one step: some taken out of the plan (no pool), some put in or moved to a given
 * pool and start. Built by {@link ReplanMoveFactory} so that the plan stays feasible through exchanges the
 * one-variable moves can only reach through broken rules (a run swapped out of the budget for another,
 * a prerequisite selected with its dependent, a variant exchanged for another of its group).
 */
public final class ReplanMove extends AbstractMove<GpuSchedule> {

    /** Where a run goes: {@code pool == null} takes it out of the plan (its start is kept). */
    public record Change(Run run, PoolTimeline pool, int startSlot) {
    }

    private final String kind;
    private final List<Change> changes;

    ReplanMove(String kind, List<Change> changes) {
        this.kind = kind;
        this.changes = List.copyOf(changes);
    }

    List<Change> changes() {
        return changes;
    }

    @Override
    public boolean isMoveDoable(ScoreDirector<GpuSchedule> scoreDirector) {
        for (Change change : changes) {
            Run run = change.run();
            if (run.getPool() != change.pool() || (change.pool() != null && run.getStartSlot() != change.startSlot())) {
                return true;
            }
        }
        return false;
    }

    @Override
    protected ReplanMove createUndoMove(ScoreDirector<GpuSchedule> scoreDirector) {
        List<Change> undo = new ArrayList<>(changes.size());
        for (int i = changes.size() - 1; i >= 0; i--) {
            Run run = changes.get(i).run();
            undo.add(new Change(run, run.getPool(), run.getStartSlot()));
        }
        return new ReplanMove(kind, undo);
    }

    @Override
    protected void doMoveOnGenuineVariables(ScoreDirector<GpuSchedule> scoreDirector) {
        for (Change change : changes) {
            Run run = change.run();
            if (change.pool() != null && run.getStartSlot() != change.startSlot()) {
                scoreDirector.beforeVariableChanged(run, "startSlot");
                run.setStartSlot(change.startSlot());
                scoreDirector.afterVariableChanged(run, "startSlot");
            }
            if (run.getPool() != change.pool()) {
                scoreDirector.beforeVariableChanged(run, "pool");
                run.setPool(change.pool());
                scoreDirector.afterVariableChanged(run, "pool");
            }
        }
    }

    @Override
    public ReplanMove rebase(ScoreDirector<GpuSchedule> destinationScoreDirector) {
        return new ReplanMove(kind, changes.stream().map(change -> new Change(destinationScoreDirector.lookUpWorkingObject(change.run()),
                change.pool() == null ? null : destinationScoreDirector.lookUpWorkingObject(change.pool()), change.startSlot())).toList());
    }

    @Override
    public String getSimpleMoveTypeDescription() {
        return "ReplanMove(" + kind + ")";
    }

    @Override
    public Collection<Run> getPlanningEntities() {
        return changes.stream().map(Change::run).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public Collection<PoolTimeline> getPlanningValues() {
        return changes.stream().map(Change::pool).filter(Objects::nonNull).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Override
    public String toString() {
        return kind + " " + changes.stream()
                .map(c -> c.run().getKey() + (c.pool() == null ? " out" : " -> " + c.pool().getName() + ":" + c.startSlot()))
                .collect(Collectors.joining(", "));
    }
}
