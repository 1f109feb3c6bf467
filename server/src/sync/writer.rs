//! The sync writer: one thread that validates pushed operations with the rules core and commits them
//! with group commit, and the in-memory replica of each community that it keeps and reads share.
//!
//! Each push becomes a job on a queue. The thread takes every job queued and makes a group of them:
//! one job of each community in turn, up to [`GROUP_MAX_OPS`] operations, so a community with many
//! large pushes waiting never keeps another community's push out of the next group. It checks and
//! applies their operations in order against each community's `Replica` (so a unit sees the building
//! pushed just before it, in the same batch or an earlier one), inserts the accepted ones and the
//! rejections in ONE transaction, commits (`synchronous=FULL`: on disk), and only then answers each
//! job. One fsync thus covers many concurrent pushes.
//!
//! Each replica sits behind its own read-write lock. Reads ([`Writer::read`]: code lists, tallies, a
//! resident's view) run on blocking threads under the read lock, never on this thread. This thread
//! takes a replica's write lock only with `try_write`: a community whose replica is being read or
//! loaded waits (its jobs stay queued, in order) while the other communities' jobs go ahead, and new
//! reads of it hold back until its jobs have had their turn. A replica not in memory is loaded from a
//! read connection by a loader thread, under its write lock; at start, every community's replica is
//! loaded in the background. So no read and no load of one community ever delays another's push.
//!
//! Invariants:
//! - One server process per database: the replicas are a cache of the `ops` table that nobody else writes.
//! - Operations are applied to a replica only by this thread, under the replica's write lock, which it
//!   holds until the transaction has committed or rolled back: a read never sees an operation the
//!   database does not hold, and sees every push answered before it began.
//! - A replica is loaded only under its write lock, which this thread does not hold then, so the load
//!   sees every operation committed for its community and none is committed meanwhile.
//! - If a transaction fails, the replicas of the communities it touched are dropped (under their write
//!   locks) and loaded again on next use, so memory never holds an operation the database does not.
//! - A community's jobs are checked in the order they arrived.
//! - `seq` is assigned by the single writer in commit order, so a pull cursor never skips an operation
//!   committed later with a smaller number.

use crate::db::Db;
use crate::http::ApiError;
use linli_core::sync::{Operation, Replica};
use linli_core::{RuleError, RuleSet};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{Semaphore, mpsc, oneshot};

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

/// Handle on the writer thread. The thread ends when the last handle is dropped.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
    replicas: Arc<Replicas>,
}

/// Most operations one group transaction takes before committing (a job is never split). Small enough
/// that a group of large pushes is checked and committed in some tens of milliseconds (10–30 µs an
/// operation), which is what another community's push may wait behind; large enough that one fsync
/// still covers many operations.
pub const GROUP_MAX_OPS: usize = 2_000;

/// How long the writer thread waits before it tries again a community whose replica was busy.
const RETRY: Duration = Duration::from_millis(1);

/// How long a new read holds back for the writer thread waiting on the same replica, at most.
const READ_HOLD_BACK: Duration = Duration::from_millis(100);

/// Reads of one community's replica running at once; more wait their turn. A flood of heavy reads in
/// one community (a tally of 300,000 households each) thus takes at most this many threads, and leaves
/// the processors to the writer thread and to the other communities.
const READS_PER_COMMUNITY: usize = 2;

impl Writer {
    pub fn start(db: Db, rules: Arc<RuleSet>) -> Writer {
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let replicas = Arc::new(Replicas {
            db,
            slots: Mutex::new(HashMap::new()),
        });
        let r = replicas.clone();
        std::thread::Builder::new()
            .name("linli-writer".into())
            .spawn(move || run(r, rules, rx))
            .expect("spawning the writer thread");
        let r = replicas.clone();
        std::thread::Builder::new()
            .name("linli-preload".into())
            .spawn(move || {
                lower_priority();
                r.preload()
            })
            .expect("spawning the replica preloader");
        Writer { tx, replicas }
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
            .send(Job {
                community,
                ops,
                reply,
            })
            .await
            .map_err(|_| ApiError::internal("the writer thread has stopped"))?;
        match rx.await {
            Ok(Ok(outcomes)) => Ok(outcomes),
            Ok(Err(e)) => Err(ApiError::Internal(e)),
            Err(_) => Err(ApiError::internal("the writer thread dropped a job")),
        }
    }

