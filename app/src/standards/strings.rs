//! The standards self-check's page strings (the statuses, gaps and levels are the core's words).

use crate::shell::i18n::strings;

strings! {
    /// The strings of the self-check pages.
    pub enum Std {
        Title => ("达标自评", "Self-check against the standards"),
        Intro => ("按本社区已录入的数据自动计算；无法计算的项目由工作人员录入", "Computed from this community's data; what cannot be computed is entered by staff"),
        GroupsMet => ("{0}/{1} 组达标", "{0} of {1} groups met"),
        Back => ("返回达标自评", "Back to the self-check"),
        NotFound => ("找不到该标准", "This standard was not found"),
        ShowAll => ("全部", "All"),
        ShowNotMet => ("未达标", "Not met"),
        ShowDue => ("本期待完成", "Due this period"),
        Value => ("现状", "Now"),
        Threshold => ("标准", "Standard"),
        Computed => ("自动计算", "computed"),
        Enter => ("录入", "Enter"),
        Done => ("已具备", "In place"),
        NotDone => ("未具备", "Not in place"),
        Amount => ("数值", "Value"),
        Numerator => ("达到的数量", "Count that meets it"),
        Denominator => ("总数", "Total"),
        Dates => ("日期（每行一个，如 2026-03-15）", "Dates (one a line, e.g. 2026-03-15)"),
        Note => ("说明", "Note"),
        Evidence => ("佐证材料（台账、照片、文件编号）", "Evidence (ledger, photo, document number)"),
        Save => ("保存", "Save"),
        EnteredBy => ("录入：{0} {1}", "Entered by {0} on {1}"),
        History => ("此前录入 {0} 次", "{0} earlier entries"),
        Verdict => ("结论", "Verdict"),
        StarsMet => ("已达标星级：{0}/16", "Stars met: {0} of 16"),
        Overall => ("总体", "Overall"),
        OpEntry => ("自评录入", "Self-check entry"),
    }
}
