//! The sync client (DESIGN.md "Sync model"): push the outbox in batches, then pull, inside a Web Lock so only
//! one tab of the device syncs at a time; retried with back-off; other tabs told through a BroadcastChannel.
//!
//! Direction: `sync` uses `state` (and `model`, `net`, `store`); `state` does not know `sync`: at start the
//! sync client registers with `state::on_change` to hear of the changes this tab makes.

use crate::data::model::{OutboxEntry, OutboxStatus};
use crate::data::net::{self, ApiError};
use crate::data::state::{self, Change};
use crate::data::store::{self, StoreError};
use crate::shell::strings::Shell;
use gloo_events::EventListener;
use gloo_timers::callback::{Interval, Timeout};
use leptos::prelude::Set;
use linli_core::protocol::{MAX_PULL_LIMIT, OpStatus, PullResponse, PushResponse};
use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap, HashSet};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Operations per push (the server takes up to `MAX_PUSH_OPS`).
pub const PUSH_BATCH: usize = linli_core::protocol::MAX_PUSH_OPS;
/// Stored operations beyond twice the records that trigger a compaction of the store's pages.
const COMPACT_SLACK: usize = 5000;
const LOCK_NAME: &str = "linli-sync";
const CHANNEL: &str = "linli";
const BACKOFF_START_MS: u32 = 1_000;
const BACKOFF_MAX_MS: u32 = 60_000;
/// The periodic sync.
pub const INTERVAL_MS: u32 = 30_000;

/// What one sync did.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SyncReport {
    pub pushed: u32,
    pub pulled: u32,
    pub rejected: u32,
    /// Time spent pushing, and pulling, in milliseconds.
    pub push_ms: f64,
    pub pull_ms: f64,
    /// Photos the server took (stored now, or already held).
    pub photos: u32,
}

/// Uploads the community's photos the server does not hold yet (`PUT /api/standards/evidence/{id}`),
/// oldest first. Each one the server takes (201, or 200: it already held these bytes) is marked uploaded in
/// its own strict transaction and stays on the phone; one it refuses for good (413, 415, 409, 403, any other
/// 4xx but 401, 408 and 429) is kept, marked with the code, and not sent again; no answer, 408, 429 or a
/// server failure stops the sync for a retry with back-off — a photo is never dropped.
async fn upload_photos(
    db: &store::Db,
    session: &crate::data::model::Session,
    lang: linli_core::Lang,
) -> Result<u32, SyncError> {
    let mut done = 0;
    for mut meta in db.photos_to_upload(&session.community).await? {
        let Some((_, bytes)) = db.photo(&meta.id).await? else {
            continue;
        };
        let path = format!("/api/standards/evidence/{}", meta.id);
        let (status, text) = net::put_bytes(
            &path,
            Some(&session.token),
            lang,
            &bytes,
            &meta.content_type,
        )
        .await?;
        match status {
            200 | 201 => {
                meta.uploaded = true;
                done += 1;
            }
            401 => return Err(SyncError::Expired),
            // Refused for good (too large, not an image, other bytes under its id, another community's id,
            // or any other refusal of the request itself): kept, not sent again, and never in the way of
            // the changes behind it.
            400..=499 if status != 408 && status != 429 => {
                let code = serde_json::from_str::<linli_core::protocol::ErrorBody>(&text)
                    .map(|b| b.error.code)
                    .unwrap_or_else(|_| format!("http_{status}"));
                meta.refused = Some(code);
            }
            _ => {
                return Err(SyncError::Api(ApiError::Http {
                    status,
                    code: format!("http_{status}"),
                    message: format!("HTTP {status}"),
                    field: None,
                }));
            }
        }
        db.put_photo(&meta, &bytes).await?;
    }
    Ok(done)
}

#[derive(Clone, Debug, PartialEq)]
pub enum SyncError {
    NoSession,
    /// The login has expired (or the server refused the token): log in again; nothing is dropped.
    Expired,
    Api(ApiError),
    Store(StoreError),
}

impl From<StoreError> for SyncError {
    fn from(e: StoreError) -> Self {
        SyncError::Store(e)
    }
}

