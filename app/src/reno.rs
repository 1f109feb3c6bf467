//! Shared pieces of the renovation screens (RULES §2): looking up a project on the device, labels,
//! date and number inputs, the hand-drawn SVG bar, and file downloads (CSV made here, XLSX from the server).

use crate::i18n::R;
use crate::state;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::calendar::Calendar;
use linli_core::date::Date;
use linli_core::places::{Compound, MenuItem};
use linli_core::project::{ItemClass, ProjectFields, RenovationKind};
use linli_core::renovation::Matter;
use std::sync::OnceLock;
use uuid::Uuid;
use wasm_bindgen::JsCast;

/// The official holiday calendar (R6), parsed once.
pub fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::china)
}

/// The logged-in staff member's community.
pub fn community() -> String {
    state::with(|l| {
        l.session
            .as_ref()
            .map(|s| s.community.clone())
            .unwrap_or_default()
    })
}

/// A project on this device (confirmed or queued), with its compound.
pub fn project(id: Uuid) -> Option<(ProjectFields, Option<Compound>)> {
    let c = community();
    state::with(|l| {
        let p = l.view.project(&c, id)?;
        let compound = l
            .view
            .compounds()
            .into_iter()
            .find(|x| x.id == p.compound_id);
        Some((p, compound))
    })
}

pub fn menu(id: Uuid) -> Vec<MenuItem> {
    state::with(|l| l.view.menu(id))
}

pub fn today() -> Date {
    Date::from_unix_ms_cst(state::now_ms() as i64)
}

pub fn class_label(c: ItemClass, lang: Lang) -> &'static str {
    match c {
        ItemClass::Basic => R::ClassBasic,
        ItemClass::Improvement => R::ClassImprovement,
        ItemClass::Upgrade => R::ClassUpgrade,
    }
    .in_lang(lang)
}

pub fn class_key(c: ItemClass) -> &'static str {
    match c {
        ItemClass::Basic => "basic",
        ItemClass::Improvement => "improvement",
        ItemClass::Upgrade => "upgrade",
    }
}

pub fn kind_label(k: RenovationKind, lang: Lang) -> &'static str {
    match k {
        RenovationKind::Comprehensive => R::KindComprehensive,
        RenovationKind::DemolishRebuild => R::KindDemolish,
    }
    .in_lang(lang)
}

pub fn matter_label(m: Matter, lang: Lang) -> &'static str {
    match m {
        Matter::Ordinary => R::MatterOrdinary,
        Matter::Special => R::MatterSpecial,
    }
    .in_lang(lang)
}

/// A sum of money in yuan, without needless decimals.
pub fn yuan(v: f64, lang: Lang) -> String {
    let n = if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    };
    match lang {
        Lang::Zh => format!("{n} 元"),
        Lang::En => format!("¥{n}"),
    }
}

pub fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

/// A labelled input of `kind` ("date", "number"…) bound to `value`.
#[component]
pub fn Input(
    label: &'static str,
    name: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class="field">
            <span class="label">{label}</span>
            <input
                name=name
                type=kind.unwrap_or("text")
                inputmode=inputmode
                autocomplete="off"
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}

/// A labelled checkbox bound to `value`.
#[component]
pub fn Check(label: &'static str, name: &'static str, value: RwSignal<bool>) -> impl IntoView {
    view! {
        <label class="check">
            <input
                type="checkbox"
                name=name
                prop:checked=move || value.get()
                on:change=move |ev| value.set(event_target_checked(&ev))
            />
            <span>{label}</span>
        </label>
    }
}

/// A horizontal bar drawn in SVG: `ratio` filled, with an optional threshold line (e.g. 2/3).
pub fn bar(ratio: f64, mark: Option<f64>, testid: &'static str, ok: bool) -> impl IntoView + use<> {
    let w = (ratio.clamp(0.0, 1.0) * 1000.0).round();
    let fill = if ok { "#0b5d3b" } else { "#8a4b00" };
    let line = mark.map(|m| {
        let x = (m.clamp(0.0, 1.0) * 1000.0).round();
        view! { <line x1=x x2=x y1="0" y2="40" stroke="#111" stroke-width="6" stroke-dasharray="8 6" /> }
    });
    view! {
        <svg class="bar" data-testid=testid data-ratio=format!("{ratio:.4}") viewBox="0 0 1000 40"
            preserveAspectRatio="none" role="img" aria-label=pct(ratio)>
            <rect x="0" y="0" width="1000" height="40" fill="#e3e7e3" />
            <rect x="0" y="0" width=w height="40" fill=fill />
            {line}
        </svg>
    }
}

/// Starts the download of `blob` as `name` (an object URL on a temporary link).
pub fn download_blob(blob: &web_sys::Blob, name: &str) -> Result<(), String> {
    let url = web_sys::Url::create_object_url_with_blob(blob).map_err(|_| "blob".to_string())?;
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc.create_element("a").map_err(|_| "a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    if let Some(body) = doc.body() {
        let _ = body.append_child(&a);
        a.click();
        let _ = body.remove_child(&a);
    }
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 60_000);
    }
    Ok(())
}

/// Downloads text as a file; CSV gets a byte-order mark so spreadsheet programs read the Chinese right.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "blob".to_string())?;
    download_blob(&blob, name)
}

/// One CSV field, quoted when needed (RFC 4180).
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv_line(fields: &[String]) -> String {
    let mut l = fields
        .iter()
        .map(|f| csv_field(f))
        .collect::<Vec<_>>()
        .join(",");
    l.push_str("\r\n");
    l
}

/// Fetches `path` with the staff token and downloads the answer as `name`. Errors are for the person.
pub async fn download_from_server(path: &str, name: &str, lang: Lang) -> Result<(), String> {
    use wasm_bindgen_futures::JsFuture;
    let token = state::with(|l| l.session.as_ref().map(|s| s.token.clone()));
    let window = web_sys::window().ok_or("no window")?;
    let headers = web_sys::Headers::new().map_err(|_| "headers")?;
    if let Some(t) = token {
        let _ = headers.set("Authorization", &format!("Bearer {t}"));
    }
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    init.set_headers(&headers);
    let offline = || R::NeedsNetwork.in_lang(lang).to_string();
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(path, &init))
        .await
        .map_err(|_| offline())?
        .unchecked_into();
    if !resp.ok() {
        if resp.status() == 401 {
            crate::state::mark_expired().await;
        }
        return Err(format!(
            "{} (HTTP {})",
            R::DownloadFailed.in_lang(lang),
            resp.status()
        ));
    }
    let blob: web_sys::Blob = JsFuture::from(resp.blob().map_err(|_| offline())?)
        .await
        .map_err(|_| offline())?
        .unchecked_into();
    download_blob(&blob, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_it() {
        assert_eq!(csv_field("路面"), "路面");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_line(&["a".into(), "b c".into()]), "a,b c\r\n");
    }
}