    /// Runs `f` on `community`'s replica on a blocking thread, under the replica's read lock (so it
    /// sees every push answered before it began), and returns its result. Only that community's pushes
    /// wait while it runs; at most [`READS_PER_COMMUNITY`] reads of one community run at once.
    pub async fn read<T: Send + 'static>(
        &self,
        community: String,
        f: impl FnOnce(&Replica) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let slot = self.replicas.slot(&community);
        let _permit = slot
            .reads
            .acquire()
            .await
            .map_err(|_| ApiError::internal("replica reads have stopped"))?;
        let replicas = self.replicas.clone();
        let read = tokio::task::spawn_blocking(move || {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                replicas.read(&community, f)
            }))
        });
        match read.await {
            Ok(Ok(Ok(v))) => Ok(v),
            Ok(Ok(Err(e))) => {
                tracing::error!(error = %e, "loading a replica for a read failed");
                Err(ApiError::Internal(e))
            }
            Ok(Err(_)) => {
                tracing::error!("panic while reading a replica");
                Err(ApiError::internal("a replica read failed"))
            }
            Err(e) => Err(ApiError::internal(e)),
        }
    }
}

/// Lowers the calling thread's scheduling priority (nice 10): a loader (seconds of work for a replica of
/// 300,000 records) then takes only the processor time the writer thread and the requests leave.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take no pointers; on Linux, setpriority on a thread id changes only
    // that thread.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, 10);
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The replicas of every community met so far, each in its own slot.
struct Replicas {
    db: Db,
    slots: Mutex<HashMap<String, Arc<Slot>>>,
}

struct Slot {
    /// Turns for reads ([`READS_PER_COMMUNITY`]).
    reads: Semaphore,
    /// `None`: not loaded yet, or dropped after a failed transaction.
    replica: RwLock<Option<Replica>>,
    /// Set while the writer thread has jobs for this replica and could not lock it: new reads hold back.
    writer_waiting: AtomicBool,
    /// A loader thread is at work on this replica.
    loading: AtomicBool,
    /// Why the last load by a loader thread failed; the writer answers the waiting jobs with it.
    failed: Mutex<Option<String>>,
}

impl Default for Slot {
    fn default() -> Slot {
        Slot {
            reads: Semaphore::new(READS_PER_COMMUNITY),
            replica: RwLock::default(),
            writer_waiting: AtomicBool::default(),
            loading: AtomicBool::default(),
            failed: Mutex::default(),
        }
    }
}

impl Slot {
    fn read(&self) -> RwLockReadGuard<'_, Option<Replica>> {
        // A panic never leaves a replica half-changed under a read guard, and a writer that panics
        // drops the replica (see `run`), so a poisoned lock is still sound to use.
        self.replica.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Option<Replica>> {
        self.replica.write().unwrap_or_else(|p| p.into_inner())
    }
}

impl Replicas {
    fn slot(&self, community: &str) -> Arc<Slot> {
        let mut slots = lock(&self.slots);
        match slots.get(community) {
            Some(s) => s.clone(),
            None => {
                let s = Arc::new(Slot::default());
                slots.insert(community.to_string(), s.clone());
                s
            }
        }
    }

    /// Loads `community`'s replica into its slot unless it is there already (blocking).
    fn load(&self, slot: &Slot, community: &str) -> Result<(), String> {
        let mut replica = slot.write();
        if replica.is_none() {
            let started = Instant::now();
            let loaded = self
                .db
                .read(|c| load_replica(c, community))
                .map_err(|e| e.to_string())?;
            tracing::info!(
                community,
                records = loaded.len(),
                ms = started.elapsed().as_millis() as u64,
                "replica loaded"
            );
            *replica = Some(loaded);
        }
        Ok(())
    }

    /// Loads `community`'s replica on a loader thread, unless one is at work on it already.
    fn load_in_background(self: &Arc<Self>, slot: &Arc<Slot>, community: &str) {
        if slot.loading.swap(true, Ordering::AcqRel) {
            return;
        }
        let (replicas, s, c) = (self.clone(), slot.clone(), community.to_string());
        let spawned = std::thread::Builder::new()
            .name("linli-load".into())
            .spawn(move || {
                lower_priority();
                if let Err(e) = replicas.load(&s, &c) {
                    tracing::error!(community = c, error = %e, "loading a replica failed");
                    *lock(&s.failed) = Some(e);
                }
                s.loading.store(false, Ordering::Release);
            });
        if let Err(e) = spawned {
            *lock(&slot.failed) = Some(format!("spawning a replica loader: {e}"));
            slot.loading.store(false, Ordering::Release);
        }
    }

