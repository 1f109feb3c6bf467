//! The sync endpoints (DESIGN.md "Server interface"): `GET /api/health`, `POST /api/sync/push` and
//! `GET /api/sync/pull`.

use crate::AppState;
use crate::auth::Login;
use crate::http::extract::PullQuery;
use crate::http::{ApiError, JsonBody, current_lang};
use crate::sync::writer::{Outcome, Prepared};
use crate::volunteers::roles::{Sender, check_sender};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use linli_core::RuleSet;
use linli_core::protocol::{MAX_PUSH_OPS, OpResult, OpStatus, PushRequest, PushResponse};
use linli_core::registry::Body;
use linli_core::renovation::BallotChannel;
use linli_core::volunteers::visible_to_volunteer;

/// `GET /api/health` → `{"status":"ok","backend":"sqlite|postgres","database":"ok"}`, or 503 with
/// `"status":"unavailable"` and `"database":"unavailable"` when the database does not answer a trivial
/// query within [`HEALTH_DB_WAIT`] (a load balancer then sends requests to another process).
pub async fn health(State(state): State<AppState>) -> Response {
    let db = state.db.clone();
    let backend = db.backend().as_str();
    let ping = tokio::time::timeout(
        HEALTH_DB_WAIT,
        tokio::task::spawn_blocking(move || db.ping()),
    )
    .await;
    let ok = matches!(ping, Ok(Ok(Ok(()))));
    if let Ok(Ok(Err(e))) = &ping {
        tracing::warn!(error = %e, "health: the database does not answer");
    }
    let (status, word) = if ok {
        (axum::http::StatusCode::OK, "ok")
    } else {
        (axum::http::StatusCode::SERVICE_UNAVAILABLE, "unavailable")
    };
    (
        status,
        Json(serde_json::json!({"status": word, "backend": backend, "database": word})),
    )
        .into_response()
}

/// How long `/api/health` waits for the database's answer.
pub const HEALTH_DB_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// `GET /api/rules`: the rule set this server checks with (a district's own, or the national defaults),
/// so the app's pages show the same thresholds as the server's verdicts. Public: thresholds are no secret.
pub async fn rules(State(state): State<AppState>) -> Json<RuleSet> {
    Json(state.rules.as_ref().clone())
}

/// `POST /api/sync/push`. Request-level checks refuse the whole batch and store nothing; then each
/// operation is answered on its own, after the accepted ones are committed.
pub async fn push(
    State(state): State<AppState>,
    login: Login,
    JsonBody(req): JsonBody<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if req.ops.len() > MAX_PUSH_OPS {
        return Err(ApiError::BatchTooLarge);
    }
    // RULES H1: a login changes only its own community, and only as itself.
    let author = login.author();
    for (i, op) in req.ops.iter().enumerate() {
        if op.community != login.community() {
            return Err(ApiError::Forbidden {
                field: format!("ops[{i}].community"),
            });
        }
        if op.author != author {
            return Err(ApiError::Forbidden {
                field: format!("ops[{i}].author"),
            });
        }
        // A staff device records paper ballots as staff; only the server makes a resident's ballot
        // (from the resident's own token), so a staff push cannot pass for a household's own vote.
        if let Body::BallotCast(b) = &op.body
            && b.channel != BallotChannel::Staff
        {
            return Err(ApiError::Forbidden {
                field: format!("ops[{i}].body.channel"),
            });
        }
    }
    let ids: Vec<_> = req.ops.iter().map(|op| op.id).collect();
    // Who may send what (see `volunteers/roles.rs`): staff anything their community's; a volunteer's
    // own phone only that volunteer's registration, sign-ups, check-ins and claims. Refused operations
    // are answered like the core's refusals and never reach the writer.
    let sender = match &login {
        Login::Staff(_) => Sender::Staff,
        Login::Volunteer(v) => Sender::Volunteer {
            volunteer_id: v.volunteer_id,
        },
    };
    let last_contact = login.last_contact_ms();
    let mut refused: Vec<Option<linli_core::RuleError>> = Vec::with_capacity(req.ops.len());
    let mut prepared = Vec::with_capacity(req.ops.len());
    for op in req.ops {
        match check_sender(sender, &op) {
            Ok(()) => {
                refused.push(None);
                prepared.push(Prepared::from_login(op, last_contact)?);
            }
            Err(e) => refused.push(Some(e)),
        }
    }
    let mut checked = state
        .writer
        .submit(login.community().to_string(), prepared)
        .await?
        .into_iter();
    let outcomes: Vec<Outcome> = refused
        .into_iter()
        .map(|r| match r {
            Some(e) => Some(Outcome::Rejected(e)),
            None => checked.next(),
        })
        .collect::<Option<_>>()
        .ok_or_else(|| ApiError::internal("the writer answered fewer operations"))?;
    let lang = current_lang();
    let results = ids
        .into_iter()
        .zip(outcomes)
        .map(|(op_id, outcome)| match outcome {
            Outcome::Accepted => OpResult {
                op_id,
                status: OpStatus::Accepted,
                code: None,
                message: None,
                field: None,
            },
            Outcome::Duplicate => OpResult {
                op_id,
                status: OpStatus::Duplicate,
                code: None,
                message: None,
                field: None,
            },
            Outcome::Rejected(e) => OpResult {
                op_id,
                status: OpStatus::Rejected,
                code: Some(e.code.as_str().to_string()),
                message: Some(e.message(lang)),
                field: e.field.clone(),
            },
        })
        .collect();
    Ok(Json(PushResponse { results }))
}

