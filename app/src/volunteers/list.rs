//! `/volunteers`: the community's volunteers (V1) with their status and hours this year, phone numbers
//! masked; a registration form (works offline: it is one change like any other); approval for the
//! ones waiting.

use crate::data::state::{self, SaveError};
use crate::shell::field::{Check, Field, FormError};
use crate::shell::strings::status_label;
use crate::volunteers::hours;
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::personal::mask_phone;
use linli_core::sync::{Body, EntityRef};
use linli_core::volunteers::{VolunteerFields, VolunteerStatus, VolunteerStatusFields};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// The fields with an input that shows its own error (consent's shows under the form).
const FIELDS: &[&str] = &["name", "phone", "id_number", "skills"];

/// The status in the volunteer's words, and its CSS/test name.
pub fn status_words(s: VolunteerStatus, lang: Lang) -> (&'static str, &'static str) {
    match s {
        VolunteerStatus::Pending => (Volunteers::StatusPending.text(lang), "pending"),
        VolunteerStatus::Active => (Volunteers::StatusActive.text(lang), "active"),
        VolunteerStatus::Left => (Volunteers::StatusLeft.text(lang), "left"),
    }
}

/// Today in China time.
pub fn today() -> Date {
    Date::from_unix_ms_cst(state::now_ms() as i64)
}

pub use crate::data::state::community;

/// Saves `body` as a change of volunteer `id`, reporting an error into `error`.
pub fn save(kind: EntityKind, id: Uuid, body: Body, error: RwSignal<Option<SaveError>>) {
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(EntityRef { kind, id }, body).await {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    });
}

/// The registration form's inputs (V1): the staff list's form and a volunteer's own join page.
#[derive(Clone, Copy)]
pub struct Registration {
    name: RwSignal<String>,
    phone: RwSignal<String>,
    id_number: RwSignal<String>,
    skills: RwSignal<String>,
    party: RwSignal<bool>,
    student: RwSignal<bool>,
    consent: RwSignal<bool>,
}

impl Default for Registration {
    fn default() -> Registration {
        Registration::new()
    }
}

impl Registration {
    pub fn new() -> Registration {
        let text = || RwSignal::new(String::new());
        let flag = || RwSignal::new(false);
        Registration {
            name: text(),
            phone: text(),
            id_number: text(),
            skills: text(),
            party: flag(),
            student: flag(),
            consent: flag(),
        }
    }

    /// The `volunteer.put` the form says, registered today (skills split at commas, 、 too).
    pub fn body(&self) -> Body {
        Body::VolunteerPut(VolunteerFields {
            name: self.name.get_untracked().trim().to_string(),
            phone: self.phone.get_untracked().trim().to_string(),
            id_number: self.id_number.get_untracked().trim().to_string(),
            person_id: None,
            skills: self
                .skills
                .get_untracked()
                .split([',', '，', '、'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(String::from)
                .collect(),
            teams: Vec::new(),
            party_member: self.party.get_untracked(),
            student: self.student.get_untracked(),
            consent: self.consent.get_untracked(),
            registered_on: today(),
            status: None,
        })
    }

    pub fn clear(&self) {
        for s in [self.name, self.phone, self.id_number, self.skills] {
            s.set(String::new());
        }
        for b in [self.party, self.student, self.consent] {
            b.set(false);
        }
    }
}

/// The registration form's fields, each showing its own error (consent's under the form).
#[component]
pub fn RegistrationFields(
    lang: Lang,
    form: Registration,
    error: RwSignal<Option<SaveError>>,
) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    view! {
        <Field lang=lang label=tr(Volunteers::Name) name="volunteer-name" value=form.name error=error fields=&["name"] />
        <Field lang=lang label=tr(Volunteers::Phone) name="phone" value=form.phone error=error fields=&["phone"] inputmode="tel" />
        <Field lang=lang label=tr(Volunteers::IdNumber) name="id-number" value=form.id_number error=error fields=&["id_number"] />
        <Field lang=lang label=tr(Volunteers::Skills) name="skills" value=form.skills error=error fields=&["skills"] />
        <Check label=tr(Volunteers::PartyMember) name="party-member" value=form.party />
        <Check label=tr(Volunteers::Student) name="student" value=form.student />
        <Check label=tr(Volunteers::Consent) name="consent" value=form.consent />
        <FormError lang=lang error=error fields=FIELDS />
    }
}

#[component]
pub fn VolunteersPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let rows = move || {
        ui.rev.get();
        let c = community();
        let today = today();
        state::with(|l| {
            let st = l.row_statuses();
            l.view
                .volunteers(&c)
                .into_iter()
                .map(|v| {
                    let (confirmed, pending) = l
                        .view
                        .volunteer_hours(&c, v.id, today)
                        .iter()
                        .fold((0, 0), |(c, p), m| {
                            (c + m.confirmed_minutes, p + m.pending_minutes)
                        });
                    let sync = st.get(&v.id).map(|s| s.as_str()).unwrap_or("synced");
                    (v, confirmed, pending, sync)
                })
                .collect::<Vec<_>>()
        })
    };

