-- 0006: a volunteer's own login (志愿者本人), opened on their phone by registering at the community's
-- join link (`POST /api/volunteers/join`). Scoped to one volunteer record of one community; only the
-- SHA-256 of the bearer token is stored.
CREATE TABLE volunteer_sessions (
    token_hash      BLOB PRIMARY KEY,
    community       TEXT NOT NULL,
    volunteer_id    TEXT NOT NULL,
    created_at_ms   INTEGER NOT NULL,
    expires_at_ms   INTEGER NOT NULL,
    last_contact_ms INTEGER
) WITHOUT ROWID;
CREATE INDEX volunteer_sessions_volunteer ON volunteer_sessions (community, volunteer_id);
