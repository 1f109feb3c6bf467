//! Bearer tokens, the one place for every kind of login: staff sessions (`AuthUser`, table `sessions`),
//! residents' voting-code sessions (`Resident`, table `resident_sessions`, 住户投票登录) and volunteers'
//! own phones (`VolunteerLogin`, table `volunteer_sessions`, 志愿者本人). [`Login`] is either a staff
//! session or a volunteer's: the sync endpoints take it.
//!
//! A token is 32 random bytes, base64url; only its SHA-256 is stored. Each extractor refuses the other
//! kind of token with 403 `forbidden` (field `authorization`) rather than 401, so a phone knows it used
//! the wrong login, not an unknown one. Expired tokens are `token_expired`, distinct from unknown ones.

use crate::AppState;
use crate::args;
use crate::clock::now_ms;
use crate::db::{Conn, DbResult};
use crate::http::ApiError;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use linli_core::protocol::Role;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use uuid::Uuid;

const DAY_MS: i64 = 86_400_000;

/// A fresh bearer token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The bearer token of a request, if any.
pub fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
}

/// Paths on which a login only sends its own changes: these learn nothing of anyone else's and are not
/// counted as contact (see [`record_contact`]).
const SENDING_PATHS: [&str; 3] = ["/api/sync/push", "/api/vote/ballot", "/api/volunteers/join"];

/// The China-time day of `ms` (days since 1970-01-01 in UTC+8).
fn cst_day(ms: u64) -> i64 {
    (ms as i64 + 8 * 3_600_000).div_euclid(DAY_MS)
}

/// Records that the login with token hash `h` was in touch with the server at `now`, unless the request
/// only sends the login's own changes or a contact is already recorded for today (day-granular:
/// survey closes are at midnight China time, so one write per login and day is exact for the late-
/// ballot rule). Returns the contact time to remember.
async fn record_contact(
    state: &AppState,
    parts: &Parts,
    table: &'static str,
    h: [u8; 32],
    last: u64,
    now: u64,
) -> Result<u64, ApiError> {
    if SENDING_PATHS.contains(&parts.uri.path()) || cst_day(now) <= cst_day(last) {
        return Ok(last);
    }
    state
        .db
        .blocking(move |db| {
            db.write(|c| {
                c.execute(
                    &format!("UPDATE {table} SET last_contact_ms = ?1 WHERE token_hash = ?2"),
                    args![now as i64, &h[..]],
                )
            })
        })
        .await?;
    Ok(now)
}

/// 403 for a token of the other kind of login.
fn wrong_kind_of_login() -> ApiError {
    ApiError::Forbidden {
        field: "authorization".into(),
    }
}

// ---------------------------------------------------------------------------------------------
// Staff sessions

pub fn parse_role(s: &str) -> Role {
    if s == "admin" {
        Role::Admin
    } else {
        Role::Staff
    }
}

/// The logged-in account a request acts as.
#[derive(Clone, Debug)]
pub struct AuthUser {
    pub token_hash: [u8; 32],
    pub user_id: i64,
    pub username: String,
    pub role: Role,
    /// RULES H1: the only community (社区) this account sees and changes.
    pub community: String,
    pub community_name: String,
    pub expires_at_ms: u64,
    /// When this login was last in touch with the server other than to push, before this request.
    pub last_contact_ms: u64,
}

/// Sessions already looked up, so a push does not read the database to authenticate. Trusted for
/// [`SESSION_CACHE_MS`] only: the table is the truth, shared by every server process on one PostgreSQL,
/// so a session ended on one process (logout, `admin revoke-sessions`) ends on every other within that.
#[derive(Default)]
pub struct SessionCache {
    map: Mutex<HashMap<[u8; 32], (AuthUser, u64)>>,
}

const SESSION_CACHE_MAX: usize = 100_000;
/// How long a cached session is trusted before the database is asked again: so `admin revoke-sessions`
/// and `admin disable-user`, run beside the server, take effect within seconds.
pub const SESSION_CACHE_MS: u64 = 3_000;

impl SessionCache {
    fn get(&self, h: &[u8; 32]) -> Option<AuthUser> {
        let now = now_ms();
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(h)
            .filter(|(_, at)| now < at + SESSION_CACHE_MS)
            .map(|(u, _)| u.clone())
    }
    pub fn put(&self, u: AuthUser) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= SESSION_CACHE_MAX {
            m.clear();
        }
        m.insert(u.token_hash, (u, now_ms()));
    }
    fn remove(&self, h: &[u8; 32]) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(h);
    }
}

