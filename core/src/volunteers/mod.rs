//! The volunteers feature (RULES §3, V1–V6): registration, teams, activities with sign-ups and
//! check-in, service entries with their reviews and corrections, paired services, and the figures.
//!
//! Its operations are `volunteer.put`, `volunteer.status`, `team.put`, `activity.put`, `pair.put`, and the
//! append-only `sign_up.add`, `attendance.add`, `service_entry.add` and `entry_review.add`. Persons
//! (居民), to which a resident volunteer links, are the roster's (`roster::PersonFields`).

pub mod api;
pub mod certificate;
pub mod hours;
pub mod records;
pub mod stats;
mod views;
mod visibility;
pub mod words;

pub use hours::*;
pub use records::*;
pub use stats::*;
pub use views::*;
pub use visibility::{visible_to_volunteer, volunteer_author, volunteer_of_author};
pub use words::Words;

use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::rules::RuleSet;
use crate::sync::{EntityKind, Operation, Replica};

/// V1: a resident volunteer links to a live person of the community, who is no other volunteer
/// (counted once); the teams they want are the community's.
pub(crate) fn check_volunteer(
    replica: &Replica,
    op: &Operation,
    f: &VolunteerFields,
) -> Result<(), RuleError> {
    if let Some(person) = f.person_id {
        if replica
            .live(&op.community, EntityKind::Person, person)
            .is_none()
        {
            return Err(RuleError::field(ErrorCode::NotFound, "body.person_id"));
        }
        if replica
            .volunteers(&op.community)
            .iter()
            .any(|v| v.id != op.entity.id && v.fields.person_id == Some(person))
        {
            return Err(RuleError::field(ErrorCode::PersonTaken, "body.person_id"));
        }
    }
    if let Some(i) = f
        .teams
        .iter()
        .position(|t| replica.live(&op.community, EntityKind::Team, *t).is_none())
    {
        return Err(RuleError::field(
            ErrorCode::NotFound,
            format!("body.teams[{i}]"),
        ));
    }
    Ok(())
}

/// A status is set on a registered volunteer.
pub(crate) fn check_volunteer_status(replica: &Replica, op: &Operation) -> Result<(), RuleError> {
    if replica.volunteer(&op.community, op.entity.id).is_none() {
        return Err(RuleError::field(ErrorCode::NotFound, "entity.id"));
    }
    Ok(())
}

/// An activity's team is one of the community's.
pub(crate) fn check_activity(
    replica: &Replica,
    op: &Operation,
    f: &ActivityFields,
) -> Result<(), RuleError> {
    if let Some(t) = f.team_id
        && replica.live(&op.community, EntityKind::Team, t).is_none()
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.team_id"));
    }
    Ok(())
}

/// A sign-up names a volunteer of the community; one joins once and cancels only a sign-up. Capacity
/// is not checked: a sign-up past it waits, and two phones offline may both promise the last place.
pub(crate) fn check_sign_up(
    replica: &Replica,
    op: &Operation,
    f: &SignUpFields,
) -> Result<(), RuleError> {
    if replica.volunteer(&op.community, f.volunteer_id).is_none() {
        return Err(RuleError::field(ErrorCode::NotFound, "body.volunteer_id"));
    }
    let joined = replica
        .sign_ups(&op.community, f.activity_id)
        .is_some_and(|l| {
            l.placed
                .iter()
                .chain(&l.waiting)
                .any(|p| p.volunteer_id == f.volunteer_id)
        });
    match (f.action, joined) {
        (SignUpAction::Join, true) => Err(RuleError::field(
            ErrorCode::AlreadySignedUp,
            "body.volunteer_id",
        )),
        (SignUpAction::Cancel, false) => Err(RuleError::field(
            ErrorCode::NotSignedUp,
            "body.volunteer_id",
        )),
        _ => Ok(()),
    }
}

