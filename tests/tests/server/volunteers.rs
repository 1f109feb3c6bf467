//! Volunteers on the server (issue 10, RULES §3): who may read what (RULES H1), masked personal numbers
//! in lists, exports and logs (only the detail holds them whole), the figures against a hand-worked
//! case (V1), staff-only operations, signed certificates of service record (V6) with their numbered
//! register across restarts, and an entry pushed twice from two devices counted once.

use super::*;
use linli_core::protocol::OpStatus;
use linli_core::sync::Body;
use linli_core::volunteers::certificate::{services_match, verify, verify_qr};
use linli_core::volunteers::*;
use linli_core::{EntityKind, ErrorCode, Operation};
use linli_server::volunteers::roles::{Sender, check_sender};
use linli_tests::{Device, day};
use serde_json::{Value, json};
use uuid::Uuid;

/// A valid resident ID number (check character 9, see `core/src/personal.rs`) and a mobile number:
/// what must never leave the detail whole.
const ID_NUMBER: &str = "410105198001011239";
const PHONE: &str = "13812341234";

fn register(d: &mut Device, name: &str, party_member: bool) -> (Uuid, Operation) {
    let id = Uuid::now_v7();
    let body = Body::VolunteerPut(VolunteerFields {
        name: name.into(),
        phone: PHONE.into(),
        id_number: ID_NUMBER.into(),
        person_id: None,
        skills: vec!["维修".into()],
        teams: vec![],
        party_member,
        student: false,
        consent: true,
        registered_on: day(0),
        status: None,
    });
    (id, d.op(EntityKind::Volunteer, id, body))
}

fn approve(d: &mut Device, id: Uuid) -> Operation {
    d.op(
        EntityKind::Volunteer,
        id,
        Body::VolunteerStatus(VolunteerStatusFields {
            status: VolunteerStatus::Active,
        }),
    )
}

fn entry(d: &mut Device, volunteer: Uuid, minutes: u32, source: EntrySource) -> (Uuid, Operation) {
    let id = Uuid::now_v7();
    let body = Body::ServiceEntryAdd(ServiceEntryFields {
        volunteer_id: volunteer,
        date: day(0),
        place: "幸福里".into(),
        content: "探访独居老人".into(),
        minutes,
        from_ms: None,
        to_ms: None,
        activity_id: None,
        pair_id: None,
        source,
        recorded_by: d.author.clone(),
        corrects: None,
        reason: String::new(),
    });
    (id, d.op(EntityKind::ServiceEntry, id, body))
}

fn review(d: &mut Device, entry_id: Uuid, decision: EntryStatus) -> Operation {
    let body = Body::EntryReviewAdd(EntryReviewFields {
        entry_id,
        decision,
        by: d.author.clone(),
        at_ms: linli_tests::now_ms(),
        // A decline says why (the volunteer may ask for a correction, 民政部令第67号).
        reason: if decision == EntryStatus::Declined {
            "当天未参加活动".into()
        } else {
            String::new()
        },
    });
    d.op(EntityKind::EntryReview, Uuid::now_v7(), body)
}

async fn push_ok(c: &Client, d: &Device, ops: Vec<Operation>) {
    let r = c.push(&d.push_request(ops)).await.unwrap();
    for res in &r.results {
        assert_eq!(res.status, OpStatus::Accepted, "{res:?}");
    }
}

async fn get(s: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    status_json(r).await
}

async fn get_en(s: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .header("Accept-Language", "en")
        .send()
        .await
        .unwrap();
    status_json(r).await
}

async fn get_bytes(s: &TestServer, token: &str, path: &str) -> (u16, Vec<u8>) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

