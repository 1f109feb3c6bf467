//! A QR code of one of the app's own addresses, drawn on the phone (works offline) with the core's
//! renderer, with the address written under it for those who type it.

use leptos::prelude::*;

/// The app's address for `path` on this server (`https://…/join/c1`).
pub fn app_url(path: &str) -> String {
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{path}")
}

/// A captioned QR code of the app's `path`.
#[component]
pub fn QrLink(path: String, caption: &'static str, testid: &'static str) -> impl IntoView {
    let url = app_url(&path);
    let svg = linli_core::qr::qr_svg(&url).unwrap_or_default();
    let shown = url.clone();
    view! {
        <figure class="card qr" data-testid=testid data-url=url>
            <div class="qr-code" inner_html=svg></div>
            <figcaption>
                <span class="title">{caption}</span>
                <span class="sub">{shown}</span>
            </figcaption>
        </figure>
    }
}
