//! The root component: header with navigation, the status bar on every screen, and the routes.

use crate::components::status_bar::StatusBar;
use crate::i18n::T;
use crate::routes::{compound::CompoundPage, compounds::CompoundsPage, login::LoginPage, settings::SettingsPage};
use crate::state;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: T| k.in_lang(ui.lang.get());
    let logged_in = move || {
        ui.rev.get();
        state::with(|l| l.session.is_some())
    };
    view! {
        <Router>
            <nav class="top">
                <a class="brand" href="/">{move || tr(T::AppName)}</a>
                <Show when=logged_in>
                    <a class="btn" href="/settings" data-testid="settings-link">{move || tr(T::Settings)}</a>
                </Show>
            </nav>
            <StatusBar />
            <main>
                <Routes fallback=|| view! { <p class="page">"404"</p> }>
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/") view=CompoundsPage />
                    <Route path=path!("/compound/:id") view=CompoundPage />
                    <Route path=path!("/settings") view=SettingsPage />
                </Routes>
            </main>
        </Router>
    }
}
