//! The self-check report's rows (自评报告, RULES E6) in words: what the app's printable page and the
//! server's XLSX both show, made here once — each row's status, value, threshold and gap, and for an
//! entered row its latest entry (who, when, the evidence named, how many photos).

use super::Evaluation;
use super::catalogue::{Indicator, Kind, Standard};
use super::entries::StandardEntry;
use super::evaluate::{IndicatorResult, Status};
use super::words::{self, Words};
use crate::date::Date;
use crate::error::Lang;
use crate::i18n::fill;
use serde_json::Value;
use std::collections::HashMap;

/// One row of the report, every cell as text in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportRow {
    pub id: String,
    /// The group (star, heading, article) the standard puts the row in.
    pub group: String,
    pub name: String,
    pub status: Status,
    pub value: String,
    /// The comparator and threshold in force ("≥ 10.0%"), or the catalogue's words when it sets none.
    pub target: String,
    /// The gap sentence (还差 2 名志愿者), empty when there is none.
    pub gap: String,
    /// The latest entry of an entered row (录入：wang 2026-03-02 · 台账第 3 册 · 照片 2 张), else empty.
    pub entry: String,
    /// The photos of that entry (照片佐证), by id.
    pub photos: Vec<uuid::Uuid>,
}

/// A value or threshold as people read it: shares in percent (one decimal), a checklist as 已具备 /
/// 未具备, the rest rounded to two decimals with the row's unit; no value is "—".
pub fn value_text(ind: &Indicator, v: &Value, lang: Lang) -> String {
    let unit = match lang {
        Lang::Zh => ind.unit_zh.as_deref(),
        Lang::En => ind.unit.as_deref(),
    }
    .unwrap_or_default();
    let num = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        Value::Bool(b) => {
            return if *b { Words::Done } else { Words::NotDone }
                .text(lang)
                .into();
        }
        _ => None,
    };
    match (num, ind.kind) {
        (None, _) => "—".to_string(),
        (Some(x), Kind::Share) => format!("{:.1}%", x * 100.0),
        (Some(x), _) => format!("{} {unit}", (x * 100.0).round() / 100.0)
            .trim_end()
            .to_string(),
    }
}

/// What the row must reach: the comparator (as ≥, ≤, >, <, =) with the threshold in force, or the
/// catalogue's own words when it sets no number.
pub fn target_text(ind: &Indicator, r: &IndicatorResult, lang: Lang) -> String {
    match (&r.comparator, &r.threshold) {
        (Some(c), Some(t)) => {
            let sign = match *c {
                ">=" => "≥",
                "<=" => "≤",
                other => other,
            };
            format!(
                "{sign} {}",
                value_text(ind, &Value::String(t.clone()), lang)
            )
        }
        // The catalogue's words are English; in Chinese a checklist row reads 须具备 and a row the seed
        // gives no number 无标准值（仅展示）.
        _ if lang == Lang::Zh && ind.no_threshold => Words::NoThreshold.text(lang).to_string(),
        _ if lang == Lang::Zh && ind.kind == Kind::Checklist => {
            Words::Required.text(lang).to_string()
        }
        _ => ind.threshold_text.clone(),
    }
}

/// An entry in one line: who entered it and when (China time), the evidence named, the note, the photos.
pub fn entry_text(e: &StandardEntry, lang: Lang) -> String {
    let f = &e.fields;
    let when = Date::from_unix_ms_cst(f.at_ms as i64).to_string();
    let mut parts = vec![fill(Words::EnteredBy.text(lang), &[&f.entered_by, &when])];
    parts.extend(
        [&f.evidence, &f.note]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned(),
    );
    if !f.photos.is_empty() {
        parts.push(fill(
            Words::Photos.text(lang),
            &[&f.photos.len().to_string()],
        ));
    }
    parts.join(" · ")
}

/// The rows of `std` in the catalogue's order, from its evaluation `e` and the community's entries by
/// indicator id (each list oldest first, as `Replica::standard_entries` gives them; the one shown is the
/// latest made by `e.as_of`, the one the evaluation used).
pub fn rows(
    std: &Standard,
    e: &Evaluation,
    entries: &HashMap<String, Vec<StandardEntry>>,
    lang: Lang,
) -> Vec<ReportRow> {
    let results: HashMap<&str, &IndicatorResult> =
        e.indicators.iter().map(|r| (r.id.as_str(), r)).collect();
    std.indicators
        .iter()
        .filter_map(|ind| {
            let r = results.get(ind.id.as_str())?;
            // The entry in force on the evaluation's day: the latest made by then.
            let entry = entries.get(&ind.id).and_then(|list| {
                list.iter()
                    .rev()
                    .find(|x| Date::from_unix_ms_cst(x.fields.at_ms as i64) <= e.as_of)
            });
            Some(ReportRow {
                id: ind.id.clone(),
                group: ind.group.clone(),
                name: ind.name(lang).to_string(),
                status: r.status,
                value: value_text(ind, &r.value, lang),
                target: target_text(ind, r, lang),
                gap: words::gap_sentence(ind, r, lang).unwrap_or_default(),
                entry: entry.map(|x| entry_text(x, lang)).unwrap_or_default(),
                photos: entry.map(|x| x.fields.photos.clone()).unwrap_or_default(),
            })
        })
        .collect()
}

