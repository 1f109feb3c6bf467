//! Issue 7 item 4, "one request stalls every community": a big community's heavy requests — a push of
//! 1,000 deletes (its first push after a restart, so its replica is loaded again), its codes page — go
//! on beside another community's one-operation pushes, which are all answered meanwhile; and a long
//! read of one community's replica holds back only that community's pushes.
//!
//! Scale: 30,000 roster records (1 compound, 20 buildings of 10 units, 29,779 households), a tenth of
//! the bench's 300,000 (`cargo xtask bench`, `tests/src/bin/scale.rs`, which holds the release figures).
//! A tenth is what a debug build sets up in seconds (30 pushes of 1,000), and still enough that work
//! proportional to the community — per operation, or a load or a read on the writer thread — would show
//! as seconds-long stalls of the other community.

use super::*;
use linli_core::EntityKind;
use linli_core::protocol::{MAX_PUSH_OPS, OpStatus, PushResponse};
use linli_core::sync::{Body, Operation};
use linli_tests::Device;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

const BUILDINGS: usize = 20;
const UNITS: usize = 10;
/// 30,000 roster records: 1 compound + 20 buildings + 200 units + 29,779 households.
const HOUSEHOLDS: usize = 30_000 - 1 - BUILDINGS - BUILDINGS * UNITS;

async fn push_accepted(c: &Client, d: &Device, ops: Vec<Operation>) {
    for chunk in ops.chunks(MAX_PUSH_OPS) {
        let r = c.push(&d.push_request(chunk.to_vec())).await.unwrap();
        assert!(
            r.results.iter().all(|x| x.status == OpStatus::Accepted),
            "{:?}",
            r.results.iter().find(|x| x.status != OpStatus::Accepted)
        );
    }
}

/// Community "c2"'s device pushes one household at a time, back to back, until `stop`; returns how
/// many were accepted, how many pushes there were, and the slowest push.
async fn pushes_until(
    c: Client,
    mut d: Device,
    unit: Uuid,
    first_door: usize,
    stop: Arc<AtomicBool>,
) -> (usize, usize, Duration) {
    let (mut accepted, mut pushes, mut slowest) = (0, 0, Duration::ZERO);
    while !stop.load(Ordering::Relaxed) {
        let (_, op) = d.household(unit, &(first_door + pushes).to_string(), 60.0);
        let t = Instant::now();
        let r = c.push(&d.push_request(vec![op])).await.unwrap();
        slowest = slowest.max(t.elapsed());
        pushes += 1;
        accepted += r
            .results
            .iter()
            .filter(|x| x.status == OpStatus::Accepted)
            .count();
    }
    (accepted, pushes, slowest)
}

