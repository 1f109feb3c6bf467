-- 0002: residents' voting codes for renovation projects, and the sessions they open (issue 3).
-- Only the SHA-256 of a code (normalised: 16 Crockford base32 characters) and of a session token is stored.

CREATE TABLE voting_codes (
    code_hash     BLOB PRIMARY KEY,   -- SHA-256 of the normalised code; the code itself is never stored
    community     TEXT NOT NULL,      -- RULES H1
    project_id    TEXT NOT NULL,
    household_id  TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    issued_at_ms  INTEGER NOT NULL,
    revoked_at_ms INTEGER,
    issued_by     TEXT NOT NULL       -- username of the staff member who issued it
) WITHOUT ROWID;
-- At most one active code per household and project.
CREATE UNIQUE INDEX voting_codes_one_active
    ON voting_codes (community, project_id, household_id) WHERE status = 'active';
CREATE INDEX voting_codes_project ON voting_codes (community, project_id, household_id);

-- A resident's login with a code: scoped to exactly the code's (community, project, household).
CREATE TABLE resident_sessions (
    token_hash    BLOB PRIMARY KEY,   -- SHA-256 of the bearer token
    code_hash     BLOB NOT NULL REFERENCES voting_codes(code_hash),
    created_at_ms INTEGER NOT NULL,
    expires_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX resident_sessions_code ON resident_sessions (code_hash);
