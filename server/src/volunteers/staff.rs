//! Staff endpoints of the volunteers feature: the list (numbers masked, this year's hours), one
//! volunteer's detail (the only answer with the whole phone and ID number), the figures (V1, V3, V4,
//! V6), the overdue pairs (V5) and the list's CSV and XLSX exports.
//!
//! Every endpoint needs a staff or admin login and reads only that login's community (RULES H1): a
//! volunteer of another community is simply not found (404); a resident's token is refused (403).

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::now_ms;
use crate::http::query::{date_param, params};
use crate::http::{ApiError, PathParams};
use crate::volunteers::export;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use linli_core::date::Date;
use linli_core::renovation::export::Cell;
use linli_core::volunteers::VolunteerStats;
use linli_core::volunteers::api::{
    OverdueAnswer, OverdueRow, VolunteerDetail, VolunteerList, VolunteerRow,
};
use linli_core::{ErrorCode, RuleError};
use std::collections::HashMap;
use uuid::Uuid;

/// Today in China time, by the server's clock.
pub fn today() -> Date {
    Date::from_unix_ms_cst(now_ms() as i64)
}

/// A volunteer id from the path; text that is not one names no record (404).
pub fn volunteer_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| not_found())
}

pub fn not_found() -> ApiError {
    ApiError::RecordNotFound {
        field: "volunteer_id".into(),
    }
}

/// `GET /api/volunteers` → `{"as_of","volunteers":[{id, name, phone_masked, id_number_masked, status,
/// registered_on, teams, party_member, student, resident, confirmed_minutes, pending_minutes}]}`, by
/// name; minutes from 1 January to today.
pub async fn list(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Json<VolunteerList>, ApiError> {
    Ok(Json(rows(&state, &user).await?))
}

async fn rows(state: &AppState, user: &AuthUser) -> Result<VolunteerList, ApiError> {
    let community = user.community.clone();
    let as_of = today();
    state
        .writer
        .read(user.community.clone(), move |r| VolunteerList {
            as_of,
            volunteers: r
                .volunteers(&community)
                .iter()
                .map(|v| VolunteerRow::with_hours(v, &r.volunteer_hours(&community, v.id, as_of)))
                .collect(),
        })
        .await
}

/// `GET /api/volunteers/{id}` → the row plus `phone` and `id_number` whole, `skills`, `months` (this
/// year's confirmed and pending minutes by month) and `entries` (each with its effective status,
/// source, whether it counts, who recorded it and when, who confirmed or declined it and when).
pub async fn detail(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
) -> Result<Json<VolunteerDetail>, ApiError> {
    let id = volunteer_id(&id)?;
    let community = user.community.clone();
    let as_of = today();
    state
        .writer
        .read(user.community.clone(), move |r| {
            let v = r.volunteer(&community, id)?;
            let months = r.volunteer_hours(&community, id, as_of);
            let entries = r.volunteer_entries(&community, id);
            Some(VolunteerDetail::new(&v, &months, &entries))
        })
        .await?
        .map(Json)
        .ok_or_else(not_found)
}

/// `GET /api/volunteers/stats?as_of=YYYY-MM-DD&population=N` → the core's `VolunteerStats` (V1 rate,
/// V3 months, V6 hours, V4 party members and students) on the community's merged state with the
/// server's rule set. A missing or bad parameter is 400 naming it, in the request's language.
pub async fn stats(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Json<VolunteerStats>, ApiError> {
    Ok(Json(figures(&state, &user, &q).await?.0))
}

/// `GET /api/volunteers/stats.csv?as_of=&population=`: the figures as a table (`export::figures_table`).
pub async fn stats_csv(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let (s, as_of, population) = figures(&state, &user, &q).await?;
    let (header, rows) = export::figures_table(&s, population);
    Ok(csv_file(
        format!("volunteer-figures-{as_of}.csv"),
        &header,
        &rows,
    ))
}

/// `GET /api/volunteers/stats.xlsx?as_of=&population=`: the same table as a workbook.
pub async fn stats_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let (s, as_of, population) = figures(&state, &user, &q).await?;
    let (header, rows) = export::figures_table(&s, population);
    xlsx_file(format!("volunteer-figures-{as_of}.xlsx"), header, rows).await
}

/// A table as a CSV attachment named `name`.
fn csv_file(name: String, header: &[String], rows: &[Vec<Cell>]) -> Response {
    crate::http::encode::attachment(
        "text/csv; charset=utf-8",
        name,
        export::to_csv(header, rows).into_bytes(),
    )
}

/// A table as an XLSX attachment named `name` (written on a blocking thread).
async fn xlsx_file(
    name: String,
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
) -> Result<Response, ApiError> {
    let bytes = tokio::task::spawn_blocking(move || export::to_xlsx(&header, &rows))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        name,
        bytes,
    ))
}

