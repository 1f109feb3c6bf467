//! `/survey/:form/visits`: the doors of the community, building → unit → door, each with its visit status
//! (S4: not visited, answered, not at home, refused, vacant), the revisit list on top, a door-number search,
//! the buildings assigned to collectors (and "only mine"). At a door: fill in the form (a draft under the
//! form's latest version, kept on the phone answer by answer) or record not at home / refused / vacant.
//! Works with no signal; unfinished answers of this phone are listed to continue.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::shell::router::navigate;
use crate::surveys::draft;
use crate::surveys::strings::Surveys;
use crate::surveys::{form_title, status_words, today};
use leptos::prelude::*;
use linli_core::roster::Door;
use linli_core::surveys::{HouseholdStatus, SurveyAssignmentFields, VisitFields};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// A unit's name and its doors with their status.
type UnitDoors = (String, Vec<(Door, HouseholdStatus)>);

/// Records a visit (不在家 / 拒绝 / 空置) at a door.
fn mark(household: Uuid, status: HouseholdStatus, error: RwSignal<Option<SaveError>>) {
    let body = Body::VisitAdd(VisitFields {
        household_id: household,
        status,
        date: today(),
        collector: state::username(),
        note: String::new(),
    });
    let entity = EntityRef {
        kind: EntityKind::Visit,
        id: Uuid::now_v7(),
    };
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(entity, body).await {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    });
}

