//! Service time (服务时长, V6): check-in/out paired into sessions and split at midnight China time,
//! which entries still count after corrections, and the places and waiting list of an activity.
//!
//! Pure functions of their inputs, in a fixed order (the operations' stamps), so a replica that applied
//! the same operations in any order computes the same figures.

use super::records::{
    CST_OFFSET_MS, DAY_MS, Direction, MINUTE_MS, RecordedBy, SignUpAction, SignUpFields,
};
use crate::date::Date;
use crate::sync::Stamp;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use uuid::Uuid;

/// Minutes of one China-time day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayMinutes {
    pub date: Date,
    pub minutes: u32,
}

/// Splits `[start_ms, end_ms)` at midnight China time (UTC+8) into whole minutes per day; each
/// end is taken to its minute (seconds dropped).
pub fn split_by_day(start_ms: i64, end_ms: i64) -> Vec<DayMinutes> {
    let (mut s, e) = (
        start_ms.div_euclid(MINUTE_MS) * MINUTE_MS,
        end_ms.div_euclid(MINUTE_MS) * MINUTE_MS,
    );
    let mut out = Vec::new();
    while s < e {
        let day_end = (s + CST_OFFSET_MS).div_euclid(DAY_MS) * DAY_MS + DAY_MS - CST_OFFSET_MS;
        let end = e.min(day_end);
        out.push(DayMinutes {
            date: Date::from_unix_ms_cst(s),
            minutes: ((end - s) / MINUTE_MS) as u32,
        });
        s = end;
    }
    out
}

/// One check-in to its check-out (or to the activity's end, when the check-out is missing).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub activity_id: Uuid,
    pub start_ms: i64,
    pub end_ms: i64,
    /// No check-out: closed at the activity's end, for staff to look at.
    pub closed_at_activity_end: bool,
    pub checked_in_by: RecordedBy,
    pub days: Vec<DayMinutes>,
}

/// A check-in or check-out as the sessions need it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    pub activity_id: Uuid,
    pub direction: Direction,
    pub at_ms: i64,
    pub by: RecordedBy,
    pub stamp: Stamp,
}

/// Pairs one volunteer's check-ins with their check-outs, activity by activity, in time order (ties by
/// stamp): a check-in opens a session, the next check-out closes it; a second check-in while open and
/// a check-out while closed are repeats and change nothing. A session still open is closed at its
/// activity's end (`activity_end`, milliseconds; at its own start if the activity ended before) and flagged.
/// Sessions come in order of their start.
pub fn sessions(events: &[Event], activity_end: impl Fn(Uuid) -> Option<i64>) -> Vec<Session> {
    let mut by_activity: HashMap<Uuid, Vec<&Event>> = HashMap::new();
    for e in events {
        by_activity.entry(e.activity_id).or_default().push(e);
    }
    let mut out = Vec::new();
    for (activity, mut evs) in by_activity {
        evs.sort_by_key(|e| (e.at_ms, e.stamp));
        let mut open: Option<&Event> = None;
        let close = |start: &Event, end_ms: i64, flagged: bool, out: &mut Vec<Session>| {
            out.push(Session {
                activity_id: activity,
                start_ms: start.at_ms,
                end_ms,
                closed_at_activity_end: flagged,
                checked_in_by: start.by,
                days: split_by_day(start.at_ms, end_ms),
            })
        };
        for e in evs {
            match (e.direction, open) {
                (Direction::In, None) => open = Some(e),
                (Direction::Out, Some(start)) => {
                    close(start, e.at_ms, false, &mut out);
                    open = None;
                }
                _ => {}
            }
        }
        if let Some(start) = open {
            let end = activity_end(activity)
                .unwrap_or(start.at_ms)
                .max(start.at_ms);
            close(start, end, true, &mut out);
        }
    }
    out.sort_by_key(|s| (s.start_ms, s.end_ms, s.activity_id));
    out
}

/// Which entries count after corrections (V6), given in the order they were made (the replica's
/// stamps; the embedding API's list order) with the id each corrects. An entry that another corrects
/// no longer counts; where two entries correct the same one (two phones offline), only the later
/// counts. So a chain A ← B ← C counts C alone.
pub fn counting<K: Eq + Hash>(entries: &[(K, Option<K>)]) -> Vec<bool> {
    let mut superseded: HashSet<&K> = HashSet::new();
    let mut last_corrector: HashMap<&K, usize> = HashMap::new();
    for (i, (_, corrects)) in entries.iter().enumerate() {
        if let Some(target) = corrects {
            superseded.insert(target);
            if let Some(prev) = last_corrector.insert(target, i) {
                superseded.insert(&entries[prev].0);
            }
        }
    }
    entries
        .iter()
        .map(|(id, _)| !superseded.contains(id))
        .collect()
}

