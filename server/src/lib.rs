//! Linli's server (`linli-server`): the sync API, accounts and sessions, the features' endpoints, and
//! the built app, on SQLite.
//!
//! Layout: `http/` (errors, extractors, static files), `auth/` (passwords, login limit, tokens),
//! `sync/` (push, pull, the single writer), `db.rs` (SQLite), and one folder per feature (`renovation/`,
//! `roster/`, `standards/`, `surveys/`, `volunteers/`). A feature is a folder with a `routes()` function and one `.merge(…)` line in [`app`].
//! [`cli`] is the command line. Tests start the real server with [`spawn`]. Invariant: one server
//! process per database (see `db.rs` and `sync/writer.rs`).

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod http;
pub mod renovation;
pub mod roster;
pub mod standards;
pub mod surveys;
pub mod sync;
pub mod volunteers;

use crate::config::Config;
use crate::db::Db;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::any;
use linli_core::RuleSet;
use std::net::SocketAddr;
use std::ops::Deref;
use std::sync::Arc;

/// Everything the handlers share. Cloning is cheap.
#[derive(Clone)]
pub struct AppState(Arc<StateInner>);

pub struct StateInner {
    pub config: Config,
    pub db: Db,
    pub writer: sync::Writer,
    pub rules: Arc<RuleSet>,
    pub sessions: auth::SessionCache,
    pub limiter: auth::LoginLimiter,
    pub code_limiter: renovation::CodeLimiter,
    /// Ballots per resident login: a few freely, then growing delays (a code's holder cannot flood the
    /// writer; one household changing its mind a few times is never slowed).
    pub ballot_limiter: http::throttle::Throttle,
    /// Volunteers' registrations from their own phones, per address: a community's volunteers at one
    /// meeting join freely, a script filling the register is slowed.
    pub join_limiter: http::throttle::Throttle,
    /// Slots for password hashing (Argon2, 19 MiB each): one per core, at most four.
    pub hashing: crate::auth::HashingSlots,
    /// The address the server listens on, once bound (the default public URL).
    pub bound: std::sync::OnceLock<SocketAddr>,
}

impl Deref for AppState {
    type Target = StateInner;
    fn deref(&self) -> &StateInner {
        &self.0
    }
}

impl AppState {
    /// Opens and migrates the database and starts the sync writer.
    pub fn open(config: Config) -> Result<AppState, db::DbError> {
        let db = Db::open(&config.database)?;
        Ok(Self::with_db(config, db))
    }

    pub fn with_db(config: Config, db: Db) -> AppState {
        // The rule set (national defaults unless LINLI_RULES names another); parsed once, not per operation.
        let rules = Arc::new(config.rules.clone());
        let writer = sync::Writer::start(db.clone(), rules.clone(), config.max_replicas);
        AppState(Arc::new(StateInner {
            config,
            db,
            writer,
            rules,
            sessions: Default::default(),
            limiter: Default::default(),
            code_limiter: Default::default(),
            ballot_limiter: http::throttle::Throttle::new(http::throttle::Policy {
                free: 20,
                base_ms: 1_000,
                max_ms: 5 * 60 * 1000,
                forget_ms: 10 * 60 * 1000,
                max_keys: 100_000,
            }),
            join_limiter: http::throttle::Throttle::new(http::throttle::Policy {
                free: 50,
                base_ms: 1_000,
                max_ms: 5 * 60 * 1000,
                forget_ms: 10 * 60 * 1000,
                max_keys: 100_000,
            }),
            bound: Default::default(),
            hashing: crate::auth::HashingSlots::per_core(),
        }))
    }

    /// The URL residents' links point at: `LINLI_PUBLIC_URL`, else the address listened on. Never taken from
    /// a request's headers (a forged `Host` must not put another site on printed slips).
    pub fn public_url(&self) -> String {
        match &self.config.public_url {
            Some(u) => u.clone(),
            None => format!(
                "http://{}",
                self.bound.get().copied().unwrap_or(self.config.addr)
            ),
        }
    }
}

/// The whole HTTP application: each feature's router merged in one line, then the `/api` fallbacks, the
/// built app for every other path, and the layers every request passes through.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .merge(sync::routes())
        .merge(auth::routes())
        .merge(renovation::routes())
        .merge(volunteers::routes())
        .merge(surveys::routes())
        .merge(standards::routes())
        .route("/api", any(http::error::api_not_found))
        .route("/api/{*rest}", any(http::error::api_not_found))
        // After every route is merged: it applies to the routes present.
        .method_not_allowed_fallback(http::error::method_not_allowed)
        // API answers of 1 KB and more (a pulled page of operations, results) go compressed to a client
        // that accepts it; the app's files are precompressed by `cargo xtask build` (see `http/web.rs`).
        .layer(
            tower_http::compression::CompressionLayer::new().compress_when({
                use tower_http::compression::predicate::{DefaultPredicate, Predicate, SizeAbove};
                DefaultPredicate::new().and(SizeAbove::new(1024))
            }),
        );
    let dist = state.config.dist.clone();
    api.fallback(move |req| http::web::serve_static(dist.clone(), req))
        .layer(axum::middleware::from_fn(
            http::web::no_cache_for_entry_points,
        ))
        .layer(axum::middleware::from_fn(http::error::request_limits))
        .layer(axum::middleware::from_fn(http::web::security_headers))
        .layer(DefaultBodyLimit::max(http::extract::MAX_BODY_BYTES))
        // Never panic on input; if a bug panics anyway, answer 500 `internal` without details.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(http::ApiError::internal(
                "a handler panicked",
            ))
        }))
        .layer(axum::middleware::from_fn(http::error::lang_scope))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// A server running in the background (tests): its address, and a way to stop it.
pub struct Running {
    pub addr: SocketAddr,
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    pub task: tokio::task::JoinHandle<()>,
}

impl Running {
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting requests and waits for the ones in flight.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// Binds `state.config.addr` (port 0 picks one) and serves in a background task.
pub async fn spawn(state: AppState) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(state.config.addr).await?;
    let addr = listener.local_addr()?;
    let _ = state.bound.set(addr);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = app(state.clone());
    let cap =
        http::listen::connection_cap(state.config.max_connections, http::listen::raise_fd_limit());
    let task = tokio::spawn(async move {
        http::listen::serve(listener, router, cap, async {
            let _ = rx.await;
        })
        .await;
    });
    Ok(Running {
        addr,
        state,
        shutdown: Some(tx),
        task,
    })
}
