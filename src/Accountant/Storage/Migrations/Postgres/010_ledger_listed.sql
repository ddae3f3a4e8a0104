-- A charge with per-unit sensitivities listed every unit and factor in its entry's payload: about 58 KB for 1,000
-- units. The list is now kept here in a compact form (Storage/SensitivityList.cs); the payload holds null in its
-- place, listed_at is the byte offset of that null in the payload's UTF-8 once the shared value is back, and the
-- payload read (and hashed) has the list's JSON put back there. Older entries are stored whole. Staged entries are
-- stored the same way.
ALTER TABLE ledger ADD COLUMN listed bytea;
ALTER TABLE ledger ADD COLUMN listed_at bigint;
ALTER TABLE ledger_staged ADD COLUMN listed bytea;
ALTER TABLE ledger_staged ADD COLUMN listed_at bigint;