/// Check-in and check-out: the activity is the community's; the time is not after the change's clock;
/// the session it opens or closes is at most the rule set's day long and overlaps none of the
/// volunteer's other sessions.
pub(crate) fn check_attendance(
    replica: &Replica,
    op: &Operation,
    f: &AttendanceFields,
    rules: &RuleSet,
) -> Result<(), RuleError> {
    if replica
        .get::<ActivityFields>(&op.community, EntityKind::Activity, f.activity_id)
        .is_none()
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.activity_id"));
    }
    if f.at_ms > op.hlc.ms {
        return Err(RuleError::field(ErrorCode::InFuture, "body.at_ms")
            .with_detail(cst_time(op.hlc.ms as i64)));
    }
    let mut events = replica.attendance_events(f.volunteer_id);
    events.push(Event {
        activity_id: f.activity_id,
        direction: f.direction,
        at_ms: f.at_ms as i64,
        by: f.by,
        stamp: op.stamp(),
    });
    let sessions = sessions(&events, |a| replica.activity_end(&op.community, a));
    let at = f.at_ms as i64;
    let mine = |s: &Session| {
        s.activity_id == f.activity_id
            && (s.start_ms == at || (s.end_ms == at && f.direction == Direction::Out))
    };
    let day = rules.volunteers.day_max_minutes as i64 * records::MINUTE_MS;
    for (i, s) in sessions.iter().enumerate().filter(|(_, s)| mine(s)) {
        if s.end_ms - s.start_ms > day {
            return Err(RuleError::field(ErrorCode::DayLimit, "body.at_ms")
                .with_detail(words::hours_text(rules.volunteers.day_max_minutes)));
        }
        if let Some(other) = sessions
            .iter()
            .enumerate()
            .find(|(j, o)| *j != i && o.start_ms < s.end_ms && s.start_ms < o.end_ms)
        {
            return Err(
                RuleError::field(ErrorCode::Overlap, "body.at_ms").with_detail(format!(
                    "{}–{}",
                    cst_time(other.1.start_ms),
                    cst_time(other.1.end_ms)
                )),
            );
        }
    }
    Ok(())
}

/// "YYYY-MM-DD HH:MM" in China time.
pub fn cst_time(ms: i64) -> String {
    let d = Date::from_unix_ms_cst(ms);
    let m = (ms - day_start_ms(d)) / records::MINUTE_MS;
    format!("{d} {:02}:{:02}", m / 60, m % 60)
}

/// V6: a service entry's date is not after the change's clock; its activity and pair are the
/// community's (the pair the volunteer's own); a correction replaces a live entry of the same
/// volunteer not corrected yet; with times, it overlaps none of the volunteer's entries; and the
/// volunteer's day stays within the rule set's day (declined and superseded entries aside).
pub(crate) fn check_entry(
    replica: &Replica,
    op: &Operation,
    f: &ServiceEntryFields,
    rules: &RuleSet,
) -> Result<(), RuleError> {
    let today = Date::from_unix_ms_cst(op.hlc.ms as i64);
    if f.date > today {
        return Err(
            RuleError::field(ErrorCode::InFuture, "body.date").with_detail(today.to_string())
        );
    }
    if let Some(a) = f.activity_id
        && replica
            .live(&op.community, EntityKind::Activity, a)
            .is_none()
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.activity_id"));
    }
    if let Some(p) = f.pair_id
        && replica
            .get::<PairFields>(&op.community, EntityKind::Pair, p)
            .is_none_or(|pair| pair.volunteer_id != f.volunteer_id)
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.pair_id"));
    }
    let entries = replica.volunteer_entries(&op.community, f.volunteer_id);
    if let Some(target) = f.corrects {
        if !entries.iter().any(|e| e.id == target) {
            return Err(RuleError::field(ErrorCode::NotFound, "body.corrects"));
        }
        if entries.iter().any(|e| e.fields.corrects == Some(target)) {
            return Err(RuleError::field(
                ErrorCode::AlreadyCorrected,
                "body.corrects",
            ));
        }
    }
    let others = entries
        .iter()
        .filter(|e| e.counts && e.status != EntryStatus::Declined && Some(e.id) != f.corrects);
    if let (Some(from), Some(to)) = (f.from_ms, f.to_ms)
        && let Some(o) = others.clone().find(|o| {
            matches!((o.fields.from_ms, o.fields.to_ms), (Some(a), Some(b)) if a < to && from < b)
        })
    {
        return Err(RuleError::field(ErrorCode::Overlap, "body.from_ms").with_detail(format!(
            "{}–{}",
            cst_time(o.fields.from_ms.unwrap_or(0) as i64),
            cst_time(o.fields.to_ms.unwrap_or(0) as i64)
        )));
    }
    let day: u64 = others
        .filter(|o| o.fields.date == f.date)
        .map(|o| o.fields.minutes as u64)
        .sum::<u64>()
        + f.minutes as u64;
    if day > rules.volunteers.day_max_minutes as u64 {
        return Err(RuleError::field(ErrorCode::DayLimit, "body.minutes")
            .with_detail(words::hours_text(rules.volunteers.day_max_minutes)));
    }
    Ok(())
}

/// A review's time is not after the change's clock.
pub(crate) fn check_review(op: &Operation, f: &EntryReviewFields) -> Result<(), RuleError> {
    if f.at_ms > op.hlc.ms {
        return Err(RuleError::field(ErrorCode::InFuture, "body.at_ms")
            .with_detail(cst_time(op.hlc.ms as i64)));
    }
    Ok(())
}

/// V5: a pair's person is a live person of the community.
pub(crate) fn check_pair(
    replica: &Replica,
    op: &Operation,
    f: &PairFields,
) -> Result<(), RuleError> {
    if replica
        .live(&op.community, EntityKind::Person, f.person_id)
        .is_none()
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.person_id"));
    }
    Ok(())
}
