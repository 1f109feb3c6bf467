//! Accounts and logins: Argon2id passwords, the failed-login limit, and the bearer tokens of staff and
//! residents (one module, `tokens`). [`routes`] holds the account endpoints.

pub mod handlers;
pub mod limiter;
pub mod passwords;
pub mod tokens;

pub use limiter::LoginLimiter;

/// Usernames no account may have: the server records residents' ballots as author `resident`.
pub const RESERVED_USERNAMES: &[&str] = &["resident"];
pub use passwords::{
    HashingSlots, MIN_PASSWORD_CHARS, generate_password, hash_password, verify_password,
};
pub use tokens::{AuthUser, Login, Resident, SessionCache, VolunteerLogin};

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// `/api/auth/login`, `/api/auth/logout`, `/api/me`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/auth/login", post(handlers::login))
        .route("/api/auth/logout", post(handlers::logout))
        .route("/api/me", get(handlers::me))
}