#[tokio::test]
async fn a_thousand_deletes_and_the_codes_page_of_a_big_community_stall_no_other() {
    let s = start().await;
    s.add_user("bob", "staff", "c2");
    let alice = s.client("alice").await;
    let mut a = Device::new("alice", COMMUNITY);
    let (compound, c_op) = a.compound("大型小区");
    let mut places = vec![c_op];
    let mut units = Vec::new();
    for i in 0..BUILDINGS {
        let (b, op) = a.building(compound, &format!("{}号楼", i + 1));
        places.push(op);
        for j in 0..UNITS {
            let (u, op) = a.unit(b, &format!("{}单元", j + 1));
            units.push(u);
            places.push(op);
        }
    }
    let (project, p_op) = a.project(compound, "综合整治", -1, 30, 3, false);
    places.push(p_op);
    push_accepted(&alice, &a, places).await;
    let mut households = Vec::with_capacity(HOUSEHOLDS);
    let mut ops = Vec::with_capacity(HOUSEHOLDS);
    for i in 0..HOUSEHOLDS {
        let door = (101 + i / units.len()).to_string();
        let (h, op) = a.household(units[i % units.len()], &door, 60.0);
        households.push(h);
        ops.push(op);
    }
    push_accepted(&alice, &a, ops).await;

    // A restart: the first push of each community loads its replica again.
    let TestServer {
        running, dir, http, ..
    } = s;
    let config = running.state.config.clone();
    running.stop().await;
    let running = linli_server::spawn(crate::open_state(config))
        .await
        .unwrap();
    let s = TestServer {
        url: running.url(),
        running,
        dir,
        http,
    };
    let alice = s.client("alice").await;
    let bob = s.client("bob").await;
    let mut b = Device::new("bob", "c2");
    let (b_unit, b_place) = b.place();
    push_accepted(&bob, &b, b_place).await;

    // 1,000 deletes in one push, while community c2 pushes one operation at a time.
    let deletes: Vec<Operation> = households
        .iter()
        .rev()
        .take(MAX_PUSH_OPS)
        .map(|h| a.op(EntityKind::Household, *h, Body::Delete))
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let other = tokio::spawn(pushes_until(
        bob.clone(),
        b.clone(),
        b_unit,
        1,
        stop.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let started = Instant::now();
    let r: PushResponse = alice.push(&a.push_request(deletes)).await.unwrap();
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    let (accepted, pushes, slowest) = other.await.unwrap();
    assert_eq!(
        r.results
            .iter()
            .filter(|x| x.status == OpStatus::Accepted)
            .count(),
        1000
    );
    assert!(pushes >= 1);
    assert_eq!(accepted, pushes, "every push of c2 accepted");
    // Generous bounds for a debug build on a busy machine; release figures are the bench's.
    assert!(
        took < Duration::from_secs(20),
        "1,000 deletes took {took:?}"
    );
    assert!(
        slowest < Duration::from_secs(5),
        "c2 waited {slowest:?} for a push"
    );

    // The codes page of the compound, while c2 pushes: every household left, by building, unit and door.
    let stop = Arc::new(AtomicBool::new(false));
    let other = tokio::spawn(pushes_until(
        bob.clone(),
        b.clone(),
        b_unit,
        10_000,
        stop.clone(),
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (status, page) = status_json(
        s.http
            .get(s.url(&format!("/api/projects/{project}/codes")))
            .bearer_auth(&alice.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    let (accepted_2, pushes_2, slowest) = other.await.unwrap();
    assert_eq!(status, 200, "{page}");
    let rows = page.as_array().unwrap();
    // 29,779 households, 1,000 deleted.
    assert_eq!(rows.len(), 28_779);
    assert_eq!(
        (&rows[0]["building"], &rows[0]["unit"], &rows[0]["door"]),
        (&json!("1号楼"), &json!("1单元"), &json!("101"))
    );
    assert_eq!(rows[0]["status"], "none");
    assert_eq!(accepted_2, pushes_2, "every push of c2 accepted");
    assert!(
        slowest < Duration::from_secs(5),
        "c2 waited {slowest:?} for a push"
    );
    // c2 holds its place (3 operations) and one household per push.
    assert_eq!(bob.pull_all(0).await.unwrap().len(), 3 + pushes + pushes_2);
}

#[tokio::test]
async fn a_long_read_holds_back_only_its_own_communitys_pushes() {
    let s = start().await;
    s.add_user("bob", "staff", "c2");
    let alice = s.client("alice").await;
    let bob = s.client("bob").await;
    let mut a = Device::new("alice", COMMUNITY);
    let mut b = Device::new("bob", "c2");
    let (a_unit, a_place) = a.place();
    let (b_unit, b_place) = b.place();
    push_accepted(&alice, &a, a_place).await;
    push_accepted(&bob, &b, b_place).await;

    // A read of c1's replica that lasts until it is let go.
    let (entered_tx, entered) = tokio::sync::oneshot::channel();
    let (release, held) = std::sync::mpsc::channel::<()>();
    let writer = s.running.state.writer.clone();
    let read = tokio::spawn(async move {
        writer
            .read(COMMUNITY.to_string(), move |r| {
                let _ = entered_tx.send(());
                held.recv().unwrap();
                r.len()
            })
            .await
            .unwrap()
    });
    entered.await.unwrap();

    // c2's push goes through while c1's replica is being read.
    let (_, op) = b.household(b_unit, "101", 60.0);
    let r = tokio::time::timeout(Duration::from_secs(10), bob.push(&b.push_request(vec![op])))
        .await
        .expect("c2's push is not held back by a read of c1")
        .unwrap();
    assert_eq!(r.results[0].status, OpStatus::Accepted);

    // c1's own push waits for the read to end, then is accepted.
    let (_, op) = a.household(a_unit, "101", 60.0);
    let req = a.push_request(vec![op]);
    let c1_push = tokio::spawn(async move { alice.push(&req).await.unwrap() });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!c1_push.is_finished(), "c1's push waits for the read of c1");
    release.send(()).unwrap();
    // The read saw c1's place: a compound, a building and a unit.
    assert_eq!(read.await.unwrap(), 3);
    let r = c1_push.await.unwrap();
    assert_eq!(r.results[0].status, OpStatus::Accepted);
}
