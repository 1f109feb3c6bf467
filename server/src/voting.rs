//! Residents' voting on renovation menus (issue 3): per-household secret codes, the rate limit on them,
//! the resident login they open, and the resident endpoints (`/api/vote/...`).
//!
//! A code is 16 characters of Crockford base32 (80 random bits), printed as `XXXX-XXXX-XXXX-XXXX`. Only
//! its SHA-256 is stored. A resident's token is scoped to exactly the code's (community, project,
//! household) and is checked against the code's status on every request, so revoking a code ends its
//! logins at once. A resident's ballot becomes an ordinary `ballot.cast` operation and goes through the
//! same writer (same core validation, same group commit) as `/api/sync/push`, so staff devices pull it.
//!
//! Invariant: nothing here ever answers with another household's ballot; residents see only their own
//! ballot and the aggregate tally.

use crate::AppState;
use crate::auth::{self, now_ms};
use crate::error::{ApiError, current_lang};
use crate::extract::{JsonBody, Payload};
use crate::writer::{Outcome, Prepared};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use linli_core::places::Household;
use linli_core::project::{
    BallotChannel, BallotFields, ProjectFields, end_of_day_ms, start_of_day_ms,
};
use linli_core::renovation::Tally;
use linli_core::sync::{EntityRef, OP_FORMAT_VERSION, Operation};
use linli_core::{Body, EntityKind, ErrorCode, Hlc, Replica, RuleError};
use rand::RngCore;
use rusqlite::{OptionalExtension, params};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Codes

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a normalised code.
pub const CODE_CHARS: usize = 16;
const DAY_MS: u64 = 86_400_000;

/// A fresh code: 80 random bits as 16 Crockford base32 characters, normalised (no dashes).
pub fn new_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let mut n = u128::from_be_bytes({
        let mut b = [0u8; 16];
        b[6..].copy_from_slice(&bytes);
        b
    });
    let mut out = [0u8; CODE_CHARS];
    for c in out.iter_mut().rev() {
        *c = CROCKFORD[(n & 31) as usize];
        n >>= 5;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A normalised code as printed: `XXXX-XXXX-XXXX-XXXX`.
pub fn format_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a person typed, normalised (`linli_core::project::canonical_code`): upper case, whitespace and
/// dashes removed, O read as 0 and I, L as 1. `None` if it cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    if input.len() > 64 {
        return None;
    }
    let out = linli_core::project::canonical_code(input);
    (out.len() == CODE_CHARS && out.bytes().all(|c| CROCKFORD.contains(&c))).then_some(out)
}

/// SHA-256 of a normalised code: the only form in which a code is stored.
pub fn code_hash(normalised: &str) -> [u8; 32] {
    Sha256::digest(normalised.as_bytes()).into()
}

/// The device id of a code's ballots: stable for the code, and not the code or its stored hash.
pub fn device_of(code_hash: &[u8]) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"linli resident device\0");
    h.update(code_hash);
    let d: [u8; 32] = h.finalize().into();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

// ---------------------------------------------------------------------------------------------
// Rate limit

/// Wrong codes allowed from one address within [`CODE_FAILURE_WINDOW_MS`]; the next attempt gets 429.
pub const CODE_MAX_FAILURES_PER_IP: usize = 10;
/// Wrong codes allowed from all addresses together within the window (a ceiling on distributed guessing).
pub const CODE_MAX_FAILURES_GLOBAL: usize = 2_000;
pub const CODE_FAILURE_WINDOW_MS: u64 = 10 * 60 * 1000;

/// Failed code logins per address and in total. In memory, like the staff login limiter. IPv6
/// addresses count per /64, since one subscriber usually holds a whole /64.
#[derive(Default)]
pub struct CodeLimiter {
    inner: Mutex<LimiterInner>,
}

#[derive(Default)]
struct LimiterInner {
    per_ip: HashMap<IpAddr, VecDeque<u64>>,
    global: VecDeque<u64>,
}

fn ip_key(ip: Option<IpAddr>) -> IpAddr {
    match ip {
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        Some(v4) => v4,
        None => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
    }
}

fn expire(q: &mut VecDeque<u64>, now: u64) {
    while q.front().is_some_and(|t| t + CODE_FAILURE_WINDOW_MS <= now) {
        q.pop_front();
    }
}

