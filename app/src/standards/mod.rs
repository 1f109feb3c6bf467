//! The standards self-check (达标自评, issue 14; RULES §5 E1–E7): `/standards` lists the six standards
//! with how many of their groups are met, `/standards/:id` one standard's rows as it groups them, each with
//! its status (icon and word, never colour alone), value, threshold and the gap in natural units, and a form
//! to enter the rows Linli cannot compute. Everything is evaluated on the phone by the core
//! (`linli_core::standards`), offline like every page; entries are ordinary changes (`standard_entry.add`).

pub mod due;
pub mod list;
pub mod logs;
pub mod overview;
pub mod page;
pub mod photo;
pub mod progress;
pub mod report;
pub mod shanghai;
pub mod strings;

use crate::data::state;
use linli_core::Lang;
use linli_core::date::Date;
use linli_core::standards::Evaluation;
use linli_core::sync::{Body, Operation};

/// A standards change for the refused list; `None` for another feature's change.
pub fn describe_op(op: &Operation, lang: Lang) -> Option<String> {
    match &op.body {
        Body::StandardEntryAdd(f) => Some(format!(
            "{} {}",
            strings::Std::OpEntry.text(lang),
            f.indicator_id
        )),
        Body::LogEntryPut(f) => Some(format!(
            "{} {} {}",
            strings::Std::OpLogEntry.text(lang),
            f.date,
            f.title
        )),
        _ => None,
    }
}

/// One standard evaluated on this phone for this year, as of today: the computed rows from the local
/// records, the entered rows from their latest entries.
pub fn evaluate(standard: &str) -> Option<Evaluation> {
    let today = Date::from_unix_ms_cst(state::now_ms() as i64);
    let c = state::community();
    let rules = state::rules();
    state::with(|l| l.view.self_check(&c, &[standard], rules, today).pop())
}

#[cfg(not(feature = "vote"))]
crate::split!(
    standards,
    /// The feature's pages, a Wasm chunk of their own fetched when one of them first opens (issue 8, see
    /// `shell::chunk`): the catalogue of 483 indicators travels in it, not in the first load.
    pub fn page(
        route: crate::shell::router::Route,
        lang: Lang,
    ) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        Ok({
            use crate::shell::router::Route;
            use leptos::prelude::*;
            match route {
                Route::Standards => view! { <list::StandardsPage lang=lang /> }.into_any(),
                Route::Standard(id) => view! { <page::StandardPage lang=lang id=id /> }.into_any(),
                Route::StandardReport(id) => {
                    view! { <report::ReportPage lang=lang id=id /> }.into_any()
                }
                Route::StandardApplication(id) => {
                    view! { <report::ApplicationPage lang=lang id=id /> }.into_any()
                }
                Route::ShanghaiForm(n) => {
                    view! { <shanghai::ShanghaiFormPage lang=lang number=n /> }.into_any()
                }
                Route::Log(log) => view! { <logs::LogPage lang=lang log=log /> }.into_any(),
                Route::LogEntry(log, id) => {
                    view! { <logs::LogEntryPage lang=lang log=log id=id /> }.into_any()
                }
                _ => ().into_any(),
            }
        })
    }
);
