-- Work as rows: every plan and every frontier point (and each frontier's final monotone repair) is a job that
-- any replica may claim. A claim bumps generation and sets owner and lease_expires_at (the database's clock);
-- every later write of the job's results is conditional on (owner, generation), so a replica that lost its
-- lease cannot overwrite the work of the one that took over. starts and completions count solver starts and
-- finishes per job, so "solved exactly once" can be checked in the database.
CREATE TABLE job (
    id               VARCHAR(80)    NOT NULL PRIMARY KEY,
    kind             VARCHAR(20)    NOT NULL,
    target_id        VARCHAR(36)    NOT NULL,
    point_budget     NUMERIC(19, 3),
    status           VARCHAR(16)    NOT NULL,
    owner            VARCHAR(120),
    generation       BIGINT         NOT NULL,
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    stop_requested   BOOLEAN        NOT NULL,
    starts           INTEGER        NOT NULL,
    completions      INTEGER        NOT NULL,
    result           TEXT,
    failure          VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX job_status ON job (status, created_at);
CREATE INDEX job_target ON job (target_id);

-- Plans left waiting or solving by the previous version become jobs; frontiers could not resume before.
INSERT INTO job (id, kind, target_id, status, generation, stop_requested, starts, completions, created_at)
    SELECT id, 'PLAN', id, 'QUEUED', 0, FALSE, 0, 0, created_at FROM plan WHERE status IN ('QUEUED', 'SOLVING');
UPDATE frontier SET status = 'FAILED', failure = 'interrupted by an upgrade of the service; submit it again'
    WHERE status IN ('QUEUED', 'SOLVING');

-- Idempotency-Key: the first answer to a creating POST, replayed to a retry with the same key and body.
CREATE TABLE idempotency_key (
    idem_key      VARCHAR(200)  NOT NULL,
    endpoint      VARCHAR(100)  NOT NULL,
    request_hash  VARCHAR(64)   NOT NULL,
    status_code   INTEGER,
    location      VARCHAR(500),
    response_body TEXT,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (idem_key, endpoint)
);
CREATE INDEX idempotency_key_created ON idempotency_key (created_at);
