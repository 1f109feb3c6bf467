//! The standards self-check's page strings (the statuses, gaps and levels are the core's words).

use crate::shell::i18n::strings;

strings! {
    /// The strings of the self-check pages.
    pub enum Std {
        Title => ("达标自评", "Self-check against the standards"),
        Intro => ("按本社区已录入的数据自动计算；无法计算的项目由工作人员录入", "Computed from this community's data; what cannot be computed is entered by staff"),
        Back => ("返回达标自评", "Back to the self-check"),
        NotFound => ("找不到该标准", "This standard was not found"),
        ShowAll => ("全部", "All"),
        ShowNotMet => ("未达标", "Not met"),
        ShowDue => ("本期待完成", "Due this period"),
        Computed => ("自动计算", "computed"),
        // A computed row's records (计入的记录), opened from the row.
        RecordsVolunteers => ("查看计入的志愿者", "The volunteers counted"),
        RecordsHouseholds => ("查看户籍名册", "The households on the roster"),
        RecordsResponses => ("查看满意度答卷", "The satisfaction responses"),
        NoRegister => ("台账尚未建立，暂由工作人员录入", "no register yet: entered by staff"),
        Enter => ("录入", "Enter"),
        Amount => ("数值", "Value"),
        Numerator => ("达到的数量", "Count that meets it"),
        Denominator => ("总数", "Total"),
        Dates => ("日期（每行一个，如 2026-03-15）", "Dates (one a line, e.g. 2026-03-15)"),
        Note => ("说明", "Note"),
        Evidence => ("佐证材料（台账、照片、文件编号）", "Evidence (ledger, photo, document number)"),
        Save => ("保存", "Save"),
        History => ("此前录入 {0} 次", "{0} earlier entries"),
        Overall => ("总体", "Overall"),
        OpEntry => ("自评录入", "Self-check entry"),
        DueTitle => ("定期工作待办", "Periodic duties"),
        Overdue => ("已逾期：", "Overdue:"),
        DueBy => ("截止", "due by"),
        // The monthly progress (逐月进度): {0} the month, {1} rows met, {2} rows with a pass mark.
        ProgressTitle => ("逐月进度", "Month by month"),
        ProgressNote => ("每月月底（本月为今天）达标的项数 / 有标准值的项数", "Rows met at each month's end (today for this month) of the rows with a pass mark"),
        ProgressMonth => ("{0}：{1}/{2} 项达标", "{0}: {1} of {2} rows met"),
        DueShowAll => ("显示其余 {0} 项", "Show the other {0}"),
        // Photos as evidence (照片佐证).
        TakePhoto => ("拍照作为佐证", "Take a photo as evidence"),
        PhotoCount => ("已拍 {0} 张（最多 {1} 张）", "{0} photo(s) taken (at most {1})"),
        PhotoLimit => ("最多 {0} 张照片", "At most {0} photos"),
        PhotoFailed => ("照片无法处理：{0}", "The photo could not be used: {0}"),
        PhotoShrinking => ("正在压缩照片…", "Shrinking the photo…"),
        RemovePhoto => ("删除照片 {0}", "Remove photo {0}"),
        PhotoAlt => ("佐证照片 {0}：{1}", "Evidence photo {0}: {1}"),
        PhotoWaiting => ("待上传", "waiting to upload"),
        PhotoRefused => ("服务器未接收", "refused by the server"),
        PhotoMissing => ("照片尚未上传，联网后显示", "Not uploaded yet; shown once online"),
        HistoryTitle => ("录入记录", "Entries"),
        // The printable report (自评报告).
        Report => ("打印自评报告", "Printable self-check report"),
        Print => ("打印", "Print"),
        // The application (申报材料, E6): {0} the standard.
        Application => ("申报材料（逐项说明与照片）", "Application (each row's explanation and photos)"),
        ApplicationTitle => ("{0} 申报材料", "{0}: application"),
        ApplicationIntro => ("按标准逐组列出每项的数据、说明、佐证和照片", "Each group of the standard with every row's numbers, explanation, evidence and photos"),
        // The sub-district's side-by-side view (街道汇总): {0} the date; {0} a count.
        SideBySide => ("本街道各社区（按差距排序）", "The sub-district's communities (largest gap first)"),
        SideBySideNote => ("按服务器上已同步的数据，截至 {0}", "From the records synced to the server, as of {0}"),
        OwnCommunity => ("本社区", "this community"),
        NotMetCount => ("未达标 {0} 项", "{0} indicator(s) not met"),
        ReportXlsx => ("下载 Excel", "Download Excel"),
        ReportXlsxNote => ("Excel 由服务器按已同步的数据生成", "The Excel file is made by the server from the synced records"),
        EntryLine => ("{0} · {1} · {2}", "{0} · {1} · {2}"),
        // The activities and meetings logs (活动台账、会议记录).
        LogActivities => ("活动台账", "Activities log"),
        LogMeetings => ("会议记录", "Meetings log"),
        LogAddActivity => ("记一次活动", "Record an activity"),
        LogAddMeeting => ("记一次会议", "Record a meeting"),
        LogEdit => ("修改记录", "Correct the record"),
        LogBack => ("返回记录列表", "Back to the log"),
        LogMissing => ("找不到这条记录（可能已删除）", "This record was not found (it may have been deleted)"),
        LogEmpty => ("还没有记录", "Nothing recorded yet"),
        LogType => ("类型", "Type"),
        LogDate => ("日期", "Date"),
        LogTitle => ("主题", "Subject"),
        LogAttendance => ("参加人数", "People taking part"),
        LogAttendees => ("参会人数", "People attending"),
        LogMinutes => ("会议纪要", "Minutes"),
        LogBadDate => ("请选择日期", "Choose a date"),
        LogBadPeople => ("请填写人数（整数，如 35）", "Enter the number of people (a whole number, e.g. 35)"),
        LogDelete => ("删除这条记录", "Delete this record"),
        LogDeleteConfirm => ("确定删除这条记录吗？", "Delete this record?"),
        // {0} the date, {1} the type, {2} the people.
        LogLine => ("{0} · {1} · {2} 人", "{0} · {1} · {2} people"),
        LogPhotos => ("照片 {0} 张", "{0} photo(s)"),
        // {0} the indicator, {1} the year.
        LogCounted => ("计入 {0} 的记录（{1}年）", "The records {0} counts ({1})"),
        LogShowAll => ("显示全部记录", "Show every record"),
        RecordsActivities => ("查看计入的活动", "The activities counted"),
        RecordsMeetings => ("查看计入的会议", "The meetings counted"),
        FromLog => ("由台账计算", "from the log"),
        OpLogEntry => ("活动/会议记录", "Activity or meeting record"),
        // M5: {0} the date.
        DirectorsMeeting => ("社区主任例会（每月第四周周五）：{0}（周五）09:00", "Directors' meeting (Friday of the 4th week): {0} (Friday) 09:00"),
        // {0} the holiday.
        DirectorsHoliday => ("逢{0}，时间另行通知", "falls on {0}: the day will be notified"),
        // Shanghai's application forms (申报表, 附件1–5).
        ShanghaiForms => ("申报表（附件1–5，打印后逐级签署）", "Application forms (1–5, printed and signed in turn)"),
        ShanghaiFormN => ("附件{0}", "Form {0}"),
        // {0} the date, {1} standards met, {2} of all.
        ShanghaiSituation => ("截至 {0}，按社区建设示范标准自评，{1}/{2} 项达标。", "As of {0}, by the self-check against the demonstration standard, {1} of {2} met."),
        Situation => ("基本情况", "Situation"),
        Basis => ("申报依据（材料可另附）", "Grounds (material may be attached)"),
        BasisAttached => ("附：{0}自评报告、申报材料", "Attached: the {0} self-check report and application"),
        Stamp => ("（盖章）", "(stamp)"),
        YearMonthDay => ("年　　月　　日", "Date:"),
    }
}

/// A photo's refusal by the server in words (the server's code: `photo_too_large`, `not_an_image`,
/// `photo_conflict`, `forbidden`), from the core's words, which the server's messages use too.
pub fn photo_refusal(code: &str, lang: linli_core::Lang) -> String {
    use linli_core::standards::words::Words;
    match code {
        "photo_too_large" => linli_core::i18n::fill(
            Words::PhotoTooLarge.text(lang),
            &[&(linli_core::standards::entries::PHOTO_MAX_BYTES / 1024).to_string()],
        ),
        "not_an_image" => Words::NotAnImage.text(lang).to_string(),
        "photo_conflict" => Words::PhotoConflict.text(lang).to_string(),
        other => crate::shell::strings::server_code_message(other, lang)
            .unwrap_or(other)
            .to_string(),
    }
}
