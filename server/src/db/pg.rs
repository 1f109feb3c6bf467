//! PostgreSQL: a small pool of synchronous `postgres` clients (the blocking wrapper of tokio-postgres,
//! used on blocking threads exactly like rusqlite), statements prepared once per connection, the
//! placeholder rewrite, the value conversions of the query layer, migrations, and the back-off on a lost
//! connection.
//!
//! A lost connection: a client whose connection closed is dropped, never returned to the pool; getting
//! a connection retries with back-off (50 ms doubling, at most [`RETRY_PATIENCE`] in all) and then gives
//! up with `DbError::Unavailable`, which the API answers 503 `unavailable` — a device keeps its queue
//! and tries again, so nothing is lost. A statement that fails because the connection broke is not
//! retried here: a push is answered 503 and the device re-sends it; the server answers by operation id,
//! so a re-send whose first attempt did commit is a `duplicate`, never a second copy.

use super::{Arg, Cell, DbError, DbResult, Row, schema_version};
use crate::config::PostgresUrl;
use postgres::error::SqlState;
use postgres::types::{FromSql, IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// PostgreSQL's migrations; number N sets `linli_schema.version = N`. PostgreSQL support starts at
/// schema version 5: its first file makes the tables SQLite's migrations 1–5 make (Citus-ready: see the
/// file). A later migration `NNNN_x.sql` has a twin `postgres/NNNN_x.sql` of the same number.
pub const MIGRATIONS: &[(u32, &str)] = &[
    (5, include_str!("../../migrations/postgres/0005_init.sql")),
    (
        6,
        include_str!("../../migrations/postgres/0006_volunteer_sessions.sql"),
    ),
    (
        7,
        include_str!("../../migrations/postgres/0007_standards_evidence.sql"),
    ),
    (
        8,
        include_str!("../../migrations/postgres/0008_community_grants.sql"),
    ),
];

/// How long the server keeps trying to reach PostgreSQL at start before giving up.
pub const START_PATIENCE: Duration = Duration::from_secs(30);
/// How long a request waits for a connection to a database that does not answer before its 503.
pub const RETRY_PATIENCE: Duration = Duration::from_secs(3);
/// An idle connection older than this is checked before use.
const CHECK_AFTER_IDLE: Duration = Duration::from_millis(500);
/// Connections kept open for reuse.
const POOL_MAX_IDLE: usize = 16;
/// Connections in use at once by one process; more requests wait (up to [`RETRY_PATIENCE`], then 503).
/// With the idle ones, a process holds at most 40 connections: two processes fit PostgreSQL's default
/// `max_connections` (100).
pub const POOL_MAX_BUSY: usize = 24;

/// A connection with its prepared statements.
pub struct PgConn {
    pub client: Client,
    statements: HashMap<String, Statement>,
    /// When it went back to the pool.
    idle_since: Instant,
}

impl PgConn {
    /// The statement for `sql` (SQLite's `?N` form), prepared on first use.
    pub fn prepare(&mut self, sql: &str) -> DbResult<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(&placeholders(sql))?;
        if self.statements.len() > 256 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn params<'a>(args: &'a [Arg<'a>]) -> Vec<&'a (dyn ToSql + Sync)> {
        args.iter().map(|a| a as &(dyn ToSql + Sync)).collect()
    }

    pub fn execute(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<u64> {
        let s = self.prepare(sql)?;
        Ok(self.client.execute(&s, &Self::params(args))?)
    }

    pub fn query(&mut self, sql: &str, args: &[Arg<'_>]) -> DbResult<Vec<Row>> {
        let s = self.prepare(sql)?;
        let rows = self.client.query(&s, &Self::params(args))?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| r.try_get::<_, Cell>(i).map_err(DbError::from))
                    .collect::<DbResult<Vec<_>>>()
                    .map(Row)
            })
            .collect()
    }

    pub fn begin(&mut self) -> DbResult<()> {
        Ok(self.client.batch_execute("BEGIN")?)
    }
    pub fn commit(&mut self) -> DbResult<()> {
        Ok(self.client.batch_execute("COMMIT")?)
    }
    pub fn rollback(&mut self) -> DbResult<()> {
        Ok(self.client.batch_execute("ROLLBACK")?)
    }
}

/// Connections to one database.
pub struct Pool {
    url: PostgresUrl,
    idle: Mutex<Vec<PgConn>>,
    busy: Mutex<usize>,
    freed: std::sync::Condvar,
}

impl Drop for Pool {
    fn drop(&mut self) {
        // Closing a client blocks on its own small runtime, which may not run on a thread inside
        // tokio's (a test dropping its server): the idle connections are closed on a thread of their own.
        let idle = std::mem::take(self.idle.get_mut().unwrap_or_else(|p| p.into_inner()));
        if !idle.is_empty() {
            let _ = std::thread::Builder::new()
                .name("linli-pg-close".into())
                .spawn(move || drop(idle));
        }
    }
}

/// Whether `e` says the connection is gone or the server cannot take it (rather than that a statement
/// was wrong): such failures are answered 503 and retried by the client.
pub fn is_connection_error(e: &postgres::Error) -> bool {
    if e.is_closed() {
        return true;
    }
    match e.code() {
        Some(code) => {
            code.code().starts_with("08") // connection exception
                || code.code().starts_with("57P") // admin shutdown, crash shutdown, cannot connect now
                || *code == SqlState::TOO_MANY_CONNECTIONS
        }
        // No SQL state: an I/O error, a refused or reset connection.
        None => e.as_db_error().is_none(),
    }
}

impl Pool {
    /// Connects (retrying with back-off for up to [`START_PATIENCE`]) and migrates.
    pub fn open(url: &PostgresUrl) -> DbResult<Pool> {
        let pool = Pool {
            url: url.clone(),
            idle: Mutex::new(Vec::new()),
            busy: Mutex::new(0),
            freed: std::sync::Condvar::new(),
        };
        let mut conn = pool.connect_patiently(START_PATIENCE)?;
        migrate(&mut conn)?;
        pool.put(conn);
        Ok(pool)
    }

    fn connect(&self) -> DbResult<PgConn> {
        let client = Client::connect(&self.url.0, NoTls)?;
        Ok(PgConn {
            client,
            statements: HashMap::new(),
            idle_since: Instant::now(),
        })
    }

    fn connect_patiently(&self, patience: Duration) -> DbResult<PgConn> {
        let started = Instant::now();
        let mut wait = Duration::from_millis(50);
        loop {
            match self.connect() {
                Ok(c) => return Ok(c),
                Err(DbError::Postgres(e)) if is_connection_error(&e) => {
                    if started.elapsed() + wait > patience {
                        tracing::warn!(error = %e, url = %self.url.redacted(), "PostgreSQL does not answer");
                        return Err(DbError::Unavailable(e.to_string()));
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// A connection: an idle one, or a new one (retrying with back-off for up to [`RETRY_PATIENCE`]).
    /// One idle for more than [`CHECK_AFTER_IDLE`] is checked first (a round trip), so a connection the
    /// database dropped meanwhile (a restart, a fail-over) is replaced rather than failing a request.
    pub fn get(&self) -> DbResult<PgConn> {
        loop {
            let idle = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
            match idle {
                Some(mut c) if !c.client.is_closed() => {
                    if c.idle_since.elapsed() < CHECK_AFTER_IDLE
                        || c.client.is_valid(Duration::from_secs(1)).is_ok()
                    {
                        return Ok(c);
                    }
                }
                Some(_) => {}
                None => return self.connect_patiently(RETRY_PATIENCE),
            }
        }
    }

    /// Returns a connection for reuse, unless it is closed or the pool is full.
    pub fn put(&self, mut conn: PgConn) {
        if conn.client.is_closed() {
            return;
        }
        conn.idle_since = Instant::now();
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < POOL_MAX_IDLE {
            idle.push(conn);
        }
    }

    /// Runs `f` on a pooled connection. A connection that failed is closed rather than reused (it may
    /// be in an aborted transaction).
    pub fn with<T>(&self, f: impl FnOnce(&mut PgConn) -> DbResult<T>) -> DbResult<T> {
        let _turn = self.turn()?;
        let mut conn = self.get()?;
        let out = f(&mut conn);
        match &out {
            Ok(_) => self.put(conn),
            Err(DbError::Postgres(e)) if !is_connection_error(e) => {
                // A statement error outside a transaction leaves the connection usable; inside one the
                // caller has rolled back. Make sure.
                if conn.client.batch_execute("ROLLBACK").is_ok() {
                    self.put(conn);
                }
            }
            Err(_) => {}
        }
        out.map_err(|e| match e {
            DbError::Postgres(pe) if is_connection_error(&pe) => {
                DbError::Unavailable(pe.to_string())
            }
            other => other,
        })
    }
}

/// One of the [`POOL_MAX_BUSY`] turns; given back when dropped.
pub struct Turn<'a>(&'a Pool);

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(|p| p.into_inner());
        *busy = busy.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

impl Pool {
    /// Waits for a turn to use a connection (at most [`RETRY_PATIENCE`]).
    fn turn(&self) -> DbResult<Turn<'_>> {
        let deadline = Instant::now() + RETRY_PATIENCE;
        let mut busy = self.busy.lock().unwrap_or_else(|p| p.into_inner());
        while *busy >= POOL_MAX_BUSY {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(DbError::Unavailable(
                    "every database connection is busy".into(),
                ));
            }
            busy = self
                .freed
                .wait_timeout(busy, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        *busy += 1;
        Ok(Turn(self))
    }
}

/// Applies every PostgreSQL migration newer than `linli_schema.version`, all in one transaction that
/// holds the version table locked, so several processes starting at once migrate once. Returns how
/// many were applied.
pub fn migrate(conn: &mut PgConn) -> DbResult<usize> {
    let c = &mut conn.client;
    // Two processes creating the table at once: one may fail on the catalogue's unique index; the
    // second try finds it.
    for attempt in 0..2 {
        match c.batch_execute(
            "CREATE TABLE IF NOT EXISTS linli_schema (one INTEGER PRIMARY KEY CHECK (one = 1), version INTEGER NOT NULL)",
        ) {
            Ok(()) => break,
            Err(e) if attempt == 0 && e.code() == Some(&SqlState::UNIQUE_VIOLATION) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    let mut tx = c.transaction()?;
    tx.batch_execute("LOCK TABLE linli_schema IN EXCLUSIVE MODE")?;
    let found: u32 = tx
        .query_opt("SELECT version FROM linli_schema", &[])?
        .map(|r| r.get::<_, i32>(0).max(0) as u32)
        .unwrap_or(0);
    let known = schema_version();
    if found > known {
        return Err(DbError::TooNew { found, known });
    }
    let mut applied = 0;
    for (version, sql) in MIGRATIONS.iter().filter(|(v, _)| *v > found) {
        tx.batch_execute(sql)?;
        tx.execute(
            "INSERT INTO linli_schema (one, version) VALUES (1, $1)
             ON CONFLICT (one) DO UPDATE SET version = EXCLUDED.version",
            &[&(*version as i32)],
        )?;
        applied += 1;
    }
    tx.commit()?;
    Ok(applied)
}

/// SQLite's numbered parameters (`?1`) as PostgreSQL's (`$1`), outside quoted strings and names.
pub fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut chars = sql.chars().peekable();
    while let Some(ch) = chars.next() {
        match quote {
            Some(q) => {
                if ch == q {
                    quote = None;
                }
                out.push(ch);
            }
            None => match ch {
                '\'' | '"' => {
                    quote = Some(ch);
                    out.push(ch);
                }
                '?' if chars.peek().is_some_and(|c| c.is_ascii_digit()) => out.push('$'),
                _ => out.push(ch),
            },
        }
    }
    out
}

impl ToSql for Arg<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut postgres::types::private::BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match (*self, ty) {
            (Arg::Null, _) => Ok(IsNull::Yes),
            (Arg::Int(v), &Type::INT2) => i16::try_from(v)?.to_sql(ty, out),
            (Arg::Int(v), &Type::INT4) => i32::try_from(v)?.to_sql(ty, out),
            (Arg::Int(v), &Type::INT8) => v.to_sql(ty, out),
            (Arg::Text(s), _) if <&str as ToSql>::accepts(ty) => s.to_sql(ty, out),
            (Arg::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            (a, t) => Err(format!("cannot pass {a:?} as a PostgreSQL {t}").into()),
        }
    }

    fn accepts(ty: &Type) -> bool {
        matches!(*ty, Type::INT2 | Type::INT4 | Type::INT8 | Type::BYTEA)
            || <&str as ToSql>::accepts(ty)
    }

    postgres::types::to_sql_checked!();
}

impl<'a> FromSql<'a> for Cell {
    fn from_sql(
        ty: &Type,
        raw: &'a [u8],
    ) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match *ty {
            Type::INT2 => Cell::Int(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Cell::Int(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Cell::Int(i64::from_sql(ty, raw)?),
            Type::BOOL => Cell::Int(bool::from_sql(ty, raw)?.into()),
            Type::BYTEA => Cell::Blob(Vec::<u8>::from_sql(ty, raw)?),
            _ if <String as FromSql>::accepts(ty) => Cell::Text(String::from_sql(ty, raw)?),
            _ => return Err(format!("unexpected PostgreSQL type {ty}").into()),
        })
    }

    fn from_sql_null(_: &Type) -> Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Cell::Null)
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_rewritten_outside_strings() {
        assert_eq!(
            placeholders("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?12 AND c = '?'"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $12 AND c = '?'"
        );
    }

    #[test]
    fn every_sqlite_migration_from_the_first_postgres_one_has_a_twin() {
        let first = MIGRATIONS[0].0;
        let sqlite: Vec<u32> = super::super::MIGRATIONS
            .iter()
            .map(|m| m.0)
            .filter(|v| *v > first)
            .collect();
        let pg: Vec<u32> = MIGRATIONS[1..].iter().map(|m| m.0).collect();
        assert_eq!(
            sqlite, pg,
            "each new migration needs migrations/postgres/NNNN_*.sql"
        );
    }
}
