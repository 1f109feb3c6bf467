//! The root component: header with navigation, the status bar on every screen, and the current page — the
//! route table, one line per route. A change of language renders the page again (its strings are plain text,
//! not one signal each: fewer bytes).

use crate::data::state;
use crate::renovation::{
    codes::CodesPage, door::DoorPage, forms::FormsPage, notice::NoticePage, project::ProjectPage,
    results::ResultsPage, slips::SlipsPage, vote::VotePage,
};
use crate::roster::{compound::CompoundPage, compounds::CompoundsPage};
use crate::shell::router::{self, Route};
use crate::shell::status_bar::StatusBar;
use crate::shell::strings::Shell;
use crate::shell::{login::LoginPage, settings::SettingsPage};
use crate::standards::{list::StandardsPage, page::StandardPage};
use crate::surveys::{
    builder::BuilderPage,
    fill::FillPage,
    ledger::LedgerPage,
    list::{DueCard, SurveysPage},
    responses::ResponsesPage,
    visits::VisitsPage,
};
use crate::volunteers::{
    activities::ActivitiesPage, activity::ActivityPage, certificate::CertificatePage,
    detail::VolunteerPage, join::JoinPage, list::VolunteersPage, me::CheckInPage,
    verify::VerifyPage,
};
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
        match (route.get(), logged_in.get()) {
            (Route::Login, _) => view! { <LoginPage lang=lang /> }.into_any(),
            // Residents vote with their household's code, without a staff login.
            (Route::Vote(code), _) => view! { <VotePage lang=lang code=code /> }.into_any(),
            // Anyone handed a certificate may check it.
            (Route::Verify, _) => view! { <VerifyPage lang=lang /> }.into_any(),
            // A volunteer registers at their community's link; a phone that is already theirs shows their record.
            (Route::Join(c), _) if volunteer.get().is_none() => {
                view! { <JoinPage lang=lang community=c /> }.into_any()
            }
            (Route::Settings, true) => view! { <SettingsPage lang=lang /> }.into_any(),
            (Route::CheckIn(a), _) if volunteer.get().is_some() => {
                view! { <CheckInPage lang=lang activity=a /> }.into_any()
            }
            (Route::Certificate(n), true) if volunteer.get().is_some() => {
                view! { <CertificatePage lang=lang number=n /> }.into_any()
            }
            (_, true) if let Some(me) = volunteer.get() => {
                view! { <VolunteerPage lang=lang id=me own=true /> }.into_any()
            }
            (_, false) => {
                // Not logged in on this device yet: the login page, at its own address.
                if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
                    let _ =
                        h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/login"));
                }
                view! { <LoginPage lang=lang /> }.into_any()
            }
            (Route::Compounds, true) => {
                view! { <DueCard lang=lang /> <CompoundsPage lang=lang /> }.into_any()
            }
            (Route::Compound(id), true) => view! { <CompoundPage lang=lang id=id /> }.into_any(),
            (Route::Project(id), true) => view! { <ProjectPage lang=lang id=id /> }.into_any(),
            (Route::Door(id), true) => view! { <DoorPage lang=lang id=id /> }.into_any(),
            (Route::Codes(id), true) => view! { <CodesPage lang=lang id=id /> }.into_any(),
            (Route::Slips(id), true) => view! { <SlipsPage lang=lang id=id /> }.into_any(),
            (Route::Forms(id), true) => view! { <FormsPage lang=lang id=id /> }.into_any(),
            (Route::Results(id), true) => view! { <ResultsPage lang=lang id=id /> }.into_any(),
            (Route::Notice(id), true) => view! { <NoticePage lang=lang id=id /> }.into_any(),
            (Route::Volunteers, true) => view! { <VolunteersPage lang=lang /> }.into_any(),
            (Route::Volunteer(id), true) => view! { <VolunteerPage lang=lang id=id /> }.into_any(),
            (Route::Activities, true) => view! { <ActivitiesPage lang=lang /> }.into_any(),
            (Route::Activity(id), true) => view! { <ActivityPage lang=lang id=id /> }.into_any(),
            (Route::Certificate(n), true) => {
                view! { <CertificatePage lang=lang number=n /> }.into_any()
            }
            (Route::Standards, true) => view! { <StandardsPage lang=lang /> }.into_any(),
            (Route::Standard(id), true) => view! { <StandardPage lang=lang id=id /> }.into_any(),
            (Route::Surveys, true) => view! { <SurveysPage lang=lang /> }.into_any(),
            (Route::SurveyEdit(id), true) => view! { <BuilderPage lang=lang form=id /> }.into_any(),
            (Route::SurveyVisits(id), true) => {
                view! { <VisitsPage lang=lang form=id /> }.into_any()
            }
            (Route::SurveyResponses(id), true) => {
                view! { <ResponsesPage lang=lang form=id /> }.into_any()
            }
            (Route::Draft(id), true) => view! { <FillPage lang=lang id=id /> }.into_any(),
            (Route::Ledger(id), true) => view! { <LedgerPage lang=lang id=id /> }.into_any(),
            // Staff scanning an activity's code get its page (sign-ups, check-in on behalf).
            (Route::CheckIn(id), true) => view! { <ActivityPage lang=lang id=id /> }.into_any(),
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
