//! The status bar on every screen: online or not, changes waiting, last sync, refused changes (with their
//! reasons and a discard button), "sync now", and the banner asking to log in again.

use crate::i18n::{T, describe_op, format_time};
use crate::state;
use leptos::prelude::*;

#[component]
pub fn StatusBar() -> impl IntoView {
    let ui = state::ui().expect("state installed before mounting");
    let show = RwSignal::new(false);
    move || {
        let lang = ui.lang.get();
        let tr = move |k: T| k.in_lang(lang);
        let counts = move || {
            ui.rev.get();
            state::with(|l| (l.pending_count(), l.refused_count()))
        };
        let last = move || {
            ui.rev.get();
            match state::with(|l| l.last_sync_ms) {
                Some(ms) => format_time(ms, state::now_ms()),
                None => tr(T::Never).to_string(),
            }
        };
        let flags = move || {
            ui.rev.get();
            let now = state::now_ms();
            state::with(|l| {
                let expired = l
                    .session
                    .as_ref()
                    .is_some_and(|s| l.session_expired || s.expires_at <= now);
                let unsafe_storage = l.session.is_some() && l.persisted == Some(false);
                (expired, unsafe_storage)
            })
        };
        let refused_items = move || {
            ui.rev.get();
            state::with(|s| {
                s.refused()
                    .map(|e| {
                        (
                            e.op.id,
                            describe_op(&e.op, lang),
                            e.message.clone().or(e.code.clone()).unwrap_or_default(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
        };
        let discard = move |id| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(tr(T::DiscardConfirm)).ok())
                .unwrap_or(true);
            if !sure {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let _ = state::discard(id).await;
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
                    <span class="net" data-testid="net-status" data-online=move || ui.online.get().to_string()>
                        {move || if ui.online.get() { tr(T::Online) } else { tr(T::Offline) }}
                    </span>
                    <span class="stat">{tr(T::Waiting)} " " <b data-testid="pending-count">{move || counts().0}</b></span>
                    <span class="stat">{tr(T::LastSync)} " " <b data-testid="last-sync">{last}</b></span>
                </div>
                <div class="status-row">
                    <button
                        type="button"
                        class=move || { if counts().1 > 0 { "btn refused has" } else { "btn refused" } }
                        data-testid="show-refused"
                        aria-expanded=move || show.get().to_string()
                        on:click=move |_| show.update(|s| *s = !*s)
                    >
                        {tr(T::Refused)} " " <b data-testid="refused-count">{move || counts().1}</b>
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
                {move || {
                    let (expired, unsafe_storage) = flags();
                    view! {
                        {expired.then(|| view! {
                            <div class="banner" role="alert">
                                <p>{tr(T::ExpiredBanner)}</p>
                                <a class="btn primary" data-testid="relogin" href="/login">{tr(T::LogInAgain)}</a>
                            </div>
                        })}
                        {unsafe_storage.then(|| view! { <p class="notice">{tr(T::NotPersistent)}</p> })}
                    }
                }}
                {move || show.get().then(|| view! {
                    <ul class="refused-list">
                        {refused_items()
                            .into_iter()
                            .map(|(id, what, why)| view! {
                                <li class="refused-item" data-testid="refused-item">
                                    <p><b>{what}</b></p>
                                    <p class="reason">{tr(T::Reason)} "：" {why}</p>
                                    <button type="button" class="btn danger" data-testid="discard" on:click=move |_| discard(id)>
                                        {tr(T::Discard)}
                                    </button>
                                </li>
                            })
                            .collect_view()}
                    </ul>
                })}
            </header>
        }
    }
}
