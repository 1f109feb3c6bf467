//! Door-to-door surveys (RULES §4, S1–S6) on the server: XLSForm import and export of forms, the
//! responses' export, the due lists' export (S1, S2), and who may send which survey operation. Forms,
//! assignments, visits, responses and reviews are ordinary operations through `/api/sync/push`, checked
//! by the core (`linli_core::surveys`); nothing here stores anything of its own.
//!
//! - `staff.rs` — `POST /api/surveys/forms/import`, `GET /api/surveys/forms/{version_id}/xlsform`,
//!   `GET /api/surveys/forms/{form_id}/responses.csv|.xlsx`, `GET /api/surveys/due.csv|.xlsx`
//! - `xlsform.rs` — XLSForm workbooks ↔ forms; `expr.rs` — `relevant` and `constraint` ↔ conditions and
//!   ranges
//! - `export.rs` — the responses and due-list tables, CSV and XLSX
//! - `roles.rs` — a collector's visits and responses only at the doors assigned to them (for a volunteer's
//!   login, when it comes; `volunteers::roles::check_sender` keeps the staff-only survey operations)
//! - `words.rs` — the server's survey words (problems, columns)

pub mod export;
pub mod expr;
pub mod roles;
pub mod staff;
pub mod words;
pub mod xlsform;

use crate::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Every surveys endpoint.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/surveys/forms/import",
            post(staff::import).layer(DefaultBodyLimit::max(staff::MAX_XLSFORM_BYTES)),
        )
        .route(
            "/api/surveys/forms/{id}/xlsform",
            get(staff::xlsform_export),
        )
        .route(
            "/api/surveys/forms/{id}/responses.csv",
            get(staff::responses_csv),
        )
        .route(
            "/api/surveys/forms/{id}/responses.xlsx",
            get(staff::responses_xlsx),
        )
        .route("/api/surveys/due.csv", get(staff::due_csv))
        .route("/api/surveys/due.xlsx", get(staff::due_xlsx))
}
