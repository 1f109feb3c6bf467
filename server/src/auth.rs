//! Accounts and sessions: Argon2id password hashes, bearer tokens (only their SHA-256 is stored),
//! the failed-login limit, and the `AuthUser` extractor that every sync endpoint uses.

use crate::AppState;
use crate::db::{self, UserRow};
use crate::error::ApiError;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use base64::Engine;
use linli_core::protocol::Role;
use rand::{Rng, RngCore};
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failed logins allowed per username within [`FAILURE_WINDOW_MS`]; the next attempt gets 429.
pub const MAX_FAILURES: usize = 10;
pub const FAILURE_WINDOW_MS: u64 = 5 * 60 * 1000;
/// Shortest password `admin create-user` accepts.
pub const MIN_PASSWORD_CHARS: usize = 8;

pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// An Argon2id hash in PHC string form.
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A password for the first admin when none is configured: 16 letters and digits.
pub fn generate_password() -> String {
    rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(16)
        .map(char::from)
        .collect()
}

/// A fresh bearer token: 32 random bytes, base64url.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

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
    /// RULES H1: the only community this account sees and changes.
    pub community: String,
    pub community_name: String,
    pub expires_at_ms: u64,
}

/// Sessions already looked up, so a push does not read the database to authenticate.
/// Valid because one server process owns the database (see `db.rs`).
#[derive(Default)]
pub struct SessionCache {
    map: Mutex<HashMap<[u8; 32], AuthUser>>,
}

const SESSION_CACHE_MAX: usize = 100_000;

impl SessionCache {
    fn get(&self, h: &[u8; 32]) -> Option<AuthUser> {
        self.map
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(h)
            .cloned()
    }
    fn put(&self, u: AuthUser) {
        let mut m = self.map.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= SESSION_CACHE_MAX {
            m.clear();
        }
        m.insert(u.token_hash, u);
    }
    fn remove(&self, h: &[u8; 32]) {
        self.map.lock().unwrap_or_else(|p| p.into_inner()).remove(h);
    }
}

/// Failed logins per username, for the limit of [`MAX_FAILURES`] in [`FAILURE_WINDOW_MS`]. In memory:
/// a restart forgets them, which is acceptable for a limit meant to slow down guessing.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<u64>>>,
}

impl LoginLimiter {
    /// Whether `username` may try now.
    pub fn allowed(&self, username: &str, now: u64) -> bool {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(q) = m.get_mut(username) else {
            return true;
        };
        while q.front().is_some_and(|t| t + FAILURE_WINDOW_MS <= now) {
            q.pop_front();
        }
        q.len() < MAX_FAILURES
    }
    pub fn failed(&self, username: &str, now: u64) {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() > 100_000 {
            m.retain(|_, q| q.back().is_some_and(|t| t + FAILURE_WINDOW_MS > now));
        }
        m.entry(username.to_string()).or_default().push_back(now);
    }
    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(username);
    }
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
                c.prepare_cached("SELECT 1 FROM sessions WHERE token_hash = ?1")?
                    .exists([&h[..]])
            })
        })
        .await
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

/// Checks a username and password; on success stores a new session and returns it with its token.
pub async fn login(
    state: &AppState,
    username: String,
    password: String,
) -> Result<(String, AuthUser), ApiError> {
    let now = now_ms();
    if !state.limiter.allowed(&username, now) {
        return Err(ApiError::TooManyAttempts);
    }
    let ttl_ms = state.config.token_ttl.as_millis() as u64;
    let name = username.clone();
    let result = state
        .db
        .blocking(move |db| {
            let user: Option<UserRow> = db.read(|c| db::user_by_name(c, &name))?;
            // Unknown users cost the same hashing time as known ones, so timing does not reveal which exist.
            let ok = match &user {
                Some(u) => verify_password(&password, &u.password_hash),
                None => {
                    verify_password(&password, dummy_hash());
                    false
                }
            };
            let Some(u) = user.filter(|_| ok) else { return Ok(None) };
            let token = new_token();
            let h = token_hash(&token);
            let expires = now.saturating_add(ttl_ms);
            let w = db.writer();
            w.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![&h[..], u.id, now as i64, expires as i64],
            )?;
            // Sessions long expired are of no use any more, even to say "expired".
            w.execute("DELETE FROM sessions WHERE expires_at_ms < ?1", [now as i64 - 90 * 24 * 3600 * 1000])?;
            Ok(Some((
                token,
                AuthUser {
                    token_hash: h,
                    user_id: u.id,
                    username: u.username,
                    role: parse_role(&u.role),
                    community: u.community,
                    community_name: u.community_name,
                    expires_at_ms: expires,
                },
            )))
        })
        .await?;
    match result {
        Some((token, user)) => {
            state.limiter.succeeded(&username);
            state.sessions.put(user.clone());
            Ok((token, user))
        }
        None => {
            state.limiter.failed(&username, now);
            Err(ApiError::BadCredentials)
        }
    }
}

/// Revokes the session of `user`.
pub async fn logout(state: &AppState, user: &AuthUser) -> Result<(), ApiError> {
    let h = user.token_hash;
    state.sessions.remove(&h);
    state
        .db
        .blocking(move |db| {
            db.writer()
                .execute("DELETE FROM sessions WHERE token_hash = ?1", [&h[..]])
        })
        .await?;
    Ok(())
}

/// An Argon2id hash of a random string, verified against for unknown usernames.
fn dummy_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| hash_password(&generate_password()).unwrap_or_default())
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
                            c.prepare_cached(
                                "SELECT u.id, u.username, u.role, u.community_id, c.name, s.expires_at_ms
                                 FROM sessions s JOIN users u ON u.id = s.user_id JOIN communities c ON c.id = u.community_id
                                 WHERE s.token_hash = ?1",
                            )?
                            .query_row([&h[..]], |r| {
                                Ok(AuthUser {
                                    token_hash: h,
                                    user_id: r.get(0)?,
                                    username: r.get(1)?,
                                    role: parse_role(&r.get::<_, String>(2)?),
                                    community: r.get(3)?,
                                    community_name: r.get(4)?,
                                    expires_at_ms: r.get::<_, i64>(5)?.max(0) as u64,
                                })
                            })
                            .optional()
                        })
                    })
                    .await?;
                let Some(u) = found else {
                    // A resident's voting login is refused here, not unknown (403, not 401).
                    return Err(if crate::voting::is_resident_token(state, h).await? {
                        ApiError::Forbidden {
                            field: "authorization".into(),
                        }
                    } else {
                        ApiError::Unauthorized
                    });
                };
                state.sessions.put(u.clone());
                u
            }
        };
        if now_ms() >= user.expires_at_ms {
            return Err(ApiError::TokenExpired);
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(PasswordHash::new(dummy_hash()).is_ok());
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, new_token());
        assert_eq!(generate_password().len(), 16);
    }

    #[test]
    fn limiter_window() {
        let l = LoginLimiter::default();
        for i in 0..MAX_FAILURES as u64 {
            assert!(l.allowed("a", i));
            l.failed("a", i);
        }
        assert!(!l.allowed("a", 100));
        assert!(l.allowed("b", 100));
        assert!(l.allowed("a", FAILURE_WINDOW_MS + 5));
    }
}
