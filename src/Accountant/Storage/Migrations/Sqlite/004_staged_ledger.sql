-- The dialects' schemas stay alike: a charge's answer no longer keeps its ledger entry's seq (PostgreSQL's appends
-- assign it only after the charge commits; the entry names its task and step, which is the link). SQLite needs no
-- staging table: its writes are serialised in-process and chain their entries as they append.
ALTER TABLE charges DROP COLUMN ledger_seq;
