-- The research loop: runs committed from plans, their append-only events, and the planning period's budget.
-- A run's status is never stored: it is derived by replaying its events in order (run_event.seq).

CREATE TABLE run (
    id                  VARCHAR(36)    NOT NULL PRIMARY KEY,
    proposal_key        VARCHAR(64)    NOT NULL,
    team                VARCHAR(200)   NOT NULL,
    attempt             INTEGER        NOT NULL,
    plan_id             VARCHAR(36)    NOT NULL,
    gpus                INTEGER        NOT NULL,
    hours               NUMERIC(19, 3) NOT NULL,
    planned_pool        VARCHAR(200)   NOT NULL,
    planned_start       TIMESTAMP WITH TIME ZONE NOT NULL,
    planned_end         TIMESTAMP WITH TIME ZONE NOT NULL,
    estimated_gpu_hours NUMERIC(19, 3) NOT NULL,
    event_count         INTEGER        NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    version             BIGINT         NOT NULL,
    CONSTRAINT run_attempt UNIQUE (proposal_key, attempt)
);
CREATE INDEX run_team ON run (team);

CREATE TABLE run_event (
    id          VARCHAR(36)    NOT NULL PRIMARY KEY,
    run_id      VARCHAR(36)    NOT NULL REFERENCES run (id),
    seq         INTEGER        NOT NULL,
    event_type  VARCHAR(16)    NOT NULL,
    occurred_at TIMESTAMP WITH TIME ZONE NOT NULL,
    gpu_hours   NUMERIC(19, 3),
    pool        VARCHAR(200),
    reason      VARCHAR(2000),
    event_id    VARCHAR(200),
    recorded_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT run_event_seq UNIQUE (run_id, seq)
);

-- One row (id 1): the budget of the planning period and the plan last committed.
CREATE TABLE planning_period (
    id                INTEGER        NOT NULL PRIMARY KEY,
    budget_gpu_hours  NUMERIC(19, 3) NOT NULL,
    per_team          TEXT           NOT NULL,
    period_start      TIMESTAMP WITH TIME ZONE,
    period_end        TIMESTAMP WITH TIME ZONE,
    committed_plan_id VARCHAR(36),
    version           BIGINT         NOT NULL
);

-- What a plan held back and why, and (for a replan) what it was planned from: JSON documents.
ALTER TABLE plan ADD COLUMN reserve TEXT;
ALTER TABLE plan ADD COLUMN replan TEXT;