impl CodeLimiter {
    pub fn allowed(&self, ip: Option<IpAddr>, now: u64) -> bool {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        expire(&mut m.global, now);
        if m.global.len() >= CODE_MAX_FAILURES_GLOBAL {
            return false;
        }
        match m.per_ip.get_mut(&ip_key(ip)) {
            Some(q) => {
                expire(q, now);
                q.len() < CODE_MAX_FAILURES_PER_IP
            }
            None => true,
        }
    }

    pub fn failed(&self, ip: Option<IpAddr>, now: u64) {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if m.per_ip.len() > 100_000 {
            m.per_ip
                .retain(|_, q| q.back().is_some_and(|t| t + CODE_FAILURE_WINDOW_MS > now));
        }
        m.per_ip.entry(ip_key(ip)).or_default().push_back(now);
        m.global.push_back(now);
        if m.global.len() > 2 * CODE_MAX_FAILURES_GLOBAL {
            m.global.pop_front();
        }
    }
}

/// The peer address of a request (from `ConnectInfo`), if the server was started with it.
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Resident login

/// A resident logged in with a code: exactly one household of one project of one community.
#[derive(Clone, Debug)]
pub struct Resident {
    pub token_hash: [u8; 32],
    pub code_hash: Vec<u8>,
    pub community: String,
    pub project_id: Uuid,
    pub household_id: Uuid,
    pub expires_at_ms: u64,
}

fn parse_uuid(s: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Whether `h` is the hash of a resident's session token.
pub async fn is_resident_token(state: &AppState, h: [u8; 32]) -> Result<bool, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                c.prepare_cached("SELECT 1 FROM resident_sessions WHERE token_hash = ?1")?
                    .exists([&h[..]])
            })
        })
        .await
}

impl FromRequestParts<AppState> for Resident {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = auth::bearer(parts).ok_or(ApiError::Unauthorized)?;
        let h = auth::token_hash(token);
        let row = state
            .db
            .blocking(move |db| {
                db.read(|c| {
                    c.prepare_cached(
                        "SELECT v.community, v.project_id, v.household_id, v.status, s.expires_at_ms, s.code_hash
                         FROM resident_sessions s JOIN voting_codes v ON v.code_hash = s.code_hash
                         WHERE s.token_hash = ?1",
                    )?
                    .query_row([&h[..]], |r| {
                        Ok((
                            Resident {
                                token_hash: h,
                                community: r.get(0)?,
                                project_id: parse_uuid(&r.get::<_, String>(1)?)?,
                                household_id: parse_uuid(&r.get::<_, String>(2)?)?,
                                expires_at_ms: r.get::<_, i64>(4)?.max(0) as u64,
                                code_hash: r.get(5)?,
                            },
                            r.get::<_, String>(3)?,
                        ))
                    })
                    .optional()
                })
            })
            .await?;
        let Some((resident, status)) = row else {
            return Err(if auth::is_staff_token(state, h).await? {
                ApiError::Forbidden {
                    field: "authorization".into(),
                }
            } else {
                ApiError::Unauthorized
            });
        };
        if status != "active" {
            return Err(ApiError::CodeRevoked);
        }
        if now_ms() >= resident.expires_at_ms {
            return Err(ApiError::TokenExpired);
        }
        Ok(resident)
    }
}

// ---------------------------------------------------------------------------------------------
// Views shared with the staff endpoints

/// A household with the names of its building and unit.
#[derive(Clone, Debug)]
pub struct Door {
    pub household: Household,
    pub building: String,
    pub unit: String,
}

/// Every household of a compound, ordered by building, unit and door (natural order).
pub fn doors(r: &Replica, compound_id: Uuid) -> Vec<Door> {
    let mut v = Vec::new();
    for b in r.buildings(compound_id) {
        for u in r.units(b.id) {
            for h in r.households(u.id) {
                v.push(Door {
                    household: h,
                    building: b.fields.name.clone(),
                    unit: u.fields.name.clone(),
                });
            }
        }
    }
    v
}

/// Whether the survey takes answers now: from the start of the opening day to the end of the closing day.
pub fn is_open(p: &ProjectFields, now: u64) -> bool {
    let now = now as i64;
    start_of_day_ms(p.survey_opens) <= now && now < end_of_day_ms(p.survey_closes)
}

pub fn is_closed(p: &ProjectFields, now: u64) -> bool {
    now as i64 >= end_of_day_ms(p.survey_closes)
}

