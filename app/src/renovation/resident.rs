//! The resident's side of a renovation vote (R4): log in with the household's code, keep the login, the
//! answer and the receipt in IndexedDB (`resident` store), and send the answer — saved on the phone first,
//! re-sent with the same id until the server answers (accepted, duplicate or rejected).
//!
//! No staff login is involved; nothing here touches the staff outbox.

use crate::data::net::{self, ApiError};
use crate::data::state;
use crate::data::store;
use crate::renovation::strings::Reno;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::protocol::OpStatus;
use linli_core::renovation::api::{
    BallotAnswer, CodeLogin, MyBallot, Receipt, VoteBallot, VoteLoginResponse, VoteMeResponse,
    VoteResults,
};
use linli_core::renovation::{BallotChannel, SurveyPhase};
use serde::{Deserialize, Serialize};
use std::cell::Cell;
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
    #[serde(default)]
    pub results: Option<VoteResults>,
}

/// A code as typed or printed, in the form used as the key (the same form the server looks it up by).
pub fn normalise(code: &str) -> String {
    linli_core::renovation::canonical_code(code)
}

/// The resident screen's signals (made once at start, outside any component).
#[derive(Clone, Copy)]
pub struct Sigs {
    pub rec: RwSignal<Option<ResidentRecord>>,
    /// A login problem (wrong code, too many attempts, no network on the first visit).
    pub error: RwSignal<Option<String>>,
    pub busy: RwSignal<bool>,
    pub sending: RwSignal<bool>,
}

thread_local! {
    static SIGS: Cell<Option<Sigs>> = const { Cell::new(None) };
    static TIMER: Cell<bool> = const { Cell::new(false) };
}

pub fn install() {
    let s = Sigs {
        rec: RwSignal::new(None),
        error: RwSignal::new(None),
        busy: RwSignal::new(false),
        sending: RwSignal::new(false),
    };
    SIGS.with(|c| c.set(Some(s)));
}

pub fn sigs() -> Sigs {
    SIGS.with(|c| c.get()).expect("resident signals installed")
}

async fn store(rec: &ResidentRecord) {
    let Some(db) = state::db() else { return };
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

/// Changes the record in memory and on the phone.
async fn change(f: impl FnOnce(&mut ResidentRecord)) -> Option<ResidentRecord> {
    let s = sigs();
    let mut rec = s.rec.get_untracked()?;
    f(&mut rec);
    store(&rec).await;
    s.rec.set(Some(rec.clone()));
    Some(rec)
}

/// The last code used on this phone, if any.
pub async fn last_code() -> Option<String> {
    state::db()?.resident_get::<String>("last").await.ok()?
}

async fn login_online(code: &str, lang: Lang) -> Result<VoteLogin, ApiError> {
    let req = CodeLogin {
        code: code.to_string(),
    };
    net::call("POST", "/api/vote/login", None, lang, Some(&req)).await
}

fn login_message(e: &ApiError, lang: Lang) -> String {
    match e {
        ApiError::Network => Reno::FirstVisitNeedsNetwork.text(lang).to_string(),
        ApiError::Http { code, .. } if code == "too_many_attempts" => {
            Reno::TooManyAttempts.text(lang).to_string()
        }
        e => e.message(lang),
    }
}

/// Opens the household of `code`: from the phone first (works offline), then refreshed from the server.
pub async fn open(code: String) {
    let s = sigs();
    let lang = state::lang();
    let key = normalise(&code);
    if key.is_empty() {
        return;
    }
    s.error.set(None);
    if s.rec.get_untracked().is_some_and(|r| r.code == key) {
        refresh().await;
        return;
    }
    s.busy.set(true);
    let saved = match state::db() {
        Some(db) => db.resident_get::<ResidentRecord>(&key).await.ok().flatten(),
        None => None,
    };
    if let Some(rec) = saved {
        s.rec.set(Some(rec));
        s.busy.set(false);
        refresh().await;
        return;
    }
    s.rec.set(None);
    match login_online(&key, lang).await {
        Ok(login) => {
            let rec = ResidentRecord {
                code: key,
                login,
                pending: None,
                receipt: None,
                refused: None,
                results: None,
            };
            store(&rec).await;
            s.rec.set(Some(rec));
            s.busy.set(false);
            after_open().await;
        }
        Err(e) => {
            s.busy.set(false);
            s.error.set(Some(login_message(&e, lang)));
        }
    }
}

async fn after_open() {
    install_triggers();
    if sigs()
        .rec
        .get_untracked()
        .is_some_and(|r| r.pending.is_some())
    {
        send().await;
    }
    fetch_results().await;
}

/// Brings the stored login up to date (`/api/vote/me`; a new login with the code when the token is gone).
async fn refresh() {
    let s = sigs();
    // A waiting answer goes first: after a survey's close the server believes an answer's cast time only
    // from a login not in touch since the close, and reading the login's view is a contact.
    if s.rec.get_untracked().is_some_and(|r| r.pending.is_some()) {
        send().await;
    }
    let Some(rec) = s.rec.get_untracked() else {
        return;
    };
    let lang = state::lang();
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
                s.error.set(Some(login_message(&e, lang)));
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
        cast_at_ms: state::now_ms(),
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
    let s = sigs();
    if s.sending.get_untracked() {
        return;
    }
    let Some(rec) = s.rec.get_untracked() else {
        return;
    };
    let Some(p) = rec.pending.clone() else {
        return;
    };
    s.sending.set(true);
    let lang = state::lang();
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
                received_at_ms: state::now_ms(),
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
    s.sending.set(false);
    fetch_results().await;
}

async fn post_ballot(token: &str, p: &PendingBallot, lang: Lang) -> Result<BallotAnswer, ApiError> {
    net::call("POST", "/api/vote/ballot", Some(token), lang, Some(p)).await
}

/// Fetches the aggregate results when the project may show them (closed, or running results shown;
/// the server applies the core's `results_visibility`, which also asks for a minimum of answers).
async fn fetch_results() {
    let Some(rec) = sigs().rec.get_untracked() else {
        return;
    };
    let p = &rec.login.view.project;
    if !(p.show_running_results || p.survey_status(state::now_ms()).phase == SurveyPhase::Closed) {
        return;
    }
    let r: Result<VoteResults, ApiError> = net::call::<(), _>(
        "GET",
        "/api/vote/results",
        Some(&rec.login.token),
        state::lang(),
        None,
    )
    .await;
    if let Ok(res) = r {
        change(|r| r.results = Some(res)).await;
    }
}

/// Sends the waiting answer, if any, in the background.
fn kick() {
    if sigs()
        .rec
        .get_untracked()
        .is_some_and(|r| r.pending.is_some())
    {
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
