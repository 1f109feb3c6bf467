//! The volunteers feature's records (志愿者, RULES §3): volunteers, teams, activities, sign-ups,
//! check-ins, service entries and their reviews, and pairs — plain types with their field checks.
//!
//! Merging (DESIGN.md sync model): volunteers, teams, activities and pairs are ordinary records whose
//! fields merge last-writer-wins; a volunteer's status is written by its own body (`volunteer.status`)
//! so a volunteer editing their phone never undoes a staff approval. Sign-ups, check-ins, service
//! entries and reviews are append-only: a cancel, a check-out, a correction and a decision are new records.

use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::personal::{check_id_number, check_phone};
use crate::roster::check_text;
use crate::rules::{RosterRules, VolunteerRules};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Milliseconds in a minute, an hour and a day.
pub const MINUTE_MS: i64 = 60_000;
pub const DAY_MS: i64 = 86_400_000;
/// China Standard Time is UTC+8 all year.
pub const CST_OFFSET_MS: i64 = 8 * 3_600_000;

/// The start of a date in China time, in milliseconds since the epoch.
pub fn day_start_ms(d: Date) -> i64 {
    let epoch = Date::from_ymd(1970, 1, 1).expect("valid");
    epoch.days_until(d) as i64 * DAY_MS - CST_OFFSET_MS
}

/// 志愿者状态: registered and waiting for staff (待审核), approved (在册), withdrawn (已退出).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VolunteerStatus {
    #[default]
    Pending,
    Active,
    Left,
}

/// A volunteer (志愿者) of the community (V1 registration). Community-level: no parent; one who lives
/// in the community links to their person (`person_id`) and so counts once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolunteerFields {
    /// 姓名
    pub name: String,
    /// 电话; lists and exports show it masked.
    #[serde(default)]
    pub phone: String,
    /// 居民身份证号码: empty, or 18 characters with a valid check digit; shown masked.
    #[serde(default)]
    pub id_number: String,
    /// The roster's person (居民) this volunteer is, if they live in the community.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// 特长
    #[serde(default)]
    pub skills: Vec<String>,
    /// 意向服务队 (V2): teams of the community.
    #[serde(default)]
    pub teams: Vec<Uuid>,
    /// 党员 (V4)
    #[serde(default)]
    pub party_member: bool,
    /// 学生 (V4)
    #[serde(default)]
    pub student: bool,
    /// 同意保存志愿者信息 (V6, 民政部令第67号): must be true.
    pub consent: bool,
    /// 登记日期 (V1).
    pub registered_on: Date,
    /// Written by `volunteer.status` (staff approve, a volunteer leaves). A put leaves it alone when
    /// absent, so a volunteer's own edit never undoes an approval; a record without it is pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<VolunteerStatus>,
}

/// `volunteer.status`: staff approve a registration, or record that a volunteer left.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolunteerStatusFields {
    pub status: VolunteerStatus,
}

/// A team by speciality (服务队, V2): patrol, repair, medical aid… The community edits its own list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamFields {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

/// A volunteer activity (志愿活动) on a date, from `start_time` to `end_time` (China time, "HH:MM"; an
/// end at or before the start is on the next day: a night patrol 22:00–01:30).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityFields {
    pub name: String,
    pub date: Date,
    pub start_time: String,
    pub end_time: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub team_id: Option<Uuid>,
    /// 名额: places; sign-ups beyond it wait.
    pub capacity: u32,
    #[serde(default)]
    pub description: String,
    /// 需要签到
    #[serde(default)]
    pub check_in_required: bool,
}

/// Join or cancel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignUpAction {
    Join,
    Cancel,
}

/// 报名 (append-only): a volunteer joins an activity or cancels. A volunteer's latest sign-up record
/// (by its operation's timestamp) says whether they are signed up; the places go by the time of joining.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignUpFields {
    pub activity_id: Uuid,
    pub volunteer_id: Uuid,
    pub action: SignUpAction,
    /// The device that recorded the join showed a free place, and told the volunteer they are in. Two
    /// phones offline may both promise the last place: both keep it, and the list flags the over-booking.
    #[serde(default)]
    pub placed: bool,
}

/// Check-in or check-out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    In,
    Out,
}

