-- A charge that moves units prunes the groups it left empty. Finding them scanned every group, and their cohort rows
-- (keyed by cohort) every cohort row: 27 ms per such charge with 100,000 groups, measured with the sqlite3 shell on a
-- copy of the schema; 0.1 ms with these indexes. Empty groups are few and short-lived, so the partial index stays small.
CREATE INDEX unit_groups_empty ON unit_groups (id) WHERE members = 0;
CREATE INDEX group_cohorts_by_group ON group_cohorts (group_id);
