//! The database: SQLite (embedded, the default) or PostgreSQL (`postgres://` in `DATABASE_URL`), one
//! interface for both — opening, versioned migrations, connections, and a small query layer ([`Conn`],
//! [`Arg`], [`Row`]) so each feature's `repo.rs` keeps one body of SQL where the dialects agree.
//!
//! SQL is written once, in SQLite's form with numbered parameters (`?1`, `?2`); on PostgreSQL it is
//! rewritten mechanically to `$1`, `$2` ([`pg::placeholders`]) and prepared once per connection. Where
//! the dialects differ (the sync writer's hot path, `seq`), the code matches on [`Backend`].
//!
//! SQLite: one writer connection and a pool of readers; one server process per file. PostgreSQL: a pool
//! of connections, any number of server processes on one database (see `sync/writer.rs` for how writers
//! are serialised per community, and ARCHITECTURE.md "Several processes, one database").

pub mod pg;

use crate::config::Database;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The SQLite migrations, in order; number N sets `PRAGMA user_version = N`. PostgreSQL's are in
/// [`pg::MIGRATIONS`], numbered alike: schema version N means the same tables on both backends.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_voting_codes.sql")),
    (3, include_str!("../migrations/0003_disabled_users.sql")),
    (4, include_str!("../migrations/0004_last_contact.sql")),
    (5, include_str!("../migrations/0005_volunteers.sql")),
    (6, include_str!("../migrations/0006_volunteer_sessions.sql")),
    (7, include_str!("../migrations/0007_standards_evidence.sql")),
    (8, include_str!("../migrations/0008_community_grants.sql")),
];

/// The schema version this build expects.
pub fn schema_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

/// Which store a [`Db`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] postgres::Error),
    /// The database cannot be reached (connection refused or lost) after the retries: answered 503.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// A stored value of an unexpected type or shape.
    #[error("column {0}: {1}")]
    Column(usize, String),
    #[error("cannot create the database directory {0}: {1}")]
    CreateDir(PathBuf, std::io::Error),
    #[error(
        "the database has schema version {found}, newer than this build's {known}; use a newer linli-server"
    )]
    TooNew { found: u32, known: u32 },
}

impl DbError {
    /// Whether the error says the database could not be reached (rather than that a statement failed).
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Unavailable(_) => true,
            DbError::Postgres(e) => pg::is_connection_error(e),
            _ => false,
        }
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// A handle on the database. Cloning is cheap.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

enum Inner {
    Sqlite(Sqlite),
    Postgres(pg::Pool),
}

struct Sqlite {
    /// `None` for an in-memory database, whose only connection is the writer.
    path: Option<PathBuf>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    /// Wakes the checkpointer thread (file databases): a write is under way.
    checkpoint: Option<std::sync::mpsc::SyncSender<()>>,
}

impl Sqlite {
    /// The writer connection, locked; the checkpointer is told a write is coming.
    fn writer(&self) -> MutexGuard<'_, Connection> {
        let guard = lock(&self.writer);
        if let Some(tx) = &self.checkpoint {
            // Full: a wake-up is pending already.
            let _ = tx.try_send(());
        }
        guard
    }
}

/// How long the checkpointer waits after a write before it copies the log into the database file, so
/// that one checkpoint covers the writes of a busy moment.
const CHECKPOINT_DELAY: Duration = Duration::from_millis(100);

/// The write-ahead log's size, in pages, at which the writer connection checkpoints by itself: only if
/// the checkpointer thread has fallen far behind (SQLite's default is 1,000).
const WRITER_CHECKPOINT_PAGES: i64 = 20_000;

