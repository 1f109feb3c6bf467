//! The resident's side of a renovation vote (R4): log in with the household's code, keep the login, the
//! answer and the receipt in IndexedDB (`resident` store), and send the answer — saved on the phone first,
//! re-sent with the same id until the server answers (accepted, duplicate or rejected).
//!
//! This is the resident's entry (feature `vote`), which has no Leptos (issue 8: a resident's first load is
//! ≤ 100 KB): its state is one [`Screen`] in this thread, and every change of it draws the page again
//! ([`crate::renovation::vote::render`]). No staff login is involved; nothing here touches the staff outbox.

use crate::data::net::{self, ApiError};
use crate::data::store::{self, Db};
use crate::renovation::strings::Ballot;
use crate::shell::i18n::set_html_lang;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use linli_core::Lang;
use linli_core::protocol::OpStatus;
use linli_core::renovation::api::{
    BallotAnswer, CodeLogin, MyBallot, Receipt, VoteBallot, VoteLoginResponse, VoteMeResponse,
};
use linli_core::renovation::{BallotChannel, SurveyPhase, Tally};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

/// The login answer as the phone keeps it: `POST /api/vote/login`'s typed answer (the core's API).
pub type VoteLogin = VoteLoginResponse;
/// The answer as the phone keeps it until the server has it: the request body itself. The id is made once.
pub type PendingBallot = VoteBallot;

/// Why the server refused the answer, as the resident reads it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

/// Everything the phone keeps for one household's code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidentRecord {
    pub code: String,
    pub login: VoteLogin,
    #[serde(default)]
    pub pending: Option<PendingBallot>,
    #[serde(default)]
    pub receipt: Option<Receipt>,
    #[serde(default)]
    pub refused: Option<Refusal>,
    /// The aggregate results (`GET /api/vote/results`), read as the tally it holds: the project and menu
    /// beside it are the login's already.
    #[serde(default)]
    pub results: Option<Tally>,
}

/// A code as typed or printed, in the form used as the key (the same form the server looks it up by).
pub fn normalise(code: &str) -> String {
    linli_core::renovation::canonical_code(code)
}

/// One screen at a time (one task per screen).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Step {
    #[default]
    Home,
    Menu,
    Agree,
    Items,
    Review,
}

/// Everything the resident's page shows.
#[derive(Clone, Debug, Default)]
pub struct Screen {
    pub lang: Lang,
    /// `None` on `/v` (type the code), else the code of `/v/<code>` as it came.
    pub code: Option<String>,
    pub rec: Option<ResidentRecord>,
    /// A login problem (wrong code, too many attempts, no network on the first visit).
    pub error: Option<String>,
    pub sending: bool,
    pub step: Step,
    /// The answer being made: agree or not, and the chosen items.
    pub agree: Option<bool>,
    pub items: Vec<Uuid>,
    /// The last code used on this phone, offered on `/v`.
    pub last: Option<String>,
    /// The code being typed on `/v`.
    pub typed: String,
}

thread_local! {
    static SCREEN: RefCell<Screen> = RefCell::new(Screen::default());
    static DB: RefCell<Option<Db>> = const { RefCell::new(None) };
    static TIMER: Cell<bool> = const { Cell::new(false) };
    static OPENED: Cell<bool> = const { Cell::new(false) };
}

/// Reads the screen's state.
pub fn with<R>(f: impl FnOnce(&Screen) -> R) -> R {
    SCREEN.with(|s| f(&s.borrow()))
}

/// Changes the screen's state without drawing the page again (what the page already shows: a ticked box).
pub fn with_mut(f: impl FnOnce(&mut Screen)) {
    SCREEN.with(|s| f(&mut s.borrow_mut()));
}

/// Changes the screen's state and draws the page again.
pub fn update(f: impl FnOnce(&mut Screen)) {
    SCREEN.with(|s| f(&mut s.borrow_mut()));
    crate::renovation::vote::render();
}

pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

fn lang() -> Lang {
    with(|s| s.lang)
}

