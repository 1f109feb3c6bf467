//! Staff endpoints of a renovation project (issue 3): issuing, listing, revoking and reissuing
//! households' voting codes (with printable QR codes), and the results as JSON, CSV and XLSX.
//!
//! Every endpoint needs a staff or admin login of the project's community; a project of another
//! community is simply not found (404). A resident's token is refused (403, see `auth.rs`).

use crate::AppState;
use crate::auth::{AuthUser, now_ms};
use crate::error::ApiError;
use crate::extract::parse_json;
use crate::voting::{self, Door, code_hash, format_code, menu_json, new_code, results_json};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use linli_core::places::MenuItem;
use linli_core::project::{ItemClass, ProjectFields};
use linli_core::renovation::Tally;
use rusqlite::params;
use serde::Deserialize;
use serde_json::{Value, json};
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
            let doors = voting::doors(r, p.compound_id);
            Some((p, doors))
        })
        .await?
        .ok_or(ApiError::RecordNotFound {
            field: "project_id".into(),
        })
}

/// `http://host` of the request (`https` behind a proxy that says so), for the links on the slips.
fn origin(headers: &HeaderMap, state: &AppState) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c))
        })
        .map(str::to_string)
        .unwrap_or_else(|| state.config.addr.to_string());
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// An SVG QR code of `text`: one path with a run per row of dark modules, a 4-module quiet zone,
/// 4 px a module by default (it scales without loss). About 2–3 KB for a slip's link.
pub fn qr_svg(text: &str) -> Result<String, ApiError> {
    use std::fmt::Write;
    let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    let w = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = w + 2 * quiet;
    let mut d = String::new();
    for y in 0..w {
        let mut x = 0;
        while x < w {
            if colors[y * w + x] == qrcode::Color::Dark {
                let start = x;
                while x < w && colors[y * w + x] == qrcode::Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + quiet,
                    y + quiet,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Ok(format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="{px}" height="{px}" shape-rendering="crispEdges"><rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{d}"/></svg>"##,
        px = size * 4
    ))
}

/// One issued code as the slip shows it.
struct Issued {
    door: Door,
    code: String,
}

fn issued_json(issued: Vec<Issued>, origin: &str) -> Result<Value, ApiError> {
    let codes = issued
        .into_iter()
        .map(|i| {
            let code = format_code(&i.code);
            let url = format!("{origin}/v/{code}");
            Ok(json!({
                "household_id": i.door.household.id,
                "building": i.door.building,
                "unit": i.door.unit,
                "door": i.door.household.fields.door,
                "code": code,
                "qr_svg": qr_svg(&url)?,
                "url": url,
            }))
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(json!({ "codes": codes }))
}

/// Inserts a new active code for each door (in a transaction the caller commits).
fn insert_codes(
    tx: &rusqlite::Transaction<'_>,
    community: &str,
    project: Uuid,
    doors: Vec<Door>,
    by: &str,
    now: u64,
) -> rusqlite::Result<Vec<Issued>> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO voting_codes (code_hash, community, project_id, household_id, status, issued_at_ms, issued_by)
         VALUES (?1, ?2, ?3, ?4, 'active', ?5, ?6)",
    )?;
    let mut out = Vec::with_capacity(doors.len());
    for door in doors {
        let code = new_code();
        stmt.execute(params![
            &code_hash(&code)[..],
            community,
            project.to_string(),
            door.household.id.to_string(),
            now as i64,
            by
        ])?;
        out.push(Issued { door, code });
    }
    Ok(out)
}

fn revoke_active(
    tx: &rusqlite::Transaction<'_>,
    community: &str,
    project: Uuid,
    household: Uuid,
    now: u64,
) -> rusqlite::Result<usize> {
    // Its sessions stay, so that a phone logged in with it is told `code_revoked`, not `unauthorized`.
    let (p, h) = (project.to_string(), household.to_string());
    tx.execute(
        "UPDATE voting_codes SET status = 'revoked', revoked_at_ms = ?4
         WHERE community = ?1 AND project_id = ?2 AND household_id = ?3 AND status = 'active'",
        params![community, p, h, now as i64],
    )
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    #[serde(default)]
    pub households: Option<Vec<Uuid>>,
}

/// `POST /api/projects/{id}/codes` `{"households":[…]}` (optional; default: every household without an
/// active code) → `{"codes":[{household_id, building, unit, door, code, qr_svg, url}]}`. The only answer
/// that ever holds codes in plain text.
pub async fn issue_codes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
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
    let issued = state
        .db
        .blocking(move |db| {
            let mut w = db.writer();
            let tx = w.transaction()?;
            let active: HashSet<String> = tx
                .prepare_cached(
                    "SELECT household_id FROM voting_codes WHERE community = ?1 AND project_id = ?2 AND status = 'active'",
                )?
                .query_map(params![community, id.to_string()], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
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
                            return Ok(Err(ApiError::AlreadyIssued {
                                field: format!("households[{i}]"),
                            }));
                        }
                        if seen.insert(*h) {
                            v.extend(by_id.get(h).cloned());
                        }
                    }
                    v
                }
            };
            let issued = insert_codes(&tx, &community, id, targets, &by, now)?;
            tx.commit()?;
            Ok(Ok(issued))
        })
        .await??;
    let origin = origin(&headers, &state);
    let out = tokio::task::spawn_blocking(move || issued_json(issued, &origin))
        .await
        .map_err(ApiError::internal)??;
    Ok(Json(out))
}

