//! `/settings`: language, saving unsent changes to a file, and logging out (refused while changes are unsent).

use crate::i18n::T;
use crate::state;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_navigate;
use linli_core::Lang;

#[component]
pub fn SettingsPage() -> impl IntoView {
    if state::with(|l| l.session.is_none()) {
        return view! { <Redirect path="/login" /> }.into_any();
    }
    let ui = state::ui().expect("state installed");
    let lang = ui.lang;
    let tr = move |k: T| k.in_lang(lang.get());
    let who = move || {
        ui.rev.get();
        state::with(|l| l.session.as_ref().map(|s| format!("{} · {}", s.username, s.community_name)).unwrap_or_default())
    };
    let unsent = move || {
        ui.rev.get();
        state::with(|l| l.outbox.len())
    };
    let message = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let set_lang = move |l: Lang| wasm_bindgen_futures::spawn_local(state::set_lang(l));
    let save_file = move |_| {
        wasm_bindgen_futures::spawn_local(async move {
            let m = match state::export_file().await {
                Ok(n) => format!("{} ({n})", T::SavedFile.in_lang(state::lang())),
                Err(e) => format!("{} ({})", T::SaveFailed.in_lang(state::lang()), e.0),
            };
            message.set(Some(m));
        });
    };
    let log_out = move |_| {
        let navigate = navigate.clone();
        wasm_bindgen_futures::spawn_local(async move {
            match state::logout().await {
                Ok(true) => navigate("/login", Default::default()),
                Ok(false) => message.set(Some(T::LogoutRefused.in_lang(state::lang()).to_string())),
                Err(e) => message.set(Some(e.0)),
            }
        });
    };
    view! {
        <section class="page">
            <h1>{move || tr(T::Settings)}</h1>
            <div class="card">
                <h2>{move || tr(T::Language)}</h2>
                <div class="lang-switch" role="group">
                    <button type="button" class="btn" data-testid="lang-zh" aria-pressed=move || (lang.get() == Lang::Zh).to_string() on:click=move |_| set_lang(Lang::Zh)>"中文"</button>
                    <button type="button" class="btn" data-testid="lang-en" aria-pressed=move || (lang.get() == Lang::En).to_string() on:click=move |_| set_lang(Lang::En)>"English"</button>
                </div>
            </div>
            <div class="card">
                <p>{move || tr(T::LoggedInAs)} "：" {who}</p>
                <button type="button" class="btn wide" data-testid="save-file" on:click=save_file>
                    {move || tr(T::SaveFile)} " (" {unsent} ")"
                </button>
                <button type="button" class="btn danger wide" data-testid="logout" on:click=log_out>
                    {move || tr(T::Logout)}
                </button>
                {move || message.get().map(|m| view! { <p class="message" data-testid="settings-message" role="alert">{m}</p> })}
            </div>
        </section>
    }
    .into_any()
}
