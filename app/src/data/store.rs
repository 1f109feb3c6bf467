//! The IndexedDB store: database `linli`, versioned migrations, and the few transactions the app makes.
//!
//! Object stores (version 1):
//! - `confirmed`: key "community|kind|id" → `{key: RecordKey, record: Record}`, the state the server confirmed;
//! - `outbox`: key op id → [`OutboxEntry`];
//! - `meta`: key name → value (`device_id`, `session`, `cursor`, `clock`, `lang`, `last_sync_ms`, `persisted`, `exported`, `rules`).
//!
//! Version 2 adds:
//! - `resident`: key a normalised voting code (and "last") → a resident's login, answer and receipt
//!   (`renovation::resident::ResidentRecord`: the store only keeps the JSON; the feature owns its shape), so
//!   the resident's page opens offline after the first visit.
//!
//! Version 3 adds the paged store of confirmed operations, so a pull of 10,000 operations is a few writes
//! instead of 10,000:
//! - `pages`: key → a JSON array. `p<since>` holds a pulled page of operations exactly as the server sent
//!   them (since = the cursor the page was pulled from, zero-padded so keys sort in pull order); `a<op id>`
//!   holds a pushed batch the server acknowledged (written with the outbox deletes, so an acknowledged
//!   change is never only in memory); `s<n>` holds records of a snapshot (`{key, record}`, as `confirmed`
//!   did). Loading inserts the snapshot and the old `confirmed` records, then applies every page's
//!   operations (order does not matter: `Replica::apply` is commutative and idempotent). The `a` pages are
//!   deleted in the transaction of the pull that brought their operations back; when the pages hold many
//!   more operations than there are records, [`Db::compact`] rewrites them as one snapshot.
//! - `confirmed` is no longer written; what a version-2 device has there is read at every load until the
//!   first compaction moves it into the snapshot.
//!
//! Version 5 adds the photos taken as evidence for the standards self-check (照片佐证, issue 14):
//! - `photos`: key photo id → `{meta: <JSON text of [`PhotoMeta`]>, bytes: Uint8Array}` — the shrunk
//!   image as the phone made it (or as fetched from the server when another device took it), and whether
//!   the server has it. A photo is written in its own strict transaction when it is taken, marked uploaded
//!   by the sync once the server answered, and kept after that, so the page shows it offline.
//!
//! Values are stored as JSON text (see [`to_js`]), photos' bytes as bytes.
//!
//! Every write that must survive goes through one readwrite transaction with durability "strict"; all its
//! requests are issued without awaiting each, then the transaction's completion is awaited.
//! Uses web-sys directly: the `idb` crate cannot ask for a durability.

use crate::data::json;
use crate::data::model::{Local, OutboxEntry, Session};
use gloo_events::EventListener;
use js_sys::{Array, JSON, Promise};
use linli_core::sync::{Operation, Record, RecordKey};
use linli_core::{Clock, Lang};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbKeyRange, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction,
    IdbVersionChangeEvent,
};

#[wasm_bindgen]
extern "C" {
    /// `IDBDatabase.transaction(names, mode, {durability})`: web-sys only offers the options behind
    /// `web_sys_unstable_apis`, so the binding is declared here.
    #[wasm_bindgen(js_name = IDBDatabase)]
    type RawDb;
    #[wasm_bindgen(method, catch, js_name = transaction)]
    fn transaction_with_options(
        this: &RawDb,
        names: &JsValue,
        mode: &str,
        options: &JsValue,
    ) -> std::result::Result<IdbTransaction, JsValue>;
}

pub const DB_NAME: &str = "linli";
/// The schema version. To add a version, bump this and add a step to [`migrate`].
pub const DB_VERSION: u32 = 5;

pub const CONFIRMED: &str = "confirmed";
pub const OUTBOX: &str = "outbox";
pub const META: &str = "meta";
pub const RESIDENT: &str = "resident";
pub const PAGES: &str = "pages";
/// Survey answers being given at a door (issue 11), one value per draft, written answer by answer.
pub const DRAFTS: &str = "drafts";
/// Photos taken as evidence (version 5): bytes and [`PhotoMeta`] by photo id.
pub const PHOTOS: &str = "photos";

