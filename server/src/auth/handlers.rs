//! The account endpoints (DESIGN.md "Server interface"): `POST /api/auth/login`, `POST /api/auth/logout`
//! and `GET /api/me`.

use crate::AppState;
use crate::auth::passwords::dummy_hash;
use crate::auth::tokens::{self, AuthUser, new_token, parse_role, token_hash};
use crate::clock::now_ms;
use crate::db::{self, UserRow};
use crate::http::extract::address_key;
use crate::http::{ApiError, ClientIp, JsonBody, StatusOk};
use axum::Json;
use axum::extract::State;
use linli_core::protocol::{LoginRequest, LoginResponse, Role};
use serde::Serialize;

/// `POST /api/auth/login`.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let (token, user) = open_session(&state, ip, req.username, req.password).await?;
    Ok(Json(LoginResponse {
        token,
        expires_at: user.expires_at_ms,
        username: user.username,
        role: user.role,
        community: user.community,
        community_name: user.community_name,
    }))
}

/// `POST /api/auth/logout`: ends the session of the token used.
pub async fn logout(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<StatusOk>, ApiError> {
    tokens::end_session(&state, &user).await?;
    Ok(Json(StatusOk::ok()))
}

/// `GET /api/me`: the login's account, without the token.
#[derive(Serialize)]
pub struct MeResponse {
    pub expires_at: u64,
    pub username: String,
    pub role: Role,
    pub community: String,
    pub community_name: String,
}

pub async fn me(user: AuthUser) -> Json<MeResponse> {
    Json(MeResponse {
        expires_at: user.expires_at_ms,
        username: user.username,
        role: user.role,
        community: user.community,
        community_name: user.community_name,
    })
}

/// Checks a username and password; on success stores a new session and returns it with its token.
/// Failed attempts count towards the per-username limit.
/// The longest username an account may have (`admin create-user` refuses longer ones).
pub const MAX_USERNAME_CHARS: usize = 64;
/// Longer passwords are refused unhashed.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// How long a login waits for a hashing slot before the answer is 503 `busy`.
pub const HASH_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Checks a password and opens a session. Failures are counted per account *and* address (`ip`), so
/// guessing from one address cannot lock the owner out from another.
pub async fn open_session(
    state: &AppState,
    ip: Option<std::net::IpAddr>,
    username: String,
    password: String,
) -> Result<(String, AuthUser), ApiError> {
    let now = now_ms();
    // No account has a longer name (see `admin create-user`): refused before anything is hashed or kept.
    if username.chars().count() > MAX_USERNAME_CHARS || password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::BadCredentials);
    }
    let address = address_key(ip).to_string();
    shared_failures(state, &address, &username, Shared::Load, now).await?;
    if let Err(wait_ms) = state.limiter.check(&address, &username, now) {
        tracing::warn!(username = %username, %address, wait_ms, "staff login throttled");
        return Err(ApiError::TooManyAttempts { wait_ms });
    }
    // Argon2 takes 19 MiB per hash: at most one hash per slot at a time; the rest wait a little, then 503.
    let Some(slot) = state.hashing.acquire(HASH_WAIT).await else {
        tracing::warn!("login refused: every hashing slot busy");
        return Err(ApiError::Busy);
    };
    let ttl_ms = state.config.token_ttl.as_millis() as u64;
    let name = username.clone();
    let memory = slot.memory();
    let result = state
        .db
        .blocking(move |db| {
            let user: Option<UserRow> = db.read(|c| db::user_by_name(c, &name))?;
            // Unknown users cost the same hashing time as known ones, so timing does not reveal which exist.
            let ok = match &user {
                Some(u) => memory.verify(&password, &u.password_hash),
                None => {
                    memory.verify(&password, dummy_hash());
                    false
                }
            };
            let Some(u) = user.filter(|_| ok) else {
                return Ok(None);
            };
            let token = new_token();
            let h = token_hash(&token);
            let expires = now.saturating_add(ttl_ms);
            db.write(|c| tokens::insert_session(c, &h, u.id, now, expires))?;
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
                    last_contact_ms: now,
                },
            )))
        })
        .await?;
    drop(slot);
    match result {
        Some((token, user)) => {
            state.limiter.succeeded(&address, &username);
            shared_failures(state, &address, &username, Shared::Succeeded, now).await?;
            state.sessions.put(user.clone());
            Ok((token, user))
        }
        None => {
            state.limiter.failed(&address, &username, now);
            shared_failures(state, &address, &username, Shared::Failed, now).await?;
            // Logged for whoever watches the server; never the password.
            tracing::warn!(username = %username, %address, "failed staff login");
            Err(ApiError::BadCredentials)
        }
    }
}

enum Shared {
    Load,
    Failed,
    Succeeded,
}

/// The login limiter's failures shared by every server process (PostgreSQL; nothing on SQLite).
async fn shared_failures(
    state: &AppState,
    address: &str,
    username: &str,
    what: Shared,
    now: u64,
) -> Result<(), ApiError> {
    if state.db.backend() != crate::db::Backend::Postgres {
        return Ok(());
    }
    let (st, address, username) = (state.clone(), address.to_string(), username.to_string());
    state
        .db
        .blocking(move |db| match what {
            Shared::Load => st.limiter.load_shared(db, &address, &username),
            Shared::Failed => st.limiter.failed_shared(db, &address, &username, now),
            Shared::Succeeded => st.limiter.succeeded_shared(db, &address, &username),
        })
        .await
}
