//! `/join/:community`: a volunteer registers on their own phone (V1), from the link or QR code staff show.
//! Works offline: the registration is saved on the phone as the first change of a volunteer's own login,
//! and the first sync sends it to the community, which approves it (see `data/sync.rs`).

use crate::data::state::{self, SaveError};
use crate::shell::router;
use crate::volunteers::list::{Registration, RegistrationFields};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::sync::EntityRef;
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

#[component]
pub fn JoinPage(lang: Lang, community: String) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    let form = Registration::new();
    let error = RwSignal::new(None::<SaveError>);
    let busy = RwSignal::new(false);
    let shown = community.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = form.body();
        let community = community.clone();
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            // Checked by the core before anything is kept: a refusal names its field.
            if let Err(e) = body.check_fields(state::rules()) {
                error.set(Some(SaveError::Rule(e)));
                busy.set(false);
                return;
            }
            // The phone's volunteer id: the one it registered under before, or a new one.
            let id = state::volunteer_me().unwrap_or_else(Uuid::now_v7);
            if state::volunteer_me().is_none()
                && let Err(e) = state::begin_volunteer(community, id).await
            {
                error.set(Some(SaveError::Store(e.0)));
                busy.set(false);
                return;
            }
            let entity = EntityRef {
                kind: EntityKind::Volunteer,
                id,
            };
            match state::save(entity, body).await {
                Ok(_) => {
                    crate::data::sync::trigger();
                    router::navigate("/", false);
                }
                Err(e) => {
                    error.set(Some(e));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr(Volunteers::JoinTitle)}</h1>
            <p class="sub">{tr(Volunteers::JoinAt)} <span data-testid="join-community">{shown}</span></p>
            <p>{tr(Volunteers::JoinIntro)}</p>
            <form class="card form" on:submit=on_submit>
                <RegistrationFields lang=lang form=form error=error />
                <button type="submit" class="btn primary wide" data-testid="join-submit" disabled=move || busy.get()>{tr(Volunteers::JoinSubmit)}</button>
            </form>
        </section>
    }
}
