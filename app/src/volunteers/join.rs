//! `/join/:community`: a volunteer registers on their own phone (V1), from the link or QR code staff show.
//! Works offline: the registration is saved on the phone as the first change of a volunteer's own login,
//! and the first sync sends it to the community, which approves it (see `data/sync.rs`).

use crate::data::state::{self, SaveError};
use crate::shell::field::{Check, Field, FormError};
use crate::shell::router;
use crate::volunteers::list::today;
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::sync::{Body, EntityRef};
use linli_core::volunteers::VolunteerFields;
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

const FIELDS: &[&str] = &["name", "phone", "id_number", "skills"];

#[component]
pub fn JoinPage(lang: Lang, community: String) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let id_number = RwSignal::new(String::new());
    let skills = RwSignal::new(String::new());
    let party = RwSignal::new(false);
    let student = RwSignal::new(false);
    let consent = RwSignal::new(false);
    let error = RwSignal::new(None::<SaveError>);
    let busy = RwSignal::new(false);
    let shown = community.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body = Body::VolunteerPut(VolunteerFields {
            name: name.get_untracked().trim().to_string(),
            phone: phone.get_untracked().trim().to_string(),
            id_number: id_number.get_untracked().trim().to_string(),
            person_id: None,
            skills: skills
                .get_untracked()
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            teams: Vec::new(),
            party_member: party.get_untracked(),
            student: student.get_untracked(),
            consent: consent.get_untracked(),
            registered_on: today(),
            status: None,
        });
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
                <Field lang=lang label=tr(Volunteers::Name) name="volunteer-name" value=name error=error fields=&["name"] />
                <Field lang=lang label=tr(Volunteers::Phone) name="phone" value=phone error=error fields=&["phone"] inputmode="tel" />
                <Field lang=lang label=tr(Volunteers::IdNumber) name="id-number" value=id_number error=error fields=&["id_number"] />
                <Field lang=lang label=tr(Volunteers::Skills) name="skills" value=skills error=error fields=&["skills"] />
                <Check label=tr(Volunteers::PartyMember) name="party-member" value=party />
                <Check label=tr(Volunteers::Student) name="student" value=student />
                <Check label=tr(Volunteers::Consent) name="consent" value=consent />
                <FormError lang=lang error=error fields=FIELDS />
                <button type="submit" class="btn primary wide" data-testid="join-submit" disabled=move || busy.get()>{tr(Volunteers::JoinSubmit)}</button>
            </form>
        </section>
    }
}