fn db() -> Option<Db> {
    DB.with(|d| d.borrow().clone())
}

/// Keeps the opened store and the language it holds.
pub fn install(db: Db, lang: Lang) {
    DB.with(|d| *d.borrow_mut() = Some(db));
    SCREEN.with(|s| s.borrow_mut().lang = lang);
}

/// Changes the language, on the page and on the phone.
pub async fn set_lang(lang: Lang) {
    update(|s| s.lang = lang);
    set_html_lang(lang);
    if let Some(db) = db() {
        let _ = db.set_meta("lang", &lang).await;
    }
}

async fn store(rec: &ResidentRecord) {
    let Some(db) = db() else { return };
    let (Ok(v), Ok(last)) = (store::to_js(rec), store::to_js(&rec.code)) else {
        return;
    };
    if let Err(e) = db
        .resident_put(&[(rec.code.as_str(), v), ("last", last)])
        .await
    {
        web_sys::console::error_1(&JsValue::from_str(&e.0));
    }
}

fn record() -> Option<ResidentRecord> {
    with(|s| s.rec.clone())
}

/// Changes the record on the phone, then on the page.
async fn change(f: impl FnOnce(&mut ResidentRecord)) -> Option<ResidentRecord> {
    let mut rec = record()?;
    f(&mut rec);
    store(&rec).await;
    let kept = rec.clone();
    update(|s| s.rec = Some(kept));
    Some(rec)
}

/// The last code used on this phone, if any.
pub async fn last_code() -> Option<String> {
    db()?.resident_get::<String>("last").await.ok()?
}

async fn login_online(code: &str, lang: Lang) -> Result<VoteLogin, ApiError> {
    let req = CodeLogin {
        code: code.to_string(),
    };
    net::call("POST", "/api/vote/login", None, lang, Some(&req)).await
}

/// The login `boot.js` asked for while the Wasm was loading, when it is for `code` (taken once): `None`
/// when there is none, else the server's answer (`Network` when the request failed).
async fn prefetched_login(code: &str) -> Option<Result<VoteLogin, ApiError>> {
    let w: JsValue = web_sys::window()?.into();
    let key = JsValue::from_str("__linliLogin");
    let started = js_sys::Reflect::get(&w, &key)
        .ok()
        .filter(|v| v.is_object())?;
    let _ = js_sys::Reflect::delete_property(w.unchecked_ref::<js_sys::Object>(), &key);
    let of = |name: &str| js_sys::Reflect::get(&started, &JsValue::from_str(name)).ok();
    if normalise(&of("code")?.as_string()?) != code {
        return None;
    }
    let answer = of("answer")?.dyn_into::<js_sys::Promise>().ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(answer).await.ok()?;
    if !answer.is_object() {
        return Some(Err(ApiError::Network));
    }
    let get = |name: &str| js_sys::Reflect::get(&answer, &JsValue::from_str(name)).ok();
    let status = get("status")?.as_f64()? as u16;
    let text = get("text")?.as_string()?;
    Some(if (200..300).contains(&status) {
        net::parse(&text)
    } else {
        Err(net::error_of(status, &text))
    })
}

fn login_message(e: &ApiError, lang: Lang) -> String {
    match e {
        ApiError::Network => Ballot::FirstVisitNeedsNetwork.text(lang).to_string(),
        ApiError::Http { code, .. } if code == "too_many_attempts" => {
            Ballot::TooManyAttempts.text(lang).to_string()
        }
        e => e.message(lang),
    }
}

