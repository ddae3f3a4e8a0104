-- Stored answers in arrival order. As a WITHOUT ROWID table clustered by (task, step), charges put each ~400-byte answer
-- into its own task's leaf, so every charge dirtied (and often split) a leaf of its own: 39 % of the WAL's frames under
-- load (docs/performance.md). A rowid table appends them all to its last leaf; only the small index entries are per task.
-- SQLite only: PostgreSQL's tables are heaps in arrival order already.
CREATE TABLE charges_by_arrival (
    task_id         TEXT NOT NULL,
    step            INTEGER NOT NULL,
    idempotency_key TEXT,
    request_hash    BLOB NOT NULL,
    response        TEXT NOT NULL
);
INSERT INTO charges_by_arrival (task_id, step, idempotency_key, request_hash, response)
    SELECT task_id, step, idempotency_key, request_hash, response FROM charges;
DROP TABLE charges;
ALTER TABLE charges_by_arrival RENAME TO charges;
CREATE UNIQUE INDEX charges_by_step ON charges (task_id, step);
CREATE UNIQUE INDEX charges_by_key ON charges (task_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
