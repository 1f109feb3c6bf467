//! `/`: the compounds (小区) of the community, and a form to add one.

use crate::data::forms;
use crate::data::state::{self, SaveError};
use crate::roster::strings::Roster;
use crate::shell::field::{Field, FormError};
use crate::shell::strings::status_label;
use leptos::prelude::*;
use linli_core::roster::CompoundFields;
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

const FIELDS: &[&str] = &["name", "address", "year_built"];

#[component]
pub fn CompoundsPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Roster| k.text(lang);
    let compounds = move || {
        ui.rev.get();
        state::with(|l| {
            let st = l.row_statuses();
            l.view
                .compounds()
                .into_iter()
                .map(|c| {
                    let s = st.get(&c.id).map(|s| s.as_str()).unwrap_or("synced");
                    (c, s)
                })
                .collect::<Vec<_>>()
        })
    };
    let community = state::with(|l| {
        l.session
            .as_ref()
            .map(|s| s.community_name.clone())
            .unwrap_or_default()
    });

    let name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let year_built =
            forms::parse_u32(&year.get_untracked()).map(|y| u16::try_from(y).unwrap_or(0));
        let body = Body::CompoundPut(CompoundFields {
            name: name.get_untracked().trim().to_string(),
            address: address.get_untracked().trim().to_string(),
            year_built,
        });
        let entity = EntityRef {
            kind: EntityKind::Compound,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    error.set(None);
                    name.set(String::new());
                    address.set(String::new());
                    year.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    view! {
        <section class="page">
            <h1>{community} " · " {tr(Roster::Compounds)}</h1>
            <ul class="list">
                {move || {
                    let v = compounds();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(Roster::NoCompounds)}</li> }.into_any();
                    }
                    v.into_iter()
                        .map(|(c, status)| {
                            let year = c.fields.year_built.map(|y| y.to_string()).unwrap_or_default();
                            view! {
                                <li>
                                    <a class="card link" data-testid="compound-link" data-status=status href=format!("/compound/{}", c.id)>
                                        <span class="title">{c.fields.name}</span>
                                        <span class="sub">{c.fields.address} " " {year}</span>
                                        " "
                                        <span class=format!("badge {status}")>{status_label(status, lang)}</span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <form class="card form" on:submit=on_submit>
                <h2>{tr(Roster::AddCompound)}</h2>
                <Field lang=lang label=tr(Roster::CompoundName) name="compound-name" value=name error=error fields=&["name"] />
                <Field lang=lang label=tr(Roster::Address) name="address" value=address error=error fields=&["address"] />
                <Field lang=lang label=tr(Roster::YearBuilt) name="year-built" value=year error=error fields=&["year_built"] inputmode="numeric" />
                <FormError lang=lang error=error fields=FIELDS />
                <button type="submit" class="btn primary wide" data-testid="add-compound">{tr(Roster::AddCompound)}</button>
            </form>
        </section>
    }
}
