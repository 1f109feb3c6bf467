-- PostgreSQL twin of 0006: a volunteer's own login (志愿者本人), scoped to one volunteer record of one
-- community; only the SHA-256 of the bearer token is stored. Looked up by token: a reference table on a
-- distributed engine, like the other sessions.
CREATE TABLE volunteer_sessions (
    token_hash      BYTEA PRIMARY KEY,
    community       TEXT NOT NULL,
    volunteer_id    TEXT NOT NULL,
    created_at_ms   BIGINT NOT NULL,
    expires_at_ms   BIGINT NOT NULL,
    last_contact_ms BIGINT
);
CREATE INDEX volunteer_sessions_volunteer ON volunteer_sessions (community, volunteer_id);
