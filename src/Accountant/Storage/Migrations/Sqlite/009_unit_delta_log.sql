-- Units' deltas that a charge changed are kept in the writer's memory and written to their rows now and then, each unit
-- once however often it was charged (Storage/Sqlite/DeltaJournal.cs); until then this log, committed with each
-- charge, holds the changes (Storage/Sqlite/DeltaLog.cs), and a service starting on the file replays it onto the rows.
CREATE TABLE unit_delta_log (
    seq     INTEGER PRIMARY KEY,
    changes BLOB NOT NULL
);