    let form = Registration::new();
    let error = RwSignal::new(None::<SaveError>);
    let approve_error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = form.body();
        let entity = EntityRef {
            kind: EntityKind::Volunteer,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    error.set(None);
                    form.clear();
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="page">
            <h1>{tr(Volunteers::Title)}</h1>
            <a class="btn" href="/activities" data-testid="activities-link">{tr(Volunteers::Activities)}</a>
            <details class="card">
                <summary>{tr(Volunteers::JoinQr)}</summary>
                <crate::shell::qr::QrLink path=format!("/join/{}", community()) caption=tr(Volunteers::JoinQr) testid="join-qr" />
            </details>
            <crate::volunteers::pairs::OverduePairs lang=lang />
            <FormError lang=lang error=approve_error fields=&[] />
            <ul class="list">
                {move || {
                    let v = rows();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(Volunteers::NoVolunteers)}</li> }.into_any();
                    }
                    v.into_iter()
                        .map(|(v, confirmed, pending, sync)| {
                            let (words, status) = status_words(v.status, lang);
                            let id = v.id;
                            let waiting = v.status == VolunteerStatus::Pending;
                            let approve = move |_| {
                                let body = Body::VolunteerStatus(VolunteerStatusFields {
                                    status: VolunteerStatus::Active,
                                });
                                save(EntityKind::Volunteer, id, body, approve_error);
                            };
                            view! {
                                <li class="card volunteer" data-testid="volunteer-row" data-name=v.fields.name.clone() data-status=status data-sync=sync>
                                    <a class="link" href=format!("/volunteer/{id}")>
                                        <span class="title">{v.fields.name.clone()}</span>
                                        <span class="sub">{mask_phone(&v.fields.phone)}</span>
                                    </a>
                                    <span class=format!("badge {status}")>{words}</span>
                                    " "
                                    <span class=format!("badge {sync}")>{status_label(sync, lang)}</span>
                                    <p class="sub" data-testid="volunteer-hours">
                                        {tr(Volunteers::HoursThisYear)} " " {hours(confirmed, lang)}
                                        {(pending > 0).then(|| format!(" · {} {}", tr(Volunteers::PendingHours), hours(pending, lang)))}
                                    </p>
                                    <Show when=move || waiting>
                                        <button type="button" class="btn primary" data-testid="approve" on:click=approve>
                                            {tr(Volunteers::Approve)}
                                        </button>
                                    </Show>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <crate::volunteers::figures::FiguresCard lang=lang />
            <form class="card form" on:submit=on_submit>
                <h2>{tr(Volunteers::Register)}</h2>
                <RegistrationFields lang=lang form=form error=error />
                <button type="submit" class="btn primary wide" data-testid="register-volunteer">{tr(Volunteers::Register)}</button>
            </form>
        </section>
    }
}
