//! The links between a project's screens (project, door to door, codes, results, public notice).

use crate::renovation::strings::{Ballot, Reno};
use leptos::prelude::*;
use linli_core::Lang;
use uuid::Uuid;

/// The links between a project's screens.
#[component]
pub fn ProjectNav(lang: Lang, id: Uuid) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    view! {
        <nav class="project-nav no-print">
            <a class="btn" href=format!("/project/{id}")>{tr(Reno::ProjectHome)}</a>
            <a class="btn" data-testid="door-link" href=format!("/project/{id}/door")>{tr(Reno::DoorToDoor)}</a>
            <a class="btn" data-testid="codes-link" href=format!("/project/{id}/codes")>{tr(Reno::Codes)}</a>
            <a class="btn" data-testid="slips-nav-link" href=format!("/project/{id}/slips")>{tr(Reno::Slips)}</a>
            <a class="btn" data-testid="forms-link" href=format!("/project/{id}/forms")>{tr(Reno::PaperForms)}</a>
            <a class="btn" data-testid="results-link" href=format!("/project/{id}/results")>{Ballot::Results.text(lang)}</a>
            <a class="btn" data-testid="notice-link" href=format!("/project/{id}/notice")>{tr(Reno::PublicNotice)}</a>
        </nav>
    }
}