/// Records per snapshot page.
const SNAPSHOT_PAGE: usize = 2000;

/// The key of the page pulled from cursor `since`.
pub fn pull_page_key(since: i64) -> String {
    format!("p{since:016}")
}

/// An error from IndexedDB, as text for the UI and the console.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreError(pub String);

impl From<JsValue> for StoreError {
    fn from(v: JsValue) -> Self {
        let msg = v
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.message()))
            .or_else(|| v.dyn_ref::<web_sys::DomException>().map(|e| e.message()))
            .or_else(|| v.as_string())
            .unwrap_or_else(|| "IndexedDB error".to_string());
        StoreError(msg)
    }
}

impl From<json::Error> for StoreError {
    fn from(e: json::Error) -> Self {
        StoreError(e.to_string())
    }
}

type Result<T> = std::result::Result<T, StoreError>;

/// Runs the schema steps from `old` (exclusive) to `new` (inclusive) inside the upgrade transaction.
fn migrate(db: &IdbDatabase, old: u32, new: u32) -> std::result::Result<(), JsValue> {
    for step in old + 1..=new {
        match step {
            1 => {
                db.create_object_store(CONFIRMED)?;
                db.create_object_store(OUTBOX)?;
                db.create_object_store(META)?;
            }
            2 => {
                db.create_object_store(RESIDENT)?;
            }
            3 => {
                db.create_object_store(PAGES)?;
            }
            4 => {
                db.create_object_store(DRAFTS)?;
            }
            5 => {
                db.create_object_store(PHOTOS)?;
            }
            // Future steps go here, each only adding to what earlier steps made.
            _ => {}
        }
    }
    Ok(())
}

/// Converts a Rust value into what IndexedDB stores: its JSON text. A string is much cheaper to store than
/// a tree of JS objects (structured clone), which matters when 10,000 records arrive at once.
pub fn to_js<T: Serialize>(v: &T) -> Result<JsValue> {
    Ok(JsValue::from_str(&json::to_string(v)?))
}

/// Reads a stored value back (JSON text; a structured value, as tools may write, is accepted too).
pub fn from_js<T: DeserializeOwned>(v: &JsValue) -> Result<T> {
    let text = match v.as_string() {
        Some(s) => s,
        None => String::from(JSON::stringify(v)?),
    };
    Ok(json::from_str(&text)?)
}

/// Reads many stored values at once: when all are JSON text (as [`to_js`] writes them), they are joined in
/// JavaScript into one array text and parsed once, instead of crossing into Wasm one by one.
pub fn all_from_js<T: DeserializeOwned>(values: &Array) -> Result<Vec<T>> {
    if values.iter().all(|v| v.is_string()) {
        let mut text = String::from("[");
        text.push_str(&String::from(values.join(",")));
        text.push(']');
        return Ok(json::from_str(&text)?);
    }
    values.iter().map(|v| from_js(&v)).collect()
}

/// A future for an IndexedDB request. Must be made right after the request, before yielding to the event loop.
fn request(r: &IdbRequest) -> JsFuture {
    let p = Promise::new(&mut |ok, err| {
        r.set_onsuccess(Some(&ok));
        r.set_onerror(Some(&err));
    });
    JsFuture::from(p)
}

async fn result_of(r: IdbRequest, fut: JsFuture) -> Result<JsValue> {
    if let Err(e) = fut.await {
        return Err(r
            .error()
            .ok()
            .flatten()
            .map(|e| StoreError(e.message()))
            .unwrap_or_else(|| e.into()));
    }
    Ok(r.result()?)
}

/// A future for a transaction's completion (rejects on error or abort).
fn completion(tx: &IdbTransaction) -> JsFuture {
    let p = Promise::new(&mut |ok, err| {
        tx.set_oncomplete(Some(&ok));
        tx.set_onerror(Some(&err));
        tx.set_onabort(Some(&err));
    });
    JsFuture::from(p)
}

async fn finish(tx: IdbTransaction, done: JsFuture) -> Result<()> {
    match done.await {
        Ok(_) => Ok(()),
        Err(e) => Err(tx
            .error()
            .map(|e| StoreError(e.message()))
            .unwrap_or_else(|| e.into())),
    }
}

