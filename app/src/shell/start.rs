//! How the staff app starts (issue 8): a phone nobody is logged in on gets only the login page — the shell,
//! the store's opening, the router and the login call, which is the main module — and the logged-in app (the
//! loaded store, the sync client, the route table with the roster, the status bar, `window.linli`'s bodies)
//! is the chunk `staff`, fetched when someone logs in, or at once when the phone keeps a session.
//!
//! Measured with `cargo xtask build`: the main module went from 1,218 KB (362 KB brotli) to 398 KB (126 KB).

use crate::data::exports::Export;
use crate::data::model::Local;
use crate::data::state::{self, LoginError};
use crate::data::store::{Db, StoreError};
use crate::shell::chunk::Loaded;
use crate::shell::login::LoginPage;
use crate::shell::router::{self, Route};
use crate::shell::strings::Shell;
use leptos::prelude::GetUntracked;
use linli_core::Lang;
use linli_core::protocol::LoginResponse;
use std::any::Any;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;

/// Work done in the `staff` chunk, handed back to the main module to await.
type Later<T> = Pin<Box<dyn Future<Output = T>>>;

thread_local! {
    /// The login page mounted alone (a phone nobody is logged in on); dropped, it unmounts.
    static LOGIN_ALONE: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
    /// Whether the logged-in app's chunk has been asked for (by [`open`]).
    static OPENING: Cell<bool> = const { Cell::new(false) };
    /// Whether the logged-in app is mounted.
    static APP_MOUNTED: Cell<bool> = const { Cell::new(false) };
    /// Where the app is mounted (`#app`, else the body), chosen once at start.
    static ROOT: RefCell<Option<web_sys::HtmlElement>> = const { RefCell::new(None) };
}

/// Starts the staff app on an opened store: the login page alone when nobody is logged in here, else the
/// logged-in app (its chunk first). Returns once the page can be used.
pub async fn start(db: Db, root: Option<web_sys::HtmlElement>) -> Result<(), StoreError> {
    let meta = db.meta().await?;
    let lang = meta.lang.unwrap_or_default();
    let logged_in = meta.session.is_some();
    state::install(
        db,
        Local {
            lang,
            session: meta.session,
            session_expired: meta.session_expired,
            rules: meta.rules,
            ..Local::default()
        },
    );
    crate::shell::i18n::set_html_lang(lang);
    router::install();
    let Some(root) = root.or_else(|| {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.body())
    }) else {
        return Ok(());
    };
    ROOT.with(|r| *r.borrow_mut() = Some(root.clone()));
    if logged_in || public(&router::route().get_untracked()) {
        open(root).await
    } else {
        root.set_inner_html("");
        let handle = leptos::mount::mount_to(root.clone(), move || {
            use leptos::prelude::*;
            let ui = state::ui().expect("state installed");
            move || {
                let lang = ui.lang.get();
                // A page anyone may open (a volunteer's join link, a certificate's check) is the app's.
                if public(&router::route().get()) {
                    let root = root.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let _ = open(root).await;
                    });
                    return view! { <p class="loading">{Shell::Loading.text(lang)}</p> }.into_any();
                }
                view! {
                    <nav class="top">
                        <a class="brand" href="/">{Shell::AppName.text(lang)}</a>
                    </nav>
                    <main><LoginPage lang=lang /></main>
                }
                .into_any()
            }
        });
        LOGIN_ALONE.with(|l| *l.borrow_mut() = Some(Box::new(handle)));
        Ok(())
    }
}

/// The pages a phone nobody is logged in on may open besides the login page (the app's route table says
/// what they show).
fn public(route: &Route) -> bool {
    matches!(route, Route::Verify | Route::Join(_) | Route::Vote(_))
}

/// Fetches the logged-in app's chunk and mounts the app; a chunk that cannot be fetched is said in place.
async fn open(root: web_sys::HtmlElement) -> Result<(), StoreError> {
    if OPENING.replace(true) {
        return Ok(());
    }
    match run(Job::Open(root.clone())).await {
        Ok(done) => match done.await {
            Done::Opened(r) => r,
            _ => Ok(()),
        },
        Err(_) => {
            OPENING.set(false);
            not_on_phone(&root, state::lang());
            Ok(())
        }
    }
}

/// Logs in (the server's answer here; keeping it, and the app, in the `staff` chunk).
pub async fn log_in(username: String, password: String) -> Result<(), LoginError> {
    let resp = state::login_request(username, password).await?;
    match run(Job::Login(resp)).await {
        Ok(done) => match done.await {
            Done::LoggedIn(r) => r,
            _ => Ok(()),
        },
        // The chunk could not be fetched: the network went between the two.
        Err(_) => Err(LoginError::Api(crate::data::net::ApiError::Network)),
    }
}

