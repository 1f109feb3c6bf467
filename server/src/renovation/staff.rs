//! Staff endpoints of a renovation project: issuing, listing, revoking and reissuing households' voting
//! codes (with printable QR codes), and the results as JSON, CSV and XLSX.
//!
//! Every endpoint needs a staff or admin login of the project's community; a project of another
//! community is simply not found (404). A resident's token is refused (403, see `auth/tokens.rs`).

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::now_ms;
use crate::http::encode::{EncodedJson, Encoding};
use crate::http::{ApiError, PathParams, parse_json};
use crate::renovation::codes::format_code;
use crate::renovation::export::to_xlsx;
use crate::renovation::qr::qr_svg;
use crate::renovation::repo::{self, CodeRow, Issued};
use crate::renovation::views::{self, Door};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use linli_core::renovation::MenuItem;
use linli_core::renovation::ProjectFields;
use linli_core::renovation::Tally;
use linli_core::renovation::api::{
    CodeState, CodeStatus, IssueRequest, IssuedCode, IssuedCodes, MenuEntry, ProjectResults,
    StaffProject,
};
use linli_core::renovation::export::{tables, to_csv};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Most households one issuing request may name.
pub const MAX_ISSUE: usize = 20_000;

fn project_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError::RecordNotFound {
        field: "project_id".into(),
    })
}

/// The project (which must be in the caller's community) and its compound's households.
async fn project_and_doors(
    state: &AppState,
    user: &AuthUser,
    id: Uuid,
) -> Result<(ProjectFields, Vec<Door>), ApiError> {
    let community = user.community.clone();
    state
        .writer
        .read(user.community.clone(), move |r| {
            let p = r.project(&community, id)?;
            let doors = views::doors(r, p.compound_id);
            Some((p, doors))
        })
        .await?
        .ok_or(ApiError::RecordNotFound {
            field: "project_id".into(),
        })
}

