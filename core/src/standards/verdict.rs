//! Verdicts (结论): how each standard turns its indicators into a verdict (STANDARDS.md §2; RULES E1,
//! E3–E5), and the status of each group.
//!
//! A group's status comes from its deciding rows only (not optional, with a pass mark): `not_met` if one
//! is not met, else `no_data` if one has no data, else `in_progress` if one is in progress, else `met`;
//! a group without deciding rows is `no_threshold`.
//! - Zhengzhou (E1): a star passes when its group is met. `city` = all 16 stars; `district` = ≥ 10
//!   including the office-space (OFFICE), hygienic/property-management (HYG) and service (SERV) stars;
//!   `sub-district` = ≥ 10 and the office-area row of the rule set (ZZ-OFF-AREA-2, ≥ 500 m²) met. With
//!   the fire gate on the whole application (the default), a fire in the year (ZZ-STAR-SAFE-9 not met)
//!   gives no level at all. `blocked_by` names what holds the level below what the star count alone
//!   would give: the gate row, the missing mandatory stars, the area row. A level is "may be
//!   recommended at", never a title.
//! - Shanghai (E3): all ten standards 四(一)–(十), the two prerequisite titles (SH-7-8, SH-9-4) among
//!   them and reported apart.
//! - Six-type (E4): each second-level heading is a group; blocks and the whole table score the weighted
//!   share of headings met (weights as data, 1 each by default) and pass at the pass score (1: all).
//! - Learning (E5): all ten articles. The 003 and 004 targets: every group (no rule in the seeds).
//!
//! A group without deciding rows never holds a verdict back. The shapes:
//! - zhengzhou `{"stars_met":["HYG",…],"level":"city"|"district"|"sub-district"|null,"blocked_by"?:[…]}`
//! - shanghai `{"standards_met":["SH-1",…],"prerequisites":[{"id":"SH-7-8","status":"met"},…],"met":bool}`
//! - six-type `{"headings_met":[…],"blocks":[{"id":"GD","status","score","met"},…],"score","pass_score":"1","met":bool}`
//! - learning `{"articles_met":["LRN-1",…],"met":bool}`; plans-003, opinions-004 `{"groups_met":[…],"met":bool}`

use super::catalogue::Standard;
use super::evaluate::{IndicatorResult, Status};
use super::rules::{FireGate, StandardsRules};
use crate::exact::Exact;
use serde::Serialize;
use serde_json::{Value, json};

/// One group's status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupResult {
    pub id: String,
    pub status: Status,
    /// Deciding rows met, and deciding rows.
    pub rows_met: usize,
    pub rows_deciding: usize,
}

/// The status of a set of results by the precedence above.
pub fn combine<'a>(rows: impl IntoIterator<Item = &'a Status>) -> Status {
    let (mut any, mut not_met, mut no_data, mut in_progress) = (false, false, false, false);
    for s in rows {
        any = true;
        match s {
            Status::NotMet => not_met = true,
            Status::NoData => no_data = true,
            Status::InProgress => in_progress = true,
            Status::Met | Status::NoThreshold => {}
        }
    }
    match () {
        _ if !any => Status::NoThreshold,
        _ if not_met => Status::NotMet,
        _ if no_data => Status::NoData,
        _ if in_progress => Status::InProgress,
        _ => Status::Met,
    }
}

/// Every group of the standard, in the catalogue's order.
pub fn groups(std: &Standard, results: &[IndicatorResult]) -> Vec<GroupResult> {
    std.groups
        .iter()
        .map(|g| {
            let rows: Vec<&IndicatorResult> = std
                .indicators
                .iter()
                .zip(results)
                .filter(|(ind, r)| ind.group == g.id && r.decides)
                .map(|(_, r)| r)
                .collect();
            GroupResult {
                id: g.id.clone(),
                status: combine(rows.iter().map(|r| &r.status)),
                rows_met: rows.iter().filter(|r| r.status == Status::Met).count(),
                rows_deciding: rows.len(),
            }
        })
        .collect()
}

/// A group passes when met, or when none of its rows decides.
fn passes(g: &GroupResult) -> bool {
    matches!(g.status, Status::Met | Status::NoThreshold)
}

fn status_of<'a>(results: &'a [IndicatorResult], id: &str) -> Option<&'a IndicatorResult> {
    results.iter().find(|r| r.id == id)
}

