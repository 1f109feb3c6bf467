//! Residents' endpoints (`/api/vote/*`, 住户投票): logging in with a household's voting code, the
//! household's view, casting a ballot, and the aggregate results.
//!
//! A resident's token is scoped to exactly the code's (community, project, household) (see
//! `auth/tokens.rs`). A resident's ballot becomes an ordinary `ballot.cast` operation and goes through the
//! same writer (same core validation, same group commit) as `/api/sync/push`, so staff devices pull it.
//!
//! Invariant: nothing here ever answers with another household's ballot; residents see only their own
//! ballot and the aggregate tally.

use crate::AppState;
use crate::auth::Resident;
use crate::auth::tokens::open_resident_session;
use crate::clock::now_ms;
use crate::http::{ApiError, ClientIp, JsonBody, Payload, StatusOk, current_lang};
use crate::renovation::codes::{code_hash, device_of, normalise};
use crate::renovation::repo::{self, CodeOwner};
use crate::renovation::views;
use crate::sync::writer::{Outcome, Prepared};
use axum::Json;
use axum::extract::State;
use linli_core::protocol::OpStatus;
use linli_core::renovation::ResultsVisibility;
use linli_core::renovation::api::{
    BallotAnswer, CodeLogin, Receipt, ResidentProject, ResidentView, VoteBallot, VoteLoginResponse,
    VoteMeResponse, VoteResults,
};
use linli_core::renovation::{BallotChannel, BallotFields, ProjectFields};
use linli_core::sync::{EntityRef, OP_FORMAT_VERSION, Operation};
use linli_core::{Body, EntityKind, ErrorCode, Hlc, RuleError};
use uuid::Uuid;

const DAY_MS: u64 = 86_400_000;

impl Payload for CodeLogin {}
impl Payload for VoteBallot {}

/// The resident's view, read from the writer's replica after every earlier push.
async fn view_of(
    state: &AppState,
    community: String,
    project_id: Uuid,
    household_id: Uuid,
) -> Result<(ResidentView, ProjectFields), ApiError> {
    let now = now_ms();
    state
        .writer
        .read(community.clone(), move |r| {
            views::resident_view(r, &community, project_id, household_id, now)
        })
        .await?
        // The project or the household was deleted after the code was issued.
        .ok_or(ApiError::CodeRevoked)
}

/// `POST /api/vote/login {"code"}` → the token, its expiry and the resident's view.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<CodeLogin>,
) -> Result<Json<VoteLoginResponse>, ApiError> {
    let now = now_ms();
    if let Err(wait_ms) = state.code_limiter.check(ip, now) {
        tracing::warn!(ip = ?ip, wait_ms, "voting-code logins throttled");
        return Err(ApiError::TooManyCodeAttempts { wait_ms });
    }
    let found = match normalise(&req.code) {
        None => None,
        Some(code) => {
            let h = code_hash(&code);
            repo::active_code(&state.db, h)
                .await?
                .map(|owner| (h, owner))
        }
    };
    let Some((
        h,
        CodeOwner {
            community,
            project_id,
            household_id,
        },
    )) = found
    else {
        state.code_limiter.failed(ip, now);
        tracing::warn!(ip = ?ip, "wrong or revoked voting code");
        return Err(ApiError::CodeRevoked);
    };
    let (view, project) = view_of(&state, community, project_id, household_id).await?;
    // Valid until the grace period ends, and at least a day (to read the results of a closed survey).
    let until = project.late_ballots_until_ms();
    let expires = (until.max(0) as u64).max(now + DAY_MS);
    let token = open_resident_session(&state, h, now, expires).await?;
    Ok(Json(VoteLoginResponse {
        token,
        expires_at: expires,
        view,
    }))
}

/// `POST /api/vote/logout`: ends this phone's login with the code (the code itself stays valid).
pub async fn logout(
    State(state): State<AppState>,
    r: Resident,
) -> Result<Json<StatusOk>, ApiError> {
    crate::auth::tokens::end_resident_session(&state, &r).await?;
    Ok(Json(StatusOk::ok()))
}

/// `GET /api/vote/me`: the login's project, household, menu, whether the survey is open, and its own ballot.
pub async fn me(
    State(state): State<AppState>,
    r: Resident,
) -> Result<Json<VoteMeResponse>, ApiError> {
    let (view, _) = view_of(&state, r.community, r.project_id, r.household_id).await?;
    Ok(Json(VoteMeResponse {
        expires_at: r.expires_at_ms,
        view,
    }))
}

fn rejected(e: &RuleError, field: Option<String>) -> BallotAnswer {
    BallotAnswer::rejected(
        e.code.as_str().to_string(),
        e.message(current_lang()),
        field,
    )
}

/// The core names the operation's field; the phone sent `cast_at_ms`, `items[i]`, `id`.
fn request_field(op_field: &str) -> String {
    let f = op_field.strip_prefix("body.").unwrap_or(op_field);
    if f == "entity.id" {
        "id".to_string()
    } else {
        f.to_string()
    }
}

