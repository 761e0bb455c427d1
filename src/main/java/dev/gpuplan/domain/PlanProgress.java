package dev.gpuplan.domain;

import java.util.List;

/**
 * What a plan's live progress stream reports: its status, the score and totals of the best plan so far (null score
 * while nothing is solved yet) and, once finished, the final totals and violations. A plan without its runs, so it is
 * cheap to read often.
 */
public record PlanProgress(String id, Plan.Status status, String score, boolean feasible, Plan.Totals totals,
                           List<String> violations) {

    public boolean finished() {
        return status == Plan.Status.SOLVED || status == Plan.Status.STOPPED || status == Plan.Status.FAILED;
    }
}
