//! The community's service teams (服务队, V2: patrol, one-to-one help, repairs, medical aid…) on
//! `/activities`: listed and added by staff, offline like every change. Teams are the community's own
//! records (`team.put`), not a list in the rule set; an activity may name its team.

use crate::data::state::{self, SaveError};
use crate::shell::field::{Field, FormError};
use crate::volunteers::list::community;
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::sync::{Body, EntityRef};
use linli_core::volunteers::TeamFields;
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

#[component]
pub fn TeamsCard(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let teams = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| l.view.teams(&c))
    };
    let name = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = Body::TeamPut(TeamFields {
            name: name.get_untracked().trim().to_string(),
            description: description.get_untracked().trim().to_string(),
        });
        let entity = EntityRef {
            kind: EntityKind::Team,
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
        <details class="card">
            <summary>{tr(Volunteers::Teams)}</summary>
            <ul class="list" data-testid="teams">
                {move || {
                    let v = teams();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(Volunteers::NoTeams)}</li> }.into_any();
                    }
                    v.into_iter().map(|t| view! {
                        <li data-testid="team" data-name=t.fields.name.clone()>
                            <span class="title">{t.fields.name.clone()}</span>
                            <span class="sub">{t.fields.description.clone()}</span>
                        </li>
                    }).collect_view().into_any()
                }}
            </ul>
            <form class="form" on:submit=on_submit>
                <Field lang=lang label=tr(Volunteers::TeamName) name="team-name" value=name error=error fields=&["name"] />
                <Field lang=lang label=tr(Volunteers::Description) name="team-description" value=description error=error fields=&["description"] />
                <FormError lang=lang error=error fields=&["name", "description"] />
                <button type="submit" class="btn primary wide" data-testid="add-team">{tr(Volunteers::AddTeam)}</button>
            </form>
        </details>
    }
}
