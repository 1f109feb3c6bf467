//! The server's words for surveys (zh, en): XLSForm problems, the export columns and cells, and the
//! not-found sentence. The core's `surveys::Words` holds the feature's shared words (verdicts, statuses).

linli_core::catalogue! {
    /// Surveys words of the server; `{0}`, `{1}` are filled in order.
    pub enum SurveyWords {
        NoSuchForm => ("本社区没有这份问卷", "No such survey form in this community"),
        // XLSForm problems
        NotWorkbook => ("文件不是可读取的 .xlsx 工作簿", "The file is not a readable .xlsx workbook"),
        NoSheet => ("缺少工作表「{0}」", "The sheet “{0}” is missing"),
        NoColumn => ("缺少列「{0}」", "The column “{0}” is missing"),
        NoQuestions => ("没有可导入的题目", "There are no questions to import"),
        UnsupportedType => ("不支持的题型「{0}」", "Unsupported question type “{0}”"),
        UnsupportedColumn => ("不支持列「{0}」", "The column “{0}” is not supported"),
        GroupCondition => (
            "不支持带显示条件的题组，请把条件写在组内每道题上",
            "A group with a condition is not supported; put the condition on each question of the group"
        ),
        MissingType => ("请填写题型（type）", "The type is missing"),
        MissingName => ("请填写编号（name）", "The name is missing"),
        MissingLabel => ("请填写{0}文字", "The {0} label is missing"),
        LangZh => ("中文", "Chinese"),
        LangEn => ("英文", "English"),
        UnknownList => ("选项表（choices）中没有列表「{0}」", "The choices sheet has no list “{0}”"),
        BadRequired => ("required 应为 yes 或 no，而不是「{0}」", "required must be yes or no, not “{0}”"),
        BadRelevant => ("无法识别的显示条件「{0}」：{1}", "Cannot read the condition “{0}”: {1}"),
        BadConstraint => (
            "无法识别的取值范围「{0}」：只支持 . >= 数字 与 . <= 数字（用 and 连接）",
            "Cannot read the constraint “{0}”: only . >= number and . <= number (joined by and) are supported"
        ),
        ConstraintNotNumber => ("只有数字题可以设置取值范围", "Only a number question may have a constraint"),
        MissingTitle => (
            "请在 settings 表中填写问卷标题（form_title::zh 与 form_title::en，或 form_title）",
            "Give the form's title in the settings sheet (form_title::zh and form_title::en, or form_title)"
        ),
        BadPurpose => ("问卷用途「{0}」不存在", "There is no purpose “{0}”"),
        // Expression details
        ExprUnexpected => ("此处不应出现「{0}」", "“{0}” is not expected here"),
        ExprEnd => ("条件不完整", "the condition ends too soon"),
        ExprFunction => ("不支持函数「{0}」", "the function “{0}” is not supported"),
        ExprValue => ("「{0}」不是该题的有效取值", "“{0}” is not a valid value for that question"),
        // Export columns
        ColHousehold => ("户", "Household"),
        ColPerson => ("姓名", "Person"),
        ColCollector => ("采集人", "Collector"),
        ColStarted => ("开始时间", "Started"),
        ColSubmitted => ("提交时间", "Submitted"),
        ColVersion => ("问卷版本", "Form version"),
        ColReview => ("审核状态", "Review"),
        ColCorrection => ("更正情况", "Correction"),
        ColList => ("清单", "List"),
        ColLastSurvey => ("上次需求调查", "Last needs survey"),
        ColVisits => ("今年走访次数", "Visits this year"),
        ColPhone => ("电话", "Phone"),
        // Export cells
        Pending => ("待审核", "pending"),
        FixedLater => ("已被更正", "fixed by a later response"),
        IsFix => ("更正答卷", "a fix"),
        Yes => ("是", "Yes"),
        No => ("否", "No"),
        ListNeeds => ("半年需求调查到期 (S1)", "needs survey due (S1)"),
        ListVisits => ("65岁以上呼叫器走访不足 (S2)", "65+ helper-device visits short (S2)"),
        Never => ("从未调查", "never surveyed"),
        Sheet => ("问卷答卷", "Responses"),
        DueSheet => ("到期清单", "Due lists"),
    }
}

/// The separator of a multiple choice's labels in a cell.
pub fn list_separator(lang: linli_core::Lang) -> &'static str {
    match lang {
        linli_core::Lang::Zh => "、",
        linli_core::Lang::En => ", ",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_in_both_languages() {
        assert_eq!(
            linli_core::catalogue_problems!(SurveyWords),
            Vec::<String>::new()
        );
    }
}
