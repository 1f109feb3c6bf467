//! The JSON of the volunteers endpoints (RULES §3), shared by the server and the app: the volunteer
//! list and detail with masked numbers (`personal::mask_phone`, `mask_id_number`), and the figures.
//!
//! Lists and exports never carry a full phone or ID number; only the detail a staff member of the
//! community opens (to call someone, to fill in a form) carries them whole (`phone`, `id_number`).

use super::certificate::{Certificate, ServiceLine};
use super::records::{Cadence, EntrySource, EntryStatus, VolunteerStatus};
use super::stats::VolunteerStats;
use super::views::{EntryView, MonthHours, PairDue, Volunteer};
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
    /// This year's confirmed and pending minutes up to the day of the list (V6; 0 where not computed).
    #[serde(default)]
    pub confirmed_minutes: u64,
    #[serde(default)]
    pub pending_minutes: u64,
}

impl VolunteerRow {
    /// The row with the year's hours summed from the months of [`Replica::volunteer_hours`].
    ///
    /// [`Replica::volunteer_hours`]: crate::sync::Replica::volunteer_hours
    pub fn with_hours(v: &Volunteer, months: &[MonthHours]) -> Self {
        VolunteerRow {
            confirmed_minutes: months.iter().map(|m| m.confirmed_minutes).sum(),
            pending_minutes: months.iter().map(|m| m.pending_minutes).sum(),
            ..v.into()
        }
    }
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
            confirmed_minutes: 0,
            pending_minutes: 0,
        }
    }
}

/// `GET /api/volunteers`: the rows, with hours from 1 January to `as_of` (the server's today).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerList {
    pub as_of: Date,
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
    pub source: EntrySource,
    pub counts: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrected_by: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<Uuid>,
    pub recorded_by: String,
    /// When it was recorded (its operation's clock, ms since the epoch).
    pub recorded_at_ms: u64,
    /// Who confirmed or declined it (the latest review), and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_at_ms: Option<u64>,
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
            source: e.fields.source,
            counts: e.counts,
            corrected_by: e.corrected_by,
            corrects: e.fields.corrects,
            recorded_by: e.fields.recorded_by.clone(),
            recorded_at_ms: e.recorded.ms,
            reviewed_by: e.review.as_ref().map(|r| r.by.clone()),
            reviewed_at_ms: e.review.as_ref().map(|r| r.at_ms),
        }
    }
}

/// `GET /api/volunteers/{id}`: the row, the phone and ID number in full for the community's staff (the
/// only answer that carries them), skills, the months of the year so far and every entry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerDetail {
    #[serde(flatten)]
    pub row: VolunteerRow,
    pub phone: String,
    pub id_number: String,
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
            row: VolunteerRow::with_hours(v, months),
            phone: v.fields.phone.clone(),
            id_number: v.fields.id_number.clone(),
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

/// `GET /api/volunteers/pairs/overdue?today=YYYY-MM-DD` (V5).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverdueQuery {
    pub today: Date,
}

/// One overdue pair (V5), most overdue first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueRow {
    pub pair_id: Uuid,
    pub volunteer_id: Uuid,
    pub volunteer_name: String,
    pub person_id: Uuid,
    pub cadence: Cadence,
    pub since: Date,
    /// The last visit or call that counts, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<Date>,
    pub due: Date,
    pub days_overdue: u32,
}

impl OverdueRow {
    pub fn new(p: &PairDue, volunteer_name: &str) -> Self {
        OverdueRow {
            pair_id: p.pair_id,
            volunteer_id: p.fields.volunteer_id,
            volunteer_name: volunteer_name.to_string(),
            person_id: p.fields.person_id,
            cadence: p.fields.cadence,
            since: p.fields.since,
            last: p.last,
            due: p.due,
            days_overdue: p.days_overdue,
        }
    }
}

/// The answer of the overdue pairs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverdueAnswer {
    pub today: Date,
    pub pairs: Vec<OverdueRow>,
}

/// `POST /api/volunteers/{id}/certificate` (V6, 民政部令第67号): who signs for the community. The
/// number, the date and the hours are the server's.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertificateRequest {
    /// 负责人
    pub person_in_charge: String,
    /// 经办人
    pub clerk: String,
    /// 联系方式
    pub contact: String,
    /// 志愿者编号 in the national system, if staff have it (else the record's id).
    #[serde(default)]
    pub volunteer_number: Option<String>,
}

/// A certificate as the server answers it (`POST …/certificate`, `GET /api/volunteers/certificates/{number}`):
/// the certificate, the printed service list, the exact signed text, its signature and the key's
/// public half (base64url), the QR payload (`LV1.…`, see `certificate::qr_payload`) and its QR code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedCertificate {
    pub certificate: Certificate,
    pub services: Vec<ServiceLine>,
    /// The signed bytes, as text (the canonical JSON of `certificate`).
    pub payload: String,
    pub signature: String,
    pub public_key: String,
    pub qr: String,
    /// The verify page's address with the QR payload after `#`: what the QR code holds.
    #[serde(default)]
    pub verify_url: String,
    pub qr_svg: String,
}

/// One community's certificate key (`GET /api/certificates/public-key`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicKey {
    pub community: String,
    /// Always `Ed25519`.
    pub algorithm: String,
    /// 32 bytes, base64url without padding.
    pub public_key: String,
}

/// The answer of `GET /api/certificates/public-key[?community=…]`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublicKeys {
    pub keys: Vec<PublicKey>,
}

/// `GET /api/volunteers/me/certificates`: the certificates issued for the volunteer of the phone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyCertificates {
    pub certificates: Vec<CertificateRef>,
}

/// A certificate by its number and date of issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CertificateRef {
    pub number: String,
    pub issued_on: String,
}