    /// At start: loads every community's replica, one after the other, so that the first push after a
    /// restart finds it in memory.
    fn preload(&self) {
        let communities = self.db.read(|c| {
            c.prepare("SELECT id FROM communities ORDER BY id")?
                .query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()
        });
        match communities {
            Ok(list) => {
                for c in list {
                    if let Err(e) = self.load(&self.slot(&c), &c) {
                        tracing::error!(community = c, error = %e, "preloading a replica failed");
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "listing the communities to preload failed"),
        }
    }

    /// Runs `f` on `community`'s replica under its read lock, loading the replica first if needed.
    fn read<T>(&self, community: &str, f: impl FnOnce(&Replica) -> T) -> Result<T, String> {
        let slot = self.slot(community);
        let mut f = Some(f);
        loop {
            // The writer thread's turn first: pushes of this community wait for reads, so reads that
            // keep coming must not keep them waiting for ever.
            let since = Instant::now();
            while slot.writer_waiting.load(Ordering::Acquire) && since.elapsed() < READ_HOLD_BACK {
                std::thread::sleep(Duration::from_micros(200));
            }
            {
                let replica = slot.read();
                if let Some(r) = replica.as_ref() {
                    let f = f.take().expect("called once");
                    return Ok(f(r));
                }
            }
            self.load(&slot, community)?;
        }
    }
}

/// The jobs waiting, per community, the communities in turn.
#[derive(Default)]
struct Waiting {
    queues: VecDeque<(String, VecDeque<Job>)>,
}

impl Waiting {
    fn is_empty(&self) -> bool {
        self.queues.is_empty()
    }

    fn push(&mut self, job: Job) {
        match self.queues.iter_mut().find(|(c, _)| *c == job.community) {
            Some((_, q)) => q.push_back(job),
            None => self
                .queues
                .push_back((job.community.clone(), VecDeque::from([job]))),
        }
    }

    /// Answers every waiting job of `community` with `error`.
    fn fail(&mut self, community: &str, error: &str) {
        if let Some(i) = self.queues.iter().position(|(c, _)| c == community) {
            let (_, jobs) = self.queues.remove(i).expect("found");
            for job in jobs {
                let _ = job.reply.send(Err(error.to_string()));
            }
        }
    }

    /// A group: one job of each community in `ready` in turn, until [`GROUP_MAX_OPS`] operations (at
    /// least one job). Returns the jobs per community (index into `ready`), each community's in order.
    fn take_group(&mut self, ready: &[&str]) -> Vec<Vec<Job>> {
        let mut group: Vec<Vec<Job>> = ready.iter().map(|_| Vec::new()).collect();
        let mut count = 0;
        'rounds: loop {
            let mut took = false;
            for (community, queue) in self.queues.iter_mut() {
                let Some(i) = ready.iter().position(|r| r == community) else {
                    continue;
                };
                let Some(next) = queue.front() else { continue };
                if count > 0 && count + next.ops.len() > GROUP_MAX_OPS {
                    break 'rounds;
                }
                let job = queue.pop_front().expect("front");
                count += job.ops.len();
                group[i].push(job);
                took = true;
            }
            if !took {
                break;
            }
        }
        self.queues.retain(|(_, q)| !q.is_empty());
        // The next group starts its turns with another community.
        self.queues.rotate_left(1.min(self.queues.len()));
        group
    }
}

fn run(replicas: Arc<Replicas>, rules: Arc<RuleSet>, mut rx: mpsc::Receiver<Job>) {
    let mut waiting = Waiting::default();
    let mut open = true;
    loop {
        // Everything that has arrived; block only when nothing waits.
        if waiting.is_empty() {
            if !open {
                break;
            }
            match rx.blocking_recv() {
                Some(job) => waiting.push(job),
                None => break,
            }
        }
        while open {
            match rx.try_recv() {
                Ok(job) => waiting.push(job),
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => open = false,
            }
        }

        // The communities whose replica this thread can lock now.
        let slots: Vec<(String, Arc<Slot>)> = waiting
            .queues
            .iter()
            .map(|(c, _)| (c.clone(), replicas.slot(c)))
            .collect();
        let mut ready: Vec<&str> = Vec::new();
        let mut guards: Vec<RwLockWriteGuard<'_, Option<Replica>>> = Vec::new();
        for (community, slot) in &slots {
            if let Some(e) = lock(&slot.failed).take() {
                slot.writer_waiting.store(false, Ordering::Release);
                waiting.fail(community, &e);
                continue;
            }
            let guard = match slot.replica.try_write() {
                Ok(g) => g,
                Err(TryLockError::WouldBlock) => {
                    slot.writer_waiting.store(true, Ordering::Release);
                    continue;
                }
                Err(TryLockError::Poisoned(p)) => {
                    // A loader panicked: whatever it left is not trusted.
                    let mut g = p.into_inner();
                    *g = None;
                    slot.replica.clear_poison();
                    g
                }
            };
            slot.writer_waiting.store(false, Ordering::Release);
            if guard.is_none() {
                drop(guard);
                replicas.load_in_background(slot, community);
                continue;
            }
            ready.push(community);
            guards.push(guard);
        }
        if ready.is_empty() {
            if !waiting.is_empty() {
                std::thread::sleep(RETRY);
            }
            continue;
        }

        let group = waiting.take_group(&ready);
        // Only the communities with jobs in this group stay locked.
        let mut work: Vec<(RwLockWriteGuard<'_, Option<Replica>>, Vec<Job>)> = guards
            .into_iter()
            .zip(group)
            .filter(|(_, jobs)| !jobs.is_empty())
            .collect();
        let count: usize = work
            .iter()
            .flat_map(|(_, jobs)| jobs)
            .map(|j| j.ops.len())
            .sum();
        let now = crate::clock::now_ms();
        let started = Instant::now();
        // A panic in the rules (a bug) must not stop the writer: the transaction rolls back as it unwinds
        // and the batch is answered `internal`, like a failed commit.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let mut conn = replicas.db.writer();
            let mut batch: Vec<(&mut Replica, &[Job])> = work
                .iter_mut()
                .map(|(g, jobs)| (g.as_mut().expect("locked when loaded"), jobs.as_slice()))
                .collect();
            process(&mut conn, &mut batch, &rules, now).map_err(|e| e.to_string())
        }))
        .unwrap_or_else(|_| Err("panic while processing a push".to_string()));
        let jobs = work.iter().map(|(_, jobs)| jobs.len()).sum::<usize>();
        match result {
            Ok(all) => {
                tracing::debug!(
                    jobs,
                    ops = count,
                    micros = started.elapsed().as_micros() as u64,
                    "group committed"
                );
                // The replicas are unlocked before the answers go: an answered push is readable.
                let answered: Vec<Job> = work.into_iter().flat_map(|(_, jobs)| jobs).collect();
                for (job, outcomes) in answered.into_iter().zip(all) {
                    let _ = job.reply.send(Ok(outcomes));
                }
            }
            Err(e) => {
                tracing::error!(error = %e, jobs, "push transaction failed; dropping the replicas it touched");
                for (mut guard, jobs) in work {
                    *guard = None;
                    drop(guard);
                    for job in jobs {
                        let _ = job.reply.send(Err(e.clone()));
                    }
                }
            }
        }
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

/// Checks, applies and stores every job of `batch` (each community's replica with its jobs, in order) in
/// one transaction; returns the outcomes of each job, in the order of `batch`.
fn process(
    conn: &mut Connection,
    batch: &mut [(&mut Replica, &[Job])],
    rules: &RuleSet,
    now: u64,
) -> rusqlite::Result<Vec<Vec<Outcome>>> {
    let tx = conn.transaction()?;
    let mut all = Vec::with_capacity(batch.iter().map(|(_, jobs)| jobs.len()).sum());
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
        for (replica, jobs) in batch.iter_mut() {
            for job in jobs.iter() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::Hlc;
    use linli_core::sync::{Body, EntityKind, EntityRef, OP_FORMAT_VERSION};
    use uuid::Uuid;

    /// A job of `ops` deletes, each operation's JSON standing for its label.
    fn job(community: &str, label: &str, ops: usize) -> Job {
        let op = Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::nil(),
            device_id: Uuid::nil(),
            author: "a".into(),
            hlc: Hlc { ms: 0, n: 0 },
            community: community.into(),
            entity: EntityRef {
                kind: EntityKind::Household,
                id: Uuid::nil(),
            },
            body: Body::Delete,
        };
        let (reply, _) = oneshot::channel();
        Job {
            community: community.into(),
            ops: (0..ops)
                .map(|_| Prepared {
                    op: op.clone(),
                    json: label.into(),
                    last_contact_ms: None,
                })
                .collect(),
            reply,
        }
    }

    fn labels(jobs: &[Job]) -> Vec<&str> {
        jobs.iter().map(|j| j.ops[0].json.as_str()).collect()
    }

    #[test]
    fn a_group_takes_one_job_of_each_community_in_turn() {
        assert_eq!(GROUP_MAX_OPS, 2_000);
        let mut w = Waiting::default();
        for i in 1..=5 {
            w.push(job("a", &format!("a{i}"), 500));
        }
        w.push(job("b", "b1", 1));
        w.push(job("c", "c1", 1));
        // c's replica is busy: its job waits. Turns: a1, b1 | a2 | a3 = 1,501 operations; a4 would
        // make 2,001, over GROUP_MAX_OPS.
        let group = w.take_group(&["a", "b"]);
        assert_eq!(labels(&group[0]), ["a1", "a2", "a3"]);
        assert_eq!(labels(&group[1]), ["b1"]);
        // Then c1, a4 and a5 (1,001 operations).
        let group = w.take_group(&["a", "c"]);
        assert_eq!(labels(&group[0]), ["a4", "a5"]);
        assert_eq!(labels(&group[1]), ["c1"]);
        assert!(w.is_empty());
    }
}
