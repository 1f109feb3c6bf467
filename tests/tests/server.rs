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
#[path = "server/renovation.rs"]
mod renovation;
#[path = "server/scale.rs"]
mod scale;
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

/// A server on a free port, with its database in a temporary directory.
pub struct TestServer {
    pub url: String,
    pub running: Running,
    pub dir: TempDir,
    pub http: reqwest::Client,
}

pub const COMMUNITY: &str = "c1";

pub fn password(username: &str) -> String {
    format!("pw-{username}-secret")
}

pub async fn start() -> TestServer {
    start_with(|_| {}).await
}

pub async fn start_with(edit: impl FnOnce(&mut Config)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(Database::Sqlite(dir.path().join("linli.db")));
    config.dist = dir.path().join("dist");
    config.community = COMMUNITY.into();
    edit(&mut config);
    let state = AppState::open(config).unwrap();
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
        let conn = self.running.state.db.writer();
        linli_server::db::create_community(&conn, community, &format!("社区 {community}")).unwrap();
        assert!(linli_server::db::create_user(&conn, username, &hash, role, community, 0).unwrap());
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
