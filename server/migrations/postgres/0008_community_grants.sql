-- PostgreSQL twin of 0008: communities an account may read besides its own (RULES H1, a sub-district's
-- staff). `community` first in the primary key; a small reference table looked up by username.
CREATE TABLE community_grants (
    community     TEXT NOT NULL,
    username      TEXT NOT NULL,
    granted_at_ms BIGINT NOT NULL,
    PRIMARY KEY (community, username)
);
CREATE INDEX community_grants_username ON community_grants (username);
