//! Malformed requests (issue 7, "Hardening"): 12,000 seeded garbage requests through the router, in process.
//!
//! Every route of the API (and unknown `/api` paths, and the app's paths) gets wrong methods, missing,
//! garbage, expired and wrong-kind tokens, and bodies that are empty, truncated, of the wrong types, with
//! huge numbers, deep nesting, invalid UTF-8, random bytes, oversized strings, unknown or missing fields,
//! valid-looking operations with one field broken, wrong `Content-Type`s, too many headers and garbage
//! query strings. The generator is seeded, so a run is repeatable. For every answer: the status is below
//! 500, and an `/api` error is the JSON error shape `{"error":{"code","message","field?"}}` with the status
//! its code has. Nothing may be written: the generator never sends anything valid enough to be stored (a
//! body that would parse is sent only without a valid token, or to a path that names no record, or with an
//! operation of another community or author, which refuses the whole batch), so every table is compared
//! whole before and after, rejections included.

use super::*;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use linli_core::protocol::{LoginRequest, MAX_PUSH_OPS, PushRequest};
use linli_core::renovation::api::{CodeLogin, IssueRequest, VoteBallot};
use linli_core::renovation::{BallotChannel, ItemClass};
use linli_tests::{Device, now_ms};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tower::ServiceExt;
use uuid::Uuid;

const SEED: u64 = 0x6c69_6e6c_6921;
const REQUESTS: usize = 12_000;
/// Usernames a well-formed login may name: each costs at most `MAX_FAILURES` password hashes.
const LOGIN_NAMES: [&str; 3] = ["alice", "bob", "nobody"];

/// Every route of the API, an unknown `/api` path, and a path of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Route {
    Health,
    Rules,
    Push,
    Pull,
    Login,
    Logout,
    Me,
    IssueCodes,
    ListCodes,
    Revoke,
    Reissue,
    Results,
    ResultsCsv,
    ResultsXlsx,
    VoteLogin,
    VoteMe,
    VoteLogout,
    VoteBallot,
    VoteResults,
    UnknownApi,
    App,
}

use Route::*;

const ROUTES: [Route; 21] = [
    Health,
    Rules,
    Push,
    Pull,
    Login,
    Logout,
    Me,
    IssueCodes,
    ListCodes,
    Revoke,
    Reissue,
    Results,
    ResultsCsv,
    ResultsXlsx,
    VoteLogin,
    VoteMe,
    VoteLogout,
    VoteBallot,
    VoteResults,
    UnknownApi,
    App,
];

/// What a route's body is, when it has one.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Shape {
    None,
    Push,
    Login,
    CodeLogin,
    Ballot,
    Issue,
}

impl Route {
    fn method(self) -> Method {
        match self {
            Push | Login | Logout | IssueCodes | Revoke | Reissue | VoteLogin | VoteLogout
            | VoteBallot => Method::POST,
            _ => Method::GET,
        }
    }

    fn shape(self) -> Shape {
        match self {
            Push => Shape::Push,
            Login => Shape::Login,
            VoteLogin => Shape::CodeLogin,
            VoteBallot => Shape::Ballot,
            IssueCodes => Shape::Issue,
            _ => Shape::None,
        }
    }
}

/// The Authorization header sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Auth {
    None,
    Staff,
    /// `bearer <token>`, lower case (accepted).
    StaffLowercase,
    /// `Bearer   <token>  ` (accepted: the token is trimmed).
    StaffSpaced,
    Resident,
    ExpiredStaff,
    ExpiredResident,
    /// A resident's login whose code was revoked since.
    RevokedResident,
    Garbage,
    EmptyBearer,
    Basic,
    NonAscii,
    Huge,
}

const AUTHS: [Auth; 13] = [
    Auth::None,
    Auth::Staff,
    Auth::StaffLowercase,
    Auth::StaffSpaced,
    Auth::Resident,
    Auth::ExpiredStaff,
    Auth::ExpiredResident,
    Auth::RevokedResident,
    Auth::Garbage,
    Auth::EmptyBearer,
    Auth::Basic,
    Auth::NonAscii,
    Auth::Huge,
];

impl Auth {
    fn staff(self) -> bool {
        matches!(self, Auth::Staff | Auth::StaffLowercase | Auth::StaffSpaced)
    }
}

/// How the body was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Mutation {
    Empty,
    Literal,
    Truncated,
    WrongType,
    MissingField,
    UnknownField,
    HugeNumber,
    DeepNesting,
    InvalidUtf8,
    RandomBytes,
    OversizedString,
    BrokenSyntax,
    /// A valid-looking operation (or request) with one field broken.
    OneFieldBroken,
    TooManyOps,
    OverLimit,
}

const MUTATIONS: [Mutation; 15] = [
    Mutation::Empty,
    Mutation::Literal,
    Mutation::Truncated,
    Mutation::WrongType,
    Mutation::MissingField,
    Mutation::UnknownField,
    Mutation::HugeNumber,
    Mutation::DeepNesting,
    Mutation::InvalidUtf8,
    Mutation::RandomBytes,
    Mutation::OversizedString,
    Mutation::BrokenSyntax,
    Mutation::OneFieldBroken,
    Mutation::TooManyOps,
    Mutation::OverLimit,
];

