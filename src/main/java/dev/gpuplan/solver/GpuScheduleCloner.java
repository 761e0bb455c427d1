package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.List;

import org.optaplanner.core.api.domain.solution.cloner.SolutionCloner;

/**
 * Clones a schedule each time the solver keeps a new best one: the runs (planning entities) are copied, the
 * problem facts (pools, dependencies, caps, budget, weights) shared. Written by hand because OptaPlanner's
 * reflective cloner (no Gizmo without its Quarkus extension) took half of the solving time on 10,000 runs.
 */
public class GpuScheduleCloner implements SolutionCloner<GpuSchedule> {

    @Override
    public GpuSchedule cloneSolution(GpuSchedule original) {
        List<Run> runs = new ArrayList<>(original.getRuns().size());
        for (Run run : original.getRuns()) {
            runs.add(run.copy());
        }
        GpuSchedule clone = new GpuSchedule(original.getPools(), runs, original.getDependencies(), original.getTeamCaps(),
                original.getBudget(), original.getWeights());
        clone.setScore(original.getScore());
        return clone;
    }
}
