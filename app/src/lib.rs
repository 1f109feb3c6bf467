//! Linli's web app: a Leptos 0.8 client-side-rendered single-page app that works offline first.
//!
//! Code map:
//! - `shell` — the root component and route table, the router, the status bar, common form components, the
//!   staff's login and settings pages, and the one translation mechanism (`shell::i18n`, catalogue
//!   `shell::strings`).
//! - `data` — the device's state and its persistence: `model`, `store` (IndexedDB), `net` (HTTP), `state`
//!   (this tab's state and actions), `sync` (the sync client), `downloads`, `forms`, `exports`
//!   (`window.linli`). No interface and no feature in it.
//! - `roster` — the compounds list and the compound page (buildings, units, households), RULES H1.
//! - `surveys` — door-to-door surveys, RULES §4: forms, visits, drafts, review, ledger, due lists.
//! - `renovation` — renovation votes, RULES §2: the staff's project, door-to-door, codes, results and notice
//!   pages, the section on the compound page, and the resident's vote.
//!
//! Each feature folder holds its pages (one per file), its catalogue of strings (`strings.rs`) and its arm of
//! the refused list's descriptions (`describe_op`). Imports point down: features → shell → data; the shell
//! names the features only in its route table and its op-description dispatch, and the data layer uses only
//! the shell's leaf modules `i18n` and `strings` (for its messages).

pub mod data;
pub mod renovation;
pub mod roster;
pub mod shell;
pub mod standards;
pub mod surveys;
pub mod volunteers;

use data::store;
use shell::strings::Basic;
use wasm_bindgen::prelude::*;

/// Runs when the module is initialised: opens the store, and starts the staff app (`shell::start`: the login
/// page alone, or the logged-in app from its chunk), or with the `vote` feature shows only the resident's
/// voting page (`renovation::vote`, no Leptos).
#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app"))
            .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
        let opened = match store::Db::open().await {
            #[cfg(not(feature = "vote"))]
            Ok(db) => shell::start::start(db, root.clone()).await,
            #[cfg(feature = "vote")]
            Ok(db) => {
                let lang = db.resident_lang().await;
                renovation::vote::start(db, lang).await;
                Ok(())
            }
            Err(e) => Err(e),
        };
        match opened {
            Ok(()) => {}
            Err(e) => {
                web_sys::console::error_1(&JsValue::from_str(&e.0));
                if let Some(root) = &root {
                    root.set_inner_html("");
                    root.set_text_content(Some(&format!(
                        "{} / {} ({})",
                        Basic::StoreFailed.text(linli_core::Lang::Zh),
                        Basic::StoreFailed.text(linli_core::Lang::En),
                        e.0
                    )));
                }
                return;
            }
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
    });
}

#[cfg(test)]
mod tests {
    /// Every key of every catalogue has a Chinese and an English text, and a Chinese text is not also used
    /// as the English one.
    #[test]
    fn every_catalogue_is_complete() {
        use crate::renovation::strings::Reno;
        use crate::roster::strings::Roster;
        use crate::shell::strings::Shell;
        let mut faults = linli_core::catalogue_problems!(Shell);
        faults.extend(linli_core::catalogue_problems!(
            crate::shell::strings::Basic
        ));
        faults.extend(linli_core::catalogue_problems!(Roster));
        faults.extend(linli_core::catalogue_problems!(
            crate::volunteers::strings::Volunteers
        ));
        faults.extend(linli_core::catalogue_problems!(Reno));
        faults.extend(linli_core::catalogue_problems!(
            crate::renovation::strings::Ballot
        ));
        assert!(faults.is_empty(), "{faults:#?}");
        assert!(Shell::ALL.len() > 40 && Roster::ALL.len() > 20 && Reno::ALL.len() > 100);
    }
}
