//! Load generator for `cargo xtask bench`: simulated devices push households to a running server at once.
//!
//! `loadgen --url http://127.0.0.1:PORT --username U --password P --devices 200 --ops 100 --batch 50`
//! logs in, creates one compound, one building and one unit per device (not timed), then has every
//! device push its households concurrently, and prints ONE JSON line:
//! `{"accepted":N,"seconds":S,"ops_per_sec":X,"push_p50_ms":..,"push_p99_ms":..}`.
//! `--raw` measures raw throughput instead: one device, 20,000 operations in batches of 1,000.
//! `--also-url` names a second process on the same PostgreSQL: every other device pushes there.

use clap::Parser;
use linli_core::protocol::{OpStatus, PushResponse};
use linli_tests::{Client, Device};
use std::time::{Duration, Instant};

#[derive(Parser, Debug)]
#[command(about = "Push load at a Linli server and print one JSON line of results")]
struct Args {
    #[arg(long, default_value = "http://127.0.0.1:8080")]
    url: String,
    #[arg(long, default_value = "admin")]
    username: String,
    #[arg(long)]
    password: String,
    /// Devices pushing at once.
    #[arg(long, default_value_t = 200)]
    devices: usize,
    /// Operations each device pushes.
    #[arg(long, default_value_t = 100)]
    ops: usize,
    /// Operations per push.
    #[arg(long, default_value_t = 50)]
    batch: usize,
    /// Raw throughput: one device, 20,000 operations in batches of 1,000 (overrides the three above).
    #[arg(long)]
    raw: bool,
    /// A second server process on the same database (PostgreSQL): every other device pushes there, with
    /// the login made at `--url` (sessions are shared).
    #[arg(long)]
    also_url: Option<String>,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

#[tokio::main]
async fn main() -> Result<(), String> {
    let mut args = Args::parse();
    if args.raw {
        (args.devices, args.ops, args.batch) = (1, 20_000, 1_000);
    }
    let batch = args.batch.clamp(1, linli_core::protocol::MAX_PUSH_OPS);
    let base = args.url.trim_end_matches('/').to_string();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.devices.max(1))
        .build()
        .map_err(|e| e.to_string())?;
    let client = Client::login(&http, &base, &args.username, &args.password).await?;
    let community = client
        .login
        .as_ref()
        .map(|l| l.community.clone())
        .unwrap_or_default();

    // Setup, not timed: a compound, a building, a unit per device.
    let mut setup = Device::new(&args.username, &community);
    let (compound, c_op) = setup.compound(&format!("压测小区 {}", linli_tests::now_ms()));
    let (building, b_op) = setup.building(compound, "1号楼");
    let mut ops = vec![c_op, b_op];
    let mut units = Vec::new();
    for i in 0..args.devices {
        let (u, op) = setup.unit(building, &format!("{}单元", i + 1));
        units.push(u);
        ops.push(op);
    }
    for chunk in ops.chunks(linli_core::protocol::MAX_PUSH_OPS) {
        let r = client.push(&setup.push_request(chunk.to_vec())).await?;
        if let Some(bad) = r.results.iter().find(|r| r.status != OpStatus::Accepted) {
            return Err(format!("setup refused: {bad:?}"));
        }
    }

    // Every request body is made before the clock starts, so the figures are the server's.
    let mut plans = Vec::new();
    for unit in units {
        let mut d = Device::new(&args.username, &community);
        let households: Vec<_> = (0..args.ops)
            .map(|i| {
                d.household(unit, &format!("{}", 101 + i), 50.0 + (i % 70) as f64)
                    .1
            })
            .collect();
        let bodies: Vec<Vec<u8>> = households
            .chunks(batch)
            .map(|c| serde_json::to_vec(&d.push_request(c.to_vec())).expect("serialises"))
            .collect();
        plans.push(bodies);
    }

    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, bodies) in plans.into_iter().enumerate() {
        let to = match &args.also_url {
            Some(also) if i % 2 == 1 => also.trim_end_matches('/').to_string(),
            _ => base.clone(),
        };
        let (http, url, token) = (
            http.clone(),
            format!("{to}/api/sync/push"),
            client.token.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(bodies.len());
            let mut accepted = 0usize;
            for body in bodies {
                let t = Instant::now();
                let resp = http
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let status = resp.status();
                let bytes = resp.bytes().await.map_err(|e| e.to_string())?;
                latencies.push(t.elapsed());
                if !status.is_success() {
                    return Err(format!(
                        "push failed: {status} {}",
                        String::from_utf8_lossy(&bytes)
                    ));
                }
                let r: PushResponse = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
                accepted += r
                    .results
                    .iter()
                    .filter(|r| r.status == OpStatus::Accepted)
                    .count();
            }
            Ok::<_, String>((accepted, latencies))
        }));
    }
    let mut accepted = 0;
    let mut latencies = Vec::new();
    for t in tasks {
        let (a, l) = t.await.map_err(|e| e.to_string())??;
        accepted += a;
        latencies.extend(l);
    }
    let seconds = start.elapsed().as_secs_f64();
    latencies.sort();
    let out = serde_json::json!({
        "accepted": accepted,
        "seconds": (seconds * 1000.0).round() / 1000.0,
        "ops_per_sec": (accepted as f64 / seconds).round(),
        "push_p50_ms": (percentile(&latencies, 0.50) * 10.0).round() / 10.0,
        "push_p99_ms": (percentile(&latencies, 0.99) * 10.0).round() / 10.0,
        "devices": args.devices,
        "batch": batch,
    });
    println!("{out}");
    Ok(())
}
