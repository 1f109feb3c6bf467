//! The rule set's `standards` section (issue 14; RULES E1, E7): thresholds a district sets differently
//! from the catalogue, and the readings STANDARDS.md §2 and §5 leave open — the fire gate, the
//! office-area row, the six-type weights and pass score.
//!
//! The section is kept in [`RuleSet`] as JSON (`RuleSet::standards`) and read here, so its reader is in a
//! Wasm only where the self-check runs. [`StandardsRules::of`] reads and checks it; an error names the
//! field (`standards.thresholds.SIX-99`, `standards.fire_gate`). Absent, every default holds.

use super::catalogue::{self, Catalogue, Kind};
use super::directors::FourthWeek;
use super::logs::{Log, LogTypes, is_type_id};
use crate::error::{ErrorCode, RuleError};
use crate::exact::Exact;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a fire in the year bars the whole Zhengzhou star application or only the safe star (RULES E1,
/// STANDARDS.md §5.1 7: 「已发生火灾的社区当年不得申报」).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FireGate {
    /// The default reading: no recommendation level at all in a year with a fire.
    #[default]
    Application,
    /// Only the safe star (四) fails.
    Star,
}

/// The standards self-check's readings (issue 14, RULES E1–E7): thresholds a district sets differently
/// from the catalogue, and the aggregation choices STANDARDS.md §2 and §5 leave open. Every field has a
/// default, so a rule file without this section (or with part of it) still loads; the indicator ids and
/// headings named here are checked against the catalogue ([`check_rules`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StandardsRules {
    /// Reported with every evaluation beside the catalogue's version.
    pub version: String,
    /// A threshold per indicator id, replacing the catalogue's: an exact decimal or fraction as a string
    /// (`"0.15"`, `"2/3"`), or `null` for "no pass mark" (the row is shown, never decides).
    pub thresholds: BTreeMap<String, Option<Exact>>,
    /// E1's fire gate.
    pub fire_gate: FireGate,
    /// E1: the office-area row that opens the sub-district level (≥ 500 m² by default, ZZ-OFF-AREA-2).
    pub office_area_row: String,
    /// Six-type: weight of each second-level heading (default 1 each), by heading id.
    pub six_type_weights: BTreeMap<String, Exact>,
    /// Six-type: the weighted share of headings met that passes overall; `null` takes the catalogue's
    /// (1: every heading).
    pub six_type_pass_score: Option<Exact>,
    /// The types of the activities and meetings logs and the rows each feeds (`logs.rs`); a list given
    /// replaces that log's default list.
    pub log_types: LogTypes,
    /// M5: how "the Friday of the 4th week" is read (`directors.rs`).
    pub directors_meeting_week: FourthWeek,
}

impl Default for StandardsRules {
    fn default() -> Self {
        StandardsRules {
            version: "default-1".into(),
            thresholds: BTreeMap::new(),
            fire_gate: FireGate::Application,
            office_area_row: "ZZ-OFF-AREA-2".into(),
            six_type_weights: BTreeMap::new(),
            six_type_pass_score: None,
            log_types: LogTypes::default(),
            directors_meeting_week: FourthWeek::CalendarWeek,
        }
    }
}

impl StandardsRules {
    /// The section of `rules`, read and checked against the catalogue.
    pub fn of(rules: &RuleSet) -> Result<StandardsRules, RuleError> {
        let r = if rules.standards.is_null() {
            StandardsRules::default()
        } else {
            StandardsRules::deserialize(&rules.standards).map_err(|e| {
                RuleError::field(ErrorCode::InvalidRequest, "standards").with_detail(e.to_string())
            })?
        };
        check_rules(&r)?;
        Ok(r)
    }
}

/// Checks a rule set's `standards` section against the catalogue; errors name the field
/// (`standards.thresholds.SIX-99`).
pub fn check_rules(rules: &StandardsRules) -> Result<(), RuleError> {
    let cat = Catalogue::get();
    let bad = |field: String, detail: String| {
        Err(RuleError::field(ErrorCode::InvalidRequest, field).with_detail(detail))
    };
    for (id, t) in &rules.thresholds {
        let field = format!("standards.thresholds.{id}");
        let Some((_, ind)) = cat.indicator(id) else {
            return bad(field, format!("{id} is not an indicator of the catalogue"));
        };
        if ind.kind == Kind::Checklist {
            return bad(
                field,
                format!("{id} is a checklist item: it has no threshold"),
            );
        }
        if let Some(t) = t {
            catalogue::check_threshold(ind, Some(*t)).or_else(|e| bad(field, e))?;
        }
    }
    match cat.indicator(&rules.office_area_row) {
        Some((s, ind)) if s.standard == "zhengzhou" && ind.kind == Kind::Quantity => {}
        _ => {
            return bad(
                "standards.office_area_row".into(),
                format!("{} is not a Zhengzhou area row", rules.office_area_row),
            );
        }
    }
    let six = cat
        .standard("six-type")
        .expect("six-type is in the catalogue");
    for (heading, w) in &rules.six_type_weights {
        let field = format!("standards.six_type_weights.{heading}");
        if !six.groups.iter().any(|g| g.id == *heading) {
            return bad(field, format!("{heading} is not a six-type heading"));
        }
        if w.is_negative() {
            return bad(field, format!("{w} is negative"));
        }
    }
    if rules
        .six_type_pass_score
        .is_some_and(|p| p.is_negative() || p > Exact::ONE)
    {
        return bad("standards.six_type_pass_score".into(), "0–1".into());
    }
    for log in [Log::Activity, Log::Meeting] {
        let list = rules.log_types.of(log);
        for (i, t) in list.iter().enumerate() {
            let field = format!("standards.log_types.{}[{i}]", log.as_str());
            if !is_type_id(&t.id) {
                return bad(
                    format!("{field}.id"),
                    format!("{:?}: letters, digits, _ and -", t.id),
                );
            }
            if list[..i].iter().any(|u| u.id == t.id) {
                return bad(format!("{field}.id"), format!("{} twice", t.id));
            }
            if t.zh.trim().is_empty() || t.en.trim().is_empty() {
                return bad(
                    format!("{field}.zh"),
                    "a name in Chinese and in English".into(),
                );
            }
            for row in &t.rows {
                let field = format!("{field}.rows");
                match cat.indicator(row) {
                    None => {
                        return bad(field, format!("{row} is not an indicator of the catalogue"));
                    }
                    Some((_, ind)) if !matches!(ind.kind, Kind::Count | Kind::Cadence) => {
                        return bad(
                            field,
                            format!("{row} is not a count or cadence: dates cannot feed it"),
                        );
                    }
                    _ if super::inputs::COMPUTED_BY_LINLI.contains(&row.as_str()) => {
                        return bad(field, format!("{row} is computed from other records"));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
}
