//! `/activities`: the community's volunteer activities (志愿活动) with their places taken and waiting, and
//! a form to create one (date, times, place, places, whether check-in is required). Staff only.

use crate::data::state::{self, SaveError};
use crate::shell::field::{Check, Field, FormError, Input};
use crate::volunteers::list::{community, today};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::sync::{Body, EntityRef};
use linli_core::volunteers::ActivityFields;
use linli_core::{EntityKind, ErrorCode, Lang, RuleError};
use uuid::Uuid;

/// The fields with an input that shows its own error.
const FIELDS: &[&str] = &["name", "place", "capacity", "start_time", "end_time"];

#[component]
pub fn ActivitiesPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let rows = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| {
            let mut v: Vec<_> = l
                .view
                .activities(&c)
                .into_iter()
                .map(|a| {
                    let s = l.view.sign_ups(&c, a.id);
                    let (placed, waiting) = s
                        .map(|s| (s.placed.len(), s.waiting.len()))
                        .unwrap_or_default();
                    (a, placed, waiting)
                })
                .collect();
            v.sort_by(|a, b| {
                (b.0.fields.date, &b.0.fields.start_time)
                    .cmp(&(a.0.fields.date, &a.0.fields.start_time))
            });
            v
        })
    };

    let name = RwSignal::new(String::new());
    let date = RwSignal::new(today().to_string());
    let start = RwSignal::new("09:00".to_string());
    let end = RwSignal::new("11:00".to_string());
    let place = RwSignal::new(String::new());
    let capacity = RwSignal::new("10".to_string());
    let description = RwSignal::new(String::new());
    let check_in = RwSignal::new(true);
    let team = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = Date::parse(date.get_untracked().trim()) else {
            error.set(Some(SaveError::Rule(RuleError::field(
                ErrorCode::InvalidDate,
                "date",
            ))));
            return;
        };
        let Some(places) = crate::data::forms::parse_u32(&capacity.get_untracked()) else {
            error.set(Some(SaveError::Rule(RuleError::field(
                ErrorCode::OutOfRange,
                "capacity",
            ))));
            return;
        };
        let body = Body::ActivityPut(ActivityFields {
            name: name.get_untracked().trim().to_string(),
            date: day,
            start_time: start.get_untracked().trim().to_string(),
            end_time: end.get_untracked().trim().to_string(),
            place: place.get_untracked().trim().to_string(),
            team_id: Uuid::parse_str(&team.get_untracked()).ok(),
            capacity: places,
            description: description.get_untracked().trim().to_string(),
            check_in_required: check_in.get_untracked(),
        });
        let entity = EntityRef {
            kind: EntityKind::Activity,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    description.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="page">
            <a class="btn" href="/volunteers">{tr(Volunteers::Back)}</a>
            <h1>{tr(Volunteers::Activities)}</h1>
            <crate::volunteers::teams::TeamsCard lang=lang />
            <ul class="list">
                {move || {
                    let v = rows();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(Volunteers::NoActivities)}</li> }.into_any();
                    }
                    v.into_iter()
                        .map(|(a, placed, waiting)| {
                            let f = a.fields;
                            view! {
                                <li>
                                    <a class="card link" data-testid="activity-link" data-name=f.name.clone() href=format!("/activity/{}", a.id)>
                                        <span class="title">{f.name.clone()}</span>
                                        <span class="sub">{format!("{} {}–{} {}", f.date, f.start_time, f.end_time, f.place)}</span>
                                        <span class="sub" data-testid="activity-places">
                                            {format!("{} {placed}/{}", tr(Volunteers::Places), f.capacity)}
                                            {(waiting > 0).then(|| format!(" · {} {waiting}", tr(Volunteers::Waiting)))}
                                        </span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <form class="card form" on:submit=on_submit>
                <h2>{tr(Volunteers::NewActivity)}</h2>
                <Field lang=lang label=tr(Volunteers::ActivityName) name="activity-name" value=name error=error fields=&["name"] />
                <Input label=tr(Volunteers::Date) name="activity-date" value=date kind="date" />
                <Field lang=lang label=tr(Volunteers::Starts) name="start-time" value=start error=error fields=&["start_time"] inputmode="numeric" />
                <Field lang=lang label=tr(Volunteers::Ends) name="end-time" value=end error=error fields=&["end_time"] inputmode="numeric" />
                <label class="field">
                    <span class="label">{tr(Volunteers::Team)}</span>
                    <select name="team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="" selected=move || team.get().is_empty()>{tr(Volunteers::NoTeam)}</option>
                        {move || {
                            ui.rev.get();
                            let c = community();
                            state::with(|l| l.view.teams(&c)).into_iter().map(|t| {
                                let id = t.id.to_string();
                                view! { <option value=id.clone() selected=move || team.get() == id>{t.fields.name.clone()}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <Field lang=lang label=tr(Volunteers::Place) name="activity-place" value=place error=error fields=&["place"] />
                <Field lang=lang label=tr(Volunteers::Places) name="capacity" value=capacity error=error fields=&["capacity"] inputmode="numeric" />
                <Field lang=lang label=tr(Volunteers::Description) name="description" value=description error=error fields=&["description"] />
                <Check label=tr(Volunteers::CheckInRequired) name="check-in-required" value=check_in />
                <FormError lang=lang error=error fields=FIELDS />
                <button type="submit" class="btn primary wide" data-testid="add-activity">{tr(Volunteers::NewActivity)}</button>
            </form>
        </section>
    }
}
