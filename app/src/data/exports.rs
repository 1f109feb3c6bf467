//! The functions exported to JavaScript as `window.linli` (used by the browser tests and the benchmarks).
//!
//! The bodies are here, in the chunk of the logged-in app (issue 8), run through [`run`]: they reach the sync
//! client and the store, which a phone on the login page does not download. The exported functions
//! themselves are thin calls into that chunk, in `shell::start` (the data layer imports no shell module but
//! its leaves).

use crate::data::model::{OutboxEntry, OutboxStatus};
use crate::data::state::{self, SaveError};
use crate::data::sync;
use linli_core::EntityKind;
use linli_core::roster::{BuildingFields, CompoundFields, HouseholdFields, UnitFields};
use linli_core::sync::{Body, EntityRef};
use uuid::Uuid;
use wasm_bindgen::prelude::*;

fn js_err(msg: impl AsRef<str>) -> JsValue {
    js_sys::Error::new(msg.as_ref()).into()
}

fn save_err(e: SaveError) -> JsValue {
    js_err(e.message(linli_core::Lang::En))
}

/// Runs one full sync; resolves with `{pushed, pulled, rejected}`.
async fn sync_now() -> Result<JsValue, JsValue> {
    match sync::sync_once().await {
        Ok(r) => {
            let o = js_sys::Object::new();
            for (k, v) in [
                ("pushed", r.pushed),
                ("pulled", r.pulled),
                ("rejected", r.rejected),
            ] {
                js_sys::Reflect::set(&o, &k.into(), &v.into())?;
            }
            js_sys::Reflect::set(&o, &"push_ms".into(), &r.push_ms.into())?;
            js_sys::Reflect::set(&o, &"pull_ms".into(), &r.pull_ms.into())?;
            Ok(o.into())
        }
        Err(e) => Err(js_err(format!(
            "{}: {}",
            e.code(),
            e.message(linli_core::Lang::En)
        ))),
    }
}

/// Folds the store's pages of confirmed operations into one snapshot of records (what a device does on
/// its own once the pages hold many more operations than records).
async fn compact_store() -> Result<(), JsValue> {
    sync::compact()
        .await
        .map(drop)
        .map_err(|e| js_err(format!("{}: {}", e.code(), e.message(linli_core::Lang::En))))
}

/// Changes waiting to be sent (status pending), read from IndexedDB.
async fn pending_count() -> Result<u32, JsValue> {
    let db = state::db().ok_or_else(|| js_err("store not open"))?;
    let outbox = db.outbox().await.map_err(|e| js_err(e.0))?;
    Ok(outbox
        .iter()
        .filter(|e| e.status == OutboxStatus::Pending)
        .count() as u32)
}

/// Turns the automatic syncs (timer, after saves, `online`) on or off, for benchmarks that time one sync.
fn set_auto_sync(on: bool) {
    sync::set_auto(on);
}

const BENCH_COMPOUND: &str = "性能测试小区 (bench)";

/// The throwaway unit the benchmarks write households into, made through the real save path if missing.
async fn bench_unit() -> Result<Uuid, JsValue> {
    let found = state::with(|l| {
        let c = l
            .view
            .compounds()
            .into_iter()
            .find(|c| c.fields.name == BENCH_COMPOUND)?;
        let b = l.view.buildings(c.id).into_iter().next()?;
        l.view.units(b.id).into_iter().next().map(|u| u.id)
    });
    if let Some(u) = found {
        return Ok(u);
    }
    let c = Uuid::now_v7();
    let body = CompoundFields {
        name: BENCH_COMPOUND.into(),
        address: "bench".into(),
        year_built: Some(1990),
    };
    state::save(
        EntityRef {
            kind: EntityKind::Compound,
            id: c,
        },
        Body::CompoundPut(body),
    )
    .await
    .map_err(save_err)?;
    let b = Uuid::now_v7();
    let body = BuildingFields {
        compound_id: c,
        name: "1号楼".into(),
    };
    state::save(
        EntityRef {
            kind: EntityKind::Building,
            id: b,
        },
        Body::BuildingPut(body),
    )
    .await
    .map_err(save_err)?;
    let u = Uuid::now_v7();
    let body = UnitFields {
        building_id: b,
        name: "1单元".into(),
    };
    state::save(
        EntityRef {
            kind: EntityKind::Unit,
            id: u,
        },
        Body::UnitPut(body),
    )
    .await
    .map_err(save_err)?;
    Ok(u)
}

