-- A charge's answer counts the units excluded from its task. group_tasks is keyed by (group, task), so finding a task's
-- exclusions scanned the whole table on every charge; this index lists them directly, and only they are indexed.
CREATE INDEX group_tasks_excluded ON group_tasks (task_id, group_id) WHERE excluded_step IS NOT NULL;
