//! Rule errors: a stable code, the field at fault, and the message in each language the product speaks.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The languages Linli speaks. Simplified Chinese is the default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh")]
    Zh,
    #[serde(rename = "en")]
    En,
}

/// Every reason the rules core refuses something. The code is the stable, machine-readable part.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The request or operation is not of the documented shape.
    InvalidRequest,
    /// A required text field is empty.
    Required,
    /// A text field is longer than allowed.
    TooLong,
    /// A number is outside its allowed range.
    OutOfRange,
    /// A date is not YYYY-MM-DD or does not exist.
    InvalidDate,
    /// An id is not a UUID.
    InvalidId,
    /// The operation's body does not fit the entity it names.
    KindMismatch,
    /// The operation format version is not one this core understands.
    UnsupportedVersion,
    /// The record an operation refers to does not exist (or was deleted).
    NotFound,
    /// The record was deleted; it cannot be changed any more.
    Deleted,
    /// Another household in the same unit already has this door number.
    DoorTaken,
    /// A record still has records under it and cannot be deleted.
    HasChildren,
    /// The device clock is too far ahead of the server's.
    ClockAhead,
    /// The record belongs to another community.
    WrongCommunity,
    /// No such embedding function.
    UnknownFunction,
    /// A ballot cast before the survey opened.
    SurveyNotOpen,
    /// A ballot cast after the survey closed.
    SurveyClosed,
    /// A ballot cast in time but received after the grace period.
    ArrivedTooLate,
    /// A ballot claiming a cast time before the close, received after the close from a device or login
    /// that has been in touch with the server since the close (a backdated vote).
    ContactedSinceClose,
    /// A voting code that was revoked, or never issued.
    CodeRevoked,
    /// A ballot's household is not in the project's compound, or its item not on the project's menu.
    NotInProject,
    /// A ballot that disagrees with renovation and still chooses menu items (R4).
    ItemsWithoutAgreement,
    /// A menu item that a ballot has chosen cannot be removed (R4: the answers name it).
    ChosenInBallots,
    /// A text holds invisible formatting characters (zero-width, direction overrides).
    InvisibleCharacters,
    /// An operation id already used by another community's operation.
    IdConflict,
    /// A mainland resident ID number that is not 18 characters with a valid birth date and check digit.
    InvalidIdNumber,
    /// A phone number that is not one (digits, with an optional leading + and separators).
    InvalidPhone,
    /// A volunteer's record kept without their consent (V6, 民政部令第67号).
    ConsentRequired,
    /// A service date or a check-in time later than the clock of the change that records it.
    InFuture,
    /// Two service times of one volunteer overlap.
    Overlap,
    /// One volunteer's service in one day would exceed the rule set's day.
    DayLimit,
    /// A service entry already corrected by another one (correct the newest).
    AlreadyCorrected,
    /// A person already linked to another volunteer (counted once).
    PersonTaken,
    /// A volunteer already signed up for the activity.
    AlreadySignedUp,
    /// A cancel for a volunteer not signed up.
    NotSignedUp,
    /// A change only community staff may make (approving a volunteer, activities, teams, pairs,
    /// reviewing service entries), sent by a login that is not staff.
    StaffOnly,
    /// A certificate's text (or QR payload) that is not one the server issues.
    InvalidCertificate,
    /// A certificate whose signature does not match its content (changed, or signed by another key).
    BadSignature,
    /// A survey answer that does not fit its question (a choice not offered, the wrong type, an answer
    /// to a question not shown); the detail is `survey.validate`'s code.
    InvalidAnswer,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::Required => "required",
            ErrorCode::TooLong => "too_long",
            ErrorCode::OutOfRange => "out_of_range",
            ErrorCode::InvalidDate => "invalid_date",
            ErrorCode::InvalidId => "invalid_id",
            ErrorCode::KindMismatch => "kind_mismatch",
            ErrorCode::UnsupportedVersion => "unsupported_version",
            ErrorCode::NotFound => "not_found",
            ErrorCode::Deleted => "deleted",
            ErrorCode::DoorTaken => "door_taken",
            ErrorCode::HasChildren => "has_children",
            ErrorCode::ClockAhead => "clock_ahead",
            ErrorCode::WrongCommunity => "wrong_community",
            ErrorCode::UnknownFunction => "unknown_function",
            ErrorCode::SurveyNotOpen => "survey_not_open",
            ErrorCode::SurveyClosed => "survey_closed",
            ErrorCode::ArrivedTooLate => "arrived_too_late",
            ErrorCode::ContactedSinceClose => "contacted_since_close",
            ErrorCode::CodeRevoked => "code_revoked",
            ErrorCode::NotInProject => "not_in_project",
            ErrorCode::ItemsWithoutAgreement => "items_without_agreement",
            ErrorCode::ChosenInBallots => "chosen_in_ballots",
            ErrorCode::InvisibleCharacters => "invisible_characters",
            ErrorCode::IdConflict => "id_conflict",
            ErrorCode::InvalidIdNumber => "invalid_id_number",
            ErrorCode::InvalidPhone => "invalid_phone",
            ErrorCode::ConsentRequired => "consent_required",
            ErrorCode::InFuture => "in_future",
            ErrorCode::Overlap => "overlap",
            ErrorCode::DayLimit => "day_limit",
            ErrorCode::AlreadyCorrected => "already_corrected",
            ErrorCode::PersonTaken => "person_taken",
            ErrorCode::AlreadySignedUp => "already_signed_up",
            ErrorCode::NotSignedUp => "not_signed_up",
            ErrorCode::StaffOnly => "staff_only",
            ErrorCode::InvalidCertificate => "invalid_certificate",
            ErrorCode::BadSignature => "bad_signature",
            ErrorCode::InvalidAnswer => "invalid_answer",
        }
    }
}

