//! `POST /api/volunteers/join`: a volunteer registers from their own phone (V1) and gets that phone's
//! login (`auth::VolunteerLogin`, role `volunteer`).
//!
//! The registration is an ordinary `volunteer.put` made on the phone, offline if need be, at the
//! community's join link (`/join/<community>`): the app keeps it in its outbox and sends it here once
//! there is a connection. The core checks it like any operation (status stays pending until staff
//! approve); on acceptance, or when it was stored already (a retry after a lost answer), a session for
//! that volunteer record is opened. Anything else (another kind, another author, a refused registration)
//! stores nothing and opens nothing. Joins are throttled per address like residents' ballots.

use crate::AppState;
use crate::auth::tokens::{VOLUNTEER_SESSION_MS, open_volunteer_session};
use crate::clock::now_ms;
use crate::db;
use crate::http::extract::address_key;
use crate::http::{ApiError, ClientIp, JsonBody};
use crate::sync::writer::{Outcome, Prepared};
use axum::Json;
use axum::extract::State;
use linli_core::protocol::{LoginResponse, Role};
use linli_core::registry::Body;
use linli_core::volunteers::volunteer_author;
use linli_core::{EntityKind, Operation};
use serde::Deserialize;

/// The request: the registration operation as the phone made it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub op: Operation,
}

pub async fn join(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<JoinRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let now = now_ms();
    let key = format!("join:{}", address_key(ip));
    if let Err(wait_ms) = state.join_limiter.check(&key, now) {
        tracing::warn!(wait_ms, "volunteer joins throttled");
        return Err(ApiError::TooManyBallots { wait_ms });
    }
    state.join_limiter.failed(&key, now);
    let op = req.op;
    if op.entity.kind != EntityKind::Volunteer || !matches!(op.body, Body::VolunteerPut(_)) {
        return Err(ApiError::Forbidden {
            field: "op.body.type".into(),
        });
    }
    if op.author != volunteer_author(op.entity.id) {
        return Err(ApiError::Forbidden {
            field: "op.author".into(),
        });
    }
    let community = op.community.clone();
    let lookup = community.clone();
    let Some(community_name) = state
        .db
        .blocking(move |d| d.read(|c| db::community_name(c, &lookup)))
        .await?
    else {
        return Err(ApiError::RecordNotFound {
            field: "op.community".into(),
        });
    };
    let volunteer_id = op.entity.id;
    let outcome = state
        .writer
        .submit(community.clone(), vec![Prepared::new(op)?])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("the writer answered no operation"))?;
    match outcome {
        Outcome::Accepted | Outcome::Duplicate => {}
        Outcome::Rejected(e) => return Err(ApiError::Rule(e)),
    }
    let expires = now + VOLUNTEER_SESSION_MS;
    let token =
        open_volunteer_session(&state, community.clone(), volunteer_id, now, expires).await?;
    Ok(Json(LoginResponse {
        token,
        expires_at: expires,
        username: volunteer_author(volunteer_id),
        role: Role::Volunteer,
        community,
        community_name,
    }))
}

impl crate::http::extract::Payload for JoinRequest {}
