//! The surveys' tables, read from the merged state, as CSV and XLSX: the responses to a form (one row per
//! response, one column per question) and the due lists (S1, S2). Phones are masked
//! (`personal::mask_phone`): an answer bound to `person_phone` (S6) and the persons' phones alike. CSV is
//! UTF-8 with a BOM, CRLF, and text a spreadsheet would run neutralised (`csv_field`), as every export.

use super::words::{SurveyWords as W, list_separator};
use linli_core::date::Date;
use linli_core::personal::mask_phone;
use linli_core::renovation::export::{Cell, csv_cell, csv_field};
use linli_core::rules::SurveyRules;
use linli_core::surveys::{Bind, FormVersionFields, Question, QuestionKind};
use linli_core::{Lang, Replica};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// A header and its rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// A time as China time, `YYYY-MM-DD HH:MM`.
pub fn cst(ms: u64) -> String {
    let ms = ms as i64;
    let mins = (ms + 8 * 3_600_000).rem_euclid(86_400_000) / 60_000;
    format!(
        "{} {:02}:{:02}",
        Date::from_unix_ms_cst(ms),
        mins / 60,
        mins % 60
    )
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// An answer as a cell: choices by their labels, yes/no as words, numbers as numbers; a phone masked.
pub fn answer_cell(q: &Question, v: Option<&Value>, lang: Lang) -> Cell {
    let Some(v) = v.filter(|v| linli_core::surveys::conditions::is_answered(Some(v))) else {
        return text("");
    };
    let label = |id: &str| {
        q.choices
            .iter()
            .find(|c| c.id == id)
            .map(|c| {
                let l = match lang {
                    Lang::Zh => &c.label_zh,
                    Lang::En => &c.label_en,
                };
                if l.is_empty() {
                    id.to_string()
                } else {
                    l.clone()
                }
            })
            .unwrap_or_else(|| id.to_string())
    };
    let cell = match (q.kind, v) {
        (QuestionKind::Single, Value::String(id)) => text(label(id)),
        (QuestionKind::Multi, Value::Array(ids)) => text(
            ids.iter()
                .map(|i| i.as_str().map_or_else(|| i.to_string(), label))
                .collect::<Vec<_>>()
                .join(list_separator(lang)),
        ),
        (QuestionKind::Yesno, Value::Bool(b)) => text(if *b { W::Yes } else { W::No }.text(lang)),
        (QuestionKind::Number, Value::Number(n)) => Cell::Num(n.as_f64().unwrap_or_default()),
        (_, Value::String(s)) => text(s.clone()),
        (_, other) => text(other.to_string()),
    };
    match (q.binds, cell) {
        (Some(Bind::PersonPhone), Cell::Text(s)) => text(mask_phone(&s)),
        (_, c) => c,
    }
}

/// The responses to every version of `form_id` in `community`, by door then submission time; `None`
/// when the community has no version of that form. Columns: household, person, collector, started,
/// submitted, form version, review (the latest verdict, or pending), correction (fixed by a later
/// response / a fix), then one per question of any version (first seen in version order; the header is
/// the label of the latest version that has it).
pub fn responses(r: &Replica, community: &str, form_id: Uuid, lang: Lang) -> Option<Table> {
    let versions: Vec<_> = r
        .form_versions(community)
        .into_iter()
        .filter(|v| v.fields.form_id == form_id)
        .collect();
    if versions.is_empty() {
        return None;
    }
    let mut columns: Vec<String> = Vec::new();
    let mut latest: HashMap<String, Question> = HashMap::new();
    for v in &versions {
        for q in &v.fields.questions {
            if !latest.contains_key(&q.id) {
                columns.push(q.id.clone());
            }
            latest.insert(q.id.clone(), q.clone());
        }
    }
    let by_id: HashMap<Uuid, &FormVersionFields> =
        versions.iter().map(|v| (v.id, &v.fields)).collect();
    let mut header: Vec<String> = [
        W::ColHousehold,
        W::ColPerson,
        W::ColCollector,
        W::ColStarted,
        W::ColSubmitted,
        W::ColVersion,
        W::ColReview,
        W::ColCorrection,
    ]
    .iter()
    .map(|w| w.text(lang).to_string())
    .collect();
    header.extend(columns.iter().map(|id| latest[id].label(lang).to_string()));

    let mut rows = Vec::new();
    for d in r.community_doors(community) {
        let place = d.place();
        let mut mine: Vec<_> = r
            .household_responses(d.household.id)
            .into_iter()
            .filter(|x| x.fields.form_id == form_id)
            .collect();
        mine.sort_by_key(|x| (x.fields.submitted_at_ms, x.stamp));
        for x in mine {
            let f = &x.fields;
            let person = f
                .person_id
                .and_then(|p| r.person(community, p))
                .map(|p| p.fields.name)
                .unwrap_or_default();
            let review = match &x.review {
                Some(rv) => linli_core::surveys::Words::text(rv.verdict.words(), lang),
                None => W::Pending.text(lang),
            };
            let correction = if !x.fixed_by.is_empty() {
                W::FixedLater.text(lang)
            } else if f.fixes.is_some() {
                W::IsFix.text(lang)
            } else {
                ""
            };
            let mut row = vec![
                text(place.clone()),
                text(person),
                text(f.collector.clone()),
                text(cst(f.started_at_ms)),
                text(cst(f.submitted_at_ms)),
                text(f.form_version.to_string()),
                text(review),
                text(correction),
            ];
            let version = by_id.get(&f.form_version_id);
            for id in &columns {
                let q = version
                    .and_then(|v| v.questions.iter().find(|q| &q.id == id))
                    .unwrap_or(&latest[id]);
                row.push(answer_cell(q, f.answers.get(id), lang));
            }
            rows.push(row);
        }
    }
    Some(Table { header, rows })
}

/// The due lists as one table (S1 rows, then S2 rows, each in door order): list, person, household,
/// last needs survey (or never), visits this year, phone masked.
pub fn due(r: &Replica, community: &str, as_of: Date, rules: &SurveyRules, lang: Lang) -> Table {
    let places: HashMap<Uuid, String> = r
        .community_doors(community)
        .into_iter()
        .map(|d| (d.household.id, d.place()))
        .collect();
    let person = |id: Uuid| {
        let p = r.person(community, id);
        let name = p
            .as_ref()
            .map(|p| p.fields.name.clone())
            .unwrap_or_default();
        let place = p
            .as_ref()
            .and_then(|p| places.get(&p.fields.household_id).cloned())
            .unwrap_or_default();
        let phone = p.map(|p| mask_phone(&p.fields.phone)).unwrap_or_default();
        (name, place, phone)
    };
    let header = [
        W::ColList,
        W::ColPerson,
        W::ColHousehold,
        W::ColLastSurvey,
        W::ColVisits,
        W::ColPhone,
    ]
    .iter()
    .map(|w| w.text(lang).to_string())
    .collect();
    let mut rows = Vec::new();
    for n in r.needs_survey_due(community, as_of, rules) {
        let (name, place, phone) = person(n.person_id);
        let last = n
            .last_survey
            .map_or_else(|| W::Never.text(lang).to_string(), |d| d.to_string());
        rows.push(vec![
            text(W::ListNeeds.text(lang)),
            text(name),
            text(place),
            text(last),
            text(""),
            text(phone),
        ]);
    }
    for v in r.helper_visits_due(community, as_of, rules) {
        let (name, place, phone) = person(v.person_id);
        rows.push(vec![
            text(W::ListVisits.text(lang)),
            text(name),
            text(place),
            text(""),
            Cell::Num(v.visits as f64),
            text(phone),
        ]);
    }
    Table { header, rows }
}

impl Table {
    /// CSV: UTF-8 with a BOM (so Excel reads Chinese), CRLF, formula-like text neutralised.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("\u{feff}");
        let header: Vec<String> = self.header.iter().map(|h| csv_field(h)).collect();
        out.push_str(&header.join(","));
        out.push_str("\r\n");
        for row in &self.rows {
            out.push_str(&row.iter().map(csv_cell).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// XLSX: one sheet named `sheet`, bold header.
    pub fn to_xlsx(&self, sheet: &str) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        use rust_xlsxwriter::{Format, Workbook};
        let bold = Format::new().set_bold();
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        for (c, h) in self.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
            ws.set_column_width(c as u16, 16)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = i as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, s)?,
                    Cell::Num(n) | Cell::Pct(n) => ws.write_number(r, c, *n)?,
                };
            }
        }
        wb.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn china_time() {
        // 2025-06-01 02:00 UTC is 10:00 in China.
        assert_eq!(cst(1_748_743_200_000), "2025-06-01 10:00");
    }

    #[test]
    fn answers_read_as_a_person_reads_them() {
        let q: Question = serde_json::from_value(json!({"id":"n","type":"multi","label_zh":"需求",
            "label_en":"Needs","choices":[{"id":"meals","label_zh":"送餐","label_en":"meals"},
            {"id":"medical","label_zh":"就医","label_en":"medical"}]}))
        .unwrap();
        let v = json!(["meals", "medical"]);
        assert!(matches!(answer_cell(&q, Some(&v), Lang::Zh), Cell::Text(s) if s == "送餐、就医"));
        assert!(
            matches!(answer_cell(&q, Some(&v), Lang::En), Cell::Text(s) if s == "meals, medical")
        );
        let p: Question = serde_json::from_value(
            json!({"id":"p","type":"text","label_zh":"电话","label_en":"Phone","binds":"person_phone"}),
        )
        .unwrap();
        assert!(
            matches!(answer_cell(&p, Some(&json!("13812341234")), Lang::Zh), Cell::Text(s) if s == "138****1234")
        );
        let y: Question = serde_json::from_value(
            json!({"id":"y","type":"yesno","label_zh":"是否","label_en":"Y"}),
        )
        .unwrap();
        assert!(
            matches!(answer_cell(&y, Some(&json!(false)), Lang::En), Cell::Text(s) if s == "No")
        );
        assert!(matches!(answer_cell(&y, None, Lang::En), Cell::Text(s) if s.is_empty()));
    }
}
