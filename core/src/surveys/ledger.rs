//! The service ledger (服务台账, S1) per household and per person, the household's visit status (S4),
//! and the conflicts of "collect once" (S6): pure functions over records and their stamps, so the same
//! set of records in any merge order gives the same answer.
//!
//! - **Ledger order**: by date, then by the stamp of the operation that made the record (HLC, device,
//!   operation id: a total order), so two entries of one day never swap places between devices.
//! - **Household status**: the latest event by (date, stamp) among its visits (their status) and its
//!   responses that are not rejected (`answered`), on or after `since` when given; `not_visited` without one.
//! - **Conflicts (S6)**: `sync.rs` keeps one last-writer-wins register per field and drops the loser, so
//!   concurrent values are not visible there; they are computed from the responses' bound answers
//!   instead. Two responses about the same household (and person, for a person's field) that each did not
//!   see the other (neither lists the other in `seen`) and give one bound field different values are a
//!   conflict, with both values — unless it was settled: a later response saw both, or the roster's field
//!   was written after both (staff settled it with a `person.put` / `household.put`).

use super::forms::Bind;
use super::records::{HouseholdStatus, Verdict};
use crate::date::Date;
use crate::sync::Stamp;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

/// What a ledger line records.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LedgerItem {
    /// A survey response (the latest review's verdict, if any).
    Response {
        form_id: Uuid,
        form_version: u32,
        title_zh: String,
        title_en: String,
        person_id: Option<Uuid>,
        collector: String,
        verdict: Option<Verdict>,
        fixes: Option<Uuid>,
    },
    /// A visit at the door.
    Visit {
        status: HouseholdStatus,
        collector: String,
        note: String,
    },
    /// A volunteer's confirmed service entry for a pair (结对, V5) with a person of the household.
    Service {
        volunteer_id: Uuid,
        pair_id: Uuid,
        person_id: Uuid,
        minutes: u32,
        content: String,
    },
}

/// One line of a ledger.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LedgerEntry {
    pub date: Date,
    /// The record (response, visit or service entry).
    pub id: Uuid,
    #[serde(flatten)]
    pub item: LedgerItem,
    /// The stamp of the operation that made it: the tie-break.
    #[serde(skip)]
    pub stamp: Stamp,
}

/// Puts ledger lines in their order (date, then stamp).
pub fn order_ledger(mut entries: Vec<LedgerEntry>) -> Vec<LedgerEntry> {
    entries.sort_by_key(|e| (e.date, e.stamp));
    entries
}

/// An event that sets a household's status.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StatusEvent {
    pub date: Date,
    pub stamp: Stamp,
    pub status: HouseholdStatus,
}

/// The household's status: its latest event by (date, stamp) on or after `since`.
pub fn status_of(events: &[StatusEvent], since: Option<Date>) -> HouseholdStatus {
    events
        .iter()
        .filter(|e| since.is_none_or(|s| e.date >= s))
        .max_by_key(|e| (e.date, e.stamp))
        .map_or(HouseholdStatus::NotVisited, |e| e.status)
}

/// A bound answer of a response (S6).
#[derive(Clone, Debug, PartialEq)]
pub struct BoundAnswer {
    pub response_id: Uuid,
    /// The person for a person's field (the response's person), `None` for the household's.
    pub person_id: Option<Uuid>,
    pub bind: Bind,
    pub value: Value,
    pub seen: Vec<Uuid>,
    pub stamp: Stamp,
}

/// One side of a conflict.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConflictValue {
    pub response_id: Uuid,
    pub value: Value,
}

/// A field two collections gave different values without seeing each other (S6).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    pub bind: Bind,
    pub person_id: Option<Uuid>,
    /// The two values, the earlier (by stamp) first.
    pub values: [ConflictValue; 2],
}

