-- API keys (issue 5): each stored as the SHA-256 of the whole key, never the key itself.
CREATE TABLE api_keys (
    id         text COLLATE "C" PRIMARY KEY,  -- the key's public prefix, ak_<16 hex>
    name       text NOT NULL,
    role       text COLLATE "C" NOT NULL CHECK (role IN ('admin', 'trainer', 'auditor')),
    hash       bytea NOT NULL,
    created_at text COLLATE "C" NOT NULL,
    created_by text NOT NULL,
    revoked_at text COLLATE "C"
);

-- The key that created a task; trainers reach only their own tasks. Tasks created before keys have none and are
-- reached by admins and auditors only.
ALTER TABLE tasks ADD COLUMN owner text COLLATE "C";
