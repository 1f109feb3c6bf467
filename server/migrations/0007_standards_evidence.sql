-- 0007: photos taken as evidence for the standards self-check (照片佐证, issue 14). One row per photo of a
-- community, by the id the phone gave it (a UUIDv7 named by a `standard_entry.add`'s `photos`). Never
-- changed once stored: a re-upload of the same bytes is answered as done, other bytes are refused.
CREATE TABLE standards_evidence (
    community      TEXT NOT NULL,
    id             TEXT NOT NULL,
    content_type   TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         BLOB NOT NULL,
    bytes          BLOB NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at_ms INTEGER NOT NULL,
    PRIMARY KEY (community, id)
) WITHOUT ROWID;
-- Another community's photo with this id is refused, never overwritten nor shown (lookup by id alone).
CREATE INDEX standards_evidence_id ON standards_evidence (id);