impl From<ApiError> for SyncError {
    fn from(e: ApiError) -> Self {
        if e.is_auth() {
            SyncError::Expired
        } else {
            SyncError::Api(e)
        }
    }
}

impl SyncError {
    pub fn code(&self) -> String {
        match self {
            SyncError::NoSession => "no_session".into(),
            SyncError::Expired => "token_expired".into(),
            SyncError::Api(e) => e.code().to_string(),
            SyncError::Store(_) => "store".into(),
        }
    }

    pub fn message(&self, lang: linli_core::Lang) -> String {
        match self {
            SyncError::NoSession | SyncError::Expired => {
                Shell::ExpiredBanner.text(lang).to_string()
            }
            SyncError::Api(e) => e.message(lang),
            SyncError::Store(e) => e.0.clone(),
        }
    }

    fn retryable(&self) -> bool {
        match self {
            SyncError::Api(e) => e.is_retryable(),
            SyncError::Store(_) => true,
            _ => false,
        }
    }
}

/// Runs `f` while holding the Web Lock `linli-sync` (or directly where the browser has no Web Locks).
async fn with_lock<F>(f: F) -> Result<SyncReport, SyncError>
where
    F: std::future::Future<Output = Result<SyncReport, SyncError>> + 'static,
{
    let out = std::rc::Rc::new(RefCell::new(None));
    let locks = web_sys::window()
        .map(|w| {
            js_sys::Reflect::get(&w.navigator(), &"locks".into()).unwrap_or(JsValue::UNDEFINED)
        })
        .unwrap_or(JsValue::UNDEFINED);
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|r| r.dyn_into::<js_sys::Function>().ok());
    match request {
        Some(request) if !locks.is_undefined() => {
            let slot = out.clone();
            let cb = Closure::once_into_js(move |_lock: JsValue| {
                wasm_bindgen_futures::future_to_promise(async move {
                    let r = f.await;
                    *slot.borrow_mut() = Some(r);
                    Ok(JsValue::UNDEFINED)
                })
            });
            let p = request
                .call2(&locks, &JsValue::from_str(LOCK_NAME), &cb)
                .map_err(|e| SyncError::Store(e.into()))?;
            JsFuture::from(js_sys::Promise::from(p))
                .await
                .map_err(|e| SyncError::Store(e.into()))?;
            let r = out.borrow_mut().take();
            r.unwrap_or(Err(SyncError::Store(StoreError(
                "lock released without result".into(),
            ))))
        }
        _ => f.await,
    }
}

