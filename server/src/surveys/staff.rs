//! Staff endpoints of the surveys feature: XLSForm import and export, the responses export (CSV, XLSX) and
//! the due lists' export (S1, S2).
//!
//! Every endpoint needs a staff or admin login and reads only that login's community (RULES H1): another
//! community's form is simply not found (404); a resident's token is refused (403, by `AuthUser`). Nothing
//! personal is logged: answers, names and phones stay in the answers' bodies.

use super::export::{self, Table};
use super::words::SurveyWords;
use super::xlsform;
use crate::AppState;
use crate::auth::AuthUser;
use crate::http::query::{lang_param, params};
use crate::http::{ApiError, PathParams};
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use linli_core::date::Date;
use linli_core::surveys::Form;
use linli_core::{ErrorCode, Lang, RuleError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The largest XLSForm workbook accepted (a form of 200 questions is some 20 KB).
pub const MAX_XLSFORM_BYTES: usize = 2 * 1024 * 1024;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The answer of `POST /api/surveys/forms/import`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportAnswer {
    pub form: Form,
}

fn not_found(field: &str) -> ApiError {
    ApiError::RecordNotFound {
        field: field.into(),
    }
}

/// An id from the path; text that is not one names no record (404 naming `field`).
fn path_id(s: &str, field: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| not_found(field))
}

/// `POST /api/surveys/forms/import`, the body the `.xlsx` file's bytes (any content type; at most
/// [`MAX_XLSFORM_BYTES`], else 413 `batch_too_large`) → `{"form": <Form>}` with a fresh form id (a
/// UUIDv7), version 1 — not stored: the app publishes it as a `form_version.add` operation. A workbook
/// with problems is 422 `invalid_xlsform` with every problem (`ApiError::InvalidXlsForm`).
pub async fn import(
    State(state): State<AppState>,
    _user: AuthUser,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<ImportAnswer>, ApiError> {
    // The route's body limit is [`MAX_XLSFORM_BYTES`] (`mod.rs`).
    let bytes = body.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::BatchTooLarge
        } else {
            ApiError::InvalidRequest {
                field: None,
                detail: e.body_text(),
            }
        }
    })?;
    let rules = state.rules.clone();
    let form_id = Uuid::now_v7().to_string();
    let form =
        tokio::task::spawn_blocking(move || xlsform::import(&bytes, &rules.surveys, &form_id))
            .await
            .map_err(ApiError::internal)?
            .map_err(|problems| ApiError::InvalidXlsForm { problems })?;
    Ok(Json(ImportAnswer { form }))
}

/// `GET /api/surveys/forms/{version_id}/xlsform` → the version record as an XLSForm workbook
/// (`survey`, `choices`, `settings`), `form-<form id>-v<N>.xlsx`.
pub async fn xlsform_export(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(version_id): PathParams<String>,
) -> Result<Response, ApiError> {
    let id = path_id(&version_id, "version_id")?;
    let community = user.community.clone();
    let version = state
        .writer
        .read(user.community.clone(), move |r| {
            r.form_version(&community, id)
        })
        .await?
        .ok_or_else(|| not_found("version_id"))?;
    let form = version.form();
    let name = format!("form-{}-v{}.xlsx", version.form_id, version.version);
    let bytes = tokio::task::spawn_blocking(move || xlsform::export(&form))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(XLSX, name, bytes))
}

async fn responses_table(
    state: &AppState,
    user: &AuthUser,
    form_id: &str,
    q: &Option<String>,
) -> Result<(Uuid, Table), ApiError> {
    let form_id = path_id(form_id, "form_id")?;
    let lang = lang_param(&params(q))?;
    let community = user.community.clone();
    let table = state
        .writer
        .read(user.community.clone(), move |r| {
            export::responses(r, &community, form_id, lang)
        })
        .await?
        .ok_or_else(|| not_found("form_id"))?;
    Ok((form_id, table))
}

/// `GET /api/surveys/forms/{form_id}/responses.csv?lang=zh|en`: one row per response to any version of
/// the form (see `export::responses`), phones masked.
pub async fn responses_csv(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(form_id): PathParams<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let (id, table) = responses_table(&state, &user, &form_id, &q).await?;
    Ok(crate::http::encode::attachment(
        "text/csv; charset=utf-8",
        format!("responses-{id}.csv"),
        table.to_csv().into_bytes(),
    ))
}

/// `GET /api/surveys/forms/{form_id}/responses.xlsx?lang=zh|en`: the same table as a workbook.
pub async fn responses_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(form_id): PathParams<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let lang = lang_param(&params(&q))?;
    let (id, table) = responses_table(&state, &user, &form_id, &q).await?;
    let bytes = tokio::task::spawn_blocking(move || table.to_xlsx(SurveyWords::Sheet.text(lang)))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(
        XLSX,
        format!("responses-{id}.xlsx"),
        bytes,
    ))
}

async fn due_table(
    state: &AppState,
    user: &AuthUser,
    q: &Option<String>,
) -> Result<(Date, Lang, Table), ApiError> {
    let p = params(q);
    let lang = lang_param(&p)?;
    let as_of = match p.get("as_of").copied() {
        None | Some("") => crate::volunteers::staff::today(),
        Some(v) => Date::parse(v).map_err(|_| RuleError::field(ErrorCode::InvalidDate, "as_of"))?,
    };
    let community = user.community.clone();
    let rules = state.rules.clone();
    let table = state
        .writer
        .read(user.community.clone(), move |r| {
            export::due(r, &community, as_of, &rules.surveys, lang)
        })
        .await?;
    Ok((as_of, lang, table))
}

/// `GET /api/surveys/due.csv?as_of=YYYY-MM-DD&lang=zh|en` (default today in China time, zh): the S1 and
/// S2 lists in one table.
pub async fn due_csv(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let (as_of, _, table) = due_table(&state, &user, &q).await?;
    Ok(crate::http::encode::attachment(
        "text/csv; charset=utf-8",
        format!("survey-due-{as_of}.csv"),
        table.to_csv().into_bytes(),
    ))
}

/// `GET /api/surveys/due.xlsx?as_of=…&lang=…`: the same table as a workbook.
pub async fn due_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let (as_of, lang, table) = due_table(&state, &user, &q).await?;
    let bytes =
        tokio::task::spawn_blocking(move || table.to_xlsx(SurveyWords::DueSheet.text(lang)))
            .await
            .map_err(ApiError::internal)?
            .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(
        XLSX,
        format!("survey-due-{as_of}.xlsx"),
        bytes,
    ))
}
