//! The status bar on every screen: online or not, changes waiting, last sync, refused changes (with their
//! reasons and a discard button), "sync now", and the banner asking to log in again.

use crate::i18n::{T, describe_op, format_time};
use crate::state;
use leptos::prelude::*;
use linli_core::Lang;

#[component]
pub fn StatusBar() -> impl IntoView {
    let ui = state::ui().expect("state installed before mounting");
    let lang = ui.lang;
    let tr = move |k: T| k.in_lang(lang.get());
    let pending = move || {
        ui.rev.get();
        state::with(|l| l.pending_count())
    };
    let refused = move || {
        ui.rev.get();
        state::with(|l| l.refused_count())
    };
    let last = move || {
        ui.rev.get();
        let l = lang.get();
        match state::with(|l| l.last_sync_ms) {
            Some(ms) => format_time(ms, state::now_ms()),
            None => T::Never.in_lang(l).to_string(),
        }
    };
    let expired = move || {
        ui.rev.get();
        let now = state::now_ms();
        state::with(|l| l.session.as_ref().is_some_and(|s| l.session_expired || s.expires_at <= now))
    };
    let not_persistent = move || {
        ui.rev.get();
        state::with(|l| l.session.is_some() && l.persisted == Some(false))
    };
    let show = RwSignal::new(false);
    let items = move || {
        ui.rev.get();
        let l: Lang = lang.get();
        state::with(|s| {
            s.refused()
                .map(|e| (e.op.id, describe_op(&e.op, l), e.message.clone().or(e.code.clone()).unwrap_or_default()))
                .collect::<Vec<_>>()
        })
    };
    let sync_now = move |_| {
        crate::sync::reset_backoff();
        wasm_bindgen_futures::spawn_local(async {
            let _ = crate::sync::sync_once().await;
        });
    };
    view! {
        <header class="status" aria-label="status">
            <div class="status-row">
                <span
                    class="net"
                    data-testid="net-status"
                    data-online=move || if ui.online.get() { "true" } else { "false" }
                >
                    {move || if ui.online.get() { tr(T::Online) } else { tr(T::Offline) }}
                </span>
                <span class="stat">
                    {move || tr(T::Waiting)} " "
                    <b data-testid="pending-count">{pending}</b>
                </span>
                <span class="stat">
                    {move || tr(T::LastSync)} " "
                    <b data-testid="last-sync">{last}</b>
                </span>
            </div>
            <div class="status-row">
                <button
                    type="button"
                    class=move || if refused() > 0 { "btn refused has" } else { "btn refused" }
                    data-testid="show-refused"
                    aria-expanded=move || if show.get() { "true" } else { "false" }
                    on:click=move |_| show.update(|s| *s = !*s)
                >
                    {move || tr(T::Refused)} " "
                    <b data-testid="refused-count">{refused}</b>
                </button>
                <button
                    type="button"
                    class="btn primary"
                    data-testid="sync-now"
                    disabled=move || ui.syncing.get()
                    on:click=sync_now
                >
                    {move || if ui.syncing.get() { tr(T::Syncing) } else { tr(T::SyncNow) }}
                </button>
            </div>
            {move || ui.sync_error.get().map(|m| view! { <p class="sync-error" role="status">{m}</p> })}
            <Show when=expired>
                <div class="banner" role="alert">
                    <p>{move || tr(T::ExpiredBanner)}</p>
                    <a class="btn primary" data-testid="relogin" href="/login">{move || tr(T::LogInAgain)}</a>
                </div>
            </Show>
            <Show when=not_persistent>
                <p class="notice">{move || tr(T::NotPersistent)}</p>
            </Show>
            <Show when=move || show.get()>
                <ul class="refused-list">
                    {move || {
                        items()
                            .into_iter()
                            .map(|(id, what, why)| {
                                view! {
                                    <li class="refused-item" data-testid="refused-item">
                                        <p><b>{what}</b></p>
                                        <p class="reason">{move || tr(T::Reason)} "：" {why}</p>
                                        <button
                                            type="button"
                                            class="btn danger"
                                            data-testid="discard"
                                            on:click=move |_| {
                                                wasm_bindgen_futures::spawn_local(async move {
                                                    let _ = state::discard(id).await;
                                                });
                                            }
                                        >
                                            {move || tr(T::Discard)}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </header>
    }
}
