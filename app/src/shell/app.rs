//! The root component: header with navigation, the status bar on every screen, and the current page — the
//! route table, one line per route. A change of language renders the page again (its strings are plain text,
//! not one signal each: fewer bytes).

use crate::data::state;
use crate::roster::{compound::CompoundPage, compounds::CompoundsPage};
use crate::shell::chunk;
use crate::shell::router::{self, Route};
use crate::shell::status_bar::StatusBar;
use crate::shell::strings::Shell;
use crate::shell::{login::LoginPage, settings};
use crate::volunteers::Page as V;
use crate::{renovation, standards, surveys, volunteers};
use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let route = router::route();
    let logged_in = Memo::new(move |_| {
        ui.rev.get();
        state::with(|l| l.session.is_some())
    });
    // A volunteer's own phone (role `volunteer`): their record, check-in and the settings, nothing of staff's.
    let volunteer = Memo::new(move |_| {
        ui.rev.get();
        state::volunteer_me()
    });
    let staff = Memo::new(move |_| logged_in.get() && volunteer.get().is_none());
    let header = move || {
        let lang = ui.lang.get();
        view! {
            <nav class="top">
                <a class="brand" href="/">{Shell::AppName.text(lang)}</a>
                <Show when=move || staff.get()>
                    <a class="btn" href="/volunteers" data-testid="volunteers-link">{Shell::Volunteers.text(lang)}</a>
                    <a class="btn" href="/surveys" data-testid="surveys-link">{Shell::Surveys.text(lang)}</a>
                    <a class="btn" href="/standards" data-testid="standards-link">{Shell::Standards.text(lang)}</a>
                </Show>
                <Show when=move || logged_in.get()>
                    <a class="btn" href="/settings" data-testid="settings-link">{Shell::Settings.text(lang)}</a>
                </Show>
            </nav>
        }
    };
    let page = move || {
        let lang = ui.lang.get();
        // A feature's pages are a chunk of their own, loaded when one first opens (`shell::chunk`).
        let vol = move |p: V| chunk::show(move || volunteers::page(p.clone(), lang), lang);
        let reno = move |r: Route| chunk::show(move || renovation::page(r.clone(), lang), lang);
        let surv = move |r: Route| chunk::show(move || surveys::page(r.clone(), lang), lang);
        match (route.get(), logged_in.get()) {
            (Route::Login, _) => view! { <LoginPage lang=lang /> }.into_any(),
            // Residents vote with their household's code, without a staff login, on their own small entry
            // (`vote.html`, the server's answer to `/v…`): the page is loaded anew.
            (Route::Vote(_), _) => {
                if let Some(w) = web_sys::window() {
                    let path = w.location().pathname().unwrap_or_else(|_| "/v".into());
                    let _ = w.location().assign(&path);
                }
                ().into_any()
            }
            // Anyone handed a certificate may check it.
            (Route::Verify, _) => vol(V::Verify),
            // A volunteer registers at their community's link; a phone that is already theirs shows their record.
            (Route::Join(c), _) if volunteer.get().is_none() => vol(V::Join(c)),
            (Route::Settings, true) => chunk::show(move || settings::page(lang), lang),
            (Route::CheckIn(a), _) if volunteer.get().is_some() => vol(V::CheckIn(a)),
            (Route::Certificate(n), true) if volunteer.get().is_some() => vol(V::Certificate(n)),
            (_, true) if let Some(me) = volunteer.get() => vol(V::Own(me)),
            (_, false) => {
                // Not logged in on this device yet: the login page, at its own address.
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ =
                        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/login"));
                }
                view! { <LoginPage lang=lang /> }.into_any()
            }
            (Route::Compounds, true) => {
                let due = chunk::show(move || surveys::due_card(lang), lang);
                view! { {due} <CompoundsPage lang=lang /> }.into_any()
            }
            (Route::Compound(id), true) => view! { <CompoundPage lang=lang id=id /> }.into_any(),
            (
                r @ (Route::Project(_)
                | Route::Door(_)
                | Route::Codes(_)
                | Route::Slips(_)
                | Route::Forms(_)
                | Route::Results(_)
                | Route::Notice(_)),
                true,
            ) => reno(r),
            (Route::Volunteers, true) => vol(V::List),
            (Route::Volunteer(id), true) => vol(V::Record(id)),
            (Route::Activities, true) => vol(V::Activities),
            (Route::Activity(id), true) => vol(V::Activity(id)),
            (Route::Certificate(n), true) => vol(V::Certificate(n)),
            (
                r @ (Route::Standards
                | Route::Standard(_)
                | Route::StandardReport(_)
                | Route::StandardApplication(_)
                | Route::ShanghaiForm(_)
                | Route::Log(_)
                | Route::LogEntry(..)),
                true,
            ) => chunk::show(move || standards::page(r.clone(), lang), lang),
            (
                r @ (Route::Surveys
                | Route::SurveyEdit(_)
                | Route::SurveyVisits(_)
                | Route::SurveyResponses(_)
                | Route::Draft(_)
                | Route::Ledger(_)),
                true,
            ) => surv(r),
            // Staff scanning an activity's code get its page (sign-ups, check-in on behalf).
            (Route::CheckIn(id), true) => vol(V::Activity(id)),
            (Route::VolunteerCode(id), true) => vol(V::Scan(id)),
            (Route::NotFound | Route::Join(_), true) => view! { <NotFound lang=lang /> }.into_any(),
        }
    };
    // The resident's screens show no staff status bar (nothing of theirs is in the staff outbox).
    let resident = Memo::new(move |_| matches!(route.get(), Route::Vote(_) | Route::Verify));
    view! {
        {header}
        <Show when=move || !resident.get()>
            <StatusBar />
        </Show>
        <main>{page}</main>
    }
}

/// An address the app does not know.
#[component]
fn NotFound(lang: linli_core::Lang) -> impl IntoView {
    view! {
        <section class="page">
            <h1>{Shell::NotFound.text(lang)}</h1>
            <a class="btn" href="/">{Shell::BackToCompounds.text(lang)}</a>
        </section>
    }
}