/// A server state with one compound, a project with codes issued, and tokens of every kind.
struct Fx {
    _dir: tempfile::TempDir,
    state: AppState,
    router: Router,
    staff: String,
    resident: String,
    expired_staff: String,
    expired_resident: String,
    revoked_resident: String,
    /// A project whose households all have an active code (so issuing to "all without one" writes nothing).
    project: Uuid,
    households: Vec<Uuid>,
    unit: Uuid,
    items: Vec<Uuid>,
    codes: Vec<String>,
}

/// Sends one request in process: status, headers and the whole body.
async fn call(router: &Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, Bytes) {
    let resp = router.clone().oneshot(req).await.unwrap();
    let (parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    (parts.status, parts.headers, bytes)
}

async fn call_json(
    router: &Router,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> (u16, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (status, _, bytes) = call(router, b.body(Body::from(body.to_string())).unwrap()).await;
    let v = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes));
    });
    (status.as_u16(), v)
}

async fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let mut config = Config::for_database(crate::test_database(&dir.path().join("linli.db")));
    config.dist = dir.path().join("dist");
    config.community = COMMUNITY.into();
    let state = crate::open_state(config);
    {
        let hash = linli_server::auth::hash_password(&password("alice")).unwrap();
        linli_tests::off_runtime(|| {
            state
                .db
                .write(|c| {
                    linli_server::db::create_community(c, COMMUNITY, "社区")?;
                    assert!(linli_server::db::create_user(
                        c, "alice", &hash, "staff", COMMUNITY, 0
                    )?);
                    Ok(())
                })
                .unwrap()
        });
    }
    let router = linli_server::app(state.clone());
    let login = call_json(
        &router,
        Method::POST,
        "/api/auth/login",
        None,
        json!({"username": "alice", "password": password("alice")}),
    )
    .await;
    assert_eq!(login.0, 200, "{}", login.1);
    let staff = login.1["token"].as_str().unwrap().to_string();

    // A compound with three households, and two projects with a two-item menu.
    let mut d = Device::new("alice", COMMUNITY);
    let (compound, c_op) = d.compound("幸福里");
    let (b, b_op) = d.building(compound, "1号楼");
    let (unit, u_op) = d.unit(b, "1单元");
    let mut ops = vec![c_op, b_op, u_op];
    let mut households = Vec::new();
    for door in ["101", "102", "201"] {
        let (h, op) = d.household(unit, door, 80.0);
        households.push(h);
        ops.push(op);
    }
    let (project, p_op) = d.project(compound, "综合整治", -1, 5, 2, true);
    let (i1, i1_op) = d.menu_item(project, "路面", ItemClass::Basic, false);
    let (i2, i2_op) = d.menu_item(project, "加装电梯", ItemClass::Upgrade, true);
    let (other, o_op) = d.project(compound, "另一项目", -1, 5, 2, true);
    ops.extend([p_op, i1_op, i2_op, o_op]);
    let pushed = call_json(
        &router,
        Method::POST,
        "/api/sync/push",
        Some(&staff),
        serde_json::to_value(d.push_request(ops)).unwrap(),
    )
    .await;
    assert_eq!(pushed.0, 200, "{}", pushed.1);
    for r in pushed.1["results"].as_array().unwrap() {
        assert_eq!(r["status"], "accepted", "{r}");
    }

    // Codes for every household of the first project; a resident logged in with one.
    let issued = call_json(
        &router,
        Method::POST,
        &format!("/api/projects/{project}/codes"),
        Some(&staff),
        json!({}),
    )
    .await;
    assert_eq!(issued.0, 200, "{}", issued.1);
    let codes: Vec<String> = issued.1["codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 3);
    let vote_login = |code: &str| {
        call_json(
            &router,
            Method::POST,
            "/api/vote/login",
            None,
            json!({ "code": code }),
        )
    };
    let r = vote_login(&codes[0]).await;
    assert_eq!(r.0, 200, "{}", r.1);
    let resident = r.1["token"].as_str().unwrap().to_string();

    // The second project: a resident logs in, then the code is revoked.
    let issued = call_json(
        &router,
        Method::POST,
        &format!("/api/projects/{other}/codes"),
        Some(&staff),
        json!({ "households": [households[1]] }),
    )
    .await;
    assert_eq!(issued.0, 200, "{}", issued.1);
    let r = vote_login(issued.1["codes"][0]["code"].as_str().unwrap()).await;
    assert_eq!(r.0, 200, "{}", r.1);
    let revoked_resident = r.1["token"].as_str().unwrap().to_string();
    let r = call_json(
        &router,
        Method::POST,
        &format!("/api/projects/{other}/codes/{}/revoke", households[1]),
        Some(&staff),
        json!(null),
    )
    .await;
    assert_eq!((r.0, &r.1["status"]), (200, &json!("revoked")), "{}", r.1);

    // Expired logins of both kinds, straight into the database.
    use linli_server::auth::tokens::{
        insert_session, new_token, open_resident_session, token_hash,
    };
    use linli_server::renovation::codes::{code_hash, normalise};
    let now = now_ms();
    let expired_staff = new_token();
    linli_tests::off_runtime(|| {
        state
            .db
            .write(|c| {
                let alice = linli_server::db::user_by_name(c, "alice")?.unwrap();
                insert_session(
                    c,
                    &token_hash(&expired_staff),
                    alice.id,
                    now - 10_000,
                    now - 5_000,
                )
            })
            .unwrap()
    });
    let expired_resident = open_resident_session(
        &state,
        code_hash(&normalise(&codes[1]).unwrap()),
        now - 10_000,
        now - 5_000,
    )
    .await
    .unwrap();

    Fx {
        _dir: dir,
        state,
        router,
        staff,
        resident,
        expired_staff,
        expired_resident,
        revoked_resident,
        project,
        households,
        unit,
        items: vec![i1, i2],
        codes,
    }
}

