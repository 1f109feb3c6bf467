//! `GET /api/standards/{standard}/report.xlsx?as_of=YYYY-MM-DD&lang=zh|en`: the self-check report of one
//! standard as a workbook (自评报告, RULES E6), for the community's records and the inspectors: the title,
//! the community and date, the verdict, the catalogue and rule-set versions, then one row per indicator
//! in the catalogue's order — status (a word, and a fill colour beside it, never colour alone), value,
//! threshold, gap, and the latest entry with its evidence. The evaluation is the core's
//! (`Replica::self_check`) on this server's replica, so the workbook says what the phones' pages say for
//! the same records; the rows' words are `linli_core::standards::report`'s, the printable page's own.
//!
//! Staff and admins of the community only (RULES H1); `as_of` defaults to today (China time); an unknown
//! standard is 404 `not_found` (field `standard`), a malformed date 400 `invalid_date` (field `as_of`),
//! a language other than zh or en 400 `out_of_range` (field `lang`).

use crate::AppState;
use crate::auth::AuthUser;
use crate::clock::now_ms;
use crate::http::query::{date_param_or, lang_param, params};
use crate::http::{ApiError, PathParams};
use axum::extract::{RawQuery, State};
use axum::response::Response;
use linli_core::Lang;
use linli_core::date::Date;
use linli_core::i18n::fill;
use linli_core::standards::report::{self, COLUMNS, ReportRow};
use linli_core::standards::words::{self, Words};
use linli_core::standards::{Catalogue, Evaluation, Status};

/// What the workbook is made from.
struct Report {
    title: String,
    lines: Vec<String>,
    rows: Vec<ReportRow>,
    lang: Lang,
}

/// `GET /api/standards/{standard}/report.xlsx`.
pub async fn xlsx(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(standard): PathParams<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let std = Catalogue::get()
        .standard(&standard)
        .ok_or_else(|| ApiError::RecordNotFound {
            field: "standard".into(),
        })?;
    let p = params(&q);
    let as_of = date_param_or(&p, "as_of", Date::from_unix_ms_cst(now_ms() as i64))?;
    let lang = lang_param(&p)?;
    let community = user.community.clone();
    let rules = state.rules.clone();
    let id = std.standard.clone();
    let (evaluation, entries) = state
        .writer
        .read(user.community.clone(), move |r| {
            let e = r
                .self_check(&community, &[id.as_str()], &rules, as_of)
                .pop();
            (e, r.standard_entries(&community))
        })
        .await?;
    let e: Evaluation =
        evaluation.ok_or_else(|| ApiError::internal("the self-check gave no evaluation"))?;
    let r = Report {
        title: fill(Words::ReportTitle.text(lang), &[std.name(lang)]),
        lines: vec![
            fill(
                Words::ReportAsOf.text(lang),
                &[&user.community_name, &e.as_of.to_string()],
            ),
            format!(
                "{}{} {}",
                Words::Verdict.text(lang),
                if lang == Lang::Zh { "：" } else { ":" },
                report::summary(&e, lang)
            ),
            report::versions(&e, lang),
        ],
        rows: report::rows(std, &e, &entries, lang),
        lang,
    };
    let bytes = tokio::task::spawn_blocking(move || to_xlsx(&r))
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)?;
    Ok(crate::http::encode::attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("self-check-{}-{as_of}.xlsx", std.standard),
        bytes,
    ))
}

/// The workbook: one sheet, the heading lines, then the table with its header frozen.
fn to_xlsx(r: &Report) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Color, Format, Workbook};
    let title = Format::new().set_bold().set_font_size(14);
    let bold = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xE8E8E8));
    let wrap = Format::new().set_text_wrap();
    let status_format = |s: Status| {
        let colour = match s {
            Status::Met => 0xD8F0D8,
            Status::NotMet => 0xF8D8D8,
            Status::InProgress => 0xFFF0C8,
            Status::NoData | Status::NoThreshold => 0xFFFFFF,
        };
        Format::new().set_background_color(Color::RGB(colour))
    };
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(Words::ReportSheet.text(r.lang))?;
    ws.write_string_with_format(0, 0, &r.title, &title)?;
    for (i, line) in r.lines.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, line)?;
    }
    let head = 2 + r.lines.len() as u32;
    for (c, w) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(head, c as u16, w.text(r.lang), &bold)?;
    }
    for (c, width) in [16, 36, 12, 14, 16, 30, 48].iter().enumerate() {
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_freeze_panes(head + 1, 0)?;
    for (i, row) in r.rows.iter().enumerate() {
        let at = head + 1 + i as u32;
        ws.write_string(at, 0, &row.id)?;
        ws.write_string_with_format(at, 1, &row.name, &wrap)?;
        ws.write_string_with_format(
            at,
            2,
            words::status(row.status).text(r.lang),
            &status_format(row.status),
        )?;
        ws.write_string(at, 3, &row.value)?;
        ws.write_string(at, 4, &row.target)?;
        ws.write_string_with_format(at, 5, &row.gap, &wrap)?;
        ws.write_string_with_format(at, 6, &row.entry, &wrap)?;
    }
    wb.save_to_buffer()
}
