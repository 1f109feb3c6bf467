//! `/compound/:id`: one compound's buildings, each with its units, each with its households, and the forms
//! to add a building, a unit to a building, and a household to a unit (RULES H1: door unique in a unit).

use crate::data::forms;
use crate::data::model::RowStatus;
use crate::data::state::{self, SaveError};
use crate::roster::strings::Roster;
use crate::shell::field::{Field, FormError};
use crate::shell::strings::{Shell, status_label};
use leptos::prelude::*;
use linli_core::roster::{BuildingFields, HouseholdFields, UnitFields};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, ErrorCode, Lang, RuleError};
use std::collections::HashMap;
use uuid::Uuid;

type Statuses = Memo<HashMap<Uuid, RowStatus>>;

/// Saves `body` as a new record and clears the form on success, or shows the error.
fn submit(
    kind: EntityKind,
    body: Body,
    error: RwSignal<Option<SaveError>>,
    clear: impl FnOnce() + 'static,
) {
    let entity = EntityRef {
        kind,
        id: Uuid::now_v7(),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(entity, body).await {
            Ok(_) => {
                error.set(None);
                clear();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn CompoundPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Roster| k.text(lang);
    let compound = move || {
        ui.rev.get();
        state::with(|l| l.view.compounds().into_iter().find(|c| c.id == id))
    };
    // Drawn again only when the compound itself changes, so a sync does not clear the project form.
    let cinfo = Memo::new(move |_| compound().map(|c| (c.id, c.fields.year_built)));
    let statuses: Statuses = Memo::new(move |_| {
        ui.rev.get();
        state::with(|l| l.row_statuses())
    });
    let buildings = move || {
        ui.rev.get();
        state::with(|l| l.view.buildings(id))
    };
    let name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Body::BuildingPut(BuildingFields {
            compound_id: id,
            name: name.get_untracked().trim().to_string(),
        });
        submit(EntityKind::Building, body, error, move || {
            name.set(String::new())
        });
    };
    view! {
        <section class="page">
            <a class="btn back" href="/">{Shell::BackToCompounds.text(lang)}</a>
            {move || match compound() {
                None => view! { <h1>{tr(Roster::CompoundNotFound)}</h1> }.into_any(),
                Some(c) => {
                    let year = c.fields.year_built.map(|y| y.to_string()).unwrap_or_default();
                    view! {
                        <h1>{c.fields.name.clone()}</h1>
                        <p class="sub">{c.fields.address.clone()} " " {year}</p>
                    }
                        .into_any()
                }
            }}
            {move || cinfo.get().map(|(cid, year)| {
                crate::shell::chunk::show(
                    move || crate::renovation::projects_section(cid, year, lang),
                    lang,
                )
            })}
            <h2>{tr(Roster::Buildings)}</h2>
            <Show when=move || buildings().is_empty()>
                <p class="empty">{tr(Roster::NoBuildings)}</p>
            </Show>
            <For
                each=buildings
                key=|b| (b.id, b.fields.name.clone())
                children=move |b| view! { <BuildingCard lang=lang id=b.id name=b.fields.name statuses=statuses /> }
            />
            <form class="card form" on:submit=on_submit>
                <h2>{tr(Roster::AddBuilding)}</h2>
                <Field lang=lang label=tr(Roster::BuildingName) name="building-name" value=name error=error fields=&["name"] />
                <FormError lang=lang error=error fields=&["name"] />
                <button type="submit" class="btn primary wide" data-testid="add-building">
                    {tr(Roster::AddBuilding)}
                </button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn BuildingCard(lang: Lang, id: Uuid, name: String, statuses: Statuses) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Roster| k.text(lang);
    let units = move || {
        ui.rev.get();
        state::with(|l| l.view.units(id))
    };
    let status = move || statuses.with(|m| m.get(&id).map(|s| s.as_str()).unwrap_or("synced"));
    let unit_name = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Body::UnitPut(UnitFields {
            building_id: id,
            name: unit_name.get_untracked().trim().to_string(),
        });
        submit(EntityKind::Unit, body, error, move || {
            unit_name.set(String::new())
        });
    };
    view! {
        <article class="card building" data-testid="building" data-name=name.clone() data-status=status>
            <h3>
                {name.clone()}
                <span class=move || format!("badge {}", status())>{move || status_label(status(), lang)}</span>
            </h3>
            <Show when=move || units().is_empty()>
                <p class="empty">{tr(Roster::NoUnits)}</p>
            </Show>
            <For
                each=units
                key=|u| (u.id, u.fields.name.clone())
                children=move |u| view! { <UnitCard lang=lang id=u.id name=u.fields.name statuses=statuses /> }
            />
            <form class="form sub-form" on:submit=on_submit>
                <Field lang=lang label=tr(Roster::UnitName) name="unit-name" value=unit_name error=error fields=&["name"] />
                <FormError lang=lang error=error fields=&["name"] />
                <button type="submit" class="btn wide" data-testid="add-unit">{tr(Roster::AddUnit)}</button>
            </form>
        </article>
    }
}

#[component]
fn UnitCard(lang: Lang, id: Uuid, name: String, statuses: Statuses) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Roster| k.text(lang);
    let households = move || {
        ui.rev.get();
        let list = state::with(|l| l.view.households(id));
        statuses.with(|st| {
            list.into_iter()
                .map(|h| {
                    let s = st.get(&h.id).cloned().unwrap_or(RowStatus::Synced);
                    (h, s)
                })
                .collect::<Vec<_>>()
        })
    };
    let door = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let owners = RwSignal::new(String::from("1"));
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(area_m2) = forms::parse_f64(&area.get_untracked()) else {
            error.set(Some(SaveError::Rule(RuleError::field(
                ErrorCode::Required,
                "area_m2",
            ))));
            return;
        };
        let body = Body::HouseholdPut(HouseholdFields {
            unit_id: id,
            door: door.get_untracked().trim().to_string(),
            area_m2,
            owners: forms::parse_u32(&owners.get_untracked()).unwrap_or(1),
        });
        submit(EntityKind::Household, body, error, move || {
            door.set(String::new());
            area.set(String::new());
            owners.set("1".into());
        });
    };
    view! {
        <div class="unit" data-testid="unit" data-name=name.clone()>
            <h4>{name.clone()}</h4>
            <ul class="households">
                <Show when=move || households().is_empty()>
                    <li class="empty">{tr(Roster::NoHouseholds)}</li>
                </Show>
                <For
                    each=households
                    key=|(h, s)| (h.id, h.fields.door.clone(), h.fields.area_m2.to_bits(), h.fields.owners, s.clone())
                    children=move |(h, s)| {
                        let st = s.as_str();
                        let reason = match &s {
                            RowStatus::Refused(m) => Some(m.clone()),
                            _ => None,
                        };
                        view! {
                            <li class=format!("household {st}") data-testid="household-row" data-door=h.fields.door.clone() data-status=st>
                                <span class="door">{h.fields.door.clone()}</span>
                                <span class="area">{format!("{}", h.fields.area_m2)} " " {tr(Roster::SqM)}</span>
                                <span class="owners">{tr(Roster::Owners)} " " {h.fields.owners}</span>
                                <span class=format!("badge {st}")>{move || status_label(st, lang)}</span>
                                {reason.map(|r| view! { <span class="reason">{Shell::Reason.text(lang)} {crate::shell::i18n::colon(lang)} {r}</span> })}
                            </li>
                        }
                    }
                />
            </ul>
            <form class="form sub-form" on:submit=on_submit>
                <Field lang=lang label=tr(Roster::Door) name="door" value=door error=error fields=&["door"] />
                <Field lang=lang label=tr(Roster::Area) name="area" value=area error=error fields=&["area_m2"] inputmode="decimal" />
                <Field lang=lang label=tr(Roster::Owners) name="owners" value=owners error=error fields=&["owners"] inputmode="numeric" />
                <FormError lang=lang error=error fields=&["door", "area_m2", "owners"] />
                <button type="submit" class="btn wide" data-testid="add-household">{tr(Roster::AddHousehold)}</button>
            </form>
        </div>
    }
}
