-- The ledger's hash chain (Audit/LedgerChain.cs): each entry's hash commits to the entry before it, whose hash is
-- kept beside it as prev_hash. Entries written before this migration are hashed at start-up, in seq order
-- (Audit/ChainBackfill.cs); the partial index finds them at once and stays empty afterwards.
ALTER TABLE ledger ADD COLUMN prev_hash bytea;
ALTER TABLE ledger ADD COLUMN hash bytea;
CREATE INDEX ledger_unhashed ON ledger (seq) WHERE hash IS NULL;
