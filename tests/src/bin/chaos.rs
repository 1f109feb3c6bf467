//! Chaos driver for `cargo xtask chaos`: clients push while the server is killed with SIGKILL and restarted, again and again; no acknowledged operation may be lost or stored twice.
//!
//! `chaos --server target/release/linli-server --dir /tmp/x --cycles 100 --clients 4` starts the server on
//! a database in `--dir` (its log in `server.log` there), logs in as `admin`, and has `--clients` tasks push
//! batches of 20–200 operations (a compound, its buildings and units, then households) in a loop. Each
//! cycle, at a random moment 100–800 ms after the server's first answer (a restarted server first reads its
//! log back), it kills the server with SIGKILL and restarts it on the same database and port. A client
//! re-sends every batch whose answer it did not receive, until it gets one; every answer must be 200 with
//! `accepted` for every operation (for a batch sent again, `accepted` or `duplicate`, the same for all its
//! operations). At the end the whole log is pulled: every acknowledged operation must be there exactly
//! once, as it was sent, and nothing else; the cursor must strictly increase. Prints ONE JSON line:
//! `{"cycles":..,"acknowledged":..,"present":..,"lost":0,"duplicated":0,"seconds":..,…}` and exits
//! non-zero if anything was lost, duplicated, altered or answered unexpectedly.

use clap::Parser;
use linli_core::protocol::{MAX_PULL_LIMIT, OpStatus, PushResponse};
use linli_core::sync::Operation;
use linli_tests::{Client, Device};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const PASSWORD: &str = "chaos-admin-password";
/// How long a client keeps re-sending one batch without any answer before it gives up.
const NO_ANSWER_LIMIT: Duration = Duration::from_secs(120);

#[derive(Parser, Debug)]
#[command(
    about = "Kill -9 a Linli server under load, restart it, and prove nothing acknowledged is lost"
)]
struct Args {
    /// The `linli-server` binary.
    #[arg(long)]
    server: PathBuf,
    /// A directory for the database and the server's log (created if missing).
    #[arg(long)]
    dir: PathBuf,
    /// Kill-and-restart cycles.
    #[arg(long, default_value_t = 10)]
    cycles: u32,
    /// Clients pushing at once.
    #[arg(long, default_value_t = 4)]
    clients: usize,
    /// Seed of the batch sizes and kill moments (default: from the clock; printed in the result).
    #[arg(long)]
    seed: Option<u64>,
    /// The server's `DATABASE_URL` (default: SQLite in `--dir`); a `postgres://` URL runs the chaos on
    /// PostgreSQL (an empty database).
    #[arg(long)]
    database_url: Option<String>,
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port: {e}"))
}

