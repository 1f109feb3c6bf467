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