/// Copies the write-ahead log into the database file on a thread of its own (`PRAGMA
/// wal_checkpoint(PASSIVE)`, which never blocks the writer), shortly after writes; SQLite would
/// otherwise do it inside a commit of the writer connection, on the sync writer's thread, every 1,000
/// pages. Ends when the database handle is dropped.
fn start_checkpointer(path: &Path) -> Result<std::sync::mpsc::SyncSender<()>, DbError> {
    let conn = Connection::open(path)?;
    configure(&conn, false)?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
    std::thread::Builder::new()
        .name("linli-checkpoint".into())
        .spawn(move || {
            while rx.recv().is_ok() {
                std::thread::sleep(CHECKPOINT_DELAY);
                while rx.try_recv().is_ok() {}
                if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
                    tracing::warn!(error = %e, "checkpoint failed; the next one tries again");
                }
            }
        })
        .map_err(|e| DbError::Unavailable(format!("starting the checkpointer: {e}")))?;
    Ok(tx)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock cannot leave a SQLite connection in a state worse than a failed
    // statement, so a poisoned lock is still used.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn configure(conn: &Connection, writer: bool) -> rusqlite::Result<()> {
    conn.busy_timeout(Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if writer {
        // WAL: readers do not block the writer. FULL: a commit is on disk before it returns (DESIGN "No write is ever lost").
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // A larger page cache keeps the indexes a push touches in memory (64 MiB; the default is 2 MiB).
        conn.pragma_update(None, "cache_size", -65536)?;
    } else {
        conn.pragma_update(None, "cache_size", -16384)?;
    }
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// Applies every SQLite migration newer than the database's `user_version`, each in its own
/// transaction. Returns how many were applied.
pub fn migrate(conn: &mut Connection) -> Result<usize, DbError> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = schema_version();
    if found > known {
        return Err(DbError::TooNew { found, known });
    }
    let mut applied = 0;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
        applied += 1;
    }
    Ok(applied)
}

