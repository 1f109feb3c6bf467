//! Volunteers (RULES §3, 志愿者): the staff's list, detail, figures, overdue pairs and exports, the
//! certificates of service record (V6) with their numbered register and signing key, and who may send
//! which volunteers operation. Registration, activities, sign-ups, check-ins, entries and reviews are
//! ordinary operations through `/api/sync/push`, checked by the core; the JSON of every endpoint is
//! `linli_core::volunteers::api`.
//!
//! - `staff.rs` — `/api/volunteers`, `/api/volunteers/{id}`, `…/stats` (and `.csv`, `.xlsx`),
//!   `…/pairs/overdue`, `…/export.*`
//! - `certificate.rs` — `POST /api/volunteers/{id}/certificate`, `GET /api/volunteers/certificates/{number}`,
//!   `GET /api/certificates/public-key` (public)
//! - `join.rs` — `POST /api/volunteers/join` (public): a volunteer's registration from their own phone,
//!   which opens that phone's login
//! - `roles.rs` — who may send which operation (the push handler's check)
//! - `repo.rs` — all of the feature's SQL (keys and the certificate register)
//! - `export.rs` — the list as CSV and XLSX

pub mod certificate;
pub mod export;
pub mod join;
pub mod repo;
pub mod roles;
pub mod staff;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

/// Every volunteers endpoint.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/volunteers", get(staff::list))
        .route("/api/volunteers/join", post(join::join))
        .route("/api/volunteers/me/certificates", get(certificate::mine))
        .route("/api/volunteers/stats", get(staff::stats))
        .route("/api/volunteers/stats.csv", get(staff::stats_csv))
        .route("/api/volunteers/stats.xlsx", get(staff::stats_xlsx))
        .route("/api/volunteers/pairs/overdue", get(staff::overdue))
        .route("/api/volunteers/export.csv", get(staff::export_csv))
        .route("/api/volunteers/export.xlsx", get(staff::export_xlsx))
        .route(
            "/api/volunteers/certificates/{number}",
            get(certificate::get),
        )
        .route("/api/volunteers/{id}", get(staff::detail))
        .route("/api/volunteers/{id}/certificate", post(certificate::issue))
        .route(
            "/api/certificates/public-key",
            get(certificate::public_keys),
        )
}
