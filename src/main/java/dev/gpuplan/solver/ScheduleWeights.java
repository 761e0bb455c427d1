package dev.gpuplan.solver;

import org.optaplanner.core.api.domain.constraintweight.ConstraintConfiguration;
import org.optaplanner.core.api.domain.constraintweight.ConstraintWeight;
import org.optaplanner.core.api.score.buildin.hardmediumsoftlong.HardMediumSoftLongScore;

/**
 * The soft weights planning leads tune in {@code planning-configs/*.yaml} under {@code weights:}.
 * Each name is the constraint's name, the YAML key and the README's table entry. Hard rules have no
 * weight here: they cannot be switched off.
 */
@ConstraintConfiguration
public class ScheduleWeights {

    public static final String EARLIER_RESULTS = "earlier-results";
    public static final String DEADLINE_MARGIN = "deadline-margin";

    @ConstraintWeight(EARLIER_RESULTS)
    private HardMediumSoftLongScore earlierResults = HardMediumSoftLongScore.ofSoft(1);
    @ConstraintWeight(DEADLINE_MARGIN)
    private HardMediumSoftLongScore deadlineMargin = HardMediumSoftLongScore.ZERO;

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