impl Db {
    /// Opens (creating if needed) and migrates the database. A PostgreSQL server that does not answer
    /// is tried again with back-off for up to [`pg::START_PATIENCE`].
    pub fn open(database: &Database) -> Result<Db, DbError> {
        let (path, mut writer) = match database {
            Database::Postgres(url) => {
                // On a thread of its own: the synchronous client runs its own small runtime, which may
                // not start on a thread already inside tokio's (a test's, or `serve`'s).
                let pool = std::thread::scope(|s| {
                    s.spawn(|| pg::Pool::open(url)).join().unwrap_or_else(|_| {
                        Err(DbError::Unavailable("panic while connecting".into()))
                    })
                })?;
                return Ok(Db {
                    inner: Arc::new(Inner::Postgres(pool)),
                });
            }
            Database::Memory => (None, Connection::open_in_memory()?),
            Database::Sqlite(path) => {
                if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)
                        .map_err(|e| DbError::CreateDir(dir.to_path_buf(), e))?;
                }
                (Some(path.clone()), Connection::open(path)?)
            }
        };
        configure(&writer, true)?;
        migrate(&mut writer)?;
        let checkpoint = match &path {
            Some(p) => {
                writer.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
                Some(start_checkpointer(p)?)
            }
            None => None,
        };
        Ok(Db {
            inner: Arc::new(Inner::Sqlite(Sqlite {
                path,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
                checkpoint,
            })),
        })
    }

    pub fn backend(&self) -> Backend {
        match &*self.inner {
            Inner::Sqlite(_) => Backend::Sqlite,
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite file, if any.
    pub fn path(&self) -> Option<&Path> {
        match &*self.inner {
            Inner::Sqlite(s) => s.path.as_deref(),
            Inner::Postgres(_) => None,
        }
    }

    /// SQLite's writer connection (`None` on PostgreSQL). Hold it briefly: the sync writer needs it for
    /// every batch.
    pub fn sqlite_writer(&self) -> Option<MutexGuard<'_, Connection>> {
        match &*self.inner {
            Inner::Sqlite(s) => Some(s.writer()),
            Inner::Postgres(_) => None,
        }
    }

    /// PostgreSQL's pool (`None` on SQLite).
    pub fn pg(&self) -> Option<&pg::Pool> {
        match &*self.inner {
            Inner::Sqlite(_) => None,
            Inner::Postgres(p) => Some(p),
        }
    }

    /// Runs `f` on SQLite's read connection (blocking; call from a blocking thread).
    fn sqlite_read<T>(s: &Sqlite, f: impl FnOnce(&Connection) -> DbResult<T>) -> DbResult<T> {
        let Some(path) = &s.path else {
            return f(&lock(&s.writer));
        };
        let conn = lock(&s.readers).pop();
        let conn = match conn {
            Some(c) => c,
            None => {
                let c = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY
                        | OpenFlags::SQLITE_OPEN_NO_MUTEX
                        | OpenFlags::SQLITE_OPEN_URI,
                )?;
                configure(&c, false)?;
                c
            }
        };
        let out = f(&conn);
        let mut pool = lock(&s.readers);
        if pool.len() < 16 {
            pool.push(conn);
        }
        out
    }

    /// Runs `f` on a read connection (blocking; call from a blocking thread).
    pub fn read<T>(&self, f: impl FnOnce(&mut Conn<'_>) -> DbResult<T>) -> DbResult<T> {
        match &*self.inner {
            Inner::Sqlite(s) => Self::sqlite_read(s, |c| f(&mut Conn::Sqlite(c))),
            Inner::Postgres(p) => p.with(|c| f(&mut Conn::Pg(c))),
        }
    }

    /// Runs `f` on a connection that may write, each statement committed on its own (blocking).
    pub fn write<T>(&self, f: impl FnOnce(&mut Conn<'_>) -> DbResult<T>) -> DbResult<T> {
        match &*self.inner {
            Inner::Sqlite(s) => f(&mut Conn::Sqlite(&s.writer())),
            Inner::Postgres(p) => p.with(|c| f(&mut Conn::Pg(c))),
        }
    }

    /// Runs `f` in one transaction (blocking). Commits only when `f` answers `Ok(Ok(_))`; a refusal
    /// (`Ok(Err(_))`) or a database error rolls back.
    pub fn transaction<T, E>(
        &self,
        f: impl FnOnce(&mut Conn<'_>) -> DbResult<Result<T, E>>,
    ) -> DbResult<Result<T, E>> {
        match &*self.inner {
            Inner::Sqlite(s) => {
                let mut w = s.writer();
                let tx = w.transaction()?;
                let out = f(&mut Conn::Sqlite(&tx))?;
                if out.is_ok() {
                    tx.commit()?;
                }
                Ok(out)
            }
            Inner::Postgres(p) => p.with(|c| {
                c.begin()?;
                match f(&mut Conn::Pg(c)) {
                    Ok(Ok(v)) => {
                        c.commit()?;
                        Ok(Ok(v))
                    }
                    Ok(Err(e)) => {
                        c.rollback()?;
                        Ok(Err(e))
                    }
                    Err(e) => {
                        let _ = c.rollback();
                        Err(e)
                    }
                }
            }),
        }
    }

    /// Whether the database answers a trivial query now (for `/api/health`; blocking).
    pub fn ping(&self) -> DbResult<()> {
        self.read(|c| c.query_one("SELECT 1", &[]).map(|_| ()))
    }

    /// Runs a blocking database closure on tokio's blocking pool. A database that cannot be reached is
    /// answered 503 `unavailable`; any other failure 500 `internal` (details only logged).
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> DbResult<T> + Send + 'static,
    ) -> Result<T, crate::http::ApiError> {
        let db = self.clone();
        match tokio::task::spawn_blocking(move || f(&db)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(e.into()),
            Err(e) => Err(crate::http::ApiError::internal(e)),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The query layer

/// A connection of either backend, for the SQL the dialects share.
pub enum Conn<'a> {
    Sqlite(&'a Connection),
    Pg(&'a mut pg::PgConn),
}

/// A parameter of a statement.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    Null,
    Int(i64),
    Text(&'a str),
    Blob(&'a [u8]),
}

impl From<i64> for Arg<'_> {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl From<i32> for Arg<'_> {
    fn from(v: i32) -> Self {
        Arg::Int(v.into())
    }
}
impl<'a> From<&'a str> for Arg<'a> {
    fn from(v: &'a str) -> Self {
        Arg::Text(v)
    }
}
impl<'a> From<&'a String> for Arg<'a> {
    fn from(v: &'a String) -> Self {
        Arg::Text(v)
    }
}
impl<'a> From<&'a [u8]> for Arg<'a> {
    fn from(v: &'a [u8]) -> Self {
        Arg::Blob(v)
    }
}
impl<'a> From<&'a Vec<u8>> for Arg<'a> {
    fn from(v: &'a Vec<u8>) -> Self {
        Arg::Blob(v)
    }
}
impl<'a, T: Into<Arg<'a>>> From<Option<T>> for Arg<'a> {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Arg::Null)
    }
}

/// `args![a, b, …]`: the parameters of a statement, each converted with `Arg::from`.
#[macro_export]
macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$($crate::db::Arg::from($a)),*] };
}

impl rusqlite::ToSql for Arg<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(ToSqlOutput::Borrowed(match *self {
            Arg::Null => ValueRef::Null,
            Arg::Int(v) => ValueRef::Integer(v),
            Arg::Text(s) => ValueRef::Text(s.as_bytes()),
            Arg::Blob(b) => ValueRef::Blob(b),
        }))
    }
}