/// Every row of every table, as text, sorted: equal before and after means nothing was written.
fn snapshot(state: &AppState) -> BTreeMap<String, Vec<String>> {
    linli_tests::off_runtime(|| {
        state
            .db
            .read(|c| {
                let list = match c.backend() {
                    linli_server::db::Backend::Sqlite => {
                        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                    }
                    linli_server::db::Backend::Postgres => {
                        "SELECT table_name::text FROM information_schema.tables
                         WHERE table_schema = 'public' ORDER BY table_name"
                    }
                };
                let tables: Vec<String> = c
                    .query(list, &[])?
                    .iter()
                    .map(|r| r.text(0))
                    .collect::<Result<_, _>>()?;
                let mut out = BTreeMap::new();
                for t in tables {
                    let mut rows: Vec<String> = c
                        .query(&format!("SELECT * FROM \"{t}\""), &[])?
                        .iter()
                        .map(|r| format!("{:?}", r.0))
                        .collect();
                    rows.sort();
                    out.insert(t, rows);
                }
                Ok(out)
            })
            .unwrap()
    })
}

fn uuid(rng: &mut StdRng) -> Uuid {
    Uuid::from_u128(rng.random())
}

/// A string of `n` characters, some of them outside ASCII.
fn text(rng: &mut StdRng, n: usize) -> String {
    const CHARS: &[char] = &[
        'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\t', '\u{0}', '\u{1f}', '邻', '里', '\u{feff}',
        '\u{202e}', '😀', '{', '}', '%', '&', '=',
    ];
    (0..n)
        .map(|_| CHARS[rng.random_range(0..CHARS.len())])
        .collect()
}

/// A path segment that names no record: a random or nil UUID, or something that is no UUID at all.
fn bad_segment(rng: &mut StdRng) -> String {
    match rng.random_range(0..12) {
        0 => uuid(rng).to_string(),
        1 => Uuid::nil().to_string(),
        2 => "not-a-uuid".into(),
        3 => "%FF%FE".into(),
        4 => "%C3%28".into(),
        5 => "x".repeat(rng.random_range(100..5000)),
        6 => "%E9%82%BB%E9%87%8C".into(),
        7 => "%00".into(),
        8 => "..".into(),
        9 => "%2F%2E%2E".into(),
        10 => Uuid::now_v7().simple().to_string(),
        _ => format!("{}%20", uuid(rng)),
    }
}

/// A query string of garbage (or none).
fn query(rng: &mut StdRng) -> String {
    if rng.random_bool(0.6) {
        return String::new();
    }
    let q = match rng.random_range(0..14) {
        0 => "since=-1".to_string(),
        1 => "limit=0".into(),
        2 => "limit=abc".into(),
        3 => "since=99999999999999999999999999".into(),
        4 => "since=1e5&limit=1.5".into(),
        5 => "%FF%FE=%00".into(),
        6 => "&&&=&since&limit".into(),
        7 => format!("since={}", rng.random::<i64>()),
        8 => format!("limit={}", rng.random::<u64>()),
        9 => "since=%31".into(),
        10 => "a=".repeat(rng.random_range(1..3000)),
        11 => "since=0&since=-5".into(),
        12 => "%".into(),
        _ => format!("x={}", rng.random::<u32>()),
    };
    format!("?{q}")
}

fn path(route: Route, fx: &Fx, rng: &mut StdRng) -> String {
    let project = if rng.random_bool(0.5) {
        fx.project.to_string()
    } else {
        bad_segment(rng)
    };
    // Never a household of the project: revoking or reissuing it would write.
    let household = bad_segment(rng);
    match route {
        Health => "/api/health".into(),
        Rules => "/api/rules".into(),
        Push => "/api/sync/push".into(),
        Pull => "/api/sync/pull".into(),
        Login => "/api/auth/login".into(),
        Logout => "/api/auth/logout".into(),
        Me => "/api/me".into(),
        IssueCodes | ListCodes => format!("/api/projects/{project}/codes"),
        Revoke => format!("/api/projects/{project}/codes/{household}/revoke"),
        Reissue => format!("/api/projects/{project}/codes/{household}/reissue"),
        Results => format!("/api/projects/{project}/results"),
        ResultsCsv => format!("/api/projects/{project}/results.csv"),
        ResultsXlsx => format!("/api/projects/{project}/results.xlsx"),
        VoteLogin => "/api/vote/login".into(),
        VoteMe => "/api/vote/me".into(),
        VoteLogout => "/api/vote/logout".into(),
        VoteBallot => "/api/vote/ballot".into(),
        VoteResults => "/api/vote/results".into(),
        UnknownApi => match rng.random_range(0..12) {
            0 => "/api".into(),
            1 => "/api/".into(),
            2 => "/api/nope".into(),
            3 => "/api/sync".into(),
            4 => "/api/sync/push/extra".into(),
            5 => "/api/projects".into(),
            6 => format!("/api/projects/{project}"),
            7 => "/api/vote".into(),
            8 => "/api/me/".into(),
            9 => format!("/api/{}", bad_segment(rng)),
            10 => "/api//health".into(),
            _ => format!("/api/projects/{project}/codes/{household}"),
        },
        App => match rng.random_range(0..6) {
            0 => "/".into(),
            1 => "/login".into(),
            2 => "/API/health".into(),
            3 => "/apinope".into(),
            4 => "/../../etc/passwd".into(),
            _ => format!("/v/{}", bad_segment(rng)),
        },
    }
}

