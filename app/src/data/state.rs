//! The running app's state: the one [`Local`] and [`Db`] of this tab, the UI's signals, and the actions
//! that change them (save, discard, log in, log out, language, save to a file).
//!
//! `Local` lives in a thread-local (wasm is single-threaded), never inside a signal; a revision signal tells
//! the UI to read it again. No borrow is ever held across an `.await`.
//!
//! Direction: `state` uses `model`, `store`, `net` and `downloads`, never `sync`. The sync client uses
//! `state`, and registers itself with [`on_change`] to hear of each change this tab makes (to tell other tabs
//! and to schedule a sync).

use crate::data::downloads;
use crate::data::model::{Local, OutboxEntry, Session};
use crate::data::net::{self, ApiError};
use crate::data::store::{Db, StoreError};
use crate::shell::i18n::set_html_lang;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::protocol::{LoginRequest, LoginResponse, PushRequest};
use linli_core::sync::{Body, EntityRef, Operation};
use linli_core::{Lang, RuleError, RuleSet};
use std::cell::{Cell, RefCell};
use uuid::Uuid;

thread_local! {
    static LOCAL: RefCell<Local> = RefCell::new(Local::default());
    static DB: RefCell<Option<Db>> = const { RefCell::new(None) };
    static UI: Cell<Option<Ui>> = const { Cell::new(None) };
    /// Another tab changed IndexedDB while this one was busy: reload before trusting memory.
    static STALE: Cell<bool> = const { Cell::new(false) };
    static ON_CHANGE: Cell<Option<fn(Change)>> = const { Cell::new(None) };
}

/// A change this tab made to IndexedDB, as told to the listener registered with [`on_change`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// A change was queued in the outbox.
    Queued,
    /// A queued change was discarded.
    Discarded,
    /// A staff member logged in.
    LoggedIn,
    /// The staff member logged out.
    LoggedOut,
}

/// Registers the one listener of this tab's changes (the sync client, at start).
pub fn on_change(f: fn(Change)) {
    ON_CHANGE.with(|c| c.set(Some(f)));
}

fn changed(c: Change) {
    if let Some(f) = ON_CHANGE.with(|h| h.get()) {
        f(c);
    }
}

/// The signals the UI reads. `rev` changes whenever [`Local`] does.
#[derive(Clone, Copy)]
pub struct Ui {
    pub rev: RwSignal<u64>,
    pub lang: RwSignal<Lang>,
    pub online: RwSignal<bool>,
    pub syncing: RwSignal<bool>,
    /// The last sync failure, for the status bar.
    pub sync_error: RwSignal<Option<String>>,
}

thread_local! {
    /// The rule set in force: the server's (a district may have its own thresholds), else the defaults.
    /// Replaced only when the server's changes, so the old one is simply left behind.
    static RULES: std::cell::Cell<&'static RuleSet> = std::cell::Cell::new(Box::leak(Box::new(RuleSet::default())));
}

/// The rule set the app checks and judges with: the server's, as last fetched, else the national defaults.
pub fn rules() -> &'static RuleSet {
    RULES.with(|r| r.get())
}

fn set_rules(r: RuleSet) {
    if *rules() != r {
        RULES.with(|c| c.set(Box::leak(Box::new(r))));
    }
}

