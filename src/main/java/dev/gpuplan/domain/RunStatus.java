package dev.gpuplan.domain;

/** Where a run is: {@code PLANNED -> STARTED -> FINISHED | FAILED}, {@code PLANNED | STARTED -> CANCELLED}. */
public enum RunStatus {
    PLANNED, STARTED, FINISHED, FAILED, CANCELLED;

    /** PLANNED and STARTED runs are active: a proposal has at most one active run. */
    public boolean isActive() {
        return this == PLANNED || this == STARTED;
    }
}
