package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.optaplanner.core.api.domain.variable.VariableListener;
import org.optaplanner.core.api.score.director.ScoreDirector;

/**
 * The runs of one working plan whose pool or start changed since {@link PlanIndex} last looked, so that it
 * catches up in O(changes) rather than by scanning every run at every step (that scan took more than half of
 * the solving time on 10,000 runs). Filled by {@link Listener}, OptaPlanner's listener of {@link Run}'s
 * bookkeeping shadow variable. It holds each run at most once, so it stays bounded when nothing reads it.
 */
public final class ChangedRuns {

    private final Set<Run> changed = new LinkedHashSet<>();

    /** The runs changed since the last call, each once; the set starts empty again. */
    List<Run> drain() {
        List<Run> runs = new ArrayList<>(changed);
        changed.clear();
        return runs;
    }

    /** Notes every change of a run's pool or start in the working plan's {@link ChangedRuns}. */
    public static final class Listener implements VariableListener<GpuSchedule, Run> {

        @Override
        public void beforeVariableChanged(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            // the after event is enough
        }

        @Override
        public void afterVariableChanged(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            scoreDirector.getWorkingSolution().changedRuns().changed.add(run);
        }

        @Override
        public void beforeEntityAdded(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            // runs are not added while solving
        }

        @Override
        public void afterEntityAdded(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            // runs are not added while solving
        }

        @Override
        public void beforeEntityRemoved(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            // runs are not removed while solving
        }

        @Override
        public void afterEntityRemoved(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
            // runs are not removed while solving
        }
    }
}
