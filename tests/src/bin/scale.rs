//! Scale scenario for `cargo xtask bench` (issue 7 item 4, "one request stalls every community"): a big
//! community's heavy requests must not stall another community's pushes.
//!
//! `scale --server target/release/linli-server --password P` starts the server on a database of its own
//! (or `scale --url http://127.0.0.1:PORT --database-url sqlite://…/linli.db?mode=rwc --password P`
//! measures a running one), logs in as `admin` (community A, the server's first community) and builds,
//! not timed, a compound of `--buildings` buildings of `--units` units each and households up to
//! `--records` records in all (pushes of 1,000 operations, the protocol's most), with a renovation
//! project. Community B and its staff account are created in the server's database (as `linli-server
//! admin create-user` does; the running server reads accounts from it). A server started here is then
//! restarted, so that A's replica must be loaded again. While B's device pushes one household every
//! `--b-every-ms` (each push sent without waiting for the one before, as many devices would):
//! 0. (restarted server only) A's first request, a push of `--deletes` deletes of households (timed);
//! 1. A pushes `--deletes` more deletes in ONE push (timed), then `--flood` such pushes at once;
//! 2. A's staff opens the codes page of the compound (`GET /api/projects/{id}/codes`, timed to its
//!    last byte);
//! 3. the same, compressed as a browser asks for it (`accept-encoding: br`).
//!
//! Prints ONE JSON line: `{"records":N,"delete_push_ms":..,"deletes_accepted":..,"b_during_delete_p99_ms":..,
//! "codes_page_ms":..,"codes_rows":..,"b_during_codes_p99_ms":..,"cold_delete_push_ms":..,…}`. B's figures
//! count every push of B that was under way while A's request was.

