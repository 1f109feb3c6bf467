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
//! On PostgreSQL several server processes share one database, and each keeps its own replicas. The
//! push transaction first locks the community's row of `sync_heads` (an upsert, so the row exists);
//! that row lock serialises the writers of one community across every process, and its `seq` — the last
//! sequence number given in the community — is the community's version: a replica that has seen less
//! is brought up to date from `ops` inside the same locked transaction before anything is checked, and
//! a read compares the replica's `seq` with the row first. Operations get `seq` head+1, head+2, … under
//! the lock, so each community's cursor is gap-free and in commit order whichever process wrote it.
//! Communities are locked in order of their ids, so two processes' groups never deadlock. No advisory
//! lock, no LISTEN/NOTIFY (ARCHITECTURE.md "Several processes, one database").
//!
//! Invariants:
//! - SQLite: one server process per database: the replicas are a cache of the `ops` table that nobody
//!   else writes. PostgreSQL: a replica is a cache of `ops` up to its `seq`, checked against
//!   `sync_heads` before every check and every read.
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

use crate::db::pg::PgConn;
use crate::db::{Conn, Db, DbError, DbResult};
use crate::http::ApiError;
use linli_core::sync::{Operation, Replica};
use linli_core::{RuleError, RuleSet};
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, RwLock, RwLockReadGuard, RwLockWriteGuard, TryLockError};
use std::time::{Duration, Instant};
use tokio::sync::mpsc::error::TryRecvError;
use tokio::sync::{Semaphore, mpsc, oneshot};
use uuid::Uuid;

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
    reply: oneshot::Sender<Result<Vec<Outcome>, Failed>>,
}

/// Why a job was not done: the database could not be reached (503, the device tries again), or
/// anything else (500). Nothing of the job is stored either way.
#[derive(Clone, Debug)]
enum Failed {
    Unavailable(String),
    Internal(String),
}

impl From<DbError> for Failed {
    fn from(e: DbError) -> Failed {
        if e.is_unavailable() {
            Failed::Unavailable(e.to_string())
        } else {
            Failed::Internal(e.to_string())
        }
    }
}

impl From<Failed> for ApiError {
    fn from(f: Failed) -> ApiError {
        match f {
            Failed::Unavailable(e) => ApiError::Unavailable(e),
            Failed::Internal(e) => ApiError::Internal(e),
        }
    }
}