async fn post(s: &TestServer, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = s
        .http
        .post(s.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    status_json(r).await
}

fn issuer() -> Value {
    json!({ "person_in_charge": "李主任", "clerk": "王芳", "contact": "0371-65123456" })
}

/// A server with one approved volunteer who has two staff entries (90 + 60 minutes, confirmed by being
/// recorded), a claim of 45 minutes still pending, and a claim of 30 minutes declined.
async fn one_volunteer() -> (TestServer, Client, Device, Uuid) {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (v, reg) = register(&mut d, "张三", true);
    let ok = approve(&mut d, v);
    let (_, e1) = entry(&mut d, v, 90, EntrySource::Staff);
    let (_, e2) = entry(&mut d, v, 60, EntrySource::Staff);
    let (_, claim) = entry(&mut d, v, 45, EntrySource::Claim);
    let (declined, e4) = entry(&mut d, v, 30, EntrySource::Claim);
    let no = review(&mut d, declined, EntryStatus::Declined);
    push_ok(&alice, &d, vec![reg, ok, e1, e2, claim, e4, no]).await;
    (s, alice, d, v)
}

/// `POST /api/volunteers/{v}/certificate` with the usual issuer, as `token`.
async fn issue(s: &TestServer, token: &str, v: Uuid) -> (u16, Value) {
    post(
        s,
        token,
        &format!("/api/volunteers/{v}/certificate"),
        issuer(),
    )
    .await
}

#[tokio::test]
async fn another_communitys_staff_cannot_read_or_change_a_volunteer() {
    let (s, alice, _, v) = one_volunteer().await;
    let issued = issue(&s, &alice.token, v).await;
    assert_eq!(issued.0, 200, "{}", issued.1);
    let number = issued.1["certificate"]["number"]
        .as_str()
        .unwrap()
        .to_string();

    s.add_user("bob", "staff", "c2");
    let bob = s.client("bob").await;
    // RULES H1: c2's list holds none of c1's volunteers, and c1's records are not found.
    let list = get(&s, &bob.token, "/api/volunteers").await;
    assert_eq!(list.0, 200);
    assert_eq!(list.1["volunteers"], json!([]));
    let got = get(&s, &bob.token, &format!("/api/volunteers/{v}")).await;
    assert_error(&got, 404, "not_found", Some("volunteer_id"));
    assert_eq!(got.1["error"]["message"], "本社区没有这位志愿者");
    let got = issue(&s, &bob.token, v).await;
    assert_error(&got, 404, "not_found", Some("volunteer_id"));
    let got = get(
        &s,
        &bob.token,
        &format!("/api/volunteers/certificates/{number}"),
    )
    .await;
    assert_error(&got, 404, "not_found", Some("number"));
    // The figures are c2's own: nobody registered.
    let got = get(
        &s,
        &bob.token,
        &format!("/api/volunteers/stats?as_of={}&population=100", day(0)),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["registered"], 0);
    // Changing c1's volunteer: a push naming c1 is refused whole; one naming c2 finds no such volunteer.
    let mut d1 = Device::new("bob", COMMUNITY);
    let op = approve(&mut d1, v);
    let r = bob.push(&d1.push_request(vec![op])).await;
    assert!(r.is_err(), "{r:?}");
    let mut d2 = Device::new("bob", "c2");
    let op2 = approve(&mut d2, v);
    let r = bob.push(&d2.push_request(vec![op2])).await.unwrap();
    assert_eq!(
        r.results[0].status,
        OpStatus::Rejected,
        "{:?}",
        r.results[0]
    );
    // No login at all: 401.
    let r = s.http.get(s.url("/api/volunteers")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

#[tokio::test]
async fn numbers_are_masked_in_the_list_and_exports_and_whole_only_in_the_detail() {
    let (s, alice, _, v) = one_volunteer().await;
    let (status, list) = get_bytes(&s, &alice.token, "/api/volunteers").await;
    assert_eq!(status, 200);
    let list = String::from_utf8(list).unwrap();
    for whole in [PHONE, ID_NUMBER] {
        assert!(!list.contains(whole), "{list}");
    }
    let rows: Value = serde_json::from_str(&list).unwrap();
    let row = &rows["volunteers"][0];
    assert_eq!(row["phone_masked"], "138****1234");
    assert_eq!(row["id_number_masked"], "4101**********1239");
    assert_eq!(row["status"], "active");
    // V6: 90 + 60 confirmed; the 45-minute claim pending; the declined 30 nowhere.
    assert_eq!(
        (
            row["confirmed_minutes"].clone(),
            row["pending_minutes"].clone()
        ),
        (json!(150), json!(45))
    );

    let (status, csv) = get_bytes(&s, &alice.token, "/api/volunteers/export.csv").await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    assert!(
        csv.contains("张三,138****1234,4101**********1239,在册 (active)"),
        "{csv}"
    );
    assert!(csv.contains(",2.5,0.75\r\n"), "{csv}");
    let (status, xlsx) = get_bytes(&s, &alice.token, "/api/volunteers/export.xlsx").await;
    assert_eq!(status, 200);
    let text = xlsx_text(&xlsx);
    assert!(
        text.contains("138****1234") && text.contains("姓名 (Name)"),
        "{text}"
    );
    for whole in [PHONE, ID_NUMBER] {
        assert!(!csv.contains(whole), "{csv}");
        assert!(!text.contains(whole), "{text}");
    }

    // The detail, for the community's staff: whole numbers, and each entry's story.
    let got = get(&s, &alice.token, &format!("/api/volunteers/{v}")).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(
        (got.1["phone"].as_str(), got.1["id_number"].as_str()),
        (Some(PHONE), Some(ID_NUMBER))
    );
    let entries = got.1["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let declined = entries.iter().find(|e| e["status"] == "declined").unwrap();
    assert_eq!(declined["reviewed_by"], "alice");
    assert!(declined["reviewed_at_ms"].as_u64().unwrap() > 0);
    assert!(
        entries
            .iter()
            .all(|e| e["recorded_by"] == "alice" && e["recorded_at_ms"].as_u64().unwrap() > 0)
    );
    assert_eq!(
        entries
            .iter()
            .filter(|e| e["status"] == "confirmed")
            .count(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_logs_never_hold_a_whole_number() {
    let server = TracedServer::start().await;
    let (http, url) = (server.http.clone(), server.url.clone());
    let admin = server.admin().await;
    let community = admin.login.clone().unwrap().community;
    let mut d = Device::new("admin", &community);
    let (v, reg) = register(&mut d, "张三", false);
    let ok = approve(&mut d, v);
    let (_, e) = entry(&mut d, v, 60, EntrySource::Staff);
    push_ok(&admin, &d, vec![reg, ok, e]).await;
    for path in [
        "/api/volunteers".to_string(),
        format!("/api/volunteers/{v}"),
        "/api/volunteers/export.csv".into(),
    ] {
        let r = http
            .get(format!("{url}{path}"))
            .bearer_auth(&admin.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let _ = r.bytes().await.unwrap();
    }
    let r = http
        .post(format!("{url}/api/volunteers/{v}/certificate"))
        .bearer_auth(&admin.token)
        .json(&issuer())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    // A refused registration logs nothing of it either.
    let mut bad = register(&mut d, "李四", false).1;
    if let Body::VolunteerPut(f) = &mut bad.body {
        f.id_number = "410105198001011234".into();
    }
    let r = admin.push(&d.push_request(vec![bad])).await.unwrap();
    assert_eq!(r.results[0].code.as_deref(), Some("invalid_id_number"));
    let text = server.stop().await;
    assert!(text.contains("Linli is running at"), "{text}");
    assert!(text.len() > 1_000, "the logs at trace level: {text}");
    for whole in [PHONE, ID_NUMBER, "410105198001011234"] {
        assert!(!text.contains(whole), "{whole} in the logs");
    }
}

#[tokio::test]
async fn the_figures_match_the_core_by_hand() {
    // V1: population 200, 23 approved volunteers (2 more still pending, not counted):
    // 23 / 200 = 0.115 ≥ 0.10 → met. V4: 5 party members, none with 20 hours → 0 of 5, not met.
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let mut ops = Vec::new();
    for i in 0..25 {
        let (v, reg) = register(&mut d, &format!("志愿者{i}"), i < 5);
        ops.push(reg);
        if i < 23 {
            ops.push(approve(&mut d, v));
        }
    }
    push_ok(&alice, &d, ops).await;
    let today = day(0);
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats?as_of={today}&population=200"),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["registered"], 23);
    assert_eq!(got.1["rate"]["value"], 0.115);
    assert_eq!(got.1["rate"]["threshold"], 0.1);
    assert_eq!(got.1["rate"]["met"], true);
    assert_eq!(got.1["party_students"]["members"], 5);
    assert_eq!(got.1["party_students"]["with_20_hours"], 0);
    assert_eq!(got.1["party_students"]["met"], false);
    // The same figures as the core's own function on the same operations.
    let mut r = linli_core::Replica::new();
    for op in alice.pull_all(0).await.unwrap() {
        r.apply(&op);
    }
    let core = r
        .volunteer_stats(
            COMMUNITY,
            today,
            200,
            &linli_core::RuleSet::default().volunteers,
        )
        .unwrap();
    assert_eq!(got.1, serde_json::to_value(&core).unwrap());
    // The figures as a table, CSV and XLSX alike: 23 registered, 200 residents, 11.5% against 10%.
    let (status, csv) = get_bytes(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats.csv?as_of={today}&population=200"),
    )
    .await;
    assert_eq!(status, 200);
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lines[0],
        "指标 (Figure),数值 (Value),标准 (Threshold),是否达标 (Met)"
    );
    assert_eq!(lines[1], "在册志愿者（人） (Registered volunteers),23,,");
    assert_eq!(
        lines[3],
        "\"志愿者注册率（%，V1） (Registration rate (%, V1))\",11.5,10,是 (yes)"
    );
    let (status, xlsx) = get_bytes(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats.xlsx?as_of={today}&population=200"),
    )
    .await;
    assert_eq!(status, 200);
    assert!(xlsx_text(&xlsx).contains("志愿者注册率（%，V1） (Registration rate (%, V1))"));

    // Bad or missing parameters: 400 naming the field, in the request's language.
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats?as_of={today}"),
    )
    .await;
    assert_error(&got, 400, "required", Some("population"));
    assert_eq!(got.1["error"]["message"], "请填写常住人口");
    let got = get_en(
        &s,
        &alice.token,
        "/api/volunteers/stats?as_of=2026-13-01&population=200",
    )
    .await;
    assert_error(&got, 400, "invalid_date", Some("as_of"));
    assert_eq!(
        got.1["error"]["message"],
        "The as of must be a real date written YYYY-MM-DD"
    );
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats?as_of={today}&population=0"),
    )
    .await;
    assert_error(&got, 400, "out_of_range", Some("population"));
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats?as_of={today}&population=lots"),
    )
    .await;
    assert_error(&got, 400, "out_of_range", Some("population"));
    let got = get(&s, &alice.token, "/api/volunteers/pairs/overdue").await;
    assert_error(&got, 400, "required", Some("today"));
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/pairs/overdue?today={today}"),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["pairs"], json!([]));
}

#[tokio::test]
async fn only_staff_approve_and_review() {
    // Every login that pushes is staff today (volunteers have no login of their own yet), so the rule
    // is tested on the one check the push handler calls, as a volunteer's login will call it.
    let mut d = Device::new("alice", COMMUNITY);
    let (me, reg) = register(&mut d, "张三", false);
    let ok = approve(&mut d, me);
    let (e, claim) = entry(&mut d, me, 60, EntrySource::Claim);
    let (_, staff_entry) = entry(&mut d, me, 60, EntrySource::Staff);
    let yes = review(&mut d, e, EntryStatus::Confirmed);
    let volunteer = Sender::Volunteer { volunteer_id: me };
    for op in [&reg, &claim] {
        assert_eq!(check_sender(volunteer, op), Ok(()));
    }
    for (op, field) in [
        (&ok, "body.status"),
        (&yes, "body.decision"),
        (&staff_entry, "body.source"),
    ] {
        let e = check_sender(volunteer, op).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::StaffOnly, Some(field))
        );
        assert!(
            e.message(linli_core::Lang::En)
                .starts_with("Only community staff may make this change")
        );
    }
    // Another volunteer's registration is not theirs to change.
    let other = Sender::Volunteer {
        volunteer_id: Uuid::now_v7(),
    };
    assert_eq!(
        check_sender(other, &reg).unwrap_err().field.as_deref(),
        Some("entity.id")
    );
    // Staff may do all of it, through the real push.
    let s = start().await;
    let alice = s.client("alice").await;
    push_ok(&alice, &d, vec![reg, ok, claim, staff_entry, yes]).await;
}

#[tokio::test]
async fn a_certificate_verifies_with_the_served_key_and_a_changed_one_does_not() {
    let (s, alice, _, v) = one_volunteer().await;
    let got = issue(&s, &alice.token, v).await;
    assert_eq!(got.0, 200, "{}", got.1);
    let issued: linli_core::volunteers::api::IssuedCertificate =
        serde_json::from_value(got.1).unwrap();
    let c = &issued.certificate;
    let year = day(0).year();
    assert_eq!(c.number, format!("{year}-0001"));
    assert_eq!(c.issued_on, day(0));
    assert_eq!(
        (c.name.as_str(), c.id_number_masked.as_str()),
        ("张三", "4101**********1239")
    );
    assert_eq!(c.id_type, certificate::IdType::ResidentId);
    assert_eq!(
        (c.person_in_charge.as_str(), c.clerk.as_str()),
        ("李主任", "王芳")
    );
    assert_eq!(c.community_name, "社区 c1");
    // V6: confirmed service only — 90 + 60 minutes in 2 services; the pending claim and the declined one left out.
    assert_eq!(
        c.years,
        vec![certificate::YearHours {
            year,
            minutes: 150,
            services: 2
        }]
    );
    assert_eq!(c.total_minutes, 150);
    assert_eq!(issued.services.len(), 2);
    assert!(services_match(c, &issued.services));
    assert!(!issued.payload.contains(ID_NUMBER) && !issued.payload.contains(PHONE));
    assert!(issued.qr_svg.starts_with("<svg"));

    // The public key, without a login.
    let r = s
        .http
        .get(s.url("/api/certificates/public-key?community=c1"))
        .send()
        .await
        .unwrap();
    let (status, keys) = status_json(r).await;
    assert_eq!(status, 200);
    assert_eq!(keys["keys"][0]["algorithm"], "Ed25519");
    let key = keys["keys"][0]["public_key"].as_str().unwrap().to_string();
    assert_eq!(key, issued.public_key);
    assert_eq!(&verify_qr(&issued.qr, &key).unwrap(), c);

    // Hours changed after signing: refused.
    let forged = issued
        .payload
        .replace("\"minutes\":150", "\"minutes\":1500");
    assert_ne!(forged, issued.payload);
    let sig = base64_decode(&issued.signature);
    let e = verify(forged.as_bytes(), &sig, &base64_decode(&key)).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadSignature);
    let qr = certificate::qr_payload(forged.as_bytes(), &sig);
    assert_eq!(
        verify_qr(&qr, &key).unwrap_err().code,
        ErrorCode::BadSignature
    );

    // Read back by number: the same signed text.
    let got = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/certificates/{}", c.number),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["payload"], issued.payload);
    assert_eq!(got.1["qr"], issued.qr);

    // Who signs is required, named in the request's language.
    let got = post(
        &s,
        &alice.token,
        &format!("/api/volunteers/{v}/certificate"),
        json!({ "person_in_charge": "", "clerk": "王", "contact": "1" }),
    )
    .await;
    assert_error(&got, 400, "required", Some("person_in_charge"));
    assert_eq!(got.1["error"]["message"], "请填写负责人");
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .unwrap()
}

#[tokio::test]
async fn certificate_numbers_are_consecutive_and_never_reused_across_restarts() {
    let (s, alice, _, v) = one_volunteer().await;
    let year = day(0).year();
    let path = format!("/api/volunteers/{v}/certificate");
    let mut numbers = Vec::new();
    for _ in 0..2 {
        let got = post(&s, &alice.token, &path, issuer()).await;
        numbers.push(got.1["certificate"]["number"].as_str().unwrap().to_string());
    }
    let key_before = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/certificates/{year}-0001"),
    )
    .await
    .1["public_key"]
        .clone();
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
    let got = post(&s, &alice.token, &path, issuer()).await;
    assert_eq!(got.0, 200, "{}", got.1);
    numbers.push(got.1["certificate"]["number"].as_str().unwrap().to_string());
    assert_eq!(numbers, [1, 2, 3].map(|n| format!("{year}-{n:04}")));
    // The same key after the restart, so the first certificate still verifies.
    assert_eq!(got.1["public_key"], key_before);
    let first = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/certificates/{year}-0001"),
    )
    .await;
    let key = key_before.as_str().unwrap();
    assert!(verify_qr(first.1["qr"].as_str().unwrap(), key).is_ok());
}