/// A record as the snapshot pages (and version 2's `confirmed` store) keep it.
#[derive(Deserialize)]
struct StoredRecord {
    key: RecordKey,
    record: Record,
}

/// [`StoredRecord`] as written, borrowing from the replica.
#[derive(Serialize)]
struct StoredRecordRef<'a> {
    key: &'a RecordKey,
    record: &'a Record,
}

/// A write transaction in progress: puts and deletes are issued at once, [`Tx::commit`] awaits them all.
pub struct Tx {
    tx: IdbTransaction,
    done: JsFuture,
    /// A request issues more requests from its success event: the transaction must not be committed
    /// early (it commits by itself once nothing is pending).
    follow_up: std::cell::Cell<bool>,
}

impl Tx {
    fn store(&self, name: &str) -> Result<IdbObjectStore> {
        Ok(self.tx.object_store(name)?)
    }

    fn fail(&self, e: StoreError) -> StoreError {
        let _ = self.tx.abort();
        e
    }

    pub fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let v = to_js(value).map_err(|e| self.fail(e))?;
        self.store(META)?
            .put_with_key(&v, &JsValue::from_str(key))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    /// Stores a survey draft under its id (JSON text, like every value).
    pub fn put_draft<T: Serialize>(&self, id: &uuid::Uuid, value: &T) -> Result<()> {
        let v = to_js(value).map_err(|e| self.fail(e))?;
        self.store(DRAFTS)?
            .put_with_key(&v, &JsValue::from_str(&id.to_string()))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    pub fn delete_draft(&self, id: &uuid::Uuid) -> Result<()> {
        self.store(DRAFTS)?
            .delete(&JsValue::from_str(&id.to_string()))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    pub fn delete_meta(&self, key: &str) -> Result<()> {
        self.store(META)?
            .delete(&JsValue::from_str(key))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    pub fn put_outbox(&self, e: &OutboxEntry) -> Result<()> {
        let v = to_js(e).map_err(|e| self.fail(e))?;
        let key = JsValue::from_str(&e.op.id.to_string());
        self.store(OUTBOX)?
            .put_with_key(&v, &key)
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    pub fn delete_outbox(&self, id: &uuid::Uuid) -> Result<()> {
        self.store(OUTBOX)?
            .delete(&JsValue::from_str(&id.to_string()))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    /// Deletes the outbox entries `ids` (sorted as IndexedDB sorts their text) with one range delete when
    /// the range from the first to the last holds exactly those entries — checked inside this transaction,
    /// so a change another tab queued meanwhile, whose id may sort inside the range, is never taken with
    /// them — and one delete each otherwise.
    pub fn delete_outbox_run(&self, ids: Vec<uuid::Uuid>) -> Result<()> {
        let (Some(first), Some(last)) = (ids.first(), ids.last()) else {
            return Ok(());
        };
        let store = self.store(OUTBOX)?;
        let range = IdbKeyRange::bound(
            &JsValue::from_str(&first.to_string()),
            &JsValue::from_str(&last.to_string()),
        )
        .map_err(|e| self.fail(e.into()))?;
        let found = store
            .get_all_keys_with_key(&range)
            .map_err(|e| self.fail(e.into()))?;
        let tx = self.tx.clone();
        let found2 = found.clone();
        // Runs in the request's success event, while the transaction is still active.
        let on_found = Closure::once_into_js(move || {
            let Ok(store) = tx.object_store(OUTBOX) else {
                return;
            };
            let keys: Array = found2
                .result()
                .map(JsCast::unchecked_into)
                .unwrap_or_default();
            let exact = keys.length() as usize == ids.len()
                && keys
                    .iter()
                    .zip(&ids)
                    .all(|(k, id)| k.as_string().is_some_and(|k| k == id.to_string()));
            let result = if exact {
                store.delete(&range).map(drop)
            } else {
                ids.iter()
                    .try_for_each(|id| store.delete(&JsValue::from_str(&id.to_string())).map(drop))
            };
            if result.is_err() {
                let _ = tx.abort();
            }
        });
        found.set_onsuccess(Some(on_found.unchecked_ref()));
        self.follow_up.set(true);
        Ok(())
    }

    /// Stores confirmed operations as one page under `key` (`p…` pulled, `a…` acknowledged).
    pub fn put_ops_page(&self, key: &str, ops: &[Operation]) -> Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        let v = to_js(&ops).map_err(|e| self.fail(e))?;
        self.put_ops_page_js(key, &v)
    }

    /// As [`Tx::put_ops_page`], with the operations' JSON array already a JavaScript string.
    pub fn put_ops_page_js(&self, key: &str, v: &JsValue) -> Result<()> {
        self.store(PAGES)?
            .put_with_key(v, &JsValue::from_str(key))
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    /// Deletes every page whose key starts with `prefix` (one letter).
    pub fn delete_pages(&self, prefix: char) -> Result<()> {
        let next = char::from_u32(prefix as u32 + 1).unwrap_or(prefix);
        let range = IdbKeyRange::bound_with_lower_open_and_upper_open(
            &JsValue::from_str(&prefix.to_string()),
            &JsValue::from_str(&next.to_string()),
            false,
            true,
        )
        .map_err(|e| self.fail(e.into()))?;
        self.store(PAGES)?
            .delete(&range)
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    /// Forgets every confirmed record and operation this device holds (pages and the old store).
    pub fn clear_confirmed(&self) -> Result<()> {
        self.clear(PAGES)?;
        self.clear(CONFIRMED)
    }

    pub fn clear(&self, store: &str) -> Result<()> {
        self.store(store)?
            .clear()
            .map_err(|e| self.fail(e.into()))?;
        Ok(())
    }

    /// Awaits the transaction's completion: after this, everything it wrote is on disk.
    pub async fn commit(self) -> Result<()> {
        if !self.follow_up.get() {
            #[allow(deprecated)]
            let _ = self.tx.commit();
        }
        finish(self.tx, self.done).await
    }
}

/// An open `linli` database.
#[derive(Clone)]
pub struct Db {
    db: IdbDatabase,
    /// Made by this opening (the phone's first visit): nothing is in it yet, so nothing need be read.
    pub fresh: bool,
}

impl Db {
    /// Opens (creating or upgrading as needed) the database.
    pub async fn open() -> Result<Db> {
        let window = web_sys::window().ok_or_else(|| StoreError("no window".into()))?;
        let factory = window
            .indexed_db()?
            .ok_or_else(|| StoreError("IndexedDB is not available".into()))?;
        let req: IdbOpenDbRequest = factory.open_with_u32(DB_NAME, DB_VERSION)?;
        let fresh = std::rc::Rc::new(std::cell::Cell::new(false));
        let created = fresh.clone();
        let on_upgrade = EventListener::new(&req, "upgradeneeded", move |ev| {
            let ev = ev.unchecked_ref::<IdbVersionChangeEvent>();
            created.set(ev.old_version() == 0.0);
            let Some(req) = ev
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            else {
                return;
            };
            let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) else {
                return;
            };
            let new = ev.new_version().map(|v| v as u32).unwrap_or(DB_VERSION);
            if let Err(e) = migrate(&db, ev.old_version() as u32, new) {
                web_sys::console::error_2(&"linli: migration failed".into(), &e);
                if let Some(tx) = req.transaction() {
                    let _ = tx.abort();
                }
            }
        });
        let fut = request(&req);
        let result = result_of(req.clone().into(), fut).await;
        drop(on_upgrade);
        let db: IdbDatabase = result?
            .dyn_into()
            .map_err(|_| StoreError("not a database".into()))?;
        // A newer version of the app in another tab wants to upgrade: let it, and reload this one.
        let closing = db.clone();
        EventListener::new(&db, "versionchange", move |_| {
            closing.close();
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        })
        .forget();
        Ok(Db {
            db,
            fresh: fresh.get(),
        })
    }

    /// Starts a readwrite transaction over all stores, durability "strict".
    pub fn write(&self) -> Result<Tx> {
        let names = Array::of5(
            &CONFIRMED.into(),
            &OUTBOX.into(),
            &META.into(),
            &PAGES.into(),
            &DRAFTS.into(),
        );
        let opts = js_sys::Object::new();
        js_sys::Reflect::set(&opts, &"durability".into(), &"strict".into())?;
        let tx = self.db.unchecked_ref::<RawDb>().transaction_with_options(
            &names,
            "readwrite",
            &opts,
        )?;
        let done = completion(&tx);
        Ok(Tx {
            tx,
            done,
            follow_up: Default::default(),
        })
    }

    fn read(&self, names: &[&str]) -> Result<IdbTransaction> {
        let arr: Array = names.iter().map(|n| JsValue::from_str(n)).collect();
        Ok(self.db.transaction_with_str_sequence(&arr)?)
    }

    /// One value of `store` by key; `None` when there is none.
    async fn get<T: DeserializeOwned>(&self, store: &str, key: &str) -> Result<Option<T>> {
        let tx = self.read(&[store])?;
        let r = tx.object_store(store)?.get(&JsValue::from_str(key))?;
        let f = request(&r);
        let v = result_of(r, f).await?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        Ok(Some(from_js(&v)?))
    }

    /// A value of the `resident` store.
    pub async fn resident_get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        self.get(RESIDENT, key).await
    }

    /// Stores values in the `resident` store, in one strict transaction.
    pub async fn resident_put(&self, entries: &[(&str, JsValue)]) -> Result<()> {
        self.store_write(RESIDENT, |store| {
            for (k, v) in entries {
                store.put_with_key(v, &JsValue::from_str(k))?;
            }
            Ok(())
        })
        .await
    }

    /// Runs `f` on the one store `name` in a readwrite transaction of its own, durability strict; an
    /// error of `f` aborts it, so nothing of it is written.
    async fn store_write(
        &self,
        name: &str,
        f: impl FnOnce(&web_sys::IdbObjectStore) -> std::result::Result<(), JsValue>,
    ) -> Result<()> {
        let opts = js_sys::Object::new();
        js_sys::Reflect::set(&opts, &"durability".into(), &"strict".into())?;
        let tx = self.db.unchecked_ref::<RawDb>().transaction_with_options(
            &JsValue::from_str(name),
            "readwrite",
            &opts,
        )?;
        let done = completion(&tx);
        if let Err(e) = f(&tx.object_store(name)?) {
            let _ = tx.abort();
            return Err(e.into());
        }
        #[allow(deprecated)]
        let _ = tx.commit();
        finish(tx, done).await
    }

    /// Every queued change, read from IndexedDB (never from memory), ordered by HLC.
    pub async fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let tx = self.read(&[OUTBOX])?;
        let r = tx.object_store(OUTBOX)?.get_all()?;
        let f = request(&r);
        let all: Array = result_of(r, f).await?.unchecked_into();
        let mut v: Vec<OutboxEntry> = all_from_js(&all)?;
        v.sort_by_key(|e| (e.op.hlc, e.op.id));
        Ok(v)
    }

    /// The ids of every queued change, in key order.
    pub async fn outbox_keys(&self) -> Result<Vec<uuid::Uuid>> {
        let tx = self.read(&[OUTBOX])?;
        let r = tx.object_store(OUTBOX)?.get_all_keys()?;
        let f = request(&r);
        let all: Array = result_of(r, f).await?.unchecked_into();
        // As one text: one crossing into Wasm instead of one per key.
        let joined = String::from(all.join(","));
        Ok(joined
            .split(',')
            .filter(|k| !k.is_empty())
            .filter_map(|k| uuid::Uuid::parse_str(k).ok())
            .collect())
    }

    pub async fn outbox_len(&self) -> Result<u32> {
        let tx = self.read(&[OUTBOX])?;
        let r = tx.object_store(OUTBOX)?.count()?;
        let f = request(&r);
        Ok(result_of(r, f).await?.as_f64().unwrap_or(0.0) as u32)
    }

    async fn meta_map(&self, tx: &IdbTransaction) -> Result<Meta> {
        let store = tx.object_store(META)?;
        let (rk, rv) = (store.get_all_keys()?, store.get_all()?);
        let (fk, fv) = (request(&rk), request(&rv));
        let keys: Array = result_of(rk, fk).await?.unchecked_into();
        let values: Array = result_of(rv, fv).await?.unchecked_into();
        let mut m = Meta::default();
        for (k, v) in keys.iter().zip(values.iter()) {
            let k = k.as_string().unwrap_or_default();
            // A value that no longer parses is left out rather than stopping the app from starting.
            match k.as_str() {
                "device_id" => m.device_id = from_js(&v).ok(),
                "session" => m.session = from_js(&v).ok(),
                "session_expired" => m.session_expired = from_js(&v).unwrap_or(false),
                "cursor" => m.cursor = from_js(&v).unwrap_or(0),
                "clock" => m.clock = from_js(&v).unwrap_or_default(),
                "lang" => m.lang = from_js(&v).ok(),
                "last_sync_ms" => m.last_sync_ms = from_js(&v).ok(),
                "persisted" => m.persisted = from_js(&v).ok(),
                "exported" => m.exported = from_js(&v).unwrap_or_default(),
                "rules" => m.rules = from_js(&v).ok(),
                _ => {}
            }
        }
        Ok(m)
    }

    /// The small `meta` values only (cursor, clock, session…).
    pub async fn meta(&self) -> Result<Meta> {
        let tx = self.read(&[META])?;
        self.meta_map(&tx).await
    }

    /// Loads everything into a [`Local`] (with its view rebuilt). A missing device id is made and stored.
    pub async fn load(&self) -> Result<Local> {
        let tx = self.read(&[CONFIRMED, OUTBOX, META, PAGES])?;
        let rc = tx.object_store(CONFIRMED)?.get_all()?;
        let fc = request(&rc);
        let ro = tx.object_store(OUTBOX)?.get_all()?;
        let fo = request(&ro);
        let pages = tx.object_store(PAGES)?;
        let (rpk, rpv) = (pages.get_all_keys()?, pages.get_all()?);
        let (fpk, fpv) = (request(&rpk), request(&rpv));
        let meta = self.meta_map(&tx).await?;
        let recs: Array = result_of(rc, fc).await?.unchecked_into();
        let outbox: Array = result_of(ro, fo).await?.unchecked_into();
        let page_keys: Array = result_of(rpk, fpk).await?.unchecked_into();
        let page_values: Array = result_of(rpv, fpv).await?.unchecked_into();
        let mut local = Local {
            session: meta.session,
            session_expired: meta.session_expired,
            cursor: meta.cursor,
            clock: meta.clock,
            lang: meta.lang.unwrap_or_default(),
            last_sync_ms: meta.last_sync_ms,
            persisted: meta.persisted,
            exported: meta.exported,
            rules: meta.rules,
            ..Local::default()
        };
        // Records first (snapshot pages, then what version 2 kept), then every page's operations on top.
        let mut op_pages = Vec::new();
        for (k, v) in page_keys.iter().zip(page_values.iter()) {
            if k.as_string().is_some_and(|k| k.starts_with('s')) {
                for s in from_js::<Vec<StoredRecord>>(&v)? {
                    local.confirmed.insert_record(s.key, s.record);
                }
            } else {
                op_pages.push(v);
            }
        }
        for s in all_from_js::<StoredRecord>(&recs)? {
            local.confirmed.insert_record(s.key, s.record);
        }
        for v in op_pages {
            let ops: Vec<Operation> = from_js(&v)?;
            local.stored_ops += ops.len();
            for op in &ops {
                local.confirmed.apply(op);
            }
        }
        local.outbox = all_from_js(&outbox)?;
        local.device_id = match meta.device_id {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::now_v7();
                let tx = self.write()?;
                tx.put_meta("device_id", &id)?;
                tx.commit().await?;
                id
            }
        };
        local.rebuild_view();
        Ok(local)
    }

    /// Rewrites the confirmed state as a snapshot of records (pages of [`SNAPSHOT_PAGE`]), replacing every
    /// page of operations and the old `confirmed` store, in one strict transaction. Call it inside the
    /// sync lock, after a complete pull (so no acknowledged page waits for its operations to come back).
    pub async fn compact(&self, confirmed: &linli_core::Replica) -> Result<()> {
        let tx = self.write()?;
        tx.clear_confirmed()?;
        let store = tx.store(PAGES)?;
        let records: Vec<_> = confirmed.records().collect();
        for (i, chunk) in records.chunks(SNAPSHOT_PAGE).enumerate() {
            let page: Vec<StoredRecordRef> = chunk
                .iter()
                .map(|(key, record)| StoredRecordRef { key, record })
                .collect();
            let v = to_js(&page).map_err(|e| tx.fail(e))?;
            store
                .put_with_key(&v, &JsValue::from_str(&format!("s{i:06}")))
                .map_err(|e| tx.fail(e.into()))?;
        }
        tx.commit().await
    }

    /// What the resident's entry needs of the device's state: only the language (a resident's phone holds
    /// no staff records; their vote is in the `resident` store). Spares that entry the staff data's code.
    pub async fn resident_lang(&self) -> Lang {
        // A language that no longer parses is the default, as in `meta_map`.
        match self.fresh {
            true => Lang::default(),
            false => self
                .get::<Lang>(META, "lang")
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        }
    }

    /// Stores one small meta value on its own.
    pub async fn set_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<()> {
        let tx = self.write()?;
        tx.put_meta(key, value)?;
        tx.commit().await
    }

    /// Queues changes: outbox entries and the clock, in one strict transaction.
    pub async fn queue(&self, entries: &[OutboxEntry], clock: &Clock) -> Result<()> {
        self.queue_and_drop_draft(entries, clock, None).await
    }

    /// Queues changes and deletes a survey draft in the same strict transaction: a submitted response
    /// is either queued with its draft gone, or not queued with its draft kept — never both, never neither.
    pub async fn queue_and_drop_draft(
        &self,
        entries: &[OutboxEntry],
        clock: &Clock,
        draft: Option<uuid::Uuid>,
    ) -> Result<()> {
        let tx = self.write()?;
        for e in entries {
            tx.put_outbox(e)?;
        }
        tx.put_meta("clock", clock)?;
        if let Some(d) = draft {
            tx.delete_draft(&d)?;
        }
        tx.commit().await
    }

    /// Writes one survey draft in its own strict transaction (every answer, as it is given).
    pub async fn put_draft<T: Serialize>(&self, id: &uuid::Uuid, value: &T) -> Result<()> {
        let opts = js_sys::Object::new();
        js_sys::Reflect::set(&opts, &"durability".into(), &"strict".into())?;
        let tx = self.db.unchecked_ref::<RawDb>().transaction_with_options(
            &JsValue::from_str(DRAFTS),
            "readwrite",
            &opts,
        )?;
        let done = completion(&tx);
        let v = to_js(value)?;
        if let Err(e) = tx
            .object_store(DRAFTS)?
            .put_with_key(&v, &JsValue::from_str(&id.to_string()))
        {
            let _ = tx.abort();
            return Err(e.into());
        }
        #[allow(deprecated)]
        let _ = tx.commit();
        finish(tx, done).await
    }

    /// One survey draft by id.
    pub async fn draft<T: DeserializeOwned>(&self, id: &uuid::Uuid) -> Result<Option<T>> {
        self.get(DRAFTS, &id.to_string()).await
    }

    /// Every survey draft on this device.
    pub async fn drafts<T: DeserializeOwned>(&self) -> Result<Vec<T>> {
        let tx = self.read(&[DRAFTS])?;
        let r = tx.object_store(DRAFTS)?.get_all()?;
        let f = request(&r);
        let all: Array = result_of(r, f).await?.unchecked_into();
        all_from_js(&all)
    }

    /// Deletes one survey draft (the collector discarded it).
    pub async fn delete_draft(&self, id: &uuid::Uuid) -> Result<()> {
        let tx = self.write()?;
        tx.delete_draft(id)?;
        tx.commit().await
    }

    /// Stores a new login. When `reset` (another staff member or community), the confirmed data and cursor
    /// are cleared in the same transaction.
    pub async fn save_session(&self, s: &Session, reset: bool) -> Result<()> {
        let tx = self.write()?;
        if reset {
            tx.clear_confirmed()?;
            tx.put_meta("cursor", &0i64)?;
            tx.delete_meta("last_sync_ms")?;
        }
        tx.put_meta("session", s)?;
        tx.put_meta("session_expired", &false)?;
        tx.commit().await
    }

    /// Logs out: forgets the session, the confirmed data and the outbox (checked empty or saved to a file).
    pub async fn log_out(&self) -> Result<()> {
        let tx = self.write()?;
        tx.clear_confirmed()?;
        tx.clear(OUTBOX)?;
        for k in [
            "session",
            "session_expired",
            "cursor",
            "last_sync_ms",
            "exported",
        ] {
            tx.delete_meta(k)?;
        }
        tx.commit().await
    }
}

/// What the `photos` store keeps beside a photo's bytes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PhotoMeta {
    pub id: uuid::Uuid,
    /// The community whose staff took it (only its login uploads it).
    pub community: String,
    /// `image/jpeg` (as the phone shrinks them), or what the server answered.
    pub content_type: String,
    pub size: u32,
    pub taken_at_ms: u64,
    /// The server holds it (answered 200/201, or it was fetched from there).
    #[serde(default)]
    pub uploaded: bool,
    /// The server refused it for good (`photo_too_large`, `not_an_image`, `photo_conflict`,
    /// `forbidden`): kept on the phone, shown with the reason, not sent again.
    #[serde(default)]
    pub refused: Option<String>,
}

/// Photos (version 5).
impl Db {
    /// Stores a photo (meta and bytes) in its own strict transaction; a photo already there is replaced
    /// (the same bytes, with a new state).
    pub async fn put_photo(&self, meta: &PhotoMeta, bytes: &js_sys::Uint8Array) -> Result<()> {
        let value = js_sys::Object::new();
        js_sys::Reflect::set(&value, &"meta".into(), &to_js(meta)?)?;
        js_sys::Reflect::set(&value, &"bytes".into(), bytes)?;
        let key = JsValue::from_str(&meta.id.to_string());
        self.store_write(PHOTOS, |s| s.put_with_key(&value, &key).map(|_| ()))
            .await
    }