use clap::Parser;
use linli_core::EntityKind;
use linli_core::protocol::{MAX_PUSH_OPS, OpStatus, PushResponse};
use linli_core::sync::{Body, Operation};
use linli_server::config::Config;
use linli_tests::{Client, Device};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Parser, Debug)]
#[command(
    about = "A big community's heavy requests beside another community's pushes; one JSON line"
)]
struct Args {
    /// A running server to measure (with `--database-url`), unless `--server` is given.
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    /// The `linli-server` program: started here on a database of its own, and restarted once so that
    /// A's first push after a restart (its replica loaded again) is measured too.
    #[arg(long)]
    server: Option<String>,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long)]
    password: String,
    /// The server's DATABASE_URL, where community B's account is created.
    #[arg(long)]
    database_url: Option<String>,
    /// Records of community A in all: one compound, its buildings and units, the rest households.
    #[arg(long, default_value_t = 300_000)]
    records: usize,
    #[arg(long, default_value_t = 200)]
    buildings: usize,
    /// Units per building.
    #[arg(long, default_value_t = 10)]
    units: usize,
    /// Deletes in A's one push (at most 1,000).
    #[arg(long, default_value_t = 1_000)]
    deletes: usize,
    /// Pushes of `--deletes` deletes A sends at once in the flood phase.
    #[arg(long, default_value_t = 8)]
    flood: usize,
    /// B pushes every this many milliseconds.
    #[arg(long, default_value_t = 5)]
    b_every_ms: u64,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 10_000.0).round() / 10.0
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Pushes `ops` in batches of [`MAX_PUSH_OPS`], `in_flight` pushes at a time (so, with more than one,
/// no batch may depend on another of the same round); every operation must be accepted.
async fn push_all(
    client: &Client,
    device: &Device,
    ops: Vec<Operation>,
    in_flight: usize,
) -> Result<(), String> {
    let mut batches = ops
        .chunks(MAX_PUSH_OPS)
        .map(|c| device.push_request(c.to_vec()))
        .collect::<Vec<_>>()
        .into_iter();
    loop {
        let pair: Vec<_> = batches.by_ref().take(in_flight).collect();
        if pair.is_empty() {
            return Ok(());
        }
        let answers = futures_join(client, &pair).await?;
        for r in answers {
            if let Some(bad) = r.results.iter().find(|r| r.status != OpStatus::Accepted) {
                return Err(format!("setup refused: {bad:?}"));
            }
        }
    }
}

async fn futures_join(
    client: &Client,
    reqs: &[linli_core::protocol::PushRequest],
) -> Result<Vec<PushResponse>, String> {
    let tasks: Vec<_> = reqs
        .iter()
        .map(|r| {
            let (c, r) = (client.clone(), r.clone());
            tokio::spawn(async move { c.push(&r).await })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(out)
}

/// Community B's device: one push of one household every `every`, each sent without waiting for the
/// ones before (so a stall delays every push made meanwhile, as it would many devices), until `stop`;
/// returns each push's start (from `epoch`) and duration.
async fn b_pushes(
    client: Client,
    mut device: Device,
    unit: Uuid,
    first_door: usize,
    every: Duration,
    stop: Arc<AtomicBool>,
    epoch: Instant,
) -> Result<Vec<(Duration, Duration)>, String> {
    let mut sent = Vec::new();
    let mut door = first_door;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    while !stop.load(Ordering::Relaxed) {
        tick.tick().await;
        door += 1;
        let (_, op) = device.household(unit, &door.to_string(), 60.0);
        let body = serde_json::to_vec(&device.push_request(vec![op])).map_err(|e| e.to_string())?;
        let (http, url, token) = (
            client.http.clone(),
            format!("{}/api/sync/push", client.base),
            client.token.clone(),
        );
        sent.push(tokio::spawn(async move {
            let t = Instant::now();
            let resp = http
                .post(url)
                .bearer_auth(token)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            let status = resp.status();
            let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
            let took = t.elapsed();
            let r: PushResponse =
                serde_json::from_slice(&bytes).map_err(|e| format!("B's push: {status} {e}"))?;
            if r.results.iter().any(|r| r.status != OpStatus::Accepted) {
                return Err(format!("B's push refused: {:?}", r.results));
            }
            Ok::<_, String>((t - epoch, took))
        }));
    }
    let mut out = Vec::with_capacity(sent.len());
    for t in sent {
        out.push(t.await.map_err(|e| e.to_string())??);
    }
    Ok(out)
}

/// B's pushes under way during [from, to] (times from `epoch`), sorted by duration.
fn during(all: &[(Duration, Duration)], from: Duration, to: Duration) -> Vec<Duration> {
    let mut v: Vec<Duration> = all
        .iter()
        .filter(|(start, took)| *start <= to && *start + *took >= from)
        .map(|(_, took)| *took)
        .collect();
    v.sort();
    v
}

/// B's side of a phase: its client, device and unit, how often it pushes, and the next door number.
struct B {
    client: Client,
    device: Device,
    unit: Uuid,
    every: Duration,
    door: usize,
}

impl B {
    /// Runs `heavy` (A's request) while B pushes; returns what `heavy` returned, how long it took, and
    /// the durations of B's pushes under way meanwhile.
    async fn beside<T>(
        &mut self,
        heavy: impl std::future::Future<Output = Result<T, String>>,
    ) -> Result<(T, Duration, Vec<Duration>), String> {
        let stop = Arc::new(AtomicBool::new(false));
        let epoch = Instant::now();
        self.door += 100_000;
        let task = tokio::spawn(b_pushes(
            self.client.clone(),
            self.device.clone(),
            self.unit,
            self.door,
            self.every,
            stop.clone(),
            epoch,
        ));
        // B is in its stride before A starts.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let from = epoch.elapsed();
        let out = heavy.await;
        let to = epoch.elapsed();
        tokio::time::sleep(Duration::from_millis(200)).await;
        stop.store(true, Ordering::Relaxed);
        let all = task.await.map_err(|e| e.to_string())??;
        Ok((out?, to - from, during(&all, from, to)))
    }
}

/// A server this program started (`--server`), on a database of its own; killed when dropped.
struct Server {
    child: std::process::Child,
    url: String,
}

impl Server {
    fn start(bin: &str, database_url: &str, password: &str) -> Result<Server, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| e.to_string())?
            .port();
        let child = std::process::Command::new(bin)
            .arg("serve")
            .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database_url)
            .env("LINLI_ADMIN_PASSWORD", password)
            .stdout(std::process::Stdio::null())
            .spawn()
            .map_err(|e| format!("{bin}: {e}"))?;
        Ok(Server {
            child,
            url: format!("http://127.0.0.1:{port}"),
        })
    }

    async fn ready(&self, http: &reqwest::Client) -> Result<(), String> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if http
                .get(format!("{}/api/health", self.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{} did not answer within 30 s", self.url))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The body of a push of `ops`, made before any clock starts (so this program's own work is not
/// counted, nor does it delay B's pushes while they are timed).
fn push_body(device: &Device, ops: Vec<Operation>) -> Result<Vec<u8>, String> {
    serde_json::to_vec(&device.push_request(ops)).map_err(|e| e.to_string())
}

/// A's push of `body` in one request: how many operations were accepted.
async fn push_count(a: &Client, body: Vec<u8>) -> Result<usize, String> {
    let resp = a
        .http
        .post(format!("{}/api/sync/push", a.base))
        .bearer_auth(&a.token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let r: PushResponse = resp.json().await.map_err(|e| e.to_string())?;
    Ok(r.results
        .iter()
        .filter(|r| r.status == OpStatus::Accepted)
        .count())
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let args = Args::parse();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .map_err(|e| e.to_string())?;
    // Our own server (restarted below), or the one at `--url`.
    let tmp = std::env::temp_dir().join(format!("linli-scale-{}", std::process::id()));
    let mut server = None;
    let database_url = match &args.server {
        Some(bin) => {
            let _ = std::fs::remove_dir_all(&tmp);
            std::fs::create_dir_all(&tmp).map_err(|e| e.to_string())?;
            let url = format!("sqlite://{}/linli.db?mode=rwc", tmp.display());
            let s = Server::start(bin, &url, &args.password)?;
            s.ready(&http).await?;
            server = Some(s);
            url
        }
        None => args
            .database_url
            .clone()
            .ok_or("--database-url is needed with --url")?,
    };
    let base = match &server {
        Some(s) => s.url.clone(),
        None => args.url.trim_end_matches('/').to_string(),
    };
    let result = run(&args, &http, &base, &database_url, &mut server).await;
    drop(server);
    if args.server.is_some() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    println!("{}", result?);
    Ok(())
}

async fn run(
    args: &Args,
    http: &reqwest::Client,
    base: &str,
    database_url: &str,
    server: &mut Option<Server>,
) -> Result<serde_json::Value, String> {
    let mut a = Client::login(http, base, &args.username, &args.password).await?;
    let a_community = a
        .login
        .as_ref()
        .map(|l| l.community.clone())
        .unwrap_or_default();

    // Community B and its staff account, in the server's database.
    let stamp = linli_tests::now_ms();
    let b_user = format!("scale-b-{stamp}");
    let b_password = "scale-b-password-1";
    {
        let url = database_url.to_string();
        let config = Config::from_lookup(|name| (name == "DATABASE_URL").then(|| url.clone()))
            .map_err(|e| e.to_string())?;
        let db = linli_server::db::Db::open(&config.database).map_err(|e| e.to_string())?;
        let hash = linli_server::auth::hash_password(b_password).map_err(|e| e.to_string())?;
        linli_tests::off_runtime(|| {
            db.write(|c| {
                linli_server::db::create_community(c, &b_user, "社区 B")?;
                linli_server::db::create_user(c, &b_user, &hash, "staff", &b_user, stamp as i64)
            })
        })
        .map_err(|e| e.to_string())?;
    }

    // Community A: one compound, its buildings and units, households up to `records`.
    let setup_started = Instant::now();
    let mut d = Device::new(&args.username, &a_community);
    let (compound, c_op) = d.compound(&format!("大型小区 {stamp}"));
    let mut ops = vec![c_op];
    let mut units = Vec::new();
    for i in 0..args.buildings {
        let (building, op) = d.building(compound, &format!("{}号楼", i + 1));
        ops.push(op);
        for j in 0..args.units {
            let (u, op) = d.unit(building, &format!("{}单元", j + 1));
            units.push(u);
            ops.push(op);
        }
    }
    let (project, p_op) = d.project(compound, "综合整治", -1, 30, 3, false);
    let places = ops.len();
    ops.push(p_op);
    push_all(&a, &d, ops, 1).await?;
    let households = args.records.saturating_sub(places);
    let mut household_ids = Vec::with_capacity(households);
    let mut ops = Vec::with_capacity(households);
    for i in 0..households {
        let unit = units[i % units.len()];
        let door = 101 + i / units.len();
        let (h, op) = d.household(unit, &door.to_string(), 50.0 + (i % 70) as f64);
        household_ids.push(h);
        ops.push(op);
    }
    let records = places + ops.len();
    // Households only need their units, pushed above: two pushes in flight.
    push_all(&a, &d, ops, 2).await?;
    let setup_seconds = setup_started.elapsed().as_secs_f64();

    // Codes for 100 households of one unit, so the codes page has some history to show.
    let issued: Vec<Uuid> = household_ids
        .iter()
        .step_by(units.len())
        .take(100)
        .copied()
        .collect();
    let resp = a
        .http
        .post(format!("{base}/api/projects/{project}/codes"))
        .bearer_auth(&a.token)
        .json(&serde_json::json!({ "households": issued }))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(format!("issuing codes: {}", resp.status()));
    }

    // Our own server restarts, so that A's replica must be loaded again by A's next push.
    let restarted = match server.take() {
        Some(old) => {
            drop(old);
            let bin = args.server.as_deref().unwrap_or_default();
            let s = Server::start(bin, database_url, &args.password)?;
            s.ready(http).await?;
            let url = s.url.clone();
            *server = Some(s);
            a = Client::login(http, &url, &args.username, &args.password).await?;
            true
        }
        None => false,
    };
    let base = a.base.clone();

    // B's own place, and its first push (its replica loaded), not timed.
    let b_client = Client::login(http, &base, &b_user, b_password).await?;
    let mut bd = Device::new(&b_user, &b_user);
    let (b_unit, place) = bd.place();
    push_all(&b_client, &bd, place, 1).await?;
    let mut b = B {
        client: b_client,
        device: bd,
        unit: b_unit,
        every: Duration::from_millis(args.b_every_ms),
        door: 0,
    };

    // B alone, for reference.
    let (_, _, alone) = b
        .beside(async {
            tokio::time::sleep(Duration::from_millis(1000)).await;
            Ok(())
        })
        .await?;

    let n = args.deletes.min(MAX_PUSH_OPS);
    let mut victims = household_ids.iter().rev().copied();
    let mut deletes = |d: &mut Device| -> Vec<Operation> {
        victims
            .by_ref()
            .take(n)
            .map(|h| d.op(EntityKind::Household, h, Body::Delete))
            .collect()
    };

    // 0. After the restart: A's first request, a push of deletes, loads A's replica.
    let cold = if restarted {
        let ops = deletes(&mut d);
        let body = push_body(&d, ops)?;
        Some(b.beside(push_count(&a, body)).await?)
    } else {
        None
    };

    // 1. A pushes `deletes` deletes of households in one push.
    let ops = deletes(&mut d);
    let body = push_body(&d, ops)?;
    let (accepted, delete_took, b_delete) = b.beside(push_count(&a, body)).await?;

    // 1b. A floods: `--flood` such pushes at once.
    let flood = (0..args.flood)
        .map(|_| {
            let ops = deletes(&mut d);
            push_body(&d, ops)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (flood_accepted, flood_took, b_flood) = b
        .beside(async {
            let tasks: Vec<_> = flood
                .into_iter()
                .map(|body| {
                    let a = a.clone();
                    tokio::spawn(async move { push_count(&a, body).await })
                })
                .collect();
            let mut n = 0;
            for t in tasks {
                n += t.await.map_err(|e| e.to_string())??;
            }
            Ok(n)
        })
        .await?;

    // 2. The codes page of the compound, timed to its last byte (uncompressed, as this client asks).
    let (body, codes_took, b_codes) = b
        .beside(async {
            let resp = a
                .http
                .get(format!("{base}/api/projects/{project}/codes"))
                .bearer_auth(&a.token)
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !resp.status().is_success() {
                return Err(format!("codes page: {}", resp.status()));
            }
            resp.bytes().await.map_err(|e| e.to_string())
        })
        .await?;
    let rows = serde_json::from_slice::<Vec<serde_json::Value>>(&body)
        .map_err(|e| e.to_string())?
        .len();

    // 3. The same page as a browser asks for it: compressed (Brotli), timed to its last byte.
    let (br_bytes, br_took, b_br) = b
        .beside(async {
            let resp = a
                .http
                .get(format!("{base}/api/projects/{project}/codes"))
                .bearer_auth(&a.token)
                .header("accept-encoding", "br")
                .send()
                .await
                .map_err(|e| e.to_string())?;
            if !resp.status().is_success() {
                return Err(format!("codes page: {}", resp.status()));
            }
            Ok(resp.bytes().await.map_err(|e| e.to_string())?.len())
        })
        .await?;

    let p = |v: &[Duration], q: f64| round1(percentile(v, q));
    let max = |v: &[Duration]| v.last().map(|d| ms(*d)).unwrap_or(0.0);
    Ok(serde_json::json!({
        "records": records,
        "setup_seconds": round1(setup_seconds),
        "b_alone_p50_ms": p(&alone, 0.50),
        "b_alone_p99_ms": p(&alone, 0.99),
        "cold_delete_push_ms": cold.as_ref().map(|c| ms(c.1)),
        "cold_deletes_accepted": cold.as_ref().map(|c| c.0),
        "b_during_cold_delete_p99_ms": cold.as_ref().map(|c| p(&c.2, 0.99)),
        "b_during_cold_delete_max_ms": cold.as_ref().map(|c| max(&c.2)),
        "delete_push_ms": ms(delete_took),
        "deletes_accepted": accepted,
        "b_during_delete_pushes": b_delete.len(),
        "b_during_delete_p50_ms": p(&b_delete, 0.50),
        "b_during_delete_p99_ms": p(&b_delete, 0.99),
        "b_during_delete_max_ms": max(&b_delete),
        "flood_pushes": args.flood,
        "flood_ms": ms(flood_took),
        "flood_deletes_accepted": flood_accepted,
        "b_during_flood_p99_ms": p(&b_flood, 0.99),
        "b_during_flood_max_ms": max(&b_flood),
        "codes_page_ms": ms(codes_took),
        "codes_page_bytes": body.len(),
        "codes_rows": rows,
        "b_during_codes_pushes": b_codes.len(),
        "b_during_codes_p50_ms": p(&b_codes, 0.50),
        "b_during_codes_p99_ms": p(&b_codes, 0.99),
        "b_during_codes_max_ms": max(&b_codes),
        "codes_page_br_ms": ms(br_took),
        "codes_page_br_bytes": br_bytes,
        "b_during_codes_br_p99_ms": p(&b_br, 0.99),
        "b_during_codes_br_max_ms": max(&b_br),
    }))
}
