-- 0005: volunteers (issue 10, RULES §3 V6): the register of service-record certificates (志愿服务记录证明)
-- and each community's certificate signing key. Written for SQLite and PostgreSQL alike: ids are UUIDs
-- as text, integer widths explicit (INTEGER = 32-bit, BIGINT = 64-bit), `community` on every row.

-- One community's Ed25519 key, made on first use and never replaced (a replaced key would make every
-- certificate it signed fail to verify). The secret half lives only here: never in a file or a log.
CREATE TABLE certificate_keys (
    id            TEXT PRIMARY KEY,           -- UUID
    community     TEXT NOT NULL UNIQUE,       -- RULES H1: one key per community
    algorithm     TEXT NOT NULL CHECK (algorithm = 'Ed25519'),
    secret_key    BLOB NOT NULL,              -- 32 bytes (PostgreSQL: BYTEA)
    public_key    BLOB NOT NULL,              -- 32 bytes
    created_at_ms BIGINT NOT NULL
);

-- The numbered register: numbers consecutive per community and year (2026-0001, 2026-0002, …), never
-- reused; a certificate is never deleted or changed.
CREATE TABLE volunteer_certificates (
    id            TEXT PRIMARY KEY,           -- UUID
    community     TEXT NOT NULL,
    year          INTEGER NOT NULL,           -- of the issue date (China time)
    seq           INTEGER NOT NULL,           -- 1, 2, … within (community, year)
    number        TEXT NOT NULL,              -- "YYYY-NNNN"
    volunteer_id  TEXT NOT NULL,              -- UUID of the volunteer record
    issued_on     TEXT NOT NULL,              -- YYYY-MM-DD
    issued_by     TEXT NOT NULL,              -- username of the staff member
    issued_at_ms  BIGINT NOT NULL,
    payload       TEXT NOT NULL,              -- the signed canonical JSON, exactly as signed
    services      TEXT NOT NULL,              -- the printed service list (JSON), bound by the payload's digest
    signature     TEXT NOT NULL,              -- base64url, 64 bytes
    UNIQUE (community, year, seq),
    UNIQUE (community, number)
);
CREATE INDEX volunteer_certificates_volunteer ON volunteer_certificates (community, volunteer_id);