thread_local! {
    static RULES_FETCHED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// One full sync: push everything pending, then pull until up to date.
pub async fn sync_once() -> Result<SyncReport, SyncError> {
    let ui = state::ui();
    if let Some(ui) = ui {
        ui.syncing.set(true);
    }
    IN_FLIGHT.with(|c| c.set(c.get() + 1));
    let r = with_lock(sync_locked()).await;
    IN_FLIGHT.with(|c| c.set(c.get() - 1));
    match &r {
        Ok(_) => {
            if let Some(ui) = ui {
                ui.sync_error.set(None);
            }
            // The server's thresholds, once per start (a district may have its own rule set).
            if !RULES_FETCHED.with(|f| f.replace(true)) {
                state::refresh_rules().await;
            }
        }
        Err(SyncError::Expired) => state::mark_expired().await,
        Err(e) => {
            if let Some(ui) = ui {
                ui.sync_error.set(Some(e.message(state::lang())));
            }
        }
    }
    if let Some(ui) = ui {
        ui.syncing.set(false);
    }
    r
}

/// Deletes the outbox entries of `done` (acknowledged in this batch) with as few range deletes as the key
/// order allows. `keys` is every outbox id in key order; `gone` the ones already deleted. A key that stays
/// (pending in a later batch, or refused) ends a run; the store checks each run holds nothing else.
fn delete_acknowledged(
    tx: &store::Tx,
    keys: &[uuid::Uuid],
    gone: &mut HashSet<uuid::Uuid>,
    done: &HashSet<uuid::Uuid>,
) -> Result<(), StoreError> {
    let mut run = Vec::new();
    for k in keys {
        if done.contains(k) {
            run.push(*k);
        } else if !gone.contains(k) && !run.is_empty() {
            tx.delete_outbox_run(std::mem::take(&mut run))?;
        }
    }
    tx.delete_outbox_run(run)?;
    gone.extend(done.iter().copied());
    Ok(())
}

/// Stages a pushed batch's answer in a transaction of its own: refused operations marked in the outbox, the
/// acknowledged ones deleted from it and stored as a page (`ops_js`, the batch's JSON, when all were).
fn stage(
    db: &store::Db,
    batch: &[OutboxEntry],
    ops_js: &js_sys::JsString,
    resp: PushResponse,
    keys: &[uuid::Uuid],
    gone: &mut HashSet<uuid::Uuid>,
) -> Result<Landing, SyncError> {
    let by_id: HashMap<_, _> = resp.results.into_iter().map(|r| (r.op_id, r)).collect();
    let tx = db.write()?;
    let mut done = Vec::new();
    let mut refused = Vec::new();
    for e in batch {
        // An operation the server did not answer for stays pending and goes again next time.
        let Some(r) = by_id.get(&e.op.id) else {
            continue;
        };
        match r.status {
            OpStatus::Accepted | OpStatus::Duplicate => done.push(e.op.clone()),
            OpStatus::Rejected => {
                let mut e = e.clone();
                e.status = OutboxStatus::Rejected;
                e.code = r.code.clone();
                e.message = r.message.clone();
                e.field = r.field.clone();
                tx.put_outbox(&e)?;
                refused.push(e);
            }
        }
    }
    // The acknowledged changes leave the outbox and become confirmed in one transaction: stored as a page
    // (until the pull brings them back), then, once it is on disk, applied in memory (`Landing::land`).
    let ids: HashSet<_> = done.iter().map(|o| o.id).collect();
    let put = delete_acknowledged(&tx, keys, gone, &ids).and_then(|()| match done.first() {
        Some(first) if done.len() == batch.len() => {
            tx.put_ops_page_js(&format!("a{}", first.id), ops_js)
        }
        Some(first) => tx.put_ops_page(&format!("a{}", first.id), &done),
        None => Ok(()),
    });
    if let Err(e) = put {
        state::set_stale(true);
        return Err(e.into());
    }
    Ok(Landing { tx, done, refused })
}

/// A pushed batch whose answers are being written: outbox entries deleted or marked, confirmed records put.
struct Landing {
    tx: store::Tx,
    done: Vec<linli_core::Operation>,
    refused: Vec<OutboxEntry>,
}

impl Landing {
    /// Awaits the commit, then updates memory. Returns true when the server answered for none of the batch.
    async fn land(self, report: &mut SyncReport) -> Result<bool, SyncError> {
        let Landing { tx, done, refused } = self;
        if let Err(e) = tx.commit().await {
            state::set_stale(true);
            return Err(e.into());
        }
        report.pushed += done.len() as u32;
        report.rejected += refused.len() as u32;
        let nothing = done.is_empty() && refused.is_empty();
        // Silent: the page shows the view, which the push does not change; a page re-rendered after every
        // batch cost more than the push itself (the roster of 10,000 households read and sorted ten
        // times). The status is shown once the push is over.
        state::update_silent(|l| {
            for op in &done {
                l.confirmed.apply(op);
            }
            l.stored_ops += done.len();
            let ids: BTreeSet<_> = done.iter().map(|o| o.id).collect();
            l.outbox.retain(|e| !ids.contains(&e.op.id));
            for r in refused {
                if let Some(e) = l.outbox.iter_mut().find(|e| e.op.id == r.op.id) {
                    *e = r;
                }
            }
        });
        Ok(nothing)
    }
}

/// Sends this phone's registration (V1) to `POST /api/volunteers/join` and keeps the login it answers with.
/// A refused registration is marked refused in the outbox, with the server's words, like a refused push.
async fn join(
    db: &store::Db,
    session: crate::data::model::Session,
    lang: linli_core::Lang,
) -> Result<crate::data::model::Session, SyncError> {
    let me = linli_core::volunteers::volunteer_of_author(&session.username)
        .ok_or(SyncError::NoSession)?;
    let outbox = db.outbox().await?;
    let Some(entry) = outbox.into_iter().find(|e| {
        e.status == OutboxStatus::Pending
            && e.op.entity.id == me
            && matches!(e.op.body, linli_core::registry::Body::VolunteerPut(_))
    }) else {
        return Err(SyncError::NoSession);
    };
    #[derive(serde::Serialize)]
    struct JoinRequest<'a> {
        op: &'a linli_core::Operation,
    }
    let req = JoinRequest { op: &entry.op };
    match net::call::<_, crate::data::model::Session>(
        "POST",
        "/api/volunteers/join",
        None,
        lang,
        Some(&req),
    )
    .await
    {
        Ok(login) => {
            db.save_session(&login, false).await?;
            state::update(|l| l.session = Some(login.clone()));
            Ok(login)
        }
        Err(net::ApiError::Http {
            status: 400,
            code,
            message,
            field,
        }) => {
            let mut e = entry;
            e.status = OutboxStatus::Rejected;
            e.code = Some(code);
            e.message = Some(message.clone());
            e.field = field;
            let tx = db.write()?;
            tx.put_outbox(&e)?;
            tx.commit().await?;
            state::update(|l| {
                if let Some(x) = l.outbox.iter_mut().find(|x| x.op.id == e.op.id) {
                    *x = e;
                }
            });
            Err(SyncError::Api(net::ApiError::Http {
                status: 400,
                code: "rejected".into(),
                message,
                field: None,
            }))
        }
        Err(e) => Err(e.into()),
    }
}