/// The verdict in one line: the groups met of all ("3/16 组达标"), and for Zhengzhou the stars met and the
/// level it may be recommended at (never a title, RULES E1/E7).
pub fn summary(e: &Evaluation, lang: Lang) -> String {
    let line = fill(
        Words::GroupsMet.text(lang),
        &[&e.groups_met().to_string(), &e.groups.len().to_string()],
    );
    if e.standard != "zhengzhou" {
        return line;
    }
    let stars = e
        .verdict
        .get("stars_met")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let level = words::level(e.level()).text(lang);
    format!(
        "{line} · {} · {level}",
        fill(Words::StarsMet.text(lang), &[&stars.to_string()])
    )
}

/// "指标目录 2026-1 · 规则 default（1）": the versions the evaluation used.
pub fn versions(e: &Evaluation, lang: Lang) -> String {
    fill(
        Words::ReportVersions.text(lang),
        &[&e.catalog_version, &e.rule_set.name, &e.rule_set.version],
    )
}

/// The report's column headings, in the order of [`ReportRow`]'s cells.
pub const COLUMNS: [Words; 7] = [
    Words::ColId,
    Words::ColIndicator,
    Words::ColStatus,
    Words::ColValue,
    Words::ColThreshold,
    Words::ColGap,
    Words::ColEntry,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exact::Exact;
    use crate::hlc::Hlc;
    use crate::standards::entries::StandardEntryFields;
    use crate::standards::{Catalogue, Input, evaluate_indicator};
    use crate::sync::Stamp;
    use serde_json::json;
    use uuid::Uuid;

    fn ind(id: &str) -> &'static Indicator {
        Catalogue::get().indicator(id).unwrap().1
    }

    #[test]
    fn a_share_reads_in_percent_and_its_target_with_the_comparator() {
        // SIX-29: registered volunteers ≥ 10% of residents; 18 of 200 is 9.0%, 2 short (hand-worked:
        // ceil(0.1 × 200) − 18 = 2).
        let i = ind("SIX-29");
        let as_of = Date::parse("2026-06-30").unwrap();
        let r = evaluate_indicator(
            i,
            i.threshold,
            Some(&Input::Share {
                num: Exact::int(18),
                den: Exact::int(200),
            }),
            2026,
            as_of,
        );
        assert_eq!(value_text(i, &r.value, Lang::Zh), "9.0%");
        assert_eq!(target_text(i, &r, Lang::Zh), "≥ 10.0%");
        assert_eq!(r.status, Status::NotMet);
    }

    #[test]
    fn a_target_without_a_number_reads_in_chinese() {
        let as_of = Date::parse("2026-06-30").unwrap();
        let done = |id: &str| {
            let i = ind(id);
            let r = evaluate_indicator(i, i.threshold, Some(&Input::Done(true)), 2026, as_of);
            (target_text(i, &r, Lang::Zh), target_text(i, &r, Lang::En))
        };
        // A checklist row ("yes" in the catalogue) and one the seed gives no number.
        assert_eq!(
            done("ZZ-STAR-CIV-1"),
            ("须具备".to_string(), "yes".to_string())
        );
        assert_eq!(done("ZZ-STAR-CIV-3").0, "无标准值（仅展示）");
    }

    #[test]
    fn a_checklist_value_reads_as_in_place_and_no_value_as_a_dash() {
        let i = ind("ZZ-STAR-CIV-1");
        assert_eq!(value_text(i, &json!(true), Lang::Zh), "已具备");
        assert_eq!(value_text(i, &json!(false), Lang::En), "Not in place");
        assert_eq!(value_text(i, &Value::Null, Lang::Zh), "—");
    }

    #[test]
    fn an_entry_names_who_when_the_evidence_the_note_and_the_photos() {
        let e = StandardEntry {
            id: Uuid::nil(),
            stamp: Stamp {
                hlc: Hlc { ms: 0, n: 0 },
                device: Uuid::nil(),
                op: Uuid::nil(),
            },
            fields: StandardEntryFields {
                indicator_id: "ZZ-STAR-CIV-1".into(),
                input: json!({"done": true}),
                note: String::new(),
                evidence: "制度汇编 2026 版".into(),
                entered_by: "wang".into(),
                // 2026-03-01 16:30 UTC is 2026-03-02 00:30 in China.
                at_ms: 1_772_382_600_000,
                photos: vec![Uuid::now_v7(), Uuid::now_v7()],
            },
        };
        assert_eq!(
            entry_text(&e, Lang::Zh),
            "录入：wang 2026-03-02 · 制度汇编 2026 版 · 照片 2 张"
        );
    }
}