fn bench_household(unit: Uuid, i: u32) -> Body {
    // A fresh door per run and per save, so the door rule (RULES H1) never refuses them.
    let tag = Uuid::now_v7().simple().to_string();
    Body::HouseholdPut(HouseholdFields {
        unit_id: unit,
        door: format!("B{i}-{}", &tag[24..]),
        area_m2: 72.5,
        owners: 2,
    })
}

/// `n` timed single saves through the real save path (check, then outbox entry + clock in one strict
/// transaction); returns each latency in milliseconds. Turns automatic syncs off for this page.
async fn bench_local_save(n: u32) -> Result<Vec<f64>, JsValue> {
    // Benchmarks time their own syncs: no background sync may take the queue meanwhile.
    sync::set_auto(false);
    let unit = bench_unit().await?;
    let perf = web_sys::window()
        .and_then(|w| w.performance())
        .ok_or_else(|| js_err("no performance"))?;
    let mut out = Vec::with_capacity(n as usize);
    for i in 0..n {
        let entity = EntityRef {
            kind: EntityKind::Household,
            id: Uuid::now_v7(),
        };
        let body = bench_household(unit, i);
        let t0 = perf.now();
        state::save(entity, body).await.map_err(save_err)?;
        out.push(perf.now() - t0);
    }
    Ok(out)
}

/// Queues `n` valid household operations quickly (checked, then written in large transactions).
/// Turns automatic syncs off for this page, so that the next `sync_now` pushes them all.
async fn bench_fill_outbox(n: u32) -> Result<(), JsValue> {
    sync::set_auto(false);
    let unit = bench_unit().await?;
    let db = state::db().ok_or_else(|| js_err("store not open"))?;
    let now = state::now_ms();
    let mut left = n;
    let mut i = 0;
    while left > 0 {
        let k = left.min(2000);
        let mut entries = Vec::with_capacity(k as usize);
        for _ in 0..k {
            let entity = EntityRef {
                kind: EntityKind::Household,
                id: Uuid::now_v7(),
            };
            let op = state::prepare(entity, bench_household(unit, i)).map_err(save_err)?;
            state::update_silent(|l| l.view.apply(&op));
            entries.push(OutboxEntry::pending(op, now));
            i += 1;
        }
        let clock = state::with(|l| l.clock);
        db.queue(&entries, &clock).await.map_err(|e| js_err(e.0))?;
        state::update_silent(|l| l.outbox.extend(entries));
        left -= k;
    }
    state::update(|l| l.rebuild_view());
    sync::announce();
    Ok(())
}

/// Forgets the confirmed data and the cursor (the outbox is kept), then times one full sync: the pull of
/// everything into an empty device. Resolves with `{ms, ops}`. Turns automatic syncs off for this page.
async fn bench_pull_fresh() -> Result<JsValue, JsValue> {
    sync::set_auto(false);
    let r = sync::sync_from_empty()
        .await
        .map_err(|e| js_err(format!("{}: {}", e.code(), e.message(linli_core::Lang::En))))?;
    let o = js_sys::Object::new();
    js_sys::Reflect::set(&o, &"ms".into(), &r.pull_ms.into())?;
    js_sys::Reflect::set(&o, &"ops".into(), &r.pulled.into())?;
    js_sys::Reflect::set(&o, &"total_ms".into(), &(r.push_ms + r.pull_ms).into())?;
    Ok(o.into())
}

/// An export of `window.linli`, as the chunk of the logged-in app runs it ([`run`]).
pub enum Export {
    SyncNow,
    CompactStore,
    PendingCount,
    SetAutoSync(bool),
    BenchLocalSave(u32),
    BenchFillOutbox(u32),
    BenchPullFresh,
}

/// Runs `export` in the chunk of the logged-in app; the promise resolves with the function's result.
pub fn run(export: Export) -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async move {
        match export {
            Export::SyncNow => sync_now().await,
            Export::CompactStore => compact_store().await.map(|()| JsValue::UNDEFINED),
            Export::PendingCount => pending_count().await.map(JsValue::from),
            Export::SetAutoSync(on) => {
                set_auto_sync(on);
                Ok(JsValue::UNDEFINED)
            }
            Export::BenchLocalSave(n) => bench_local_save(n)
                .await
                .map(|t| js_sys::Float64Array::from(&t[..]).into()),
            Export::BenchFillOutbox(n) => bench_fill_outbox(n).await.map(|()| JsValue::UNDEFINED),
            Export::BenchPullFresh => bench_pull_fresh().await,
        }
    })
}