/// A volunteer's place for an activity.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub volunteer_id: Uuid,
    /// The sign-up record that put them on the list.
    pub sign_up_id: Uuid,
    /// When they joined (the operation's timestamp): the order of the waiting list.
    pub joined: Stamp,
    /// Their device promised them a place.
    pub placed: bool,
}

/// Who is in and who waits (V2 activities): each volunteer's latest sign-up record (by stamp) says
/// whether they are signed up. In order of joining, a join is in if places are left, or if its device
/// promised it a place (it keeps it even when full); the rest wait in that order. A cancel frees a
/// place for the first who waits, who is in from then on (they joined earlier than anyone promised a
/// place later). More in than the capacity (two phones offline promising the last place) is over-booking.
pub fn places(capacity: u32, sign_ups: &[(Uuid, Stamp, SignUpFields)]) -> (Vec<Place>, Vec<Place>) {
    let mut latest: HashMap<Uuid, (&Uuid, &Stamp, &SignUpFields)> = HashMap::new();
    for (id, stamp, f) in sign_ups {
        let e = latest.entry(f.volunteer_id).or_insert((id, stamp, f));
        if stamp > e.1 {
            *e = (id, stamp, f);
        }
    }
    let mut joined: Vec<Place> = latest
        .into_values()
        .filter(|(_, _, f)| f.action == SignUpAction::Join)
        .map(|(id, stamp, f)| Place {
            volunteer_id: f.volunteer_id,
            sign_up_id: *id,
            joined: *stamp,
            placed: f.placed,
        })
        .collect();
    joined.sort_by_key(|p| p.joined);
    let (mut inn, mut waiting) = (Vec::new(), Vec::new());
    for p in joined {
        if p.placed || inn.len() < capacity as usize {
            inn.push(p);
        } else {
            waiting.push(p);
        }
    }
    (inn, waiting)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hlc::Hlc;

    fn ms(s: &str) -> i64 {
        // "YYYY-MM-DD HH:MM" in China time.
        let d = Date::parse(&s[..10]).unwrap();
        super::super::records::day_start_ms(d)
            + super::super::records::parse_hhmm(&s[11..]).unwrap() as i64 * MINUTE_MS
    }

    #[test]
    fn midnight_split_in_china_time() {
        // 22:00–01:30 CST: 120 minutes on the first day, 90 on the second.
        let parts = split_by_day(ms("2026-06-01 22:00"), ms("2026-06-02 01:30"));
        assert_eq!(
            parts,
            vec![
                DayMinutes {
                    date: Date::parse("2026-06-01").unwrap(),
                    minutes: 120
                },
                DayMinutes {
                    date: Date::parse("2026-06-02").unwrap(),
                    minutes: 90
                }
            ]
        );
        // 16:00 UTC is midnight in Beijing: the day changes there, not at UTC midnight.
        let parts = split_by_day(ms("2026-06-01 07:00"), ms("2026-06-01 09:00"));
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].minutes, 120);
        assert!(split_by_day(5, 5).is_empty());
    }

    #[test]
    fn chains_and_forks_of_corrections() {
        // A ← B ← C: only C counts; D stands alone.
        let e = [("A", None), ("B", Some("A")), ("C", Some("B")), ("D", None)];
        assert_eq!(counting(&e), [false, false, true, true]);
        // Two corrections of A made offline: the later (F) counts.
        let e = [("A", None), ("E", Some("A")), ("F", Some("A"))];
        assert_eq!(counting(&e), [false, false, true]);
    }

    fn stamp(ms: u64, dev: u128) -> Stamp {
        Stamp {
            hlc: Hlc { ms, n: 0 },
            device: Uuid::from_u128(dev),
            op: Uuid::from_u128(ms as u128),
        }
    }

    #[test]
    fn open_sessions_close_at_the_activity_end() {
        let act = Uuid::from_u128(1);
        let ev = |dir, at| Event {
            activity_id: act,
            direction: dir,
            at_ms: at,
            by: RecordedBy::SelfCheck,
            stamp: stamp(at as u64, 1),
        };
        let s = sessions(
            &[
                ev(Direction::In, ms("2026-06-01 09:00")),
                ev(Direction::In, ms("2026-06-01 09:05")), // a repeat: ignored
                ev(Direction::Out, ms("2026-06-01 10:00")),
                ev(Direction::In, ms("2026-06-01 10:30")),
            ],
            |_| Some(ms("2026-06-01 11:00")),
        );
        assert_eq!(s.len(), 2);
        assert_eq!(
            (s[0].days[0].minutes, s[0].closed_at_activity_end),
            (60, false)
        );
        assert_eq!(
            (s[1].days[0].minutes, s[1].closed_at_activity_end),
            (30, true)
        );
    }
}
