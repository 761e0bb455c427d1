package dev.gpuplan.domain;

/**
 * Why a proposal is not in a plan: the {@code code} of {@link Plan.Unselected}. The names are part of the API
 * (JSON, CLI output, stored plans) and must not change. {@code docs/rules.md} explains each one.
 */
public enum ReasonCode {
    /** No pool of the proposal's GPU type has as many GPUs as it needs: no budget helps. */
    NO_FITTING_POOL,
    /** Its window (earliestStart to deadline, within the horizon) is shorter than the run, even on an empty cluster. */
    NO_WINDOW,
    /** A proposal it depends on is not selected (or can never be). */
    DEPENDENCY_NOT_SELECTED,
    /** Another proposal of its exclusive group is selected. */
    EXCLUSIVE_GROUP,
    /** Its team's cap has no room left for it. */
    TEAM_CAP,
    /** The plan's budget has no room left for it. */
    BUDGET,
    /** Budget and caps allow it, but no fitting pool has free GPUs for it inside its window. */
    CAPACITY,
    /** It would fit as things stand, but the plan is worth more without it (or the search has not got to it). */
    NOT_CHOSEN,
    /** Only in an explanation of a proposal that is in the plan. */
    SELECTED
}
