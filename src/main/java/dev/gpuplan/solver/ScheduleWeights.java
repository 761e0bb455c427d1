package dev.gpuplan.solver;

import org.optaplanner.core.api.domain.constraintweight.ConstraintConfiguration;
import org.optaplanner.core.api.domain.constraintweight.ConstraintWeight;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

import dev.gpuplan.domain.Rule;

/**
 * The soft weights planning leads tune in {@code planning-configs/*.yaml} under {@code weights:}, one field
 * per soft {@link Rule}. Hard rules have no weight here: they cannot be switched off.
 */
@ConstraintConfiguration
public class ScheduleWeights {

    @ConstraintWeight(Rule.Names.EARLIER_RESULTS)
    private HardMediumSoftLongScore earlierResults = HardMediumSoftLongScore.ofSoft(Rule.EARLIER_RESULTS.defaultWeight());
    @ConstraintWeight(Rule.Names.DEADLINE_MARGIN)
    private HardMediumSoftLongScore deadlineMargin = HardMediumSoftLongScore.ofSoft(Rule.DEADLINE_MARGIN.defaultWeight());

    public ScheduleWeights() {
    }

    public ScheduleWeights(long earlierResults, long deadlineMargin) {
        this.earlierResults = HardMediumSoftLongScore.ofSoft(earlierResults);
        this.deadlineMargin = HardMediumSoftLongScore.ofSoft(deadlineMargin);
    }

    public HardMediumSoftLongScore getEarlierResults() {
        return earlierResults;
    }

    public HardMediumSoftLongScore getDeadlineMargin() {
        return deadlineMargin;
    }
}
