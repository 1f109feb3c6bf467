//! The renovation feature's words (zh, en): terms, the tally's explanations, and the export's column labels.
//! The app's renovation pages, the server's CSV/XLSX and the core's explanations all read them here.

use super::project::{ItemClass, RenovationKind};
use super::tally::{Coverage, Matter};
use crate::error::Lang;
use crate::i18n::{fill, fraction_words};

crate::catalogue! {
    /// 改造 (renovation) words.
    pub enum Words {
        MatterOrdinary => ("一般事项", "ordinary matter"),
        MatterSpecial => ("特别事项", "special matter"),
        ClassBasic => ("基础类", "basic"),
        ClassImprovement => ("完善类", "improvement"),
        ClassUpgrade => ("提升类", "upgrade"),
        KindComprehensive => ("综合整治", "comprehensive renovation"),
        KindDemolishRebuild => ("拆改结合", "demolish and rebuild"),
        Yes => ("是", "yes"),
        No => ("否", "no"),
        // R5 coverage
        CoverageSentence => ("已回收 {0}/{1} 户（{2}），{3}", "{0} of {1} households answered ({2}); {3}"),
        CoverageMeets => ("达到{0}", "at least {0}"),
        CoverageBelow => ("未达到{0}", "below {0}"),
        // R9 art. 278 explanations
        Art278Explanation => (
            "《民法典》第二百七十八条（{0}）：参与表决的面积占{1}、人数占{2}（均需{3}）；同意的面积占参与面积{4}、人数占参与人数{5}（均需{6}）。{7}",
            "Civil Code art. 278 ({0}): owners taking part hold {1} of the area and are {2} of the owners (each needs {3}); those consenting hold {4} of the participating area and are {5} of the participating owners (each needs {6}). {7}"
        ),
        Art278Passed => ("结果：通过。", "Result: passed."),
        Art278NotPassed => ("结果：未通过——{0}。", "Result: not passed — {0}."),
        Art278ListSeparator => ("；", "; "),
        FailAreaTookPart => ("参与表决的专有面积不足{0}", "owners taking part hold less than {0} of the area"),
        FailOwnersTookPart => ("参与表决的业主人数不足{0}", "fewer than {0} of the owners took part"),
        FailAreaConsent => ("同意的面积未达到参与面积的{0}", "consenting area is not {0} of the participating area"),
        FailOwnersConsent => ("同意的人数未达到参与人数的{0}", "consenting owners are not {0} of those taking part"),
        // Export columns and rows
        ColMeasure => ("指标", "Measure"),
        ColValue => ("数值", "Value"),
        RowProject => ("项目", "Project"),
        RowSurveyPeriod => ("调查时间", "Survey period"),
        RowHouseholds => ("住户总数", "Households"),
        RowResponded => ("已答户数", "Households responded"),
        RowWaiting => ("本机待发送的答卷（未计入）", "Ballots on this phone waiting to be sent (not counted)"),
        RowRespondedOfAll => ("已答户数/住户总数", "Responded / households"),
        RowCoverage => ("覆盖率", "Coverage"),
        RowCoverageMeets => ("覆盖率达到{0}", "Coverage meets {0}"),
        RowAgreeing => ("同意户数", "Households agreeing"),
        RowAgreeingShareAll => ("同意户数占总户数", "Agreeing share of all households"),
        RowAgreeingShareResponded => ("同意户数占已答户数", "Agreeing share of households responded"),
        RowAgreeingArea => ("同意面积 m²", "Agreeing area m²"),
        RowAgreeingAreaShareAll => ("同意面积占总面积", "Agreeing share of all area"),
        RowAgreeingAreaShareResponded => ("同意面积占已答面积", "Agreeing share of area responded"),
        RowParticipationArea => ("参与表决面积占比", "Participation by area"),
        RowParticipationOwners => ("参与表决人数占比", "Participation by owners"),
        RowParticipationThreshold => ("参与门槛", "Participation threshold"),
        RowConsentArea => ("同意面积占参与面积", "Consent by area"),
        RowConsentOwners => ("同意人数占参与人数", "Consent by owners"),
        RowConsentThreshold => ("同意门槛", "Consent threshold"),
        RowArt278Passed => ("民法典第278条表决通过", "Civil Code art. 278 passed"),
        RowExplanationZh => ("说明", "Explanation, zh"),
        RowExplanationEn => ("说明", "Explanation, en"),
        RowChangedAnswers => ("改过答案的户数", "Households that changed their answer"),
        RowRounds => ("设计意见征询轮次", "Design consultation rounds"),
        RowRoundsMin => ("至少需{0}轮", "at least {0} needed"),
        RowReturnRate => ("回迁率", "Return rate"),
        ColNo => ("序号", "No."),
        ColItem => ("改造内容", "Item"),
        ColClass => ("类别", "Class"),
        ColElectorate => ("表决范围", "Decided by"),
        ColCost => ("估算费用（元）", "Estimated cost (yuan)"),
        ColShare => ("每户出资（元）", "Share per household (yuan)"),
        ColSupport => ("支持户数", "Households"),
        ColSupportArea => ("支持面积 m²", "Area m²"),
        ColSupportShare => ("占已答户数", "Share of households responded"),
        ColOwnersDecision => ("业主共同决定事项", "Owners' joint decision"),
        ColArt278Passed => ("第278条通过", "Art. 278 passed"),
        ColExplanation => ("说明", "Explanation"),
        ColId => ("编号", "Id"),
        ElectorateCompound => ("全小区", "whole compound"),
        ElectorateBuilding => ("本楼栋", "its building"),
        ElectorateUnit => ("本单元", "its unit"),
        // Refusals the server gives residents and staff
        TooManyCodeAttempts => ("投票码输错次数过多，请 {0}后再试", "Too many wrong voting codes; please try again in {0}"),
        ResultsAfterClose => (
            "调查结束后才能查看结果（本项目不公布进行中的结果）",
            "Results can be seen once the survey has closed (this project does not show running results)"
        ),
        ResultsTooFewAnswers => (
            "至少 {0} 户作答后才公布进行中的结果，以免推知邻居的选择",
            "Running results appear once at least {0} households have answered, so no one can infer a neighbour's answer"
        ),
        ResultsAfterGrace => (
            "调查已结束；离线收集的答卷可在 {0} 前补交，届时公布结果",
            "The survey has closed; answers collected offline may still arrive until {0}, when the results appear"
        ),
        NoSuchHousehold => ("本项目所在小区没有这一户", "No such household in this project's compound"),
        NoSuchProject => ("本社区没有这个改造项目", "No such renovation project in your community"),
        AlreadyIssued => (
            "这一户已有有效的投票码；如需新码请用“重新发放”",
            "This household already has an active voting code; use reissue for a new one"
        ),
    }
}

