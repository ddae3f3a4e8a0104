-- API keys (issue 5): each stored as the SHA-256 of the whole key, never the key itself.
CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,  -- the key's public prefix, ak_<16 hex>
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('admin', 'trainer', 'auditor')),
    hash       BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    revoked_at TEXT
) WITHOUT ROWID;

-- The key that created a task; trainers reach only their own tasks. Tasks created before keys have none and are
-- reached by admins and auditors only.
ALTER TABLE tasks ADD COLUMN owner TEXT;
