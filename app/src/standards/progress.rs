//! 逐月进度 on `/standards/:id` (the monthly report of E6's rhythm): for each month of this year so far,
//! how many of the standard's rows with a pass mark were met at the month's end (today, for the current
//! month) — evaluated by the core from the records as they stood that day (entries made by then,
//! volunteers registered by then, responses up to then). Computed only when opened: twelve evaluations.

use crate::data::state;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::date::Date;
use linli_core::i18n::fill;
use linli_core::standards::Status;

/// One month: its label, the rows met at its end, and the rows with a pass mark.
#[derive(Clone, PartialEq)]
struct Month {
    label: String,
    met: usize,
    deciding: usize,
}

/// The months of this year up to today.
fn months(standard: &str) -> Vec<Month> {
    let today = Date::from_unix_ms_cst(state::now_ms() as i64);
    let (year, this_month, _) = today.ymd();
    let c = state::community();
    let rules = state::rules();
    (1..=this_month)
        .filter_map(|m| {
            let end = if m == this_month {
                today
            } else {
                Date::from_ymd(year, m + 1, 1)?.add_days(-1)
            };
            let e = state::with(|l| l.view.self_check(&c, &[standard], rules, end).pop())?;
            let count =
                |f: &dyn Fn(Status) -> bool| e.indicators.iter().filter(|r| f(r.status)).count();
            Some(Month {
                label: format!("{year}-{m:02}"),
                met: count(&|s| s == Status::Met),
                deciding: count(&|s| s != Status::NoThreshold),
            })
        })
        .collect()
}

#[component]
pub fn Progress(lang: Lang, standard: String) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Std| k.text(lang);
    let open = RwSignal::new(false);
    let list = Memo::new(move |_| {
        ui.rev.get();
        if open.get() {
            months(&standard)
        } else {
            Vec::new()
        }
    });
    view! {
        <details class="card" data-testid="progress" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary><h2 class="inline">{tr(Std::ProgressTitle)}</h2></summary>
            <p class="sub">{tr(Std::ProgressNote)}</p>
            <ul class="list progress">
                {move || list.get().into_iter().map(|m| {
                    let pct = if m.deciding == 0 { 0.0 } else { m.met as f64 * 100.0 / m.deciding as f64 };
                    let text = fill(tr(Std::ProgressMonth), &[&m.label, &m.met.to_string(), &m.deciding.to_string()]);
                    view! {
                        <li data-testid="progress-month" data-month=m.label.clone() data-met=m.met.to_string()>
                            <span>{m.label.clone()}</span>
                            <span class="track" role="img" aria-label=text><span class="fill" style=format!("width:{pct:.1}%")></span></span>
                            <b>{m.met} "/" {m.deciding}</b>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </details>
    }
}
