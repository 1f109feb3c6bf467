//! The menu editor of `/project/:id` (R2, R9): the menu's items, from the catalogue of 20 or local, with
//! costs, shares, and the art. 278 owners' decision and matter.

use crate::data::forms;
use crate::data::state::{self, SaveError};
use crate::renovation::common::{self, class_label, field_error, matter_label, save, yuan};
use crate::renovation::strings::{Ballot, Reno};
use crate::shell::field::{Check, FormError, Input};
use leptos::prelude::*;
use linli_core::renovation::{
    Electorate, ElectorateScope, ItemClass, Matter, MenuItemFields, Words, catalogue,
};
use linli_core::sync::Body;
use linli_core::{EntityKind, ErrorCode, Lang};
use uuid::Uuid;

/// R2, R9: the menu, from the catalogue of 20 items or local, with costs and shares.
#[component]
pub fn MenuEditor(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let items = move || {
        ui.rev.get();
        common::menu(id)
    };
    let editing = RwSignal::new(None::<Uuid>);
    let cat = RwSignal::new(None::<String>);
    let class = RwSignal::new(String::from("basic"));
    let name = RwSignal::new(String::new());
    let name_en = RwSignal::new(String::new());
    let desc = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let share = RwSignal::new(String::new());
    let owners = RwSignal::new(false);
    let matter = RwSignal::new(String::from("ordinary"));
    // Who decides the item: "compound", "b:<building id>" or "u:<unit id>" (the lift: its unit).
    let electorate = RwSignal::new(String::from("compound"));
    let places = move || {
        ui.rev.get();
        electorate_choices(id)
    };
    let error = RwSignal::new(None::<SaveError>);
    // Why an item could not be removed (a ballot chose it), shown above the list.
    let remove_error = RwSignal::new(None::<SaveError>);
    let clear = move || {
        editing.set(None);
        cat.set(None);
        class.set(String::from("basic"));
        name.set(String::new());
        name_en.set(String::new());
        desc.set(String::new());
        cost.set(String::new());
        share.set(String::new());
        owners.set(false);
        matter.set("ordinary".into());
        electorate.set("compound".into());
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cost_yuan) = forms::parse_f64(&cost.get_untracked()) else {
            return error.set(Some(field_error(ErrorCode::Required, "cost_yuan")));
        };
        let position = editing
            .get_untracked()
            .and_then(|e| common::menu(id).into_iter().find(|m| m.id == e))
            .map(|m| m.fields.position)
            .unwrap_or_else(|| common::menu(id).len() as u32);
        let body = Body::MenuItemPut(MenuItemFields {
            project_id: id,
            catalogue: cat.get_untracked(),
            class: match class.get_untracked().as_str() {
                "improvement" => ItemClass::Improvement,
                "upgrade" => ItemClass::Upgrade,
                _ => ItemClass::Basic,
            },
            name: name.get_untracked().trim().to_string(),
            name_en: name_en.get_untracked().trim().to_string(),
            description: desc.get_untracked().trim().to_string(),
            cost_yuan,
            share_per_household_yuan: forms::parse_f64(&share.get_untracked()),
            owners_decision: owners.get_untracked(),
            matter: if matter.get_untracked() == "special" {
                Matter::Special
            } else {
                Matter::Ordinary
            },
            position,
            electorate: parse_electorate(&electorate.get_untracked()),
        });
        let item_id = editing.get_untracked().unwrap_or_else(Uuid::now_v7);
        save(EntityKind::MenuItem, item_id, body, error, clear);
    };
    let catalogue = catalogue();
    let groups = [ItemClass::Basic, ItemClass::Improvement, ItemClass::Upgrade].map(|c| {
        let list: Vec<_> = catalogue.iter().filter(|i| i.class == c).cloned().collect();
        view! {
            <h4>{class_label(c, lang)}</h4>
            <ul class="catalogue">
                {list
                    .into_iter()
                    .map(|i| {
                        let label = if lang == Lang::Zh { i.zh.clone() } else { i.en.clone() };
                        let pick = {
                            let label = label.clone();
                            let i = i.clone();
                            move |_| {
                                editing.set(None);
                                cat.set(Some(i.id.clone()));
                                class.set(common::class_key(i.class).into());
                                name.set(label.clone());
                                owners.set(i.owners_decision);
                                matter.set(if i.matter == Matter::Special { "special" } else { "ordinary" }.into());
                                // The catalogue's default electorate (the lift: a unit), starting with the first.
                                let first = electorate_choices(id).into_iter().map(|(v, _)| v).find(|v| match i.electorate_scope {
                                    ElectorateScope::Compound => v == "compound",
                                    ElectorateScope::Building => v.starts_with("b:"),
                                    ElectorateScope::Unit => v.starts_with("u:"),
                                });
                                electorate.set(first.unwrap_or_else(|| "compound".into()));
                                if let Some(el) = web_sys::window()
                                    .and_then(|w| w.document())
                                    .and_then(|d| d.query_selector("input[name=item-cost]").ok().flatten())
                                {
                                    let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                                }
                            }
                        };
                        view! {
                            <li data-testid="catalogue-item" data-id=i.id.clone()>
                                <span>{format!("{}. {label}", i.no)}</span>
                                <button type="button" class="btn" data-testid="pick-catalogue" on:click=pick>{tr(Reno::Pick)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card menu" data-testid="menu">
            <h2>{tr(Reno::Menu)}</h2>
            {move || {
                let v = items();
                if v.is_empty() {
                    return view! { <p class="empty">{tr(Reno::NoMenu)}</p> }.into_any();
                }
                view! {
                    {move || remove_error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="remove-error">{e.message(lang)}</p> })}
                    <ul class="list">
                        {v.into_iter().map(|m| {
                            let f = m.fields.clone();
                            let edit = move |_| {
                                editing.set(Some(m.id));
                                cat.set(f.catalogue.clone());
                                class.set(common::class_key(f.class).into());
                                name.set(f.name.clone());
                                name_en.set(f.name_en.clone());
                                desc.set(f.description.clone());
                                cost.set(f.cost_yuan.to_string());
                                share.set(f.share_per_household_yuan.map(|s| s.to_string()).unwrap_or_default());
                                owners.set(f.owners_decision);
                                matter.set(if f.matter == Matter::Special { "special" } else { "ordinary" }.into());
                                electorate.set(electorate_value(f.electorate));
                            };
                            let item_name = m.fields.name.clone();
                            let remove = move |_| {
                                let ask = tr(Reno::RemoveItemConfirm).replace("{0}", &item_name);
                                let ok = web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false);
                                if ok {
                                    // A tombstone; the core refuses it once a ballot chose the item (R4).
                                    save(EntityKind::MenuItem, m.id, Body::Delete, remove_error, move || {
                                        if editing.get_untracked() == Some(m.id) { clear() }
                                    });
                                }
                            };
                            let f = &m.fields;
                            view! {
                                <li class="menu-item" data-testid="menu-item" data-name=f.name.clone() data-id=m.id.to_string()>
                                    <b>{f.name.clone()}</b> " "
                                    <span class="badge">{class_label(f.class, lang)}</span>
                                    {(!f.electorate.is_compound()).then(|| {
                                        let label = electorate_choices(id).into_iter().find(|(v, _)| *v == electorate_value(f.electorate)).map(|(_, l)| l).unwrap_or_default();
                                        view! { " " <span class="badge" data-testid="item-electorate">{Words::ColElectorate.text(lang)} {crate::shell::i18n::colon(lang)} {label}</span> }
                                    })}
                                    {f.owners_decision.then(|| view! {
                                        " " <span class="badge pending">{tr(Reno::OwnersDecisionShort)} " · " {matter_label(f.matter, lang)}</span>
                                    })}
                                    <p class="sub">{f.description.clone()}</p>
                                    <p>
                                        {Ballot::Cost.text(lang)} {crate::shell::i18n::colon(lang)} {yuan(f.cost_yuan, lang)}
                                        {f.share_per_household_yuan.map(|s| view! { " · " {tr(Reno::Share)} {crate::shell::i18n::colon(lang)} {yuan(s, lang)} })}
                                    </p>
                                    <div class="row-actions">
                                        <button type="button" class="btn" data-testid="edit-item" on:click=edit>{tr(Reno::Edit)}</button>
                                        <button type="button" class="btn danger" data-testid="remove-item" on:click=remove>{tr(Reno::RemoveItem)}</button>
                                    </div>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <form class="form sub-form" on:submit=on_submit data-testid="item-form">
                <h3>{move || if editing.get().is_some() { tr(Reno::EditItem) } else { tr(Reno::AddItem) }}</h3>
                <Input label=tr(Reno::ItemName) name="item-name" value=name />
                <Input label=tr(Reno::ItemNameEn) name="item-name-en" value=name_en />
                <label class="field">
                    <span class="label">{tr(Reno::ItemClass)}</span>
                    <select name="item-class" prop:value=move || class.get() on:change=move |ev| class.set(event_target_value(&ev))>
                        <option value="basic">{common::label(Words::ClassBasic, lang)}</option>
                        <option value="improvement">{common::label(Words::ClassImprovement, lang)}</option>
                        <option value="upgrade">{common::label(Words::ClassUpgrade, lang)}</option>
                    </select>
                </label>
                <Input label=tr(Reno::Description) name="item-description" value=desc />
                <Input label=tr(Reno::CostYuan) name="item-cost" value=cost inputmode="decimal" />
                <Input label=tr(Reno::ShareYuan) name="item-share" value=share inputmode="decimal" />
                <Check label=tr(Reno::OwnersDecision) name="item-owners" value=owners />
                <label class="field">
                    <span class="label">{tr(Reno::Matter)}</span>
                    <select name="item-matter" prop:value=move || matter.get() on:change=move |ev| matter.set(event_target_value(&ev))>
                        <option value="ordinary">{common::label(Words::MatterOrdinary, lang)}</option>
                        <option value="special">{common::label(Words::MatterSpecial, lang)}</option>
                    </select>
                </label>
                <label class="field">
                    <span class="label">{Words::ColElectorate.text(lang)}</span>
                    <select name="item-electorate" prop:value=move || electorate.get() on:change=move |ev| electorate.set(event_target_value(&ev))>
                        {move || places().into_iter().map(|(v, label)| {
                            let label = if v == "compound" { Words::ElectorateCompound.text(lang).to_string() } else { label };
                            view! { <option value=v>{label}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <FormError lang=lang error=error fields=&[] />
                <button type="submit" class="btn primary wide" data-testid="add-item">
                    {move || if editing.get().is_some() { tr(Reno::SaveItem) } else { tr(Reno::AddItem) }}
                </button>
                <Show when=move || editing.get().is_some() || cat.get().is_some()>
                    <button type="button" class="btn wide" on:click=move |_| clear()>{tr(Reno::Cancel)}</button>
                </Show>
            </form>
            <details class="catalogue-box" open>
                <summary>{tr(Reno::Catalogue)}</summary>
                {groups}
            </details>
        </section>
    }
}

/// The electorates a menu item of project `id` can have: the whole compound, each building, each unit
/// ("1号楼 1单元"), as (select value, label).
fn electorate_choices(id: Uuid) -> Vec<(String, String)> {
    let Some((p, _)) = common::project(id) else {
        return vec![("compound".into(), String::new())];
    };
    state::with(|l| {
        let mut v = vec![("compound".to_string(), String::new())];
        for b in l.view.buildings(p.compound_id) {
            v.push((format!("b:{}", b.id), b.fields.name.clone()));
            for u in l.view.units(b.id) {
                v.push((
                    format!("u:{}", u.id),
                    format!("{} {}", b.fields.name, u.fields.name),
                ));
            }
        }
        v
    })
}

fn electorate_value(e: Electorate) -> String {
    match e {
        Electorate::Compound => "compound".into(),
        Electorate::Building { id } => format!("b:{id}"),
        Electorate::Unit { id } => format!("u:{id}"),
    }
}

fn parse_electorate(v: &str) -> Electorate {
    let id = |s: &str| Uuid::parse_str(s).ok();
    match v.split_once(':') {
        Some(("b", s)) => id(s).map_or(Electorate::Compound, |id| Electorate::Building { id }),
        Some(("u", s)) => id(s).map_or(Electorate::Compound, |id| Electorate::Unit { id }),
        _ => Electorate::Compound,
    }
}
