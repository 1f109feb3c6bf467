//! Views of the merged volunteer records (`impl Replica`): volunteers, teams, activities, one
//! volunteer's entries with their effective status, hours by month, check-in sessions, sign-up lists,
//! overdue pairs, and the figures through the same function as the embedding API.

use super::hours::{Event, Place, Session, places, sessions};
use super::records::*;
use super::stats::{
    StatsEntry, StatsInput, StatsVolunteer, VolunteerStats, minutes_by_month, volunteer_stats,
};
use crate::date::Date;
use crate::error::RuleError;
use crate::hlc::Hlc;
use crate::roster::natural_cmp;
use crate::rules::VolunteerRules;
use crate::sync::{EntityKind, Replica, Stamp};
use serde::Serialize;
use uuid::Uuid;

/// A volunteer with their status (pending until staff approve).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Volunteer {
    pub id: Uuid,
    pub status: VolunteerStatus,
    #[serde(flatten)]
    pub fields: VolunteerFields,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Team {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: TeamFields,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Activity {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: ActivityFields,
}

/// A service entry with what the merged state says of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntryView {
    pub id: Uuid,
    pub fields: ServiceEntryFields,
    /// When it was recorded (its operation's timestamp).
    pub recorded: Hlc,
    /// The latest review's decision, or the entry's default (staff's own confirmed, others pending).
    pub status: EntryStatus,
    /// Who decided, when, and why (the latest review), if reviewed.
    pub review: Option<EntryReviewFields>,
    /// Whether it counts: not replaced by a correction (V6).
    pub counts: bool,
    /// The entry that replaces it, if any.
    pub corrected_by: Option<Uuid>,
    #[serde(skip)]
    pub(crate) stamp: Stamp,
}

/// One month's hours of a volunteer (V6).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthHours {
    /// "YYYY-MM".
    pub month: String,
    pub confirmed_minutes: u64,
    pub pending_minutes: u64,
}

/// Who is in and who waits for an activity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SignUpList {
    pub activity_id: Uuid,
    pub capacity: u32,
    /// In, in order of joining.
    pub placed: Vec<Place>,
    /// Waiting, in order of joining: the first moves up when someone cancels.
    pub waiting: Vec<Place>,
    /// More are in than the capacity (two phones offline promised the last place): for staff to sort out.
    pub over_booked: bool,
    pub over_by: u32,
}

/// A pair (V5) and when it is due.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairDue {
    pub pair_id: Uuid,
    pub fields: PairFields,
    /// The last visit or call that counts (not declined, not corrected).
    pub last: Option<Date>,
    /// The day by which the next one is due.
    pub due: Date,
    /// Days past `due` (0 when not overdue).
    pub days_overdue: u32,
}

