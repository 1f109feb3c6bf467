//! The standards self-check (达标自评, issue 14; RULES §5 E1–E7): every indicator of the five seeds as
//! data, evaluated exactly, with the gap in natural units and each standard's verdict.
//!
//! - `catalogue.rs` — the catalogue (`core/data/standards/*.json`, generated from STANDARDS.md),
//!   embedded and validated once: 483 rows (87 computed, 101 manual, 295 checklist).
//! - `evaluate.rs` — one indicator: status (`met`, `not_met`, `in_progress`, `no_data`, `no_threshold`)
//!   and gap, for the five kinds (share, count, cadence, quantity, checklist).
//! - `periods.rs` — the calendar sub-periods of a year for cadences.
//! - `verdict.rs` — group statuses and the verdicts of Zhengzhou (stars and level), Shanghai, six-type
//!   and learning (STANDARDS.md §2).
//! - `rules.rs` — the rule set's `standards` section, read and checked.
//! - `words.rs` — statuses, the gap sentence in natural units (还差 2 名志愿者), Zhengzhou's levels.
//! - `api.rs` — the embedding API's `standards.catalog` and `standards.evaluate`.
//! - `inputs.rs` — the inputs of the computed rows whose data Linli already holds, from a `Replica`.
//! - `overview.rs` — the sub-district's side-by-side view: each community's standing, sorted by gap.
//! - `report.rs` — the self-check report's rows in words (the app's printable page, the server's XLSX).
//! - `logs.rs` — `log_entry.put`: the activities and meetings logs (活动台账、会议记录), their types as
//!   data and the count and cadence rows they feed.
//! - `entries.rs` — `standard_entry.add`: what staff enter for manual and checklist rows (the latest
//!   counts; history kept).
//!
//! A rule set's `standards` section ([`StandardsRules`]) replaces thresholds and picks the
//! readings (fire gate, office-area row, six-type weights); [`check_rules`] checks it against the
//! catalogue. Every [`Evaluation`] names the catalogue version and the rule set (name and version).

pub mod api;
pub mod catalogue;
pub mod directors;
pub mod entries;
pub mod evaluate;
pub mod forms;
pub mod inputs;
pub mod logs;
pub mod overview;
pub mod periods;
pub mod report;
pub mod rules;
#[cfg(any(test, feature = "bench"))]
pub mod sample;
pub mod verdict;
pub mod words;

pub use catalogue::{Catalogue, Class, Comparator, Indicator, Kind, Period, Standard};
pub use entries::{StandardEntry, StandardEntryFields};
pub use evaluate::{Gap, IndicatorResult, Input, Status, evaluate_indicator};
pub use rules::{FireGate, StandardsRules, check_rules};
pub use verdict::GroupResult;

use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::exact::Exact;
use crate::rules::RuleSet;
use serde::Serialize;
use std::collections::HashMap;

/// The rule set an evaluation used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleSetUsed {
    pub name: String,
    pub version: String,
}

/// One standard evaluated (自评结果).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub standard: String,
    pub catalog_version: String,
    pub rule_set: RuleSetUsed,
    pub year: i32,
    pub as_of: Date,
    pub indicators: Vec<IndicatorResult>,
    pub groups: Vec<GroupResult>,
    pub verdict: serde_json::Value,
}

impl Evaluation {
    /// How many of the standard's groups are met.
    pub fn groups_met(&self) -> usize {
        self.groups
            .iter()
            .filter(|g| g.status == Status::Met)
            .count()
    }

    /// Zhengzhou's recommendation level (`city`, `district`, `sub-district`), if the verdict gives one.
    pub fn level(&self) -> Option<&str> {
        self.verdict.get("level").and_then(|l| l.as_str())
    }
}

/// The threshold in force for an indicator: the rule set's when it names the row, else the catalogue's.
pub fn threshold_in_force(ind: &Indicator, rules: &StandardsRules) -> Option<Exact> {
    match rules.thresholds.get(&ind.id) {
        Some(t) => *t,
        None => ind.threshold,
    }
}

/// Evaluates every indicator of `standard` for the calendar `year` as of `as_of`, with the inputs by
/// indicator id (a row without one is `no_data`), under `rules` (named `rule_set_name` in the answer).
pub fn evaluate(
    standard: &str,
    rules: &RuleSet,
    rule_set_name: &str,
    year: i32,
    as_of: Date,
    inputs: &HashMap<String, Input>,
) -> Result<Evaluation, RuleError> {
    let cat = Catalogue::get();
    let std = cat.standard(standard).ok_or_else(|| {
        RuleError::field(ErrorCode::OutOfRange, "standard")
            .with_detail(cat.names().collect::<Vec<_>>().join(" | "))
    })?;
    let readings = StandardsRules::of(rules)?;
    for (id, input) in inputs {
        match std.indicator(id) {
            None => {
                return Err(
                    RuleError::field(ErrorCode::InvalidRequest, format!("inputs.{id}"))
                        .with_detail(format!("{id} is not an indicator of {standard}")),
                );
            }
            Some(ind) if !input.fits(ind.kind) => {
                return Err(
                    RuleError::field(ErrorCode::InvalidRequest, format!("inputs.{id}"))
                        .with_detail(evaluate::expected(ind.kind)),
                );
            }
            Some(_) => {}
        }
    }
    let indicators: Vec<IndicatorResult> = std
        .indicators
        .iter()
        .map(|ind| {
            evaluate_indicator(
                ind,
                threshold_in_force(ind, &readings),
                inputs.get(&ind.id),
                year,
                as_of,
            )
        })
        .collect();
    let groups = verdict::groups(std, &indicators);
    let verdict = verdict::verdict(std, &indicators, &groups, &readings);
    Ok(Evaluation {
        standard: std.standard.clone(),
        catalog_version: cat.version.clone(),
        rule_set: RuleSetUsed {
            name: rule_set_name.to_string(),
            version: readings.version.clone(),
        },
        year,
        as_of,
        indicators,
        groups,
        verdict,
    })
}