/// A community's replica as this process holds it, and the last `seq` of the community it has applied
/// (PostgreSQL; always 0 on SQLite, where this process is the only writer).
pub struct Cached {
    pub replica: Replica,
    pub seq: i64,
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
    pub fn start(db: Db, rules: Arc<RuleSet>, max_replicas: usize) -> Writer {
        let (tx, rx) = mpsc::channel::<Job>(4096);
        let replicas = Arc::new(Replicas {
            db,
            slots: Mutex::new(HashMap::new()),
            max: max_replicas.max(1),
            clock: AtomicU64::new(0),
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
            Ok(Err(e)) => Err(e.into()),
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
                tracing::error!(error = ?e, "loading a replica for a read failed");
                Err(e.into())
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
    /// Most replicas kept loaded (`LINLI_MAX_REPLICAS`); the least recently used beyond it are dropped.
    max: usize,
    /// A counter that orders uses (each use of a slot takes the next value).
    clock: AtomicU64,
}

struct Slot {
    /// Turns for reads ([`READS_PER_COMMUNITY`]).
    reads: Semaphore,
    /// `None`: not loaded yet, or dropped after a failed transaction.
    replica: RwLock<Option<Cached>>,
    /// Set while the writer thread has jobs for this replica and could not lock it: new reads hold back.
    writer_waiting: AtomicBool,
    /// A loader thread is at work on this replica.
    loading: AtomicBool,
    /// When it was last used ([`Replicas::clock`]).
    used: AtomicU64,
    /// Why the last load by a loader thread failed; the writer answers the waiting jobs with it.
    failed: Mutex<Option<Failed>>,
}

impl Default for Slot {
    fn default() -> Slot {
        Slot {
            reads: Semaphore::new(READS_PER_COMMUNITY),
            replica: RwLock::default(),
            writer_waiting: AtomicBool::default(),
            loading: AtomicBool::default(),
            used: AtomicU64::default(),
            failed: Mutex::default(),
        }
    }
}

impl Slot {
    fn read(&self) -> RwLockReadGuard<'_, Option<Cached>> {
        // A panic never leaves a replica half-changed under a read guard, and a writer that panics
        // drops the replica (see `run`), so a poisoned lock is still sound to use.
        self.replica.read().unwrap_or_else(|p| p.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, Option<Cached>> {
        self.replica.write().unwrap_or_else(|p| p.into_inner())
    }
}

impl Replicas {
    fn slot(&self, community: &str) -> Arc<Slot> {
        let mut slots = lock(&self.slots);
        let s = match slots.get(community) {
            Some(s) => s.clone(),
            None => {
                let s = Arc::new(Slot::default());
                slots.insert(community.to_string(), s.clone());
                s
            }
        };
        s.used.store(
            self.clock.fetch_add(1, Ordering::Relaxed),
            Ordering::Relaxed,
        );
        s
    }

    /// Drops the least recently used replicas beyond [`Replicas::max`] (writer thread, between groups).
    /// A replica being read or loaded is skipped; a dropped one is loaded again on next use.
    fn evict(&self) {
        let loaded: Vec<(String, Arc<Slot>)> = lock(&self.slots)
            .iter()
            .map(|(c, s)| (c.clone(), s.clone()))
            .collect();
        let mut loaded: Vec<_> = loaded
            .into_iter()
            .filter(|(_, s)| matches!(s.replica.try_read().as_deref(), Ok(Some(_))))
            .collect();
        if loaded.len() <= self.max {
            return;
        }
        loaded.sort_by_key(|(_, s)| s.used.load(Ordering::Relaxed));
        let excess = loaded.len() - self.max;
        for (community, slot) in loaded.into_iter().take(excess) {
            if let Ok(mut g) = slot.replica.try_write() {
                *g = None;
                tracing::debug!(community, "replica dropped (least recently used)");
            }
        }
    }

    /// Loads `community`'s replica into its slot unless it is there already, or (with `head`, the
    /// community's last `seq` in the database) brings it up to `head` (blocking).
    fn load(&self, slot: &Slot, community: &str, head: Option<i64>) -> Result<(), Failed> {
        let mut replica = slot.write();
        match replica.as_mut() {
            None => {
                let started = Instant::now();
                let loaded = self.db.read(|c| load_replica(c, community))?;
                tracing::info!(
                    community,
                    records = loaded.replica.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "replica loaded"
                );
                *replica = Some(loaded);
            }
            Some(cached) => {
                if head.is_some_and(|h| h > cached.seq) {
                    let pool = self.db.pg().expect("a head is read only on PostgreSQL");
                    if let Err(e) = pool.with(|c| catch_up(&mut c.client, community, cached)) {
                        *replica = None;
                        return Err(e.into());
                    }
                }
            }
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
                if let Err(e) = replicas.load(&s, &c, None) {
                    tracing::error!(community = c, error = ?e, "loading a replica failed");
                    *lock(&s.failed) = Some(e);
                }
                s.loading.store(false, Ordering::Release);
            });
        if let Err(e) = spawned {
            *lock(&slot.failed) = Some(Failed::Internal(format!("spawning a replica loader: {e}")));
            slot.loading.store(false, Ordering::Release);
        }
    }

    /// At start: loads every community's replica, one after the other, so that the first push after a
    /// restart finds it in memory.
    fn preload(&self) {
        let communities = self.db.read(crate::db::communities);
        match communities {
            Ok(list) => {
                for c in list.into_iter().take(self.max) {
                    if let Err(e) = self.load(&self.slot(&c), &c, None) {
                        tracing::error!(community = c, error = ?e, "preloading a replica failed");
                    }
                }
            }
            Err(e) => tracing::error!(error = %e, "listing the communities to preload failed"),
        }
    }

    /// Runs `f` on `community`'s replica under its read lock, loading the replica first if needed (on
    /// PostgreSQL, also bringing it up to the community's head, which another process may have moved).
    fn read<T>(&self, community: &str, f: impl FnOnce(&Replica) -> T) -> Result<T, Failed> {
        let slot = self.slot(community);
        let mut f = Some(f);
        let head = match self.db.pg() {
            Some(pool) => Some(pool.with(|c| head_seq(&mut c.client, community))?),
            None => None,
        };
        loop {
            // The writer thread's turn first: pushes of this community wait for reads, so reads that
            // keep coming must not keep them waiting for ever.
            let since = Instant::now();
            while slot.writer_waiting.load(Ordering::Acquire) && since.elapsed() < READ_HOLD_BACK {
                std::thread::sleep(Duration::from_micros(200));
            }
            {
                let replica = slot.read();
                if let Some(r) = replica.as_ref()
                    && head.is_none_or(|h| r.seq >= h)
                {
                    let f = f.take().expect("called once");
                    return Ok(f(&r.replica));
                }
            }
            self.load(&slot, community, head)?;
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
    fn fail(&mut self, community: &str, error: &Failed) {
        if let Some(i) = self.queues.iter().position(|(c, _)| c == community) {
            let (_, jobs) = self.queues.remove(i).expect("found");
            for job in jobs {
                let _ = job.reply.send(Err(error.clone()));
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
    let mut rejected = load_rejected(&replicas.db);
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
        let mut guards: Vec<RwLockWriteGuard<'_, Option<Cached>>> = Vec::new();
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
        let mut work: Vec<(RwLockWriteGuard<'_, Option<Cached>>, Vec<Job>)> = guards
            .into_iter()
            .zip(group)
            .filter(|(_, jobs)| !jobs.is_empty())
            .collect();
        // Rows are locked in order of community (PostgreSQL): two processes' groups never deadlock.
        work.sort_by(|a, b| a.1[0].community.cmp(&b.1[0].community));
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
            let mut batch: Vec<(&mut Cached, &[Job])> = work
                .iter_mut()
                .map(|(g, jobs)| (g.as_mut().expect("locked when loaded"), jobs.as_slice()))
                .collect();
            match replicas.db.sqlite_writer() {
                Some(mut conn) => process(&mut conn, &mut batch, &rules, now, &mut rejected)
                    .map_err(|e| Failed::Internal(e.to_string())),
                None => {
                    let pool = replicas.db.pg().expect("PostgreSQL when not SQLite");
                    pool.with(|c| process_pg(c, &mut batch, &rules, now))
                        .map_err(Failed::from)
                }
            }
        }))
        .unwrap_or_else(|_| {
            Err(Failed::Internal(
                "panic while processing a push".to_string(),
            ))
        });
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
                tracing::error!(error = ?e, jobs, "push transaction failed; dropping the replicas it touched");
                for (mut guard, jobs) in work {
                    *guard = None;
                    drop(guard);
                    for job in jobs {
                        let _ = job.reply.send(Err(e.clone()));
                    }
                }
            }
        }
        if lock(&replicas.slots).len() > replicas.max {
            replicas.evict();
        }
    }
}

/// Rebuilds a community's replica by replaying its operations in `seq` order.
pub fn load_replica(conn: &mut Conn<'_>, community: &str) -> DbResult<Cached> {
    match conn {
        Conn::Sqlite(c) => {
            let mut replica = Replica::new();
            let mut stmt =
                c.prepare_cached("SELECT seq, json FROM ops WHERE community = ?1 ORDER BY seq")?;
            let mut rows = stmt.query([community])?;
            while let Some(row) = rows.next()? {
                let json: String = row.get(1)?;
                apply_stored(&mut replica, row.get(0)?, &json);
            }
            Ok(Cached { replica, seq: 0 })
        }
        Conn::Pg(c) => {
            let mut cached = Cached {
                replica: Replica::new(),
                seq: 0,
            };
            catch_up(&mut c.client, community, &mut cached)?;
            Ok(cached)
        }
    }
}

fn apply_stored(replica: &mut Replica, seq: i64, json: &str) {
    match serde_json::from_str::<Operation>(json) {
        Ok(op) => replica.apply(&op),
        Err(e) => {
            tracing::error!(seq, error = %e, "stored operation does not parse; skipped")
        }
    }
}

/// PostgreSQL: the community's last `seq` (0 before its first operation).
fn head_seq(client: &mut impl postgres::GenericClient, community: &str) -> DbResult<i64> {
    Ok(client
        .query_opt(
            "SELECT seq FROM sync_heads WHERE community = $1",
            &[&community],
        )?
        .map(|r| r.get::<_, i64>(0))
        .unwrap_or(0))
}

/// PostgreSQL: applies the community's operations after `cached.seq`, streaming them in `seq` order
/// (a whole community's on a first load), and moves `cached.seq` to the last one.
fn catch_up(
    client: &mut impl postgres::GenericClient,
    community: &str,
    cached: &mut Cached,
) -> DbResult<()> {
    use postgres::fallible_iterator::FallibleIterator;
    let since = cached.seq;
    let params: [&(dyn postgres::types::ToSql + Sync); 2] = [&community, &since];
    let mut rows = client.query_raw(
        "SELECT seq, json FROM ops WHERE community = $1 AND seq > $2 ORDER BY seq",
        params,
    )?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0);
        apply_stored(&mut cached.replica, seq, row.get(1));
        cached.seq = seq;
    }
    Ok(())
}

/// The ids of every refused operation (SQLite; all communities), read once when the writer starts and
/// kept by it: a pushed operation is looked up in `rejections` only when its id is here. `None` when
/// the table could not be read: then every operation is looked up.
fn load_rejected(db: &Db) -> Option<HashSet<Uuid>> {
    let conn = db.sqlite_writer()?;
    let read = (|| -> rusqlite::Result<HashSet<Uuid>> {
        let mut stmt = conn.prepare("SELECT op_id FROM rejections")?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .filter_map(|id| id.ok().and_then(|id| Uuid::parse_str(&id).ok()))
            .collect();
        Ok(ids)
    })();
    match read {
        Ok(ids) => Some(ids),
        Err(e) => {
            tracing::error!(error = %e, "reading the refused operations' ids failed; each push looks them up");
            None
        }
    }
}

/// The community whose operation `ops` holds under `id`, if any (`find_op`: `SELECT community FROM ops
/// WHERE id = ?1`).
fn stored_in(
    find_op: &mut rusqlite::CachedStatement<'_>,
    id: &str,
) -> rusqlite::Result<Option<String>> {
    find_op
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()
}

/// Whether `e` is a constraint's refusal (here: an id `ops` holds already).
fn is_constraint(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
}

/// Checks, applies and stores every job of `batch` (each community's replica with its jobs, in order) in
/// one transaction; returns the outcomes of each job, in the order of `batch`.
///
/// An operation sent before gets the same answer as the first time, and nothing is stored again; an id
/// another community used is a conflict, which says nothing of that community's operation. Found
/// without a lookup per operation (the writer's cost per operation is what 200 devices pushing at once
/// wait on):
/// - an earlier refusal, through `rejected` (the refused ids), then `rejections`;
/// - an accepted operation, by its insert, which `ops.id`'s UNIQUE refuses, or (when the rules refuse
///   it now) by looking it up before storing the refusal. The replica takes an operation only once
///   it is inserted.
fn process(
    conn: &mut Connection,
    batch: &mut [(&mut Cached, &[Job])],
    rules: &RuleSet,
    now: u64,
    rejected: &mut Option<HashSet<Uuid>>,
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
        for (cached, jobs) in batch.iter_mut() {
            let replica = &mut cached.replica;
            for job in jobs.iter() {
                let mut outcomes = Vec::with_capacity(job.ops.len());
                for p in &job.ops {
                    let op = &p.op;
                    let id = op.id.to_string();
                    let conflict = || RuleError::field(linli_core::ErrorCode::IdConflict, "id");
                    // The answer for an id `ops` holds: the same community's is a re-send.
                    let stored = |c: String| {
                        if c == op.community {
                            Outcome::Duplicate
                        } else {
                            Outcome::Rejected(conflict())
                        }
                    };
                    if rejected.as_ref().is_none_or(|r| r.contains(&op.id))
                        && let Some((c, error)) = find_rejection
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
                            let inserted = insert_op.execute(params![
                                id,
                                op.community,
                                op.device_id.to_string(),
                                op.author,
                                kind_str(op),
                                op.entity.id.to_string(),
                                p.json,
                                now as i64
                            ]);
                            match inserted {
                                Ok(_) => {
                                    replica.apply(op);
                                    outcomes.push(Outcome::Accepted);
                                }
                                Err(e) if is_constraint(&e) => {
                                    match stored_in(&mut find_op, &id)? {
                                        Some(c) => outcomes.push(stored(c)),
                                        None => return Err(e),
                                    }
                                }
                                Err(e) => return Err(e),
                            }
                        }
                        Err(e) => {
                            if let Some(c) = stored_in(&mut find_op, &id)? {
                                outcomes.push(stored(c));
                                continue;
                            }
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
                            // Kept even if this transaction fails: an id here only costs a lookup.
                            if let Some(r) = rejected.as_mut() {
                                r.insert(op.id);
                            }
                            outcomes.push(Outcome::Rejected(e));
                        }
                    }
                }
                all.push(outcomes);
            }
        }
    }
    let committing = Instant::now();
    tx.commit()?;
    tracing::debug!(micros = committing.elapsed().as_micros() as u64, "commit");
    Ok(all)
}