    /// Deletes one photo (taken by mistake, before its entry was saved), in its own strict transaction.
    pub async fn delete_photo(&self, id: &uuid::Uuid) -> Result<()> {
        self.store_write(PHOTOS, |s| {
            s.delete(&JsValue::from_str(&id.to_string())).map(|_| ())
        })
        .await
    }

    /// Deletes every photo on the phone (at logout: evidence may show residents' homes; the server keeps
    /// the uploaded ones, and a later login fetches those it shows).
    pub async fn clear_photos(&self) -> Result<()> {
        self.store_write(PHOTOS, |s| s.clear().map(|_| ())).await
    }

    /// One photo by id: its meta and bytes.
    pub async fn photo(&self, id: &uuid::Uuid) -> Result<Option<(PhotoMeta, js_sys::Uint8Array)>> {
        let tx = self.read(&[PHOTOS])?;
        let r = tx
            .object_store(PHOTOS)?
            .get(&JsValue::from_str(&id.to_string()))?;
        let f = request(&r);
        let v = result_of(r, f).await?;
        if v.is_undefined() || v.is_null() {
            return Ok(None);
        }
        let meta = from_js(&js_sys::Reflect::get(&v, &"meta".into())?)?;
        let bytes = js_sys::Reflect::get(&v, &"bytes".into())?;
        Ok(Some((meta, js_sys::Uint8Array::new(&bytes))))
    }