/// `GET /api/sync/pull?since=N&limit=M`: the caller's community only (RULES H1). The stored JSON of
/// each operation is sent as is. A volunteer's own phone receives only what
/// `volunteers::visible_to_volunteer` allows; `next` still moves past the page read, so its cursor
/// advances over what it does not see.
pub async fn pull(
    State(state): State<AppState>,
    login: Login,
    q: PullQuery,
) -> Result<Response, ApiError> {
    let community = login.community().to_string();
    let (rows, next) = match &login {
        Login::Staff(_) => {
            let rows = read_page(&state, community, q.since, q.limit).await?;
            let next = rows.last().map(|r| r.0).unwrap_or(q.since);
            (rows, next)
        }
        Login::Volunteer(v) => volunteer_page(&state, community, v.volunteer_id, q).await?,
    };
    let mut body = String::with_capacity(32 + rows.iter().map(|r| r.1.len() + 1).sum::<usize>());
    body.push_str("{\"ops\":[");
    for (i, (_, json)) in rows.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(json);
    }
    body.push_str("],\"next\":");
    body.push_str(&next.to_string());
    body.push('}');
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// Up to `limit` stored operations of `community` after `since`, in order, as `(seq, json)`.
async fn read_page(
    state: &AppState,
    community: String,
    since: i64,
    limit: u32,
) -> Result<Vec<(i64, String)>, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                c.query(
                    "SELECT seq, json FROM ops WHERE community = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
                    crate::args![&community, since, limit as i64],
                )?
                .into_iter()
                .map(|r| Ok((r.int(0)?, r.text(1)?)))
                .collect::<crate::db::DbResult<Vec<_>>>()
            })
        })
        .await
}

/// A volunteer's page: the operations `visible_to_volunteer` allows, read on until `limit` of them are
/// found or the log ends, so a short page still means "up to date" to the app; `next` is the last
/// operation read, seen or not.
async fn volunteer_page(
    state: &AppState,
    community: String,
    me: uuid::Uuid,
    q: PullQuery,
) -> Result<(Vec<(i64, String)>, i64), ApiError> {
    let mut seen = Vec::new();
    let mut next = q.since;
    loop {
        let rows = read_page(state, community.clone(), next, q.limit).await?;
        let read = rows.len();
        let want = q.limit as usize - seen.len();
        let (visible, last) = state
            .writer
            .read(community.clone(), move |replica| {
                let mut visible = Vec::new();
                let mut last = None;
                for (seq, json) in rows {
                    last = Some(seq);
                    if serde_json::from_str::<linli_core::Operation>(&json)
                        .is_ok_and(|op| visible_to_volunteer(me, &op, replica))
                    {
                        visible.push((seq, json));
                        if visible.len() == want {
                            break;
                        }
                    }
                }
                (visible, last)
            })
            .await?;
        next = last.unwrap_or(next);
        seen.extend(visible);
        if read < q.limit as usize || seen.len() == q.limit as usize {
            return Ok((seen, next));
        }
    }
}