/// For the pull benchmark: inside the lock, forgets the confirmed data and the cursor (the outbox stays),
/// then syncs, so the pull starts from an empty device.
pub async fn sync_from_empty() -> Result<SyncReport, SyncError> {
    with_lock(async {
        let db = state::db().ok_or(SyncError::NoSession)?;
        let tx = db.write()?;
        tx.clear_confirmed()?;
        tx.put_meta("cursor", &0i64)?;
        tx.commit().await?;
        state::reload().await?;
        sync_locked().await
    })
    .await
}

/// Rewrites the confirmed pages as one snapshot of records now, inside the lock (the browser tests' way
/// to reach what a long-used device does on its own).
pub async fn compact() -> Result<SyncReport, SyncError> {
    with_lock(async {
        let db = state::db().ok_or(SyncError::NoSession)?;
        compact_locked(&db).await?;
        Ok(SyncReport::default())
    })
    .await
}

async fn compact_locked(db: &store::Db) -> Result<(), SyncError> {
    let confirmed = state::with(|l| l.confirmed.clone());
    db.compact(&confirmed).await?;
    state::update_silent(|l| l.stored_ops = 0);
    Ok(())
}

async fn sync_locked() -> Result<SyncReport, SyncError> {
    let db = state::db().ok_or(SyncError::NoSession)?;
    // Inside the lock, trust IndexedDB, not memory: another tab may have synced or queued changes.
    let meta = db.meta().await?;
    let session = meta.session.clone().ok_or(SyncError::NoSession)?;
    if meta.session_expired {
        return Err(SyncError::Expired);
    }
    if state::is_stale() || state::with(|l| l.cursor != meta.cursor || l.session != meta.session) {
        state::reload().await?;
    }
    let lang = state::lang();
    // A volunteer's own phone registered before it had a login: its registration goes to the join
    // endpoint, which answers with the login; the registration then stays in the outbox and is pushed like
    // any change (answered `duplicate`, so acknowledged).
    let session =
        if session.token.is_empty() && session.role == linli_core::protocol::Role::Volunteer {
            join(&db, session, lang).await?
        } else {
            session
        };
    let token = session.token.as_str();
    let device_id = state::with(|l| l.device_id);
    let mut report = SyncReport::default();
    let mut failed = false;

    // Photos taken as evidence first (照片佐证): an entry that names them then reaches the server after
    // them, so another device that pulls it finds them there.
    report.photos = upload_photos(&db, &session, lang).await?;

    // Push: pending operations, by HLC, in batches.
    let t_push = js_sys::Date::now();
    // Every outbox key in key order (ids compared as IndexedDB compares their text). When they are the
    // ones memory holds, memory's entries are IndexedDB's (entries change only here, under the lock):
    // reading 10,000 entries back would cost more than the push of a batch.
    let keys = db.outbox_keys().await?;
    let mut known: Vec<uuid::Uuid> = state::with(|l| l.outbox.iter().map(|e| e.op.id).collect());
    // A hyphenated lower-case UUID's text sorts as its bytes do: no texts made to sort them.
    known.sort_unstable();
    let outbox = if known == keys {
        state::with(|l| l.outbox.clone())
    } else {
        db.outbox().await?
    };
    let mut gone = HashSet::new();
    let pending: Vec<_> = outbox
        .into_iter()
        .filter(|e| e.status == OutboxStatus::Pending)
        .collect();
    // Pipelined: as soon as a batch's answer is in, the next batch goes on the wire, and while it is there
    // the answer is staged in a transaction, the batch before it lands (its transaction commits, then
    // memory takes it) and the one after is serialised. Batches still go one at a time, in order (a
    // household must reach the server after its unit).
    let batches: Vec<&[OutboxEntry]> = pending.chunks(PUSH_BATCH).collect();
    let body_of = |batch: &[OutboxEntry]| {
        // The batch's operations as JSON once, crossed into JavaScript once: the request's body is built
        // around it there, and it is the page stored when every operation is acknowledged.
        let ops: Vec<&linli_core::Operation> = batch.iter().map(|e| &e.op).collect();
        let ops_js = js_sys::JsString::from(serde_json::to_string(&ops).unwrap_or_default());
        let head = format!(
            "{{\"device_id\":{},\"ops\":",
            serde_json::to_string(&device_id).unwrap_or_default()
        );
        let body = js_sys::JsString::from(head)
            .concat(&ops_js)
            .concat(&"}".into());
        (ops_js, body)
    };
    let send = |body: js_sys::JsString| {
        net::call_js_body::<PushResponse>(
            "POST",
            "/api/sync/push",
            Some(token),
            lang,
            Some(body.into()),
        )
    };
    if let Some(first) = batches.first() {
        let (mut ops_js, body) = body_of(first);
        let (mut sent, mut next) =
            futures_util::future::join(send(body), async { batches.get(1).map(|b| body_of(b)) })
                .await;
        let mut landing: Option<Landing> = None;
        for (i, batch) in batches.iter().enumerate() {
            let resp = match sent {
                Ok(r) => r,
                Err(e) => {
                    // The connection dropped: what was acknowledged before still lands.
                    if let Some(prev) = landing.take() {
                        prev.land(&mut report).await?;
                    }
                    return Err(e.into());
                }
            };
            let (following, following_ops) = match next.take() {
                Some((ops, body)) => (Some(send(body)), Some(ops)),
                None => (None, None),
            };
            let report_ref = &mut report;
            let gone_ref = &mut gone;
            let keys_ref = &keys;
            let staged_ops = ops_js;
            let (db_ref, batches_ref, body_of_ref) = (&db, &batches, &body_of);
            let prev = landing.take();
            let work = async move {
                let staged = stage(db_ref, batch, &staged_ops, resp, keys_ref, gone_ref);
                let landed = match prev {
                    Some(prev) => prev.land(report_ref).await,
                    None => Ok(false),
                };
                let after = batches_ref.get(i + 2).map(|b| body_of_ref(b));
                (staged, landed, after)
            };
            let (answer, (staged, landed, after)) = match following {
                Some(f) => {
                    let (a, w) = futures_util::future::join(f, work).await;
                    (Some(a), w)
                }
                None => (None, work.await),
            };
            failed |= landed?;
            landing = Some(staged?);
            next = after;
            match (answer, following_ops) {
                (Some(a), Some(ops)) => {
                    sent = a;
                    ops_js = ops;
                }
                _ => break,
            }
        }
        if let Some(prev) = landing.take() {
            failed |= prev.land(&mut report).await?;
        }
    }

    report.push_ms = js_sys::Date::now() - t_push;
    // What is left to send, shown now (the pull may take a while).
    state::bump();

    // Pull: pages until one comes back short; each page and the cursor in one transaction.
    // Pipelined: while one page's transaction commits, the next page is on the wire; a page is applied
    // only after the one before it is on disk.
    let t_pull = js_sys::Date::now();
    let mut committing: Option<store::Tx> = None;
    loop {
        let since = state::with(|l| l.cursor);
        let path = format!("/api/sync/pull?since={since}&limit={MAX_PULL_LIMIT}");
        let fetched = net::call::<(), PullResponse>("GET", &path, Some(token), lang, None).await;
        if let Some(tx) = committing.take()
            && let Err(e) = tx.commit().await
        {
            state::set_stale(true);
            return Err(e.into());
        }
        let page = fetched?;
        let n = page.ops.len();
        let now = state::now_ms();
        let last = n < MAX_PULL_LIMIT as usize || page.next <= since;
        let tx = db.write()?;
        let put = state::update_silent(|l| {
            for op in &page.ops {
                l.clock.observe(op.hlc, now);
                l.confirmed.apply(op);
            }
            l.stored_ops += n;
            // The page as one value, with the cursor and clock in the same transaction.
            tx.put_ops_page(&store::pull_page_key(since), &page.ops)?;
            if last {
                // Everything acknowledged has now come back in a pulled page.
                tx.delete_pages('a')?;
            }
            l.cursor = page.next.max(l.cursor);
            tx.put_meta("cursor", &l.cursor)?;
            tx.put_meta("clock", &l.clock)?;
            Ok::<_, StoreError>(())
        });
        if let Err(e) = put {
            state::set_stale(true);
            return Err(e.into());
        }
        committing = Some(tx);
        report.pulled += n as u32;
        if last {
            break;
        }
    }
    if let Some(tx) = committing.take()
        && let Err(e) = tx.commit().await
    {
        state::set_stale(true);
        return Err(e.into());
    }

    report.pull_ms = js_sys::Date::now() - t_pull;
    // Many more stored operations than records (edits of edits): fold the pages into a snapshot, so loading
    // stays proportional to the records.
    if state::with(|l| l.stored_ops > 2 * l.confirmed.len() + COMPACT_SLACK) {
        compact_locked(&db).await?;
    }
    let now = state::now_ms();
    db.set_meta("last_sync_ms", &now).await?;
    // Pick up changes queued meanwhile (here or in another tab) and show the merged state.
    let outbox = db.outbox().await?;
    state::update(|l| {
        l.last_sync_ms = Some(now);
        l.outbox = outbox;
        l.rebuild_view();
    });
    if state::is_stale() {
        state::reload().await?;
    }
    announce();
    if failed {
        return Err(SyncError::Api(ApiError::Network));
    }
    Ok(report)
}

