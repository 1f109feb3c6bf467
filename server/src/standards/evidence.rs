//! Photos taken as evidence for a self-check entry (照片佐证, issue 14). The phone names them in a
//! `standard_entry.add`'s `photos` and uploads each once it is online:
//!
//! - `PUT /api/standards/evidence/{id}` — the body the image's bytes (any content type; the kind is read
//!   from the magic bytes). 201 `{"id","content_type","size"}` when stored, 200 the same when these very
//!   bytes were already stored under the id (a re-upload after a lost answer). Refused, nothing stored:
//!   over [`PHOTO_MAX_BYTES`] 413 `photo_too_large`; not a JPEG, PNG or WebP 415 `not_an_image`; other
//!   bytes already under the id 409 `photo_conflict`; an id of another community 403 `forbidden` (field
//!   `id`); an id that is not a UUIDv7 404 `not_found` (field `photo_id`).
//! - `GET /api/standards/evidence/{id}` — the image, with its content type; a photo of another community
//!   (or none) is 404 `not_found` (field `photo_id`), never shown.
//!
//! Staff and admins of the community only (RULES H1): a resident's or volunteer's token is 403, none 401.

use super::repo::{self, Stored};
use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::now_ms;
use crate::http::{ApiError, PathParams};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
pub use linli_core::standards::entries::PHOTO_MAX_BYTES;
use linli_core::standards::entries::image_type;
use serde::Serialize;
use uuid::Uuid;

/// The route's body limit: one byte over the largest photo, so a body of exactly the limit is read and
/// one over it is refused as too large.
pub const BODY_LIMIT: usize = PHOTO_MAX_BYTES + 1;

/// The answer to a stored photo.
#[derive(Serialize)]
pub struct PutAnswer {
    pub id: Uuid,
    pub content_type: &'static str,
    pub size: usize,
}

fn not_found() -> ApiError {
    ApiError::RecordNotFound {
        field: "photo_id".into(),
    }
}

/// A photo id from the path: a UUIDv7, as the phone makes them; other text names no photo.
fn photo_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s)
        .ok()
        .filter(|u| u.get_version_num() == 7)
        .ok_or_else(not_found)
}

/// `PUT /api/standards/evidence/{id}`.
pub async fn put(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let id = photo_id(&id)?;
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::PhotoTooLarge
        } else {
            ApiError::InvalidRequest {
                field: None,
                detail: e.body_text(),
            }
        }
    })?;
    if bytes.len() > PHOTO_MAX_BYTES {
        return Err(ApiError::PhotoTooLarge);
    }
    let content_type = image_type(&bytes).ok_or(ApiError::NotAnImage)?;
    let size = bytes.len();
    let stored = repo::put(
        &state.db,
        user.community.clone(),
        id.to_string(),
        content_type,
        bytes.to_vec(),
        user.username.clone(),
        now_ms(),
    )
    .await?;
    let status = match stored {
        Stored::New => StatusCode::CREATED,
        Stored::Again => StatusCode::OK,
    };
    Ok((
        status,
        Json(PutAnswer {
            id,
            content_type,
            size,
        }),
    )
        .into_response())
}

/// `GET /api/standards/evidence/{id}`.
pub async fn get(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let id = photo_id(&id)?.to_string();
    let community = user.community.clone();
    let photo = state
        .db
        .blocking(move |db| repo::get(db, &community, &id))
        .await?
        .ok_or_else(not_found)?;
    Ok(([(header::CONTENT_TYPE, photo.content_type)], photo.bytes).into_response())
}
