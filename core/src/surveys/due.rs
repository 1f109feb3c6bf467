//! Due lists and rates (S1, S2, S5): pure functions of dates and answers, which the replica's views
//! (`views.rs`) feed from the merged state.
//!
//! - **S1, needs survey every half year.** "Older than six months" is by calendar months: a survey on
//!   day D is due again from the same day six months later, [`add_months`] (a day the month lacks falls
//!   back to its last day: 2026-08-31 → 2027-02-28). So as of 2026-12-01, a survey of 2026-05-31 (due
//!   from 2026-11-30) and one of 2026-06-01 (due from 2026-12-01) are due, one of 2026-06-02 (due from
//!   2026-12-02) is not. A key-group person never surveyed is due. The interval is the rule set's
//!   `surveys.needs_interval_months`.
//! - **S2, 4 visits a year** for 65+ with a helper device: the visits are the distinct dates, from 1
//!   January of `as_of`'s year to `as_of`, on which their household had a visit that found someone
//!   (`answered`) or a response about the household or them — a visit and a response at one door on one
//!   day count once. Fewer than the rule set's `helper_device_visits_per_year` is due.
//! - **S5 satisfaction rates**: per topic, among the responses that answered a question with that topic,
//!   the share satisfied (a yes, or a choice marked `satisfied`), against the rule set's threshold.

use super::conditions::is_answered;
use super::forms::{Form, QuestionKind};
use crate::date::Date;
use crate::rules::{Fraction, SurveyRules};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// `d` plus `months` calendar months, the day clamped to the target month's last day.
pub fn add_months(d: Date, months: u32) -> Date {
    let (y, m, day) = d.ymd();
    let idx = y * 12 + (m as i32 - 1) + months as i32;
    let (ny, nm) = (idx.div_euclid(12), idx.rem_euclid(12) as u32 + 1);
    (1..=day)
        .rev()
        .find_map(|dd| Date::from_ymd(ny, nm, dd))
        .unwrap_or(d)
}

/// A key-group person (H4) and the date of their last needs survey.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedsPerson {
    pub person_id: Uuid,
    pub last_survey: Option<Date>,
}

/// A person whose needs survey is due (S1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeedsDue {
    pub person_id: Uuid,
    /// `None`: never surveyed.
    pub last_survey: Option<Date>,
    /// The day it fell due (`None` if never surveyed).
    pub due_since: Option<Date>,
}

/// S1: the persons whose last needs survey is `needs_interval_months` or more calendar months before
/// `as_of`, or who were never surveyed; in the input's order.
pub fn needs_due(persons: &[NeedsPerson], as_of: Date, r: &SurveyRules) -> Vec<NeedsDue> {
    persons
        .iter()
        .filter_map(|p| {
            let due_since = p
                .last_survey
                .map(|d| add_months(d, r.needs_interval_months));
            due_since
                .is_none_or(|due| due <= as_of)
                .then_some(NeedsDue {
                    person_id: p.person_id,
                    last_survey: p.last_survey,
                    due_since,
                })
        })
        .collect()
}

/// A 65+ person with a helper device and the dates someone visited them (any year; duplicates fine).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitedPerson {
    pub person_id: Uuid,
    pub visit_dates: Vec<Date>,
}

/// A person short of S2's visits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VisitsDue {
    pub person_id: Uuid,
    /// Distinct visit dates this year up to `as_of`.
    pub visits: u32,
    pub required: u32,
    pub short: u32,
}

/// Distinct dates of `dates` in `as_of`'s year, up to `as_of`.
pub fn visits_this_year(dates: &[Date], as_of: Date) -> u32 {
    dates
        .iter()
        .filter(|d| d.year() == as_of.year() && **d <= as_of)
        .collect::<BTreeSet<_>>()
        .len() as u32
}

/// S2: the persons with fewer than `helper_device_visits_per_year` visits this year; in input order.
pub fn visits_due(persons: &[VisitedPerson], as_of: Date, r: &SurveyRules) -> Vec<VisitsDue> {
    let required = r.helper_device_visits_per_year;
    persons
        .iter()
        .filter_map(|p| {
            let visits = visits_this_year(&p.visit_dates, as_of);
            (visits < required).then(|| VisitsDue {
                person_id: p.person_id,
                visits,
                required,
                short: required - visits,
            })
        })
        .collect()
}

/// One S5 topic's rate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SatisfactionRate {
    pub topic: String,
    /// Responses that answered a question of the topic.
    pub answered: u64,
    pub satisfied: u64,
    pub rate: f64,
    pub threshold: f64,
    pub met: bool,
}