/// Stores a new staff session (on the writer connection) and drops sessions long expired, which are
/// of no use any more, even to say "expired".
pub fn insert_session(
    w: &mut Conn<'_>,
    token_hash: &[u8; 32],
    user_id: i64,
    now: u64,
    expires: u64,
) -> DbResult<()> {
    w.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
        args![&token_hash[..], user_id, now as i64, expires as i64],
    )?;
    w.execute(
        "DELETE FROM sessions WHERE expires_at_ms < ?1",
        args![now as i64 - 90 * DAY_MS],
    )?;
    Ok(())
}

/// Revokes the session of `user`.
pub async fn end_session(state: &AppState, user: &AuthUser) -> Result<(), ApiError> {
    let h = user.token_hash;
    state.sessions.remove(&h);
    state
        .db
        .blocking(move |db| {
            db.write(|c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", args![&h[..]]))
        })
        .await?;
    Ok(())
}

/// Whether `h` is the hash of a live staff session (ignoring expiry).
pub async fn is_staff_token(state: &AppState, h: [u8; 32]) -> Result<bool, ApiError> {
    if state.sessions.get(&h).is_some() {
        return Ok(true);
    }
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                Ok(c.query_opt(
                    "SELECT 1 FROM sessions WHERE token_hash = ?1",
                    args![&h[..]],
                )?
                .is_some())
            })
        })
        .await
}

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let h = token_hash(token);
        let user = match state.sessions.get(&h) {
            Some(u) => u,
            None => {
                let found = state
                    .db
                    .blocking(move |db| {
                        db.read(|c| {
                            c.query_opt(
                                "SELECT u.id, u.username, u.role, u.community_id, c.name, s.expires_at_ms,
                                        COALESCE(s.last_contact_ms, s.created_at_ms)
                                 FROM sessions s JOIN users u ON u.id = s.user_id JOIN communities c ON c.id = u.community_id
                                 WHERE s.token_hash = ?1 AND u.disabled_at_ms IS NULL",
                                args![&h[..]],
                            )?
                            .map(|r| {
                                Ok(AuthUser {
                                    token_hash: h,
                                    user_id: r.int(0)?,
                                    username: r.text(1)?,
                                    role: parse_role(&r.text(2)?),
                                    community: r.text(3)?,
                                    community_name: r.text(4)?,
                                    expires_at_ms: r.int(5)?.max(0) as u64,
                                    last_contact_ms: r.int(6)?.max(0) as u64,
                                })
                            })
                            .transpose()
                        })
                    })
                    .await?;
                let Some(u) = found else {
                    // A resident's or a volunteer's login is refused here, not unknown (403, not 401).
                    return Err(
                        if is_resident_token(state, h).await?
                            || is_volunteer_token(state, h).await?
                        {
                            wrong_kind_of_login()
                        } else {
                            ApiError::Unauthorized
                        },
                    );
                };
                state.sessions.put(u.clone());
                u
            }
        };
        let now = now_ms();
        if now >= user.expires_at_ms {
            return Err(ApiError::TokenExpired);
        }
        let contact =
            record_contact(state, parts, "sessions", h, user.last_contact_ms, now).await?;
        if contact != user.last_contact_ms {
            // Later requests (a push after this pull) see this contact.
            let mut seen = user.clone();
            seen.last_contact_ms = contact;
            state.sessions.put(seen);
        }
        Ok(user)
    }
}

// ---------------------------------------------------------------------------------------------
// Resident sessions (opened with a household's voting code)

/// A resident logged in with a code: exactly one household (户) of one project of one community.
/// Checked against the code's status on every request, so revoking a code ends its logins at once.
#[derive(Clone, Debug)]
pub struct Resident {
    pub token_hash: [u8; 32],
    /// SHA-256 of the code that opened this login.
    pub code_hash: Vec<u8>,
    pub community: String,
    pub project_id: Uuid,
    pub household_id: Uuid,
    pub expires_at_ms: u64,
    /// When this login was last in touch with the server other than to send its ballot, before this request.
    pub last_contact_ms: u64,
}

