//! SQLite: opening, pragmas, versioned migrations, and the connections (one writer, a pool of readers).
//!
//! Invariant: one server process per database. The in-memory replicas (see `sync/writer.rs`) and the session
//! cache assume no other process writes operations or sessions. The `admin` subcommands only add
//! communities and accounts, which the server reads from the database when needed, so they may run beside it.

use crate::config::Database;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// The migrations, in order; number N sets `PRAGMA user_version = N`.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (1, include_str!("../migrations/0001_init.sql")),
    (2, include_str!("../migrations/0002_voting_codes.sql")),
    (3, include_str!("../migrations/0003_disabled_users.sql")),
    (4, include_str!("../migrations/0004_last_contact.sql")),
    (5, include_str!("../migrations/0005_volunteers.sql")),
    (6, include_str!("../migrations/0006_volunteer_sessions.sql")),
];

/// The schema version this build expects.
pub fn schema_version() -> u32 {
    MIGRATIONS.last().map(|m| m.0).unwrap_or(0)
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the database directory {0}: {1}")]
    CreateDir(PathBuf, std::io::Error),
    #[error(
        "the database has schema version {found}, newer than this build's {known}; use a newer linli-server"
    )]
    TooNew { found: u32, known: u32 },
}

/// A handle on the database. Cloning is cheap.
#[derive(Clone)]
pub struct Db {
    inner: Arc<Inner>,
}

struct Inner {
    /// `None` for an in-memory database, whose only connection is the writer.
    path: Option<PathBuf>,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
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

/// Applies every migration newer than the database's `user_version`, each in its own transaction.
/// Returns how many were applied.
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
    /// Opens (creating if needed) and migrates the database.
    pub fn open(database: &Database) -> Result<Db, DbError> {
        let (path, mut writer) = match database {
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
        Ok(Db {
            inner: Arc::new(Inner {
                path,
                writer: Mutex::new(writer),
                readers: Mutex::new(Vec::new()),
            }),
        })
    }

    /// The file, if any.
    pub fn path(&self) -> Option<&Path> {
        self.inner.path.as_deref()
    }

    /// The writer connection. Hold it briefly: the sync writer needs it for every batch.
    pub fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.inner.writer)
    }

    /// Runs `f` on a read connection (blocking; call from a blocking thread).
    pub fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        let Some(path) = &self.inner.path else {
            return f(&self.writer());
        };
        let conn = lock(&self.inner.readers).pop();
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
        let mut pool = lock(&self.inner.readers);
        if pool.len() < 16 {
            pool.push(conn);
        }
        out
    }

    /// Runs a blocking database closure on tokio's blocking pool.
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Db) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, crate::http::ApiError> {
        let db = self.clone();
        match tokio::task::spawn_blocking(move || f(&db)).await {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(crate::http::ApiError::internal(e)),
            Err(e) => Err(crate::http::ApiError::internal(e)),
        }
    }
}

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

pub fn user_by_name(conn: &Connection, username: &str) -> rusqlite::Result<Option<UserRow>> {
    conn.prepare_cached(
        "SELECT u.id, u.username, u.password_hash, u.role, u.community_id, c.name
         FROM users u JOIN communities c ON c.id = u.community_id
         WHERE u.username = ?1 AND u.disabled_at_ms IS NULL",
    )?
    .query_row([username], |r| {
        Ok(UserRow {
            id: r.get(0)?,
            username: r.get(1)?,
            password_hash: r.get(2)?,
            role: r.get(3)?,
            community: r.get(4)?,
            community_name: r.get(5)?,
        })
    })
    .optional()
}

/// Ends every session of `username`; with `disable`, the account also cannot log in any more.
/// Returns whether the account exists.
pub fn revoke_user(
    conn: &Connection,
    username: &str,
    disable: bool,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    let id: Option<i64> = conn
        .query_row(
            "SELECT id FROM users WHERE username = ?1",
            [username],
            |r| r.get(0),
        )
        .optional()?;
    let Some(id) = id else { return Ok(false) };
    if disable {
        conn.execute(
            "UPDATE users SET disabled_at_ms = ?2 WHERE id = ?1",
            rusqlite::params![id, now_ms],
        )?;
    }
    conn.execute("DELETE FROM sessions WHERE user_id = ?1", [id])?;
    Ok(true)
}

pub fn user_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM users", [], |r| r.get(0))
}

pub fn community_exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM communities WHERE id = ?1")?
        .exists([id])
}

/// A community's name, if it exists.
pub fn community_name(conn: &Connection, id: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT name FROM communities WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// Creates a community; returns false if it existed already (its name is left as it was).
pub fn create_community(conn: &Connection, id: &str, name: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO communities (id, name) VALUES (?1, ?2)",
        params![id, name],
    )? == 1)
}

/// Creates an account; returns false if the username is taken.
pub fn create_user(
    conn: &Connection,
    username: &str,
    password_hash: &str,
    role: &str,
    community: &str,
    now_ms: i64,
) -> rusqlite::Result<bool> {
    Ok(conn.execute(
        "INSERT OR IGNORE INTO users (username, password_hash, role, community_id, created_at_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![username, password_hash, role, community, now_ms],
    )? == 1)
}

/// A UUID stored as text, read back (a malformed one is a conversion error of that column).
pub fn parse_uuid(s: &str) -> rusqlite::Result<uuid::Uuid> {
    uuid::Uuid::parse_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}