impl Replica {
    /// The volunteers of a community, by name.
    pub fn volunteers(&self, community: &str) -> Vec<Volunteer> {
        let mut v: Vec<Volunteer> = self
            .root_records(community, EntityKind::Volunteer)
            .filter_map(|(id, r)| {
                let fields: VolunteerFields = r.get()?;
                Some(Volunteer {
                    id,
                    status: fields.status(),
                    fields,
                })
            })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name).then(a.id.cmp(&b.id)));
        v
    }

    pub fn volunteer(&self, community: &str, id: Uuid) -> Option<Volunteer> {
        let fields: VolunteerFields = self.get(community, EntityKind::Volunteer, id)?;
        Some(Volunteer {
            id,
            status: fields.status(),
            fields,
        })
    }

    /// The community's teams (V2), by name.
    pub fn teams(&self, community: &str) -> Vec<Team> {
        let mut v: Vec<Team> = self
            .root_records(community, EntityKind::Team)
            .filter_map(|(id, r)| {
                Some(Team {
                    id,
                    fields: r.get()?,
                })
            })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name).then(a.id.cmp(&b.id)));
        v
    }

    /// The community's activities, by date and start.
    pub fn activities(&self, community: &str) -> Vec<Activity> {
        let mut v: Vec<Activity> = self
            .root_records(community, EntityKind::Activity)
            .filter_map(|(id, r)| {
                Some(Activity {
                    id,
                    fields: r.get()?,
                })
            })
            .collect();
        v.sort_by_key(|a| (a.fields.start_ms(), a.id));
        v
    }

    /// The end of an activity (milliseconds), if it is live.
    pub fn activity_end(&self, community: &str, id: Uuid) -> Option<i64> {
        self.get::<ActivityFields>(community, EntityKind::Activity, id)
            .map(|a| a.end_ms())
    }

    /// Who is in and who waits for an activity (see `hours::places`).
    pub fn sign_ups(&self, community: &str, activity_id: Uuid) -> Option<SignUpList> {
        let a: ActivityFields = self.get(community, EntityKind::Activity, activity_id)?;
        let records: Vec<(Uuid, Stamp, SignUpFields)> = self
            .child_records(EntityKind::SignUp, activity_id)
            .filter_map(|(id, r)| Some((id, r.written()?, r.get()?)))
            .collect();
        let (placed, waiting) = places(a.capacity, &records);
        let over_by = (placed.len() as u32).saturating_sub(a.capacity);
        Some(SignUpList {
            activity_id,
            capacity: a.capacity,
            placed,
            waiting,
            over_booked: over_by > 0,
            over_by,
        })
    }

    /// A volunteer's latest check-in or check-out at one activity (in time order, ties by stamp): whether
    /// they are inside now, and since when.
    pub fn last_attendance(&self, volunteer_id: Uuid, activity_id: Uuid) -> Option<Event> {
        self.attendance_events(volunteer_id)
            .into_iter()
            .filter(|e| e.activity_id == activity_id)
            .max_by_key(|e| (e.at_ms, e.stamp))
    }

    /// A volunteer's check-ins and check-outs.
    pub fn attendance_events(&self, volunteer_id: Uuid) -> Vec<Event> {
        self.child_records(EntityKind::Attendance, volunteer_id)
            .filter_map(|(_, r)| {
                let f: AttendanceFields = r.get()?;
                Some(Event {
                    activity_id: f.activity_id,
                    direction: f.direction,
                    at_ms: f.at_ms as i64,
                    by: f.by,
                    stamp: r.written()?,
                })
            })
            .collect()
    }

    /// A volunteer's check-in sessions, split by day; a missing check-out closed at the activity's end
    /// and flagged.
    pub fn volunteer_sessions(&self, community: &str, volunteer_id: Uuid) -> Vec<Session> {
        sessions(&self.attendance_events(volunteer_id), |a| {
            self.activity_end(community, a)
        })
    }

    /// A volunteer's service entries in the order they were recorded, each with its effective status
    /// (the latest review by timestamp) and whether it still counts after corrections (V6).
    pub fn volunteer_entries(&self, _community: &str, volunteer_id: Uuid) -> Vec<EntryView> {
        let mut v: Vec<EntryView> = self
            .child_records(EntityKind::ServiceEntry, volunteer_id)
            .filter_map(|(id, r)| {
                let fields: ServiceEntryFields = r.get()?;
                let stamp = r.written()?;
                let review = self
                    .child_records(EntityKind::EntryReview, id)
                    .filter_map(|(_, rr)| Some((rr.written()?, rr.get::<EntryReviewFields>()?)))
                    .max_by_key(|(s, _)| *s)
                    .map(|(_, f)| f);
                Some(EntryView {
                    id,
                    status: review
                        .as_ref()
                        .map_or(fields.default_status(), |r| r.decision),
                    review,
                    recorded: stamp.hlc,
                    counts: true,
                    corrected_by: None,
                    fields,
                    stamp,
                })
            })
            .collect();
        v.sort_by_key(|e| e.stamp);
        let keys: Vec<(Uuid, Option<Uuid>)> = v.iter().map(|e| (e.id, e.fields.corrects)).collect();
        let counts = super::hours::counting(&keys);
        for (i, c) in counts.into_iter().enumerate() {
            v[i].counts = c;
        }
        for i in 0..v.len() {
            if let Some(target) = v[i].fields.corrects {
                let by = v[i].id;
                if let Some(t) = v.iter_mut().find(|e| e.id == target) {
                    t.corrected_by = Some(by);
                }
            }
        }
        v
    }

    /// The entries of a volunteer as the figures take them.
    fn stats_entries(&self, community: &str, volunteer_id: Uuid) -> Vec<StatsEntry> {
        self.volunteer_entries(community, volunteer_id)
            .into_iter()
            .map(|e| StatsEntry {
                id: e.id.to_string(),
                volunteer_id: volunteer_id.to_string(),
                date: e.fields.date,
                minutes: e.fields.minutes,
                status: e.status,
                corrects: e.fields.corrects.map(|c| c.to_string()),
            })
            .collect()
    }

    /// A volunteer's confirmed and pending minutes for each month from January of `as_of`'s year to its
    /// month (V6: corrected entries no longer count and the correcting one does; declined count nowhere).
    pub fn volunteer_hours(
        &self,
        community: &str,
        volunteer_id: Uuid,
        as_of: Date,
    ) -> Vec<MonthHours> {
        let by_month = minutes_by_month(&self.stats_entries(community, volunteer_id), as_of);
        let id = volunteer_id.to_string();
        let (y, last, _) = as_of.ymd();
        (1..=last)
            .map(|m| {
                let (c, p) = by_month.get(&(id.clone(), m)).copied().unwrap_or_default();
                MonthHours {
                    month: format!("{y:04}-{m:02}"),
                    confirmed_minutes: c,
                    pending_minutes: p,
                }
            })
            .collect()
    }

    /// The figures (V1, V3, V4, V6) of a community: the embedding API's `volunteer.stats` on the merged state.
    pub fn volunteer_stats(
        &self,
        community: &str,
        as_of: Date,
        population: u64,
        rules: &VolunteerRules,
    ) -> Result<VolunteerStats, RuleError> {
        let vols = self.volunteers(community);
        let input = StatsInput {
            as_of,
            population,
            volunteers: vols
                .iter()
                .map(|v| StatsVolunteer {
                    id: v.id.to_string(),
                    registered_on: v.fields.registered_on,
                    status: v.status,
                    party_member: v.fields.party_member,
                    student: v.fields.student,
                })
                .collect(),
            entries: vols
                .iter()
                .flat_map(|v| self.stats_entries(community, v.id))
                .collect(),
        };
        volunteer_stats(&input, rules)
    }

    /// A volunteer's pairs (V5).
    pub fn pairs(&self, volunteer_id: Uuid) -> Vec<(Uuid, PairFields)> {
        self.children(EntityKind::Pair, volunteer_id).collect()
    }

    /// V5: the community's active pairs that are overdue on `today` — no visit (weekly) or call (daily)
    /// that counts within the rule set's days since the last one (or since the pair began) — most
    /// overdue first.
    pub fn overdue_pairs(
        &self,
        community: &str,
        today: Date,
        rules: &VolunteerRules,
    ) -> Vec<PairDue> {
        let mut out = Vec::new();
        for v in self.volunteers(community) {
            let entries = self.volunteer_entries(community, v.id);
            for (pair_id, fields) in self.pairs(v.id) {
                if !fields.active {
                    continue;
                }
                let last = entries
                    .iter()
                    .filter(|e| {
                        e.fields.pair_id == Some(pair_id)
                            && e.counts
                            && e.status != EntryStatus::Declined
                    })
                    .map(|e| e.fields.date)
                    .max();
                let every = match fields.cadence {
                    Cadence::WeeklyVisit => rules.weekly_visit_days,
                    Cadence::DailyCall => rules.daily_call_days,
                };
                let due = last.unwrap_or(fields.since).add_days(every as i64);
                let late = due.days_until(today);
                if late > 0 {
                    out.push(PairDue {
                        pair_id,
                        fields,
                        last,
                        due,
                        days_overdue: late as u32,
                    });
                }
            }
        }
        out.sort_by(|a, b| {
            b.days_overdue
                .cmp(&a.days_overdue)
                .then(a.pair_id.cmp(&b.pair_id))
        });
        out
    }
}