/// The project as a resident sees it.
pub fn resident_project_json(id: Uuid, p: &ProjectFields) -> Value {
    json!({
        "id": id,
        "name": p.name,
        "kind": p.kind,
        "survey_opens": p.survey_opens,
        "survey_closes": p.survey_closes,
        "grace_days": p.grace_days,
        "show_running_results": p.show_running_results,
    })
}

/// A project's menu, in menu order, with ids.
pub fn menu_json(r: &Replica, project_id: Uuid) -> Vec<Value> {
    r.menu(project_id)
        .into_iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.fields.name,
                "class": m.fields.class,
                "catalogue": m.fields.catalogue,
                "description": m.fields.description,
                "cost_yuan": m.fields.cost_yuan,
                "share_per_household_yuan": m.fields.share_per_household_yuan,
                "owners_decision": m.fields.owners_decision,
                "matter": m.fields.matter,
                "position": m.fields.position,
            })
        })
        .collect()
}

/// The aggregate results: the core's Tally, plus the project and menu to label it. No household data.
pub fn results_json(tally: &Tally, project: Value, menu: Vec<Value>) -> Value {
    let mut v = serde_json::to_value(tally).unwrap_or_else(|_| json!({}));
    if let Some(m) = v.as_object_mut() {
        m.insert("households_total".into(), json!(tally.coverage.total));
        m.insert("project".into(), project);
        m.insert("menu".into(), Value::Array(menu));
    }
    v
}

/// The latest ballot of a household in a project (the one that counts, R4).
fn my_ballot(r: &Replica, project_id: Uuid, household_id: Uuid) -> Value {
    match r
        .ballots(project_id)
        .into_iter()
        .rfind(|b| b.fields.household_id == household_id)
    {
        Some(b) => json!({
            "id": b.id,
            "agree": b.fields.agree,
            "items": b.fields.items,
            "cast_at_ms": b.fields.cast_at_ms,
            "channel": b.fields.channel,
            "received": true,
        }),
        None => Value::Null,
    }
}

/// What `/api/vote/login` and `/api/vote/me` answer (without token and expiry), and the project.
fn resident_view(
    r: &Replica,
    community: &str,
    project_id: Uuid,
    household_id: Uuid,
    now: u64,
) -> Option<(Map<String, Value>, ProjectFields)> {
    let p = r.project(community, project_id)?;
    let compound = r.compounds().into_iter().find(|c| c.id == p.compound_id)?;
    let door = doors(r, p.compound_id)
        .into_iter()
        .find(|d| d.household.id == household_id)?;
    let mut m = Map::new();
    m.insert("project".into(), resident_project_json(project_id, &p));
    m.insert(
        "compound".into(),
        json!({ "id": compound.id, "name": compound.fields.name }),
    );
    m.insert(
        "household".into(),
        json!({
            "id": household_id,
            "building": door.building,
            "unit": door.unit,
            "door": door.household.fields.door,
            "area_m2": door.household.fields.area_m2,
        }),
    );
    m.insert("menu".into(), Value::Array(menu_json(r, project_id)));
    m.insert("open".into(), json!(is_open(&p, now)));
    m.insert("my_ballot".into(), my_ballot(r, project_id, household_id));
    Some((m, p))
}

async fn view_of(
    state: &AppState,
    community: String,
    project_id: Uuid,
    household_id: Uuid,
) -> Result<(Map<String, Value>, ProjectFields), ApiError> {
    let now = now_ms();
    state
        .writer
        .read(community.clone(), move |r| {
            resident_view(r, &community, project_id, household_id, now)
        })
        .await?
        // The project or the household was deleted after the code was issued.
        .ok_or(ApiError::CodeRevoked)
}

// ---------------------------------------------------------------------------------------------
// Handlers

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLogin {
    pub code: String,
}
impl Payload for CodeLogin {}

