//! The command line: `serve [--demo]` (the default), `admin create-user|create-community|disable-user|revoke-sessions`,
//! and `rules`.
//! Every subcommand reads the same environment (see `config.rs`), so `admin` acts on the database `serve` uses.

use crate::auth::{self, MIN_PASSWORD_CHARS};
use crate::clock::now_ms;
use crate::config::Config;
use crate::db::{self, Db};
use crate::roster::demo;
use crate::{AppState, app};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{BufRead, Read, Write};
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "linli-server",
    version,
    about = "Linli (邻里) server: sync API, accounts, and the app"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the API and the built app on LINLI_ADDR (the default command).
    Serve {
        /// Insert a sample compound (幸福里小区) if the community has none yet.
        #[arg(long)]
        demo: bool,
    },
    /// Manage communities and accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Read one embedding-API request (JSON) from standard input and print the answer.
    Rules,
}

#[derive(Subcommand, Debug)]
pub enum AdminCommand {
    /// Create an account; the password is read from the first line of standard input.
    CreateUser {
        #[arg(long)]
        username: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long)]
        community: String,
    },
    /// Disable an account: it cannot log in, and its sessions end (within seconds in a running server).
    DisableUser {
        #[arg(long)]
        username: String,
    },
    /// End every session of an account (its devices must log in again; unsent changes stay on them).
    RevokeSessions {
        #[arg(long)]
        username: String,
    },
    /// Let an account read another community's standards self-check beside its own (RULES H1: the
    /// sub-district's staff are granted each community of the sub-district).
    GrantCommunity {
        #[arg(long)]
        username: String,
        #[arg(long)]
        community: String,
    },
    /// Take back a grant of `grant-community`.
    RevokeCommunity {
        #[arg(long)]
        username: String,
        #[arg(long)]
        community: String,
    },
    /// Create a community.
    CreateCommunity {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Staff,
    Admin,
}

impl RoleArg {
    fn as_str(self) -> &'static str {
        match self {
            RoleArg::Staff => "staff",
            RoleArg::Admin => "admin",
        }
    }
}

/// The `linli-server` program.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("linli-server: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => serve_main(config, demo),
        Command::Admin { command } => admin(&config, command, &mut std::io::stdin().lock()),
        Command::Rules => rules(&mut std::io::stdin().lock(), &mut std::io::stdout().lock()),
    }
}

