-- Value-vs-budget frontiers solved asynchronously: the request's snapshot and the points as they finish.
CREATE TABLE frontier (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    status      VARCHAR(16)  NOT NULL,
    config_name VARCHAR(64)  NOT NULL,
    budgets     TEXT         NOT NULL,
    time_limit_ms BIGINT,
    snapshot    TEXT         NOT NULL,
    points      TEXT         NOT NULL,
    failure     VARCHAR(2000),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    finished_at TIMESTAMP WITH TIME ZONE,
    version     BIGINT       NOT NULL
);