/// The statements of a PostgreSQL push, prepared once per connection (`PgConn::prepare` keeps them).
struct PushStatements {
    lock_head: postgres::Statement,
    find_ops: postgres::Statement,
    find_rejections: postgres::Statement,
    insert_ops: postgres::Statement,
    move_head: postgres::Statement,
    insert_rejections: postgres::Statement,
}

impl PushStatements {
    fn prepare(conn: &mut PgConn) -> DbResult<PushStatements> {
        Ok(PushStatements {
            // The upsert makes the row exist; its lock serialises the community's writers.
            lock_head: conn.prepare(
                "INSERT INTO sync_heads (community, seq) VALUES (?1, 0)
                 ON CONFLICT (community) DO UPDATE SET seq = sync_heads.seq RETURNING seq",
            )?,
            // One index probe per id (`ops_id`, `rejections_op`), whatever the planner believes of the
            // table: `id = ANY(..)` with 2,000 ids was planned as a sequential scan of `ops` while its
            // statistics were not yet gathered (a growing table), and every push grew slower with it.
            // The push's own community's row first, if two communities hold the id.
            find_ops: conn.prepare(
                "SELECT q.id, o.community FROM unnest(?1::text[]) AS q(id)
                 CROSS JOIN LATERAL (SELECT community FROM ops WHERE ops.id = q.id
                                     ORDER BY community <> ?2 LIMIT 1) AS o",
            )?,
            find_rejections: conn.prepare(
                "SELECT q.id, r.community, r.error FROM unnest(?1::text[]) AS q(id)
                 CROSS JOIN LATERAL (SELECT community, error FROM rejections WHERE rejections.op_id = q.id
                                     ORDER BY community <> ?2 LIMIT 1) AS r",
            )?,
            insert_ops: conn.prepare(
                "INSERT INTO ops (community, seq, id, device_id, author, entity_kind, entity_id, json, received_at_ms)
                 SELECT ?1, s, i, d, a, k, e, j, ?2
                 FROM unnest(?3::bigint[], ?4::text[], ?5::text[], ?6::text[], ?7::text[], ?8::text[], ?9::text[])
                      AS t(s, i, d, a, k, e, j)",
            )?,
            move_head: conn.prepare("UPDATE sync_heads SET seq = ?2 WHERE community = ?1")?,
            insert_rejections: conn.prepare(
                "INSERT INTO rejections (community, op_id, code, field, error, json, at_ms)
                 SELECT ?1, i, c, f, e, j, ?2
                 FROM unnest(?3::text[], ?4::text[], ?5::text[], ?6::text[], ?7::text[]) AS t(i, c, f, e, j)",
            )?,
        })
    }
}

