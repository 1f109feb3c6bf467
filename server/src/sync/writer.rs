//! The sync writer: one thread that owns the writer connection's operation inserts and the in-memory
//! replicas, validates pushed operations with the rules core, and commits them with group commit.
//!
//! Each push becomes a job on a queue. The thread takes the first job and every job queued behind it,
//! checks and applies their operations in order against each community's `Replica` (so a unit sees
//! the building pushed just before it, in the same batch or an earlier one), inserts the accepted ones
//! and the rejections in ONE transaction, commits (`synchronous=FULL`: on disk), and only then answers
//! each job. One fsync thus covers many concurrent pushes.
//!
//! Invariants:
//! - One server process per database: the replicas are a cache of the `ops` table that nobody else writes.
//! - The replicas are only ever changed by this thread, so no per-community lock is needed beyond it.
//! - If a transaction fails, the replicas of the communities it touched are dropped and rebuilt from
//!   the database on next use, so memory never holds an operation the database does not.
//! - `seq` is assigned by the single writer in commit order, so a pull cursor never skips an operation
//!   committed later with a smaller number.

use crate::db::Db;
use crate::http::ApiError;
use linli_core::sync::{Operation, Replica};
use linli_core::{RuleError, RuleSet};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// An operation ready to store: parsed, and its JSON as it will be pulled.
pub struct Prepared {
    pub op: Operation,
    pub json: String,
    /// When the sending login was last in touch with the server before this request (see
    /// `Replica::check_arrival`); `None` when unknown.
    pub last_contact_ms: Option<u64>,
}

impl Prepared {
    pub fn new(op: Operation) -> Result<Prepared, ApiError> {
        let json = serde_json::to_string(&op).map_err(ApiError::internal)?;
        Ok(Prepared {
            op,
            json,
            last_contact_ms: None,
        })
    }

    /// The same, sent by a login last in touch with the server at `last_contact_ms`.
    pub fn from_login(op: Operation, last_contact_ms: u64) -> Result<Prepared, ApiError> {
        Ok(Prepared {
            last_contact_ms: Some(last_contact_ms),
            ..Prepared::new(op)?
        })
    }
}

/// The answer for one operation, before it is put into words.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Accepted,
    Duplicate,
    Rejected(RuleError),
}

struct Job {
    community: String,
    ops: Vec<Prepared>,
    reply: oneshot::Sender<Result<Vec<Outcome>, String>>,
}

/// A read of a community's replica, run on the writer thread after every push queued before it is
/// committed (so a read sees the caller's own earlier writes).
type ReadFn = Box<dyn FnOnce(&Replica) + Send>;

enum Task {
    Push(Job),
    Read { community: String, f: ReadFn },
}

/// Handle on the writer thread. The thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Task>,
}

/// Most operations one group transaction takes before committing.
const GROUP_MAX_OPS: usize = 20_000;

impl Writer {
    pub fn start(db: Db, rules: Arc<RuleSet>) -> Writer {
        let (tx, rx) = mpsc::channel::<Task>(4096);
        std::thread::Builder::new()
            .name("linli-writer".into())
            .spawn(move || run(db, rules, rx))
            .expect("spawning the writer thread");
        Writer { tx }
    }

    /// Validates and stores `ops` for `community`; returns one outcome per operation, after the commit.
    pub async fn submit(
        &self,
        community: String,
        ops: Vec<Prepared>,
    ) -> Result<Vec<Outcome>, ApiError> {
        if ops.is_empty() {
            return Ok(Vec::new());
        }
        let (reply, rx) = oneshot::channel();
        self.tx
            .send(Task::Push(Job {
                community,
                ops,
                reply,
            }))
            .await
            .map_err(|_| ApiError::internal("the writer thread has stopped"))?;
        match rx.await {
            Ok(Ok(outcomes)) => Ok(outcomes),
            Ok(Err(e)) => Err(ApiError::Internal(e)),
            Err(_) => Err(ApiError::internal("the writer thread dropped a job")),
        }
    }

    /// Runs `f` on `community`'s replica (on the writer thread, after the pushes queued before it) and
    /// returns its result. Keep `f` short: pushes wait while it runs.
    pub async fn read<T: Send + 'static>(
        &self,
        community: String,
        f: impl FnOnce(&Replica) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let (reply, rx) = oneshot::channel();
        let f: ReadFn = Box::new(move |r: &Replica| {
            let _ = reply.send(f(r));
        });
        self.tx
            .send(Task::Read { community, f })
            .await
            .map_err(|_| ApiError::internal("the writer thread has stopped"))?;
        rx.await
            .map_err(|_| ApiError::internal("a replica read failed"))
    }
}