/// Who recorded a check-in: the volunteer, or staff on their behalf.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordedBy {
    #[serde(rename = "self")]
    SelfCheck,
    StaffOnBehalf,
}

/// 签到/签退 (append-only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttendanceFields {
    pub volunteer_id: Uuid,
    pub activity_id: Uuid,
    pub direction: Direction,
    /// When (milliseconds since the epoch).
    pub at_ms: u64,
    pub by: RecordedBy,
}

/// Where a service entry comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntrySource {
    /// 本人申报: pending until staff confirm it (V6).
    Claim,
    /// From check-in and check-out: pending until staff confirm it.
    Attendance,
    /// Recorded by staff, who certify it (谁记录谁证明): confirmed unless a review says otherwise.
    Staff,
}

/// 服务记录 (V6, append-only): actual service time, travel excluded. A wrong entry is corrected by a new
/// one naming it in `corrects`, with a reason; the corrected one no longer counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceEntryFields {
    pub volunteer_id: Uuid,
    pub date: Date,
    #[serde(default)]
    pub place: String,
    pub content: String,
    /// 服务时长, minutes of actual service.
    pub minutes: u32,
    /// The service's start and end (milliseconds), when known; both on `date` (China time).
    #[serde(default)]
    pub from_ms: Option<u64>,
    #[serde(default)]
    pub to_ms: Option<u64>,
    #[serde(default)]
    pub activity_id: Option<Uuid>,
    /// A visit or call of a pair (V5).
    #[serde(default)]
    pub pair_id: Option<Uuid>,
    pub source: EntrySource,
    /// 记录人
    pub recorded_by: String,
    /// The entry this one replaces (更正).
    #[serde(default)]
    pub corrects: Option<Uuid>,
    /// Why (required with `corrects`).
    #[serde(default)]
    pub reason: String,
}

/// A review's decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    Pending,
    Confirmed,
    Declined,
}

/// 审核 (append-only): staff confirm or decline an entry (or set it back to pending). The latest
/// review of an entry (by its operation's timestamp) is its status; nothing is edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryReviewFields {
    pub entry_id: Uuid,
    pub decision: EntryStatus,
    pub by: String,
    pub at_ms: u64,
    #[serde(default)]
    pub reason: String,
}

/// How often a pair is in touch (V5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// 每周探访: 80+ elderly who ask, and empty-nest elderly.
    WeeklyVisit,
    /// 每日电话: solitary elderly.
    DailyCall,
}

/// 结对 (V5): a volunteer and an elderly person; visits are service entries naming the pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PairFields {
    pub volunteer_id: Uuid,
    pub person_id: Uuid,
    pub cadence: Cadence,
    /// From when.
    pub since: Date,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// Minutes after midnight of "HH:MM" (00:00–23:59).
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    if b.len() != 5 || b[2] != b':' || !s.is_char_boundary(2) {
        return None;
    }
    let h: u32 = s[..2].parse().ok()?;
    let m: u32 = s[3..].parse().ok()?;
    (s[..2].bytes().all(|c| c.is_ascii_digit())
        && s[3..].bytes().all(|c| c.is_ascii_digit())
        && h < 24
        && m < 60)
        .then_some(h * 60 + m)
}

fn check_list_len<T>(v: &[T], field: &str, max: usize) -> Result<(), RuleError> {
    if v.len() > max {
        return Err(RuleError::field(ErrorCode::OutOfRange, field).with_detail(format!("≤ {max}")));
    }
    Ok(())
}

impl VolunteerFields {
    pub fn check(&self, roster: &RosterRules, r: &VolunteerRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", roster.name_max_chars, true)?;
        check_phone(&self.phone, "phone")?;
        check_id_number(&self.id_number, "id_number")?;
        check_list_len(&self.skills, "skills", r.list_max)?;
        for (i, s) in self.skills.iter().enumerate() {
            check_text(s, &format!("skills[{i}]"), roster.name_max_chars, true)?;
        }
        check_list_len(&self.teams, "teams", r.list_max)?;
        if !self.consent {
            return Err(RuleError::field(ErrorCode::ConsentRequired, "consent"));
        }
        // The status has its own body, so a put never undoes an approval.
        if self.status.is_some() {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "status")
                .with_detail("set by volunteer.status"));
        }
        Ok(())
    }

    /// The status, pending until staff approve.
    pub fn status(&self) -> VolunteerStatus {
        self.status.unwrap_or_default()
    }
}