/// The chunk of the logged-in app could not be fetched (offline, and the service worker had not kept it):
/// said in place, with a button that loads the page again.
fn not_on_phone(root: &web_sys::HtmlElement, lang: Lang) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    root.set_inner_html("");
    let (Ok(p), Ok(b)) = (doc.create_element("p"), doc.create_element("button")) else {
        return;
    };
    p.set_class_name("notice");
    p.set_attribute("role", "alert").ok();
    p.set_text_content(Some(Shell::PageNotOnPhone.text(lang)));
    b.set_class_name("btn primary wide");
    b.set_attribute("onclick", "location.reload()").ok();
    b.set_text_content(Some(Shell::TryAgain.text(lang)));
    root.append_child(&p).ok();
    root.append_child(&b).ok();
}

/// What the main module asks of the logged-in app's chunk: one split point for all of it, so wasm-split
/// cuts no extra shared chunks between several.
pub enum Job {
    /// Load the store and mount the app on this phone's session.
    Open(web_sys::HtmlElement),
    /// Keep a login the server has answered, and mount the app if only the login page was.
    Login(LoginResponse),
    /// Run an export of `window.linli` (its body is in `data::exports`).
    Export(Export),
}

/// What a [`Job`] came to.
pub enum Done {
    Opened(Result<(), StoreError>),
    LoggedIn(Result<(), LoginError>),
    Exported(js_sys::Promise),
}

crate::split!(
    staff,
    /// Runs `job` in the chunk of the logged-in app; the returned future is the job's work.
    pub fn run(job: Job) -> Loaded<Later<Done>> {
        Ok(match job {
            Job::Open(root) => {
                Box::pin(
                    async move { Done::Opened(state::reload().await.map(|()| mount_app(root))) },
                )
            }
            Job::Login(resp) => Box::pin(async move { Done::LoggedIn(finish_login(resp).await) }),
            Job::Export(export) => {
                let promise = crate::data::exports::run(export);
                Box::pin(async move { Done::Exported(promise) })
            }
        })
    }
);

/// Keeps a login the server has answered, and mounts the logged-in app if only the login page was.
async fn finish_login(resp: LoginResponse) -> Result<(), LoginError> {
    state::finish_login(resp).await?;
    if let Some(root) = ROOT.with(|r| r.borrow().clone()) {
        mount_app(root);
    }
    Ok(())
}

/// Mounts the logged-in app in place of the login page, and starts the sync client (once).
fn mount_app(root: web_sys::HtmlElement) {
    if APP_MOUNTED.get() {
        return;
    }
    LOGIN_ALONE.with(|l| drop(l.borrow_mut().take()));
    root.set_inner_html("");
    leptos::mount::mount_to(root, crate::shell::app::App).forget();
    APP_MOUNTED.set(true);
    crate::data::sync::start();
    if state::with(|l| l.session.is_some()) {
        state::request_persistence();
    }
}

/// `window.linli`: each export fetches the chunk of the logged-in app (once) and awaits its body there.
pub mod exports {
    use super::{Done, Job, run};
    use crate::data::exports::Export;
    use wasm_bindgen::prelude::*;

    async fn call(export: Export) -> Result<JsValue, JsValue> {
        let done = run(Job::Export(export)).await.map_err(|_| {
            JsValue::from(js_sys::Error::new("the app's chunk could not be fetched"))
        })?;
        match done.await {
            Done::Exported(promise) => wasm_bindgen_futures::JsFuture::from(promise).await,
            _ => Err(js_sys::Error::new("not an export").into()),
        }
    }

    /// Runs one full sync; resolves with `{pushed, pulled, rejected, push_ms, pull_ms}`.
    #[wasm_bindgen]
    pub async fn sync_now() -> Result<JsValue, JsValue> {
        call(Export::SyncNow).await
    }

    /// Folds the store's pages of confirmed operations into one snapshot of records.
    #[wasm_bindgen]
    pub async fn compact_store() -> Result<(), JsValue> {
        call(Export::CompactStore).await.map(drop)
    }

    /// Changes waiting to be sent (status pending), read from IndexedDB.
    #[wasm_bindgen]
    pub async fn pending_count() -> Result<u32, JsValue> {
        Ok(call(Export::PendingCount).await?.as_f64().unwrap_or(0.0) as u32)
    }

    /// Turns the automatic syncs on or off for this page.
    #[wasm_bindgen]
    pub async fn set_auto_sync(on: bool) -> Result<(), JsValue> {
        call(Export::SetAutoSync(on)).await.map(drop)
    }

    /// Times `n` local saves (record + outbox, strict); resolves with their milliseconds.
    #[wasm_bindgen]
    pub async fn bench_local_save(n: u32) -> Result<JsValue, JsValue> {
        call(Export::BenchLocalSave(n)).await
    }

    /// Queues `n` households in the outbox, in batches, without syncing.
    #[wasm_bindgen]
    pub async fn bench_fill_outbox(n: u32) -> Result<(), JsValue> {
        call(Export::BenchFillOutbox(n)).await.map(drop)
    }

    /// Times the pull of everything into an empty device; resolves with `{ms, ops, total_ms}`.
    #[wasm_bindgen]
    pub async fn bench_pull_fresh() -> Result<JsValue, JsValue> {
        call(Export::BenchPullFresh).await
    }
}