/// Ends a resident's login (`POST /api/vote/logout`).
pub async fn end_resident_session(state: &AppState, r: &Resident) -> Result<(), ApiError> {
    let h = r.token_hash;
    state
        .db
        .blocking(move |db| {
            db.write(|c| {
                c.execute(
                    "DELETE FROM resident_sessions WHERE token_hash = ?1",
                    args![&h[..]],
                )
            })
        })
        .await?;
    Ok(())
}

/// Stores a new resident session for the code with hash `code_hash`, valid until `expires`, and drops
/// sessions long expired. Returns the token.
pub async fn open_resident_session(
    state: &AppState,
    code_hash: [u8; 32],
    now: u64,
    expires: u64,
) -> Result<String, ApiError> {
    let token = new_token();
    let th = token_hash(&token);
    state
        .db
        .blocking(move |db| {
            db.write(|w| {
                w.execute(
                    "INSERT INTO resident_sessions (token_hash, code_hash, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
                    args![&th[..], &code_hash[..], now as i64, expires as i64],
                )?;
                w.execute(
                    "DELETE FROM resident_sessions WHERE expires_at_ms < ?1",
                    args![now as i64 - 90 * DAY_MS],
                )
            })
        })
        .await?;
    Ok(token)
}

/// Whether `h` is the hash of a resident's session token.
pub async fn is_resident_token(state: &AppState, h: [u8; 32]) -> Result<bool, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                Ok(c.query_opt(
                    "SELECT 1 FROM resident_sessions WHERE token_hash = ?1",
                    args![&h[..]],
                )?
                .is_some())
            })
        })
        .await
}

impl FromRequestParts<AppState> for Resident {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let h = token_hash(token);
        let row = state
            .db
            .blocking(move |db| {
                db.read(|c| {
                    c.query_opt(
                        "SELECT v.community, v.project_id, v.household_id, v.status, s.expires_at_ms, s.code_hash,
                                COALESCE(s.last_contact_ms, s.created_at_ms)
                         FROM resident_sessions s JOIN voting_codes v ON v.code_hash = s.code_hash
                         WHERE s.token_hash = ?1",
                        args![&h[..]],
                    )?
                    .map(|r| {
                        Ok((
                            Resident {
                                token_hash: h,
                                community: r.text(0)?,
                                project_id: r.uuid(1)?,
                                household_id: r.uuid(2)?,
                                expires_at_ms: r.int(4)?.max(0) as u64,
                                code_hash: r.blob(5)?,
                                last_contact_ms: r.int(6)?.max(0) as u64,
                            },
                            r.text(3)?,
                        ))
                    })
                    .transpose()
                })
            })
            .await?;
        let Some((resident, status)) = row else {
            return Err(if is_staff_token(state, h).await? {
                wrong_kind_of_login()
            } else {
                ApiError::Unauthorized
            });
        };
        if status != "active" {
            return Err(ApiError::CodeRevoked);
        }
        let now = now_ms();
        if now >= resident.expires_at_ms {
            return Err(ApiError::TokenExpired);
        }
        record_contact(
            state,
            parts,
            "resident_sessions",
            h,
            resident.last_contact_ms,
            now,
        )
        .await?;
        Ok(resident)
    }
}

// ---------------------------------------------------------------------------------------------
// Volunteers' own phones (opened by registering at the community's join link)

/// How long a volunteer's login lasts: a year (it is renewed by registering again from the phone).
pub const VOLUNTEER_SESSION_MS: u64 = 365 * DAY_MS as u64;

/// A volunteer's own phone: acts for exactly one volunteer record of one community (RULES §3).
#[derive(Clone, Debug)]
pub struct VolunteerLogin {
    pub token_hash: [u8; 32],
    pub community: String,
    pub volunteer_id: Uuid,
    pub expires_at_ms: u64,
    pub last_contact_ms: u64,
}

/// Stores a new volunteer session for `volunteer_id` of `community`, valid until `expires`. Returns the token.
pub async fn open_volunteer_session(
    state: &AppState,
    community: String,
    volunteer_id: Uuid,
    now: u64,
    expires: u64,
) -> Result<String, ApiError> {
    let token = new_token();
    let th = token_hash(&token);
    state
        .db
        .blocking(move |db| {
            db.write(|c| {
                c.execute(
                    "INSERT INTO volunteer_sessions (token_hash, community, volunteer_id, created_at_ms, expires_at_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                    args![
                        &th[..],
                        &community,
                        &volunteer_id.to_string(),
                        now as i64,
                        expires as i64
                    ],
                )
            })
        })
        .await?;
    Ok(token)
}