impl TeamFields {
    pub fn check(&self, roster: &RosterRules, r: &VolunteerRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", roster.name_max_chars, true)?;
        check_text(&self.description, "description", r.text_max_chars, false)
    }
}

impl ActivityFields {
    pub fn check(&self, roster: &RosterRules, r: &VolunteerRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", roster.name_max_chars, true)?;
        let hhmm = |s: &str, field: &str| {
            parse_hhmm(s).ok_or_else(|| {
                RuleError::field(ErrorCode::OutOfRange, field).with_detail("00:00–23:59")
            })
        };
        hhmm(&self.start_time, "start_time")?;
        hhmm(&self.end_time, "end_time")?;
        check_text(&self.place, "place", r.text_max_chars, false)?;
        check_text(&self.description, "description", r.text_max_chars, false)?;
        if !(1..=r.capacity_max).contains(&self.capacity) {
            return Err(RuleError::field(ErrorCode::OutOfRange, "capacity")
                .with_detail(format!("1–{}", r.capacity_max)));
        }
        Ok(())
    }

    /// The start, in milliseconds since the epoch.
    pub fn start_ms(&self) -> i64 {
        day_start_ms(self.date) + parse_hhmm(&self.start_time).unwrap_or(0) as i64 * MINUTE_MS
    }

    /// The end, in milliseconds since the epoch: on the next day when it is not after the start.
    pub fn end_ms(&self) -> i64 {
        let (s, e) = (
            parse_hhmm(&self.start_time).unwrap_or(0),
            parse_hhmm(&self.end_time).unwrap_or(0),
        );
        let next = if e <= s { DAY_MS } else { 0 };
        day_start_ms(self.date) + e as i64 * MINUTE_MS + next
    }
}

impl SignUpFields {
    pub fn check(&self) -> Result<(), RuleError> {
        Ok(())
    }
}

impl AttendanceFields {
    pub fn check(&self) -> Result<(), RuleError> {
        Ok(())
    }
}

impl ServiceEntryFields {
    pub fn check(&self, roster: &RosterRules, r: &VolunteerRules) -> Result<(), RuleError> {
        // V6: actual service time, more than nothing and at most a day.
        if self.minutes == 0 || self.minutes > r.day_max_minutes {
            return Err(RuleError::field(ErrorCode::OutOfRange, "minutes")
                .with_detail(format!("1–{}", r.day_max_minutes)));
        }
        check_text(&self.place, "place", r.text_max_chars, false)?;
        check_text(&self.content, "content", r.text_max_chars, true)?;
        check_text(
            &self.recorded_by,
            "recorded_by",
            roster.name_max_chars,
            true,
        )?;
        check_text(
            &self.reason,
            "reason",
            r.text_max_chars,
            self.corrects.is_some(),
        )?;
        match (self.from_ms, self.to_ms) {
            (None, None) => {}
            (Some(_), None) => return Err(RuleError::field(ErrorCode::Required, "to_ms")),
            (None, Some(_)) => return Err(RuleError::field(ErrorCode::Required, "from_ms")),
            (Some(from), Some(to)) => {
                let (from, to) = (from as i64, to as i64);
                let day = day_start_ms(self.date);
                if from < day || from >= day + DAY_MS {
                    return Err(RuleError::field(ErrorCode::OutOfRange, "from_ms")
                        .with_detail(self.date.to_string()));
                }
                if to <= from || to > day + DAY_MS {
                    return Err(RuleError::field(ErrorCode::OutOfRange, "to_ms")
                        .with_detail(self.date.to_string()));
                }
                // Travel excluded: the service minutes fit between the start and the end.
                if self.minutes as i64 * MINUTE_MS > to - from {
                    return Err(RuleError::field(ErrorCode::OutOfRange, "minutes")
                        .with_detail(format!("≤ {}", (to - from) / MINUTE_MS)));
                }
            }
        }
        Ok(())
    }

    /// The status an entry has before any review: staff's own entries are certified by their recorder
    /// (谁记录谁证明), claims and check-ins wait for staff (V6).
    pub fn default_status(&self) -> EntryStatus {
        match self.source {
            EntrySource::Staff => EntryStatus::Confirmed,
            EntrySource::Claim | EntrySource::Attendance => EntryStatus::Pending,
        }
    }
}

