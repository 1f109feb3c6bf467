//! The translation table: every string the app shows, in Simplified Chinese (the default) and English.

use linli_core::Lang;

/// A string the interface shows. Rule errors are not here: they come from `RuleError::message(lang)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum T {
    AppName,
    Loading,
    StoreFailed,
    Online,
    Offline,
    Waiting,
    Refused,
    LastSync,
    Never,
    SyncNow,
    Syncing,
    ShowRefused,
    HideRefused,
    Discard,
    DiscardConfirm,
    ExpiredBanner,
    LogInAgain,
    NotPersistent,
    Login,
    Username,
    Password,
    LoginNeedsNetwork,
    LoginWrongAuthor,
    Compounds,
    NoCompounds,
    AddCompound,
    CompoundName,
    Address,
    YearBuilt,
    Back,
    Buildings,
    NoBuildings,
    AddBuilding,
    BuildingName,
    UnitName,
    AddUnit,
    NoUnits,
    Door,
    Area,
    Owners,
    AddHousehold,
    NoHouseholds,
    StatusPending,
    StatusSynced,
    StatusRefused,
    NotFound,
    Settings,
    Language,
    SaveFile,
    SavedFile,
    Logout,
    LogoutRefused,
    LoggedInAs,
    SaveFailed,
    Saved,
    SyncDone,
    SyncFailed,
    Reason,
    Households,
    SqM,
}

