//! The standards self-check on the server (达标自评, issue 14; RULES §5 E1–E7). Entries are ordinary
//! operations through `/api/sync/push`, checked by the core; what the server keeps of its own is the
//! photos taken as evidence (照片佐证), which are files, not operations.
//!
//! - `evidence.rs` — `PUT /api/standards/evidence/{id}` (the image's bytes) and
//!   `GET /api/standards/evidence/{id}`, staff of the photo's community only
//! - `overview.rs` — `GET /api/standards/overview`: the communities a login reads (its own and those
//!   granted, RULES H1) side by side, sorted by gap
//! - `report.rs` — `GET /api/standards/{standard}/report.xlsx`: the self-check report as a workbook
//! - `repo.rs` — all of the feature's SQL (migration 0007, `standards_evidence`)

pub mod evidence;
pub mod overview;
pub mod repo;
pub mod report;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

/// Every standards endpoint.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/standards/overview", get(overview::get))
        .route("/api/standards/{standard}/report.xlsx", get(report::xlsx))
        .route(
            "/api/standards/evidence/{id}",
            get(evidence::get)
                .put(evidence::put)
                // One byte over the limit is enough to know the body is too large.
                .layer(DefaultBodyLimit::max(evidence::BODY_LIMIT)),
        )
}