/// One household's code status (no code).
fn status_row(door: &Door, rows: &[(String, i64, Option<i64>)]) -> Value {
    let active = rows.iter().rev().find(|r| r.0 == "active");
    let last = rows.last();
    let (status, issued, revoked) = match (active, last) {
        (Some(a), _) => ("active", Some(a.1), None),
        (None, Some(l)) => ("revoked", Some(l.1), l.2),
        (None, None) => ("none", None, None),
    };
    json!({
        "household_id": door.household.id,
        "building": door.building,
        "unit": door.unit,
        "door": door.household.fields.door,
        "status": status,
        "issued_at_ms": issued,
        "revoked_at_ms": revoked,
    })
}

type CodeRows = HashMap<String, Vec<(String, i64, Option<i64>)>>;

async fn code_rows(state: &AppState, community: String, id: Uuid) -> Result<CodeRows, ApiError> {
    state
        .db
        .blocking(move |db| {
            db.read(|c| {
                let mut stmt = c.prepare_cached(
                    "SELECT household_id, status, issued_at_ms, revoked_at_ms FROM voting_codes
                     WHERE community = ?1 AND project_id = ?2 ORDER BY issued_at_ms",
                )?;
                let mut rows = stmt.query(params![community, id.to_string()])?;
                let mut m: CodeRows = HashMap::new();
                while let Some(r) = rows.next()? {
                    m.entry(r.get(0)?)
                        .or_default()
                        .push((r.get(1)?, r.get(2)?, r.get(3)?));
                }
                Ok(m)
            })
        })
        .await
}

/// `GET /api/projects/{id}/codes` → `[{household_id, building, unit, door, status, issued_at_ms, revoked_at_ms}]`.
pub async fn list_codes(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let id = project_id(&id)?;
    let (_, doors) = project_and_doors(&state, &user, id).await?;
    let rows = code_rows(&state, user.community.clone(), id).await?;
    Ok(Json(Value::Array(
        doors
            .iter()
            .map(|d| {
                status_row(
                    d,
                    rows.get(&d.household.id.to_string())
                        .map(Vec::as_slice)
                        .unwrap_or(&[]),
                )
            })
            .collect(),
    )))
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
    let (_, doors) = project_and_doors(state, user, id).await?;
    let door = doors
        .into_iter()
        .find(|d| d.household.id == household)
        .ok_or_else(not_found)?;
    Ok((id, door))
}

