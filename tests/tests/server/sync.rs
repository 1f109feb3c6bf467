//! Push and pull: round trip, idempotent re-push, rule rejections in both languages, community isolation,
//! migrations and the demo data.

use super::*;
use linli_core::protocol::{OpStatus, PushResponse};
use linli_tests::Device;
use std::collections::HashSet;

async fn push_lang(
    s: &TestServer,
    c: &Client,
    req: &linli_core::protocol::PushRequest,
    lang: Option<&str>,
) -> PushResponse {
    let mut r = s
        .http
        .post(s.url("/api/sync/push"))
        .bearer_auth(&c.token)
        .json(req);
    if let Some(l) = lang {
        r = r.header("Accept-Language", l);
    }
    let (status, body) = status_json(r.send().await.unwrap()).await;
    assert_eq!(status, 200, "{body}");
    serde_json::from_value(body).unwrap()
}

#[tokio::test]
async fn push_then_pull_round_trip() {
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, mut ops) = d.place();
    for door in ["101", "102", "201"] {
        ops.push(d.household(unit, door, 72.5).1);
    }
    let r = c.push(&d.push_request(ops.clone())).await.unwrap();
    assert_eq!(r.results.len(), 6);
    for (res, op) in r.results.iter().zip(&ops) {
        assert_eq!((res.op_id, res.status), (op.id, OpStatus::Accepted));
        assert!(res.code.is_none() && res.message.is_none());
    }
    let page = c.pull(0, 1000).await.unwrap();
    assert_eq!(page.ops, ops, "pulled exactly what was pushed, in order");
    assert_eq!(page.next, 6);
    let page = c.pull(2, 2).await.unwrap();
    assert_eq!(page.ops, ops[2..4]);
    assert_eq!(page.next, 4);
    let empty = c.pull(6, 10).await.unwrap();
    assert!(empty.ops.is_empty());
    assert_eq!(empty.next, 6);
    // Later batches see earlier ones: a household in the unit pushed before.
    let later = d.household(unit, "301", 60.0).1;

    assert_eq!(
        c.push(&d.push_request(vec![later])).await.unwrap().results[0].status,
        OpStatus::Accepted
    );
}

#[tokio::test]
async fn same_batch_twice_is_stored_once() {
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, mut ops) = d.place();
    ops.push(d.household(unit, "101", 80.0).1);
    let req = d.push_request(ops);
    let first = c.push(&req).await.unwrap();
    assert!(first.results.iter().all(|r| r.status == OpStatus::Accepted));
    let second = c.push(&req).await.unwrap();
    assert!(
        second
            .results
            .iter()
            .all(|r| r.status == OpStatus::Duplicate),
        "{:?}",
        second.results
    );
    assert_eq!(c.pull_all(0).await.unwrap().len(), 4);
    // The same operation twice in one batch, too.
    let h = d.household(unit, "102", 80.0).1;
    let r = c.push(&d.push_request(vec![h.clone(), h])).await.unwrap();
    assert_eq!(
        r.results.iter().map(|r| r.status).collect::<Vec<_>>(),
        [OpStatus::Accepted, OpStatus::Duplicate]
    );
    assert_eq!(c.pull_all(0).await.unwrap().len(), 5);
}

#[tokio::test]
async fn rule_rejections_in_both_languages_and_stable() {
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, mut ops) = d.place();
    ops.push(d.household(unit, "101", 80.0).1);
    ops.push(d.household(unit, " 101 ", 90.0).1); // door taken in the same unit (same batch)
    ops.push(d.household(uuid::Uuid::now_v7(), "101", 90.0).1); // unit does not exist
    ops.push(d.household(unit, "102", 0.0).1); // area out of range
    let req = d.push_request(ops);
    let zh = push_lang(&s, &c, &req, None).await;
    let statuses: Vec<_> = zh.results.iter().map(|r| r.status).collect();
    use OpStatus::*;
    assert_eq!(
        statuses,
        [
            Accepted, Accepted, Accepted, Accepted, Rejected, Rejected, Rejected
        ]
    );
    let codes: Vec<_> = zh.results[4..]
        .iter()
        .map(|r| (r.code.clone().unwrap(), r.field.clone().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("door_taken".into(), "body.door".into()),
            ("not_found".into(), "body.unit_id".into()),
            ("out_of_range".into(), "body.area_m2".into())
        ]
    );
    assert_eq!(
        zh.results[4].message.as_deref(),
        Some("本单元已有门牌号 101 的住户")
    );
    assert!(zh.results[5].message.as_deref().unwrap().contains("单元"));
    // Re-pushed: the same answer, in English when asked.
    let en = push_lang(&s, &c, &req, Some("en")).await;
    let statuses: Vec<_> = en.results.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses,
        [
            Duplicate, Duplicate, Duplicate, Duplicate, Rejected, Rejected, Rejected
        ]
    );
    assert_eq!(
        en.results[4].message.as_deref(),
        Some("Another household in this unit already has door number 101")
    );
    assert_eq!(en.results[4].code.as_deref(), Some("door_taken"));
    let again = push_lang(&s, &c, &req, None).await;
    assert_eq!(again.results[4..], zh.results[4..]);
    assert_eq!(c.pull_all(0).await.unwrap().len(), 4);
}