/// `POST /api/vote/ballot`: the resident's answer, as a `ballot.cast` operation through the writer.
pub async fn ballot(
    State(state): State<AppState>,
    r: Resident,
    JsonBody(req): JsonBody<VoteBallot>,
) -> Result<Json<BallotAnswer>, ApiError> {
    let now = now_ms();
    // Every ballot counts towards the login's allowance (20 freely, then growing delays).
    let login_key = hex_key(&r.token_hash);
    if let Err(wait_ms) = state.ballot_limiter.check(&login_key, now) {
        tracing::warn!(wait_ms, "resident ballots throttled");
        return Err(ApiError::TooManyBallots { wait_ms });
    }
    state.ballot_limiter.failed(&login_key, now);
    if req.cast_at_ms > now.saturating_add(state.rules.sync.max_clock_ahead_ms) {
        let e = RuleError::field(ErrorCode::ClockAhead, "cast_at_ms");
        return Ok(Json(rejected(&e, e.field.clone())));
    }
    // An id already used by another record is refused, so a receipt never shows anyone else's ballot.
    if let Some(stored) = repo::stored_op(&state.db, req.id).await? {
        let same = match stored {
            repo::StoredOp::Accepted(json) => serde_json::from_str::<Operation>(&json).is_ok_and(|op| {
                op.community == r.community
                    && matches!(&op.body, Body::BallotCast(b) if b.household_id == r.household_id && b.project_id == r.project_id)
            }),
            // A re-send of a refused ballot gets the same refusal (the writer answers it from the record).
            repo::StoredOp::Rejected { community } => community == r.community,
        };
        if !same {
            return Err(ApiError::InvalidRequest {
                field: Some("id".into()),
                detail: "this id is already used; make a new one".into(),
            });
        }
    }
    let op = Operation {
        v: OP_FORMAT_VERSION,
        id: req.id,
        device_id: device_of(&r.code_hash),
        author: "resident".into(),
        hlc: Hlc { ms: now, n: 0 },
        community: r.community.clone(),
        entity: EntityRef {
            kind: EntityKind::Ballot,
            id: req.id,
        },
        body: Body::BallotCast(BallotFields {
            project_id: r.project_id,
            household_id: r.household_id,
            agree: req.agree,
            items: req.items,
            cast_at_ms: req.cast_at_ms,
            channel: BallotChannel::Resident,
        }),
    };
    let outcome = state
        .writer
        .submit(
            r.community.clone(),
            vec![Prepared::from_login(op, r.last_contact_ms)?],
        )
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("no outcome for a ballot"))?;
    let status = match outcome {
        Outcome::Accepted => OpStatus::Accepted,
        Outcome::Duplicate => OpStatus::Duplicate,
        Outcome::Rejected(e) => {
            let field = e.field.as_deref().map(request_field);
            return Ok(Json(rejected(&e, field)));
        }
    };
    // The receipt shows what is stored (for a duplicate: the first send).
    let (json, received_at_ms) = repo::accepted_op(&state.db, req.id).await?;
    let stored: Operation = serde_json::from_str(&json).map_err(ApiError::internal)?;
    let Body::BallotCast(b) = stored.body else {
        return Err(ApiError::internal("a stored ballot is not a ballot"));
    };
    let (community, household) = (r.community.clone(), r.household_id);
    let door = state
        .writer
        .read(r.community, move |rep| {
            rep.household(&community, household)
                .map(|h| h.fields.door)
                .unwrap_or_default()
        })
        .await?;
    Ok(Json(BallotAnswer::received(
        status,
        Receipt {
            ballot_id: req.id,
            door,
            agree: b.agree,
            items: b.items,
            cast_at_ms: b.cast_at_ms,
            received_at_ms: received_at_ms.max(0) as u64,
        },
    )))
}

/// `GET /api/vote/results`: the aggregate tally of the resident's project, when the core's
/// `results_visibility` allows it.
pub async fn results(
    State(state): State<AppState>,
    r: Resident,
) -> Result<Json<VoteResults>, ApiError> {
    let now = now_ms();
    let rules = state.rules.clone();
    let (community, project_id) = (r.community.clone(), r.project_id);
    let out = state
        .writer
        .read(r.community, move |rep| {
            let p = rep.project(&community, project_id)?;
            let tally = rep.tally(&community, project_id, &rules)?;
            // The core's verdict: after the close, or running results once enough households answered.
            match p.results_visibility(now, tally.coverage.responded, &rules.renovation) {
                ResultsVisibility::Visible => {}
                not_yet => return Some(Err(ApiError::ResultsNotAvailable(not_yet))),
            }
            Some(Ok(views::results(
                &tally,
                ResidentProject::new(project_id, &p),
                views::menu(rep, project_id),
            )))
        })
        .await?
        .ok_or(ApiError::CodeRevoked)??;
    Ok(Json(out))
}

/// A login's key in the ballot limiter: its token hash in hex (never the token).
fn hex_key(h: &[u8; 32]) -> String {
    h.iter().map(|b| format!("{b:02x}")).collect()
}