/// `POST /api/projects/{id}/codes/{household_id}/revoke` → the household's status row.
pub async fn revoke_code(
    State(state): State<AppState>,
    user: AuthUser,
    Path((id, household)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (id, door) = household_door(&state, &user, &id, &household).await?;
    let community = user.community.clone();
    let h = door.household.id;
    let now = now_ms();
    state
        .db
        .blocking(move |db| {
            let mut w = db.writer();
            let tx = w.transaction()?;
            revoke_active(&tx, &community, id, h, now)?;
            tx.commit()
        })
        .await?;
    let rows = code_rows(&state, user.community.clone(), id).await?;
    Ok(Json(status_row(
        &door,
        rows.get(&h.to_string()).map(Vec::as_slice).unwrap_or(&[]),
    )))
}

/// `POST /api/projects/{id}/codes/{household_id}/reissue`: revokes the active code (if any) and issues a
/// new one; answers like issuing, with one code.
pub async fn reissue_code(
    State(state): State<AppState>,
    user: AuthUser,
    headers: HeaderMap,
    Path((id, household)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (id, door) = household_door(&state, &user, &id, &household).await?;
    let community = user.community.clone();
    let by = user.username.clone();
    let now = now_ms();
    let issued = state
        .db
        .blocking(move |db| {
            let mut w = db.writer();
            let tx = w.transaction()?;
            revoke_active(&tx, &community, id, door.household.id, now)?;
            let issued = insert_codes(&tx, &community, id, vec![door], &by, now)?;
            tx.commit()?;
            Ok(issued)
        })
        .await?;
    let origin = origin(&headers, &state);
    Ok(Json(issued_json(issued, &origin)?))
}

/// The tally of a project of the caller's community, with what labels it.
async fn tally_of(
    state: &AppState,
    user: &AuthUser,
    id: &str,
) -> Result<(Uuid, ProjectFields, Vec<MenuItem>, Vec<Value>, Tally), ApiError> {
    let id = project_id(id)?;
    let community = user.community.clone();
    let rules = state.rules.clone();
    let found = state
        .writer
        .read(user.community.clone(), move |r| {
            let p = r.project(&community, id)?;
            let tally = r.tally(&community, id, &rules);
            Some((p, r.menu(id), menu_json(r, id), tally))
        })
        .await?;
    let (p, menu, menu_json, tally) = found.ok_or(ApiError::RecordNotFound {
        field: "project_id".into(),
    })?;
    let tally = tally.ok_or_else(|| ApiError::internal("the tally failed"))?;
    Ok((id, p, menu, menu_json, tally))
}

fn staff_project_json(id: Uuid, p: &ProjectFields) -> Value {
    let mut v = serde_json::to_value(p).unwrap_or_else(|_| json!({}));
    v["id"] = json!(id);
    v
}

/// `GET /api/projects/{id}/results` → the core's Tally plus `project`, `menu` and `households_total`.
pub async fn results(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (id, p, _, menu, tally) = tally_of(&state, &user, &id).await?;
    Ok(Json(results_json(&tally, staff_project_json(id, &p), menu)))
}

// ---------------------------------------------------------------------------------------------
// Exports

/// A cell of an exported table.
#[derive(Clone, Debug)]
enum Cell {
    Text(String),
    Num(f64),
    /// A ratio, shown as a percentage.
    Pct(f64),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn yes_no(b: bool) -> Cell {
    t(if b { "是 (yes)" } else { "否 (no)" })
}

fn class_label(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Basic => "基础类 (basic)",
        ItemClass::Improvement => "完善类 (improvement)",
        ItemClass::Upgrade => "提升类 (upgrade)",
    }
}

/// The two tables of an export: summary (measure, value) and per-item support.
struct Tables {
    summary: Vec<(String, Cell)>,
    item_header: Vec<&'static str>,
    items: Vec<Vec<Cell>>,
}

const SUMMARY_HEADER: [&str; 2] = ["指标 (Measure)", "数值 (Value)"];

fn tables(p: &ProjectFields, menu: &[MenuItem], tally: &Tally) -> Tables {
    let a = &tally.art278;
    let s = |k: &str, v: Cell| (k.to_string(), v);
    let summary = vec![
        s("项目 (Project)", t(p.name.clone())),
        s(
            "调查时间 (Survey period)",
            t(format!("{} – {}", p.survey_opens, p.survey_closes)),
        ),
        s(
            "住户总数 (Households)",
            Cell::Num(tally.coverage.total as f64),
        ),
        s(
            "已答户数 (Households responded)",
            Cell::Num(tally.coverage.responded as f64),
        ),
        s("覆盖率 (Coverage)", Cell::Pct(tally.coverage.ratio)),
        s(
            "覆盖达到三分之二 (Coverage meets 2/3)",
            yes_no(tally.coverage.meets_two_thirds),
        ),
        s(
            "同意户数 (Households agreeing)",
            Cell::Num(tally.agreement.households as f64),
        ),
        s(
            "同意户数占总户数 (Agreeing share of all households)",
            Cell::Pct(tally.agreement.households_ratio),
        ),
        s(
            "同意户数占已答户数 (Agreeing share of households responded)",
            Cell::Pct(tally.agreement.households_ratio_of_responded),
        ),
        s(
            "同意面积 m² (Agreeing area m²)",
            Cell::Num(tally.agreement.area_m2),
        ),
        s(
            "同意面积占总面积 (Agreeing share of all area)",
            Cell::Pct(tally.agreement.area_ratio),
        ),
        s(
            "同意面积占已答面积 (Agreeing share of area responded)",
            Cell::Pct(tally.agreement.area_ratio_of_responded),
        ),
        s(
            "参与表决面积占比 (Participation by area)",
            Cell::Pct(a.participation.area_ratio),
        ),
        s(
            "参与表决人数占比 (Participation by owners)",
            Cell::Pct(a.participation.owners_ratio),
        ),
        s(
            "参与门槛 (Participation threshold)",
            t(a.participation.threshold.clone()),
        ),
        s(
            "同意面积占参与面积 (Consent by area)",
            Cell::Pct(a.consent.area_ratio),
        ),
        s(
            "同意人数占参与人数 (Consent by owners)",
            Cell::Pct(a.consent.owners_ratio),
        ),
        s(
            "同意门槛 (Consent threshold)",
            t(a.consent.threshold.clone()),
        ),
        s(
            "民法典第278条表决通过 (Civil Code art. 278 passed)",
            yes_no(a.passed),
        ),
        s("说明 (Explanation, zh)", t(a.explanation_zh.clone())),
        s("说明 (Explanation, en)", t(a.explanation_en.clone())),
        s(
            "改过答案的户数 (Households that changed their answer)",
            Cell::Num(tally.changed_answers as f64),
        ),
    ];
    let by_id: HashMap<String, &MenuItem> = menu.iter().map(|m| (m.id.to_string(), m)).collect();
    let items = tally
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let m = by_id.get(&it.id);
            vec![
                Cell::Num((i + 1) as f64),
                t(m.map(|m| m.fields.name.clone())
                    .unwrap_or_else(|| it.id.clone())),
                t(m.map(|m| class_label(m.fields.class)).unwrap_or("")),
                Cell::Num(it.households as f64),
                Cell::Num(it.area_m2),
                Cell::Pct(it.ratio_of_responded),
                yes_no(m.is_some_and(|m| m.fields.owners_decision)),
                yes_no(it.art278.passed),
                t(it.art278.explanation_zh.clone()),
                t(it.id.clone()),
            ]
        })
        .collect();
    Tables {
        summary,
        item_header: vec![
            "序号 (No.)",
            "改造内容 (Item)",
            "类别 (Class)",
            "支持户数 (Households)",
            "支持面积 m² (Area m²)",
            "占已答户数 (Share of households responded)",
            "业主共同决定事项 (Owners' joint decision)",
            "第278条通过 (Art. 278 passed)",
            "说明 (Explanation)",
            "编号 (Id)",
        ],
        items,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_field(s),
        Cell::Num(n) => format!("{}", (n * 100.0).round() / 100.0),
        Cell::Pct(r) => format!("{:.1}%", r * 100.0),
    }
}

