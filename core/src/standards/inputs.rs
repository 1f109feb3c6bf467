//! The computed rows' inputs from what Linli already holds (issue 14 "Inputs computed, not typed";
//! RULES E7): the roster's households and persons, the volunteers and their confirmed hours (V1, V3,
//! V4), and the satisfaction responses (S5), read from a `Replica`.
//!
//! | row | input | from |
//! |---|---|---|
//! | SIX-29, SH-4-6 | registered volunteers ÷ persons | V1's `registered` (active, registered by `as_of`) over the roster's persons |
//! | SIX-CY-6 | party members and students with ≥ 20 confirmed hours ÷ party members and students | V4 |
//! | SIX-BZ-10c | volunteers with a confirmed service in the month ÷ registered | V3, the last completed month of the year (January while January runs) |
//! | ZZ-PLAN-SIZE | households | the roster |
//! | SIX-9, SIX-16, SIX-45a, SIX-45b, SIX-CY-9, SH-2-5, SH-3-2, DIS-3 | satisfied ÷ answered | S5 by topic (environment, committee, police, safety, subdistrict, party_work, public_affairs, management), responses from 1 January to `as_of` |
//!
//! | LRN-7b | person-times ÷ persons | the activities log's people, every type, in the year up to `as_of`, over the roster's persons |
//! | the rows the log types feed (SIX-12, SIX-54, SIX-68a…, `logs.rs`) | the dates held | the activities and meetings logs, by type, in the year up to `as_of`, with any dates entered for the row before |
//!
//! The other computed rows need registers Linli does not keep yet (postings, disputes, the REG-…
//! registers): they stay `no_data` until typed or until their register exists — adding one is a new line
//! here, not a change to the engine; a new activity or meeting type is a change of data alone.

use super::catalogue::Catalogue;
use super::evaluate::Input;
use super::logs::{Log, LogEntryFields, LogTypes};
use super::rules::StandardsRules;
use crate::date::Date;
use crate::exact::Exact;
use crate::registry::EntityKind;
use crate::rules::RuleSet;
use crate::surveys::forms::Purpose;
use crate::sync::Replica;
use std::collections::HashMap;

/// The rows this file computes (the table above): they are never typed in (`standard_entry` refuses
/// them). Every other row, computed ones whose register Linli does not keep included, may be typed.
pub const COMPUTED_BY_LINLI: &[&str] = &[
    "SIX-29",
    "SH-4-6",
    "SIX-CY-6",
    "SIX-BZ-10c",
    "ZZ-PLAN-SIZE",
    "SIX-9",
    "SIX-16",
    "SIX-45a",
    "SIX-45b",
    "SIX-CY-9",
    "SH-2-5",
    "SH-3-2",
    "DIS-3",
    "LRN-7b",
];

/// The records a computed row counts (计入的记录), so a value can be opened to them: the app links each
/// to the list that holds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Records {
    /// The volunteers (V1, V3, V4: registered, active in the month, party members and students).
    Volunteers,
    /// The roster's households.
    Households,
    /// The satisfaction survey's responses (S5).
    SatisfactionResponses,
    /// The activities or meetings log's entries of the types that feed the row.
    Log(Log),
}

/// The records behind computed row `id` under the rule set's log types; `None` for a row Linli does not
/// compute.
pub fn records_behind(id: &str, types: &LogTypes) -> Option<Records> {
    if let Some(log) = types.log_of_row(id) {
        return Some(Records::Log(log));
    }
    match id {
        "SIX-29" | "SH-4-6" | "SIX-CY-6" | "SIX-BZ-10c" => Some(Records::Volunteers),
        "ZZ-PLAN-SIZE" => Some(Records::Households),
        "LRN-7b" => Some(Records::Log(Log::Activity)),
        _ if SATISFACTION_ROWS.iter().any(|(_, rows)| rows.contains(&id)) => {
            Some(Records::SatisfactionResponses)
        }
        _ => None,
    }
}

