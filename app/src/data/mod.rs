//! The data layer: what the device knows and how it reaches IndexedDB and the server. No interface here.
//!
//! - `model` — the device's state as plain types (confirmed replica, outbox, local view); no I/O.
//! - `store` — IndexedDB (database `linli`, migrations, strict transactions).
//! - `json` — JSON text (`serde_json` for staff; a small reader and writer for the resident's entry).
//! - `net` — HTTP calls to the server's API, errors sorted.
//! - `state` — this tab's state, the UI's signals, and the actions (save, discard, log in and out…).
//! - `sync` — the sync client (push, pull, Web Lock, back-off, other tabs).
//! - `downloads` — handing a blob or text to the person as a file.
//! - `forms` — reading typed numbers.
//! - `exports` — `window.linli`, for the browser tests and the benchmarks.
//!
//! Imports point one way, down this list's dependency order: `model` ← `store` ← `state` ← `sync` ←
//! `exports` (with `net`, `downloads`, `forms` below `state`). `state` never imports `sync`: the sync client
//! registers with `state::on_change` to hear of the changes this tab makes. Nothing here imports a feature;
//! the only app modules used outside `data` are the leaves `shell::i18n` and `shell::strings` (messages).

pub mod downloads;
#[cfg(not(feature = "vote"))]
pub mod exports;
pub mod forms;
pub mod json;
pub mod model;
pub mod net;
pub mod state;
pub mod store;
pub mod sync;