#[tokio::test]
async fn staff_see_only_their_community() {
    let s = start().await;
    s.add_user("bob", "staff", "c2");
    let alice = s.client("alice").await;
    let bob = s.client("bob").await;
    let mut da = Device::new("alice", COMMUNITY);
    let mut db = Device::new("bob", "c2");
    let (_, a_ops) = da.place();
    let (_, b_ops) = db.place();
    alice.push(&da.push_request(a_ops.clone())).await.unwrap();
    bob.push(&db.push_request(b_ops.clone())).await.unwrap();
    assert_eq!(alice.pull_all(0).await.unwrap(), a_ops);
    assert_eq!(bob.pull_all(0).await.unwrap(), b_ops);
    // Bob cannot write into Alice's community, even as himself.
    let mut sneaky = Device::new("bob", COMMUNITY);
    let (_, ops) = sneaky.place();
    let r = s
        .http
        .post(s.url("/api/sync/push"))
        .bearer_auth(&bob.token)
        .json(&sneaky.push_request(ops))
        .send()
        .await
        .unwrap();
    assert_error(
        &status_json(r).await,
        403,
        "forbidden",
        Some("ops[0].community"),
    );
    assert_eq!(alice.pull_all(0).await.unwrap(), a_ops);
}

#[tokio::test]
async fn replicas_survive_a_restart() {
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, mut ops) = d.place();
    ops.push(d.household(unit, "101", 80.0).1);
    c.push(&d.push_request(ops)).await.unwrap();
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
    let c = s.client("alice").await;
    // The rebuilt replica knows the unit and its door 101.
    let ops = vec![
        d.household(unit, "101", 70.0).1,
        d.household(unit, "102", 70.0).1,
    ];
    let r = c.push(&d.push_request(ops)).await.unwrap();
    assert_eq!(r.results[0].code.as_deref(), Some("door_taken"));
    assert_eq!(r.results[1].status, OpStatus::Accepted);
}

#[test]
fn migrations_fresh_and_existing() {
    use linli_server::db::{Conn, Db, migrate, schema_version};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/linli.db");
    let db = Db::open(&Database::Sqlite(path.clone())).unwrap();
    {
        let conn = db.sqlite_writer().unwrap();
        let v: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, schema_version());
        let mode: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        let sync: i64 = conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .unwrap();
        assert_eq!(sync, 2, "synchronous=FULL");
        linli_server::db::create_community(&mut Conn::Sqlite(&conn), "x", "X").unwrap();
        let tables: HashSet<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for t in ["communities", "users", "sessions", "ops", "rejections"] {
            assert!(tables.contains(t), "{t}");
        }
    }
    drop(db);
    // Reopening applies nothing and keeps the data.
    let db = Db::open(&Database::Sqlite(path)).unwrap();
    let mut conn = db.sqlite_writer().unwrap();
    assert_eq!(migrate(&mut conn).unwrap(), 0);
    assert!(linli_server::db::community_exists(&mut Conn::Sqlite(&conn), "x").unwrap());
    // A database from a newer build is refused rather than misread.
    conn.pragma_update(None, "user_version", schema_version() + 1)
        .unwrap();
    assert!(matches!(
        migrate(&mut conn),
        Err(linli_server::db::DbError::TooNew { .. })
    ));
}

#[tokio::test]
async fn demo_data_is_pulled_like_any_push() {
    let s = start().await;
    let state = s.running.state.clone();
    assert_eq!(
        linli_server::roster::demo::insert_demo(&state)
            .await
            .unwrap(),
        82
    );
    assert_eq!(
        linli_server::roster::demo::insert_demo(&state)
            .await
            .unwrap(),
        0,
        "only once"
    );
    let c = s.client("alice").await;
    let ops = c.pull_all(0).await.unwrap();
    assert_eq!(ops.len(), 82);
    let mut replica = linli_core::Replica::new();
    ops.iter().for_each(|op| replica.apply(op));
    let compounds = replica.compounds();
    assert_eq!(compounds.len(), 1);
    assert_eq!(compounds[0].fields.name, "幸福里小区");
    let buildings = replica.buildings(compounds[0].id);
    assert_eq!(buildings.len(), 3);
    let units = replica.units(buildings[0].id);
    assert_eq!(units.len(), 2);
    let doors: Vec<_> = replica
        .households(units[0].id)
        .into_iter()
        .map(|h| h.fields.door)
        .collect();
    assert_eq!(
        doors,
        [
            "101", "102", "201", "202", "301", "302", "401", "402", "501", "502", "601", "602"
        ]
    );
}

