//! A feature's pages as a lazily loaded Wasm chunk (issue 8): each feature has one split function
//! (`renovation::page`, `volunteers::page`, …, marked with [`split!`]) that `cargo xtask build` cuts into a
//! chunk of its own with wasm-split, fetched the first time one of its pages opens (and precached by the
//! service worker after the first load, so every page opens offline). The main module is the login page
//! and what it needs; the logged-in app is a chunk too (`shell::start`).

use crate::shell::strings::Shell;
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use linli_core::Lang;
use send_wrapper::SendWrapper;
use std::future::Future;

/// What a split function returns: its view, or the chunk could not be fetched (offline before the service
/// worker kept it).
pub type Loaded<T> = Result<T, SplitLoaderError>;

/// Marks a function as a split point: its body and everything only it reaches go to a Wasm chunk of their
/// own, fetched at its first call (`fallible`: a failed fetch is an `Err`, never a panic, and the next call
/// fetches again). `$chunk` names the chunk's file.
#[macro_export]
macro_rules! split {
    ($chunk:ident, $item:item) => {
        #[::leptos::wasm_split::wasm_split($chunk, wasm_split_path = ::leptos::wasm_split, fallible)]
        $item
    };
}

/// The view a split function returns, shown when its chunk has loaded (at once when it already has); until
/// then "正在打开…" where the page will be. A chunk that cannot be fetched says so, with a button to try
/// again (nothing is lost: the data is on the phone; only the page's code is missing).
pub fn show<Fut>(load: impl Fn() -> Fut + Send + Sync + 'static, lang: Lang) -> AnyView
where
    Fut: Future<Output = Loaded<AnyView>> + 'static,
{
    let attempt = RwSignal::new(0u32);
    (move || {
        attempt.track();
        let page = SendWrapper::new(load());
        view! {
            <Suspense fallback=move || view! { <p class="loading">{Shell::Loading.text(lang)}</p> }>
                {Suspend::new(async move {
                    match page.await {
                        Ok(view) => view,
                        Err(_) => view! {
                            <section class="page" data-testid="chunk-failed">
                                <p class="notice" role="alert">{Shell::PageNotOnPhone.text(lang)}</p>
                                <button type="button" class="btn primary wide" on:click=move |_| attempt.update(|n| *n += 1)>
                                    {Shell::TryAgain.text(lang)}
                                </button>
                            </section>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        }
    })
    .into_any()
}