/// The slips of newly issued codes: printed code, link and its QR code.
fn issued_codes(issued: Vec<Issued>, origin: &str) -> Result<IssuedCodes, ApiError> {
    let codes = issued
        .into_iter()
        .map(|i| {
            let code = format_code(&i.code);
            let url = format!("{origin}/v/{code}");
            Ok(IssuedCode {
                household_id: i.door.household.id,
                building: i.door.building,
                unit: i.door.unit,
                door: i.door.household.fields.door,
                code,
                qr_svg: qr_svg(&url)?,
                url,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(IssuedCodes { codes })
}

/// `POST /api/projects/{id}/codes` `{"households":[…], "reissue": true?}` (optional; default: every
/// household without an active code; with `reissue`, named households with an active code get a new one,
/// the old revoked) → `{"codes":[{household_id, building, unit, door, code, qr_svg, url}]}`. The only
/// answer that ever holds codes in plain text.
pub async fn issue_codes(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
    body: Bytes,
) -> Result<Json<IssuedCodes>, ApiError> {
    let id = project_id(&id)?;
    let req: IssueRequest = if body.iter().all(u8::is_ascii_whitespace) {
        IssueRequest::default()
    } else {
        parse_json(&body)?
    };
    if req.households.as_ref().is_some_and(|h| h.len() > MAX_ISSUE) {
        return Err(ApiError::BatchTooLarge);
    }
    let (_, doors) = project_and_doors(&state, &user, id).await?;
    let by_id: HashMap<Uuid, Door> = doors.iter().map(|d| (d.household.id, d.clone())).collect();
    // Named households must be of the project's compound.
    if let Some(list) = &req.households {
        for (i, h) in list.iter().enumerate() {
            if !by_id.contains_key(h) {
                return Err(ApiError::InvalidRequest {
                    field: Some(format!("households[{i}]")),
                    detail: "not a household of this project's compound".into(),
                });
            }
        }
    }
    let community = user.community.clone();
    let by = user.username.clone();
    let now = now_ms();
    let issued = repo::write_tx(&state.db, move |tx| {
        let active = repo::active_households(tx, &community, id)?;
        let targets: Vec<Door> = match req.households {
            None => doors
                .into_iter()
                .filter(|d| !active.contains(&d.household.id.to_string()))
                .collect(),
            Some(list) => {
                let mut seen = HashSet::new();
                let mut v = Vec::new();
                for (i, h) in list.iter().enumerate() {
                    if active.contains(&h.to_string()) {
                        if !req.reissue {
                            return Ok(Err(ApiError::AlreadyIssued {
                                field: format!("households[{i}]"),
                            }));
                        }
                        repo::revoke_active(tx, &community, id, *h, now)?;
                    }
                    if seen.insert(*h) {
                        v.extend(by_id.get(h).cloned());
                    }
                }
                v
            }
        };
        Ok(Ok(repo::insert_codes(
            tx, &community, id, targets, &by, now,
        )?))
    })
    .await?;
    let origin = state.public_url();
    let out = tokio::task::spawn_blocking(move || issued_codes(issued, &origin))
        .await
        .map_err(ApiError::internal)??;
    Ok(Json(out))
}

/// One household's code status (no code), from its code rows, oldest first.
fn code_status(door: &Door, rows: &[CodeRow]) -> CodeStatus {
    let active = rows.iter().rev().find(|r| r.status == "active");
    let last = rows.last();
    let ms = |t: i64| t.max(0) as u64;
    let (status, issued, revoked) = match (active, last) {
        (Some(a), _) => (CodeState::Active, Some(ms(a.issued_at_ms)), None),
        (None, Some(l)) => (
            CodeState::Revoked,
            Some(ms(l.issued_at_ms)),
            l.revoked_at_ms.map(ms),
        ),
        (None, None) => (CodeState::None, None, None),
    };
    CodeStatus {
        household_id: door.household.id,
        building: door.building.clone(),
        unit: door.unit.clone(),
        door: door.household.fields.door.clone(),
        status,
        issued_at_ms: issued,
        revoked_at_ms: revoked,
    }
}

fn rows_of<'a>(history: &'a repo::CodeHistory, door: &Door) -> &'a [CodeRow] {
    history
        .get(&door.household.id.to_string())
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `GET /api/projects/{id}/codes` → `[{household_id, building, unit, door, status, issued_at_ms, revoked_at_ms}]`.
/// A compound of 300,000 households answers some 50 MB (3.5 MB compressed): the rows are written out
/// and compressed on a blocking thread, not on the threads that serve every request.
pub async fn list_codes(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
    headers: HeaderMap,
) -> Result<EncodedJson, ApiError> {
    let id = project_id(&id)?;
    let (_, doors) = project_and_doors(&state, &user, id).await?;
    let history = repo::code_history(&state.db, user.community.clone(), id).await?;
    let encoding = Encoding::accepted(&headers);
    tokio::task::spawn_blocking(move || {
        let mut out = Vec::with_capacity(doors.len() * 160);
        let mut json = serde_json::Serializer::new(&mut out);
        serde::Serializer::collect_seq(
            &mut json,
            doors.iter().map(|d| code_status(d, rows_of(&history, d))),
        )
        .map_err(ApiError::internal)?;
        // Small lists are left to the compression layer, like every other answer.
        let encoding = encoding.filter(|_| out.len() >= 64 * 1024);
        EncodedJson::new(encoding, out).map_err(ApiError::internal)
    })
    .await
    .map_err(ApiError::internal)?
}

async fn household_door(
    state: &AppState,
    user: &AuthUser,
    id: &str,
    household: &str,
) -> Result<(Uuid, Door), ApiError> {
    let id = project_id(id)?;
    let not_found = || ApiError::RecordNotFound {
        field: "household_id".into(),
    };
    let household = Uuid::parse_str(household).map_err(|_| not_found())?;
    let community = user.community.clone();
    let found = state
        .writer
        .read(user.community.clone(), move |r| {
            let p = r.project(&community, id)?;
            Some(views::door_in(r, &community, p.compound_id, household))
        })
        .await?
        .ok_or(ApiError::RecordNotFound {
            field: "project_id".into(),
        })?;
    Ok((id, found.ok_or_else(not_found)?))
}

/// `POST /api/projects/{id}/codes/{household_id}/revoke` → the household's status row.
pub async fn revoke_code(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams((id, household)): PathParams<(String, String)>,
) -> Result<Json<CodeStatus>, ApiError> {
    let (id, door) = household_door(&state, &user, &id, &household).await?;
    let community = user.community.clone();
    let h = door.household.id;
    let now = now_ms();
    repo::write_tx(&state.db, move |tx| {
        repo::revoke_active(tx, &community, id, h, now).map(Ok)
    })
    .await?;
    let history = repo::code_history(&state.db, user.community.clone(), id).await?;
    Ok(Json(code_status(&door, rows_of(&history, &door))))
}

/// `POST /api/projects/{id}/codes/{household_id}/reissue`: revokes the active code (if any) and issues a
/// new one; answers like issuing, with one code.
pub async fn reissue_code(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams((id, household)): PathParams<(String, String)>,
) -> Result<Json<IssuedCodes>, ApiError> {
    let (id, door) = household_door(&state, &user, &id, &household).await?;
    let community = user.community.clone();
    let by = user.username.clone();
    let now = now_ms();
    let issued = repo::write_tx(&state.db, move |tx| {
        repo::revoke_active(tx, &community, id, door.household.id, now)?;
        Ok(Ok(repo::insert_codes(
            tx,
            &community,
            id,
            vec![door],
            &by,
            now,
        )?))
    })
    .await?;
    let origin = state.public_url();
    Ok(Json(issued_codes(issued, &origin)?))
}

/// The tally of a project of the caller's community, with what labels it.
async fn tally_of(
    state: &AppState,
    user: &AuthUser,
    id: &str,
) -> Result<(Uuid, ProjectFields, Vec<MenuItem>, Vec<MenuEntry>, Tally), ApiError> {
    let id = project_id(id)?;
    let community = user.community.clone();
    let rules = state.rules.clone();
    let found = state
        .writer
        .read(user.community.clone(), move |r| {
            let p = r.project(&community, id)?;
            let tally = r.tally(&community, id, &rules);
            Some((p, r.menu(id), views::menu(r, id), tally))
        })
        .await?;
    let (p, menu, entries, tally) = found.ok_or(ApiError::RecordNotFound {
        field: "project_id".into(),
    })?;
    let tally = tally.ok_or_else(|| ApiError::internal("the tally failed"))?;
    Ok((id, p, menu, entries, tally))
}

/// `GET /api/projects/{id}/results` → the core's Tally plus `project`, `menu` and `households_total`.
pub async fn results(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<ProjectResults>, ApiError> {
    let (id, fields, _, menu, tally) = tally_of(&state, &user, &id).await?;
    Ok(Json(views::results(
        &tally,
        StaffProject { id, fields },
        menu,
    )))
}

// ---------------------------------------------------------------------------------------------
// Exports (see `export.rs`)

/// `GET /api/projects/{id}/results.csv`.
pub async fn results_csv(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let (id, p, menu, _, tally) = tally_of(&state, &user, &id).await?;
    let csv = to_csv(&tables(&p, &menu, &tally, &state.rules.renovation, None));
    Ok(crate::http::encode::attachment(
        "text/csv; charset=utf-8",
        format!("results-{id}.csv"),
        csv.into_bytes(),
    ))
}

/// `GET /api/projects/{id}/results.xlsx`.
pub async fn results_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
) -> Result<Response, ApiError> {
    let (id, p, menu, _, tally) = tally_of(&state, &user, &id).await?;
    let rules = state.rules.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        to_xlsx(&tables(&p, &menu, &tally, &rules.renovation, None))
    })
    .await
    .map_err(ApiError::internal)?
    .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("results-{id}.xlsx"),
        bytes,
    ))
}