fn init_tracing() {
    let mut filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,tower_http=warn"));
    // The PostgreSQL driver logs every statement's parameters (names, phones) at debug level: never, at
    // any RUST_LOG.
    for quiet in ["tokio_postgres=info", "postgres=info"] {
        if let Ok(d) = quiet.parse() {
            filter = filter.add_directive(d);
        }
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("linli-server: {msg}");
    ExitCode::FAILURE
}

/// `rules`: `linli_core::embed::handle` on standard input.
pub fn rules(input: &mut dyn Read, output: &mut dyn Write) -> ExitCode {
    let mut request = String::new();
    if let Err(e) = input.read_to_string(&mut request) {
        return fail(format!("cannot read standard input: {e}"));
    }
    let response = linli_core::embed::handle(&request);
    match writeln!(output, "{response}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// `admin …`, reading a password (when needed) from `input`.
pub fn admin(config: &Config, command: AdminCommand, input: &mut dyn BufRead) -> ExitCode {
    let db = match Db::open(&config.database) {
        Ok(db) => db,
        Err(e) => return fail(e),
    };
    match command {
        AdminCommand::CreateCommunity { id, name } => {
            let (id, name) = (id.trim(), name.trim());
            if id.is_empty() || name.is_empty() {
                return fail("the community id and name must not be empty");
            }
            match db.write(|c| db::create_community(c, id, name)) {
                Ok(true) => {
                    println!("Created community {id} ({name}).");
                    ExitCode::SUCCESS
                }
                Ok(false) => fail(format!("community {id} exists already")),
                Err(e) => fail(e),
            }
        }
        AdminCommand::GrantCommunity {
            username,
            community,
        } => grant(&db, &username, &community, false),
        AdminCommand::RevokeCommunity {
            username,
            community,
        } => grant(&db, &username, &community, true),
        AdminCommand::DisableUser { username } => revoke(&db, &username, true),
        AdminCommand::RevokeSessions { username } => revoke(&db, &username, false),
        AdminCommand::CreateUser {
            username,
            role,
            community,
        } => {
            let username = username.trim();
            if username.is_empty()
                || username.chars().count() > 64
                || username.chars().any(char::is_whitespace)
                || username.contains(':')
            {
                // `:` marks a volunteer's own phone as author (`volunteer:<id>`), never an account.
                return fail("the username must be 1–64 characters without spaces or ':'");
            }
            if crate::auth::RESERVED_USERNAMES.contains(&username.to_lowercase().as_str()) {
                return fail(format!(
                    "the username {username} is reserved (residents' ballots are recorded under it)"
                ));
            }
            let community = community.trim();
            if community.is_empty() {
                return fail("the community must not be empty");
            }
            let mut line = String::new();
            if let Err(e) = input.read_line(&mut line) {
                return fail(format!("cannot read the password from standard input: {e}"));
            }
            let password = line.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                return fail("no password given: type it on the first line of standard input");
            }
            if password.chars().count() < MIN_PASSWORD_CHARS {
                return fail(format!(
                    "the password is too short: at least {MIN_PASSWORD_CHARS} characters"
                ));
            }
            let hash = match auth::hash_password(password) {
                Ok(h) => h,
                Err(e) => return fail(e),
            };
            let result = db.transaction(|tx| {
                if db::user_by_name(tx, username)?.is_some() {
                    return Ok(Err(format!("the username {username} is taken")));
                }
                let created = db::create_community(tx, community, community)?;
                if !db::create_user(
                    tx,
                    username,
                    &hash,
                    role.as_str(),
                    community,
                    now_ms() as i64,
                )? {
                    return Ok(Err(format!("the username {username} is taken")));
                }
                Ok(Ok(created))
            });
            match result {
                Ok(Ok(created)) => {
                    if created {
                        println!(
                            "Community {community} did not exist; created it with the name {community}."
                        );
                    }
                    println!(
                        "Created {} account {username} in community {community}.",
                        role.as_str()
                    );
                    ExitCode::SUCCESS
                }
                Ok(Err(msg)) => fail(msg),
                Err(e) => fail(e),
            }
        }
    }
}

/// `admin grant-community` and `admin revoke-community`.
fn grant(db: &Db, username: &str, community: &str, revoke: bool) -> ExitCode {
    let (username, community) = (username.trim(), community.trim());
    match db.write(|c| db::grant_community(c, username, community, revoke, now_ms() as i64)) {
        Ok(db::Granted::Done) if revoke => {
            println!("{username} no longer reads community {community}.");
            ExitCode::SUCCESS
        }
        Ok(db::Granted::Done) => {
            println!("{username} may now read community {community}'s self-check.");
            ExitCode::SUCCESS
        }
        Ok(db::Granted::Already) if revoke => {
            fail(format!("{username} had no grant for community {community}"))
        }
        Ok(db::Granted::Already) => {
            println!("{username} already reads community {community}.");
            ExitCode::SUCCESS
        }
        Ok(db::Granted::NoSuchUser) => fail(format!("there is no account named {username}")),
        Ok(db::Granted::NoSuchCommunity) => fail(format!("there is no community {community}")),
        Err(e) => fail(e),
    }
}

/// `admin disable-user` and `admin revoke-sessions`.
fn revoke(db: &Db, username: &str, disable: bool) -> ExitCode {
    match db.write(|c| db::revoke_user(c, username.trim(), disable, now_ms() as i64)) {
        Ok(true) if disable => {
            println!("Disabled account {username}; its sessions are ended.");
            ExitCode::SUCCESS
        }
        Ok(true) => {
            println!("Ended every session of {username}.");
            ExitCode::SUCCESS
        }
        Ok(false) => fail(format!("there is no account named {username}")),
        Err(e) => fail(e),
    }
}

/// On an empty database (no accounts): creates the first community and the `admin` account.
/// Returns the message to print once, or `None` when there were accounts already.
pub fn first_start(state: &AppState, url: &str) -> Result<Option<String>, String> {
    let c = &state.config;
    if state.db.read(db::user_count).map_err(|e| e.to_string())? > 0 {
        return Ok(None);
    }
    let (password, shown) = match &c.admin_password {
        Some(p) => (
            p.clone(),
            "the password from LINLI_ADMIN_PASSWORD".to_string(),
        ),
        None => {
            let p = auth::generate_password();
            (p.clone(), format!("password {p}  (shown only this once)"))
        }
    };
    let hash = auth::hash_password(&password)?;
    // Two processes starting at once on an empty PostgreSQL: one creates the admin, the other finds
    // the name taken and says nothing.
    let created = state
        .db
        .transaction(|tx| {
            db::create_community(tx, &c.community, &c.community_name)?;
            Ok(Ok::<_, ()>(db::create_user(
                tx,
                "admin",
                &hash,
                "admin",
                &c.community,
                now_ms() as i64,
            )?))
        })
        .map_err(|e| e.to_string())?;
    if created != Ok(true) {
        return Ok(None);
    }
    Ok(Some(format!(
        "First start: created community {} ({}) and the admin account.\nLog in at {url} as admin with {shown}.",
        c.community, c.community_name
    )))
}

/// `serve`: runs until Ctrl-C or SIGTERM.
pub fn serve_main(config: Config, demo: bool) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(e),
    };
    match runtime.block_on(serve(config, demo)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Opens the database, binds, prepares first-start and demo data, prints the address and serves.
pub async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let state = AppState::open(config).map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(state.config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", state.config.addr))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let _ = state.bound.set(addr);
    let url = format!("http://{addr}/");
    let st = state.clone();
    let u = url.clone();
    if let Some(msg) = tokio::task::spawn_blocking(move || first_start(&st, &u))
        .await
        .map_err(|e| e.to_string())??
    {
        println!("{msg}");
    }
    if demo {
        match demo::insert_demo(&state).await {
            Ok(0) => println!(
                "Demo: community {} has a compound already; nothing added.",
                state.config.community
            ),
            Ok(n) => println!(
                "Demo: added 幸福里小区 ({n} operations) to community {}.",
                state.config.community
            ),
            Err(e) => return Err(format!("demo data: {e}")),
        }
    }
    println!("Linli is running at {url}");
    let _ = std::io::stdout().flush();
    let cap = crate::http::listen::connection_cap(
        state.config.max_connections,
        crate::http::listen::raise_fd_limit(),
    );
    crate::http::listen::serve(listener, app(state), cap, shutdown_signal()).await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    tracing::info!("shutting down");
}