/// A well-formed body of the route's shape (the generator breaks it).
fn template(shape: Shape, fx: &Fx, rng: &mut StdRng) -> Value {
    match shape {
        Shape::None => json!({}),
        Shape::Push => {
            let mut d = Device::new("alice", COMMUNITY);
            let n = rng.random_range(1..=3);
            let ops: Vec<_> = (0..n)
                .map(|_| match rng.random_range(0..5) {
                    0 => d.compound("新小区").1,
                    1 => d.household(fx.unit, "301", 72.5).1,
                    2 => d.building(Uuid::now_v7(), "2号楼").1,
                    3 => {
                        d.ballot(
                            fx.project,
                            fx.households[2],
                            true,
                            fx.items.clone(),
                            now_ms(),
                            BallotChannel::Staff,
                        )
                        .1
                    }
                    _ => d.unit(Uuid::now_v7(), "3单元").1,
                })
                .collect();
            serde_json::to_value(d.push_request(ops)).unwrap()
        }
        Shape::Login => json!({
            "username": LOGIN_NAMES[rng.random_range(0..LOGIN_NAMES.len())],
            "password": text(rng, 12),
        }),
        Shape::CodeLogin => json!({ "code": "ABCD-EFGH-JKMN-PQRS" }),
        Shape::Ballot => json!({
            "id": Uuid::now_v7(),
            "agree": rng.random_bool(0.5),
            "items": fx.items,
            "cast_at_ms": now_ms(),
        }),
        Shape::Issue => json!({ "households": fx.households, "reissue": true }),
    }
}

/// The paths of every value in `v` (`[]` is the root), so a mutation can pick one.
fn paths(v: &Value, at: &mut Vec<Vec<String>>, prefix: Vec<String>) {
    at.push(prefix.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let mut p = prefix.clone();
                p.push(k.clone());
                paths(x, at, p);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                let mut p = prefix.clone();
                p.push(i.to_string());
                paths(x, at, p);
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[String]) -> &'a mut Value {
    path.iter().fold(v, |v, k| match v {
        Value::Array(a) => &mut a[k.parse::<usize>().unwrap()],
        other => &mut other[k.as_str()],
    })
}

fn pick_path(v: &Value, rng: &mut StdRng) -> Vec<String> {
    let mut all = Vec::new();
    paths(v, &mut all, Vec::new());
    all.swap_remove(rng.random_range(0..all.len()))
}

/// A value of another JSON type than `v`.
fn other_type(v: &Value, rng: &mut StdRng) -> Value {
    loop {
        let x = match rng.random_range(0..7) {
            0 => Value::Null,
            1 => json!(rng.random_bool(0.5)),
            2 => json!(rng.random_range(-5..1_000_000)),
            3 => json!(-2.5),
            4 => json!(text(rng, 5)),
            5 => json!([1, "a", null]),
            _ => json!({"x": 1}),
        };
        let kind = |v: &Value| match v {
            Value::Null => 0,
            Value::Bool(_) => 1,
            Value::Number(_) => 2,
            Value::String(_) => 3,
            Value::Array(_) => 4,
            Value::Object(_) => 5,
        };
        if kind(&x) != kind(v) {
            return x;
        }
    }
}

fn nested(depth: usize, object: bool) -> String {
    if object {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    } else {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth))
    }
}

/// Breaks one field of one operation of a push so that the batch cannot be stored.
fn break_op(v: &mut Value, rng: &mut StdRng) {
    let ops = v["ops"].as_array_mut().unwrap();
    let i = rng.random_range(0..ops.len());
    let op = &mut ops[i];
    match rng.random_range(0..16) {
        0 => op["community"] = json!("another-community"),
        1 => op["author"] = json!("mallory"),
        2 => op["id"] = json!("not-a-uuid"),
        3 => op["v"] = json!("1"),
        4 => op["hlc"]["ms"] = json!(-1),
        5 => op["hlc"] = json!({"ms": 1}),
        6 => op["entity"]["kind"] = json!("spaceship"),
        7 => op["entity"]["id"] = json!(12345),
        8 => op["body"]["type"] = json!("compound.explode"),
        9 => {
            op["body"].as_object_mut().unwrap().remove("type");
        }
        10 => op["device_id"] = json!(Uuid::nil().to_string() + "0"),
        11 => op["body"]["extra"] = json!(true),
        12 => {
            op.as_object_mut().unwrap().remove("hlc");
        }
        13 => op["community"] = json!(null),
        14 => op["body"]["channel"] = json!("resident"),
        _ => op["author"] = json!("ALICE"),
    }
}

