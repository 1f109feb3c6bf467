//! The sub-district's side-by-side view on `/standards` (街道汇总, RULES H1): for a login granted other
//! communities (`admin grant-community`), each community's standing against every standard, the most
//! indicators not met first, from the server (`GET /api/standards/overview`: the synced records of
//! communities whose data is not on this phone). Shown only online and only with a grant; a login of
//! one community sees nothing more than its own page.

use crate::data::state;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::standards::overview::Overview;
use linli_core::standards::words::Words;
use linli_core::standards::{Catalogue, words};

#[component]
pub fn SideBySide(lang: Lang) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let overview = RwSignal::new(None::<Overview>);
    wasm_bindgen_futures::spawn_local(async move {
        let got =
            state::staff_call::<(), Overview>("GET", "/api/standards/overview", lang, None, "")
                .await;
        // Offline or refused: the page stays as it is (this phone's own community is above).
        if let Ok(o) = got {
            let _ = overview.try_set(Some(o));
        }
    });
    let name_of = move |id: &str| {
        Catalogue::get()
            .standard(id)
            .map(|s| s.name(lang).to_string())
            .unwrap_or_else(|| id.to_string())
    };
    move || {
        let o = overview.get().filter(|o| o.communities.len() > 1)?;
        let cards = o
            .communities
            .into_iter()
            .map(|c| {
                let lines = c
                    .standards
                    .iter()
                    .map(|s| {
                        let met = fill(
                            Words::GroupsMet.text(lang),
                            &[&s.groups_met.to_string(), &s.groups.to_string()],
                        );
                        let level = s
                            .level
                            .as_deref()
                            .map(|l| format!(" · {}", words::level(Some(l)).text(lang)))
                            .unwrap_or_default();
                        view! { <li>{name_of(&s.standard)} {crate::shell::i18n::colon(lang)} {met} {level}</li> }
                    })
                    .collect_view();
                view! {
                    <li class="card" data-testid="side-community" data-community=c.community.clone()>
                        <p class="title">{c.name.clone()} " "
                            {c.own.then(|| view! { <span class="badge">{tr(Std::OwnCommunity)}</span> })}
                        </p>
                        <p data-testid="side-not-met"><b>{fill(tr(Std::NotMetCount), &[&c.not_met.to_string()])}</b></p>
                        <ul class="list">{lines}</ul>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section data-testid="side-by-side">
                <h2>{tr(Std::SideBySide)}</h2>
                <p class="sub">{fill(tr(Std::SideBySideNote), &[&o.as_of.to_string()])}</p>
                <ul class="list">{cards}</ul>
            </section>
        })
    }
}
