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
    /// A voting code that was revoked, or never issued.
    CodeRevoked,
    /// A ballot's household is not in the project's compound, or its item not on the project's menu.
    NotInProject,
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
            ErrorCode::CodeRevoked => "code_revoked",
            ErrorCode::NotInProject => "not_in_project",
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
        let zh = match leaf {
            "name" => "名称",
            "address" => "地址",
            "year_built" => "建成年份",
            "door" => "门牌号",
            "area_m2" => "建筑面积",
            "owners" => "业主人数",
            "compound_id" => "小区",
            "building_id" => "楼栋",
            "unit_id" => "单元",
            "date" | "start" | "from" | "to" => "日期",
            "days" => "天数",
            "id" => "编号",
            "hlc" => "时间",
            "community" => "社区",
            "fn" => "函数",
            "username" => "用户名",
            "password" => "密码",
            "description" => "说明",
            "cost_yuan" => "估算费用",
            "share_per_household_yuan" => "每户分摊",
            "survey_opens" => "调查开始日期",
            "survey_closes" => "调查结束日期",
            "grace_days" => "补交期限",
            "catalogue" => "菜单项目",
            "items" => "选择的项目",
            "household_id" => "住户",
            "project_id" => "改造项目",
            "cast_at_ms" => "投票时间",
            "return_rate_pct" => "回迁率",
            "consultation_rounds" => "意见征询",
            _ => leaf,
        };
        match lang {
            Lang::Zh => zh.to_string(),
            Lang::En => leaf.replace('_', " "),
        }
    }

    /// A sentence a person can act on, in their language.
    pub fn message(&self, lang: Lang) -> String {
        let f = self.field_label(lang);
        let d = self.detail.clone().unwrap_or_default();
        match (lang, self.code) {
            (Lang::Zh, ErrorCode::InvalidRequest) => format!("请求格式不正确：{d}"),
            (Lang::En, ErrorCode::InvalidRequest) => format!("The request is not well formed: {d}"),
            (Lang::Zh, ErrorCode::Required) => format!("请填写{f}"),
            (Lang::En, ErrorCode::Required) => format!("Please fill in the {f}"),
            (Lang::Zh, ErrorCode::TooLong) => format!("{f}太长，最多 {d} 个字"),
            (Lang::En, ErrorCode::TooLong) => {
                format!("The {f} is too long (at most {d} characters)")
            }
            (Lang::Zh, ErrorCode::OutOfRange) => format!("{f}超出范围（{d}）"),
            (Lang::En, ErrorCode::OutOfRange) => format!("The {f} is out of range ({d})"),
            (Lang::Zh, ErrorCode::InvalidDate) => format!("{f}格式应为 年-月-日，例如 2026-05-01"),
            (Lang::En, ErrorCode::InvalidDate) => {
                format!("The {f} must be a real date written YYYY-MM-DD")
            }
            (Lang::Zh, ErrorCode::InvalidId) => format!("{f}不是有效的编号"),
            (Lang::En, ErrorCode::InvalidId) => format!("The {f} is not a valid id"),
            (Lang::Zh, ErrorCode::KindMismatch) => "记录类型与操作不符".to_string(),
            (Lang::En, ErrorCode::KindMismatch) => {
                "The change does not fit the kind of record it names".to_string()
            }
            (Lang::Zh, ErrorCode::UnsupportedVersion) => {
                "数据版本过新或过旧，请更新应用".to_string()
            }
            (Lang::En, ErrorCode::UnsupportedVersion) => {
                "This data version is not supported; please update the app".to_string()
            }
            (Lang::Zh, ErrorCode::NotFound) => format!("找不到所属的{f}，可能已被删除"),
            (Lang::En, ErrorCode::NotFound) => {
                format!("The {f} it belongs to does not exist (it may have been deleted)")
            }
            (Lang::Zh, ErrorCode::Deleted) => "该记录已被删除，不能再修改".to_string(),
            (Lang::En, ErrorCode::Deleted) => {
                "This record was deleted and cannot be changed".to_string()
            }
            (Lang::Zh, ErrorCode::DoorTaken) => format!("本单元已有门牌号 {d} 的住户"),
            (Lang::En, ErrorCode::DoorTaken) => {
                format!("Another household in this unit already has door number {d}")
            }
            (Lang::Zh, ErrorCode::HasChildren) => "下面还有记录，请先删除它们".to_string(),
            (Lang::En, ErrorCode::HasChildren) => {
                "Records still belong to this one; delete them first".to_string()
            }
            (Lang::Zh, ErrorCode::ClockAhead) => {
                "本机时间比服务器快太多，请校准手机时间".to_string()
            }
            (Lang::En, ErrorCode::ClockAhead) => {
                "This device's clock is too far ahead; please set the correct time".to_string()
            }
            (Lang::Zh, ErrorCode::WrongCommunity) => "该记录属于其他社区".to_string(),
            (Lang::En, ErrorCode::WrongCommunity) => {
                "This record belongs to another community".to_string()
            }
            (Lang::Zh, ErrorCode::UnknownFunction) => format!("没有名为 {d} 的函数"),
            (Lang::En, ErrorCode::UnknownFunction) => format!("There is no function named {d}"),
            (Lang::Zh, ErrorCode::SurveyNotOpen) => format!("调查尚未开始（{d} 开始）"),
            (Lang::En, ErrorCode::SurveyNotOpen) => {
                format!("The survey has not opened yet (it opens on {d})")
            }
            (Lang::Zh, ErrorCode::SurveyClosed) => format!("调查已于 {d} 结束，不能再投票"),
            (Lang::En, ErrorCode::SurveyClosed) => {
                format!("The survey closed on {d}; no more answers can be given")
            }
            (Lang::Zh, ErrorCode::ArrivedTooLate) => {
                format!("这份答卷在调查结束 {d} 天后才送达，已超过补交期限")
            }
            (Lang::En, ErrorCode::ArrivedTooLate) => format!(
                "This answer arrived more than {d} days after the survey closed, past the grace period"
            ),
            (Lang::Zh, ErrorCode::CodeRevoked) => {
                "投票码已作废或不存在，请联系社区工作人员".to_string()
            }
            (Lang::En, ErrorCode::CodeRevoked) => {
                "This voting code was revoked or does not exist; please ask the community staff"
                    .to_string()
            }
            (Lang::Zh, ErrorCode::NotInProject) => format!("{f}不属于本改造项目"),
            (Lang::En, ErrorCode::NotInProject) => {
                format!("The {f} is not part of this renovation project")
            }
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for RuleError {}