fn met_ids(groups: &[GroupResult]) -> Vec<String> {
    groups
        .iter()
        .filter(|g| g.status == Status::Met)
        .map(|g| g.id.clone())
        .collect()
}

/// The standard's verdict as JSON (shapes above).
pub fn verdict(
    std: &Standard,
    results: &[IndicatorResult],
    groups: &[GroupResult],
    rules: &StandardsRules,
) -> Value {
    let group = |id: &str| groups.iter().find(|g| g.id == id);
    let v = std.verdict.clone().unwrap_or_default();
    match std.standard.as_str() {
        "zhengzhou" => {
            let stars_met: Vec<String> = v
                .stars
                .iter()
                .filter(|s| group(s).is_some_and(|g| g.status == Status::Met))
                .cloned()
                .collect();
            let n = stars_met.len();
            let gate = rules.fire_gate == FireGate::Application
                && status_of(results, &v.fire_gate_row).is_some_and(|r| r.status == Status::NotMet);
            let missing: Vec<String> = v
                .district_mandatory
                .iter()
                .filter(|m| !stars_met.contains(m))
                .cloned()
                .collect();
            let area_ok =
                status_of(results, &rules.office_area_row).is_some_and(|r| r.status == Status::Met);
            let mut blocked_by = Vec::new();
            let level = if gate {
                blocked_by.push(v.fire_gate_row.clone());
                None
            } else if n >= v.city_stars {
                Some("city")
            } else if n >= v.district_stars && missing.is_empty() {
                Some("district")
            } else {
                if n >= v.district_stars {
                    blocked_by.extend(missing);
                }
                if n >= v.subdistrict_stars && area_ok {
                    Some("sub-district")
                } else {
                    if n >= v.subdistrict_stars {
                        blocked_by.push(rules.office_area_row.clone());
                    }
                    None
                }
            };
            let mut out = json!({ "stars_met": stars_met, "level": level });
            if !blocked_by.is_empty() {
                out["blocked_by"] = json!(blocked_by);
            }
            out
        }
        "shanghai" => {
            let prerequisites: Vec<Value> = v
                .prerequisites
                .iter()
                .map(|p| json!({ "id": p, "status": status_of(results, p).map(|r| r.status) }))
                .collect();
            json!({
                "standards_met": met_ids(groups),
                "prerequisites": prerequisites,
                "met": groups.iter().all(passes),
            })
        }
        "six-type" => {
            let weight = |id: &str| {
                rules.six_type_weights.get(id).copied().unwrap_or_else(|| {
                    std.groups
                        .iter()
                        .find(|g| g.id == id)
                        .and_then(|g| g.weight)
                        .unwrap_or(Exact::ONE)
                })
            };
            let score = |ids: &[&str]| {
                let total = ids.iter().fold(Exact::ZERO, |a, id| a.plus(weight(id)));
                let met = ids
                    .iter()
                    .filter(|id| group(id).is_some_and(passes))
                    .fold(Exact::ZERO, |a, id| a.plus(weight(id)));
                met.checked_div(total).unwrap_or(Exact::ZERO)
            };
            let pass = rules
                .six_type_pass_score
                .or(v.pass_score)
                .unwrap_or(Exact::ONE);
            let blocks: Vec<Value> = v
                .blocks
                .iter()
                .map(|b| {
                    let ids: Vec<&str> = std
                        .groups
                        .iter()
                        .filter(|g| g.block.as_deref() == Some(&b.id))
                        .map(|g| g.id.as_str())
                        .collect();
                    let s = score(&ids);
                    json!({
                        "id": b.id,
                        "status": combine(ids.iter().filter_map(|id| group(id)).map(|g| &g.status)),
                        "score": s.to_json_number(),
                        "met": s >= pass,
                    })
                })
                .collect();
            let all: Vec<&str> = std.groups.iter().map(|g| g.id.as_str()).collect();
            let s = score(&all);
            json!({
                "headings_met": met_ids(groups),
                "blocks": blocks,
                "score": s.to_json_number(),
                "pass_score": pass.to_string(),
                "met": s >= pass,
            })
        }
        "learning" => json!({
            "articles_met": met_ids(groups),
            "met": groups.iter().all(passes),
        }),
        _ => json!({
            "groups_met": met_ids(groups),
            "met": groups.iter().all(passes),
        }),
    }
}