/// A body for `shape`, made by `m`.
fn body(shape: Shape, m: Mutation, fx: &Fx, rng: &mut StdRng) -> Vec<u8> {
    let mut v = template(shape, fx, rng);
    match m {
        Mutation::Empty => Vec::new(),
        Mutation::Literal => [
            "null", "true", "0", "\"\"", "[]", "{}", "  ", "-0", "\"{}\"",
        ][rng.random_range(0..9)]
        .into(),
        Mutation::Truncated => {
            let s = v.to_string().into_bytes();
            s[..rng.random_range(0..s.len())].to_vec()
        }
        Mutation::WrongType => {
            let p = pick_path(&v, rng);
            let slot = at_mut(&mut v, &p);
            *slot = other_type(slot, rng);
            v.to_string().into_bytes()
        }
        Mutation::MissingField => {
            let p = pick_path(&v, rng);
            if let Some((last, parent)) = p.split_last() {
                match at_mut(&mut v, parent) {
                    Value::Object(o) => {
                        o.remove(last);
                    }
                    Value::Array(a) => {
                        a.remove(last.parse::<usize>().unwrap());
                    }
                    _ => {}
                }
            } else {
                v = json!({});
            }
            v.to_string().into_bytes()
        }
        Mutation::UnknownField => {
            let p = pick_path(&v, rng);
            match at_mut(&mut v, &p) {
                Value::Object(o) => {
                    o.insert(text(rng, 6), json!(1));
                }
                other => *other = json!({ "unexpected": other.clone() }),
            }
            v.to_string().into_bytes()
        }
        Mutation::HugeNumber => {
            const HUGE: [&str; 8] = [
                "1e400",
                "-1e400",
                "18446744073709551616",
                "-9223372036854775809",
                "99999999999999999999999999999999999999",
                "-1",
                "1.5",
                "4294967296",
            ];
            let p = pick_path(&v, rng);
            *at_mut(&mut v, &p) = json!("@@HUGE@@");
            v.to_string()
                .replace("\"@@HUGE@@\"", HUGE[rng.random_range(0..HUGE.len())])
                .into_bytes()
        }
        Mutation::DeepNesting => {
            let depth = rng.random_range(100..20_000);
            let deep = nested(depth, rng.random_bool(0.5));
            if rng.random_bool(0.3) {
                return deep.into_bytes();
            }
            let p = pick_path(&v, rng);
            *at_mut(&mut v, &p) = json!("@@DEEP@@");
            v.to_string().replace("\"@@DEEP@@\"", &deep).into_bytes()
        }
        Mutation::InvalidUtf8 => {
            const BAD: [&[u8]; 6] = [
                b"\xff",
                b"\xc3\x28",
                b"\xc0\xaf",
                b"\xed\xa0\x80",
                b"\xf8\x88\x80\x80\x80",
                b"\\ud800",
            ];
            let p = pick_path(&v, rng);
            *at_mut(&mut v, &p) = json!("a@@BAD@@b");
            let s = v.to_string().into_bytes();
            let i = s.windows(7).position(|w| w == b"@@BAD@@").unwrap();
            let mut out = s[..i].to_vec();
            out.extend_from_slice(BAD[rng.random_range(0..BAD.len())]);
            out.extend_from_slice(&s[i + 7..]);
            out
        }
        Mutation::RandomBytes => {
            let n = rng.random_range(1..4096);
            (0..n).map(|_| rng.random::<u8>()).collect()
        }
        Mutation::OversizedString => {
            let n = if rng.random_bool(0.1) {
                rng.random_range(100_000..1_000_000)
            } else {
                rng.random_range(1_000..20_000)
            };
            let p = pick_path(&v, rng);
            *at_mut(&mut v, &p) = json!(text(rng, n));
            v.to_string().into_bytes()
        }
        Mutation::BrokenSyntax => {
            let s = v.to_string();
            match rng.random_range(0..9) {
                0 => format!("{s} x"),
                1 => format!("{s}{s}"),
                2 => format!("\u{feff}{s}"),
                3 => s.replacen(':', "", 1),
                4 => s.replacen('}', ",}", 1),
                5 => "{\"a\"}".into(),
                6 => "[1,]".into(),
                7 => "NaN".into(),
                _ => s.replace('"', "'"),
            }
            .into_bytes()
        }
        Mutation::OneFieldBroken => {
            match shape {
                Shape::Push => break_op(&mut v, rng),
                _ => {
                    let p = pick_path(&v, rng);
                    let slot = at_mut(&mut v, &p);
                    *slot = other_type(slot, rng);
                }
            }
            v.to_string().into_bytes()
        }
        Mutation::TooManyOps => {
            // One operation more than a push may carry: refused whole, `batch_too_large`.
            let mut d = Device::new("alice", COMMUNITY);
            let ops: Vec<_> = (0..=MAX_PUSH_OPS)
                .map(|i| d.household(fx.unit, &format!("{}", 1000 + i), 50.0).1)
                .collect();
            serde_json::to_vec(&d.push_request(ops)).unwrap()
        }
        Mutation::OverLimit => {
            let mut b = b"{\"device_id\":\"".to_vec();
            b.resize(linli_server::http::extract::MAX_BODY_BYTES + 1, b'a');
            b
        }
    }
}

