//! The JSON of the volunteers endpoints (RULES §3), shared by the server and the app: the volunteer
//! list and detail with masked numbers (`personal::mask_phone`, `mask_id_number`), and the figures.
//!
//! Lists and exports never carry a full phone or ID number; only the detail a staff member opens to
//! call someone carries the phone in full (`phone`), and the ID number only masked.

use super::records::{EntryStatus, VolunteerStatus};
use super::stats::VolunteerStats;
use super::views::{EntryView, MonthHours, Volunteer};
use crate::date::Date;
use crate::personal::{mask_id_number, mask_phone};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One row of the volunteer list (志愿者名册).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerRow {
    pub id: Uuid,
    pub name: String,
    /// `138****1234`.
    pub phone_masked: String,
    /// `4101**********1234`, or empty.
    pub id_number_masked: String,
    pub status: VolunteerStatus,
    pub registered_on: Date,
    pub teams: Vec<Uuid>,
    pub party_member: bool,
    pub student: bool,
    /// Lives in the community (linked to a person of the roster).
    pub resident: bool,
}

impl From<&Volunteer> for VolunteerRow {
    fn from(v: &Volunteer) -> Self {
        VolunteerRow {
            id: v.id,
            name: v.fields.name.clone(),
            phone_masked: mask_phone(&v.fields.phone),
            id_number_masked: mask_id_number(&v.fields.id_number),
            status: v.status,
            registered_on: v.fields.registered_on,
            teams: v.fields.teams.clone(),
            party_member: v.fields.party_member,
            student: v.fields.student,
            resident: v.fields.person_id.is_some(),
        }
    }
}

/// `GET /api/volunteers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerList {
    pub volunteers: Vec<VolunteerRow>,
}

/// One entry of a volunteer's record as the detail shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntryRow {
    pub id: Uuid,
    pub date: Date,
    pub place: String,
    pub content: String,
    pub minutes: u32,
    pub status: EntryStatus,
    pub counts: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<Uuid>,
    pub recorded_by: String,
    /// Who confirmed or declined it (the latest review).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
}

impl From<&EntryView> for EntryRow {
    fn from(e: &EntryView) -> Self {
        EntryRow {
            id: e.id,
            date: e.fields.date,
            place: e.fields.place.clone(),
            content: e.fields.content.clone(),
            minutes: e.fields.minutes,
            status: e.status,
            counts: e.counts,
            corrected_by: e.corrected_by,
            corrects: e.fields.corrects,
            recorded_by: e.fields.recorded_by.clone(),
            reviewed_by: e.review.as_ref().map(|r| r.by.clone()),
        }
    }
}

/// `GET /api/volunteers/{id}`: the row, the phone in full for the staff member who calls, skills, the
/// months of the year so far and every entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerDetail {
    #[serde(flatten)]
    pub row: VolunteerRow,
    pub phone: String,
    pub skills: Vec<String>,
    pub months: Vec<MonthHoursRow>,
    pub entries: Vec<EntryRow>,
}

/// One month of [`VolunteerDetail`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthHoursRow {
    pub month: String,
    pub confirmed_minutes: u64,
    pub pending_minutes: u64,
}

impl From<&MonthHours> for MonthHoursRow {
    fn from(m: &MonthHours) -> Self {
        MonthHoursRow {
            month: m.month.clone(),
            confirmed_minutes: m.confirmed_minutes,
            pending_minutes: m.pending_minutes,
        }
    }
}

impl VolunteerDetail {
    pub fn new(v: &Volunteer, months: &[MonthHours], entries: &[EntryView]) -> Self {
        VolunteerDetail {
            row: v.into(),
            phone: v.fields.phone.clone(),
            skills: v.fields.skills.clone(),
            months: months.iter().map(Into::into).collect(),
            entries: entries.iter().map(Into::into).collect(),
        }
    }
}

/// `GET /api/volunteers/stats?as_of=YYYY-MM-DD&population=N`: the embedding API's `volunteer.stats`
/// on the community's merged state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    pub as_of: Date,
    pub population: u64,
}

/// The answer of the figures: [`VolunteerStats`] itself.
pub type StatsAnswer = VolunteerStats;
