//! `/standards`: the six standards, each with how many of its groups are met and, for Zhengzhou, the
//! recommendation level (E1) — evaluated on the phone; the periodic duties; and, for a login granted the
//! sub-district's other communities, their standings side by side (`overview.rs`).

use crate::data::state;
use crate::standards::evaluate;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::standards::{Catalogue, words};

#[component]
pub fn StandardsPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Std| k.text(lang);
    let rows = move || {
        ui.rev.get();
        Catalogue::get()
            .standards
            .iter()
            .map(|s| {
                let e = evaluate(&s.standard);
                let name = s.name(lang).to_string();
                let (met, total) = e
                    .as_ref()
                    .map_or((0, 0), |e| (e.groups_met(), e.groups.len()));
                let level = e
                    .as_ref()
                    .filter(|_| s.standard == "zhengzhou")
                    .map(|e| words::level(e.level()).text(lang));
                (s.standard.clone(), name, met, total, level)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <section class="page">
            <h1>{tr(Std::Title)}</h1>
            <p class="sub">{tr(Std::Intro)}</p>
            <div class="row-actions">
                <a class="btn" data-testid="logs-meetings" href="/logs/meeting">{tr(Std::LogMeetings)}</a>
                <a class="btn" data-testid="logs-activities" href="/logs/activity">{tr(Std::LogActivities)}</a>
            </div>
            <ul class="list">
                {move || rows().into_iter().map(|(id, name, met, total, level)| view! {
                    <li>
                        <a class="card link" data-testid="standard-link" data-standard=id.clone() href=format!("/standards/{id}")>
                            <span class="title">{name}</span>
                            <span class="sub" data-testid="groups-met">{fill(linli_core::standards::words::Words::GroupsMet.text(lang), &[&met.to_string(), &total.to_string()])}</span>
                            {level.map(|l| view! { <span class="sub" data-testid="level">" · " {l}</span> })}
                        </a>
                    </li>
                }).collect_view()}
            </ul>
            <crate::standards::due::DueList lang=lang />
            <crate::standards::overview::SideBySide lang=lang />
        </section>
    }
}