// ---- Scheduling: triggers, back-off, the periodic timer, other tabs ----

struct Sched {
    running: bool,
    again: bool,
    backoff_ms: u32,
    /// The scheduled sync (dropping it cancels it).
    timer: Option<Timeout>,
}

thread_local! {
    static SCHED: RefCell<Sched> = const { RefCell::new(Sched { running: false, again: false, backoff_ms: BACKOFF_START_MS, timer: None }) };
    static IN_FLIGHT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    static CHANNEL_HANDLE: RefCell<Option<web_sys::BroadcastChannel>> = const { RefCell::new(None) };
}

thread_local! {
    static AUTO: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

/// Turns the automatic triggers on or off ("sync now" always works).
pub fn set_auto(on: bool) {
    AUTO.with(|a| a.set(on));
}

fn usable() -> bool {
    if !AUTO.with(|a| a.get()) {
        return false;
    }
    let now = state::now_ms();
    state::with(|l| l.session_usable(now))
}

/// Starts a sync now unless one is running (then one more follows it).
pub fn trigger() {
    if !usable() {
        return;
    }
    let start = SCHED.with(|s| {
        let mut s = s.borrow_mut();
        if s.running {
            s.again = true;
            false
        } else {
            s.running = true;
            true
        }
    });
    if start {
        wasm_bindgen_futures::spawn_local(run());
    }
}

async fn run() {
    loop {
        let r = sync_once().await;
        let retry = match r {
            Ok(_) => {
                reset_backoff();
                None
            }
            Err(e) if e.retryable() => Some(SCHED.with(|s| {
                let mut s = s.borrow_mut();
                let d = s.backoff_ms;
                s.backoff_ms = (s.backoff_ms * 2).min(BACKOFF_MAX_MS);
                d
            })),
            Err(_) => None,
        };
        let again = SCHED.with(|s| {
            let mut s = s.borrow_mut();
            let a = s.again && retry.is_none();
            s.again = false;
            if !a {
                s.running = false;
            }
            a
        });
        if let Some(d) = retry {
            schedule(d);
        }
        if !again {
            break;
        }
    }
}

pub fn reset_backoff() {
    SCHED.with(|s| s.borrow_mut().backoff_ms = BACKOFF_START_MS);
}

/// Syncs after `delay_ms` (replacing, and so cancelling, an earlier scheduled one).
pub fn schedule(delay_ms: u32) {
    // A timer that has fired stays here until the next one replaces it (dropping it then is harmless).
    let timer = Timeout::new(delay_ms, trigger);
    let earlier = SCHED.with(|s| s.borrow_mut().timer.replace(timer));
    drop(earlier);
}

/// Tells other tabs that IndexedDB changed.
pub fn announce() {
    CHANNEL_HANDLE.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            let _ = c.post_message(&JsValue::from_str("changed"));
        }
    });
}

