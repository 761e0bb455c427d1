-- Who may do what: personal API tokens (only a SHA-256 hash of each token is kept), the audit trail of every
-- change, and who submitted each plan and frontier (a researcher may stop the plans they submitted).

CREATE TABLE api_token (
    id          VARCHAR(40)   NOT NULL PRIMARY KEY,
    token_hash  VARCHAR(64)   NOT NULL,
    user_name   VARCHAR(200)  NOT NULL,
    role        VARCHAR(16)   NOT NULL,
    teams       VARCHAR(2000) NOT NULL,
    description VARCHAR(500),
    created_by  VARCHAR(200)  NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
CREATE UNIQUE INDEX api_token_hash ON api_token (token_hash);

CREATE TABLE audit_entry (
    id          BIGINT       NOT NULL PRIMARY KEY,
    at          TIMESTAMP WITH TIME ZONE NOT NULL,
    actor       VARCHAR(200) NOT NULL,
    entity_type VARCHAR(40)  NOT NULL,
    entity_id   VARCHAR(200) NOT NULL,
    action      VARCHAR(40)  NOT NULL,
    before_json TEXT,
    after_json  TEXT
);
CREATE SEQUENCE audit_entry_seq START WITH 1 INCREMENT BY 50;
CREATE INDEX audit_entry_entity ON audit_entry (entity_type, entity_id);
CREATE INDEX audit_entry_actor ON audit_entry (actor);
CREATE INDEX audit_entry_at ON audit_entry (at);

ALTER TABLE plan ADD COLUMN submitted_by VARCHAR(200);
ALTER TABLE frontier ADD COLUMN submitted_by VARCHAR(200);
