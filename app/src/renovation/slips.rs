//! `/project/:id/slips`: the printable sheet of voting-code slips (投票码纸条) — building, unit, door, the
//! code, its QR and the link — for a whole building or the whole compound in one action. Codes are stored
//! hashed on the server, so printing again is a reissue: the page says so before it does it. The last
//! sheet printed stays in this tab's memory (never in storage: the codes are the households' secrets), so
//! leaving the page and coming back still shows it.

use crate::data::state;
use crate::renovation::codes::{Slip, reissue};
use crate::renovation::common;
use crate::renovation::nav::ProjectNav;
use crate::renovation::strings::Reno;
use leptos::prelude::*;
use linli_core::Lang;
use std::cell::RefCell;
use std::collections::HashMap;
use uuid::Uuid;

thread_local! {
    /// The last sheet of slips of each project, with the building it was made for ("" = the whole
    /// compound, or households the codes page chose), for this tab's life.
    static PRINTED: RefCell<HashMap<Uuid, (String, Vec<Slip>)>> = RefCell::new(HashMap::new());
}

/// Keeps `slips` as the project's sheet (the codes page puts newly issued codes here, then opens the page).
pub fn keep(project: Uuid, slips: Vec<Slip>) {
    keep_for(project, String::new(), slips);
}

fn keep_for(project: Uuid, building: String, slips: Vec<Slip>) {
    PRINTED.with(|p| p.borrow_mut().insert(project, (building, slips)));
}

fn kept(project: Uuid) -> (String, Vec<Slip>) {
    PRINTED.with(|p| p.borrow().get(&project).cloned().unwrap_or_default())
}

#[component]
pub fn SlipsPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let (was_for, was) = kept(id);
    let slips = RwSignal::new(was);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    // "" = every building of the compound; otherwise a building id.
    let building = RwSignal::new(was_for);
    let compound = move || common::project(id).map(|(p, _)| p.compound_id);
    let buildings = move || {
        ui.rev.get();
        compound().map_or_else(Vec::new, |c| state::with(|l| l.view.buildings(c)))
    };
    let chosen = move || -> Vec<Uuid> {
        ui.rev.get();
        let Some(c) = compound() else { return vec![] };
        let b = Uuid::parse_str(&building.get()).ok();
        state::with(|l| {
            l.view
                .doors(c)
                .into_iter()
                .filter(|d| b.is_none_or(|b| b == d.building_id))
                .map(|d| d.household.id)
                .collect()
        })
    };
    let make = move |_| {
        let list = chosen();
        if list.is_empty() {
            return error.set(Some(tr(Reno::SlipsNoHouseholds).to_string()));
        }
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match reissue(id, list, lang).await {
                Ok(codes) => {
                    keep_for(id, building.get_untracked(), codes.clone());
                    slips.set(codes);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let name = move || {
        ui.rev.get();
        common::project(id).map(|(p, _)| p.name)
    };
    view! {
        <section class="page slips-page">
            <ProjectNav lang=lang id=id />
            <div class="no-print">
                <h1>{name} " · " {tr(Reno::Slips)}</h1>
                <p class="sub">{tr(Reno::CodesHelp)}</p>
                <label class="field">
                    <span class="label">{tr(Reno::FormsBuilding)}</span>
                    <select name="slips-building" prop:value=move || building.get()
                        on:change=move |ev| building.set(event_target_value(&ev))>
                        <option value="">{tr(Reno::SlipsWholeCompound)}</option>
                        {move || buildings().into_iter().map(|b| view! { <option value=b.id.to_string()>{b.fields.name}</option> }).collect_view()}
                    </select>
                </label>
                <p class="warn" data-testid="slips-reissue-note">{tr(Reno::SlipsReissueNote)}</p>
                <Show when=move || !ui.online.get()>
                    <p class="warn" role="alert" data-testid="slips-offline">{tr(Reno::CodesNeedNetwork)}</p>
                </Show>
                <button type="button" class="btn primary wide" data-testid="make-slips"
                    disabled=move || busy.get() || !ui.online.get() on:click=make>
                    {move || tr(Reno::MakeSlips).replace("{0}", &chosen().len().to_string())}
                </button>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                <Show when=move || !slips.get().is_empty()>
                    <p class="ok" data-testid="slips-count">
                        {move || tr(Reno::SlipsReady).replace("{0}", &slips.get().len().to_string())}
                    </p>
                    <button type="button" class="btn wide" data-testid="print-codes" on:click=|_| {
                        if let Some(w) = web_sys::window() { let _ = w.print(); }
                    }>{tr(Reno::Print)}</button>
                </Show>
            </div>
            <div class="slips">
                <For each=move || slips.get() key=|s| s.code.clone() children=move |s| {
                    view! {
                        <div class="slip" data-testid="code-slip" data-door=s.door.clone() data-code=s.code.clone()
                            data-household=s.household_id.to_string()>
                            <p class="slip-place">{format!("{} {} {}", s.building, s.unit, s.door)}</p>
                            <div class="qr" inner_html=s.qr_svg.clone()></div>
                            <p class="slip-code">{s.code.clone()}</p>
                            <p class="slip-url">{s.url.clone()}</p>
                            <p class="slip-help">{tr(Reno::SlipHelp)}</p>
                        </div>
                    }
                } />
            </div>
        </section>
    }
}