/// PostgreSQL's [`process`]: for each community of `batch` (in order of id), locks its `sync_heads`
/// row, brings the replica up to the head, answers duplicates and earlier refusals from the tables
/// (looked up for the whole job at once), checks and applies the rest, and inserts the accepted ones with
/// the next `seq`s and the refusals, each in one statement; then moves the head and commits.
fn process_pg(
    conn: &mut PgConn,
    batch: &mut [(&mut Cached, &[Job])],
    rules: &RuleSet,
    now: u64,
) -> DbResult<Vec<Vec<Outcome>>> {
    // Where a group's time goes, for the log (`RUST_LOG=linli_server::sync::writer=debug`).
    let started = Instant::now();
    let (mut lookup, mut check, mut insert) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    let st = PushStatements::prepare(conn)?;
    let mut tx = conn.client.transaction()?;
    let mut all = Vec::with_capacity(batch.iter().map(|(_, jobs)| jobs.len()).sum());
    let now_ms = now as i64;
    for (cached, jobs) in batch.iter_mut() {
        let Some(community) = jobs.first().map(|j| j.community.as_str()) else {
            continue;
        };
        let head: i64 = tx.query_one(&st.lock_head, &[&community])?.get(0);
        if head < cached.seq {
            return Err(DbError::Column(
                0,
                format!("community {community}: the replica is ahead of the database"),
            ));
        }
        if head > cached.seq {
            catch_up(&mut tx, community, cached)?;
        }
        let step = Instant::now();
        let ids: Vec<String> = jobs
            .iter()
            .flat_map(|j| j.ops.iter().map(|p| p.op.id.to_string()))
            .collect();
        // Every id this transaction knows: stored before (any community), or decided just now.
        let mut known_ops: HashMap<String, String> = HashMap::new();
        for r in tx.query(&st.find_ops, &[&ids, &community])? {
            known_ops.insert(r.get(0), r.get(1));
        }
        let mut known_rejections: HashMap<String, (String, String)> = HashMap::new();
        for r in tx.query(&st.find_rejections, &[&ids, &community])? {
            known_rejections.insert(r.get(0), (r.get(1), r.get(2)));
        }
        lookup += step.elapsed();
        let step = Instant::now();
        let mut seq = head;
        let (mut o_seq, mut o_id, mut o_dev, mut o_author, mut o_kind, mut o_entity, mut o_json) =
            (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
        let (mut r_id, mut r_code, mut r_field, mut r_error, mut r_digest) =
            (vec![], vec![], vec![], vec![], vec![]);
        let replica = &mut cached.replica;
        for job in jobs.iter() {
            let mut outcomes = Vec::with_capacity(job.ops.len());
            for p in &job.ops {
                let op = &p.op;
                let id = op.id.to_string();
                let conflict = || RuleError::field(linli_core::ErrorCode::IdConflict, "id");
                if let Some(c) = known_ops.get(&id) {
                    outcomes.push(if *c == op.community {
                        Outcome::Duplicate
                    } else {
                        Outcome::Rejected(conflict())
                    });
                    continue;
                }
                if let Some((c, error)) = known_rejections.get(&id) {
                    let e = if *c == op.community {
                        serde_json::from_str(error).unwrap_or_else(|_| {
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
                        seq += 1;
                        o_seq.push(seq);
                        o_dev.push(op.device_id.to_string());
                        o_author.push(op.author.clone());
                        o_kind.push(kind_str(op));
                        o_entity.push(op.entity.id.to_string());
                        o_json.push(p.json.as_str());
                        known_ops.insert(id.clone(), op.community.clone());
                        o_id.push(id);
                        outcomes.push(Outcome::Accepted);
                    }
                    Err(e) => {
                        let error = serde_json::to_string(&e).unwrap_or_default();
                        r_code.push(e.code.as_str());
                        r_field.push(e.field.clone());
                        r_digest.push(digest(&p.json));
                        known_rejections.insert(id.clone(), (op.community.clone(), error.clone()));
                        r_error.push(error);
                        r_id.push(id);
                        outcomes.push(Outcome::Rejected(e));
                    }
                }
            }
            all.push(outcomes);
        }
        check += step.elapsed();
        let step = Instant::now();
        if !o_id.is_empty() {
            tx.execute(
                &st.insert_ops,
                &[
                    &community, &now_ms, &o_seq, &o_id, &o_dev, &o_author, &o_kind, &o_entity,
                    &o_json,
                ],
            )?;
            tx.execute(&st.move_head, &[&community, &seq])?;
        }
        if !r_id.is_empty() {
            tx.execute(
                &st.insert_rejections,
                &[
                    &community, &now_ms, &r_id, &r_code, &r_field, &r_error, &r_digest,
                ],
            )?;
        }
        insert += step.elapsed();
        cached.seq = seq;
    }
    let committing = Instant::now();
    tx.commit()?;
    tracing::debug!(
        total_us = started.elapsed().as_micros() as u64,
        lookup_us = lookup.as_micros() as u64,
        check_us = check.as_micros() as u64,
        insert_us = insert.as_micros() as u64,
        commit_us = committing.elapsed().as_micros() as u64,
        "PostgreSQL group"
    );
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