/// Whether `h` is the hash of a volunteer's session token.
pub async fn is_volunteer_token(state: &AppState, h: [u8; 32]) -> Result<bool, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                Ok(c.query_opt(
                    "SELECT 1 FROM volunteer_sessions WHERE token_hash = ?1",
                    args![&h[..]],
                )?
                .is_some())
            })
        })
        .await
}

async fn find_volunteer_login(
    state: &AppState,
    h: [u8; 32],
) -> Result<Option<VolunteerLogin>, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                c.query_opt(
                    "SELECT community, volunteer_id, expires_at_ms, COALESCE(last_contact_ms, created_at_ms)
                     FROM volunteer_sessions WHERE token_hash = ?1",
                    args![&h[..]],
                )?
                .map(|r| {
                    Ok(VolunteerLogin {
                        token_hash: h,
                        community: r.text(0)?,
                        volunteer_id: r.uuid(1)?,
                        expires_at_ms: r.int(2)?.max(0) as u64,
                        last_contact_ms: r.int(3)?.max(0) as u64,
                    })
                })
                .transpose()
            })
        })
        .await
}

/// A found volunteer login, if not expired; records the day's contact (see [`record_contact`]).
async fn admit_volunteer(
    state: &AppState,
    parts: &Parts,
    login: VolunteerLogin,
) -> Result<VolunteerLogin, ApiError> {
    let now = now_ms();
    if now >= login.expires_at_ms {
        return Err(ApiError::TokenExpired);
    }
    let h = login.token_hash;
    record_contact(
        state,
        parts,
        "volunteer_sessions",
        h,
        login.last_contact_ms,
        now,
    )
    .await?;
    Ok(login)
}

impl FromRequestParts<AppState> for VolunteerLogin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let h = token_hash(token);
        let Some(login) = find_volunteer_login(state, h).await? else {
            return Err(
                if is_staff_token(state, h).await? || is_resident_token(state, h).await? {
                    wrong_kind_of_login()
                } else {
                    ApiError::Unauthorized
                },
            );
        };
        admit_volunteer(state, parts, login).await
    }
}

/// The login of a sync request: a staff account, or a volunteer's own phone.
#[derive(Clone, Debug)]
pub enum Login {
    Staff(AuthUser),
    Volunteer(VolunteerLogin),
}

impl Login {
    pub fn community(&self) -> &str {
        match self {
            Login::Staff(u) => &u.community,
            Login::Volunteer(v) => &v.community,
        }
    }

    /// The `author` every operation of this login must carry.
    pub fn author(&self) -> String {
        match self {
            Login::Staff(u) => u.username.clone(),
            Login::Volunteer(v) => linli_core::volunteers::volunteer_author(v.volunteer_id),
        }
    }

    /// When this login was last in touch with the server other than to send its changes.
    pub fn last_contact_ms(&self) -> u64 {
        match self {
            Login::Staff(u) => u.last_contact_ms,
            Login::Volunteer(v) => v.last_contact_ms,
        }
    }
}

impl FromRequestParts<AppState> for Login {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let h = token_hash(token);
        // A cached staff session first (the push path), then a volunteer's, then the staff table.
        if state.sessions.get(&h).is_none()
            && let Some(login) = find_volunteer_login(state, h).await?
        {
            return admit_volunteer(state, parts, login)
                .await
                .map(Login::Volunteer);
        }
        AuthUser::from_request_parts(parts, state)
            .await
            .map(Login::Staff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens() {
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token());
        assert_eq!(token_hash(&t), token_hash(&t));
        assert_eq!(parse_role("admin"), Role::Admin);
        assert_eq!(parse_role("staff"), Role::Staff);
    }

    #[test]
    fn contact_days_are_china_days() {
        // 2026-05-15 16:00 UTC is midnight in China: the day changes there, not at UTC midnight.
        let midnight_cst = 1_778_860_800_000u64;
        assert_eq!(cst_day(midnight_cst) - cst_day(midnight_cst - 1), 1);
        assert_eq!(
            cst_day(midnight_cst + 8 * 3_600_000 - 1),
            cst_day(midnight_cst)
        );
    }
}