/// Starts a draft of the form's latest version at `household` and opens it.
fn fill(form: Uuid, household: Uuid, error: RwSignal<Option<SaveError>>) {
    let c = state::community();
    let Some(version) = state::with(|l| l.view.latest_form_version(&c, form)) else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        match draft::start(version.id, household, None).await {
            Ok(d) => navigate(&format!("/draft/{}", d.id), false),
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn VisitsPage(lang: Lang, form: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Surveys| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let search = RwSignal::new(String::new());
    let mine_only = RwSignal::new(false);
    let submitted = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .is_some_and(|s| s.contains("submitted=1"));
    let title = move || {
        ui.rev.get();
        let c = state::community();
        state::with(|l| l.view.latest_form_version(&c, form))
            .map(|v| form_title(&v.fields.form(), lang))
    };
    // (door, status), building by building; filtered by the search and "only mine".
    let doors = move || {
        ui.rev.get();
        let c = state::community();
        let me = state::username();
        let q = search.get().trim().to_string();
        state::with(|l| {
            let all: Vec<Door> = if mine_only.get() {
                l.view.collector_doors(&c, &me)
            } else {
                l.view.community_doors(&c)
            };
            all.into_iter()
                .filter(|d| q.is_empty() || d.household.fields.door.contains(&q))
                .map(|d| {
                    let s = l.view.household_survey_status(d.household.id, None);
                    (d, s)
                })
                .collect::<Vec<_>>()
        })
    };
    let door_row = move |d: Door, s: HouseholdStatus| {
        let h = d.household.id;
        let (words, key) = status_words(s, lang);
        view! {
            <li class="door-row" data-testid="survey-door" data-door=d.household.fields.door.clone() data-status=key>
                <p><b class="big">{d.household.fields.door.clone()}</b> " "
                    <span class=format!("badge {key}") data-testid="door-status">{words}</span>
                    " " <a class="link" href=format!("/household/{h}/ledger")>{tr(Surveys::Ledger)}</a></p>
                <div class="row-actions">
                    <button type="button" class="btn primary" data-testid="fill-door" on:click=move |_| fill(form, h, error)>{tr(Surveys::Fill)}</button>
                    <button type="button" class="btn" data-testid="not-home" on:click=move |_| mark(h, HouseholdStatus::NotHome, error)>{tr(Surveys::MarkNotHome)}</button>
                    <button type="button" class="btn" data-testid="refused" on:click=move |_| mark(h, HouseholdStatus::Refused, error)>{tr(Surveys::MarkRefused)}</button>
                    <button type="button" class="btn" data-testid="vacant" on:click=move |_| mark(h, HouseholdStatus::Vacant, error)>{tr(Surveys::MarkVacant)}</button>
                </div>
            </li>
        }
    };
    let revisits = move || {
        doors()
            .into_iter()
            .filter(|(_, s)| *s == HouseholdStatus::NotHome)
            .map(|(d, _)| {
                let h = d.household.id;
                view! {
                    <li data-testid="revisit" data-door=d.household.fields.door.clone()>
                        <span>{d.place()}</span>
                        " " <button type="button" class="btn primary" on:click=move |_| fill(form, h, error)>{tr(Surveys::Fill)}</button>
                    </li>
                }
            })
            .collect::<Vec<_>>()
    };
    let buildings = move || {
        // Group by building, then unit, keeping the view's order.
        let mut groups: Vec<(Uuid, String, Vec<UnitDoors>)> = Vec::new();
        for (d, s) in doors() {
            if groups.last().is_none_or(|g| g.0 != d.building_id) {
                groups.push((d.building_id, d.building.clone(), Vec::new()));
            }
            let units = &mut groups.last_mut().expect("pushed").2;
            if units.last().is_none_or(|u| u.0 != d.unit) {
                units.push((d.unit.clone(), Vec::new()));
            }
            units.last_mut().expect("pushed").1.push((d, s));
        }
        groups
    };
    view! {
        <section class="page visits">
            <h1>{title} " · " {tr(Surveys::Visits)}</h1>
            <a class="btn" href="/surveys">{tr(Surveys::Title)}</a>
            {submitted.then(|| view! { <p class="ok" role="status" data-testid="submitted">{tr(Surveys::Submitted)}</p> })}
            <FormError lang=lang error=error fields=&[] />
            <crate::surveys::list::DraftsCard lang=lang form=Some(form) />
            <div class="card">
                <h2>{tr(Surveys::RevisitList)}</h2>
                {move || {
                    let v = revisits();
                    if v.is_empty() {
                        view! { <p class="empty" data-testid="no-revisits">{tr(Surveys::NoRevisits)}</p> }.into_any()
                    } else {
                        view! { <ul class="list" data-testid="revisit-list">{v}</ul> }.into_any()
                    }
                }}
            </div>
            <label class="field">
                <span class="label">{tr(Surveys::FindDoor)}</span>
                <input class="input" name="find-door" inputmode="numeric" prop:value=move || search.get()
                    on:input=move |ev| search.set(event_target_value(&ev)) />
            </label>
            <label class="check">
                <input type="checkbox" name="mine-only" prop:checked=move || mine_only.get()
                    on:change=move |ev| mine_only.set(event_target_checked(&ev)) />
                <span>{tr(Surveys::MineOnly)}</span>
            </label>
            {move || {
                let groups = buildings();
                if groups.is_empty() {
                    return view! { <p class="empty">{tr(Surveys::NoDoors)}</p> }.into_any();
                }
                groups.into_iter().map(|(building_id, name, units)| {
                    let collector = RwSignal::new(String::new());
                    let assigned = state::with(|l| l.view.survey_assignments(building_id))
                        .into_iter().map(|(_, a)| a.collector).collect::<Vec<_>>().join("、");
                    let assign = move |_| {
                        let who = collector.get_untracked().trim().to_string();
                        if who.is_empty() { return; }
                        let body = Body::SurveyAssignmentPut(SurveyAssignmentFields { building_id, collector: who });
                        let entity = EntityRef { kind: EntityKind::SurveyAssignment, id: Uuid::now_v7() };
                        wasm_bindgen_futures::spawn_local(async move {
                            match state::save(entity, body).await {
                                Ok(_) => { error.set(None); collector.set(String::new()); }
                                Err(e) => error.set(Some(e)),
                            }
                        });
                    };
                    view! {
                        <details class="card building" open data-testid="survey-building" data-name=name.clone()>
                            <summary class="big">{name.clone()}</summary>
                            <p class="sub" data-testid="assigned">{tr(Surveys::AssignedTo)} {crate::shell::i18n::colon(lang)} {if assigned.is_empty() { "—".to_string() } else { assigned }}</p>
                            <div class="row-actions">
                                <input class="input" name="collector" placeholder=tr(Surveys::Collector)
                                    prop:value=move || collector.get() on:input=move |ev| collector.set(event_target_value(&ev)) />
                                <button type="button" class="btn" data-testid="assign" on:click=assign>{tr(Surveys::Assign)}</button>
                            </div>
                            {units.into_iter().map(|(unit, rows)| view! {
                                <h3>{unit}</h3>
                                <ul class="list">{rows.into_iter().map(|(d, s)| door_row(d, s)).collect_view()}</ul>
                            }).collect_view()}
                        </details>
                    }
                }).collect_view().into_any()
            }}
        </section>
    }
}
