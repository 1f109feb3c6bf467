//! `/verify`: checks a certificate of service record from its QR code alone (the payload after the
//! address's `#`, or pasted), with the issuing communities' public keys — fetched when there is a network
//! and kept on the device, so the check also works offline. The signature is checked by the core
//! (`linli_core::volunteers::certificate::verify_qr`, Ed25519): a changed hour or name is refused.
//! No login: anyone handed a certificate may check it.

use crate::data::net;
use crate::volunteers::hours;
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::volunteers::api::PublicKeys;
use linli_core::volunteers::certificate::{Certificate, verify_qr};

const KEYS: &str = "linli-certificate-keys";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

/// The public keys: fresh from the server when it answers (and kept), else the ones kept.
async fn keys(lang: Lang) -> Option<PublicKeys> {
    match net::call::<(), PublicKeys>("GET", "/api/certificates/public-key", None, lang, None).await
    {
        Ok(k) => {
            if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(&k)) {
                let _ = s.set_item(KEYS, &text);
            }
            Some(k)
        }
        Err(_) => storage()
            .and_then(|s| s.get_item(KEYS).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok()),
    }
}

/// The certificate `qr` carries, when one of `keys` signed it; else the reason in `lang`.
fn check(qr: &str, keys: &PublicKeys, lang: Lang) -> Result<Certificate, String> {
    let mut last = None;
    for k in &keys.keys {
        match verify_qr(qr, &k.public_key) {
            Ok(c) if c.community == k.community => return Ok(c),
            Ok(_) => {}
            Err(e) => last = Some(e),
        }
    }
    Err(last
        .map(|e| e.message(lang))
        .unwrap_or_else(|| Volunteers::NoKeys.text(lang).to_string()))
}

#[component]
pub fn VerifyPage(lang: Lang) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    let from_link = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default();
    let typed = RwSignal::new(from_link.clone());
    let outcome = RwSignal::new(None::<Result<Certificate, String>>);
    let run = move || {
        let qr = typed.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let result = match keys(lang).await {
                Some(k) => check(&qr, &k, lang),
                None => Err(tr(Volunteers::NoKeys).to_string()),
            };
            outcome.set(Some(result));
        });
    };
    if !from_link.is_empty() {
        run();
    }
    view! {
        <section class="page">
            <h1>{tr(Volunteers::VerifyTitle)}</h1>
            {move || outcome.get().map(|r| match r {
                Ok(c) => view! {
                    <div class="card ok" data-testid="verify-ok">
                        <h2>{tr(Volunteers::Genuine)}</h2>
                        <p>{tr(Volunteers::CertificateNumber)} " " <b>{c.number.clone()}</b></p>
                        <p>{tr(Volunteers::Name)} " " <b>{c.name.clone()}</b> " · " {c.id_number_masked.clone()}</p>
                        <p data-testid="verify-hours">{tr(Volunteers::Confirmed)} " " {hours(c.total_minutes, lang)}</p>
                        <p>{tr(Volunteers::Issuer)} " " {c.community_name.clone()} " · " {c.issued_on.to_string()}</p>
                    </div>
                }.into_any(),
                Err(e) => view! {
                    <div class="card" data-testid="verify-refused" role="alert">
                        <h2>{tr(Volunteers::NotGenuine)}</h2>
                        <p class="field-error">{e}</p>
                    </div>
                }.into_any(),
            })}
            <form class="card form" on:submit=move |ev: leptos::ev::SubmitEvent| { ev.prevent_default(); run(); }>
                <label class="field">
                    <span class="label">{tr(Volunteers::PasteCode)}</span>
                    <textarea name="certificate-code" rows="4" prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev))></textarea>
                </label>
                <button type="submit" class="btn primary wide" data-testid="verify">{tr(Volunteers::Verify)}</button>
            </form>
        </section>
    }
}
