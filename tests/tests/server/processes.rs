//! Several server processes on one PostgreSQL behaving as one server (ARCHITECTURE.md "Several
//! processes, one database"): the real binary twice on one database, devices pushing to both, one
//! process killed with SIGKILL mid-push and restarted. Runs only on PostgreSQL (`LINLI_TEST_POSTGRES`,
//! as `cargo xtask test` and `cargo xtask test-postgres` run it); on SQLite it says so and passes.

use super::*;
use linli_core::protocol::{OpStatus, PushRequest};
use linli_core::sync::Operation;
use linli_tests::Device;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use uuid::Uuid;

const PASSWORD: &str = "two-processes-password";

/// Starts `linli-server serve` on `db_url` (a free port); returns it and its URL once it listens.
async fn start_process(db_url: &str, dir: &std::path::Path) -> (Child, String) {
    let mut child = Command::new(cli::BIN)
        .arg("serve")
        .env("LINLI_ADDR", "127.0.0.1:0")
        .env("DATABASE_URL", db_url)
        .env("LINLI_ADMIN_PASSWORD", PASSWORD)
        .env("LINLI_DIST", dir.join("no-dist"))
        .env("RUST_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let line = tokio::time::timeout_at(deadline, lines.next_line())
            .await
            .expect("server start")
            .unwrap()
            .expect("the server said where it listens");
        if let Some(url) = line.strip_prefix("Linli is running at ") {
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, url.trim_end_matches('/').to_string());
        }
    }
}