/// S5: per topic measured by the given responses' forms, the satisfied share against the rule set's
/// threshold (exact: `Fraction::met_by`); topics in name order. A response answering two questions of
/// one topic counts once per question.
pub fn satisfaction_rates(
    responses: &[(&Form, &BTreeMap<String, Value>)],
    r: &SurveyRules,
) -> Vec<SatisfactionRate> {
    let mut counts: BTreeMap<&str, (u64, u64)> = BTreeMap::new();
    for (form, answers) in responses {
        for q in &form.questions {
            let Some(topic) = q.topic.as_deref() else {
                continue;
            };
            let slot = counts.entry(topic).or_default();
            let a = answers.get(&q.id);
            if !is_answered(a) {
                continue;
            }
            let a = a.expect("answered");
            let satisfied = match q.kind {
                QuestionKind::Yesno => a == &Value::Bool(true),
                _ => a
                    .as_str()
                    .is_some_and(|id| q.choices.iter().any(|c| c.id == id && c.satisfied)),
            };
            slot.0 += 1;
            slot.1 += satisfied as u64;
        }
    }
    counts
        .into_iter()
        .map(|(topic, (answered, satisfied))| {
            let f = r.satisfaction_min.get(topic).copied().unwrap_or(Fraction {
                num: 1,
                den: 1,
                strict: false,
            });
            SatisfactionRate {
                topic: topic.to_string(),
                answered,
                satisfied,
                rate: if answered == 0 {
                    0.0
                } else {
                    satisfied as f64 / answered as f64
                },
                threshold: f.num as f64 / f.den as f64,
                met: f.met_by(satisfied as u128, answered as u128),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use serde_json::json;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn calendar_months() {
        assert_eq!(add_months(d("2026-05-31"), 6), d("2026-11-30"));
        assert_eq!(add_months(d("2026-06-02"), 6), d("2026-12-02"));
        assert_eq!(add_months(d("2026-08-31"), 6), d("2027-02-28"));
        assert_eq!(add_months(d("2027-08-31"), 6), d("2028-02-29"));
        assert_eq!(add_months(d("2026-12-15"), 1), d("2027-01-15"));
    }

    /// S1 with hand-worked dates, as of 2026-12-01 and six months.
    #[test]
    fn needs_survey_due() {
        let r = RuleSet::default().surveys;
        let p = |n: u128, last: Option<&str>| NeedsPerson {
            person_id: Uuid::from_u128(n),
            last_survey: last.map(d),
        };
        let due = needs_due(
            &[
                p(1, Some("2026-05-31")),
                p(2, Some("2026-06-02")),
                p(3, None),
                p(4, Some("2026-06-01")),
                p(5, Some("2026-11-30")),
            ],
            d("2026-12-01"),
            &r,
        );
        let ids: Vec<u128> = due.iter().map(|x| x.person_id.as_u128()).collect();
        assert_eq!(ids, [1, 3, 4]);
        assert_eq!(due[0].due_since, Some(d("2026-11-30")));
        assert_eq!(due[1].due_since, None, "never surveyed");
        assert_eq!(due[2].due_since, Some(d("2026-12-01")), "due on the day");
        // A day later the one of 2026-06-02 is due.
        assert_eq!(
            needs_due(&[p(2, Some("2026-06-02"))], d("2026-12-02"), &r).len(),
            1
        );
    }

    /// S2: 4 visits a year; last year's, later ones and a second on one day do not count.
    #[test]
    fn helper_device_visits() {
        let r = RuleSet::default().surveys;
        let dates = [
            "2025-12-30",
            "2026-01-10",
            "2026-01-10",
            "2026-04-02",
            "2026-07-08",
            "2026-11-20",
        ]
        .map(d);
        assert_eq!(visits_this_year(&dates, d("2026-09-30")), 3);
        assert_eq!(visits_this_year(&dates, d("2026-12-31")), 4);
        let people = [VisitedPerson {
            person_id: Uuid::from_u128(7),
            visit_dates: dates.to_vec(),
        }];
        assert_eq!(
            visits_due(&people, d("2026-09-30"), &r),
            [VisitsDue {
                person_id: Uuid::from_u128(7),
                visits: 3,
                required: 4,
                short: 1
            }]
        );
        assert!(visits_due(&people, d("2026-12-31"), &r).is_empty());
    }

    /// S5: environment ≥ 90%, police ≥ 80%. Ten responses: 9 satisfied with the environment (0.9, met
    /// exactly), 7 satisfied with the police of 9 who answered (0.777…, not met).
    #[test]
    fn satisfaction_against_thresholds() {
        let r = RuleSet::default().surveys;
        let form: Form = serde_json::from_value(json!({"id":"s","version":1,"questions":[
            {"id":"env","type":"single","topic":"environment","choices":[
                {"id":"good","satisfied":true},{"id":"ok","satisfied":true},{"id":"bad"}]},
            {"id":"police","type":"yesno","topic":"police"}
        ]}))
        .unwrap();
        let answers: Vec<BTreeMap<String, Value>> = (0..10)
            .map(|i| {
                let env = if i == 0 {
                    "bad"
                } else if i % 2 == 0 {
                    "good"
                } else {
                    "ok"
                };
                let mut m = BTreeMap::from([("env".to_string(), json!(env))]);
                if i != 9 {
                    m.insert("police".into(), json!(i < 7));
                }
                m
            })
            .collect();
        let input: Vec<_> = answers.iter().map(|a| (&form, a)).collect();
        let rates = satisfaction_rates(&input, &r);
        assert_eq!(rates.len(), 2);
        assert_eq!(
            (
                rates[0].topic.as_str(),
                rates[0].answered,
                rates[0].satisfied,
                rates[0].rate,
                rates[0].threshold,
                rates[0].met
            ),
            ("environment", 10, 9, 0.9, 0.9, true)
        );
        assert_eq!(
            (
                rates[1].topic.as_str(),
                rates[1].answered,
                rates[1].satisfied,
                rates[1].threshold,
                rates[1].met
            ),
            ("police", 9, 7, 0.8, false)
        );
    }
}
