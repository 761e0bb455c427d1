package dev.gpuplan.solver;

import java.util.List;

import org.optaplanner.core.api.domain.constraintweight.ConstraintConfigurationProvider;
import org.optaplanner.core.api.domain.solution.PlanningEntityCollectionProperty;
import org.optaplanner.core.api.domain.solution.PlanningScore;
import org.optaplanner.core.api.domain.solution.PlanningSolution;
import org.optaplanner.core.api.domain.solution.ProblemFactCollectionProperty;
import org.optaplanner.core.api.domain.solution.ProblemFactProperty;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * The planning problem: runs to select and place on pools, under one budget.
 * Score: hard = broken rules (by how much), medium = expected value in thousandths,
 * soft = the configurable preferences of {@link ScheduleWeights}.
 */
@PlanningSolution(solutionCloner = GpuScheduleCloner.class)
public class GpuSchedule {

    @ProblemFactCollectionProperty
    private List<PoolTimeline> pools;
    @ProblemFactCollectionProperty
    private List<Dependency> dependencies;
    @ProblemFactCollectionProperty
    private List<TeamCap> teamCaps;
    @ProblemFactProperty
    private BudgetLimit budget;
    @ConstraintConfigurationProvider
    private ScheduleWeights weights;
    @PlanningEntityCollectionProperty
    private List<Run> runs;
    @PlanningScore
    private HardMediumSoftLongScore score;
    /** Not part of the problem: which runs changed, for {@link PlanIndex}. Each clone starts its own. */
    private final ChangedRuns changedRuns = new ChangedRuns();
    /** Not part of the problem: what the working plan uses, shared by every move factory (one reader of {@link #changedRuns}). */
    private PlanIndex planIndex;

    GpuSchedule() {
    }

    public GpuSchedule(List<PoolTimeline> pools, List<Run> runs, List<Dependency> dependencies, List<TeamCap> teamCaps,
                       BudgetLimit budget, ScheduleWeights weights) {
        this.pools = pools;
        this.runs = runs;
        this.dependencies = dependencies;
        this.teamCaps = teamCaps;
        this.budget = budget;
        this.weights = weights;
    }

    public List<PoolTimeline> getPools() {
        return pools;
    }

    public List<Run> getRuns() {
        return runs;
    }

    public List<Dependency> getDependencies() {
        return dependencies;
    }

    public List<TeamCap> getTeamCaps() {
        return teamCaps;
    }

    public BudgetLimit getBudget() {
        return budget;
    }

    public ScheduleWeights getWeights() {
        return weights;
    }

    ChangedRuns changedRuns() {
        return changedRuns;
    }

    /**
     * The index the move factories build their moves from, made on first use. One per working plan, because
     * {@link ChangedRuns} forgets what it hands out: two indexes reading it would each miss the other's changes.
     * Each factory {@link PlanIndex#sync() syncs} it before building moves (a second sync in a step finds nothing).
     */
    PlanIndex planIndex() {
        if (planIndex == null) {
            planIndex = new PlanIndex(this);
        }
        return planIndex;
    }

    /** Forgets the index (at the end of a phase): the next {@link #planIndex()} builds it afresh. */
    void dropPlanIndex() {
        planIndex = null;
    }

    public HardMediumSoftLongScore getScore() {
        return score;
    }

    public void setScore(HardMediumSoftLongScore score) {
        this.score = score;
    }
}