#[tokio::test]
async fn an_entry_pushed_twice_from_two_devices_counts_once() {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut phone = Device::new("alice", COMMUNITY);
    let (v, reg) = register(&mut phone, "张三", false);
    let ok = approve(&mut phone, v);
    push_ok(&alice, &phone, vec![reg, ok]).await;
    let (_, e) = entry(&mut phone, v, 120, EntrySource::Staff);
    // The phone sends it; a second device (a file of unsent changes imported on a tablet, under a
    // second login of the same account) sends the very same operation again.
    push_ok(&alice, &phone, vec![e.clone()]).await;
    let tablet_login = s.client("alice").await;
    let tablet = Device::new("alice", COMMUNITY);
    let r = tablet_login
        .push(&tablet.push_request(vec![e]))
        .await
        .unwrap();
    assert_eq!(r.results[0].status, OpStatus::Duplicate);
    let list = get(&s, &alice.token, "/api/volunteers").await;
    assert_eq!(list.1["volunteers"][0]["confirmed_minutes"], 120);
    let stats = get(
        &s,
        &alice.token,
        &format!("/api/volunteers/stats?as_of={}&population=10", day(0)),
    )
    .await;
    assert_eq!(stats.1["hours"][0]["confirmed_minutes"], 120);
}

/// A volunteer's own phone (RULES §3): registers at the join link (a retry after a lost answer opens a
/// login too), then sends only their own sign-ups and claims, and pulls only their own record with the
/// community's activities; approving, or anything of another volunteer, stays with staff.
#[tokio::test]
async fn a_volunteer_registers_from_their_phone_and_sees_only_their_own_record() {
    let (s, alice, mut d, other) = one_volunteer().await;
    let activity = Uuid::now_v7();
    let act = d.op(
        EntityKind::Activity,
        activity,
        Body::ActivityPut(ActivityFields {
            name: "义务巡逻".into(),
            date: day(1),
            start_time: "09:00".into(),
            end_time: "11:00".into(),
            place: "东门".into(),
            team_id: None,
            capacity: 5,
            description: String::new(),
            check_in_required: true,
        }),
    );
    push_ok(&alice, &d, vec![act]).await;

    // The phone: its registration op, authored `volunteer:<id>`.
    let me = Uuid::now_v7();
    let mut phone = Device::new(&volunteer_author(me), COMMUNITY);
    let (_, mut reg) = register(&mut phone, "李四", false);
    reg.entity.id = me;
    let join = |op: Value| post(&s, "", "/api/volunteers/join", json!({ "op": op }));
    // Refused, storing nothing: another author, an unknown community, another kind of operation.
    let mut wrong = serde_json::to_value(&reg).unwrap();
    wrong["author"] = json!("alice");
    assert_error(&join(wrong).await, 403, "forbidden", Some("op.author"));
    let mut wrong = serde_json::to_value(&reg).unwrap();
    wrong["community"] = json!("nowhere");
    assert_error(&join(wrong).await, 404, "not_found", Some("op.community"));
    let (_, claim_as_join) = entry(&mut phone, me, 60, EntrySource::Claim);
    assert_error(
        &join(serde_json::to_value(&claim_as_join).unwrap()).await,
        403,
        "forbidden",
        Some("op.body.type"),
    );
    // Without consent the core refuses it, naming the field.
    let mut no_consent = serde_json::to_value(&reg).unwrap();
    no_consent["body"]["consent"] = json!(false);
    // (Another operation id: a refused id keeps its answer.)
    no_consent["id"] = json!(Uuid::now_v7());
    let got = join(no_consent).await;
    assert_error(&got, 400, "consent_required", Some("body.consent"));

    let got = join(serde_json::to_value(&reg).unwrap()).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["role"], "volunteer");
    assert_eq!(got.1["username"], volunteer_author(me).as_str());
    assert_eq!(got.1["community_name"], "社区 c1");
    // The same registration again (its answer was lost): stored once, a login all the same.
    let again = join(serde_json::to_value(&reg).unwrap()).await;
    assert_eq!(again.0, 200, "{}", again.1);
    let vol = Client {
        http: s.http.clone(),
        base: s.url.clone(),
        token: again.1["token"].as_str().unwrap().to_string(),
        login: None,
    };
    // Staff pages are not theirs (403: a login of the wrong kind, not an unknown one).
    let got = get(&s, &vol.token, "/api/volunteers").await;
    assert_error(&got, 403, "forbidden", Some("authorization"));

    // Their own claim and sign-up pass; approving themselves, another's claim or a staff entry do not.
    let (claim, claim_op) = entry(&mut phone, me, 90, EntrySource::Claim);
    let sign_up = phone.op(
        EntityKind::SignUp,
        Uuid::now_v7(),
        Body::SignUpAdd(SignUpFields {
            activity_id: activity,
            volunteer_id: me,
            action: SignUpAction::Join,
            placed: true,
        }),
    );
    let self_approve = approve(&mut phone, me);
    let (_, others) = entry(&mut phone, other, 60, EntrySource::Claim);
    let (_, staff_entry) = entry(&mut phone, me, 60, EntrySource::Staff);
    let r = vol
        .push(&phone.push_request(vec![claim_op, sign_up, self_approve, others, staff_entry]))
        .await
        .unwrap();
    let got: Vec<_> = r
        .results
        .iter()
        .map(|r| (r.status, r.code.clone(), r.field.clone()))
        .collect();
    let staff_only = |f: &str| {
        (
            OpStatus::Rejected,
            Some("staff_only".to_string()),
            Some(f.to_string()),
        )
    };
    assert_eq!(
        got,
        vec![
            (OpStatus::Accepted, None, None),
            (OpStatus::Accepted, None, None),
            staff_only("body.status"),
            staff_only("body.volunteer_id"),
            staff_only("body.source"),
        ]
    );
    // An operation under a staff member's name is refused whole.
    let mut forged = Device::new("alice", COMMUNITY);
    let (_, forged_op) = entry(&mut forged, me, 30, EntrySource::Claim);
    let e = vol
        .push(&forged.push_request(vec![forged_op]))
        .await
        .unwrap_err();
    assert!(e.contains("403"), "{e}");

    // Staff approve and confirm the claim; the phone pulls its record, the activity and the sign-up, and
    // nothing of the other volunteer (their registration, entries, reviews) or of the roster.
    let decisions = vec![
        approve(&mut d, me),
        review(&mut d, claim, EntryStatus::Confirmed),
    ];
    push_ok(&alice, &d, decisions).await;
    let pulled = vol.pull_all(0).await.unwrap();
    let mut kinds: Vec<_> = pulled
        .iter()
        .map(|o| {
            let body = serde_json::to_value(&o.body).unwrap();
            format!(
                "{}:{}",
                o.entity.kind.as_str(),
                body["type"].as_str().unwrap()
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        vec![
            "activity:activity.put",
            "entry_review:entry_review.add",
            "service_entry:service_entry.add",
            "sign_up:sign_up.add",
            "volunteer:volunteer.put",
            "volunteer:volunteer.status",
        ]
    );
    assert!(pulled.iter().all(|o| o.entity.id != other
        && !matches!(&o.body, Body::ServiceEntryAdd(e) if e.volunteer_id != me)));
    // Pages of one operation: the cursor moves over what the phone does not see, without gaps or repeats.
    let mut since = 0;
    let mut paged = Vec::new();
    loop {
        let page = vol.pull(since, 1).await.unwrap();
        if page.ops.is_empty() {
            break;
        }
        assert_eq!(page.ops.len(), 1);
        since = page.next;
        paged.extend(page.ops);
    }
    assert_eq!(paged, pulled);
    // Certificates: the phone lists and opens its own, not another volunteer's.
    let mine = issue(&s, &alice.token, me).await;
    assert_eq!(mine.0, 200, "{}", mine.1);
    let number = mine.1["certificate"]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let theirs = issue(&s, &alice.token, other).await;
    let their_number = theirs.1["certificate"]["number"]
        .as_str()
        .unwrap()
        .to_string();
    let list = get(&s, &vol.token, "/api/volunteers/me/certificates").await;
    assert_eq!(list.0, 200, "{}", list.1);
    assert_eq!(list.1["certificates"].as_array().unwrap().len(), 1);
    assert_eq!(list.1["certificates"][0]["number"], number.as_str());
    let got = get(
        &s,
        &vol.token,
        &format!("/api/volunteers/certificates/{number}"),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["certificate"]["name"], "李四");
    // 90 confirmed minutes: the confirmed claim.
    assert_eq!(got.1["certificate"]["years"][0]["minutes"], 90);
    let got = get(
        &s,
        &vol.token,
        &format!("/api/volunteers/certificates/{their_number}"),
    )
    .await;
    assert_error(&got, 404, "not_found", Some("number"));
    // Staff's list of one's own certificates is a volunteer's endpoint.
    let got = get(&s, &alice.token, "/api/volunteers/me/certificates").await;
    assert_error(&got, 403, "forbidden", Some("authorization"));

    // Staff still see everything, the phone's changes included.
    let all = alice.pull_all(0).await.unwrap();
    assert!(all.iter().any(|o| o.entity.id == claim));
    assert!(all.iter().any(|o| o.entity.id == other));
}