#[tokio::test]
async fn another_communitys_operation_id_is_a_conflict_and_a_refused_body_is_not_kept() {
    // Hardening: reusing another community's operation id must not answer `duplicate` (which would say it
    // exists); a refused operation is kept as a digest, not its body.
    let s = start().await;
    s.add_user("bob", "staff", "community-2");
    let alice = s.client("alice").await;
    let bob = s.client("bob").await;
    let mut a = Device::new("alice", COMMUNITY);
    let (_, place) = a.place();
    let r = alice.push(&a.push_request(place.clone())).await.unwrap();
    assert!(r.results.iter().all(|x| x.status == OpStatus::Accepted));
    // Bob sends an operation of his own community under the id of Alice's first one.
    let mut b = Device::new("bob", "community-2");
    let (_, mut theirs) = b.place();
    theirs[0].id = place[0].id;
    let r = bob
        .push(&b.push_request(vec![theirs[0].clone()]))
        .await
        .unwrap();
    assert_eq!(r.results[0].status, OpStatus::Rejected);
    assert_eq!(r.results[0].code.as_deref(), Some("id_conflict"));
    // A refused operation with a huge name: only its digest is stored.
    let mut big = b.place().1;
    if let linli_core::Body::CompoundPut(f) = &mut big[0].body {
        f.name = "名".repeat(100_000);
    }
    let r = bob
        .push(&b.push_request(vec![big[0].clone()]))
        .await
        .unwrap();
    assert_eq!(r.results[0].code.as_deref(), Some("too_long"));
    let stored: String = linli_tests::off_runtime(|| {
        s.running.state.db.read(|c| {
            c.query_one(
                "SELECT json FROM rejections WHERE op_id = ?1",
                linli_server::args![&big[0].id.to_string()],
            )?
            .text(0)
        })
    })
    .unwrap();
    assert!(
        stored.starts_with("sha256:") && stored.len() == 7 + 64,
        "{stored}"
    );
    // Pushed again, the same answer.
    let r = bob
        .push(&b.push_request(vec![big[0].clone()]))
        .await
        .unwrap();
    assert_eq!(r.results[0].code.as_deref(), Some("too_long"));
}

#[tokio::test]
async fn door_numbers_are_compared_after_nfkc() {
    // Hardening (issue 7.12): 「１０１」 (full-width) and 「①0①」 (circled digits) are door 101 on the server.
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, place) = d.place();
    let (_, first) = d.household(unit, "101", 60.0);
    let mut ops = place;
    ops.push(first);
    let got = c.push(&d.push_request(ops)).await.unwrap();
    assert!(
        got.results.iter().all(|r| r.status == OpStatus::Accepted),
        "{got:?}"
    );
    for door in ["１０１", "①0①", " 101 "] {
        let (_, op) = d.household(unit, door, 60.0);
        let got = c.push(&d.push_request(vec![op])).await.unwrap();
        assert_eq!(
            got.results[0].code.as_deref(),
            Some("door_taken"),
            "{door}: {got:?}"
        );
    }
    let (_, op) = d.household(unit, "102", 60.0);
    let got = c.push(&d.push_request(vec![op])).await.unwrap();
    assert_eq!(got.results[0].status, OpStatus::Accepted);
}

#[tokio::test]
async fn a_process_keeps_at_most_max_replicas_and_reloads_a_dropped_one() {
    // LINLI_MAX_REPLICAS = 1: each community's push drops the other's replica; the next push to it loads
    // it again from the database and still knows its doors.
    let s = start_with(|c| c.max_replicas = 1).await;
    s.add_user("bob", "staff", "c2");
    let (alice, bob) = (s.client("alice").await, s.client("bob").await);
    let mut a = Device::new("alice", COMMUNITY);
    let mut b = Device::new("bob", "c2");
    let (ua, mut ops_a) = a.place();
    ops_a.push(a.household(ua, "101", 70.0).1);
    let (ub, mut ops_b) = b.place();
    ops_b.push(b.household(ub, "101", 70.0).1);
    for (c, d, ops) in [(&alice, &a, ops_a), (&bob, &b, ops_b)] {
        let r = c.push(&d.push_request(ops)).await.unwrap();
        assert!(r.results.iter().all(|r| r.status == OpStatus::Accepted));
    }
    for _ in 0..3 {
        for (c, d, unit) in [(&alice, &mut a, ua), (&bob, &mut b, ub)] {
            let op = d.household(unit, "101", 70.0).1;
            let r = c.push(&d.push_request(vec![op])).await.unwrap();
            assert_eq!(r.results[0].code.as_deref(), Some("door_taken"), "{r:?}");
        }
    }
}
