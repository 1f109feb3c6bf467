//! End-to-end tests of the Linli server: the real router on a free port with a temporary SQLite
//! database, spoken to over HTTP; and the real binary as a child process (CLI, kill -9 durability).

#[path = "server/api.rs"]
mod api;
#[path = "server/cli.rs"]
mod cli;
#[path = "server/durability.rs"]
mod durability;
#[path = "server/malformed.rs"]
mod malformed;
#[path = "server/migrations.rs"]
mod migrations;
#[path = "server/processes.rs"]
mod processes;
#[path = "server/renovation.rs"]
mod renovation;
#[path = "server/scale.rs"]
mod scale;
#[path = "server/standards.rs"]
mod standards;
#[path = "server/surveys.rs"]
mod surveys;
#[path = "server/sync.rs"]
mod sync;
#[path = "server/volunteers.rs"]
mod volunteers;

use linli_server::config::{Config, Database};
use linli_server::{AppState, Running};
use linli_tests::Client;
use serde_json::Value;
use tempfile::TempDir;

/// The real binary at `RUST_LOG=trace` (as an operator chasing a problem would run it), its stdout and
/// stderr collected, for the tests that no personal data reaches the logs.
pub struct TracedServer {
    pub url: String,
    pub http: reqwest::Client,
    child: tokio::process::Child,
    readers: Vec<tokio::task::JoinHandle<()>>,
    rx: tokio::sync::mpsc::UnboundedReceiver<Vec<u8>>,
    logs: Vec<u8>,
    _dir: TempDir,
}

impl TracedServer {
    /// The admin's password on a traced server.
    pub const ADMIN_PASSWORD: &str = "logs-secret-pw";

    /// Starts the binary and waits until it says where it listens.
    pub async fn start() -> TracedServer {
        use std::process::Stdio;
        use tokio::io::AsyncReadExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("linli.db");
        let mut child = tokio::process::Command::new(cli::BIN)
            .arg("serve")
            .env("LINLI_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", linli_tests::database_url(&db))
            .env("LINLI_ADMIN_PASSWORD", Self::ADMIN_PASSWORD)
            .env("LINLI_DIST", dir.path().join("no-dist"))
            .env("RUST_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Vec<u8>>();
        let out: Box<dyn tokio::io::AsyncRead + Unpin + Send> =
            Box::new(child.stdout.take().unwrap());
        let err: Box<dyn tokio::io::AsyncRead + Unpin + Send> =
            Box::new(child.stderr.take().unwrap());
        let mut readers = Vec::new();
        for mut pipe in [out, err] {
            let tx = tx.clone();
            readers.push(tokio::spawn(async move {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf).await {
                    if n == 0 {
                        break;
                    }
                    let _ = tx.send(buf[..n].to_vec());
                }
            }));
        }
        drop(tx);
        let mut logs = Vec::new();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(30);
        let url = loop {
            let chunk = tokio::time::timeout_at(deadline, rx.recv())
                .await
                .expect("server start")
                .unwrap();
            logs.extend(chunk);
            let text = String::from_utf8_lossy(&logs);
            if let Some(i) = text.find("Linli is running at ") {
                let rest = &text[i + "Linli is running at ".len()..];
                if let Some(end) = rest.find('\n') {
                    break rest[..end].trim().trim_end_matches('/').to_string();
                }
            }
        };
        TracedServer {
            url,
            http: reqwest::Client::new(),
            child,
            readers,
            rx,
            logs,
            _dir: dir,
        }
    }

    /// The admin, logged in.
    pub async fn admin(&self) -> Client {
        Client::login(&self.http, &self.url, "admin", Self::ADMIN_PASSWORD)
            .await
            .unwrap()
    }

    /// Stops the server and returns everything it logged.
    pub async fn stop(mut self) -> String {
        self.child.kill().await.unwrap();
        let _ = self.child.wait().await;
        for r in self.readers.drain(..) {
            let _ = r.await;
        }
        while let Ok(chunk) = self.rx.try_recv() {
            self.logs.extend(chunk);
        }
        String::from_utf8_lossy(&self.logs).into_owned()
    }
}

/// A server on a free port, with its database in a temporary directory.
pub struct TestServer {
    pub url: String,
    pub running: Running,
    pub dir: TempDir,
    pub http: reqwest::Client,
}

pub const COMMUNITY: &str = "c1";

/// The database of a test server whose data lives at `path`: a SQLite file, or a fresh PostgreSQL
/// database when the tests run on PostgreSQL (`LINLI_TEST_POSTGRES`).
pub fn test_database(path: &std::path::Path) -> Database {
    linli_server::config::parse_database_url(&linli_tests::database_url(path)).unwrap()
}

/// Opens the server's state (on a thread of its own: opening PostgreSQL blocks).
pub fn open_state(config: Config) -> AppState {
    linli_tests::off_runtime(|| AppState::open(config).unwrap())
}

pub fn password(username: &str) -> String {
    format!("pw-{username}-secret")
}

pub async fn start() -> TestServer {
    start_with(|_| {}).await
}

pub async fn start_with(edit: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(test_database(&dir.path().join("linli.db")));
    config.dist = dir.path().join("dist");
    config.community = COMMUNITY.into();
    edit(&mut config);
    let state = open_state(config);
    let running = linli_server::spawn(state).await.unwrap();
    let ts = TestServer {
        url: running.url(),
        running,
        dir,
        http: reqwest::Client::new(),
    };
    ts.add_user("alice", "staff", COMMUNITY);
    ts
}

impl TestServer {
    /// Creates an account directly in the database (password [`password`]`(username)`).
    pub fn add_user(&self, username: &str, role: &str, community: &str) {
        let hash = linli_server::auth::hash_password(&password(username)).unwrap();
        linli_tests::off_runtime(|| {
            self.running
                .state
                .db
                .write(|c| {
                    linli_server::db::create_community(c, community, &format!("社区 {community}"))?;
                    assert!(linli_server::db::create_user(
                        c, username, &hash, role, community, 0
                    )?);
                    Ok(())
                })
                .unwrap()
        });
    }

    pub async fn client(&self, username: &str) -> Client {
        Client::login(&self.http, &self.url, username, &password(username))
            .await
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.url)
    }
}

/// Status and JSON body of a response.
pub async fn status_json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
    )
}

/// Asserts a JSON error answer: status, code and (when given) field.
pub fn assert_error(got: &(u16, Value), status: u16, code: &str, field: Option<&str>) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["error"]["code"], code, "{}", got.1);
    assert!(
        got.1["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        got.1
    );
    match field {
        Some(f) => assert_eq!(got.1["error"]["field"], f, "{}", got.1),
        None => assert!(got.1["error"].get("field").is_none(), "{}", got.1),
    }
}

/// The shared strings of an XLSX file (where its text cells are), read from the zip: what an export's
/// test searches for words and numbers.
pub fn xlsx_text(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    zip.by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}