/// One value read from a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Blob(Vec<u8>),
}

/// A row read, its columns in the order of the `SELECT`.
#[derive(Clone, Debug)]
pub struct Row(pub Vec<Cell>);

impl Row {
    fn cell(&self, i: usize) -> DbResult<&Cell> {
        self.0
            .get(i)
            .ok_or_else(|| DbError::Column(i, "no such column".into()))
    }
    pub fn int(&self, i: usize) -> DbResult<i64> {
        match self.cell(i)? {
            Cell::Int(v) => Ok(*v),
            other => Err(DbError::Column(
                i,
                format!("expected an integer, found {other:?}"),
            )),
        }
    }
    pub fn opt_int(&self, i: usize) -> DbResult<Option<i64>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }
    pub fn text(&self, i: usize) -> DbResult<String> {
        match self.cell(i)? {
            Cell::Text(v) => Ok(v.clone()),
            other => Err(DbError::Column(
                i,
                format!("expected text, found {other:?}"),
            )),
        }
    }
    pub fn opt_text(&self, i: usize) -> DbResult<Option<String>> {
        match self.cell(i)? {
            Cell::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }
    pub fn blob(&self, i: usize) -> DbResult<Vec<u8>> {
        match self.cell(i)? {
            Cell::Blob(v) => Ok(v.clone()),
            other => Err(DbError::Column(
                i,
                format!("expected bytes, found {other:?}"),
            )),
        }
    }
    /// A UUID stored as text.
    pub fn uuid(&self, i: usize) -> DbResult<uuid::Uuid> {
        uuid::Uuid::parse_str(&self.text(i)?).map_err(|e| DbError::Column(i, e.to_string()))
    }
}

fn sqlite_rows(
    c: &Connection,
    sql: &str,
    args: &[Arg<'_>],
    limit: Option<usize>,
) -> DbResult<Vec<Row>> {
    use rusqlite::types::ValueRef;
    let mut stmt = c.prepare_cached(sql)?;
    let n = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut cells = Vec::with_capacity(n);
        for i in 0..n {
            cells.push(match r.get_ref(i)? {
                ValueRef::Null => Cell::Null,
                ValueRef::Integer(v) => Cell::Int(v),
                ValueRef::Real(v) => Cell::Int(v as i64),
                ValueRef::Text(t) => Cell::Text(String::from_utf8_lossy(t).into_owned()),
                ValueRef::Blob(b) => Cell::Blob(b.to_vec()),
            });
        }
        out.push(Row(cells));
        if limit.is_some_and(|l| out.len() >= l) {
            break;
        }
    }
    Ok(out)
}

