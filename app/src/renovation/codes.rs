//! `/project/:id/codes`: the state of each household's voting code (online only: codes live on the
//! server), codes for households that have none, and revoke/reissue per household. New codes open on the
//! slips page (`slips`), which prints them.

use crate::data::state;
use crate::renovation::common;
use crate::renovation::nav::ProjectNav;
use crate::renovation::slips;
use crate::renovation::strings::Reno;
use crate::shell::router::navigate;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::renovation::api::{CodeState, CodeStatus, IssueRequest, IssuedCode, IssuedCodes};
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// One slip: the server's typed answer (`linli_core::renovation::api`).
pub type Slip = IssuedCode;

/// A staff call about codes (online only: codes live on the server).
pub async fn call<B: Serialize, R: DeserializeOwned>(
    method: &str,
    path: String,
    lang: Lang,
    body: Option<&B>,
) -> Result<R, String> {
    state::staff_call(method, &path, lang, body, Reno::CodesNeedNetwork.text(lang)).await
}

/// New codes for `households` of project `id`, reissuing any active one (codes are stored hashed, so a
/// reprint is a reissue): the slips to print, or the error for the person.
pub async fn reissue(id: Uuid, households: Vec<Uuid>, lang: Lang) -> Result<Vec<Slip>, String> {
    let req = IssueRequest {
        households: Some(households),
        reissue: true,
    };
    call::<IssueRequest, IssuedCodes>(
        "POST",
        format!("/api/projects/{id}/codes"),
        lang,
        Some(&req),
    )
    .await
    .map(|v| v.codes)
}

#[component]
pub fn CodesPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let statuses = RwSignal::new(Vec::<CodeStatus>::new());
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            if let Ok(v) =
                call::<(), Vec<CodeStatus>>("GET", format!("/api/projects/{id}/codes"), lang, None)
                    .await
            {
                statuses.set(v);
            }
        });
    };
    if ui.online.get_untracked() {
        load();
    }
    let issue = move |_| {
        busy.set(true);
        error.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match call::<IssueRequest, IssuedCodes>(
                "POST",
                format!("/api/projects/{id}/codes"),
                lang,
                Some(&IssueRequest::default()),
            )
            .await
            {
                Ok(v) if v.codes.is_empty() => error.set(Some(tr(Reno::AllHaveCodes).to_string())),
                Ok(v) => {
                    slips::keep(id, v.codes);
                    return navigate(&format!("/project/{id}/slips"), false);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
            load();
        });
    };
    // Revoke a household's code, or revoke it and issue a new one (the server does both at once).
    let act = move |household: Uuid, reissue: bool| {
        let ok = web_sys::window()
            .and_then(|w| w.confirm_with_message(tr(Reno::RevokeConfirm)).ok())
            .unwrap_or(false);
        if !ok {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            let verb = if reissue { "reissue" } else { "revoke" };
            let path = format!("/api/projects/{id}/codes/{household}/{verb}");
            let answer = if reissue {
                call::<(), IssuedCodes>("POST", path, lang, None)
                    .await
                    .map(|v| v.codes)
            } else {
                call::<(), CodeStatus>("POST", path, lang, None)
                    .await
                    .map(|_| vec![])
            };
            match answer {
                Err(e) => error.set(Some(e)),
                Ok(_) if !reissue => load(),
                // The new code is printed from the slips page.
                Ok(fresh) => {
                    slips::keep(id, fresh);
                    navigate(&format!("/project/{id}/slips"), false);
                }
            }
        });
    };
    let name = move || {
        ui.rev.get();
        common::project(id).map(|(p, _)| p.name)
    };
    view! {
        <section class="page codes">
            <ProjectNav lang=lang id=id />
            <h1 class="no-print">{name} " · " {tr(Reno::Codes)}</h1>
            <p class="sub no-print">{tr(Reno::CodesHelp)}</p>
            <Show when=move || !ui.online.get()>
                <p class="warn no-print" role="alert" data-testid="codes-offline">{tr(Reno::CodesNeedNetwork)}</p>
            </Show>
            <div class="no-print">
                <button type="button" class="btn primary wide" data-testid="issue-codes"
                    disabled=move || busy.get() || !ui.online.get() on:click=issue>{tr(Reno::IssueCodes)}</button>
                <a class="btn wide" data-testid="slips-link" href=format!("/project/{id}/slips")>{tr(Reno::Slips)}</a>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error no-print" role="alert">{e}</p> })}
            <Show when=move || !statuses.get().is_empty()>
                <table class="table no-print" data-testid="code-status">
                    <thead><tr><th>{tr(Reno::Household)}</th><th>{tr(Reno::CodeState)}</th><th></th></tr></thead>
                    <tbody>
                        <For each=move || statuses.get() key=|s| (s.household_id, s.status) children=move |s| {
                            let h = s.household_id;
                            let (label, key) = match s.status {
                                CodeState::Active => (tr(Reno::CodeActive), "active"),
                                CodeState::Revoked => (tr(Reno::CodeRevoked), "revoked"),
                                CodeState::None => (tr(Reno::CodeNone), "none"),
                            };
                            let active = s.status == CodeState::Active;
                            view! {
                                <tr data-testid="code-row" data-door=s.door.clone() data-status=key>
                                    <td>{format!("{} {} {}", s.building, s.unit, s.door)}</td>
                                    <td>{label}</td>
                                    <td class="row-actions">
                                        <button type="button" class="btn" data-testid="reissue-code" on:click=move |_| act(h, true)>
                                            {if active { tr(Reno::Reissue) } else { tr(Reno::IssueOne) }}
                                        </button>
                                        {active.then(|| view! {
                                            <button type="button" class="btn danger" data-testid="revoke-code" on:click=move |_| act(h, false)>{tr(Reno::Revoke)}</button>
                                        })}
                                    </td>
                                </tr>
                            }
                        } />
                    </tbody>
                </table>
            </Show>
        </section>
    }
}
