//! Renovation votes (RULES §2, 老旧小区改造菜单式意见征询): households' voting codes, the residents' login
//! and ballots, and the results for staff (JSON, CSV, XLSX). The tally and the ballot rules are the core's;
//! the JSON of every endpoint is `linli_core::renovation::api`.
//!
//! - `staff.rs` — `/api/projects/{project_id}/codes…` and `/api/projects/{project_id}/results…` (staff logins)
//! - `resident.rs` — `/api/vote/*` (resident logins)
//! - `views.rs` — what those show, read from the merged state (verdicts such as the survey window are the core's)
//! - `repo.rs` — all of the feature's SQL
//! - `codes.rs` — code generation, reading, hashing, and the wrong-code rate limit
//! - `qr.rs`, `export.rs` — slips' QR codes; the results' CSV and XLSX files

pub mod codes;
pub mod export;
pub mod qr;
pub mod repo;
pub mod resident;
pub mod staff;
pub mod views;

pub use codes::CodeLimiter;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Every renovation endpoint.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/projects/{project_id}/codes",
            post(staff::issue_codes).get(staff::list_codes),
        )
        .route(
            "/api/projects/{project_id}/codes/{household_id}/revoke",
            post(staff::revoke_code),
        )
        .route(
            "/api/projects/{project_id}/codes/{household_id}/reissue",
            post(staff::reissue_code),
        )
        .route("/api/projects/{project_id}/results", get(staff::results))
        .route(
            "/api/projects/{project_id}/results.csv",
            get(staff::results_csv),
        )
        .route(
            "/api/projects/{project_id}/results.xlsx",
            get(staff::results_xlsx),
        )
        .merge(resident_routes())
}

/// The most a resident's request body may be: a ballot of the longest menu is about 3 KB.
pub const RESIDENT_BODY_MAX: usize = 16 * 1024;

/// A resident's endpoints, with their own small body limit (a code's holder cannot send megabytes).
fn resident_routes() -> Router<AppState> {
    Router::new()
        .route("/api/vote/login", post(resident::login))
        .route("/api/vote/me", get(resident::me))
        .route("/api/vote/logout", post(resident::logout))
        .route("/api/vote/ballot", post(resident::ballot))
        .route("/api/vote/results", get(resident::results))
        .layer(axum::extract::DefaultBodyLimit::max(RESIDENT_BODY_MAX))
}