impl EntryReviewFields {
    pub fn check(&self, roster: &RosterRules, r: &VolunteerRules) -> Result<(), RuleError> {
        check_text(&self.by, "by", roster.name_max_chars, true)?;
        check_text(
            &self.reason,
            "reason",
            r.text_max_chars,
            self.decision == EntryStatus::Declined,
        )
    }
}

impl PairFields {
    pub fn check(&self) -> Result<(), RuleError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;
    use crate::rules::RuleSet;

    pub(crate) fn volunteer() -> VolunteerFields {
        VolunteerFields {
            name: "李明".into(),
            phone: "13812341234".into(),
            id_number: String::new(),
            person_id: None,
            skills: vec!["水电维修".into()],
            teams: vec![],
            party_member: true,
            student: false,
            consent: true,
            registered_on: Date::parse("2026-03-01").unwrap(),
            status: None,
        }
    }

    #[test]
    fn registration_checks_in_both_languages() {
        let rules = RuleSet::default();
        let (ro, r) = (&rules.roster, &rules.volunteers);
        let mut v = volunteer();
        assert!(v.check(ro, r).is_ok());
        assert_eq!(v.status(), VolunteerStatus::Pending);
        v.id_number = "11010519491231002X".into();
        assert!(v.check(ro, r).is_ok());
        // V1 registration: a wrong check digit is refused, naming the field, in zh and en.
        v.id_number = "110105194912310021".into();
        let e = v.check(ro, r).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::InvalidIdNumber, Some("id_number"))
        );
        assert!(
            e.message(Lang::Zh)
                .starts_with("身份证号码不是有效的18位居民身份证号码")
        );
        assert!(
            e.message(Lang::En)
                .starts_with("The id number is not a valid 18-character")
        );
        v.id_number.clear();
        // V6 / 民政部令第67号: no record without consent.
        v.consent = false;
        let e = v.check(ro, r).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("consent"));
        assert_eq!(e.message(Lang::Zh), "需要本人同意保存志愿者信息后才能登记");
        assert_eq!(
            e.message(Lang::En),
            "A volunteer is registered only once they agree that the record is kept"
        );
        v.consent = true;
        v.phone = "1234".into();
        assert_eq!(v.check(ro, r).unwrap_err().code, ErrorCode::InvalidPhone);
        v.phone.clear();
        v.skills = vec![String::new()];
        assert_eq!(
            v.check(ro, r).unwrap_err().field.as_deref(),
            Some("skills[0]")
        );
        // A put without a status leaves the status register alone: it is not even written; a put
        // with one is refused (the status has its own body).
        let mut v = volunteer();
        v.status = Some(VolunteerStatus::Active);
        assert_eq!(v.check(ro, r).unwrap_err().field.as_deref(), Some("status"));
        let v = volunteer();
        let json = serde_json::to_value(&v).unwrap();
        assert!(json.get("status").is_none());
    }

    #[test]
    fn activity_times_cross_midnight() {
        let rules = RuleSet::default();
        let a = ActivityFields {
            name: "夜间巡逻".into(),
            date: Date::parse("2026-06-01").unwrap(),
            start_time: "22:00".into(),
            end_time: "01:30".into(),
            place: String::new(),
            team_id: None,
            capacity: 3,
            description: String::new(),
            check_in_required: true,
        };
        assert!(a.check(&rules.roster, &rules.volunteers).is_ok());
        // 3.5 hours, ending on 2026-06-02 at 01:30 China time.
        assert_eq!(a.end_ms() - a.start_ms(), 210 * MINUTE_MS);
        assert_eq!(Date::from_unix_ms_cst(a.end_ms()).to_string(), "2026-06-02");
        let mut b = a.clone();
        b.start_time = "24:00".into();
        assert_eq!(
            b.check(&rules.roster, &rules.volunteers)
                .unwrap_err()
                .field
                .as_deref(),
            Some("start_time")
        );
        b.start_time = "9:00".into();
        assert!(b.check(&rules.roster, &rules.volunteers).is_err());
        let mut c = a;
        c.capacity = 0;
        assert_eq!(
            c.check(&rules.roster, &rules.volunteers)
                .unwrap_err()
                .field
                .as_deref(),
            Some("capacity")
        );
    }
}
