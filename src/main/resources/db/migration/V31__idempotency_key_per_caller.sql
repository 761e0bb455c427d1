-- An Idempotency-Key is its caller's own: the stored endpoint is "METHOD /path by USER" (user names are up to 200
-- characters), so one caller's key never replays, or blocks, another caller's request.
ALTER TABLE idempotency_key ALTER COLUMN endpoint SET DATA TYPE VARCHAR(400);
