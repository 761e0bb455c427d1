-- gpuplan schema. Runs unchanged on H2 and PostgreSQL.
-- Proposals, pools and the horizon are stored as their validated JSON documents (SPEC field names),
-- with the columns the API filters by; plans keep their summary in columns, their assignments and
-- reasons in child tables, and the portfolio they were solved from as a snapshot.

CREATE TABLE proposal (
    proposal_key VARCHAR(64)  NOT NULL PRIMARY KEY,
    team         VARCHAR(200) NOT NULL,
    document     TEXT         NOT NULL,
    version      BIGINT       NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX proposal_team ON proposal (team);

CREATE TABLE pool (
    name     VARCHAR(200) NOT NULL PRIMARY KEY,
    position INTEGER      NOT NULL,
    document TEXT         NOT NULL
);

CREATE TABLE horizon (
    id       INTEGER NOT NULL PRIMARY KEY,
    document TEXT    NOT NULL
);

CREATE TABLE plan (
    id               VARCHAR(36)    NOT NULL PRIMARY KEY,
    status           VARCHAR(16)    NOT NULL,
    budget_gpu_hours NUMERIC(19, 3) NOT NULL,
    usable_gpu_hours NUMERIC(19, 3),
    config_name      VARCHAR(64)    NOT NULL,
    config_dir       VARCHAR(1000),
    time_limit_ms    BIGINT,
    score            VARCHAR(200),
    feasible         BOOLEAN        NOT NULL,
    expected_value   NUMERIC(30, 6),
    total_value      NUMERIC(30, 6),
    gpu_hours        NUMERIC(19, 3),
    selected_count   INTEGER        NOT NULL,
    candidate_count  INTEGER        NOT NULL,
    violations       TEXT,
    failure          VARCHAR(2000),
    snapshot         TEXT           NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at       TIMESTAMP WITH TIME ZONE,
    finished_at      TIMESTAMP WITH TIME ZONE,
    heartbeat_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    version          BIGINT         NOT NULL
);
CREATE INDEX plan_status ON plan (status);

CREATE TABLE plan_assignment (
    plan_id      VARCHAR(36)    NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position     INTEGER        NOT NULL,
    proposal_key VARCHAR(64)    NOT NULL,
    pool         VARCHAR(200)   NOT NULL,
    start_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    end_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    gpus         INTEGER        NOT NULL,
    gpu_hours    NUMERIC(19, 3) NOT NULL,
    PRIMARY KEY (plan_id, position)
);

CREATE TABLE plan_unselected (
    plan_id      VARCHAR(36)   NOT NULL REFERENCES plan (id) ON DELETE CASCADE,
    position     INTEGER       NOT NULL,
    proposal_key VARCHAR(64)   NOT NULL,
    code         VARCHAR(40)   NOT NULL,
    reason       VARCHAR(2000) NOT NULL,
    PRIMARY KEY (plan_id, position)
);