/// A refusal by the rules: what is wrong, with which field, and any detail that goes into the message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleError {
    pub code: ErrorCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Free detail for the message (a limit, a name); never personal data beyond what the user typed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl RuleError {
    pub fn new(code: ErrorCode) -> Self {
        RuleError {
            code,
            field: None,
            detail: None,
        }
    }
    pub fn field(code: ErrorCode, field: impl Into<String>) -> Self {
        RuleError {
            code,
            field: Some(field.into()),
            detail: None,
        }
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The field's name in the user's language.
    fn field_label(&self, lang: Lang) -> String {
        let Some(f) = self.field.as_deref() else {
            return String::new();
        };
        let leaf = f.rsplit('.').next().unwrap_or(f);
        let leaf = leaf.split('[').next().unwrap_or(leaf);
        match (lang, FieldLabel::of(leaf)) {
            (Lang::Zh, Some(label)) => label.zh().to_string(),
            (Lang::Zh, None) => leaf.to_string(),
            (Lang::En, _) => leaf.replace('_', " "),
        }
    }

    /// A sentence a person can act on, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let f = self.field_label(lang);
        let d = self.detail.clone().unwrap_or_default();
        crate::i18n::fill(Message::of(self.code).text(lang), &[&f, &d])
    }
}

crate::catalogue! {
    /// The sentence for each error code; `{0}` is the field's name, `{1}` the detail.
    pub enum Message {
        InvalidRequest => ("请求格式不正确：{1}", "The request is not well formed: {1}"),
        Required => ("请填写{0}", "Please fill in the {0}"),
        TooLong => ("{0}太长，最多 {1} 个字", "The {0} is too long (at most {1} characters)"),
        OutOfRange => ("{0}超出范围（{1}）", "The {0} is out of range ({1})"),
        InvalidDate => ("{0}格式应为 年-月-日，例如 2026-05-01", "The {0} must be a real date written YYYY-MM-DD"),
        InvalidId => ("{0}不是有效的编号", "The {0} is not a valid id"),
        KindMismatch => ("记录类型与操作不符", "The change does not fit the kind of record it names"),
        UnsupportedVersion => ("数据版本过新或过旧，请更新应用", "This data version is not supported; please update the app"),
        NotFound => ("找不到所属的{0}，可能已被删除", "The {0} it belongs to does not exist (it may have been deleted)"),
        Deleted => ("该记录已被删除，不能再修改", "This record was deleted and cannot be changed"),
        DoorTaken => ("本单元已有门牌号 {1} 的住户", "Another household in this unit already has door number {1}"),
        HasChildren => ("下面还有记录，请先删除它们", "Records still belong to this one; delete them first"),
        ClockAhead => ("本机时间比服务器快太多，请校准手机时间", "This device's clock is too far ahead; please set the correct time"),
        WrongCommunity => ("该记录属于其他社区", "This record belongs to another community"),
        UnknownFunction => ("没有名为 {1} 的函数", "There is no function named {1}"),
        SurveyNotOpen => ("调查尚未开始（{1} 开始）", "The survey has not opened yet (it opens on {1})"),
        SurveyClosed => ("调查已于 {1} 结束，不能再投票", "The survey closed on {1}; no more answers can be given"),
        ArrivedTooLate => (
            "这份答卷在调查结束 {1} 天后才送达，已超过补交期限",
            "This answer arrived more than {1} days after the survey closed, past the grace period"
        ),
        ContactedSinceClose => (
            "调查已于 {1} 结束；这部手机在结束后已联系过服务器，此前没有送出的答卷不再接收",
            "The survey closed on {1}; this device has been in touch with the server since then, so an answer it had not sent by then is no longer accepted"
        ),
        CodeRevoked => (
            "投票码已作废或不存在，请联系社区工作人员",
            "This voting code was revoked or does not exist; please ask the community staff"
        ),
        NotInProject => ("{0}不属于本改造项目", "The {0} is not part of this renovation project"),
        ItemsWithoutAgreement => (
            "不同意改造的住户不能选择改造项目",
            "A household that disagrees with the renovation chooses no items"
        ),
        ChosenInBallots => (
            "已有住户选了这个项目，不能删除",
            "Households have already chosen this item; it cannot be removed"
        ),
        InvisibleCharacters => ("{0}中有看不见的格式字符，请删去后重新输入", "The {0} holds invisible formatting characters; please type it again"),
        IdConflict => ("这条修改的编号已被占用，请重新保存", "This change's id is already taken; please save it again"),
        InvalidIdNumber => (
            "{0}不是有效的18位居民身份证号码（出生日期或校验位不对），不填也可以",
            "The {0} is not a valid 18-character resident ID number (its birth date or check digit is wrong); it may be left empty"
        ),
        InvalidPhone => ("{0}不是有效的电话号码", "The {0} is not a valid phone number"),
        ConsentRequired => (
            "需要本人同意保存志愿者信息后才能登记",
            "A volunteer is registered only once they agree that the record is kept"
        ),
        InFuture => ("{0}不能晚于记录的时间（{1}）", "The {0} cannot be later than the time it is recorded ({1})"),
        Overlap => (
            "{0}与这位志愿者的另一段服务时间重叠（{1}）",
            "The {0} overlaps another service time of this volunteer ({1})"
        ),
        DayLimit => (
            "这位志愿者当天的服务时间合计将超过 {1}",
            "This volunteer's service that day would add up to more than {1}"
        ),
        AlreadyCorrected => (
            "这条服务记录已被更正过，请更正最新的那条",
            "This service entry was already corrected; correct the newest one"
        ),
        PersonTaken => (
            "这位居民已登记为另一位志愿者，每人只算一次",
            "This resident is already linked to another volunteer; each person counts once"
        ),
        AlreadySignedUp => ("这位志愿者已报名这项活动", "This volunteer has already signed up for this activity"),
        NotSignedUp => ("这位志愿者没有报名这项活动", "This volunteer has not signed up for this activity"),
        StaffOnly => (
            "只有社区工作人员可以做这项修改（{1}）",
            "Only community staff may make this change ({1})"
        ),
        InvalidCertificate => (
            "这不是本系统出具的志愿服务记录证明（{1}）",
            "This is not a service-record certificate issued by this system ({1})"
        ),
        BadSignature => (
            "证明的签名与内容不符：内容可能被改动过，或不是本社区出具的",
            "The certificate's signature does not match its content: it may have been changed, or another issuer signed it"
        ),
        InvalidAnswer => (
            "问题 {0} 的回答不符合问卷（{1}）",
            "The answer to question {0} does not fit the form ({1})"
        ),
    }
}

