//! All of the renovation feature's SQL: the `voting_codes` table (migration 0002) and the reads of stored
//! ballot operations that receipts need. Handlers call these functions; no SQL text lives elsewhere in
//! this folder. (Resident *sessions* are tokens: they live in `auth/tokens.rs` with the staff sessions.)
//!
//! A code row is (code_hash, community, project_id, household_id, status `active|revoked`,
//! issued_at_ms, issued_by, revoked_at_ms); at most one active code per household and project.

use crate::args;
use crate::db::{Conn, Db, DbResult};
use crate::http::ApiError;
use crate::renovation::codes::{code_hash, new_code};
use crate::renovation::views::Door;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Runs `f` in one transaction (on a blocking thread). Commits only when `f` answers `Ok(Ok(_))`; a
/// refusal (`Ok(Err(_))`) or a database error rolls back.
pub async fn write_tx<T: Send + 'static>(
    db: &Db,
    f: impl FnOnce(&mut Conn<'_>) -> DbResult<Result<T, ApiError>> + Send + 'static,
) -> Result<T, ApiError> {
    db.blocking(move |db| db.transaction(f)).await?
}

// ---------------------------------------------------------------------------------------------
// Voting codes

/// Who an active code belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeOwner {
    pub community: String,
    pub project_id: Uuid,
    pub household_id: Uuid,
}

/// The owner of the active code whose hash is `hash`, if there is one.
pub async fn active_code(db: &Db, hash: [u8; 32]) -> Result<Option<CodeOwner>, ApiError> {
    db.blocking(move |db| {
        db.read(|c| {
            c.query_opt(
                "SELECT community, project_id, household_id FROM voting_codes
                 WHERE code_hash = ?1 AND status = 'active'",
                args![&hash[..]],
            )?
            .map(|r| {
                Ok(CodeOwner {
                    community: r.text(0)?,
                    project_id: r.uuid(1)?,
                    household_id: r.uuid(2)?,
                })
            })
            .transpose()
        })
    })
    .await
}

/// The households (ids as text) of a project that hold an active code.
pub fn active_households(
    c: &mut Conn<'_>,
    community: &str,
    project: Uuid,
) -> DbResult<HashSet<String>> {
    c.query(
        "SELECT household_id FROM voting_codes WHERE community = ?1 AND project_id = ?2 AND status = 'active'",
        args![community, &project.to_string()],
    )?
    .iter()
    .map(|r| r.text(0))
    .collect()
}

/// One issued code, in plain text (normalised), with its household: what a slip shows.
pub struct Issued {
    pub door: Door,
    pub code: String,
}

/// Inserts a new active code for each door (in a transaction the caller commits).
pub fn insert_codes(
    tx: &mut Conn<'_>,
    community: &str,
    project: Uuid,
    doors: Vec<Door>,
    by: &str,
    now: u64,
) -> DbResult<Vec<Issued>> {
    let project = project.to_string();
    let mut out = Vec::with_capacity(doors.len());
    if let Conn::Pg(c) = tx {
        // PostgreSQL: a whole compound's codes in a few statements, not one round trip per household.
        for chunk in doors.chunks(10_000) {
            let codes: Vec<String> = chunk.iter().map(|_| new_code()).collect();
            let hashes: Vec<Vec<u8>> = codes.iter().map(|c| code_hash(c).to_vec()).collect();
            let households: Vec<String> =
                chunk.iter().map(|d| d.household.id.to_string()).collect();
            c.client.execute(
                "INSERT INTO voting_codes (code_hash, community, project_id, household_id, status, issued_at_ms, issued_by)
                 SELECT h, $1, $2, hh, 'active', $3, $4 FROM unnest($5::bytea[], $6::text[]) AS t(h, hh)",
                &[&community, &project, &(now as i64), &by, &hashes, &households],
            )?;
            out.extend(
                chunk
                    .iter()
                    .cloned()
                    .zip(codes)
                    .map(|(door, code)| Issued { door, code }),
            );
        }
        return Ok(out);
    }
    for door in doors {
        let code = new_code();
        tx.execute(
            "INSERT INTO voting_codes (code_hash, community, project_id, household_id, status, issued_at_ms, issued_by)
             VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6)",
            args![
                &code_hash(&code)[..],
                community,
                &project,
                &door.household.id.to_string(),
                now as i64,
                by
            ],
        )?;
        out.push(Issued { door, code });
    }
    Ok(out)
}

/// Revokes the household's active code, if any. Its sessions stay, so that a phone logged in with it is
/// told `code_revoked`, not `unauthorized`.
pub fn revoke_active(
    tx: &mut Conn<'_>,
    community: &str,
    project: Uuid,
    household: Uuid,
    now: u64,
) -> DbResult<usize> {
    let (p, h) = (project.to_string(), household.to_string());
    Ok(tx.execute(
        "UPDATE voting_codes SET status = 'revoked', revoked_at_ms = ?4
         WHERE community = ?1 AND project_id = ?2 AND household_id = ?3 AND status = 'active'",
        args![community, &p, &h, now as i64],
    )? as usize)
}

/// One code row as the status list needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRow {
    /// `active` or `revoked`.
    pub status: String,
    pub issued_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
}

/// Every code ever issued for a project, per household id (as text), oldest first.
pub type CodeHistory = HashMap<String, Vec<CodeRow>>;

pub async fn code_history(db: &Db, community: String, id: Uuid) -> Result<CodeHistory, ApiError> {
    db.blocking(move |db| {
        db.read(|c| {
            let rows = c.query(
                "SELECT household_id, status, issued_at_ms, revoked_at_ms FROM voting_codes
                 WHERE community = ?1 AND project_id = ?2 ORDER BY issued_at_ms",
                args![&community, &id.to_string()],
            )?;
            let mut m: CodeHistory = HashMap::new();
            for r in rows {
                m.entry(r.text(0)?).or_default().push(CodeRow {
                    status: r.text(1)?,
                    issued_at_ms: r.int(2)?,
                    revoked_at_ms: r.opt_int(3)?,
                });
            }
            Ok(m)
        })
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Stored ballot operations

/// What the server holds under an operation id.
pub enum StoredOp {
    /// Accepted: the operation as stored.
    Accepted(String),
    /// Refused, in this community (only a digest of the body is kept).
    Rejected { community: String },
}

/// The operation stored under this id, accepted (`ops`) or rejected (`rejections`).
pub async fn stored_op(db: &Db, id: Uuid) -> Result<Option<StoredOp>, ApiError> {
    let id = id.to_string();
    db.blocking(move |db| {
        db.read(|c| {
            if let Some(r) = c.query_opt("SELECT json FROM ops WHERE id = ?1", args![&id])? {
                return Ok(Some(StoredOp::Accepted(r.text(0)?)));
            }
            c.query_opt(
                "SELECT community FROM rejections WHERE op_id = ?1",
                args![&id],
            )?
            .map(|r| {
                Ok(StoredOp::Rejected {
                    community: r.text(0)?,
                })
            })
            .transpose()
        })
    })
    .await
}

/// The stored JSON of an accepted operation and when the server received it (ms since the epoch).
pub async fn accepted_op(db: &Db, id: Uuid) -> Result<(String, i64), ApiError> {
    let id = id.to_string();
    db.blocking(move |db| {
        db.read(|c| {
            let r = c.query_one(
                "SELECT json, received_at_ms FROM ops WHERE id = ?1",
                args![&id],
            )?;
            Ok((r.text(0)?, r.int(1)?))
        })
    })
    .await
}