/// Fetches the server's rule set (`GET /api/rules`) and keeps it on the phone when it changed, so every
/// page shows the thresholds the server judges by. Once per start is enough; failures change nothing.
pub async fn refresh_rules() {
    let Ok(r) = net::call::<(), RuleSet>("GET", "/api/rules", None, lang(), None).await else {
        return;
    };
    if *rules() == r {
        return;
    }
    if let Some(db) = db()
        && db.set_meta("rules", &r).await.is_err()
    {
        return;
    }
    update_silent(|l| l.rules = Some(r.clone()));
    set_rules(r);
    bump();
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Installs the loaded state and creates the UI's signals (once, at start).
pub fn install(db: Db, local: Local) -> Ui {
    let online = web_sys::window()
        .map(|w| w.navigator().on_line())
        .unwrap_or(true);
    let ui = Ui {
        rev: RwSignal::new(0),
        lang: RwSignal::new(local.lang),
        online: RwSignal::new(online),
        syncing: RwSignal::new(false),
        sync_error: RwSignal::new(None),
    };
    if let Some(r) = local.rules.clone() {
        set_rules(r);
    }
    LOCAL.with(|l| *l.borrow_mut() = local);
    DB.with(|d| *d.borrow_mut() = Some(db));
    UI.with(|u| u.set(Some(ui)));
    ui
}

pub fn ui() -> Option<Ui> {
    UI.with(|u| u.get())
}

pub fn db() -> Option<Db> {
    DB.with(|d| d.borrow().clone())
}

/// Reads the state. Inside a reactive closure, call `ui.rev.get()` first so it re-runs on changes.
pub fn with<R>(f: impl FnOnce(&Local) -> R) -> R {
    LOCAL.with(|l| f(&l.borrow()))
}

/// Changes the state without telling the UI (call [`bump`] after).
pub fn update_silent<R>(f: impl FnOnce(&mut Local) -> R) -> R {
    LOCAL.with(|l| f(&mut l.borrow_mut()))
}

/// Tells the UI the state changed.
pub fn bump() {
    if let Some(ui) = ui() {
        ui.rev.update(|r| *r += 1);
    }
}

pub fn update<R>(f: impl FnOnce(&mut Local) -> R) -> R {
    let r = update_silent(f);
    bump();
    r
}

pub fn lang() -> Lang {
    with(|l| l.lang)
}

pub fn set_stale(v: bool) {
    STALE.with(|s| s.set(v));
}

pub fn is_stale() -> bool {
    STALE.with(|s| s.get())
}

/// The logged-in staff member's community (empty when nobody is logged in).
pub fn community() -> String {
    with(|l| {
        l.session
            .as_ref()
            .map(|s| s.community.clone())
            .unwrap_or_default()
    })
}

/// The volunteer record this phone acts for, when it is a volunteer's own phone (role `volunteer`).
pub fn volunteer_me() -> Option<Uuid> {
    with(|l| {
        l.session
            .as_ref()
            .filter(|s| s.role == linli_core::protocol::Role::Volunteer)
            .and_then(|s| linli_core::volunteers::volunteer_of_author(&s.username))
    })
}

/// Makes this phone volunteer `id`'s own, for `community`, before the server knows them: the
/// registration is queued like any change, and the first sync sends it to `/api/volunteers/join`, which
/// answers with the phone's login (see `sync.rs`). Works offline.
pub async fn begin_volunteer(community: String, id: Uuid) -> Result<(), StoreError> {
    let db = db().ok_or_else(|| StoreError("not open".into()))?;
    let session = Session {
        token: String::new(),
        expires_at: u64::MAX,
        username: linli_core::volunteers::volunteer_author(id),
        role: linli_core::protocol::Role::Volunteer,
        community,
        community_name: String::new(),
    };
    db.save_session(&session, true).await?;
    reload().await?;
    changed(Change::LoggedIn);
    request_persistence();
    Ok(())
}

/// The logged-in staff member's username (empty when nobody is logged in): who recorded a change.
pub fn username() -> String {
    with(|l| {
        l.session
            .as_ref()
            .map(|s| s.username.clone())
            .unwrap_or_default()
    })
}

/// A staff call to the server for what lives only there (codes, certificates), with the logged-in
/// token; its error in the person's language (`offline` when there is no answer). A 401 marks the
/// login expired.
pub async fn staff_call<B: serde::Serialize, R: serde::de::DeserializeOwned>(
    method: &str,
    path: &str,
    lang: Lang,
    body: Option<&B>,
    offline: &str,
) -> Result<R, String> {
    let token = with(|l| l.session.as_ref().map(|s| s.token.clone()));
    match net::call(method, path, token.as_deref(), lang, body).await {
        Ok(v) => Ok(v),
        Err(ApiError::Network) => Err(offline.to_string()),
        Err(e) => {
            if e.is_auth() {
                mark_expired().await;
            }
            Err(e.message(lang))
        }
    }
}

/// Replaces memory with what IndexedDB holds (after another tab changed it).
pub async fn reload() -> Result<(), StoreError> {
    let db = db().ok_or_else(|| StoreError("not open".into()))?;
    let fresh = db.load().await?;
    if let Some(r) = fresh.rules.clone() {
        set_rules(r);
    }
    set_stale(false);
    update(|l| *l = fresh);
    if let Some(ui) = ui() {
        ui.lang.set(lang());
    }
    Ok(())
}

/// Why a change was not saved.
#[derive(Clone, Debug, PartialEq)]
pub enum SaveError {
    /// The rules refused it; nothing was stored. The message names the field.
    Rule(RuleError),
    /// Nobody is logged in on this device.
    NoSession,
    /// IndexedDB failed; nothing was stored.
    Store(String),
}

impl SaveError {
    pub fn field(&self) -> Option<&str> {
        match self {
            SaveError::Rule(e) => e
                .field
                .as_deref()
                .map(|f| f.rsplit('.').next().unwrap_or(f)),
            _ => None,
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        match self {
            SaveError::Rule(e) => e.message(lang),
            SaveError::NoSession => Shell::LogInAgain.text(lang).to_string(),
            SaveError::Store(s) => format!("{} ({s})", Shell::SaveFailed.text(lang)),
        }
    }
}

/// Makes and checks an operation against the local view (the rules of the core, RULES H1), without storing it.
pub fn prepare(entity: EntityRef, body: Body) -> Result<Operation, SaveError> {
    let now = now_ms();
    update_silent(|l| {
        let op = l
            .new_op(Uuid::now_v7(), now, entity, body)
            .ok_or(SaveError::NoSession)?;
        l.view.check(&op, rules(), now).map_err(SaveError::Rule)?;
        Ok(op)
    })
}

/// Saves one change: checked first (nothing stored on error), then outbox entry + clock in one strict
/// transaction, then applied to the view. Returns the operation id.
pub async fn save(entity: EntityRef, body: Body) -> Result<Uuid, SaveError> {
    save_dropping_draft(entity, body, None).await
}

/// [`save`], deleting the survey draft `draft` in the same transaction (a submitted response).
pub async fn save_dropping_draft(
    entity: EntityRef,
    body: Body,
    draft: Option<Uuid>,
) -> Result<Uuid, SaveError> {
    let db = db().ok_or(SaveError::NoSession)?;
    let op = prepare(entity, body)?;
    let entry = OutboxEntry::pending(op, now_ms());
    let clock = with(|l| l.clock);
    db.queue_and_drop_draft(std::slice::from_ref(&entry), &clock, draft)
        .await
        .map_err(|e| SaveError::Store(e.0))?;
    let id = entry.op.id;
    update(|l| {
        // A reload from another tab's message may already have brought it in.
        if !l.outbox.iter().any(|e| e.op.id == id) {
            l.view.apply(&entry.op);
            l.outbox.push(entry);
        }
    });
    changed(Change::Queued);
    Ok(id)
}

/// Discards a refused (or any queued) change, on the person's request.
pub async fn discard(op_id: Uuid) -> Result<(), StoreError> {
    let db = db().ok_or_else(|| StoreError("not open".into()))?;
    let tx = db.write()?;
    tx.delete_outbox(&op_id)?;
    tx.commit().await?;
    update(|l| {
        l.outbox.retain(|e| e.op.id != op_id);
        l.rebuild_view();
    });
    changed(Change::Discarded);
    Ok(())
}

/// Why a login did not happen.
#[derive(Clone, Debug, PartialEq)]
pub enum LoginError {
    Api(ApiError),
    /// The outbox holds another staff member's changes (they would be sent under this login).
    ForeignChanges,
    Store(String),
}

impl LoginError {
    pub fn message(&self, lang: Lang) -> String {
        match self {
            LoginError::Api(ApiError::Network) => Shell::LoginNeedsNetwork.text(lang).to_string(),
            LoginError::Api(e) => e.message(lang),
            LoginError::ForeignChanges => Shell::LoginWrongAuthor.text(lang).to_string(),
            LoginError::Store(s) => format!("{} ({s})", Shell::SaveFailed.text(lang)),
        }
    }
}

/// Logs in online. Unsent changes of another staff member block it; a different account starts from empty
/// confirmed data (its community's), but the outbox is never dropped.
///
/// In two steps, so that a device nobody is logged in on needs only the first one's code (issue 8): the
/// server's answer ([`login_request`], in the main module), then keeping it ([`finish_login`], in the chunk
/// of the logged-in app, `shell::start`).
pub async fn login_request(
    username: String,
    password: String,
) -> Result<LoginResponse, LoginError> {
    let req = LoginRequest {
        username: username.trim().to_string(),
        password,
    };
    net::call("POST", "/api/auth/login", None, lang(), Some(&req))
        .await
        .map_err(LoginError::Api)
}

/// Keeps a login the server has answered: refused if the outbox holds another staff member's changes.
pub async fn finish_login(resp: LoginResponse) -> Result<(), LoginError> {
    let db = db().ok_or_else(|| LoginError::Store("not open".into()))?;
    // Re-read the outbox from IndexedDB: another tab may have queued changes.
    let outbox = db.outbox().await.map_err(|e| LoginError::Store(e.0))?;
    if outbox.iter().any(|e| e.op.author != resp.username) {
        return Err(LoginError::ForeignChanges);
    }
    let session: Session = resp;
    let reset = with(|l| {
        l.session
            .as_ref()
            .is_none_or(|s| s.username != session.username || s.community != session.community)
    });
    db.save_session(&session, reset)
        .await
        .map_err(|e| LoginError::Store(e.0))?;
    reload().await.map_err(|e| LoginError::Store(e.0))?;
    changed(Change::LoggedIn);
    request_persistence();
    Ok(())
}

/// Logs out, if nothing unsent would be lost. Returns false (and does nothing) otherwise.
pub async fn logout() -> Result<bool, StoreError> {
    let db = db().ok_or_else(|| StoreError("not open".into()))?;
    let meta = db.meta().await?;
    let outbox = db.outbox().await?;
    if !outbox.iter().all(|e| meta.exported.contains(&e.op.id)) {
        return Ok(false);
    }
    if let Some(s) = with(|l| l.session.clone()) {
        // Best effort: the token dies on its own when the server cannot be reached.
        let _ = net::call_text("POST", "/api/auth/logout", Some(&s.token), lang(), None).await;
    }
    db.log_out().await?;
    // The photos go too (after the log-out itself: a failure here leaves a logged-out phone with photos
    // the next login of the same community would still upload, never a half log-out).
    db.clear_photos().await?;
    reload().await?;
    changed(Change::LoggedOut);
    Ok(true)
}

pub async fn set_lang(lang: Lang) {
    update(|l| l.lang = lang);
    if let Some(ui) = ui() {
        ui.lang.set(lang);
    }
    if let Some(db) = db() {
        let _ = db.set_meta("lang", &lang).await;
    }
    set_html_lang(lang);
}

/// Saves every unsent change (pending and refused) to a JSON file the server's push endpoint imports as is.
pub async fn export_file() -> Result<usize, StoreError> {
    let db = db().ok_or_else(|| StoreError("not open".into()))?;
    let outbox = db.outbox().await?;
    let device_id = with(|l| l.device_id);
    let req = PushRequest {
        device_id,
        ops: outbox.iter().map(|e| e.op.clone()).collect(),
    };
    let json = serde_json::to_string_pretty(&req).map_err(|e| StoreError(e.to_string()))?;
    let d = js_sys::Date::new_0();
    let name = format!(
        "linli-unsent-{}{:02}{:02}-{:02}{:02}.json",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    );
    downloads::download_text(&name, "application/json", &json).map_err(StoreError)?;
    let ids: std::collections::BTreeSet<Uuid> = outbox.iter().map(|e| e.op.id).collect();
    db.set_meta("exported", &ids).await?;
    update(|l| l.exported = ids);
    Ok(req.ops.len())
}

/// Asks the browser to keep this origin's storage (once logged in) and records the answer.
pub fn request_persistence() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
            return;
        };
        let granted = match storage.persist() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            Err(_) => false,
        };
        update(|l| l.persisted = Some(granted));
        if let Some(db) = db() {
            let _ = db.set_meta("persisted", &granted).await;
        }
    });
}

/// Marks the session expired (a 401): the queue is kept; the banner asks to log in again.
pub async fn mark_expired() {
    update(|l| l.session_expired = true);
    if let Some(db) = db() {
        let _ = db.set_meta("session_expired", &true).await;
    }
}
