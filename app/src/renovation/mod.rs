//! Renovation votes (RULES §2). Staff: the projects section on the compound page (`section`), the project
//! page and its menu editor (`project`, `menu`), door-to-door collection (`door`), voting codes (`codes`) and their printable slips (`slips`),
//! printable paper survey forms (`forms`), results (`results`) and the public notice (`notice`), with the links between them (`nav`). Residents: the
//! vote page (`vote`) and its state (`resident`). Shared helpers in `common`, the strings in `strings`, and
//! how its changes are named in the refused list ([`describe_op`]).
//!
//! Imports the data layer and the shell's common pieces; nothing of the roster.

pub mod codes;
pub mod common;
pub mod dom;
pub mod door;
pub mod forms;
pub mod menu;
pub mod nav;
pub mod notice;
pub mod project;
pub mod resident;
pub mod results;
pub mod section;
pub mod slips;
pub mod strings;
pub mod vote;

use linli_core::Lang;
use linli_core::sync::{Body, Operation};
use strings::Reno;

/// A renovation change for the refused list, e.g. "改造项目 加装电梯"; `None` for another feature's change.
pub fn describe_op(op: &Operation, lang: Lang) -> Option<String> {
    Some(match &op.body {
        Body::ProjectPut(f) => format!("{} {}", Reno::OpProject.text(lang), f.name),
        Body::MenuItemPut(f) => format!("{} {}", Reno::OpMenuItem.text(lang), f.name),
        Body::BallotCast(_) => Reno::OpBallot.text(lang).to_string(),
        _ => return None,
    })
}

#[cfg(not(feature = "vote"))]
crate::split!(
    renovation,
    /// The feature's pages, a Wasm chunk of their own fetched when one of them first opens (issue 8, see
    /// `shell::chunk`); the shell's route table sends their routes here.
    pub fn page(
        route: crate::shell::router::Route,
        lang: Lang,
    ) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        Ok({
            use crate::shell::router::Route;
            use leptos::prelude::*;
            match route {
                Route::Project(id) => view! { <project::ProjectPage lang=lang id=id /> }.into_any(),
                Route::Door(id) => view! { <door::DoorPage lang=lang id=id /> }.into_any(),
                Route::Codes(id) => view! { <codes::CodesPage lang=lang id=id /> }.into_any(),
                Route::Slips(id) => view! { <slips::SlipsPage lang=lang id=id /> }.into_any(),
                Route::Forms(id) => view! { <forms::FormsPage lang=lang id=id /> }.into_any(),
                Route::Results(id) => view! { <results::ResultsPage lang=lang id=id /> }.into_any(),
                Route::Notice(id) => view! { <notice::NoticePage lang=lang id=id /> }.into_any(),
                _ => ().into_any(),
            }
        })
    }
);

#[cfg(not(feature = "vote"))]
crate::split!(
    renovation_section,
    /// The projects section of a compound's page (on the roster's page, in this feature's chunk).
    pub fn projects_section(
        compound_id: uuid::Uuid,
        year_built: Option<u16>,
        lang: Lang,
    ) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        use leptos::prelude::*;
        Ok(view! { <section::ProjectsSection lang=lang compound_id=compound_id year_built=year_built /> }
            .into_any())
    }
);