/// Satisfaction topic (S5, `SurveyRules::satisfaction_min`) → the rows it computes.
const SATISFACTION_ROWS: &[(&str, &[&str])] = &[
    ("environment", &["SIX-9"]),
    ("committee", &["SIX-16"]),
    ("police", &["SIX-45a"]),
    ("safety", &["SIX-45b"]),
    ("subdistrict", &["SIX-CY-9"]),
    ("party_work", &["SH-2-5"]),
    ("public_affairs", &["SH-3-2"]),
    ("management", &["DIS-3"]),
];

fn share(num: u64, den: u64) -> Input {
    Input::Share {
        num: Exact::int(num as i64),
        den: Exact::int(den as i64),
    }
}

impl Replica {
    /// The inputs of every computed row whose data the replica holds, by indicator id, for the calendar
    /// `year` as of `as_of` (every standard's rows: [`for_standard`] keeps one standard's).
    pub fn standards_inputs(
        &self,
        community: &str,
        year: i32,
        as_of: Date,
        rules: &RuleSet,
    ) -> HashMap<String, Input> {
        let mut out = HashMap::new();
        // Counted on the index, without reading the records (a community of 5,000 households).
        let (mut households, mut persons) = (0u64, 0u64);
        for (c, _) in self.root_records(community, EntityKind::Compound) {
            for (b, _) in self.child_records(EntityKind::Building, c) {
                for (u, _) in self.child_records(EntityKind::Unit, b) {
                    for (h, _) in self.child_records(EntityKind::Household, u) {
                        households += 1;
                        persons += self.child_records(EntityKind::Person, h).count() as u64;
                    }
                }
            }
        }
        out.insert(
            "ZZ-PLAN-SIZE".to_string(),
            Input::Value(Exact::int(households as i64)),
        );
        // The figures as of `as_of`, or as of the year's end for a past year.
        let end = Date::from_ymd(year, 12, 31).map_or(as_of, |e| e.min(as_of));
        match self.volunteer_stats(community, end, persons, &rules.volunteers) {
            Ok(stats) => {
                for id in ["SIX-29", "SH-4-6"] {
                    out.insert(id.to_string(), share(stats.registered, persons));
                }
                out.insert(
                    "SIX-CY-6".to_string(),
                    share(
                        stats.party_students.with_20_hours,
                        stats.party_students.members,
                    ),
                );
                let (_, m, _) = end.ymd();
                // The year over: December; else the month before `as_of`'s (January while it runs).
                let last_completed = if as_of > end || m == 1 { m } else { m - 1 };
                let month = format!("{year:04}-{last_completed:02}");
                if let Some(a) = stats.active_by_month.iter().find(|a| a.month == month) {
                    out.insert("SIX-BZ-10c".to_string(), share(a.active, stats.registered));
                }
            }
            // No persons on the roster yet (the figures need a population): the rates have no data.
            Err(_) => {
                for id in ["SIX-29", "SH-4-6"] {
                    out.insert(id.to_string(), share(0, 0));
                }
            }
        }
        // The logs: each fed row's dates held in the year by `as_of`, from the types that feed it.
        let types = StandardsRules::of(rules)
            .map(|r| r.log_types)
            .unwrap_or_default();
        let fed = types.rows_fed();
        let year_start = Date::from_ymd(year, 1, 1);
        let held: Vec<LogEntryFields> = self
            .root_records(community, EntityKind::LogEntry)
            .filter_map(|(_, r)| r.get::<LogEntryFields>())
            .filter(|f| Some(f.date) >= year_start && f.date <= end)
            .collect();
        // LRN-7b: the year's person-times at activities over the residents (no persons: no data).
        let person_times: u64 = held
            .iter()
            .filter(|f| f.log == Log::Activity)
            .map(|f| u64::from(f.people))
            .sum();
        out.insert("LRN-7b".to_string(), share(person_times, persons));
        {
            for (row, feeders) in fed {
                let mut dates: Vec<Date> = held
                    .iter()
                    .filter(|f| feeders.iter().any(|(l, t)| *l == f.log && *t == f.type_id))
                    .map(|f| f.date)
                    .collect();
                dates.sort_unstable();
                out.insert(row.to_string(), Input::Dates(dates));
            }
        }
        // S5 reads every door's responses: only when the community has a satisfaction form.
        let satisfaction_forms = self
            .form_versions(community)
            .iter()
            .any(|f| f.fields.purpose == Purpose::Satisfaction);
        if let (true, Some(from)) = (satisfaction_forms, Date::from_ymd(year, 1, 1)) {
            for rate in self.satisfaction(community, from, end, &rules.surveys) {
                let rows = SATISFACTION_ROWS
                    .iter()
                    .find(|(t, _)| *t == rate.topic)
                    .map_or(&[][..], |(_, rows)| *rows);
                for id in rows {
                    out.insert(id.to_string(), share(rate.satisfied, rate.answered));
                }
            }
        }
        out
    }
}

