//! The status bar on every staff screen: one line (online or not, changes not sent, last update, changes
//! not accepted when there are any, "send") that opens into the detail (what the bar means, a sync error,
//! the storage warning, the refused changes with their reasons and a discard button); and the banner
//! asking to log in again. The detail closes when a field is focused, so it never covers it.

use crate::data::{state, sync};
use crate::shell::i18n::format_time;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::sync::{Body, Operation};

crate::split!(
    describe_ops,
    /// Short descriptions of refused changes, e.g. "住户 101": in a Wasm chunk of their own (issue 8), so the
    /// features' string catalogues are not in the first load; the refused list is rarely open.
    pub fn describe_ops(
        ops: Vec<Operation>,
        lang: Lang,
    ) -> crate::shell::chunk::Loaded<Vec<String>> {
        Ok(ops.iter().map(|op| describe_op(op, lang)).collect())
    }
);

/// A short description of a change for the refused list, e.g. "住户 101": the op-description dispatch, one
/// line per feature.
pub fn describe_op(op: &Operation, lang: Lang) -> String {
    if matches!(op.body, Body::Delete) {
        return Shell::Deletion.text(lang).to_string();
    }
    crate::roster::describe_op(op, lang)
        .or_else(|| crate::renovation::describe_op(op, lang))
        .or_else(|| crate::volunteers::describe_op(op, lang))
        .or_else(|| crate::surveys::describe_op(op, lang))
        .or_else(|| crate::standards::describe_op(op, lang))
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
                            e.op.clone(),
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
        // The detail closes when a field outside the bar is focused, so it never covers what is typed.
        let close_on_focus = window_event_listener(leptos::ev::focusin, move |e| {
            let outside = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|el| el.closest(".status").ok().flatten().is_none());
            if outside {
                show.set(false);
            }
        });
        on_cleanup(move || close_on_focus.remove());
        view! {
            <header class="status" aria-label=move || tr(Shell::StatusDetail)>
                <div class="status-line">
                    <button
                        type="button"
                        class="status-toggle"
                        data-testid="status-toggle"
                        aria-expanded=move || show.get().to_string()
                        on:click=move |_| show.update(|s| *s = !*s)
                    >
                        <span class="net" data-testid="net-status" data-online=move || ui.online.get().to_string()>
                            {move || if ui.online.get() { tr(Shell::Online) } else { tr(Shell::Offline) }}
                        </span>
                        <span class="stat">{tr(Shell::Waiting)} " " <b data-testid="pending-count">{move || counts().0}</b></span>
                        <span class="stat last">{tr(Shell::LastSync)} " " <b data-testid="last-sync">{last}</b></span>
                    </button>
                    <button
                        type="button"
                        class="btn refused has"
                        data-testid="show-refused"
                        hidden=move || counts().1 == 0
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
                {move || flags().0.then(|| view! {
                    <div class="banner" role="alert">
                        <p>{tr(Shell::ExpiredBanner)}</p>
                        <a class="btn primary" data-testid="relogin" href="/login">{tr(Shell::LogInAgain)}</a>
                    </div>
                })}
                {move || show.get().then(|| view! {
                    <div class="status-detail" data-testid="status-detail">
                        <p>{tr(Shell::StatusExplained)}</p>
                        {move || ui.sync_error.get().map(|m| view! { <p class="sync-error" role="status">{m}</p> })}
                        {move || flags().1.then(|| view! { <p class="notice">{tr(Shell::NotPersistent)}</p> })}
                        {move || {
                            let items = refused_items();
                            crate::shell::chunk::show(move || {
                                let items = items.clone();
                                let names = describe_ops(items.iter().map(|(op, _)| op.clone()).collect(), lang);
                                async move {
                                let names = names.await?;
                                Ok(view! {
                                    <ul class="refused-list">
                                        {items
                                            .into_iter()
                                            .zip(names)
                                            .map(|((op, why), what)| view! {
                                                <li class="refused-item" data-testid="refused-item">
                                                    <p><b>{what}</b></p>
                                                    <p class="reason">{tr(Shell::Reason)} {crate::shell::i18n::colon(lang)} {why}</p>
                                                    <button type="button" class="btn danger" data-testid="discard" on:click=move |_| discard(op.id)>
                                                        {tr(Shell::Discard)}
                                                    </button>
                                                </li>
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                                .into_any())
                                }
                            }, lang)
                        }}
                    </div>
                })}
            </header>
        }
    }
}