fn run(db: Db, rules: Arc<RuleSet>, mut rx: mpsc::Receiver<Task>) {
    let mut replicas: HashMap<String, Replica> = HashMap::new();
    let mut pending: Option<Task> = None;
    loop {
        let task = match pending.take() {
            Some(t) => t,
            None => match rx.blocking_recv() {
                Some(t) => t,
                None => break,
            },
        };
        let first = match task {
            Task::Read { community, f } => {
                run_read(&db, &mut replicas, community, f);
                continue;
            }
            Task::Push(job) => job,
        };
        let mut count = first.ops.len();
        let mut jobs = vec![first];
        while count < GROUP_MAX_OPS {
            match rx.try_recv() {
                Ok(Task::Push(job)) => {
                    count += job.ops.len();
                    jobs.push(job);
                }
                Ok(read) => {
                    // Reads wait for the pushes queued before them.
                    pending = Some(read);
                    break;
                }
                Err(_) => break,
            }
        }
        let now = crate::clock::now_ms();
        let started = std::time::Instant::now();
        // A panic in the rules (a bug) must not stop the writer: the transaction rolls back as it unwinds
        // and the batch is answered `internal`, like a failed commit.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut conn = db.writer();
            process(&mut conn, &mut replicas, &rules, &jobs, now).map_err(|e| e.to_string())
        }))
        .unwrap_or_else(|_| Err("panic while processing a push".to_string()));
        match result {
            Ok(all) => {
                tracing::debug!(
                    jobs = jobs.len(),
                    ops = count,
                    micros = started.elapsed().as_micros() as u64,
                    "group committed"
                );
                for (job, outcomes) in jobs.into_iter().zip(all) {
                    let _ = job.reply.send(Ok(outcomes));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, jobs = jobs.len(), "push transaction failed; dropping cached replicas");
                for job in jobs {
                    replicas.remove(&job.community);
                    let _ = job.reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// Runs a read on a community's replica, loading it first if needed. If loading fails or the read
/// panics, the read's reply is dropped, which its caller answers as `internal`.
fn run_read(db: &Db, replicas: &mut HashMap<String, Replica>, community: String, f: ReadFn) {
    let replica = match replicas.entry(community) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(e) => {
            let loaded = load_replica(&db.writer(), e.key());
            match loaded {
                Ok(r) => e.insert(r),
                Err(err) => {
                    tracing::error!(error = %err, "loading a replica for a read failed");
                    return;
                }
            }
        }
    };
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(replica))).is_err() {
        tracing::error!("panic while reading a replica");
    }
}

/// Rebuilds a community's replica by replaying its operations in `seq` order.
pub fn load_replica(conn: &Connection, community: &str) -> rusqlite::Result<Replica> {
    let mut replica = Replica::new();
    let mut stmt =
        conn.prepare_cached("SELECT seq, json FROM ops WHERE community = ?1 ORDER BY seq")?;
    let mut rows = stmt.query([community])?;
    while let Some(row) = rows.next()? {
        let json: String = row.get(1)?;
        match serde_json::from_str::<Operation>(&json) {
            Ok(op) => replica.apply(&op),
            Err(e) => {
                tracing::error!(seq = row.get::<_, i64>(0)?, error = %e, "stored operation does not parse; skipped")
            }
        }
    }
    Ok(replica)
}

fn process(
    conn: &mut Connection,
    replicas: &mut HashMap<String, Replica>,
    rules: &RuleSet,
    jobs: &[Job],
    now: u64,
) -> rusqlite::Result<Vec<Vec<Outcome>>> {
    let tx = conn.transaction()?;
    let mut all = Vec::with_capacity(jobs.len());
    {
        let mut find_op = tx.prepare_cached("SELECT community FROM ops WHERE id = ?1")?;
        let mut find_rejection =
            tx.prepare_cached("SELECT community, error FROM rejections WHERE op_id = ?1")?;
        let mut insert_op = tx.prepare_cached(
            "INSERT INTO ops (id, community, device_id, author, entity_kind, entity_id, json, received_at_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        let mut insert_rejection = tx.prepare_cached(
            "INSERT INTO rejections (op_id, community, code, field, error, json, at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for job in jobs {
            let replica = match replicas.entry(job.community.clone()) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(e) => e.insert(load_replica(&tx, &job.community)?),
            };
            let mut outcomes = Vec::with_capacity(job.ops.len());
            for p in &job.ops {
                let op = &p.op;
                let id = op.id.to_string();
                // Same id seen before: the same answer as the first time, and nothing stored again. An id
                // another community used is a conflict, which says nothing of that community's operation.
                let conflict = || RuleError::field(linli_core::ErrorCode::IdConflict, "id");
                if let Some(c) = find_op
                    .query_row([&id], |r| r.get::<_, String>(0))
                    .optional()?
                {
                    outcomes.push(if c == op.community {
                        Outcome::Duplicate
                    } else {
                        Outcome::Rejected(conflict())
                    });
                    continue;
                }
                if let Some((c, error)) = find_rejection
                    .query_row([&id], |r| {
                        Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                    })
                    .optional()?
                {
                    let e = if c == op.community {
                        serde_json::from_str(&error).unwrap_or_else(|_| {
                            RuleError::new(linli_core::ErrorCode::InvalidRequest)
                        })
                    } else {
                        conflict()
                    };
                    outcomes.push(Outcome::Rejected(e));
                    continue;
                }
                match replica.check_arrival(op, rules, now, p.last_contact_ms) {
                    Ok(()) => {
                        replica.apply(op);
                        insert_op.execute(params![
                            id,
                            op.community,
                            op.device_id.to_string(),
                            op.author,
                            kind_str(op),
                            op.entity.id.to_string(),
                            p.json,
                            now as i64
                        ])?;
                        outcomes.push(Outcome::Accepted);
                    }
                    Err(e) => {
                        let error = serde_json::to_string(&e).unwrap_or_default();
                        // Not the body (a refused operation may be huge): its digest, enough to tell
                        // a re-send of the same operation.
                        insert_rejection.execute(params![
                            id,
                            op.community,
                            e.code.as_str(),
                            e.field,
                            error,
                            digest(&p.json),
                            now as i64
                        ])?;
                        outcomes.push(Outcome::Rejected(e));
                    }
                }
            }
            all.push(outcomes);
        }
    }
    tx.commit()?;
    Ok(all)
}

/// `sha256:<hex>` of a refused operation's JSON, kept instead of the operation itself.
fn digest(json: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(json.as_bytes());
    format!(
        "sha256:{}",
        h.iter().map(|b| format!("{b:02x}")).collect::<String>()
    )
}

fn kind_str(op: &Operation) -> &'static str {
    op.entity.kind.as_str()
}
