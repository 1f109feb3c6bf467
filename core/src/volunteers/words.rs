//! The volunteers feature's words (zh, en): statuses, sources, cadences, the flags the views raise,
//! and the column labels of lists and exports. Its refusals' sentences are the error catalogue's
//! (`error.rs`: `invalid_id_number`, `overlap`, `day_limit`, …), as every feature's are.

use super::records::{Cadence, EntrySource, EntryStatus, RecordedBy, VolunteerStatus};
use crate::error::Lang;

crate::catalogue! {
    /// 志愿者 (volunteers) words.
    pub enum Words {
        Volunteer => ("志愿者", "Volunteer"),
        StatusPending => ("待审核", "pending"),
        StatusActive => ("在册", "active"),
        StatusLeft => ("已退出", "left"),
        EntryPending => ("待确认", "pending"),
        EntryConfirmed => ("已确认", "confirmed"),
        EntryDeclined => ("未通过", "declined"),
        SourceClaim => ("本人申报", "claimed"),
        SourceAttendance => ("签到记录", "from check-in"),
        SourceStaff => ("工作人员记录", "recorded by staff"),
        ByVolunteer => ("本人签到", "by the volunteer"),
        ByStaff => ("工作人员代签", "by staff on their behalf"),
        WeeklyVisit => ("每周探访", "weekly visit"),
        DailyCall => ("每日电话", "daily call"),
        // Flags of the views
        OverBooked => ("超出名额 {0} 人，请工作人员处理", "{0} over capacity; for staff to sort out"),
        Waiting => ("候补第 {0} 位", "waiting list, number {0}"),
        ClosedAtActivityEnd => ("未签退，按活动结束时间计", "no check-out: closed at the activity's end"),
        Corrected => ("已被更正", "corrected"),
        Overdue => ("已逾期 {0} 天", "{0} days overdue"),
        ConsentText => (
            "本人同意社区保存我的志愿者登记和服务记录",
            "I agree that the community keeps my volunteer registration and service record"
        ),
        // Figures (V1, V3, V4)
        RowRegistered => ("注册志愿者", "Registered volunteers"),
        RowRate => ("注册率（占常住人口）", "Registration rate (of residents)"),
        RowActiveMonth => ("当月参加服务的志愿者", "Volunteers who served that month"),
        RowPartyStudents => ("党员和学生", "Party members and students"),
        RowWithHours => ("全年服务满 {0} 小时", "with {0} hours this year"),
        // Columns of lists and exports
        ColName => ("姓名", "Name"),
        ColPhone => ("电话", "Phone"),
        ColIdNumber => ("身份证号码", "ID number"),
        ColStatus => ("状态", "Status"),
        ColTeams => ("服务队", "Teams"),
        ColDate => ("日期", "Date"),
        ColPlace => ("地点", "Place"),
        ColContent => ("服务内容", "Service"),
        ColHours => ("时长（小时）", "Hours"),
        ColConfirmedHours => ("已确认时长（小时）", "Confirmed hours"),
        ColPendingHours => ("待确认时长（小时）", "Pending hours"),
        ColSource => ("来源", "Source"),
        ColRecordedBy => ("记录人", "Recorded by"),
        ColConfirmedBy => ("确认人", "Confirmed by"),
        ColMonth => ("月份", "Month"),
        ColRegisteredOn => ("登记日期", "Registered on"),
        ColPartyMember => ("党员", "Party member"),
        ColStudent => ("学生", "Student"),
        ColFigure => ("指标", "Figure"),
        ColValue => ("数值", "Value"),
        ColThreshold => ("标准", "Threshold"),
        ColMet => ("是否达标", "Met"),
        FigRegistered => ("在册志愿者（人）", "Registered volunteers"),
        FigPopulation => ("常住人口（人）", "Resident population"),
        FigRate => ("志愿者注册率（%，V1）", "Registration rate (%, V1)"),
        FigMonthShare => ("{0} 有服务记录的志愿者占比（%，V3）", "{0} share of volunteers with confirmed service (%, V3)"),
        FigPartyStudents => ("党员、学生志愿者服务满 {0} 小时的占比（%，V4）", "Party members and students with {0} h or more (%, V4)"),
        Yes => ("是", "yes"),
        No => ("否", "no"),
        // The server's refusals of the feature's endpoints
        NoSuchVolunteer => ("本社区没有这位志愿者", "There is no such volunteer in this community"),
        NoSuchCertificate => ("本社区没有这个编号的证明", "This community has issued no certificate with this number"),
    }
}

impl VolunteerStatus {
    pub fn words(self) -> Words {
        match self {
            VolunteerStatus::Pending => Words::StatusPending,
            VolunteerStatus::Active => Words::StatusActive,
            VolunteerStatus::Left => Words::StatusLeft,
        }
    }
}

impl EntryStatus {
    pub fn words(self) -> Words {
        match self {
            EntryStatus::Pending => Words::EntryPending,
            EntryStatus::Confirmed => Words::EntryConfirmed,
            EntryStatus::Declined => Words::EntryDeclined,
        }
    }
}

impl EntrySource {
    pub fn words(self) -> Words {
        match self {
            EntrySource::Claim => Words::SourceClaim,
            EntrySource::Attendance => Words::SourceAttendance,
            EntrySource::Staff => Words::SourceStaff,
        }
    }
}

impl RecordedBy {
    pub fn words(self) -> Words {
        match self {
            RecordedBy::SelfCheck => Words::ByVolunteer,
            RecordedBy::StaffOnBehalf => Words::ByStaff,
        }
    }
}

impl Cadence {
    pub fn words(self) -> Words {
        match self {
            Cadence::WeeklyVisit => Words::WeeklyVisit,
            Cadence::DailyCall => Words::DailyCall,
        }
    }
}

/// Minutes as hours for a refusal's detail, the same in both languages: "24 h", "1.5 h".
pub fn hours_text(minutes: u32) -> String {
    let h = minutes as f64 / 60.0;
    if minutes.is_multiple_of(60) {
        format!("{h:.0} h")
    } else {
        format!("{h:.1} h")
    }
}

/// A flag's sentence with its number: `Words::OverBooked` with 1 → "超出名额 1 人，请工作人员处理".
pub fn with_number(w: Words, n: u64, lang: Lang) -> String {
    crate::i18n::fill(w.text(lang), &[&n.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_in_both_languages() {
        assert_eq!(crate::catalogue_problems!(Words), Vec::<String>::new());
        assert_eq!(hours_text(1440), "24 h");
        assert_eq!(hours_text(90), "1.5 h");
        assert_eq!(
            with_number(Words::OverBooked, 1, Lang::Zh),
            "超出名额 1 人，请工作人员处理"
        );
        assert_eq!(
            with_number(Words::OverBooked, 1, Lang::En),
            "1 over capacity; for staff to sort out"
        );
    }
}
