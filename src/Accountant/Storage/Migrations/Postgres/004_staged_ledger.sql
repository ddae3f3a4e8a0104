-- Appends no longer take the chain's head inside the writing transaction, which made every write wait for every other
-- (a global lock, and under SERIALIZABLE a retry for each collision). A write now stages its entries here, numbered by
-- an identity (its gaps are harmless: it only orders staged entries); right after its commit, and before the write is
-- acknowledged, a short sealing transaction locks ledger_head, chains every staged entry in that order into ledger and
-- deletes it from here (Postgres/PostgresSession.Ledger.cs). Entries left here by a crash are sealed at the next start.
CREATE TABLE ledger_staged (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at      text COLLATE "C" NOT NULL,
    actor   text NOT NULL,
    kind    text COLLATE "C" NOT NULL,
    task_id text COLLATE "C",
    payload text NOT NULL
);

-- A charge's place in the ledger was its entry's seq, known inside the charge's transaction only while appends held
-- the head; the entry names its task and step, which is the link.
ALTER TABLE charges DROP COLUMN ledger_seq;
