//! `/settings`: language, saving unsent changes to a file, and logging out (refused while changes are unsent).

use crate::data::state;
use crate::shell::router;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;

#[component]
pub fn SettingsPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Shell| k.text(lang);
    let who = state::with(|l| {
        l.session
            .as_ref()
            .map(|s| format!("{} · {}", s.username, s.community_name))
            .unwrap_or_default()
    });
    let unsent = move || {
        ui.rev.get();
        state::with(|l| l.outbox.len())
    };
    let message = RwSignal::new(None::<String>);
    let set_lang = move |l: Lang| wasm_bindgen_futures::spawn_local(state::set_lang(l));
    let save_file = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            let m = match state::export_file().await {
                Ok(n) => format!("{} ({n})", tr(Shell::SavedFile)),
                Err(e) => format!("{} ({})", tr(Shell::SaveFailed), e.0),
            };
            message.set(Some(m));
        });
    };
    let log_out = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            match state::logout().await {
                Ok(true) => router::navigate("/login", false),
                Ok(false) => message.set(Some(tr(Shell::LogoutRefused).to_string())),
                Err(e) => message.set(Some(e.0)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{tr(Shell::Settings)}</h1>
            <div class="card">
                <h2>{tr(Shell::Language)}</h2>
                <div class="lang-switch" role="group">
                    <button type="button" class="btn" data-testid="lang-zh" aria-pressed=(lang == Lang::Zh).to_string() on:click=move |_| set_lang(Lang::Zh)>"中文"</button>
                    <button type="button" class="btn" data-testid="lang-en" aria-pressed=(lang == Lang::En).to_string() on:click=move |_| set_lang(Lang::En)>"English"</button>
                </div>
            </div>
            <div class="card">
                <p>{tr(Shell::LoggedInAs)} {crate::shell::i18n::colon(lang)} {who}</p>
                <button type="button" class="btn wide" data-testid="save-file" on:click=save_file>
                    {tr(Shell::SaveFile)} " (" {unsent} ")"
                </button>
                <button type="button" class="btn danger wide" data-testid="logout" on:click=log_out>{tr(Shell::Logout)}</button>
                {move || message.get().map(|m| view! { <p class="message" data-testid="settings-message" role="alert">{m}</p> })}
            </div>
        </section>
    }
}

#[cfg(not(feature = "vote"))]
crate::split!(
    settings,
    /// The settings page, a Wasm chunk of its own (issue 8): no part of the first load, which is the login
    /// page's.
    pub fn page(lang: Lang) -> crate::shell::chunk::Loaded<AnyView> {
        Ok(view! { <SettingsPage lang=lang /> }.into_any())
    }
);