/// The figures for the query's `as_of` and `population`, with them.
async fn figures(
    state: &AppState,
    user: &AuthUser,
    q: &Option<String>,
) -> Result<(VolunteerStats, Date, u64), ApiError> {
    let p = params(q);
    let as_of = date_param(&p, "as_of")?;
    let population: u64 = match p.get("population").copied() {
        None | Some("") => return Err(RuleError::field(ErrorCode::Required, "population").into()),
        Some(v) => v.parse().map_err(|_| {
            ApiError::from(
                RuleError::field(ErrorCode::OutOfRange, "population").with_detail("1, 2, 3 …"),
            )
        })?,
    };
    let community = user.community.clone();
    let rules = state.rules.clone();
    let out = state
        .writer
        .read(user.community.clone(), move |r| {
            r.volunteer_stats(&community, as_of, population, &rules.volunteers)
        })
        .await??;
    Ok((out, as_of, population))
}

/// `GET /api/volunteers/pairs/overdue?today=YYYY-MM-DD` → `{"today","pairs":[{pair_id, volunteer_id,
/// volunteer_name, person_id, cadence, since, last?, due, days_overdue}]}`, most overdue first (V5).
pub async fn overdue(
    State(state): State<AppState>,
    user: AuthUser,
    RawQuery(q): RawQuery,
) -> Result<Json<OverdueAnswer>, ApiError> {
    let day = date_param(&params(&q), "today")?;
    let community = user.community.clone();
    let rules = state.rules.clone();
    let pairs = state
        .writer
        .read(user.community.clone(), move |r| {
            let names: HashMap<Uuid, String> = r
                .volunteers(&community)
                .into_iter()
                .map(|v| (v.id, v.fields.name))
                .collect();
            r.overdue_pairs(&community, day, &rules.volunteers)
                .iter()
                .map(|p| {
                    let name = names.get(&p.fields.volunteer_id).map_or("", String::as_str);
                    OverdueRow::new(p, name)
                })
                .collect()
        })
        .await?;
    Ok(Json(OverdueAnswer { today: day, pairs }))
}

// ---------------------------------------------------------------------------------------------
// Exports

async fn table(
    state: &AppState,
    user: &AuthUser,
) -> Result<
    (
        Date,
        Vec<String>,
        Vec<Vec<linli_core::renovation::export::Cell>>,
    ),
    ApiError,
> {
    let list = rows(state, user).await?;
    let community = user.community.clone();
    let teams: HashMap<Uuid, String> = state
        .writer
        .read(user.community.clone(), move |r| {
            r.teams(&community)
                .into_iter()
                .map(|t| (t.id, t.fields.name))
                .collect()
        })
        .await?;
    let (header, rows) = export::table(&list.volunteers, &teams);
    Ok((list.as_of, header, rows))
}

/// `GET /api/volunteers/export.csv`: the list with this year's hours, numbers masked.
pub async fn export_csv(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Response, ApiError> {
    let (as_of, header, rows) = table(&state, &user).await?;
    Ok(csv_file(format!("volunteers-{as_of}.csv"), &header, &rows))
}

/// `GET /api/volunteers/export.xlsx`: the same table as a workbook.
pub async fn export_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
) -> Result<Response, ApiError> {
    let (as_of, header, rows) = table(&state, &user).await?;
    xlsx_file(format!("volunteers-{as_of}.xlsx"), header, rows).await
}
