-- PostgreSQL twin of 0007: photos taken as evidence for the standards self-check (照片佐证, issue 14).
-- `community` first in the primary key (distributed by community); explicit widths (`INTEGER` 32-bit for
-- a size of at most 200 KB, `BIGINT` 64-bit for times). The index by id alone (another community's id is
-- refused) fans out to every shard on a distributed engine, like `ops`' lookup by id.
CREATE TABLE standards_evidence (
    community      TEXT NOT NULL,
    id             TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         BYTEA NOT NULL,
    bytes          BYTEA NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at_ms BIGINT NOT NULL,
    PRIMARY KEY (community, id)
);
CREATE INDEX standards_evidence_id ON standards_evidence (id);
