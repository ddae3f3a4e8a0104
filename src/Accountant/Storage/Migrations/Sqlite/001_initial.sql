-- Accounting schema v1. The ledger is the source of truth; groups, unit deltas and task totals are materialised
-- views of it, kept in the same transaction as the ledger entry that changes them.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Budget definitions, shared: the default policy and every distinct per-unit override.
CREATE TABLE budgets (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL CHECK (kind IN ('rdp', 'zcdp')),
    epsilon   REAL,
    delta     REAL,
    rho       REAL,
    grid      TEXT NOT NULL,
    relation  TEXT NOT NULL,
    unit_kind TEXT NOT NULL
);

-- Units with identical state share a group: same budget, same cohorts, same exclusions, same spent curve (base).
-- A uniform charge updates one row per group, not one per unit.
CREATE TABLE unit_groups (
    id         INTEGER PRIMARY KEY,
    budget_id  INTEGER NOT NULL REFERENCES budgets (id),
    cohorts    TEXT NOT NULL,  -- sorted cohort ids, JSON array
    excluded   TEXT NOT NULL,  -- sorted ids of tasks the members are excluded from, JSON array
    base       BLOB NOT NULL,  -- spent curve on the budget's grid (one value, ρ, for zCDP budgets)
    members    INTEGER NOT NULL DEFAULT 0,
    content    BLOB NOT NULL   -- hash of (budget, cohorts, excluded, base): groups with equal content are interchangeable
);
CREATE INDEX unit_groups_by_content ON unit_groups (content);

CREATE TABLE group_cohorts (
    cohort_id TEXT NOT NULL,
    group_id  INTEGER NOT NULL REFERENCES unit_groups (id),
    PRIMARY KEY (cohort_id, group_id)
) WITHOUT ROWID;

-- Tasks a group's members took part in (copied when a group is split off), with the steps paid and any exclusion.
CREATE TABLE group_tasks (
    group_id      INTEGER NOT NULL REFERENCES unit_groups (id),
    task_id       TEXT NOT NULL,
    first_step    INTEGER NOT NULL,
    last_step     INTEGER,
    excluded_step INTEGER,
    PRIMARY KEY (group_id, task_id)
) WITHOUT ROWID;

-- A unit's spent curve is its group's base plus its own delta (≤ 0: what individual sensitivity saved it).
CREATE TABLE units (
    id       TEXT PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES unit_groups (id),
    delta    BLOB
) WITHOUT ROWID;
CREATE INDEX units_by_group ON units (group_id);

CREATE TABLE cohorts (
    id         TEXT PRIMARY KEY,
    unit_kind  TEXT NOT NULL,
    members    INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE cohort_members (
    cohort_id TEXT NOT NULL,
    unit_id   TEXT NOT NULL,
    PRIMARY KEY (cohort_id, unit_id)
) WITHOUT ROWID;

CREATE TABLE tasks (
    id               TEXT PRIMARY KEY,
    cohort_id        TEXT NOT NULL REFERENCES cohorts (id),
    unit_kind        TEXT NOT NULL,
    relation         TEXT NOT NULL,
    plan             TEXT NOT NULL,  -- JSON
    target           TEXT NOT NULL,  -- JSON
    grid             TEXT NOT NULL,
    noise_multiplier REAL NOT NULL,
    clip_norm        REAL NOT NULL,
    planned_epsilon  REAL,
    state            TEXT NOT NULL,
    next_step        INTEGER NOT NULL,
    spent            BLOB NOT NULL,  -- spent curve on the task's grid
    spent_rho        REAL,           -- spent ρ when every charge had one
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) WITHOUT ROWID;

-- The answer to each accepted charge, for idempotent replay by step or by Idempotency-Key.
CREATE TABLE charges (
    task_id         TEXT NOT NULL,
    step            INTEGER NOT NULL,
    idempotency_key TEXT,
    request_hash    BLOB NOT NULL,
    response        TEXT NOT NULL,
    ledger_seq      INTEGER NOT NULL,
    PRIMARY KEY (task_id, step)
) WITHOUT ROWID;
CREATE UNIQUE INDEX charges_by_key ON charges (task_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Append-only record of every accepted charge and every budget or membership change.
CREATE TABLE ledger (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT NOT NULL,
    actor   TEXT NOT NULL,
    kind    TEXT NOT NULL,
    task_id TEXT,
    payload TEXT NOT NULL  -- JSON
);
CREATE INDEX ledger_by_task ON ledger (task_id, seq);