/// Opens the household of `code`: from the phone first (works offline), then refreshed from the server.
pub async fn open(code: String) {
    let lang = lang();
    let key = normalise(&code);
    if key.is_empty() {
        return;
    }
    if record().is_some_and(|r| r.code == key) {
        update(|s| s.error = None);
        refresh().await;
        return;
    }
    // A store made as this page opened holds nothing yet when the first household is opened.
    let first = !OPENED.with(|o| o.replace(true));
    let saved = match db().filter(|db| !(db.fresh && first)) {
        Some(db) => db.resident_get::<ResidentRecord>(&key).await.ok().flatten(),
        None => None,
    };
    if let Some(rec) = saved {
        update(|s| {
            s.error = None;
            s.rec = Some(rec);
        });
        refresh().await;
        return;
    }
    update(|s| {
        s.error = None;
        s.rec = None;
    });
    let login = match prefetched_login(&key).await {
        Some(answer) => answer,
        None => login_online(&key, lang).await,
    };
    match login {
        Ok(login) => {
            let rec = ResidentRecord {
                code: key,
                login,
                pending: None,
                receipt: None,
                refused: None,
                results: None,
            };
            // Shown first, then kept: nothing of the resident's is in it yet, and a strict write is a
            // flush to disk on a slow phone.
            update(|s| s.rec = Some(rec.clone()));
            store(&rec).await;
            after_open().await;
        }
        Err(e) => update(|s| s.error = Some(login_message(&e, lang))),
    }
}

async fn after_open() {
    install_triggers();
    if record().is_some_and(|r| r.pending.is_some()) {
        send().await;
    }
    fetch_results().await;
}

/// Brings the stored login up to date (`/api/vote/me`; a new login with the code when the token is gone).
async fn refresh() {
    // A waiting answer goes first: after a survey's close the server believes an answer's cast time only
    // from a login not in touch since the close, and reading the login's view is a contact.
    if record().is_some_and(|r| r.pending.is_some()) {
        send().await;
    }
    let Some(rec) = record() else {
        return;
    };
    let lang = lang();
    // A login made as the page opened (`boot.js`) is the freshest view; else the stored login's.
    if let Some(Ok(l)) = prefetched_login(&rec.code).await {
        change(|r| r.login = l).await;
        after_open().await;
        return;
    }
    let me: Result<VoteMeResponse, ApiError> =
        net::call::<(), _>("GET", "/api/vote/me", Some(&rec.login.token), lang, None).await;
    let fresh = match me {
        Ok(me) => Some(VoteLoginResponse {
            token: rec.login.token.clone(),
            expires_at: me.expires_at,
            view: me.view,
        }),
        Err(e) if e.is_auth() => match login_online(&rec.code, lang).await {
            Ok(l) => Some(l),
            Err(e @ ApiError::Http { .. }) if !e.is_retryable() => {
                update(|s| s.error = Some(login_message(&e, lang)));
                None
            }
            Err(_) => None,
        },
        Err(_) => None,
    };
    if let Some(l) = fresh {
        change(|r| r.login = l).await;
    }
    after_open().await;
}

/// Saves the answer on the phone first, then sends it.
pub async fn cast(agree: bool, items: Vec<Uuid>) {
    let b = PendingBallot {
        id: Uuid::now_v7(),
        agree,
        items,
        cast_at_ms: now_ms(),
    };
    change(|r| {
        r.pending = Some(b);
        r.refused = None;
    })
    .await;
    send().await;
}