/// Every operation of the community through `c`, in pages of `limit`, with each page's cursor.
async fn pull_pages(c: &Client, limit: u32) -> (Vec<Operation>, Vec<i64>) {
    let (mut all, mut cursors, mut since) = (Vec::new(), Vec::new(), 0);
    loop {
        let page = c.pull(since, limit).await.unwrap();
        if page.ops.is_empty() {
            assert_eq!(page.next, since, "an empty page keeps the cursor");
            return (all, cursors);
        }
        since = page.next;
        cursors.push(since);
        all.extend(page.ops);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_one_postgres_four_devices_one_killed_mid_push() {
    if !linli_tests::on_postgres() {
        eprintln!("two processes on one database: PostgreSQL only (set LINLI_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db_url = linli_tests::database_url(&dir.path().join("linli.db"));
    let (a, url_a) = start_process(&db_url, dir.path()).await;
    let (b, url_b) = start_process(&db_url, dir.path()).await;
    let http = reqwest::Client::new();
    let on_a = Client::login(&http, &url_a, "admin", PASSWORD)
        .await
        .unwrap();
    let community = on_a.login.clone().unwrap().community;
    // Sessions are shared: the login made on A works on B.
    let on_b = Client {
        base: url_b.clone(),
        ..on_a.clone()
    };
    let me = http
        .get(format!("{url_b}/api/me"))
        .bearer_auth(&on_b.token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);

    let mut setup = Device::new("admin", &community);
    let (unit, place) = setup.place();
    let r = on_a.push(&setup.push_request(place)).await.unwrap();
    assert!(r.results.iter().all(|r| r.status == OpStatus::Accepted));

    // The two processes' addresses; A's changes when it is restarted.
    let bases: Arc<Mutex<[String; 2]>> = Arc::new(Mutex::new([url_a.clone(), url_b.clone()]));
    let acked: Arc<Mutex<HashSet<Uuid>>> = Default::default();
    let batches: Arc<Mutex<Vec<PushRequest>>> = Default::default();
    let acked_count = Arc::new(AtomicUsize::new(0));
    const DEVICES: usize = 4;
    const BATCHES: usize = 30;
    let mut tasks = Vec::new();
    for i in 0..DEVICES {
        let (bases, acked, batches, acked_count) = (
            bases.clone(),
            acked.clone(),
            batches.clone(),
            acked_count.clone(),
        );
        let (http, token) = (http.clone(), on_a.token.clone());
        let community = community.clone();
        tasks.push(tokio::spawn(async move {
            let mut rng = StdRng::seed_from_u64(i as u64);
            let mut d = Device::new("admin", &community);
            let mut door = 0;
            for k in 0..BATCHES {
                let n = rng.random_range(1..=25);
                let ops: Vec<Operation> = (0..n)
                    .map(|_| {
                        door += 1;
                        d.household(unit, &format!("{}{door:04}", i + 1), 60.0).1
                    })
                    .collect();
                let req = d.push_request(ops);
                // Each batch to the other process than the last; on no answer, to the other one again.
                let mut which = (i + k) % 2;
                let mut tries = 0;
                let answer = loop {
                    let base = bases.lock().unwrap()[which].clone();
                    let c = Client {
                        http: http.clone(),
                        base,
                        token: token.clone(),
                        login: None,
                    };
                    match c.push(&req).await {
                        Ok(r) => break r,
                        Err(e) => {
                            tries += 1;
                            assert!(tries < 400, "no answer for a batch: {e}");
                            which = 1 - which;
                            tokio::time::sleep(Duration::from_millis(25)).await;
                        }
                    }
                };
                assert_eq!(answer.results.len(), req.ops.len());
                for r in &answer.results {
                    assert!(
                        matches!(r.status, OpStatus::Accepted | OpStatus::Duplicate),
                        "{r:?}"
                    );
                }
                acked.lock().unwrap().extend(req.ops.iter().map(|o| o.id));
                acked_count.fetch_add(req.ops.len(), Ordering::SeqCst);
                batches.lock().unwrap().push(req);
            }
        }));
    }

    // Mid-push: once some 400 operations are acknowledged, A dies with SIGKILL, then comes back.
    let mut a = a;
    while acked_count.load(Ordering::SeqCst) < 400 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    a.kill().await.unwrap();
    let _ = a.wait().await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (a2, url_a2) = start_process(&db_url, dir.path()).await;
    bases.lock().unwrap()[0] = url_a2.clone();
    for t in tasks {
        t.await.unwrap();
    }

    // Both processes hand out the same log: every acknowledged operation exactly once, nothing else.
    let on_a = Client {
        base: url_a2.clone(),
        ..on_a.clone()
    };
    let (from_a, cursors_a) = pull_pages(&on_a, 1000).await;
    let (from_b, cursors_b) = pull_pages(&on_b, 1000).await;
    let ids = |ops: &[Operation]| ops.iter().map(|o| o.id).collect::<Vec<_>>();
    assert_eq!(
        ids(&from_a),
        ids(&from_b),
        "both processes' pulls are identical"
    );
    assert_eq!(cursors_a, cursors_b);
    let acked = acked.lock().unwrap().clone();
    let mut seen: HashMap<Uuid, usize> = HashMap::new();
    for o in &from_a {
        *seen.entry(o.id).or_default() += 1;
    }
    assert!(seen.values().all(|n| *n == 1), "an operation stored twice");
    for id in &acked {
        assert!(seen.contains_key(id), "acknowledged operation {id} lost");
    }
    assert_eq!(
        from_a.len(),
        acked.len() + 3,
        "nothing but the acknowledged and the place"
    );

    // Cursors are gap-free: 1, 2, …, n in the community, and a device switching process after every
    // small page reads the same sequence, neither skipping nor repeating.
    let n = from_a.len() as i64;
    let seqs: Vec<i64> = linli_tests::off_runtime(|| {
        let db =
            linli_server::db::Db::open(&linli_server::config::parse_database_url(&db_url).unwrap())
                .unwrap();
        db.read(|c| {
            c.query(
                "SELECT seq FROM ops WHERE community = ?1 ORDER BY seq",
                linli_server::args![&community],
            )?
            .iter()
            .map(|r| r.int(0))
            .collect()
        })
        .unwrap()
    });
    assert_eq!(seqs, (1..=n).collect::<Vec<_>>());
    let (mut switched, mut since, mut turn) = (Vec::new(), 0i64, 0);
    loop {
        let c = if turn % 2 == 0 { &on_a } else { &on_b };
        turn += 1;
        let page = c.pull(since, 37).await.unwrap();
        if page.ops.is_empty() {
            break;
        }
        assert_eq!(page.next, since + page.ops.len() as i64, "gap-free cursor");
        since = page.next;
        switched.extend(page.ops);
    }
    assert_eq!(ids(&switched), ids(&from_a));

    // A batch sent again is answered `duplicate` for every operation, by either process.
    let again = batches.lock().unwrap()[7].clone();
    for c in [&on_a, &on_b] {
        let r = c.push(&again).await.unwrap();
        assert!(r.results.iter().all(|r| r.status == OpStatus::Duplicate));
    }
    // A change pushed to one process is checked against what the other accepted: the same door again
    // is refused by both (each process's replica brought up to the community's head).
    for (door, first, second) in [("90001", &on_a, &on_b), ("90002", &on_b, &on_a)] {
        let mut one = Device::new("admin", &community);
        let op = one.household(unit, door, 60.0).1;
        let r = first.push(&one.push_request(vec![op])).await.unwrap();
        assert_eq!(r.results[0].status, OpStatus::Accepted, "{r:?}");
        let mut other = Device::new("admin", &community);
        let op = other.household(unit, door, 60.0).1;
        let r = second.push(&other.push_request(vec![op])).await.unwrap();
        assert_eq!(r.results[0].code.as_deref(), Some("door_taken"), "{r:?}");
    }
    drop((a2, b));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_throttling_and_sessions_hold_on_every_process() {
    if !linli_tests::on_postgres() {
        eprintln!("two processes on one database: PostgreSQL only (set LINLI_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db_url = linli_tests::database_url(&dir.path().join("linli.db"));
    let (_a, url_a) = start_process(&db_url, dir.path()).await;
    let (_b, url_b) = start_process(&db_url, dir.path()).await;
    let http = reqwest::Client::new();
    let login = |url: &str, password: &str| {
        let (http, url, password) = (http.clone(), url.to_string(), password.to_string());
        async move {
            http.post(format!("{url}/api/auth/login"))
                .json(&serde_json::json!({"username": "admin", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    // Failures spread over both processes count together: the free ones used up half on each, the
    // next try is slowed on either.
    let free = linli_server::auth::limiter::FREE_FAILURES;
    for i in 0..free {
        let url = if i % 2 == 0 { &url_a } else { &url_b };
        assert_eq!(login(url, "wrong-password").await, 401);
    }
    assert_eq!(login(&url_a, "wrong-password").await, 429);
    assert_eq!(
        login(&url_b, PASSWORD).await,
        429,
        "the wait holds on B too"
    );

    // A session ended on A ends on B (within the session cache's few seconds).
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let c = Client::login(&http, &url_a, "admin", PASSWORD)
        .await
        .unwrap();
    let me = |url: &str| {
        let (http, url, token) = (http.clone(), url.to_string(), c.token.clone());
        async move {
            http.get(format!("{url}/api/me"))
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(me(&url_b).await, 200);
    let out = http
        .post(format!("{url_a}/api/auth/logout"))
        .bearer_auth(&c.token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 200);
    assert_eq!(me(&url_a).await, 401);
    tokio::time::sleep(Duration::from_millis(
        linli_server::auth::tokens::SESSION_CACHE_MS + 200,
    ))
    .await;
    assert_eq!(me(&url_b).await, 401);
}

/// Ends every connection the server holds to its database (as a restarted or failed-over PostgreSQL
/// would), from another connection.
fn cut_connections(db_url: &str) -> u64 {
    let url = db_url.to_string();
    linli_tests::off_runtime(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
            &[],
        )
        .unwrap()
        .len() as u64
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_database_connection_is_answered_503_and_nothing_is_lost() {
    if !linli_tests::on_postgres() {
        eprintln!("PostgreSQL only (set LINLI_TEST_POSTGRES)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db_url = linli_tests::database_url(&dir.path().join("linli.db"));
    let (_a, url) = start_process(&db_url, dir.path()).await;
    let http = reqwest::Client::new();
    let c = Client::login(&http, &url, "admin", PASSWORD).await.unwrap();
    let community = c.login.clone().unwrap().community;
    let mut d = Device::new("admin", &community);
    let (unit, place) = d.place();
    c.push(&d.push_request(place)).await.unwrap();
    let mut sent = HashSet::new();
    for round in 0..5 {
        assert!(cut_connections(&db_url) > 0, "the server was connected");
        let ops = (0..10)
            .map(|i| d.household(unit, &format!("{round}{i:02}"), 60.0).1)
            .collect();
        let req = d.push_request(ops);
        // Every answer is 200, or 503 `unavailable` with a Retry-After (never 500): the device sends
        // the batch again until it is answered.
        let mut tries = 0;
        loop {
            let resp = http
                .post(format!("{url}/api/sync/push"))
                .bearer_auth(&c.token)
                .json(&req)
                .send()
                .await
                .unwrap();
            let status = resp.status().as_u16();
            if status == 200 {
                break;
            }
            assert_eq!(status, 503, "{}", resp.text().await.unwrap());
            assert!(resp.headers().contains_key("retry-after"));
            let (_, body) = status_json(resp).await;
            assert_eq!(body["error"]["code"], "unavailable");
            tries += 1;
            assert!(tries < 20);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        sent.extend(req.ops.iter().map(|o| o.id));
        let health = http.get(format!("{url}/api/health")).send().await.unwrap();
        assert!([200, 503].contains(&health.status().as_u16()));
    }
    let pulled: HashSet<Uuid> = c.pull_all(0).await.unwrap().iter().map(|o| o.id).collect();
    assert!(sent.is_subset(&pulled));
    assert_eq!(pulled.len(), sent.len() + 3);
}
