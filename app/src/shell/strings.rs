//! The shell's catalogue: the header, the status bar, login and settings, the 404 page, the row statuses, and
//! the messages of the data layer (saving, syncing, logging in, the server's error codes).
//!
//! A leaf module (it imports only the translation mechanism), so the data layer may use it.

use crate::shell::i18n::{Lang, strings};

strings! {
    /// The strings of the shell and of the data layer's messages.
    pub enum Shell {
        AppName => ("邻里", "Linli"),
        Loading => ("正在打开…", "Opening…"),
        PageNotOnPhone => (
            "这一页还没有存到本机，请联网后再打开。",
            "This page is not on this phone yet; open it again with a connection.",
        ),
        TryAgain => ("再试一次", "Try again"),
        Online => ("在线", "Online"),
        Offline => ("离线", "Offline"),
        Waiting => ("未发送", "Not sent"),
        Refused => ("未通过", "Not accepted"),
        LastSync => ("更新", "Updated"),
        Never => ("尚未", "not yet"),
        SyncNow => ("发送", "Send"),
        Syncing => ("发送中…", "Sending…"),
        StatusDetail => ("手机上的修改：详情", "Changes on this phone: details"),
        StatusExplained => (
            "修改先存在这部手机上，有网络时自动发送到服务器；服务器没有通过的修改会列在下面，说明原因。",
            "Changes are kept on this phone first and sent to the server by themselves when there is a network; any the server did not accept are listed below with the reason."
        ),
        Discard => ("放弃这条修改", "Discard this change"),
        DiscardConfirm => (
            "确定放弃这条修改吗？放弃后无法恢复。",
            "Discard this change? It cannot be undone.",
        ),
        ExpiredBanner => (
            "登录已过期。未发送的修改都还保存在本机，请重新登录后发送。",
            "Your login has expired. Unsent changes are still kept on this device; log in again to send them.",
        ),
        LogInAgain => ("重新登录", "Log in again"),
        NotPersistent => (
            "浏览器可能在空间不足时清除本机数据，请尽快同步",
            "The browser may clear this device's data when space runs low; please sync soon",
        ),
        Reason => ("原因", "Reason"),
        /// What a refused deletion is called in the refused list.
        Deletion => ("删除记录", "Deletion"),
        StatusPending => ("待发送", "waiting"),
        StatusSynced => ("已同步", "synced"),
        StatusRefused => ("被拒绝", "refused"),
        Login => ("登录", "Log in"),
        Username => ("用户名", "Username"),
        Password => ("密码", "Password"),
        LoginNeedsNetwork => (
            "登录需要联网，请连接网络后再试",
            "Logging in needs a connection; please try again online",
        ),
        LoginWrongAuthor => (
            "本机还有其他工作人员未发送的修改。请由该工作人员登录发送，或先在“设置”中保存到文件。",
            "This device holds unsent changes by another staff member. Let them log in and send them, or save them to a file in Settings first.",
        ),
        /// The page of an address the app does not know (worded as the compound page's: most such links are
        /// to a compound).
        NotFound => ("找不到该小区", "This compound was not found"),
        /// The link to the home page, the list of compounds.
        BackToCompounds => ("返回小区列表", "Back to compounds"),
        Settings => ("设置", "Settings"),
        Volunteers => ("志愿者", "Volunteers"),
        Standards => ("自评", "Standards"),
        Surveys => ("调查", "Surveys"),
        Language => ("语言", "Language"),
        SaveFile => ("把未发送的修改保存到文件", "Save unsent changes to a file"),
        SavedFile => ("已保存到文件", "Saved to a file"),
        Logout => ("退出登录", "Log out"),
        LogoutRefused => (
            "还有未发送的修改，不能退出。请先同步，或先把它们保存到文件。",
            "There are unsent changes, so you cannot log out. Sync first, or save them to a file first.",
        ),
        LoggedInAs => ("当前登录", "Logged in as"),
        SaveFailed => ("保存失败，请重试", "Could not save; please try again"),
        Saved => ("已保存在本机", "Saved on this device"),
        // The server's error codes whose own message is not shown as given.
    }
}

strings! {
    /// What the server's error codes and a store that cannot open mean, in words: the data layer's messages,
    /// shared by both entries, in a catalogue of their own so the resident's entry carries only these.
    pub enum Basic {
        CodeUnauthorized => ("用户名或密码不正确", "The username or password is not correct"),
        CodeTokenExpired => ("登录已过期，请重新登录", "Your login has expired; please log in again"),
        CodeForbidden => ("没有权限", "You are not allowed to do this"),
        CodeBatchTooLarge => ("一次发送的修改太多", "Too many changes sent at once"),
        CodeNetwork => ("无法连接服务器", "Cannot reach the server"),
        StoreFailed => (
            "无法打开本机存储，请不要使用无痕模式",
            "Cannot open this device's storage; please do not use private browsing",
        ),
    }
}

/// Messages for the server's error codes, when its own message should not be shown as given.
pub fn server_code_message(code: &str, lang: Lang) -> Option<&'static str> {
    let key = match code {
        "unauthorized" => Basic::CodeUnauthorized,
        "token_expired" => Basic::CodeTokenExpired,
        "forbidden" => Basic::CodeForbidden,
        "batch_too_large" => Basic::CodeBatchTooLarge,
        "network" => Basic::CodeNetwork,
        _ => return None,
    };
    Some(key.text(lang))
}

/// The label of a row status (`RowStatus::as_str`: "pending", "refused", otherwise synced).
pub fn status_label(s: &str, lang: Lang) -> &'static str {
    match s {
        "pending" => Shell::StatusPending,
        "refused" => Shell::StatusRefused,
        _ => Shell::StatusSynced,
    }
    .text(lang)
}
