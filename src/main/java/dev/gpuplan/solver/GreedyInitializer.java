package dev.gpuplan.solver;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.phase.custom.CustomPhaseCommand;

/**
 * The first phase: a feasible plan in one pass, the way a careful lab script would build it. Required runs
 * first, then by expected value per GPU-hour; each run is taken if the budget, its team cap, its exclusive
 * group and its dependencies allow, and placed at the earliest start where a fitting pool has its GPUs free
 * for its whole duration. Runs already on a pool (pinned, or kept from a warm start) stay. Local search then
 * improves on this plan, so the solver never returns anything worse than this greedy plan.
 */
public class GreedyInitializer implements CustomPhaseCommand<GpuSchedule> {

    @Override
    public void changeWorkingSolution(ScoreDirector<GpuSchedule> scoreDirector) {
        GpuSchedule schedule = scoreDirector.getWorkingSolution();
        new Placement(schedule).placeAll((run, pool, start) -> {
            scoreDirector.beforeVariableChanged(run, "startSlot");
            run.setStartSlot(start);
            scoreDirector.afterVariableChanged(run, "startSlot");
            scoreDirector.beforeVariableChanged(run, "pool");
            run.setPool(pool);
            scoreDirector.afterVariableChanged(run, "pool");
            scoreDirector.triggerVariableListeners();
        });
    }

    /** Sets a run's pool and start. */
    @FunctionalInterface
    interface Assign {
        void assign(Run run, PoolTimeline pool, int startSlot);
    }

    /** The greedy pass over a {@link PlanTally} of what is placed so far. */
    static final class Placement {
        private final GpuSchedule schedule;
        private final PlanTally tally;
        private final Map<Integer, List<Run>> prerequisites = new HashMap<>();

        Placement(GpuSchedule schedule) {
            this.schedule = schedule;
            this.tally = new PlanTally(schedule);
            Map<Integer, Run> byId = new HashMap<>();
            schedule.getRuns().forEach(run -> byId.put(run.getId(), run));
            for (Dependency dependency : schedule.getDependencies()) {
                prerequisites.computeIfAbsent(dependency.dependentId(), id -> new ArrayList<>()).add(byId.get(dependency.prerequisiteId()));
            }
            schedule.getRuns().stream().filter(Run::isSelected).forEach(tally::book);
        }

        void placeAll(Assign assign) {
            List<Run> candidates = new ArrayList<>(schedule.getRuns().stream().filter(run -> !run.isSelected()).toList());
            candidates.sort(Comparator.comparing((Run run) -> !run.isRequired())
                    .thenComparing(Comparator.comparingDouble(Placement::valuePerGpuHour).reversed())
                    .thenComparing(Run::getId));
            boolean placedAny = true;
            while (placedAny) { // a run whose prerequisites came later in the order gets another chance
                placedAny = false;
                for (Run run : candidates) {
                    if (!run.isSelected() && tryPlace(run, assign)) {
                        placedAny = true;
                    }
                }
            }
        }

        private static double valuePerGpuHour(Run run) {
            return (double) run.getExpectedMilliValue() / Math.max(1, run.getGpuMilliHours());
        }

        private boolean tryPlace(Run run, Assign assign) {
            if (!tally.allows(run)) {
                return false;
            }
            int earliest = run.getEarliestStartSlot();
            for (Run prerequisite : prerequisites.getOrDefault(run.getId(), List.of())) {
                if (!prerequisite.isSelected()) {
                    return false;
                }
                earliest = Math.max(earliest, prerequisite.endSlot());
            }
            PoolTimeline bestPool = null;
            int bestStart = Integer.MAX_VALUE;
            for (PoolTimeline pool : run.getFittingPools()) {
                int start = tally.usage().earliestFreeStart(pool, run, earliest);
                if (start >= 0 && start < bestStart) {
                    bestPool = pool;
                    bestStart = start;
                }
            }
            if (bestPool == null) {
                return false;
            }
            assign.assign(run, bestPool, bestStart);
            tally.book(run);
            return true;
        }
    }
}
