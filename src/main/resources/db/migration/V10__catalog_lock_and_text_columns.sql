-- One row that every catalog write (proposals, pools, horizon) updates first, in the same transaction: its row lock
-- serialises catalog writes on H2 and PostgreSQL alike, so two concurrent edits cannot together store a dependency
-- cycle or a dependency on a deleted proposal.
CREATE TABLE catalog_lock (
    id      INTEGER NOT NULL PRIMARY KEY,
    version BIGINT  NOT NULL
);
INSERT INTO catalog_lock (id, version) VALUES (1, 0);

-- Reason texts and failure messages are built from input names (teams, groups, keys): they are sized by what they
-- say, not cut at a fixed width.
ALTER TABLE plan_unselected ALTER COLUMN reason SET DATA TYPE TEXT;
ALTER TABLE plan ALTER COLUMN failure SET DATA TYPE TEXT;
ALTER TABLE frontier ALTER COLUMN failure SET DATA TYPE TEXT;