/// Whether a request could write (or, for a login, cost a password hash that no limit stops): the
/// generator then makes another body.
fn could_write(
    route: Route,
    auth: Auth,
    method: &Method,
    path: &str,
    body: &[u8],
    fx: &Fx,
) -> bool {
    if *method != route.method() {
        return false;
    }
    let real_project = path.contains(&fx.project.to_string());
    match route {
        Push => {
            auth.staff()
                && serde_json::from_slice::<PushRequest>(body).is_ok_and(|r| {
                    !r.ops.is_empty()
                        && r.ops.len() <= MAX_PUSH_OPS
                        && r.ops.iter().all(|op| {
                            op.community == COMMUNITY
                                && op.author == "alice"
                                && !serde_json::to_string(&op.body)
                                    .unwrap()
                                    .contains("\"channel\":\"resident\"")
                        })
                })
        }
        IssueCodes => {
            auth.staff()
                && real_project
                && (body.iter().all(u8::is_ascii_whitespace)
                    || serde_json::from_slice::<IssueRequest>(body).is_ok())
        }
        VoteBallot => auth == Auth::Resident && serde_json::from_slice::<VoteBallot>(body).is_ok(),
        VoteLogin => serde_json::from_slice::<CodeLogin>(body).is_ok_and(|c| {
            fx.codes.iter().any(|code| {
                linli_server::renovation::codes::normalise(code)
                    == linli_server::renovation::codes::normalise(&c.code)
            })
        }),
        Login => serde_json::from_slice::<LoginRequest>(body).is_ok_and(|l| {
            l.username.chars().count() <= 64
                && l.password.len() <= 1024
                && !LOGIN_NAMES.contains(&l.username.as_str())
        }),
        _ => false,
    }
}

/// Checks the JSON error shape, and that the code goes with the status; returns the code.
fn error_code(status: StatusCode, body: &[u8]) -> Result<String, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not JSON: {e}"))?;
    let outer = v.as_object().ok_or("not an object")?;
    if outer.len() != 1 {
        return Err("keys other than error".into());
    }
    let e = outer
        .get("error")
        .and_then(Value::as_object)
        .ok_or("no error object")?;
    if e.keys()
        .any(|k| !["code", "message", "field"].contains(&k.as_str()))
    {
        return Err("unknown key in error".into());
    }
    let code = e
        .get("code")
        .and_then(Value::as_str)
        .filter(|c| !c.is_empty())
        .ok_or("no code")?;
    e.get("message")
        .and_then(Value::as_str)
        .filter(|m| !m.is_empty())
        .ok_or("no message")?;
    if e.get("field").is_some_and(|f| !f.is_string()) {
        return Err("field is not a string".into());
    }
    let expected = match code {
        "invalid_json" | "invalid_request" => 400,
        "bad_credentials" | "unauthorized" | "token_expired" | "code_revoked" => 401,
        "forbidden" | "results_not_available" => 403,
        "not_found" => 404,
        "method_not_allowed" => 405,
        "already_issued" => 409,
        "batch_too_large" => 413,
        "uri_too_long" => 414,
        "too_many_attempts" | "too_many_requests" => 429,
        "headers_too_large" => 431,
        other => return Err(format!("unknown code {other}")),
    };
    if status.as_u16() != expected {
        return Err(format!("code {code} with status {status}"));
    }
    Ok(code.to_string())
}

