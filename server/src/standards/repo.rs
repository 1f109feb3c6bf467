//! All of the standards feature's SQL (migration 0007): the photos taken as evidence
//! (`standards_evidence`), one row per (community, photo id), never changed once stored.

use crate::args;
use crate::db::{Db, DbResult};
use crate::http::ApiError;
use sha2::{Digest, Sha256};

/// A stored photo: its kind (`image/jpeg`…) and bytes.
pub struct Photo {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// What storing a photo did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stored {
    /// Stored now.
    New,
    /// The same bytes were already stored under this id (a re-upload after a lost answer).
    Again,
}

/// Stores `bytes` as photo `id` of `community`, in one transaction: refused as another community's
/// (`Forbidden`, naming `id`) when that id is theirs, and as a conflict when this community already holds
/// other bytes under it. Two uploads of one id at once: one insert wins, the other compares with it.
pub async fn put(
    db: &Db,
    community: String,
    id: String,
    content_type: &'static str,
    bytes: Vec<u8>,
    uploaded_by: String,
    now: u64,
) -> Result<Stored, ApiError> {
    let sha = Sha256::digest(&bytes).to_vec();
    db.blocking(move |db| {
        db.transaction(|tx| {
            let other = tx.query_opt(
                "SELECT 1 FROM standards_evidence WHERE id = ?1 AND community <> ?2",
                args![&id, &community],
            )?;
            if other.is_some() {
                return Ok(Err(ApiError::Forbidden { field: "id".into() }));
            }
            let made = tx.execute(
                "INSERT INTO standards_evidence
                     (community, id, content_type, size_bytes, sha256, bytes, uploaded_by, uploaded_at_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING",
                args![
                    &community,
                    &id,
                    content_type,
                    bytes.len() as i64,
                    &sha[..],
                    &bytes[..],
                    &uploaded_by,
                    now as i64
                ],
            )?;
            if made == 1 {
                return Ok(Ok(Stored::New));
            }
            let held = tx
                .query_one(
                    "SELECT sha256 FROM standards_evidence WHERE community = ?1 AND id = ?2",
                    args![&community, &id],
                )?
                .blob(0)?;
            Ok(if held == sha {
                Ok(Stored::Again)
            } else {
                Err(ApiError::PhotoConflict)
            })
        })
    })
    .await?
}

/// Photo `id` of `community`, if it has one (another community's is not looked at).
pub fn get(db: &Db, community: &str, id: &str) -> DbResult<Option<Photo>> {
    db.read(|c| {
        c.query_opt(
            "SELECT content_type, bytes FROM standards_evidence WHERE community = ?1 AND id = ?2",
            args![community, id],
        )?
        .map(|row| {
            Ok(Photo {
                content_type: row.text(0)?,
                bytes: row.blob(1)?,
            })
        })
        .transpose()
    })
}
