//! `cargo xtask bench-city`: a generated city on PostgreSQL (issue 15) — 1,000 communities of 4,000
//! households each, 4,000,000 operations written straight into the server's tables — and one
//! `linli-server serve` process on it: the time to pull one community whole, and the process's memory as
//! devices of more communities than it keeps loaded push to it (`LINLI_MAX_REPLICAS`).

use crate::bench::{Guard, Row, print_table};
use crate::{Result, cargo, run, target_dir};
use serde_json::{Value, json};
use std::process::{Command, Stdio};
use std::time::Instant;

const COMMUNITIES: u32 = 1_000;
const HOUSEHOLDS: u32 = 4_000;
/// Communities with a staff login, whose devices push during the memory measurement.
const PUSHING: u32 = 64;
/// After this many communities pushed, the memory is taken as the plateau the rest must stay on.
const PLATEAU_FROM: u32 = 24;
/// Most replicas the process keeps (the rest are dropped, least recently used first).
const MAX_REPLICAS: u32 = 4;
const PASSWORD: &str = "city-bench-password-1";

fn community(c: u32) -> String {
    format!("city-{c:04}")
}

/// Every household of every community as one `household.put`, in SQL (generate_series): the operation
/// JSON exactly as a device would push it, its sequence number within the community, and the head.
fn generate_sql() -> String {
    format!(
        "INSERT INTO communities (id, name) SELECT 'city-' || lpad(c::text, 4, '0'), 'city' \
           FROM generate_series(1, {COMMUNITIES}) c ON CONFLICT DO NOTHING;
         INSERT INTO ops (community, seq, id, device_id, author, entity_kind, entity_id, json, received_at_ms)
         SELECT cm, h, opid, 'd0000000-0000-4000-8000-000000000001', 'gen', 'household', eid,
                json_build_object('v', 1, 'id', opid, 'device_id', 'd0000000-0000-4000-8000-000000000001',
                  'author', 'gen', 'hlc', json_build_object('ms', 1780000000000 + h, 'n', 0),
                  'community', cm, 'entity', json_build_object('kind', 'household', 'id', eid),
                  'body', json_build_object('type', 'household.put',
                    'unit_id', 'a0000000-0000-4000-8000-000000000001', 'door', (100 + h)::text,
                    'area_m2', 60.5, 'owners', 1))::text,
                0
           FROM (SELECT 'city-' || lpad(c::text, 4, '0') AS cm, h,
                        md5('op-' || c || '-' || h)::uuid::text AS opid,
                        md5('hh-' || c || '-' || h)::uuid::text AS eid
                   FROM generate_series(1, {COMMUNITIES}) c, generate_series(1, {HOUSEHOLDS}) h) g;
         INSERT INTO sync_heads (community, seq) SELECT 'city-' || lpad(c::text, 4, '0'), {HOUSEHOLDS}
           FROM generate_series(1, {COMMUNITIES}) c
           ON CONFLICT (community) DO UPDATE SET seq = EXCLUDED.seq;
         ANALYZE;"
    )
}

/// The resident set of process `pid`, in KB (Linux `/proc`).
fn rss_kb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn curl(args: &[&str]) -> Result<Value> {
    let out = Command::new("curl")
        .args(["-sf"])
        .args(args)
        .output()
        .map_err(|e| format!("curl: {e}"))?;
    if !out.status.success() {
        return Err(format!("curl {args:?} failed"));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("curl {args:?}: {e}"))
}