/// `POST /api/vote/login {"code"}`.
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    JsonBody(req): JsonBody<CodeLogin>,
) -> Result<Json<Value>, ApiError> {
    let now = now_ms();
    if !state.code_limiter.allowed(ip, now) {
        return Err(ApiError::TooManyCodeAttempts);
    }
    let found = match normalise(&req.code) {
        None => None,
        Some(code) => {
            let h = code_hash(&code);
            state
                .db
                .blocking(move |db| {
                    db.read(|c| {
                        c.prepare_cached(
                            "SELECT community, project_id, household_id FROM voting_codes
                             WHERE code_hash = ?1 AND status = 'active'",
                        )?
                        .query_row([&h[..]], |r| {
                            Ok((
                                r.get::<_, String>(0)?,
                                parse_uuid(&r.get::<_, String>(1)?)?,
                                parse_uuid(&r.get::<_, String>(2)?)?,
                            ))
                        })
                        .optional()
                    })
                })
                .await?
                .map(|row| (h, row))
        }
    };
    let Some((h, (community, project_id, household_id))) = found else {
        state.code_limiter.failed(ip, now);
        return Err(ApiError::CodeRevoked);
    };
    let (mut view, project) = view_of(&state, community, project_id, household_id).await?;
    // Valid until the grace period ends, and at least a day (to read the results of a closed survey).
    let until = end_of_day_ms(project.survey_closes) + project.grace_days as i64 * DAY_MS as i64;
    let expires = (until.max(0) as u64).max(now + DAY_MS);
    let token = auth::new_token();
    let th = auth::token_hash(&token);
    state
        .db
        .blocking(move |db| {
            let w = db.writer();
            w.execute(
                "INSERT INTO resident_sessions (token_hash, code_hash, created_at_ms, expires_at_ms) VALUES (?1, ?2, ?3, ?4)",
                params![&th[..], &h[..], now as i64, expires as i64],
            )?;
            w.execute(
                "DELETE FROM resident_sessions WHERE expires_at_ms < ?1",
                [now as i64 - 90 * DAY_MS as i64],
            )
        })
        .await?;
    view.insert("token".into(), json!(token));
    view.insert("expires_at".into(), json!(expires));
    Ok(Json(Value::Object(view)))
}