/// The unsettled conflicts among `answers` (see the module documentation). `roster_written(bind,
/// person)` is the stamp of the roster field's latest write, if the roster has that field.
pub fn conflicts(
    answers: &[BoundAnswer],
    roster_written: &dyn Fn(Bind, Option<Uuid>) -> Option<Stamp>,
) -> Vec<Conflict> {
    let mut sorted: Vec<&BoundAnswer> = answers.iter().collect();
    sorted.sort_by_key(|a| (a.person_id, a.bind, a.stamp));
    let mut out = Vec::new();
    for (i, a) in sorted.iter().enumerate() {
        for b in &sorted[i + 1..] {
            if (b.person_id, b.bind) != (a.person_id, a.bind) {
                break;
            }
            let concurrent = !a.seen.contains(&b.response_id) && !b.seen.contains(&a.response_id);
            if !concurrent || same_value(&a.value, &b.value) {
                continue;
            }
            let settled_by_response = sorted.iter().any(|c| {
                (c.person_id, c.bind) == (a.person_id, a.bind)
                    && c.seen.contains(&a.response_id)
                    && c.seen.contains(&b.response_id)
            });
            let settled_in_roster =
                roster_written(a.bind, a.person_id).is_some_and(|s| s > a.stamp.max(b.stamp));
            if settled_by_response || settled_in_roster {
                continue;
            }
            out.push(Conflict {
                bind: a.bind,
                person_id: a.person_id,
                values: [
                    ConflictValue {
                        response_id: a.response_id,
                        value: a.value.clone(),
                    },
                    ConflictValue {
                        response_id: b.response_id,
                        value: b.value.clone(),
                    },
                ],
            });
        }
    }
    out
}

/// Equal answers: numbers by value, lists as sets (key groups in another order are the same groups).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            let mut x: Vec<String> = x.iter().map(|v| v.to_string()).collect();
            let mut y: Vec<String> = y.iter().map(|v| v.to_string()).collect();
            x.sort();
            y.sort();
            x == y
        }
        _ => match (a.as_f64(), b.as_f64()) {
            (Some(x), Some(y)) => x == y,
            _ => a == b,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;
    use serde_json::json;

    fn st(ms: u64) -> Stamp {
        Stamp {
            hlc: Hlc { ms, n: 0 },
            device: Uuid::nil(),
            op: Uuid::from_u128(ms as u128),
        }
    }

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn status_is_the_latest_event() {
        use HouseholdStatus::*;
        let ev = |date: &str, ms, status| StatusEvent {
            date: d(date),
            stamp: st(ms),
            status,
        };
        assert_eq!(status_of(&[], None), NotVisited);
        // A not-at-home visit, then the revisit answered.
        let e = [ev("2026-05-02", 5, NotHome), ev("2026-05-03", 1, Answered)];
        assert_eq!(status_of(&e, None), Answered, "by date before stamp");
        // Same day: the stamp decides.
        let e = [ev("2026-05-02", 9, NotHome), ev("2026-05-02", 3, Answered)];
        assert_eq!(status_of(&e, None), NotHome);
        // Only this round's events.
        assert_eq!(status_of(&e, Some(d("2026-06-01"))), NotVisited);
    }

    /// S6: two collectors offline (neither saw the other) disagree on the birth year: a conflict with
    /// both values; the same value, a response that saw the other, a later response that saw both, or
    /// the roster written after both: none.
    #[test]
    fn concurrent_bound_answers_conflict() {
        let p = Some(Uuid::from_u128(9));
        let ans = |id: u128, ms, value: Value, seen: Vec<u128>| BoundAnswer {
            response_id: Uuid::from_u128(id),
            person_id: p,
            bind: Bind::PersonBirthYear,
            value,
            seen: seen.into_iter().map(Uuid::from_u128).collect(),
            stamp: st(ms),
        };
        let none = |_: Bind, _: Option<Uuid>| None;
        let a = ans(1, 10, json!(1948), vec![]);
        let b = ans(2, 20, json!(1949), vec![]);
        let c = conflicts(&[b.clone(), a.clone()], &none);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].values[0].value, json!(1948));
        assert_eq!(c[0].values[1].value, json!(1949));
        assert_eq!(c[0].person_id, p);
        // Same value (1949.0 is 1949): no conflict.
        assert!(conflicts(&[ans(1, 10, json!(1949.0), vec![]), b.clone()], &none).is_empty());
        // B saw A: a change, not a conflict.
        assert!(conflicts(&[a.clone(), ans(2, 20, json!(1949), vec![1])], &none).is_empty());
        // A third response that saw both settles it.
        assert!(
            conflicts(
                &[a.clone(), b.clone(), ans(3, 30, json!(1949), vec![1, 2])],
                &none
            )
            .is_empty()
        );
        // The roster field written after both settles it; written before, it does not.
        assert!(conflicts(&[a.clone(), b.clone()], &|_, _| Some(st(25))).is_empty());
        assert_eq!(
            conflicts(&[a.clone(), b.clone()], &|_, _| Some(st(15))).len(),
            1
        );
        // Another person's answer is not compared.
        let mut other = b.clone();
        other.person_id = Some(Uuid::from_u128(8));
        assert!(conflicts(&[a, other], &none).is_empty());
        // Key groups in another order are the same.
        assert!(same_value(
            &json!(["elderly", "disabled"]),
            &json!(["disabled", "elderly"])
        ));
    }
}