/// Sends the waiting answer, if any (same id every time: the server answers a re-send `duplicate`).
pub async fn send() {
    if with(|s| s.sending) {
        return;
    }
    let Some(rec) = record() else {
        return;
    };
    let Some(p) = rec.pending.clone() else {
        return;
    };
    SCREEN.with(|s| s.borrow_mut().sending = true);
    let lang = lang();
    let mut token = rec.login.token.clone();
    let mut answer = post_ballot(&token, &p, lang).await;
    if matches!(&answer, Err(e) if e.is_auth()) {
        match login_online(&rec.code, lang).await {
            Ok(l) => {
                token = l.token.clone();
                change(|r| r.login = l).await;
                answer = post_ballot(&token, &p, lang).await;
            }
            Err(e) => answer = Err(e),
        }
    }
    match answer {
        Ok(a) if a.status == OpStatus::Accepted || a.status == OpStatus::Duplicate => {
            let receipt = a.receipt.unwrap_or(Receipt {
                ballot_id: p.id,
                door: rec.login.view.household.door.clone(),
                agree: p.agree,
                items: p.items.clone(),
                cast_at_ms: p.cast_at_ms,
                received_at_ms: now_ms(),
            });
            change(|r| {
                r.login.view.my_ballot = Some(MyBallot {
                    id: receipt.ballot_id,
                    channel: BallotChannel::Resident,
                    agree: receipt.agree,
                    items: receipt.items.clone(),
                    cast_at_ms: receipt.cast_at_ms,
                    received: true,
                });
                r.receipt = Some(receipt);
                r.pending = None;
                r.refused = None;
            })
            .await;
        }
        Ok(a) => {
            let refusal = Refusal {
                code: a.code.unwrap_or_else(|| "rejected".into()),
                message: a.message.unwrap_or_default(),
            };
            change(|r| {
                r.refused = Some(refusal);
                r.pending = None;
            })
            .await;
        }
        Err(e) if e.is_retryable() => {}
        Err(e) => {
            let refusal = Refusal {
                code: e.code().to_string(),
                message: e.message(lang),
            };
            change(|r| {
                r.refused = Some(refusal);
                r.pending = None;
            })
            .await;
        }
    }
    SCREEN.with(|s| s.borrow_mut().sending = false);
    fetch_results().await;
}

async fn post_ballot(token: &str, p: &PendingBallot, lang: Lang) -> Result<BallotAnswer, ApiError> {
    net::call("POST", "/api/vote/ballot", Some(token), lang, Some(p)).await
}

/// Fetches the aggregate results when the project may show them (closed, or running results shown;
/// the server applies the core's `results_visibility`, which also asks for a minimum of answers).
async fn fetch_results() {
    let Some(rec) = record() else {
        return;
    };
    let p = &rec.login.view.project;
    if !(p.show_running_results || p.survey_status(now_ms()).phase == SurveyPhase::Closed) {
        return;
    }
    // `VoteResults` is the tally with the project and menu beside it; the tally is what is shown.
    let r: Result<Tally, ApiError> = net::call::<(), _>(
        "GET",
        "/api/vote/results",
        Some(&rec.login.token),
        lang(),
        None,
    )
    .await;
    if let Ok(res) = r {
        change(|r| r.results = Some(res)).await;
    }
}

/// Sends the waiting answer, if any, in the background.
fn kick() {
    if record().is_some_and(|r| r.pending.is_some()) {
        wasm_bindgen_futures::spawn_local(send());
    }
}

/// Sends a waiting answer on `online` and every 15 seconds (installed once).
fn install_triggers() {
    if TIMER.with(|t| t.replace(true)) {
        return;
    }
    let Some(w) = web_sys::window() else { return };
    EventListener::new(&w, "online", |_| kick()).forget();
    Interval::new(15_000, kick).forget();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_normalised() {
        assert_eq!(normalise(" ab12-cd34 "), "AB12CD34");
    }

    #[test]
    fn reads_the_login_answer() {
        let j = r#"{"token":"t","expires_at":5,"project":{"id":"0190a0b0-0000-7000-8000-000000000001","name":"P","kind":"comprehensive","survey_opens":"2026-05-06","survey_closes":"2026-05-15","grace_days":3,"show_running_results":false},
            "compound":{"id":"0190a0b0-0000-7000-8000-000000000002","name":"C"},
            "household":{"id":"0190a0b0-0000-7000-8000-000000000003","building":"1号楼","unit":"1单元","door":"101","area_m2":72.5},
            "menu":[{"id":"0190a0b0-0000-7000-8000-000000000004","name":"路面","class":"basic","catalogue":"road","description":"","cost_yuan":1000,"share_per_household_yuan":null,"owners_decision":false,"matter":"ordinary","position":0}],
            "open":true,"my_ballot":null}"#;
        let l: VoteLogin = serde_json::from_str(j).unwrap();
        assert_eq!(l.view.household.door, "101");
        assert_eq!(l.view.menu.len(), 1);
        assert!(l.view.my_ballot.is_none());
    }
}
