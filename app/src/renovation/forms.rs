//! `/project/:id/forms`: printable paper survey forms (菜单式改造调查表, R4) for one household or a whole
//! building, so residents without a phone answer on paper and staff enter it door to door. Each form has
//! the menu with costs and shares, tick boxes, and the household's code as a QR code to answer by phone
//! instead. Codes are stored hashed, so printing a form issues a new code (any earlier one stops working).

use crate::data::state;
use crate::renovation::codes::{Slip, reissue};
use crate::renovation::common::{self, class_label, yuan};
use crate::renovation::nav::ProjectNav;
use crate::renovation::strings::{Ballot, Reno};
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::renovation::{Electorate, MenuItem, Words};
use uuid::Uuid;

/// The households of one building of the project's compound, or one household: (id, "1号楼 1单元 101").
fn households(id: Uuid, building: Option<Uuid>) -> Vec<(Uuid, String)> {
    let Some((p, _)) = common::project(id) else {
        return vec![];
    };
    state::with(|l| {
        l.view
            .doors(p.compound_id)
            .into_iter()
            .filter(|d| building.is_none_or(|b| b == d.building_id))
            .map(|d| (d.household.id, d.place()))
            .collect()
    })
}

#[component]
pub fn FormsPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let buildings = move || {
        ui.rev.get();
        let Some((p, _)) = common::project(id) else {
            return vec![];
        };
        state::with(|l| l.view.buildings(p.compound_id))
    };
    // "" until chosen; then a building id. `door` is "" for the whole building or one household's id.
    let building = RwSignal::new(String::new());
    let door = RwSignal::new(String::new());
    let forms = RwSignal::new(Vec::<Slip>::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let chosen = move || -> Vec<Uuid> {
        let b = Uuid::parse_str(&building.get()).ok();
        if b.is_none() {
            return vec![];
        }
        match Uuid::parse_str(&door.get()) {
            Ok(h) => vec![h],
            Err(_) => households(id, b).into_iter().map(|(h, _)| h).collect(),
        }
    };
    let make = move |_| {
        let list = chosen();
        if list.is_empty() {
            return error.set(Some(tr(Reno::FormsChooseBuilding).to_string()));
        }
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match reissue(id, list, lang).await {
                Ok(codes) => forms.set(codes),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let project = move || {
        ui.rev.get();
        common::project(id)
    };
    let menu = move || {
        ui.rev.get();
        common::menu(id)
    };
    view! {
        <section class="page forms">
            <ProjectNav lang=lang id=id />
            <div class="no-print">
                <h1>{move || project().map(|(p, _)| p.name).unwrap_or_default()} " · " {tr(Reno::PaperForms)}</h1>
                <p class="sub">{tr(Reno::PaperFormsHelp)}</p>
                <label class="field">
                    <span class="label">{tr(Reno::FormsBuilding)}</span>
                    <select name="forms-building" prop:value=move || building.get()
                        on:change=move |ev| { building.set(event_target_value(&ev)); door.set(String::new()); forms.set(vec![]); }>
                        <option value="">{tr(Reno::FormsChooseBuilding)}</option>
                        {move || buildings().into_iter().map(|b| view! { <option value=b.id.to_string()>{b.fields.name}</option> }).collect_view()}
                    </select>
                </label>
                <label class="field">
                    <span class="label">{tr(Reno::FormsHousehold)}</span>
                    <select name="forms-household" prop:value=move || door.get() on:change=move |ev| door.set(event_target_value(&ev))>
                        <option value="">{tr(Reno::FormsWholeBuilding)}</option>
                        {move || households(id, Uuid::parse_str(&building.get()).ok()).into_iter().filter(|_| !building.get().is_empty())
                            .map(|(h, label)| view! { <option value=h.to_string()>{label}</option> }).collect_view()}
                    </select>
                </label>
                <p class="warn" data-testid="forms-reissue-note">{tr(Reno::FormsReissueNote)}</p>
                <Show when=move || !ui.online.get()>
                    <p class="warn" role="alert">{tr(Reno::CodesNeedNetwork)}</p>
                </Show>
                <button type="button" class="btn primary wide" data-testid="make-forms"
                    disabled=move || busy.get() || !ui.online.get() on:click=make>
                    {move || format!("{} ({})", tr(Reno::MakeForms), chosen().len())}
                </button>
                <Show when=move || !forms.get().is_empty()>
                    <button type="button" class="btn wide" data-testid="print-forms" on:click=|_| {
                        if let Some(w) = web_sys::window() { let _ = w.print(); }
                    }>{tr(Reno::Print)}</button>
                </Show>
                {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <For each=move || forms.get() key=|s| s.code.clone() children=move |s| {
                view! { <PaperForm lang=lang slip=s project=project().map(|(p, c)| (p.name, c.map(|c| c.fields.name).unwrap_or_default())).unwrap_or_default() menu=menu() /> }
            } />
        </section>
    }
}

/// One household's form, one printed page.
#[component]
fn PaperForm(
    lang: Lang,
    slip: Slip,
    project: (String, String),
    menu: Vec<MenuItem>,
) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let rows = menu
        .into_iter()
        .map(|m| {
            let f = m.fields;
            let scope = match f.electorate {
                Electorate::Compound => String::new(),
                Electorate::Building { .. } => format!("（{}）", Words::ElectorateBuilding.text(lang)),
                Electorate::Unit { .. } => format!("（{}）", Words::ElectorateUnit.text(lang)),
            };
            view! {
                <tr data-testid="form-item">
                    <td class="tick">"☐"</td>
                    <td class="form-item-name">{f.name} {scope}<br /><span class="sub">{class_label(f.class, lang)} {f.description}</span></td>
                    <td>{yuan(f.cost_yuan, lang)}</td>
                    <td>{f.share_per_household_yuan.map(|s| yuan(s, lang)).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <article class="paper-form" data-testid="paper-form" data-door=slip.door.clone() data-code=slip.code.clone()>
            <h2>{tr(Reno::PaperFormTitle)}</h2>
            <p class="big">{project.1} " · " {project.0}</p>
            <p class="big form-place">{format!("{} {} {}", slip.building, slip.unit, slip.door)}</p>
            <h3>{tr(Reno::FormsQuestionAgree)}</h3>
            <p class="big">"☐ " {Ballot::Agree.text(lang)} "　　☐ " {Ballot::Disagree.text(lang)}</p>
            <h3>{tr(Reno::FormsQuestionItems)}</h3>
            <p class="sub">{tr(Reno::FormsItemsNote)}</p>
            <table class="table form-menu">
                <thead><tr><th></th><th>{tr(Reno::ItemName)}</th><th>{tr(Reno::FormsCost)}</th><th>{tr(Reno::FormsShare)}</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
            <div class="form-foot">
                <div class="qr" inner_html=slip.qr_svg.clone()></div>
                <div>
                    <p>{tr(Reno::FormsScan)}</p>
                    <p class="slip-code">{slip.code.clone()}</p>
                    <p class="slip-url">{slip.url.clone()}</p>
                    <p class="sign">{tr(Reno::FormsSignature)} "：____________　" {tr(Reno::FormsDate)} "：__________"</p>
                </div>
            </div>
        </article>
    }
}
