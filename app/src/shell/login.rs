//! `/login`: log in (online) once; the session is kept so the app opens offline afterwards.

use crate::data::state;
use crate::shell::router;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;

#[component]
pub fn LoginPage(lang: Lang) -> impl IntoView {
    let tr = move |k: Shell| k.text(lang);
    // After an expired login, the same person usually logs in again.
    let username = RwSignal::new(state::with(|l| {
        l.session
            .as_ref()
            .map(|s| s.username.clone())
            .unwrap_or_default()
    }));
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let (u, p) = (username.get_untracked(), password.get_untracked());
        wasm_bindgen_futures::spawn_local(async move {
            match crate::shell::start::log_in(u, p).await {
                Ok(()) => router::navigate("/", false),
                Err(e) => {
                    error.set(Some(e.message(state::lang())));
                    busy.set(false);
                }
            }
        });
    };
    let set_lang = move |l: Lang| wasm_bindgen_futures::spawn_local(state::set_lang(l));
    view! {
        <section class="page">
            <h1>{tr(Shell::Login)}</h1>
            <form class="card form" on:submit=on_submit>
                <label class="field">
                    <span class="label">{tr(Shell::Username)}</span>
                    <input
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        required
                        prop:value=move || username.get()
                        on:input=move |ev| username.set(event_target_value(&ev))
                    />
                </label>
                <label class="field">
                    <span class="label">{tr(Shell::Password)}</span>
                    <input
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))
                    />
                </label>
                {move || error.get().map(|m| view! { <p class="field-error" data-testid="login-error" role="alert">{m}</p> })}
                <button type="submit" class="btn primary wide" disabled=move || busy.get()>{tr(Shell::Login)}</button>
            </form>
            <div class="lang-switch" role="group" aria-label="language">
                <button type="button" class="btn" data-testid="lang-zh" on:click=move |_| set_lang(Lang::Zh)>"中文"</button>
                <button type="button" class="btn" data-testid="lang-en" on:click=move |_| set_lang(Lang::En)>"English"</button>
            </div>
        </section>
    }
}
