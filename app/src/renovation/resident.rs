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
use linli_core::date::Date;
use linli_core::project::{ItemClass, RenovationKind, end_of_day_ms, start_of_day_ms};
use linli_core::renovation::Matter;
use serde::{Deserialize, Serialize};
use std::cell::Cell;
use uuid::Uuid;
use wasm_bindgen::prelude::*;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VProject {
    pub id: Uuid,
    pub name: String,
    #[serde(default)]
    pub kind: RenovationKind,
    pub survey_opens: Date,
    pub survey_closes: Date,
    #[serde(default)]
    pub grace_days: u32,
    #[serde(default)]
    pub show_running_results: bool,
}

impl VProject {
    pub fn is_open(&self, now_ms: u64) -> bool {
        let now = now_ms as i64;
        now >= start_of_day_ms(self.survey_opens) && now < end_of_day_ms(self.survey_closes)
    }

    pub fn is_closed(&self, now_ms: u64) -> bool {
        now_ms as i64 >= end_of_day_ms(self.survey_closes)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VCompound {
    pub id: Uuid,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VHousehold {
    pub id: Uuid,
    #[serde(default)]
    pub building: String,
    #[serde(default)]
    pub unit: String,
    pub door: String,
    #[serde(default)]
    pub area_m2: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VItem {
    pub id: Uuid,
    pub name: String,
    pub class: ItemClass,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub cost_yuan: f64,
    #[serde(default)]
    pub share_per_household_yuan: Option<f64>,
    #[serde(default)]
    pub owners_decision: bool,
    #[serde(default)]
    pub matter: Matter,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyBallot {
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
    #[serde(default)]
    pub received: bool,
}

/// `POST /api/vote/login` (and `GET /api/vote/me`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VoteLogin {
    #[serde(default)]
    pub token: String,
    #[serde(default)]
    pub expires_at: u64,
    pub project: VProject,
    pub compound: VCompound,
    pub household: VHousehold,
    #[serde(default)]
    pub menu: Vec<VItem>,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub my_ballot: Option<MyBallot>,
}

/// The answer as the phone keeps it until the server has it. The id is the ballot's, made once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingBallot {
    pub id: Uuid,
    pub agree: bool,
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub ballot_id: Uuid,
    #[serde(default)]
    pub door: String,
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
    pub received_at_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refusal {
    pub code: String,
    pub message: String,
}

#[derive(Deserialize)]
struct BallotAnswer {
    status: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    receipt: Option<Receipt>,
}

/// The aggregate results a resident may see (`GET /api/vote/results`): never other households' answers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VCoverage {
    pub responded: u64,
    pub total: u64,
    pub ratio: f64,
    pub meets_two_thirds: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VAgreement {
    pub households: u64,
    pub households_ratio: f64,
    #[serde(default)]
    pub area_ratio: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VItemSupport {
    pub id: String,
    pub households: u64,
    pub ratio_of_responded: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VArt278 {
    pub passed: bool,
    #[serde(default)]
    pub explanation_zh: String,
    #[serde(default)]
    pub explanation_en: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VResults {
    pub coverage: VCoverage,
    pub agreement: VAgreement,
    #[serde(default)]
    pub items: Vec<VItemSupport>,
    pub art278: VArt278,
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
    pub results: Option<VResults>,
}

/// A code as typed or printed, in the form used as the key (the same form the server looks it up by).
pub fn normalise(code: &str) -> String {
    linli_core::project::canonical_code(code)
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
    #[derive(Serialize)]
    struct Req<'a> {
        code: &'a str,
    }
    net::call("POST", "/api/vote/login", None, lang, Some(&Req { code })).await
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
    let Some(rec) = s.rec.get_untracked() else {
        return;
    };
    let lang = state::lang();
    let me: Result<VoteLogin, ApiError> =
        net::call::<(), _>("GET", "/api/vote/me", Some(&rec.login.token), lang, None).await;
    let fresh = match me {
        Ok(mut l) => {
            l.token = rec.login.token.clone();
            Some(l)
        }
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
        Ok(a) if a.status == "accepted" || a.status == "duplicate" => {
            let receipt = a.receipt.unwrap_or(Receipt {
                ballot_id: p.id,
                door: rec.login.household.door.clone(),
                agree: p.agree,
                items: p.items.clone(),
                cast_at_ms: p.cast_at_ms,
                received_at_ms: state::now_ms(),
            });
            change(|r| {
                r.login.my_ballot = Some(MyBallot {
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

/// Fetches the aggregate results when the resident may see them (closed, or running results shown).
async fn fetch_results() {
    let Some(rec) = sigs().rec.get_untracked() else {
        return;
    };
    let p = &rec.login.project;
    if !(p.show_running_results || p.is_closed(state::now_ms())) {
        return;
    }
    let r: Result<VResults, ApiError> = net::call::<(), _>(
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
        assert_eq!(l.household.door, "101");
        assert_eq!(l.menu.len(), 1);
        assert!(l.my_ballot.is_none());
    }
}