impl Matter {
    pub fn words(self) -> Words {
        match self {
            Matter::Ordinary => Words::MatterOrdinary,
            Matter::Special => Words::MatterSpecial,
        }
    }
}

impl ItemClass {
    pub fn words(self) -> Words {
        match self {
            ItemClass::Basic => Words::ClassBasic,
            ItemClass::Improvement => Words::ClassImprovement,
            ItemClass::Upgrade => Words::ClassUpgrade,
        }
    }
}

impl RenovationKind {
    pub fn words(self) -> Words {
        match self {
            RenovationKind::Comprehensive => Words::KindComprehensive,
            RenovationKind::DemolishRebuild => Words::KindDemolishRebuild,
        }
    }
}

/// A ratio as a percentage with one decimal: "66.7%".
pub fn pct(x: f64) -> String {
    format!("{}%", crate::i18n::fixed(x * 100.0, 1))
}

impl Coverage {
    /// R5 in words, with the rule set's threshold: "已回收 7/10 户（70.0%），达到三分之二".
    pub fn sentence(&self, lang: Lang) -> String {
        let mark = fill(
            if self.met {
                Words::CoverageMeets
            } else {
                Words::CoverageBelow
            }
            .text(lang),
            &[&fraction_words(self.threshold, lang)],
        );
        fill(
            Words::CoverageSentence.text(lang),
            &[
                &self.responded.to_string(),
                &self.total.to_string(),
                &pct(self.ratio),
                &mark,
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Fraction;

    #[test]
    fn every_word_in_both_languages() {
        assert_eq!(crate::catalogue_problems!(Words), Vec::<String>::new());
    }

    #[test]
    fn coverage_sentence_follows_the_threshold() {
        let mut c = Coverage {
            responded: 7,
            total: 10,
            ratio: 0.7,
            threshold: Fraction {
                num: 2,
                den: 3,
                strict: false,
            },
            met: true,
        };
        assert_eq!(
            c.sentence(Lang::Zh),
            "已回收 7/10 户（70.0%），达到三分之二"
        );
        c.threshold = Fraction {
            num: 3,
            den: 4,
            strict: false,
        };
        c.met = false;
        assert_eq!(
            c.sentence(Lang::Zh),
            "已回收 7/10 户（70.0%），未达到四分之三"
        );
        assert_eq!(
            c.sentence(Lang::En),
            "7 of 10 households answered (70.0%); below three quarters"
        );
        // The app's former test, moved here: 6 of 10 against two thirds.
        let c = Coverage {
            responded: 6,
            total: 10,
            ratio: 0.6,
            threshold: Fraction {
                num: 2,
                den: 3,
                strict: false,
            },
            met: false,
        };
        assert_eq!(
            c.sentence(Lang::En),
            "6 of 10 households answered (60.0%); below two thirds"
        );
    }
}
