//! Linli's web app: a Leptos 0.8 client-side-rendered single-page app that works offline first.
//!
//! Code map: `model` (plain state types), `store` (IndexedDB), `net` (HTTP), `sync` (the sync client),
//! `state` (this tab's state, signals and actions), `i18n` (translation table), `forms` (reading inputs),
//! `router`, `components` and `routes` (the interface, one page per file), `exports` (`window.linli`).

pub mod app;
pub mod components;
pub mod exports;
pub mod forms;
pub mod i18n;
pub mod model;
pub mod net;
pub mod reno;
pub mod resident;
pub mod router;
pub mod routes;
pub mod state;
pub mod store;
pub mod sync;

use wasm_bindgen::prelude::*;

/// Runs when the module is initialised: opens the store, mounts the app, starts syncing.
#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        let opened = match store::Db::open().await {
            Ok(db) => db.load().await.map(|l| (db, l)),
            Err(e) => Err(e),
        };
        let (db, local) = match opened {
            Ok(x) => x,
            Err(e) => {
                web_sys::console::error_1(&JsValue::from_str(&e.0));
                if let Some(root) = &root {
                    root.set_inner_html("");
                    root.set_text_content(Some(&format!(
                        "{} / {} ({})",
                        i18n::T::StoreFailed.in_lang(linli_core::Lang::Zh),
                        i18n::T::StoreFailed.in_lang(linli_core::Lang::En),
                        e.0
                    )));
                }
                return;
            }
        };
        let lang = local.lang;
        let logged_in = local.session.is_some();
        state::install(db, local);
        resident::install();
        state::set_html_lang(lang);
        router::install();
        match root {
            Some(root) => {
                root.set_inner_html("");
                leptos::mount::mount_to(root, app::App).forget();
            }
            None => leptos::mount::mount_to_body(app::App),
        }
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = el
                .unchecked_ref::<web_sys::HtmlElement>()
                .dataset()
                .set("ready", "1");
        }
        sync::start();
        if logged_in {
            state::request_persistence();
        }
    });
}