impl Conn<'_> {
    pub fn backend(&self) -> Backend {
        match self {
            Conn::Sqlite(_) => Backend::Sqlite,
            Conn::Pg(_) => Backend::Postgres,
        }
    }

    /// Runs a statement; returns the rows it changed.
    pub fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<u64> {
        match self {
            Conn::Sqlite(c) => {
                Ok(c.prepare_cached(sql)?
                    .execute(rusqlite::params_from_iter(args.iter()))? as u64)
            }
            Conn::Pg(c) => c.execute(sql, args),
        }
    }

    /// Every row of a query.
    pub fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Vec<Row>> {
        match self {
            Conn::Sqlite(c) => sqlite_rows(c, sql, args, None),
            Conn::Pg(c) => c.query(sql, args),
        }
    }

    /// The first row of a query, if any.
    pub fn query_opt(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Option<Row>> {
        match self {
            Conn::Sqlite(c) => Ok(sqlite_rows(c, sql, args, Some(1))?.pop()),
            Conn::Pg(c) => Ok(c.query(sql, args)?.into_iter().next()),
        }
    }

    /// The first row of a query, which must exist.
    pub fn query_one(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Row> {
        self.query_opt(sql, args)?
            .ok_or_else(|| DbError::Column(0, "the query answered no row".into()))
    }
}

// ---------------------------------------------------------------------------------------------
// Accounts and communities

/// An account as stored.
#[derive(Clone, Debug)]
pub struct UserRow {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub community: String,
    pub community_name: String,
}

pub fn user_by_name(conn: &mut Conn<'_>, username: &str) -> DbResult<Option<UserRow>> {
    conn.query_opt(
        "SELECT u.id, u.username, u.password_hash, u.role, u.community_id, c.name
         FROM users u JOIN communities c ON c.id = u.community_id
         WHERE u.username = ?1 AND u.disabled_at_ms IS NULL",
        args![username],
    )?
    .map(|r| {
        Ok(UserRow {
            id: r.int(0)?,
            username: r.text(1)?,
            password_hash: r.text(2)?,
            role: r.text(3)?,
            community: r.text(4)?,
            community_name: r.text(5)?,
        })
    })
    .transpose()
}

/// Ends every session of `username`; with `disable`, the account also cannot log in any more.
/// Returns whether the account exists.
pub fn revoke_user(
    conn: &mut Conn<'_>,
    username: &str,
    disable: bool,
    now_ms: i64,
) -> DbResult<bool> {
    let Some(row) = conn.query_opt("SELECT id FROM users WHERE username = ?1", args![username])?
    else {
        return Ok(false);
    };
    let id = row.int(0)?;
    if disable {
        conn.execute(
            "UPDATE users SET disabled_at_ms = ?2 WHERE id = ?1",
            args![id, now_ms],
        )?;
    }
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", args![id])?;
    Ok(true)
}

pub fn user_count(conn: &mut Conn<'_>) -> DbResult<i64> {
    conn.query_one("SELECT count(*) FROM users", &[])?.int(0)
}

pub fn community_exists(conn: &mut Conn<'_>, id: &str) -> DbResult<bool> {
    Ok(conn
        .query_opt("SELECT 1 FROM communities WHERE id = ?1", args![id])?
        .is_some())
}

/// Every community's id, in order.
pub fn communities(conn: &mut Conn<'_>) -> DbResult<Vec<String>> {
    conn.query("SELECT id FROM communities ORDER BY id", &[])?
        .iter()
        .map(|r| r.text(0))
        .collect()
}

/// A community's name, if it exists.
pub fn community_name(conn: &mut Conn<'_>, id: &str) -> DbResult<Option<String>> {
    conn.query_opt("SELECT name FROM communities WHERE id = ?1", args![id])?
        .map(|r| r.text(0))
        .transpose()
}

/// What a grant changed.
#[derive(Debug, PartialEq, Eq)]
pub enum Granted {
    Done,
    Already,
    NoSuchUser,
    NoSuchCommunity,
}

/// Lets `username` read `community` besides its own (RULES H1: a sub-district's staff; 0008). With
/// `revoke`, takes it back (`Already` when there was none).
pub fn grant_community(
    conn: &mut Conn<'_>,
    username: &str,
    community: &str,
    revoke: bool,
    now_ms: i64,
) -> DbResult<Granted> {
    if conn
        .query_opt("SELECT id FROM users WHERE username = ?1", args![username])?
        .is_none()
    {
        return Ok(Granted::NoSuchUser);
    }
    if community_name(conn, community)?.is_none() {
        return Ok(Granted::NoSuchCommunity);
    }
    let changed = if revoke {
        conn.execute(
            "DELETE FROM community_grants WHERE community = ?1 AND username = ?2",
            args![community, username],
        )?
    } else {
        conn.execute(
            "INSERT INTO community_grants (community, username, granted_at_ms) VALUES (?1, ?2, ?3)
             ON CONFLICT DO NOTHING",
            args![community, username, now_ms],
        )?
    };
    Ok(if changed == 1 {
        Granted::Done
    } else {
        Granted::Already
    })
}

/// The communities `username` may read besides its own, with their names, by id.
pub fn granted_communities(conn: &mut Conn<'_>, username: &str) -> DbResult<Vec<(String, String)>> {
    conn.query(
        "SELECT g.community, c.name FROM community_grants g JOIN communities c ON c.id = g.community
         WHERE g.username = ?1 ORDER BY g.community",
        args![username],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, r.text(1)?)))
    .collect()
}

/// Creates a community; returns false if it existed already (its name is left as it was).
pub fn create_community(conn: &mut Conn<'_>, id: &str, name: &str) -> DbResult<bool> {
    Ok(conn.execute(
        "INSERT INTO communities (id, name) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
        args![id, name],
    )? == 1)
}

/// Creates an account; returns false if the username is taken.
pub fn create_user(
    conn: &mut Conn<'_>,
    username: &str,
    password_hash: &str,
    role: &str,
    community: &str,
    now_ms: i64,
) -> DbResult<bool> {
    Ok(conn.execute(
        "INSERT INTO users (username, password_hash, role, community_id, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO NOTHING",
        args![username, password_hash, role, community, now_ms],
    )? == 1)
}
