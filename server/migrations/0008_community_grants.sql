-- 0008: communities an account may read besides its own (RULES H1: "staff see only their own community
-- unless granted the sub-district"). A sub-district's staff are granted each community of the sub-district
-- (`linli-server admin grant-community`); a grant lets them read the standards self-check side by side
-- (`GET /api/standards/overview`), never change another community's records.
CREATE TABLE community_grants (
    community     TEXT NOT NULL,
    username      TEXT NOT NULL,
    granted_at_ms INTEGER NOT NULL,
    PRIMARY KEY (community, username)
) WITHOUT ROWID;
CREATE INDEX community_grants_username ON community_grants (username);