impl Message {
    fn of(code: ErrorCode) -> Message {
        match code {
            ErrorCode::InvalidRequest => Message::InvalidRequest,
            ErrorCode::Required => Message::Required,
            ErrorCode::TooLong => Message::TooLong,
            ErrorCode::OutOfRange => Message::OutOfRange,
            ErrorCode::InvalidDate => Message::InvalidDate,
            ErrorCode::InvalidId => Message::InvalidId,
            ErrorCode::KindMismatch => Message::KindMismatch,
            ErrorCode::UnsupportedVersion => Message::UnsupportedVersion,
            ErrorCode::NotFound => Message::NotFound,
            ErrorCode::Deleted => Message::Deleted,
            ErrorCode::DoorTaken => Message::DoorTaken,
            ErrorCode::HasChildren => Message::HasChildren,
            ErrorCode::ClockAhead => Message::ClockAhead,
            ErrorCode::WrongCommunity => Message::WrongCommunity,
            ErrorCode::UnknownFunction => Message::UnknownFunction,
            ErrorCode::SurveyNotOpen => Message::SurveyNotOpen,
            ErrorCode::SurveyClosed => Message::SurveyClosed,
            ErrorCode::ArrivedTooLate => Message::ArrivedTooLate,
            ErrorCode::ContactedSinceClose => Message::ContactedSinceClose,
            ErrorCode::CodeRevoked => Message::CodeRevoked,
            ErrorCode::NotInProject => Message::NotInProject,
            ErrorCode::ItemsWithoutAgreement => Message::ItemsWithoutAgreement,
            ErrorCode::ChosenInBallots => Message::ChosenInBallots,
            ErrorCode::InvisibleCharacters => Message::InvisibleCharacters,
            ErrorCode::IdConflict => Message::IdConflict,
            ErrorCode::InvalidIdNumber => Message::InvalidIdNumber,
            ErrorCode::InvalidPhone => Message::InvalidPhone,
            ErrorCode::ConsentRequired => Message::ConsentRequired,
            ErrorCode::InFuture => Message::InFuture,
            ErrorCode::Overlap => Message::Overlap,
            ErrorCode::DayLimit => Message::DayLimit,
            ErrorCode::AlreadyCorrected => Message::AlreadyCorrected,
            ErrorCode::PersonTaken => Message::PersonTaken,
            ErrorCode::AlreadySignedUp => Message::AlreadySignedUp,
            ErrorCode::NotSignedUp => Message::NotSignedUp,
            ErrorCode::StaffOnly => Message::StaffOnly,
            ErrorCode::InvalidCertificate => Message::InvalidCertificate,
            ErrorCode::BadSignature => Message::BadSignature,
            ErrorCode::InvalidAnswer => Message::InvalidAnswer,
        }
    }
}