fn login(url: &str, user: &str) -> Result<String> {
    let r = curl(&[
        "-X",
        "POST",
        "-H",
        "content-type: application/json",
        "-d",
        &json!({"username": user, "password": PASSWORD}).to_string(),
        &format!("{url}/api/auth/login"),
    ])?;
    r["token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| format!("login {user}: no token"))
}

/// Pulls the whole community (pages of 5,000); returns (operations, milliseconds).
fn pull_all(url: &str, token: &str) -> Result<(usize, f64)> {
    let start = Instant::now();
    let (mut since, mut n) = (0u64, 0usize);
    loop {
        let page = curl(&[
            "-H",
            &format!("authorization: Bearer {token}"),
            &format!("{url}/api/sync/pull?since={since}&limit=5000"),
        ])?;
        let ops = page["ops"].as_array().map_or(0, Vec::len);
        n += ops;
        let next = page["next"].as_u64().or_else(|| page["cursor"].as_u64());
        match next {
            Some(c) if ops > 0 && c > since => since = c,
            _ => break,
        }
    }
    Ok((n, start.elapsed().as_secs_f64() * 1000.0))
}

pub fn bench_city() -> Result {
    run(cargo().args(["build", "--release", "-p", "linli-server"]))?;
    let cluster = crate::postgres::Cluster::start(true)?;
    let server = target_dir().join("release/linli-server");
    // Staff of the pushing communities (the first command also creates the schema).
    for c in 1..=PUSHING {
        crate::bench::create_user(
            &server,
            &cluster.url,
            &format!("staff-{c}"),
            &community(c),
            PASSWORD,
        )?;
    }
    let t = Instant::now();
    run(Command::new("psql")
        .arg(&cluster.url)
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-c", &generate_sql()])
        .stdout(Stdio::null()))?;
    let generated_s = t.elapsed().as_secs_f64();
    eprintln!(
        "xtask: generated {} operations in {generated_s:.0} s",
        COMMUNITIES * HOUSEHOLDS
    );
    let port = crate::bench::free_port();
    let url = format!("http://127.0.0.1:{port}");
    let guard = Guard(
        Command::new(&server)
            .arg("serve")
            .env("LINLI_ADDR", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", &cluster.url)
            .env("LINLI_MAX_REPLICAS", MAX_REPLICAS.to_string())
            .env("LINLI_ADMIN_PASSWORD", PASSWORD)
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("server: {e}"))?,
    );
    crate::bench::wait_for(&format!("{url}/api/health"))?;
    let pid = guard.0.id();

    // Pulling one community whole, five times (a fresh device each time).
    let token = login(&url, "staff-1")?;
    let mut times = Vec::new();
    for _ in 0..crate::bench::RUNS {
        let (n, ms) = pull_all(&url, &token)?;
        if n != HOUSEHOLDS as usize {
            return Err(format!("pulled {n} operations of {HOUSEHOLDS}"));
        }
        times.push(ms);
    }
    times.sort_by(f64::total_cmp);
    let (median, worst) = (times[times.len() / 2], times[times.len() - 1]);

    // Memory: a push to each of the pushing communities loads its 4,000 households into a replica; the
    // process keeps at most MAX_REPLICAS of them.
    let before = rss_kb(pid).unwrap_or(0.0);
    let mut peak = before;
    let (mut after_first, mut plateau) = (0.0, 0.0);
    for c in 1..=PUSHING {
        let token = login(&url, &format!("staff-{c}"))?;
        let id = uuid_v7_like(c);
        let op = json!({
            "v": 1, "id": id, "device_id": "d0000000-0000-4000-8000-0000000000bb", "author": format!("staff-{c}"),
            "hlc": {"ms": 1_790_000_000_000u64 + c as u64, "n": 0}, "community": community(c),
            "entity": {"kind": "compound", "id": id},
            "body": {"type": "compound.put", "name": "幸福里", "address": "", "year_built": 1990}
        });
        let r = curl(&[
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "-H",
            &format!("authorization: Bearer {token}"),
            "-d",
            &json!({"device_id": "d0000000-0000-4000-8000-0000000000bb", "ops": [op]}).to_string(),
            &format!("{url}/api/sync/push"),
        ])?;
        if r["results"][0]["status"] != "accepted" {
            return Err(format!("push to {}: {r}", community(c)));
        }
        let now = rss_kb(pid).unwrap_or(0.0);
        peak = peak.max(now);
        if c == MAX_REPLICAS {
            after_first = now;
        }
        if c == PLATEAU_FROM {
            plateau = now;
        }
    }
    let last = rss_kb(pid).unwrap_or(0.0);
    drop(guard);
    let mb = |kb: f64| kb / 1024.0;
    let rows = vec![
        Row {
            what: "pull one community of 4,000 households (PostgreSQL, city of 1,000)",
            budget: "≤ 1000 ms".into(),
            measured: Some(median),
            worst: Some(worst),
            unit: "ms",
            pass: Some(worst <= 1000.0),
            peer: None,
        },
        Row {
            what: "server memory, 4 communities loaded",
            budget: "(reported)".into(),
            measured: Some(mb(after_first)),
            worst: None,
            unit: "MB",
            pass: Some(true),
            peer: None,
        },
        Row {
            what: "server memory after 24 communities pushed (4 kept)",
            budget: "(reported)".into(),
            measured: Some(mb(plateau)),
            worst: None,
            unit: "MB",
            pass: Some(true),
            peer: None,
        },
        // Bounded: 40 more replicas of 4,000 households loaded and dropped add nothing that stays (a
        // replica kept would add megabytes each). The step from 4 to 24 is the allocator's per-thread
        // arenas filling once (glibc keeps freed memory for reuse), and varies from run to run.
        Row {
            what: "server memory after 64 communities pushed (4 kept)",
            budget: "≤ 1.1 × the 24-community figure".into(),
            measured: Some(mb(last)),
            worst: Some(mb(peak)),
            unit: "MB",
            pass: Some(last <= 1.1 * plateau.max(1.0)),
            peer: None,
        },
    ];
    eprintln!(
        "xtask: city of {COMMUNITIES} communities × {HOUSEHOLDS} households; server RSS at start {:.1} MB",
        mb(before)
    );
    print_table(&rows);
    if rows.iter().all(|r| r.pass == Some(true)) {
        Ok(())
    } else {
        Err("a city figure is over its budget".into())
    }
}

/// A UUIDv7-shaped id for the c-th pushed operation (ordered by c, version 7, RFC variant).
fn uuid_v7_like(c: u32) -> String {
    format!("01900000-0000-7000-8000-{c:012x}")
}