/// The CSV export: UTF-8 with a BOM (so Excel reads Chinese), the summary table, a blank line, the items table.
fn to_csv(tb: &Tables) -> String {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(
        &mut out,
        SUMMARY_HEADER.iter().map(|s| csv_field(s)).collect(),
    );
    for (k, v) in &tb.summary {
        line(&mut out, vec![csv_field(k), csv_cell(v)]);
    }
    out.push_str("\r\n");
    line(
        &mut out,
        tb.item_header.iter().map(|s| csv_field(s)).collect(),
    );
    for row in &tb.items {
        line(&mut out, row.iter().map(csv_cell).collect());
    }
    out
}

fn to_xlsx(tb: &Tables) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook, Worksheet};
    let bold = Format::new().set_bold();
    let pct = Format::new().set_num_format("0.0%");
    let wrap = Format::new().set_text_wrap();
    fn write(
        ws: &mut Worksheet,
        r: u32,
        c: u16,
        cell: &Cell,
        pct: &Format,
        wrap: &Format,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        match cell {
            Cell::Text(s) if s.chars().count() > 40 => {
                ws.write_string_with_format(r, c, s, wrap)?;
            }
            Cell::Text(s) => {
                ws.write_string(r, c, s)?;
            }
            Cell::Num(n) => {
                ws.write_number(r, c, *n)?;
            }
            Cell::Pct(x) => {
                ws.write_number_with_format(r, c, *x, pct)?;
            }
        }
        Ok(())
    }
    let mut wb = Workbook::new();
    {
        let ws = wb.add_worksheet();
        ws.set_name("Summary")?;
        ws.set_column_width(0, 48)?;
        ws.set_column_width(1, 60)?;
        for (c, h) in SUMMARY_HEADER.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (i, (k, v)) in tb.summary.iter().enumerate() {
            let r = i as u32 + 1;
            ws.write_string(r, 0, k)?;
            write(ws, r, 1, v, &pct, &wrap)?;
        }
    }
    {
        let ws = wb.add_worksheet();
        ws.set_name("Items")?;
        for (c, h) in tb.item_header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if c == 8 { 60 } else { 18 })?;
        }
        for (i, row) in tb.items.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                write(ws, i as u32 + 1, c as u16, cell, &pct, &wrap)?;
            }
        }
    }
    wb.save_to_buffer()
}