crate::catalogue! {
    /// Field names as people say them (the English is the field name with spaces).
    pub enum FieldLabel {
        Name => ("名称", "name"),
        Address => ("地址", "address"),
        YearBuilt => ("建成年份", "year built"),
        Door => ("门牌号", "door"),
        Area => ("建筑面积", "area m2"),
        Owners => ("业主人数", "owners"),
        Compound => ("小区", "compound id"),
        Building => ("楼栋", "building id"),
        Unit => ("单元", "unit id"),
        Date => ("日期", "date"),
        Days => ("天数", "days"),
        Id => ("编号", "id"),
        Hlc => ("时间", "hlc"),
        Community => ("社区", "community"),
        Function => ("函数", "fn"),
        Username => ("用户名", "username"),
        Password => ("密码", "password"),
        Description => ("说明", "description"),
        Cost => ("估算费用", "cost yuan"),
        Share => ("每户分摊", "share per household yuan"),
        SurveyOpens => ("调查开始日期", "survey opens"),
        SurveyCloses => ("调查结束日期", "survey closes"),
        GraceDays => ("补交期限", "grace days"),
        Catalogue => ("菜单项目", "catalogue"),
        Items => ("选择的项目", "items"),
        Household => ("住户", "household id"),
        Project => ("改造项目", "project id"),
        CastAt => ("投票时间", "cast at ms"),
        ReturnRate => ("回迁率", "return rate pct"),
        Consultation => ("意见征询", "consultation rounds"),
        Electorate => ("表决范围", "electorate"),
        Phone => ("电话", "phone"),
        IdNumber => ("身份证号码", "id number"),
        BirthYear => ("出生年份", "birth year"),
        Person => ("居民", "person id"),
        Volunteer => ("志愿者", "volunteer id"),
        Activity => ("活动", "activity id"),
        Entry => ("服务记录", "entry id"),
        Pair => ("结对", "pair id"),
        Team => ("服务队", "team id"),
        Teams => ("意向服务队", "teams"),
        Skills => ("特长", "skills"),
        Minutes => ("服务时长", "minutes"),
        At => ("签到/签退时间", "at ms"),
        Capacity => ("名额", "capacity"),
        StartTime => ("开始时间", "start time"),
        EndTime => ("结束时间", "end time"),
        ServiceFrom => ("服务开始时间", "from ms"),
        ServiceTo => ("服务结束时间", "to ms"),
        Place => ("地点", "place"),
        Content => ("服务内容", "content"),
        Reason => ("原因", "reason"),
        Corrects => ("被更正的记录", "corrects"),
        RecordedBy => ("记录人", "recorded by"),
        By => ("经办人", "by"),
        Population => ("常住人口", "population"),
        AsOf => ("统计日期", "as of"),
        RuleSetName => ("规则集", "rule set"),
        PersonInCharge => ("负责人", "person in charge"),
        Clerk => ("经办人", "clerk"),
        Contact => ("联系方式", "contact"),
        VolunteerNumber => ("志愿者编号", "volunteer number"),
        Today => ("今天的日期", "today"),
        Collector => ("采集人", "collector"),
        FormTitleZh => ("问卷名称（中文）", "title (Chinese)"),
        FormTitleEn => ("问卷名称（英文）", "title (English)"),
        LabelZh => ("题目（中文）", "question (Chinese)"),
        LabelEn => ("题目（英文）", "question (English)"),
        Choices => ("选项", "choices"),
        Questions => ("题目", "questions"),
        FormVersion => ("问卷版本", "form version id"),
        Response => ("答卷", "response id"),
        Comment => ("审核意见", "comment"),
        Note => ("备注", "note"),
        SubmittedAt => ("提交时间", "submitted at ms"),
        Households => ("住户列表", "households"),
        Form => ("问卷", "form"),
        Title => ("主题", "subject"),
        People => ("人数", "people"),
        Notes => ("纪要或备注", "minutes or note"),
        TypeId => ("类型", "type"),
    }
}

