package dev.gpuplan.solver;

import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.heuristic.selector.common.decorator.SelectionFilter;

/** Moving the start of an unselected run changes nothing: such moves are skipped. */
public class SelectedRunFilter implements SelectionFilter<GpuSchedule, Run> {

    @Override
    public boolean accept(ScoreDirector<GpuSchedule> scoreDirector, Run run) {
        return run.isSelected();
    }
}