    /// The photos of `community` the server does not hold yet and has not refused, oldest first.
    pub async fn photos_to_upload(&self, community: &str) -> Result<Vec<PhotoMeta>> {
        let tx = self.read(&[PHOTOS])?;
        let r = tx.object_store(PHOTOS)?.get_all()?;
        let f = request(&r);
        let all: Array = result_of(r, f).await?.unchecked_into();
        let mut out = Vec::new();
        for v in all.iter() {
            let meta: PhotoMeta = from_js(&js_sys::Reflect::get(&v, &"meta".into())?)?;
            if meta.community == community && !meta.uploaded && meta.refused.is_none() {
                out.push(meta);
            }
        }
        out.sort_by_key(|m| (m.taken_at_ms, m.id));
        Ok(out)
    }
}

/// The `meta` store's values.
#[derive(Default)]
pub struct Meta {
    pub device_id: Option<uuid::Uuid>,
    pub session: Option<Session>,
    pub session_expired: bool,
    pub cursor: i64,
    pub clock: Clock,
    pub lang: Option<Lang>,
    pub last_sync_ms: Option<u64>,
    pub persisted: Option<bool>,
    pub exported: BTreeSet<uuid::Uuid>,
    /// The server's rule set (`GET /api/rules`), as last fetched.
    pub rules: Option<linli_core::RuleSet>,
}
