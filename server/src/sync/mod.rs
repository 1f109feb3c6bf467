//! Sync (DESIGN.md "Sync model"): the push and pull endpoints, and the single writer thread that checks
//! every operation with the rules core and group-commits it.

pub mod handlers;
pub mod writer;

pub use writer::{Outcome, Prepared, Writer};

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// `/api/health`, `/api/rules`, `/api/sync/push`, `/api/sync/pull`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/health", get(handlers::health))
        .route("/api/rules", get(handlers::rules))
        .route("/api/sync/push", post(handlers::push))
        .route("/api/sync/pull", get(handlers::pull))
}
