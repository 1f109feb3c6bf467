//! Linli's server (`linli-server`): the sync API, accounts and sessions, and the built app, on SQLite.
//!
//! [`app`] builds the router from an [`AppState`]; [`cli`] is the command line. Tests start the real
//! server with [`spawn`]. Invariant: one server process per database (see `db.rs` and `writer.rs`).

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod projects;
pub mod voting;
pub mod web;
pub mod writer;

use crate::config::Config;
use crate::db::Db;
use crate::writer::Writer;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{any, get, post};
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
    pub writer: Writer,
    pub rules: Arc<RuleSet>,
    pub sessions: auth::SessionCache,
    pub limiter: auth::LoginLimiter,
    pub code_limiter: voting::CodeLimiter,
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
        // The national default rule set (core/data/rules-default.json); parsed once, not per operation.
        let rules = Arc::new(RuleSet::default());
        let writer = Writer::start(db.clone(), rules.clone());
        AppState(Arc::new(StateInner {
            config,
            db,
            writer,
            rules,
            sessions: Default::default(),
            limiter: Default::default(),
            code_limiter: Default::default(),
        }))
    }
}

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/health", get(api::health))
        .route("/api/auth/login", post(api::login))
        .route("/api/auth/logout", post(api::logout))
        .route("/api/me", get(api::me))
        .route("/api/sync/push", post(api::push))
        .route("/api/sync/pull", get(api::pull))
        .route(
            "/api/projects/{id}/codes",
            post(projects::issue_codes).get(projects::list_codes),
        )
        .route(
            "/api/projects/{id}/codes/{household_id}/revoke",
            post(projects::revoke_code),
        )
        .route(
            "/api/projects/{id}/codes/{household_id}/reissue",
            post(projects::reissue_code),
        )
        .route("/api/projects/{id}/results", get(projects::results))
        .route("/api/projects/{id}/results.csv", get(projects::results_csv))
        .route(
            "/api/projects/{id}/results.xlsx",
            get(projects::results_xlsx),
        )
        .route("/api/vote/login", post(voting::login))
        .route("/api/vote/me", get(voting::me))
        .route("/api/vote/ballot", post(voting::ballot))
        .route("/api/vote/results", get(voting::results))
        .route("/api", any(api::api_not_found))
        .route("/api/{*rest}", any(api::api_not_found))
        .method_not_allowed_fallback(api::method_not_allowed);
    let dist = state.config.dist.clone();
    api.fallback(move |req| web::serve_static(dist.clone(), req))
        .layer(axum::middleware::from_fn(web::no_cache_for_entry_points))
        .layer(DefaultBodyLimit::max(extract::MAX_BODY_BYTES))
        // Never panic on input; if a bug panics anyway, answer 500 `internal` without details.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(error::ApiError::internal(
                "a handler panicked",
            ))
        }))
        .layer(axum::middleware::from_fn(error::lang_scope))
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
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let router = app(state.clone());
    let task = tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            router.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async {
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