/// The inputs that belong to one standard.
pub fn for_standard(standard: &str, inputs: &HashMap<String, Input>) -> HashMap<String, Input> {
    let Some(std) = Catalogue::get().standard(standard) else {
        return HashMap::new();
    };
    inputs
        .iter()
        .filter(|(id, _)| std.indicator(id).is_some())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

impl Replica {
    /// 达标自评: each of `standards` evaluated from this replica's records for the year of `as_of` — the
    /// rows Linli computes (`standards_inputs`) and the entered rows' latest entries made by `as_of` —
    /// under `rules`. What the app's self-check pages, the server's workbook and the side-by-side view
    /// show; the inputs are gathered once for all the standards asked.
    pub fn self_check(
        &self,
        community: &str,
        standards: &[&str],
        rules: &RuleSet,
        as_of: Date,
    ) -> Vec<super::Evaluation> {
        let (year, _, _) = as_of.ymd();
        // Entered rows first; the computed rows cannot be entered, so nothing typed is replaced.
        let mut inputs = self.entered_inputs(community, as_of);
        for (id, computed) in self.standards_inputs(community, year, as_of, rules) {
            // A row a log now feeds keeps the dates entered for it before (nothing typed is lost); a
            // typed day the log also holds is the same event, counted once.
            let merged = match (inputs.remove(&id), computed) {
                (Some(Input::Dates(typed)), Input::Dates(mut held)) => {
                    let logged = held.clone();
                    held.extend(typed.into_iter().filter(|d| !logged.contains(d)));
                    held.sort_unstable();
                    Input::Dates(held)
                }
                (_, computed) => computed,
            };
            inputs.insert(id, merged);
        }
        standards
            .iter()
            .filter_map(|s| {
                super::evaluate(s, rules, "default", year, as_of, &for_standard(s, &inputs)).ok()
            })
            .collect()
    }
}

#[cfg(test)]
mod records_tests {
    use super::*;

    fn records_behind(id: &str) -> Option<Records> {
        super::records_behind(id, &LogTypes::default())
    }

    #[test]
    fn every_computed_row_names_the_records_behind_it() {
        for id in COMPUTED_BY_LINLI {
            assert!(records_behind(id).is_some(), "{id}");
        }
        assert_eq!(records_behind("SIX-29"), Some(Records::Volunteers));
        assert_eq!(records_behind("ZZ-PLAN-SIZE"), Some(Records::Households));
        assert_eq!(
            records_behind("DIS-3"),
            Some(Records::SatisfactionResponses)
        );
        // A row typed in has no records of Linli's behind it.
        assert_eq!(records_behind("ZZ-STAR-CIV-1"), None);
        // A row a log type feeds opens that log.
        assert_eq!(records_behind("SIX-54"), Some(Records::Log(Log::Activity)));
        assert_eq!(records_behind("SAFEC-1"), Some(Records::Log(Log::Meeting)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn satisfaction_rows_are_computed_shares_of_known_topics() {
        let cat = super::Catalogue::get();
        let topics = crate::rules::SurveyRules::default().satisfaction_min;
        for (topic, rows) in super::SATISFACTION_ROWS {
            let f = topics[*topic];
            for id in *rows {
                let (_, i) = cat.indicator(id).unwrap();
                // The catalogue's threshold is the rule set's S5 threshold for the topic.
                assert_eq!(
                    i.threshold,
                    crate::exact::Exact::ratio(f.num as i128, f.den as i128),
                    "{id}"
                );
                assert_eq!(
                    (i.kind, i.class),
                    (super::super::Kind::Share, super::super::Class::Computed),
                    "{id}"
                );
            }
        }
    }
}
