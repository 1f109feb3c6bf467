-- 0001: communities, accounts, sessions, the operation log and remembered rejections.
-- Applied once, in a transaction, by server/src/db.rs (PRAGMA user_version tracks the last one applied).

CREATE TABLE communities (
    id   TEXT PRIMARY KEY,          -- RULES H1: every record belongs to one community
    name TEXT NOT NULL
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,    -- Argon2id, PHC string
    role          TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    community_id  TEXT NOT NULL REFERENCES communities(id),
    created_at_ms INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash    BLOB PRIMARY KEY, -- SHA-256 of the bearer token; the token itself is never stored
    user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Accepted operations, in the order the server accepted them. `seq` is the pull cursor.
CREATE TABLE ops (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    id             TEXT NOT NULL UNIQUE,
    community      TEXT NOT NULL,
    device_id      TEXT NOT NULL,
    author         TEXT NOT NULL,
    entity_kind    TEXT NOT NULL,
    entity_id      TEXT NOT NULL,
    json           TEXT NOT NULL,   -- the operation exactly as pulled
    received_at_ms INTEGER NOT NULL
);
CREATE INDEX ops_community_seq ON ops (community, seq);

-- Rejected operations, so that a re-pushed one gets the same answer as the first time.
CREATE TABLE rejections (
    op_id     TEXT PRIMARY KEY,
    community TEXT NOT NULL,
    code      TEXT NOT NULL,
    field     TEXT,
    error     TEXT NOT NULL,        -- the core's RuleError as JSON (messages are rendered per request language)
    json      TEXT NOT NULL,        -- the operation as pushed
    at_ms     INTEGER NOT NULL
) WITHOUT ROWID;