/// The last lines of the server's log, for error messages.
fn log_tail(dir: &Path) -> String {
    let text = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// Starts the server on `dir/linli.db` and `port`; returns once it says it is running.
async fn start_server(
    bin: &Path,
    dir: &Path,
    port: u16,
    database_url: Option<&str>,
) -> Result<Child, String> {
    let database_url = database_url
        .map(str::to_string)
        .unwrap_or_else(|| format!("sqlite://{}/linli.db?mode=rwc", dir.display()));
    let mut last = String::new();
    // Right after a SIGKILL the port can take a moment to be free again.
    for _ in 0..50 {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join("server.log"))
            .map_err(|e| format!("server.log: {e}"))?;
        let mut child = Command::new(bin)
            .arg("serve")
            .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &database_url)
            .env("LINLI_ADMIN_PASSWORD", PASSWORD)
            .env("LINLI_DIST", dir.join("no-dist"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(log)
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        let mut lines = BufReader::new(child.stdout.take().expect("piped")).lines();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
        loop {
            match tokio::time::timeout_at(deadline, lines.next_line()).await {
                Err(_) => return Err("the server did not start within 60 s".into()),
                Ok(Ok(Some(line))) if line.starts_with("Linli is running at ") => {
                    // Keep reading (and discarding) so the server never blocks on a full pipe.
                    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
                    return Ok(child);
                }
                Ok(Ok(Some(_))) => {}
                Ok(_) => {
                    let status = child.wait().await.map_err(|e| e.to_string())?;
                    last = format!("the server exited with {status}:\n{}", log_tail(dir));
                    break;
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Err(last)
}

/// One batch: a compound, 1–3 buildings of 1–2 units each, then households, `size` operations in all.
fn batch(d: &mut Device, rng: &mut StdRng, client: usize, n: u64) -> Vec<Operation> {
    let size = rng.random_range(20..=200usize);
    let (compound, op) = d.compound(&format!("混沌小区 {client}-{n}"));
    let mut ops = vec![op];
    let mut units = Vec::new();
    for b in 0..rng.random_range(1..=3) {
        let (building, op) = d.building(compound, &format!("{}号楼", b + 1));
        ops.push(op);
        for u in 0..rng.random_range(1..=2) {
            let (unit, op) = d.unit(building, &format!("{}单元", u + 1));
            ops.push(op);
            units.push(unit);
        }
    }
    let mut k = 0;
    while ops.len() < size {
        let unit = units[k % units.len()];
        let door = format!("{}", 101 + k / units.len());
        let area = rng.random_range(60..=280) as f64 / 2.0;
        ops.push(d.household(unit, &door, area).1);
        k += 1;
    }
    ops
}

fn digest(op: &Operation) -> u64 {
    let mut h = DefaultHasher::new();
    serde_json::to_string(op)
        .expect("an operation serialises")
        .hash(&mut h);
    h.finish()
}

/// What one client did.
#[derive(Default)]
struct ClientReport {
    /// Every operation it sent, by id: the digest of its JSON.
    sent: HashMap<Uuid, u64>,
    /// Operations answered `accepted` or `duplicate`.
    acknowledged: Vec<Uuid>,
    batches: u64,
}

/// Progress shared by the clients, for the log.
#[derive(Default)]
struct Counts {
    acknowledged: AtomicU64,
    resent: AtomicU64,
}

/// Pushes batches until `stop`; re-sends a batch until its answer arrives. Any answer but 200 with
/// `accepted` (or, for a batch sent again, `duplicate`) for every operation is an error.
async fn client(
    i: usize,
    http: reqwest::Client,
    base: String,
    login: Client,
    seed: u64,
    stop: Arc<AtomicBool>,
    counts: Arc<Counts>,
) -> Result<ClientReport, String> {
    let community = login
        .login
        .as_ref()
        .map(|l| l.community.clone())
        .unwrap_or_default();
    let mut d = Device::new("admin", &community);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut report = ClientReport::default();
    let url = format!("{base}/api/sync/push");
    while !stop.load(Ordering::Relaxed) {
        let ops = batch(&mut d, &mut rng, i, report.batches);
        for op in &ops {
            report.sent.insert(op.id, digest(op));
        }
        let ids: Vec<Uuid> = ops.iter().map(|op| op.id).collect();
        let body = serde_json::to_vec(&d.push_request(ops)).map_err(|e| e.to_string())?;
        let first_try = Instant::now();
        let mut attempt = 0u32;
        let answer = loop {
            attempt += 1;
            if attempt > 1 {
                counts.resent.fetch_add(1, Ordering::Relaxed);
            }
            let sent = http
                .post(&url)
                .bearer_auth(&login.token)
                .header("content-type", "application/json")
                .body(body.clone())
                .send()
                .await;
            let resp = match sent {
                Ok(r) => r,
                Err(_) if first_try.elapsed() < NO_ANSWER_LIMIT => {
                    // The server is gone or not back yet: send the same batch again shortly.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
                Err(e) => return Err(format!("client {i}: no answer for 120 s: {e}")),
            };
            let status = resp.status();
            match resp.bytes().await {
                // Killed while sending the answer: not received, so sent again.
                Err(_) => continue,
                Ok(bytes) if status.is_success() => {
                    break serde_json::from_slice::<PushResponse>(&bytes)
                        .map_err(|e| format!("client {i}: answer is not a push response: {e}"))?;
                }
                Ok(bytes) => {
                    return Err(format!(
                        "client {i}: unexpected status {status}: {}",
                        String::from_utf8_lossy(&bytes)
                    ));
                }
            }
        };
        let got: Vec<Uuid> = answer.results.iter().map(|r| r.op_id).collect();
        if got != ids {
            return Err(format!(
                "client {i}: the answer names {} operations, not the {} sent in order",
                got.len(),
                ids.len()
            ));
        }
        // One batch is committed in one transaction: all of it, or none of it, was stored before.
        if answer
            .results
            .iter()
            .any(|r| r.status != answer.results[0].status)
        {
            return Err(format!(
                "client {i}: attempt {attempt} of a batch was answered partly duplicate"
            ));
        }
        for r in &answer.results {
            let fine = match r.status {
                OpStatus::Accepted => true,
                OpStatus::Duplicate => attempt > 1,
                OpStatus::Rejected => false,
            };
            if !fine {
                return Err(format!(
                    "client {i}: attempt {attempt} of a batch answered {r:?}"
                ));
            }
        }
        counts
            .acknowledged
            .fetch_add(ids.len() as u64, Ordering::Relaxed);
        report.acknowledged.extend(ids);
        report.batches += 1;
    }
    Ok(report)
}

/// The whole operation log, page by page; checks that the cursor strictly increases and that each
/// page fits between its cursors (sequence numbers are whole and increasing).
async fn pull_everything(c: &Client, rng: &mut StdRng) -> Result<Vec<Operation>, String> {
    let mut all = Vec::new();
    let mut since = 0i64;
    loop {
        // Pages of varying size, so the cursor samples many positions of the log.
        let limit = rng.random_range(1..=MAX_PULL_LIMIT);
        let page = c.pull(since, limit).await?;
        if page.ops.is_empty() {
            if page.next != since {
                return Err(format!(
                    "an empty page moved the cursor from {since} to {}",
                    page.next
                ));
            }
            return Ok(all);
        }
        if page.ops.len() > limit as usize
            || page.next <= since
            || page.next - since < page.ops.len() as i64
        {
            return Err(format!(
                "sequence numbers not strictly increasing: {} operations after {since} end at {}",
                page.ops.len(),
                page.next
            ));
        }
        since = page.next;
        all.extend(page.ops);
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(Args::parse()).await {
        Ok(true) => std::process::ExitCode::SUCCESS,
        Ok(false) => std::process::ExitCode::FAILURE,
        Err(e) => {
            eprintln!("chaos: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Runs the cycles and the final check; `Ok(false)` when the check found a problem.
async fn run(args: Args) -> Result<bool, String> {
    let start = Instant::now();
    let seed = args.seed.unwrap_or_else(linli_tests::now_ms);
    let mut rng = StdRng::seed_from_u64(seed);
    std::fs::create_dir_all(&args.dir).map_err(|e| format!("{}: {e}", args.dir.display()))?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut server =
        start_server(&args.server, &args.dir, port, args.database_url.as_deref()).await?;
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let login = Client::login(&http, &base, "admin", PASSWORD).await?;

    let stop = Arc::new(AtomicBool::new(false));
    let counts = Arc::new(Counts::default());
    let tasks: Vec<_> = (0..args.clients.max(1))
        .map(|i| {
            tokio::spawn(client(
                i,
                http.clone(),
                base.clone(),
                login.clone(),
                seed.wrapping_add(1 + i as u64),
                stop.clone(),
                counts.clone(),
            ))
        })
        .collect();

    let mut cycles = 0;
    let mut before = 0;
    'cycles: for cycle in 1..=args.cycles {
        // The moment counts from the first answer of this server, so that every kill lands while pushes
        // are being committed (not while a restarted server is still reading its log back).
        let since = Instant::now();
        while counts.acknowledged.load(Ordering::Relaxed) == before {
            if tasks.iter().any(|t| t.is_finished()) {
                break 'cycles; // a client failed; its error is reported below
            }
            if since.elapsed() > NO_ANSWER_LIMIT {
                return Err(format!(
                    "cycle {cycle}: no push answered for 120 s:\n{}",
                    log_tail(&args.dir)
                ));
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let first = since.elapsed();
        let wait = rng.random_range(100..=800u64);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        if tasks.iter().any(|t| t.is_finished()) {
            break; // a client failed; its error is reported below
        }
        server.start_kill().map_err(|e| format!("kill: {e}"))?; // SIGKILL
        server.wait().await.map_err(|e| e.to_string())?;
        before = counts.acknowledged.load(Ordering::Relaxed);
        server = start_server(&args.server, &args.dir, port, args.database_url.as_deref()).await?;
        cycles = cycle;
        eprintln!(
            "chaos: cycle {cycle}/{}: first answer after {} ms, killed {wait} ms later, restarted; \
             {before} acknowledged, {} re-sent ({:.0} s)",
            args.cycles,
            first.as_millis(),
            counts.resent.load(Ordering::Relaxed),
            start.elapsed().as_secs_f64()
        );
    }
    // Some more pushes to the last server, then every client finishes the batch it is sending.
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    let mut sent = HashMap::new();
    let mut acknowledged = HashSet::new();
    let mut acknowledged_twice = 0usize;
    let mut batches = 0;
    let mut failures = Vec::new();
    for t in tasks {
        match t.await.map_err(|e| e.to_string())? {
            Ok(r) => {
                sent.extend(r.sent);
                batches += r.batches;
                for id in r.acknowledged {
                    if !acknowledged.insert(id) {
                        acknowledged_twice += 1;
                    }
                }
            }
            Err(e) => failures.push(e),
        }
    }

    let pulled = pull_everything(&login, &mut rng).await?;
    let _ = server.start_kill();
    let _ = server.wait().await;

    let mut count: HashMap<Uuid, usize> = HashMap::new();
    let mut altered = 0usize;
    for op in &pulled {
        *count.entry(op.id).or_default() += 1;
        if sent.get(&op.id).is_some_and(|d| *d != digest(op)) {
            altered += 1;
        }
    }
    let present = acknowledged
        .iter()
        .filter(|id| count.contains_key(id))
        .count();
    let lost = acknowledged.len() - present;
    let duplicated = count.values().filter(|n| **n > 1).count();
    // Every batch was answered in the end, so nothing stored may be unacknowledged.
    let extra = count.keys().filter(|id| !acknowledged.contains(id)).count();
    for e in &failures {
        eprintln!("chaos: {e}");
    }
    let ok = failures.is_empty()
        && lost == 0
        && duplicated == 0
        && extra == 0
        && altered == 0
        && acknowledged_twice == 0;
    println!(
        "{{\"cycles\":{},\"acknowledged\":{},\"present\":{present},\"lost\":{lost},\"duplicated\":{duplicated},\
         \"seconds\":{:.1},\"clients\":{},\"batches\":{batches},\"resent\":{},\"pulled\":{},\"extra\":{extra},\
         \"altered\":{altered},\"failures\":{},\"seed\":{seed}}}",
        cycles,
        acknowledged.len(),
        start.elapsed().as_secs_f64(),
        args.clients.max(1),
        counts.resent.load(Ordering::Relaxed),
        pulled.len(),
        failures.len(),
    );
    Ok(ok)
}