impl FieldLabel {
    /// The label of a field by its JSON name (the last part of a path such as `ops[2].body.area_m2`).
    pub fn of(leaf: &str) -> Option<FieldLabel> {
        Some(match leaf {
            "name" => FieldLabel::Name,
            "address" => FieldLabel::Address,
            "year_built" => FieldLabel::YearBuilt,
            "door" => FieldLabel::Door,
            "area_m2" => FieldLabel::Area,
            "owners" => FieldLabel::Owners,
            "compound_id" => FieldLabel::Compound,
            "building_id" => FieldLabel::Building,
            "unit_id" => FieldLabel::Unit,
            "date" | "start" | "from" | "to" => FieldLabel::Date,
            "days" => FieldLabel::Days,
            "id" => FieldLabel::Id,
            "hlc" => FieldLabel::Hlc,
            "community" => FieldLabel::Community,
            "fn" => FieldLabel::Function,
            "username" => FieldLabel::Username,
            "password" => FieldLabel::Password,
            "description" => FieldLabel::Description,
            "cost_yuan" => FieldLabel::Cost,
            "share_per_household_yuan" => FieldLabel::Share,
            "survey_opens" => FieldLabel::SurveyOpens,
            "survey_closes" => FieldLabel::SurveyCloses,
            "grace_days" => FieldLabel::GraceDays,
            "catalogue" => FieldLabel::Catalogue,
            "items" => FieldLabel::Items,
            "household_id" => FieldLabel::Household,
            "project_id" => FieldLabel::Project,
            "cast_at_ms" => FieldLabel::CastAt,
            "return_rate_pct" => FieldLabel::ReturnRate,
            "consultation_rounds" => FieldLabel::Consultation,
            "electorate" => FieldLabel::Electorate,
            "phone" => FieldLabel::Phone,
            "id_number" => FieldLabel::IdNumber,
            "birth_year" => FieldLabel::BirthYear,
            "person_id" => FieldLabel::Person,
            "volunteer_id" => FieldLabel::Volunteer,
            "activity_id" => FieldLabel::Activity,
            "entry_id" => FieldLabel::Entry,
            "pair_id" => FieldLabel::Pair,
            "team_id" => FieldLabel::Team,
            "teams" => FieldLabel::Teams,
            "skills" => FieldLabel::Skills,
            "minutes" => FieldLabel::Minutes,
            "at_ms" => FieldLabel::At,
            "capacity" => FieldLabel::Capacity,
            "start_time" => FieldLabel::StartTime,
            "end_time" => FieldLabel::EndTime,
            "from_ms" => FieldLabel::ServiceFrom,
            "to_ms" => FieldLabel::ServiceTo,
            "place" => FieldLabel::Place,
            "content" => FieldLabel::Content,
            "reason" => FieldLabel::Reason,
            "corrects" => FieldLabel::Corrects,
            "recorded_by" => FieldLabel::RecordedBy,
            "by" => FieldLabel::By,
            "population" => FieldLabel::Population,
            "as_of" => FieldLabel::AsOf,
            "rule_set" => FieldLabel::RuleSetName,
            "person_in_charge" => FieldLabel::PersonInCharge,
            "clerk" => FieldLabel::Clerk,
            "contact" => FieldLabel::Contact,
            "volunteer_number" => FieldLabel::VolunteerNumber,
            "today" => FieldLabel::Today,
            "collector" => FieldLabel::Collector,
            "title_zh" => FieldLabel::FormTitleZh,
            "title_en" => FieldLabel::FormTitleEn,
            "label_zh" => FieldLabel::LabelZh,
            "label_en" => FieldLabel::LabelEn,
            "choices" => FieldLabel::Choices,
            "questions" => FieldLabel::Questions,
            "form_version_id" => FieldLabel::FormVersion,
            "response_id" | "fixes" => FieldLabel::Response,
            "comment" => FieldLabel::Comment,
            "note" => FieldLabel::Note,
            "title" => FieldLabel::Title,
            "people" => FieldLabel::People,
            "notes" => FieldLabel::Notes,
            "type_id" => FieldLabel::TypeId,
            "submitted_at_ms" => FieldLabel::SubmittedAt,
            "households" => FieldLabel::Households,
            "form" => FieldLabel::Form,
            _ => return None,
        })
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    #[test]
    fn every_message_and_label_in_both_languages() {
        assert_eq!(crate::catalogue_problems!(Message), Vec::<String>::new());
        assert_eq!(crate::catalogue_problems!(FieldLabel), Vec::<String>::new());
        let e = RuleError::field(ErrorCode::TooLong, "ops[2].body.door").with_detail("20");
        assert_eq!(e.message(Lang::Zh), "门牌号太长，最多 20 个字");
        assert_eq!(
            e.message(Lang::En),
            "The door is too long (at most 20 characters)"
        );
        let e = RuleError::field(ErrorCode::NotInProject, "body.items[3]");
        assert_eq!(e.message(Lang::Zh), "选择的项目不属于本改造项目");
    }
}