impl T {
    /// The text in `lang`.
    pub fn in_lang(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            T::AppName => ("邻里", "Linli"),
            T::Loading => ("正在打开…", "Opening…"),
            T::StoreFailed => (
                "无法打开本机存储，请不要使用无痕模式",
                "Cannot open this device's storage; please do not use private browsing",
            ),
            T::Online => ("在线", "Online"),
            T::Offline => ("离线", "Offline"),
            T::Waiting => ("待发送", "Waiting"),
            T::Refused => ("被拒绝", "Refused"),
            T::LastSync => ("上次同步", "Last sync"),
            T::Never => ("从未", "never"),
            T::SyncNow => ("立即同步", "Sync now"),
            T::Syncing => ("同步中…", "Syncing…"),
            T::ShowRefused => ("查看被拒绝的修改", "Show refused changes"),
            T::HideRefused => ("收起", "Hide"),
            T::Discard => ("放弃这条修改", "Discard this change"),
            T::DiscardConfirm => (
                "确定放弃这条修改吗？放弃后无法恢复。",
                "Discard this change? It cannot be undone.",
            ),
            T::ExpiredBanner => (
                "登录已过期。未发送的修改都还保存在本机，请重新登录后发送。",
                "Your login has expired. Unsent changes are still kept on this device; log in again to send them.",
            ),
            T::LogInAgain => ("重新登录", "Log in again"),
            T::NotPersistent => (
                "浏览器可能在空间不足时清除本机数据，请尽快同步",
                "The browser may clear this device's data when space runs low; please sync soon",
            ),
            T::Login => ("登录", "Log in"),
            T::Username => ("用户名", "Username"),
            T::Password => ("密码", "Password"),
            T::LoginNeedsNetwork => (
                "登录需要联网，请连接网络后再试",
                "Logging in needs a connection; please try again online",
            ),
            T::LoginWrongAuthor => (
                "本机还有其他工作人员未发送的修改。请由该工作人员登录发送，或先在“设置”中保存到文件。",
                "This device holds unsent changes by another staff member. Let them log in and send them, or save them to a file in Settings first.",
            ),
            T::Compounds => ("小区", "Compounds"),
            T::NoCompounds => (
                "还没有小区，请在下面添加",
                "No compounds yet; add one below",
            ),
            T::AddCompound => ("添加小区", "Add compound"),
            T::CompoundName => ("小区名称", "Compound name"),
            T::Address => ("地址", "Address"),
            T::YearBuilt => ("建成年份", "Year built"),
            T::Back => ("返回小区列表", "Back to compounds"),
            T::Buildings => ("楼栋", "Buildings"),
            T::NoBuildings => ("还没有楼栋", "No buildings yet"),
            T::AddBuilding => ("添加楼栋", "Add building"),
            T::BuildingName => ("楼栋名称", "Building name"),
            T::UnitName => ("单元名称", "Unit name"),
            T::AddUnit => ("添加单元", "Add unit"),
            T::NoUnits => ("还没有单元", "No units yet"),
            T::Door => ("门牌号", "Door number"),
            T::Area => ("建筑面积（平方米）", "Floor area (m²)"),
            T::Owners => ("业主人数", "Number of owners"),
            T::AddHousehold => ("添加住户", "Add household"),
            T::NoHouseholds => ("还没有住户", "No households yet"),
            T::StatusPending => ("待发送", "waiting"),
            T::StatusSynced => ("已同步", "synced"),
            T::StatusRefused => ("被拒绝", "refused"),
            T::NotFound => ("找不到该小区", "This compound was not found"),
            T::Settings => ("设置", "Settings"),
            T::Language => ("语言", "Language"),
            T::SaveFile => ("把未发送的修改保存到文件", "Save unsent changes to a file"),
            T::SavedFile => ("已保存到文件", "Saved to a file"),
            T::Logout => ("退出登录", "Log out"),
            T::LogoutRefused => (
                "还有未发送的修改，不能退出。请先同步，或先把它们保存到文件。",
                "There are unsent changes, so you cannot log out. Sync first, or save them to a file first.",
            ),
            T::LoggedInAs => ("当前登录", "Logged in as"),
            T::SaveFailed => ("保存失败，请重试", "Could not save; please try again"),
            T::Saved => ("已保存在本机", "Saved on this device"),
            T::SyncDone => ("同步完成", "Sync complete"),
            T::SyncFailed => (
                "同步失败，稍后自动重试",
                "Sync failed; it will retry automatically",
            ),
            T::Reason => ("原因", "Reason"),
            T::Households => ("住户", "Households"),
            T::SqM => ("平方米", "m²"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Messages for the server's error codes, when its own message should not be shown as given.
pub fn server_code_message(code: &str, lang: Lang) -> Option<&'static str> {
    let (zh, en) = match code {
        "unauthorized" => (
            "用户名或密码不正确",
            "The username or password is not correct",
        ),
        "token_expired" => (
            "登录已过期，请重新登录",
            "Your login has expired; please log in again",
        ),
        "forbidden" => ("没有权限", "You are not allowed to do this"),
        "batch_too_large" => ("一次发送的修改太多", "Too many changes sent at once"),
        "network" => ("无法连接服务器", "Cannot reach the server"),
        _ => return None,
    };
    Some(match lang {
        Lang::Zh => zh,
        Lang::En => en,
    })
}

/// A time of day (local time) for the status bar, or the date and time when it is not today.
pub fn format_time(ms: u64, now_ms: u64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    let hm = format!("{:02}:{:02}", d.get_hours(), d.get_minutes());
    if now_ms.saturating_sub(ms) < 20 * 3600 * 1000 {
        hm
    } else {
        format!(
            "{}-{:02}-{:02} {hm}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        )
    }
}

/// A short description of a change for the refused list, e.g. "住户 101".
pub fn describe_op(op: &linli_core::Operation, lang: Lang) -> String {
    use linli_core::Body;
    let zh = lang == Lang::Zh;
    match &op.body {
        Body::CompoundPut(f) => format!("{} {}", if zh { "小区" } else { "Compound" }, f.name),
        Body::BuildingPut(f) => format!("{} {}", if zh { "楼栋" } else { "Building" }, f.name),
        Body::UnitPut(f) => format!("{} {}", if zh { "单元" } else { "Unit" }, f.name),
        Body::HouseholdPut(f) => format!("{} {}", if zh { "住户" } else { "Household" }, f.door),
        Body::ProjectPut(f) => format!("{} {}", if zh { "改造项目" } else { "Project" }, f.name),
        Body::MenuItemPut(f) => format!("{} {}", if zh { "菜单项目" } else { "Menu item" }, f.name),
        Body::BallotCast(_) => (if zh { "住户答卷" } else { "Ballot" }).to_string(),
        Body::Delete => (if zh { "删除记录" } else { "Deletion" }).to_string(),
    }
}

/// Declares a table of strings: an enum of keys and their Simplified Chinese and English texts.
macro_rules! strings {
    ($(#[$m:meta])* $v:vis enum $name:ident { $($key:ident => ($zh:expr, $en:expr $(,)?),)* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $v enum $name { $($key,)* }
        impl $name {
            /// The text in `lang`.
            pub fn in_lang(self, lang: Lang) -> &'static str {
                let (zh, en) = match self { $($name::$key => ($zh, $en),)* };
                match lang {
                    Lang::Zh => zh,
                    Lang::En => en,
                }
            }
        }
    };
}

strings! {
    /// The strings of the renovation screens (RULES §2), staff and residents.
    pub enum R {
        Projects => ("改造项目", "Renovation projects"),
        NoProjects => ("还没有改造项目", "No renovation projects yet"),
        AddProject => ("新建改造项目", "New renovation project"),
        ProjectName => ("项目名称", "Project name"),
        Project => ("项目", "Project"),
        ProjectHome => ("项目概况", "Project"),
        ProjectNotFound => ("找不到该改造项目", "This project was not found"),
        Kind => ("改造类型", "Type of renovation"),
        KindComprehensive => ("综合整治", "Comprehensive renovation"),
        KindDemolish => ("拆改结合", "Demolish and rebuild"),
        SurveyOpens => ("调查开始日期", "Survey opens"),
        SurveyCloses => ("调查截止日期", "Survey closes"),
        GraceDays => ("补交期限（天）", "Grace period (days)"),
        ShowRunning => ("调查期间向居民公布实时结果", "Show running results to residents"),
        Survey => ("意见调查", "Survey"),
        SurveyOpen => ("正在调查", "Open"),
        SurveyNotOpenNow => ("不在调查期内", "Not open now"),
        SurveyClosedNow => ("调查已结束", "The survey has closed"),
        YearBuilt => ("建成年份", "Year built"),
        DangerousCD => ("C级、D级危房", "C- and D-grade dangerous buildings"),
        DangerousC => ("C级危房（栋）", "C-grade dangerous buildings"),
        DangerousD => ("D级危房（栋）", "D-grade dangerous buildings"),
        Priority => ("优先改造", "Priority"),
        PriorityYes => ("优先改造", "Priority"),
        PriorityNo => ("不属于优先改造", "Not a priority"),
        PriorityFacts => ("优先改造情况", "Priority facts"),
        Notices => ("公示", "Public notices"),
        NoticePosted => ("改造方案公示张贴日期", "Menu plan notice posted on"),
        DesignNoticePosted => ("设计方案公示张贴日期", "Design plan notice posted on"),
        NoticeFor => ("公示不少于", "Posted for at least"),
        WorkingDaysUntil => ("个工作日，至", "working days, until the end of"),
        CalendarUnofficial => (
            "注意：该年份的法定节假日安排尚未公布，结束日期按普通周末推算，仅供参考",
            "Note: the official holiday calendar for these dates is not published yet; the end date counts ordinary weekends only",
        ),
        Consultation => ("设计征求意见", "Design consultation"),
        RoundsRecorded => ("已记录征求意见轮次", "Rounds of opinion-gathering recorded"),
        RoundDate => ("征求意见日期", "Date of a round"),
        AddRound => ("添加一轮征求意见", "Add a round"),
        RepresentativeMeeting => ("居民代表会议日期", "Residents' representative meeting"),
        ReturnRate => ("回迁率", "Return rate"),
        ReturnRatePct => ("回迁率（%）", "Return rate (%)"),
        ReturnRateNeeds => ("拆改结合要求回迁率", "Demolish-and-rebuild needs a return rate"),
        SaveProject => ("保存项目情况", "Save project"),
        Menu => ("改造菜单", "Renovation menu"),
        NoMenu => ("菜单还是空的，请从下面的项目库中选择", "The menu is empty; pick items from the catalogue below"),
        Catalogue => ("改造项目库（20项）", "Catalogue (20 items)"),
        Pick => ("选用", "Use"),
        AddItem => ("加入菜单", "Add to menu"),
        EditItem => ("修改菜单项目", "Edit menu item"),
        SaveItem => ("保存修改", "Save changes"),
        Edit => ("修改", "Edit"),
        Cancel => ("取消", "Cancel"),
        ItemName => ("项目名称", "Item"),
        ItemClass => ("类别", "Class"),
        ClassBasic => ("基础类", "Basic"),
        ClassImprovement => ("完善类", "Improvement"),
        ClassUpgrade => ("提升类", "Upgrade"),
        Description => ("说明", "Description"),
        CostYuan => ("估算费用（元）", "Estimated cost (yuan)"),
        ShareYuan => ("每户出资（元，可不填）", "Share per household (yuan, optional)"),
        Cost => ("估算费用", "Estimated cost"),
        Share => ("每户出资", "Per household"),
        OwnersDecision => ("须业主共同决定（民法典第二百七十八条）", "Owners' joint decision (Civil Code art. 278)"),
        OwnersDecisionShort => ("业主共同决定", "Owners' decision"),
        Matter => ("事项类别", "Kind of matter"),
        MatterOrdinary => ("一般事项", "Ordinary matter"),
        MatterSpecial => ("重大事项", "Special matter"),
        DoorToDoor => ("入户收集", "Door to door"),
        Codes => ("投票码", "Voting codes"),
        Results => ("调查结果", "Results"),
        PublicNotice => ("公示页", "Public notice"),
        Collected => ("已收集", "Collected"),
        NotYet => ("尚未收集", "Not yet"),
        ByStaff => ("工作人员代收", "collected by staff"),
        ByResident => ("居民自己填写", "by the resident"),
        PaperBallot => ("按居民的纸质调查表填写", "Copy the household's paper form"),
        AgreeQuestion => ("您是否同意进行改造？", "Do you agree to the renovation?"),
        Agree => ("同意", "Agree"),
        Disagree => ("不同意", "Do not agree"),
        ItemsQuestion => ("您希望改造哪些项目？（可多选）", "Which items do you want? (choose any)"),
        Review => ("下一步：核对", "Next: check"),
        ReviewTitle => ("请核对您的选择", "Please check your answers"),
        NoItemsChosen => ("没有选择项目", "No items chosen"),
        ConfirmSave => ("确认并保存", "Confirm and save"),
        ConfirmSend => ("确认提交", "Confirm and send"),
        ChangeAnswers => ("返回修改", "Go back and change"),
        BackToList => ("返回住户列表", "Back to the households"),
        Coverage => ("回收情况", "Coverage"),
        MeetsTwoThirds => ("达到三分之二", "at least two thirds"),
        BelowTwoThirds => ("未达到三分之二", "below two thirds"),
        Agreement => ("同意改造", "Agreement"),
        AgreeHouseholds => ("同意户数", "Households agreeing"),
        AgreeArea => ("同意户建筑面积", "Floor area agreeing"),
        OfResponded => ("（占已回收）", "(of those who answered)"),
        HouseholdsUnit => ("户", "households"),
        SupportHouseholds => ("希望改造的户数", "Households wanting it"),
        SupportArea => ("面积（平方米）", "Area (m²)"),
        ShareOfResponded => ("占已回收", "Of those who answered"),
        Art278 => ("业主共同决定（民法典第二百七十八条）", "Owners' decision (Civil Code art. 278)"),
        Passed => ("通过", "passed"),
        NotPassed => ("未通过", "not passed"),
        ChangedAnswers => ("修改过意见的住户（以最后一次为准）：", "Households that changed their answer (the last counts):"),
        ComputedHere => ("结果在本机计算，与服务器使用同一套规则", "Computed on this device with the same rules as the server"),
        ExportCsv => ("导出 CSV", "Export CSV"),
        ExportXlsx => ("导出 Excel（XLSX）", "Export Excel (XLSX)"),
        DownloadFailed => ("下载失败", "Download failed"),
        NeedsNetwork => ("需要联网，请连接网络后再试", "This needs a connection; please try again online"),
        NoticeTitle => ("老旧小区改造公示", "Public notice: old-compound renovation"),
        NoticePeriod => ("公示期", "Notice period"),
        Print => ("打印", "Print"),
        IssueCodes => ("生成投票码", "Issue voting codes"),
        CodesHelp => (
            "每户一个投票码。打印后裁开，入户发给居民；居民扫码或输入投票码即可在手机上填写。",
            "One code per household. Print, cut and hand out; residents scan the QR code or type the code to answer on their phone.",
        ),
        CodesNeedNetwork => ("生成投票码需要联网", "Issuing codes needs a connection"),
        SlipHelp => ("请用手机扫码，或打开网址输入投票码", "Scan with your phone, or open the link and type the code"),
        Reissue => ("作废并重新生成", "Revoke and reissue"),
        Revoke => ("作废", "Revoke"),
        IssueOne => ("生成投票码", "Issue a code"),
        RevokeConfirm => (
            "确定作废这户现在的投票码吗？作废后旧纸条不能再用。",
            "Revoke this household's current code? The old slip will no longer work.",
        ),
        AllHaveCodes => (
            "每户都已有投票码。要重新打印某户的投票码，请在下表中点“作废并重新生成”。",
            "Every household already has a code. To print one again, use “Revoke and reissue” below.",
        ),
        Household => ("住户", "Household"),
        CodeState => ("投票码", "Code"),
        CodeActive => ("有效", "active"),
        CodeRevoked => ("已作废", "revoked"),
        CodeNone => ("未生成", "none"),
        VoteTitle => ("老旧小区改造意见调查", "Old-compound renovation survey"),
        CodeLabel => ("请输入投票码（在发给您的纸条上）", "Type the voting code (on the slip you were given)"),
        TypeCode => ("重新输入投票码", "Type the code again"),
        Continue => ("继续", "Continue"),
        ContinueSaved => ("继续上次的住户", "Continue with the last household"),
        FirstVisitNeedsNetwork => (
            "第一次打开需要联网，请连接网络后再试",
            "The first visit needs a connection; please try again online",
        ),
        TooManyAttempts => (
            "尝试次数太多，请稍后再试",
            "Too many attempts; please wait a while and try again",
        ),
        BallotWaiting => ("已保存在手机上，联网后自动发送", "Saved on this phone; it will be sent automatically when online"),
        BallotRefused => ("您的意见没有被接受", "Your answer was not accepted"),
        Received => ("已收到", "Received"),
        YourAnswer => ("您的意见", "Your answer"),
        YourItems => ("您选择的项目", "Items you chose"),
        StartBallot => ("开始填写", "Start"),
        ChangeBallot => ("修改我的意见", "Change my answer"),
        MenuPlain => ("改造菜单：可以改造的项目", "The menu: what can be renovated"),
        YourShare => ("您家需出资", "Your household pays"),
        NoShare => ("居民无需出资", "No payment by residents"),
        Next => ("下一步", "Next"),
        Back => ("上一步", "Back"),
        Privacy => (
            "只显示您家自己的意见和全小区的汇总结果，不显示其他住户的意见。",
            "Only your own answer and the totals for the whole compound are shown, never other households' answers.",
        ),
    }
}
