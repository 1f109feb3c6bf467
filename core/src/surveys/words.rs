//! The surveys feature's words (zh, en): answer errors of `survey.validate` (`{0}` the question's label,
//! `{1}` a detail), statuses, verdicts, purposes, ledger kinds and column labels. Its refusals of
//! operations are the error catalogue's (`error.rs`), as every feature's are.

use super::forms::Purpose;
use super::records::{HouseholdStatus, Verdict};

crate::catalogue! {
    /// 入户调查 (door-to-door surveys) words.
    pub enum Words {
        // Answer errors (survey.validate, the form at the door)
        ErrRequired => ("请回答「{0}」", "Please answer “{0}”"),
        ErrOutOfRange => ("「{0}」的回答应在 {1} 范围内", "“{0}” must be within {1}"),
        ErrInvalidChoice => ("「{0}」没有选项 {1}", "“{0}” has no choice {1}"),
        ErrWrongType => ("「{0}」的回答应为{1}", "The answer to “{0}” must be {1}"),
        ErrNotShown => ("问题「{0}」此时不显示，不应有回答", "Question “{0}” is not shown here and takes no answer"),
        TypeSingle => ("一个选项", "one choice"),
        TypeMulti => ("选项列表", "a list of choices"),
        TypeYesno => ("是或否", "yes or no"),
        TypeNumber => ("数字", "a number"),
        TypeText => ("文字", "text"),
        TypeDate => ("年-月-日格式的日期", "a date written YYYY-MM-DD"),
        // Household status (S4)
        NotVisited => ("未走访", "not visited"),
        Answered => ("已答卷", "answered"),
        NotHome => ("不在家（需再访）", "not at home (revisit)"),
        Refused => ("拒访", "refused"),
        Vacant => ("空置", "vacant"),
        // Review verdicts
        Approved => ("已通过", "approved"),
        HasIssues => ("有问题，请修改", "has issues"),
        Rejected => ("不采用", "rejected"),
        // Purposes
        PurposeNeeds => ("重点人群需求调查", "needs survey of key groups"),
        PurposeSatisfaction => ("满意度调查", "satisfaction survey"),
        PurposeScreening => ("残疾人康复需求筛查", "rehabilitation-needs screening"),
        PurposeOther => ("其他调查", "other survey"),
        // Ledger (服务台账)
        Ledger => ("服务台账", "Service ledger"),
        LedgerResponse => ("问卷", "survey response"),
        LedgerVisit => ("走访", "visit"),
        LedgerService => ("志愿服务", "volunteer service"),
        // Due lists and figures
        NeverSurveyed => ("从未调查", "never surveyed"),
        DueNeeds => ("半年需求调查到期", "half-yearly needs survey due"),
        VisitsShort => ("今年走访 {0} 次，差 {1} 次", "{0} visits this year, {1} short"),
        Conflict => ("两次采集的值不同，请核定", "two collections disagree; please settle"),
        // Columns
        ColBuilding => ("楼栋", "Building"),
        ColTotal => ("总户数", "Households"),
        ColVisited => ("已走访", "Visited"),
        ColAnswered => ("已答卷", "Answered"),
        ColOutstanding => ("待走访", "Outstanding"),
        ColCoverage => ("覆盖率", "Coverage"),
        ColCollector => ("采集人", "Collector"),
        ColSubmitted => ("提交时间", "Submitted"),
        ColStatus => ("状态", "Status"),
    }
}

impl HouseholdStatus {
    pub fn words(self) -> Words {
        match self {
            HouseholdStatus::NotVisited => Words::NotVisited,
            HouseholdStatus::Answered => Words::Answered,
            HouseholdStatus::NotHome => Words::NotHome,
            HouseholdStatus::Refused => Words::Refused,
            HouseholdStatus::Vacant => Words::Vacant,
        }
    }
}

impl Verdict {
    pub fn words(self) -> Words {
        match self {
            Verdict::Approved => Words::Approved,
            Verdict::HasIssues => Words::HasIssues,
            Verdict::Rejected => Words::Rejected,
        }
    }
}

impl Purpose {
    pub fn words(self) -> Words {
        match self {
            Purpose::Needs => Words::PurposeNeeds,
            Purpose::Satisfaction => Words::PurposeSatisfaction,
            Purpose::DisabilityScreening => Words::PurposeScreening,
            Purpose::Other => Words::PurposeOther,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    #[test]
    fn every_word_in_both_languages() {
        assert_eq!(crate::catalogue_problems!(Words), Vec::<String>::new());
        assert_eq!(
            crate::i18n::fill(Words::VisitsShort.text(Lang::Zh), &["1", "3"]),
            "今年走访 1 次，差 3 次"
        );
        assert_eq!(
            HouseholdStatus::NotHome.words().en(),
            "not at home (revisit)"
        );
    }
}
