//! Paired services (结对, V5): on a volunteer's record, their pairs with elderly residents (a weekly visit
//! or a daily call), a form to pair them with a person of the community, and a visit or call recorded
//! against a pair (a service entry naming it); on the volunteers page, the pairs overdue today, most
//! overdue first — the core's `overdue_pairs` with the rule set's days.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::volunteers::list::{community, save, today};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::sync::Body;
use linli_core::volunteers::{Cadence, EntrySource, PairFields, ServiceEntryFields};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

fn cadence_words(c: Cadence, lang: Lang) -> &'static str {
    match c {
        Cadence::WeeklyVisit => Volunteers::WeeklyVisit,
        Cadence::DailyCall => Volunteers::DailyCall,
    }
    .text(lang)
}

/// A person's name and door ("李桂英 · 1号楼 1单元 202").
fn person_label(c: &str, person: Uuid) -> String {
    state::with(|l| {
        let p = l.view.person(c, person)?;
        let door = l.view.door(c, p.fields.household_id)?;
        Some(format!("{} · {}", p.fields.name, door.place()))
    })
    .unwrap_or_default()
}

/// A volunteer's pairs, with "record a visit" on each, and the form to add one.
#[component]
pub fn PairsSection(lang: Lang, volunteer: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let pairs = move || {
        ui.rev.get();
        state::with(|l| l.view.pairs(volunteer))
    };
    // Every person of the community, by door, for the pairing form.
    let persons = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| {
            l.view
                .community_doors(&c)
                .into_iter()
                .flat_map(|d| l.view.persons(d.household.id))
                .map(|p| p.id)
                .collect::<Vec<_>>()
        })
        .into_iter()
        .map(|id| (id, person_label(&community(), id)))
        .collect::<Vec<_>>()
    };
    let person = RwSignal::new(String::new());
    let cadence = RwSignal::new(String::from("weekly_visit"));
    let add = move |_| {
        let Ok(person_id) = Uuid::parse_str(&person.get_untracked()) else {
            return;
        };
        let body = Body::PairPut(PairFields {
            volunteer_id: volunteer,
            person_id,
            cadence: if cadence.get_untracked() == "daily_call" {
                Cadence::DailyCall
            } else {
                Cadence::WeeklyVisit
            },
            since: today(),
            active: true,
        });
        save(EntityKind::Pair, Uuid::now_v7(), body, error);
        person.set(String::new());
    };
    let visit = move |pair_id: Uuid, f: PairFields| {
        let content = match f.cadence {
            Cadence::WeeklyVisit => tr(Volunteers::WeeklyVisit),
            Cadence::DailyCall => tr(Volunteers::DailyCall),
        };
        let body = Body::ServiceEntryAdd(ServiceEntryFields {
            volunteer_id: volunteer,
            date: today(),
            place: person_label(&community(), f.person_id),
            content: content.to_string(),
            minutes: if f.cadence == Cadence::DailyCall {
                10
            } else {
                60
            },
            from_ms: None,
            to_ms: None,
            activity_id: None,
            pair_id: Some(pair_id),
            source: EntrySource::Staff,
            recorded_by: state::username(),
            corrects: None,
            reason: String::new(),
        });
        save(EntityKind::ServiceEntry, Uuid::now_v7(), body, error);
    };
    view! {
        <div class="card" data-testid="pairs">
            <h2>{tr(Volunteers::Pairs)}</h2>
            <FormError lang=lang error=error fields=&[] />
            {move || {
                let v = pairs();
                if v.is_empty() {
                    return view! { <p class="empty">{tr(Volunteers::NoPairs)}</p> }.into_any();
                }
                view! {
                    <ul class="list">
                        {v.into_iter().map(|(pair_id, f)| {
                            let label = person_label(&community(), f.person_id);
                            let words = cadence_words(f.cadence, lang);
                            let f2 = f.clone();
                            view! {
                                <li data-testid="pair-row" data-person=label.clone()>
                                    <p><b>{label.clone()}</b> " " <span class="badge">{words}</span></p>
                                    <button type="button" class="btn" data-testid="record-pair-visit" on:click=move |_| visit(pair_id, f2.clone())>
                                        {tr(Volunteers::RecordPairVisit)}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <label class="field">
                <span class="label">{tr(Volunteers::PairPerson)}</span>
                <select name="pair-person" prop:value=move || person.get() on:change=move |ev| person.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {move || persons().into_iter().map(|(id, label)| view! { <option value=id.to_string()>{label}</option> }).collect_view()}
                </select>
            </label>
            <label class="field">
                <span class="label">{tr(Volunteers::Cadence)}</span>
                <select name="pair-cadence" prop:value=move || cadence.get() on:change=move |ev| cadence.set(event_target_value(&ev))>
                    <option value="weekly_visit">{tr(Volunteers::WeeklyVisit)}</option>
                    <option value="daily_call">{tr(Volunteers::DailyCall)}</option>
                </select>
            </label>
            <button type="button" class="btn wide" data-testid="add-pair" on:click=add>{tr(Volunteers::AddPair)}</button>
        </div>
    }
}

/// The community's pairs overdue today (V5), most overdue first; nothing when none is.
#[component]
pub fn OverduePairs(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let rows = move || {
        ui.rev.get();
        let c = community();
        let rules = &state::rules().volunteers;
        let due = state::with(|l| l.view.overdue_pairs(&c, today(), rules));
        due.into_iter()
            .map(|d| {
                let volunteer = state::with(|l| l.view.volunteer(&c, d.fields.volunteer_id))
                    .map(|v| v.fields.name)
                    .unwrap_or_default();
                (volunteer, person_label(&c, d.fields.person_id), d)
            })
            .collect::<Vec<_>>()
    };
    move || {
        let v = rows();
        (!v.is_empty()).then(|| view! {
            <div class="card warn" data-testid="overdue-pairs">
                <h2>{tr(Volunteers::OverduePairs)}</h2>
                <ul class="list">
                    {v.into_iter().map(|(volunteer, person, d)| {
                        let key = volunteer.clone();
                        view! {
                        <li data-testid="overdue-pair" data-volunteer=key>
                            <b>{volunteer}</b> " → " {person} " · " {cadence_words(d.fields.cadence, lang)} " · "
                            {linli_core::i18n::fill(tr(Volunteers::DaysOverdue), &[&d.days_overdue.to_string()])}
                        </li>
                    }}).collect_view()}
                </ul>
            </div>
        })
    }
}