const CONTENT_TYPES: [&str; 7] = [
    "application/json",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
    "application/json; charset=latin1",
    "",
    "*/*",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twelve_thousand_malformed_requests_no_5xx_json_errors_nothing_written() {
    let fx = fixture().await;
    let before = snapshot(&fx.state);
    let started = std::time::Instant::now();
    let mut rng = StdRng::seed_from_u64(SEED);
    let methods = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
        Method::TRACE,
        Method::CONNECT,
        Method::from_bytes(b"FROB").unwrap(),
    ];
    let mut failures = Vec::new();
    let mut by_route: BTreeMap<Route, usize> = BTreeMap::new();
    let mut by_auth: BTreeMap<Auth, usize> = BTreeMap::new();
    let mut by_mutation: BTreeMap<Mutation, usize> = BTreeMap::new();
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    let mut by_code: BTreeMap<String, usize> = BTreeMap::new();
    let mut sent = 0;
    while sent < REQUESTS {
        let route = ROUTES[sent % ROUTES.len()];
        let method = if rng.random_bool(0.25) {
            methods[rng.random_range(0..methods.len())].clone()
        } else {
            route.method()
        };
        let mut auth = AUTHS[rng.random_range(0..AUTHS.len())];
        // Logging out with a valid token would end the fixture's login.
        let logout = matches!(route, Logout | VoteLogout) && method == route.method();
        if logout && (auth.staff() || auth == Auth::Resident) {
            auth = Auth::Garbage;
        }
        let uri = format!("{}{}", path(route, &fx, &mut rng), query(&mut rng));
        let shape = match route.shape() {
            // Routes without a body get one anyway, now and then.
            Shape::None if rng.random_bool(0.8) => None,
            Shape::None => Some(Shape::Push),
            s => Some(s),
        };
        let (mutation, bytes) = match shape {
            None => (None, Vec::new()),
            Some(shape) => {
                let mut tries = 0;
                loop {
                    // The two heavy ones (a 1,001-operation batch, a body over 8 MiB) are rare.
                    let m = loop {
                        let m = MUTATIONS[rng.random_range(0..MUTATIONS.len())];
                        let rare = matches!(m, Mutation::TooManyOps | Mutation::OverLimit);
                        if !rare || rng.random_bool(0.05) {
                            break m;
                        }
                    };
                    let b = body(shape, m, &fx, &mut rng);
                    tries += 1;
                    if !could_write(route, auth, &method, &uri, &b, &fx) {
                        break (Some(m), b);
                    }
                    assert!(tries < 1000, "no harmless body for {route:?}");
                }
            }
        };
        let mut req = Request::builder().method(method.clone()).uri(&uri);
        let token = |t: &str| HeaderValue::from_str(t).unwrap();
        let authorization = match auth {
            Auth::None => None,
            Auth::Staff => Some(token(&format!("Bearer {}", fx.staff))),
            Auth::StaffLowercase => Some(token(&format!("bearer {}", fx.staff))),
            Auth::StaffSpaced => Some(token(&format!("Bearer   {}  ", fx.staff))),
            Auth::Resident => Some(token(&format!("Bearer {}", fx.resident))),
            Auth::ExpiredStaff => Some(token(&format!("Bearer {}", fx.expired_staff))),
            Auth::ExpiredResident => Some(token(&format!("Bearer {}", fx.expired_resident))),
            Auth::RevokedResident => Some(token(&format!("Bearer {}", fx.revoked_resident))),
            Auth::Garbage => Some(token(&format!(
                "Bearer {}",
                (0..rng.random_range(1..60))
                    .map(|_| rng.random_range(b'!'..=b'~') as char)
                    .collect::<String>()
            ))),
            Auth::EmptyBearer => Some(token("Bearer ")),
            Auth::Basic => Some(token("Basic YWxpY2U6cHctYWxpY2Utc2VjcmV0")),
            Auth::NonAscii => Some(HeaderValue::from_bytes(b"Bearer \xff\xfe\x80token").unwrap()),
            Auth::Huge => Some(token(&format!("Bearer {}", "A".repeat(16_384)))),
        };
        if let Some(a) = authorization {
            req = req.header(header::AUTHORIZATION, a);
        }
        let ct = CONTENT_TYPES[rng.random_range(0..CONTENT_TYPES.len())];
        if !ct.is_empty() {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        if rng.random_bool(0.1) {
            req = req.header(
                header::ACCEPT_LANGUAGE,
                HeaderValue::from_bytes(b"en\xff;q=abc").unwrap(),
            );
        }
        if rng.random_bool(0.05) {
            req = req.header("x-forwarded-for", "garbage, 999.1.1.1, ::zz");
        }
        if rng.random_bool(0.01) {
            // More headers than the server takes.
            for i in 0..rng.random_range(90..200) {
                req = req.header(format!("x-junk-{i}"), "x".repeat(i * 4));
            }
        }
        let Ok(req) = req.body(Body::from(bytes.clone())) else {
            panic!("request not built: {method} {uri}");
        };
        let (status, headers, resp) = call(&fx.router, req).await;
        sent += 1;
        *by_route.entry(route).or_default() += 1;
        *by_auth.entry(auth).or_default() += 1;
        if let Some(m) = mutation {
            *by_mutation.entry(m).or_default() += 1;
        }
        *by_status.entry(status.as_u16()).or_default() += 1;

        let api = uri == "/api" || uri.starts_with("/api/") || uri.starts_with("/api?");
        let problem = if status.is_server_error() {
            Some(format!("status {status}"))
        } else if api && status.as_u16() >= 400 && method == Method::HEAD {
            // A HEAD answer has no body by definition; its headers still say JSON.
            (headers.get(header::CONTENT_TYPE)
                != Some(&HeaderValue::from_static("application/json")))
            .then(|| "HEAD error without a JSON content type".to_string())
        } else if api && status.as_u16() >= 400 {
            match error_code(status, &resp) {
                Ok(code) => {
                    *by_code.entry(code).or_default() += 1;
                    None
                }
                Err(e) => Some(e),
            }
        } else {
            None
        };
        if let Some(p) = problem
            && failures.len() < 20
        {
            let shown = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).into_owned();
            failures.push(format!(
                "#{sent} {route:?} {method} {} auth {auth:?} body {mutation:?} {shown:?}: {p}; answer {status} {}",
                &uri[..uri.len().min(200)],
                String::from_utf8_lossy(&resp[..resp.len().min(300)])
            ));
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    eprintln!("{sent} malformed requests in {seconds:.1} s");
    eprintln!("statuses {by_status:?}");
    eprintln!("codes {by_code:?}");
    eprintln!("mutations {by_mutation:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(sent, REQUESTS);

    // Coverage: every route, kind of login and kind of body many times; the answers span the errors.
    for r in ROUTES {
        assert!(by_route[&r] >= REQUESTS / ROUTES.len(), "{r:?}");
    }
    for a in AUTHS {
        assert!(
            by_auth.get(&a).copied().unwrap_or(0) >= 500,
            "{a:?}: {by_auth:?}"
        );
    }
    for m in MUTATIONS {
        let rare = matches!(m, Mutation::TooManyOps | Mutation::OverLimit);
        let least = if rare { 5 } else { 200 };
        assert!(
            by_mutation.get(&m).copied().unwrap_or(0) >= least,
            "{m:?}: {by_mutation:?}"
        );
    }
    for code in [
        "invalid_json",
        "invalid_request",
        "bad_credentials",
        "unauthorized",
        "token_expired",
        "code_revoked",
        "forbidden",
        "not_found",
        "method_not_allowed",
        "batch_too_large",
        "uri_too_long",
        "headers_too_large",
    ] {
        assert!(
            by_code.contains_key(code),
            "{code} never answered: {by_code:?}"
        );
    }

    // Nothing was written: every row of every table as it was (operations, rejections, codes, sessions…).
    let after = snapshot(&fx.state);
    for (table, rows) in &before {
        // The login limiter's failed logins (PostgreSQL keeps them in a table, shared by every server
        // process; SQLite in memory): a wrong password is counted, as it should be.
        if table == "login_failures" {
            continue;
        }
        assert_eq!(rows, &after[table], "table {table} changed");
    }
    assert_eq!(before.len(), after.len());
    assert_eq!(before["ops"].len(), 10, "the fixture's operations");
    assert_eq!(before["rejections"].len(), 0);
    assert_eq!(before["voting_codes"].len(), 4);
}

/// Sends `"METHOD /path"` with a bearer token and a body, and asserts the JSON error answered:
/// `want` is `"status code"` or `"status code field"`.
async fn expect(fx: &Fx, request: &str, token: Option<&str>, body: &[u8], want: &str) {
    let (method, uri) = request.split_once(' ').unwrap();
    let mut b = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).unwrap())
        .uri(uri);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let (status, _, bytes) = call(&fx.router, b.body(Body::from(body.to_vec())).unwrap()).await;
    let v: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{request}: not JSON ({e}): {bytes:?}"));
    let e = &v["error"];
    let got = [status.as_str(), e["code"].as_str().unwrap_or("?")].join(" ");
    let got = match e["field"].as_str() {
        Some(f) => format!("{got} {f}"),
        None => got,
    };
    assert_eq!(got, want, "{request}: {v}");
}

/// Hand-worked answers to some malformed requests, one per kind of refusal.
#[tokio::test]
async fn malformed_requests_get_the_error_they_deserve() {
    let fx = fixture().await;
    let before = snapshot(&fx.state);
    let (staff, resident) = (Some(fx.staff.as_str()), Some(fx.resident.as_str()));
    let push = |community: &str| {
        let mut d = Device::new("alice", community);
        let (_, op) = d.compound("新小区");
        serde_json::to_vec(&d.push_request(vec![op])).unwrap()
    };
    let f = &fx;
    let push_to = "POST /api/sync/push";
    expect(
        f,
        "GET /api/sync/push",
        staff,
        b"",
        "405 method_not_allowed",
    )
    .await;
    let cut = b"{\"device_id\":";
    expect(f, push_to, staff, cut, "400 invalid_json device_id").await;
    let bad = b"{\"device_id\":\"x\",\"ops\":[]}";
    expect(f, push_to, staff, bad, "400 invalid_request device_id").await;
    let other = push("c2");
    expect(f, push_to, staff, &other, "403 forbidden ops[0].community").await;
    expect(f, push_to, None, &push(COMMUNITY), "401 unauthorized").await;
    let huge = vec![b'['; linli_server::http::extract::MAX_BODY_BYTES + 1];
    expect(f, push_to, staff, &huge, "413 batch_too_large").await;
    let since = "GET /api/sync/pull?since=-1";
    expect(f, since, staff, b"", "400 invalid_request since").await;
    let limit = "GET /api/sync/pull?limit=x";
    expect(f, limit, staff, b"", "400 invalid_request limit").await;

    let expired = Some(fx.expired_staff.as_str());
    expect(f, "GET /api/me", expired, b"", "401 token_expired").await;
    let wrong_kind = "403 forbidden authorization";
    expect(f, "GET /api/me", resident, b"", wrong_kind).await;
    expect(f, "GET /api/vote/me", staff, b"", wrong_kind).await;
    let revoked = Some(fx.revoked_resident.as_str());
    expect(f, "GET /api/vote/me", revoked, b"", "401 code_revoked").await;
    let expired = Some(fx.expired_resident.as_str());
    expect(f, "GET /api/vote/me", expired, b"", "401 token_expired").await;
    let login = "POST /api/auth/login";
    expect(f, login, None, b"\xff\xfe", "400 invalid_json").await;
    let code = br#"{"code":7}"#;
    expect(
        f,
        "POST /api/vote/login",
        None,
        code,
        "400 invalid_request code",
    )
    .await;
    let ballot = format!(
        r#"{{"id":"{}","agree":"yes","cast_at_ms":1}}"#,
        Uuid::now_v7()
    );
    let vote = "POST /api/vote/ballot";
    expect(
        f,
        vote,
        resident,
        ballot.as_bytes(),
        "400 invalid_request agree",
    )
    .await;

    // A path segment that is no UUID, or not even UTF-8 once decoded, names no record.
    let no_project = "404 not_found project_id";
    expect(f, "GET /api/projects/x/results", staff, b"", no_project).await;
    let csv = "GET /api/projects/%FF%FE/results.csv";
    expect(f, csv, staff, b"", no_project).await;
    let revoke = format!("POST /api/projects/{}/codes/%C3%28/revoke", fx.project);
    expect(f, &revoke, staff, b"", "404 not_found household_id").await;
    let issue = format!("POST /api/projects/{}/codes", fx.project);
    let all = br#"{"households":"all"}"#;
    expect(f, &issue, staff, all, "400 invalid_request households").await;

    expect(f, "DELETE /api/health", None, b"", "405 method_not_allowed").await;
    expect(f, "GET /api/nope?since=%FF", staff, b"", "404 not_found").await;
    let long = format!("GET /api/sync/pull?x={}", "a".repeat(9000));
    expect(f, &long, staff, b"", "414 uri_too_long").await;
    assert_eq!(snapshot(&fx.state), before);
}