/// `GET /api/vote/me`: the login's project, household, menu, whether the survey is open, and its own ballot.
pub async fn me(State(state): State<AppState>, r: Resident) -> Result<Json<Value>, ApiError> {
    let (mut view, _) = view_of(&state, r.community, r.project_id, r.household_id).await?;
    view.insert("expires_at".into(), json!(r.expires_at_ms));
    Ok(Json(Value::Object(view)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteBallot {
    /// UUIDv7 made by the phone: the operation's id, so a re-send is answered `duplicate`.
    pub id: Uuid,
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
}
impl Payload for VoteBallot {}

fn rejected(e: &RuleError) -> Value {
    let mut v = json!({
        "status": "rejected",
        "code": e.code.as_str(),
        "message": e.message(current_lang()),
    });
    if let Some(f) = &e.field {
        v["field"] = json!(f);
    }
    v
}

/// `POST /api/vote/ballot`: the resident's answer, as a `ballot.cast` operation through the writer.
pub async fn ballot(
    State(state): State<AppState>,
    r: Resident,
    JsonBody(req): JsonBody<VoteBallot>,
) -> Result<Json<Value>, ApiError> {
    let now = now_ms();
    if req.cast_at_ms > now.saturating_add(state.rules.sync.max_clock_ahead_ms) {
        return Ok(Json(rejected(&RuleError::field(
            ErrorCode::ClockAhead,
            "cast_at_ms",
        ))));
    }
    // An id already used by another record is refused, so a receipt never shows anyone else's ballot.
    let id = req.id.to_string();
    let existing = state
        .db
        .blocking(move |db| {
            db.read(|c| {
                let op = c
                    .prepare_cached("SELECT json FROM ops WHERE id = ?1")?
                    .query_row([&id], |r| r.get::<_, String>(0))
                    .optional()?;
                match op {
                    Some(j) => Ok(Some(j)),
                    None => c
                        .prepare_cached("SELECT json FROM rejections WHERE op_id = ?1")?
                        .query_row([&id], |r| r.get::<_, String>(0))
                        .optional(),
                }
            })
        })
        .await?;
    if let Some(json) = existing {
        let same = serde_json::from_str::<Operation>(&json).is_ok_and(|op| {
            op.community == r.community
                && matches!(&op.body, Body::BallotCast(b) if b.household_id == r.household_id && b.project_id == r.project_id)
        });
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
        .submit(r.community.clone(), vec![Prepared::new(op)?])
        .await?
        .pop()
        .ok_or_else(|| ApiError::internal("no outcome for a ballot"))?;
    let status = match outcome {
        Outcome::Accepted => "accepted",
        Outcome::Duplicate => "duplicate",
        Outcome::Rejected(e) => {
            let mut v = rejected(&e);
            // The core names the operation's field; the phone sent `cast_at_ms`, `items[i]`, `id`.
            if let Some(f) = v.get("field").and_then(Value::as_str).map(str::to_string) {
                let f = f.strip_prefix("body.").unwrap_or(&f).to_string();
                let f = if f == "entity.id" {
                    "id".to_string()
                } else {
                    f
                };
                v["field"] = json!(f);
            }
            return Ok(Json(v));
        }
    };
    // The receipt shows what is stored (for a duplicate: the first send).
    let id = req.id.to_string();
    let (json, received_at_ms) = state
        .db
        .blocking(move |db| {
            db.read(|c| {
                c.prepare_cached("SELECT json, received_at_ms FROM ops WHERE id = ?1")?
                    .query_row([&id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
            })
        })
        .await?;
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
    Ok(Json(json!({
        "status": status,
        "receipt": {
            "ballot_id": req.id,
            "door": door,
            "agree": b.agree,
            "items": b.items,
            "cast_at_ms": b.cast_at_ms,
            "received_at_ms": received_at_ms,
        }
    })))
}

/// `GET /api/vote/results`: the aggregate tally of the resident's project, once the survey has closed
/// or if the project shows running results.
pub async fn results(State(state): State<AppState>, r: Resident) -> Result<Json<Value>, ApiError> {
    let now = now_ms();
    let rules = state.rules.clone();
    let (community, project_id) = (r.community.clone(), r.project_id);
    let out = state
        .writer
        .read(r.community, move |rep| {
            let p = rep.project(&community, project_id)?;
            if !(is_closed(&p, now) || p.show_running_results) {
                return Some(Err(ApiError::ResultsNotAvailable));
            }
            let tally = rep.tally(&community, project_id, &rules)?;
            Some(Ok(results_json(
                &tally,
                resident_project_json(project_id, &p),
                menu_json(rep, project_id),
            )))
        })
        .await?
        .ok_or(ApiError::CodeRevoked)??;
    Ok(Json(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let c = new_code();
        assert_eq!(c.len(), CODE_CHARS);
        assert_ne!(c, new_code());
        let f = format_code(&c);
        assert_eq!(f.len(), 19);
        assert_eq!(normalise(&f).as_deref(), Some(c.as_str()));
        assert_eq!(
            normalise(" abcd-efgh-jkmn-pq0o ").as_deref(),
            Some("ABCDEFGHJKMNPQ00")
        );
        assert_eq!(
            normalise("ilIL 2345 6789 ABCD").as_deref(),
            Some("111123456789ABCD")
        );
        assert_eq!(normalise("ABCD-EFGH-JKMN-PQU0"), None, "U is not Crockford");
        assert_eq!(normalise("ABCD"), None);
        assert_eq!(normalise("ABCD-EFGH-JKMN-PQRS-T"), None);
        assert_eq!(normalise("测试"), None);
        assert_eq!(device_of(&code_hash(&c)), device_of(&code_hash(&c)));
    }

    #[test]
    fn limiter() {
        let l = CodeLimiter::default();
        let a: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let b: Option<IpAddr> = Some("10.0.0.2".parse().unwrap());
        for i in 0..CODE_MAX_FAILURES_PER_IP as u64 {
            assert!(l.allowed(a, i));
            l.failed(a, i);
        }
        assert!(!l.allowed(a, 100));
        assert!(l.allowed(b, 100));
        assert!(l.allowed(a, CODE_FAILURE_WINDOW_MS + 10));
        // One /64 is one address.
        let v6a: Option<IpAddr> = Some("2001:db8::1".parse().unwrap());
        let v6b: Option<IpAddr> = Some("2001:db8::2".parse().unwrap());
        for i in 0..CODE_MAX_FAILURES_PER_IP as u64 {
            l.failed(v6a, i);
        }
        assert!(!l.allowed(v6b, 100));
        // The ceiling over all addresses.
        let g = CodeLimiter::default();
        for i in 0..CODE_MAX_FAILURES_GLOBAL as u32 {
            g.failed(Some(IpAddr::V4(std::net::Ipv4Addr::from(i))), 1);
        }
        assert!(!g.allowed(b, 2));
        assert!(g.allowed(b, CODE_FAILURE_WINDOW_MS + 2));
    }
}