/// What the sync client does when this tab changes IndexedDB (registered with `state::on_change`).
fn on_change(c: Change) {
    announce();
    match c {
        Change::Queued => schedule(800),
        Change::LoggedIn => {
            reset_backoff();
            trigger();
        }
        Change::Discarded | Change::LoggedOut => {}
    }
}

/// Installs the triggers: changes made in this tab, `online`/`offline` events, the 30 s timer, and the
/// channel from other tabs.
pub fn start() {
    state::on_change(on_change);
    let Some(w) = web_sys::window() else { return };
    EventListener::new(&w, "online", |_| {
        if let Some(ui) = state::ui() {
            ui.online.set(true);
        }
        reset_backoff();
        trigger();
    })
    .forget();
    EventListener::new(&w, "offline", |_| {
        if let Some(ui) = state::ui() {
            ui.online.set(false);
        }
    })
    .forget();
    Interval::new(INTERVAL_MS, || {
        let online = web_sys::window()
            .map(|w| w.navigator().on_line())
            .unwrap_or(true);
        if online {
            trigger();
        }
    })
    .forget();
    if let Ok(ch) = web_sys::BroadcastChannel::new(CHANNEL) {
        EventListener::new(&ch, "message", |_| {
            let busy = IN_FLIGHT.with(|c| c.get()) > 0;
            state::set_stale(true);
            if !busy {
                wasm_bindgen_futures::spawn_local(async {
                    let _ = state::reload().await;
                });
            }
        })
        .forget();
        CHANNEL_HANDLE.with(|c| *c.borrow_mut() = Some(ch));
    }
    trigger();
}

#[cfg(test)]
mod tests {
    /// The push compares the outbox's keys (IndexedDB's order: their text) with memory's ids sorted as
    /// UUIDs: the two orders must be one.
    #[test]
    fn uuid_text_order_is_byte_order() {
        let mut ids: Vec<uuid::Uuid> = (0..2000u128)
            .map(|i| {
                uuid::Uuid::from_u128(i.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835))
            })
            .chain([uuid::Uuid::nil(), uuid::Uuid::max(), uuid::Uuid::now_v7()])
            .collect();
        let mut by_text = ids.clone();
        by_text.sort_by_cached_key(|id| id.to_string());
        ids.sort_unstable();
        assert_eq!(ids, by_text);
    }
}
