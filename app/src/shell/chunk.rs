//! A feature's pages as a lazily loaded Wasm chunk (issue 8): each feature has one `#[lazy]` function
//! (`renovation::page`, `volunteers::page`, …) that `cargo xtask build` cuts into a chunk of its own with
//! wasm-split, fetched the first time one of its pages opens (and precached by the service worker after the
//! first load, so every page opens offline). The shell, login, roster, status bar, store and sync are the
//! main module.

use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;
use send_wrapper::SendWrapper;
use std::future::Future;

/// The view a lazy function returns, shown when its chunk has loaded (at once when it already has); until
/// then the words "正在打开…" where the page will be.
pub fn show(page: impl Future<Output = AnyView> + 'static, lang: Lang) -> AnyView {
    let page = SendWrapper::new(page);
    view! {
        <Suspense fallback=move || view! { <p class="loading">{Shell::Loading.text(lang)}</p> }>
            {Suspend::new(page)}
        </Suspense>
    }
    .into_any()
}
