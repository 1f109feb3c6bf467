//! The status bar on every screen: online or not, changes waiting, last sync, refused changes (with their
//! reasons and a discard button), "sync now", and the banner asking to log in again.

use crate::data::{state, sync};
use crate::shell::i18n::format_time;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::sync::{Body, Operation};

/// A short description of a change for the refused list, e.g. "住户 101": the op-description dispatch, one
/// line per feature.
pub fn describe_op(op: &Operation, lang: Lang) -> String {
    if matches!(op.body, Body::Delete) {
        return Shell::Deletion.text(lang).to_string();
    }
    crate::roster::describe_op(op, lang)
        .or_else(|| crate::renovation::describe_op(op, lang))
        .unwrap_or_default()
}

#[component]
pub fn StatusBar() -> impl IntoView {
    let ui = state::ui().expect("state installed before mounting");
    let show = RwSignal::new(false);
    move || {
        let lang = ui.lang.get();
        let tr = move |k: Shell| k.text(lang);
        let counts = move || {
            ui.rev.get();
            state::with(|l| (l.pending_count(), l.refused_count()))
        };
        let last = move || {
            ui.rev.get();
            match state::with(|l| l.last_sync_ms) {
                Some(ms) => format_time(ms, state::now_ms()),
                None => tr(Shell::Never).to_string(),
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
                .and_then(|w| w.confirm_with_message(tr(Shell::DiscardConfirm)).ok())
                .unwrap_or(true);
            if !sure {
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                let _ = state::discard(id).await;
            })
        };
        let sync_now = move |_| {
            sync::reset_backoff();
            wasm_bindgen_futures::spawn_local(async {
                let _ = sync::sync_once().await;
            });
        };
        view! {
            <header class="status" aria-label="status">
                <div class="status-row">
                    <span class="net" data-testid="net-status" data-online=move || ui.online.get().to_string()>
                        {move || if ui.online.get() { tr(Shell::Online) } else { tr(Shell::Offline) }}
                    </span>
                    <span class="stat">{tr(Shell::Waiting)} " " <b data-testid="pending-count">{move || counts().0}</b></span>
                    <span class="stat">{tr(Shell::LastSync)} " " <b data-testid="last-sync">{last}</b></span>
                </div>
                <div class="status-row">
                    <button
                        type="button"
                        class=move || { if counts().1 > 0 { "btn refused has" } else { "btn refused" } }
                        data-testid="show-refused"
                        aria-expanded=move || show.get().to_string()
                        on:click=move |_| show.update(|s| *s = !*s)
                    >
                        {tr(Shell::Refused)} " " <b data-testid="refused-count">{move || counts().1}</b>
                    </button>
                    <button
                        type="button"
                        class="btn primary"
                        data-testid="sync-now"
                        disabled=move || ui.syncing.get()
                        on:click=sync_now
                    >
                        {move || if ui.syncing.get() { tr(Shell::Syncing) } else { tr(Shell::SyncNow) }}
                    </button>
                </div>
                {move || ui.sync_error.get().map(|m| view! { <p class="sync-error" role="status">{m}</p> })}
                {move || {
                    let (expired, unsafe_storage) = flags();
                    view! {
                        {expired.then(|| view! {
                            <div class="banner" role="alert">
                                <p>{tr(Shell::ExpiredBanner)}</p>
                                <a class="btn primary" data-testid="relogin" href="/login">{tr(Shell::LogInAgain)}</a>
                            </div>
                        })}
                        {unsafe_storage.then(|| view! { <p class="notice">{tr(Shell::NotPersistent)}</p> })}
                    }
                }}
                {move || show.get().then(|| view! {
                    <ul class="refused-list">
                        {refused_items()
                            .into_iter()
                            .map(|(id, what, why)| view! {
                                <li class="refused-item" data-testid="refused-item">
                                    <p><b>{what}</b></p>
                                    <p class="reason">{tr(Shell::Reason)} "：" {why}</p>
                                    <button type="button" class="btn danger" data-testid="discard" on:click=move |_| discard(id)>
                                        {tr(Shell::Discard)}
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