fn attachment(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// `GET /api/projects/{id}/results.csv`.
pub async fn results_csv(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (id, p, menu, _, tally) = tally_of(&state, &user, &id).await?;
    let csv = to_csv(&tables(&p, &menu, &tally));
    Ok(attachment(
        "text/csv; charset=utf-8",
        format!("results-{id}.csv"),
        csv.into_bytes(),
    ))
}

/// `GET /api/projects/{id}/results.xlsx`.
pub async fn results_xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let (id, p, menu, _, tally) = tally_of(&state, &user, &id).await?;
    let bytes = tokio::task::spawn_blocking(move || to_xlsx(&tables(&p, &menu, &tally)))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("results-{id}.xlsx"),
        bytes,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_cell(&Cell::Pct(2.0 / 3.0)), "66.7%");
        assert_eq!(csv_cell(&Cell::Num(72.456)), "72.46");
    }

    #[test]
    fn qr_is_svg() {
        let s = qr_svg("http://127.0.0.1:8080/v/ABCD-EFGH-JKMN-PQRS").unwrap();
        assert!(s.starts_with("<svg") && s.ends_with("</svg>"), "{s}");
        assert!(s.len() < 4_000, "{}", s.len());
        // Every dark module is drawn once, at its place.
        let url = "http://127.0.0.1:8080/v/ABCD-EFGH-JKMN-PQRS";
        let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).unwrap();
        let w = code.width();
        let mut grid = vec![qrcode::Color::Light; w * w];
        let d = s.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let run = run.strip_suffix('z').unwrap();
            let (xy, rest) = run.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let n: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for i in 0..n {
                grid[(y - 4) * w + x - 4 + i] = qrcode::Color::Dark;
            }
        }
        assert_eq!(grid, code.to_colors());
    }
}
