-- A charge's entry was 4.1 KB, 3.9 KB of it its cost curve, which a task's repeated step writes unchanged. Such a
-- value is now kept once here, under its SHA-256 (Storage/SharedJson.cs); the entry's payload holds null in its place,
-- shared_at is the byte offset of that null in the payload's UTF-8, and the payload read (and hashed) is the stored
-- one with the value put back there. Older entries are stored whole. Staged entries are stored the same way.
CREATE TABLE ledger_shared (
    id   bytea PRIMARY KEY,
    json text NOT NULL
);
ALTER TABLE ledger ADD COLUMN shared_id bytea REFERENCES ledger_shared (id);
ALTER TABLE ledger ADD COLUMN shared_at bigint;
ALTER TABLE ledger_staged ADD COLUMN shared_id bytea REFERENCES ledger_shared (id);
ALTER TABLE ledger_staged ADD COLUMN shared_at bigint;
