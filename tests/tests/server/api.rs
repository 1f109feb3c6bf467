//! The HTTP surface: health, accounts, request-level errors (each stores nothing), and static files.

use super::*;
use linli_tests::Device;
use serde_json::json;

#[tokio::test]
async fn health() {
    let s = start().await;
    let got = status_json(s.http.get(s.url("/api/health")).send().await.unwrap()).await;
    let backend = if linli_tests::on_postgres() {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(
        got,
        (
            200,
            json!({"status":"ok", "backend": backend, "database": "ok"})
        )
    );
}

#[tokio::test]
async fn login_me_logout() {
    let s = start().await;
    let c = s.client("alice").await;
    let login = c.login.clone().unwrap();
    assert_eq!(
        (login.username.as_str(), login.community.as_str()),
        ("alice", COMMUNITY)
    );
    assert!(login.expires_at > linli_tests::now_ms() + 29 * 24 * 3600 * 1000);
    assert_eq!(login.token.len(), 43);
    let me = status_json(
        s.http
            .get(s.url("/api/me"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(me.0, 200);
    assert_eq!(me.1["username"], "alice");
    assert_eq!(me.1["role"], "staff");
    assert_eq!(me.1["community_name"], format!("社区 {COMMUNITY}"));
    assert!(me.1.get("token").is_none());
    let out = status_json(
        s.http
            .post(s.url("/api/auth/logout"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(out.0, 200);
    let again = status_json(
        s.http
            .get(s.url("/api/me"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&again, 401, "unauthorized", None);
}

#[tokio::test]
async fn wrong_password_then_rate_limit() {
    let s = start().await;
    let bad = || {
        s.http
            .post(s.url("/api/auth/login"))
            .json(&json!({"username":"alice","password":"nope-nope"}))
            .send()
    };
    for _ in 0..10 {
        assert_error(
            &status_json(bad().await.unwrap()).await,
            401,
            "bad_credentials",
            None,
        );
    }
    assert_error(
        &status_json(bad().await.unwrap()).await,
        429,
        "too_many_attempts",
        None,
    );
    // Even the right password waits out the window; other usernames are not affected.
    let right = s
        .http
        .post(s.url("/api/auth/login"))
        .json(&json!({"username":"alice","password":password("alice")}));
    assert_error(
        &status_json(right.send().await.unwrap()).await,
        429,
        "too_many_attempts",
        None,
    );
    let unknown = s
        .http
        .post(s.url("/api/auth/login"))
        .json(&json!({"username":"nobody","password":"whatever1"}));
    assert_error(
        &status_json(unknown.send().await.unwrap()).await,
        401,
        "bad_credentials",
        None,
    );
    let extra = s
        .http
        .post(s.url("/api/auth/login"))
        .json(&json!({"username":"a","password":"b","x":1}));
    assert_error(
        &status_json(extra.send().await.unwrap()).await,
        400,
        "invalid_request",
        Some("x"),
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_json() {
    let s = start().await;
    assert_error(
        &status_json(s.http.get(s.url("/api/nope")).send().await.unwrap()).await,
        404,
        "not_found",
        None,
    );
    assert_error(
        &status_json(s.http.post(s.url("/api")).send().await.unwrap()).await,
        404,
        "not_found",
        None,
    );
    let got = status_json(s.http.get(s.url("/api/sync/push")).send().await.unwrap()).await;
    assert_error(&got, 405, "method_not_allowed", None);
    let en = s
        .http
        .get(s.url("/api/nope"))
        .header("Accept-Language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(
        status_json(en).await.1["error"]["message"],
        "No such API endpoint"
    );
}

/// Pushes raw JSON text with a token and returns status and body.
async fn push_raw(s: &TestServer, token: Option<&str>, body: String) -> (u16, Value) {
    let mut req = s
        .http
        .post(s.url("/api/sync/push"))
        .header("content-type", "application/json")
        .body(body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    status_json(req.send().await.unwrap()).await
}

#[tokio::test]
async fn request_errors_name_the_field_and_store_nothing() {
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (_, place) = d.place();
    let good = serde_json::to_value(d.push_request(place)).unwrap();

    // Malformed JSON.
    let text = good.to_string();
    let got = push_raw(&s, Some(&c.token), text[..text.len() - 5].to_string()).await;
    assert_error(&got, 400, "invalid_json", got.1["error"]["field"].as_str());
    assert_error(
        &push_raw(&s, Some(&c.token), "{".into()).await,
        400,
        "invalid_json",
        None,
    );
    // Unknown field in an operation.
    let mut v = good.clone();
    v["ops"][1]["colour"] = json!("red");
    assert_error(
        &push_raw(&s, Some(&c.token), v.to_string()).await,
        400,
        "invalid_request",
        Some("ops[1].colour"),
    );
    // Wrong type, inside an operation's body.
    let mut v = good.clone();
    v["ops"][2]["body"]["name"] = json!(12);
    assert_error(
        &push_raw(&s, Some(&c.token), v.to_string()).await,
        400,
        "invalid_request",
        Some("ops[2].body.name"),
    );
    let mut v = good.clone();
    v["ops"][0]["hlc"]["ms"] = json!("soon");
    assert_error(
        &push_raw(&s, Some(&c.token), v.to_string()).await,
        400,
        "invalid_request",
        Some("ops[0].hlc.ms"),
    );
    // No token, an unknown token.
    assert_error(
        &push_raw(&s, None, good.to_string()).await,
        401,
        "unauthorized",
        None,
    );
    assert_error(
        &push_raw(&s, Some("made-up"), good.to_string()).await,
        401,
        "unauthorized",
        None,
    );
    // Another community's operation, another author: the whole batch is refused.
    let mut v = good.clone();
    v["ops"][1]["community"] = json!("c2");
    assert_error(
        &push_raw(&s, Some(&c.token), v.to_string()).await,
        403,
        "forbidden",
        Some("ops[1].community"),
    );
    let mut v = good.clone();
    v["ops"][2]["author"] = json!("bob");
    assert_error(
        &push_raw(&s, Some(&c.token), v.to_string()).await,
        403,
        "forbidden",
        Some("ops[2].author"),
    );
    // Too many operations, too many bytes.
    let (unit, _) = d.place();
    let many: Vec<_> = (0..=linli_core::protocol::MAX_PUSH_OPS)
        .map(|i| d.household(unit, &i.to_string(), 50.0).1)
        .collect();
    let got = push_raw(
        &s,
        Some(&c.token),
        serde_json::to_string(&d.push_request(many)).unwrap(),
    )
    .await;
    assert_error(&got, 413, "batch_too_large", None);
    let huge = format!(
        r#"{{"device_id":"{}","ops":[],"pad":"{}"}}"#,
        d.id,
        "x".repeat(9 * 1024 * 1024)
    );
    assert_error(
        &push_raw(&s, Some(&c.token), huge).await,
        413,
        "batch_too_large",
        None,
    );
    // Bad pull parameters.
    let got = status_json(
        s.http
            .get(s.url("/api/sync/pull?since=abc"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&got, 400, "invalid_request", Some("since"));
    let got = status_json(
        s.http
            .get(s.url("/api/sync/pull?limit=-3"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&got, 400, "invalid_request", Some("limit"));
    let got = status_json(s.http.get(s.url("/api/sync/pull")).send().await.unwrap()).await;
    assert_error(&got, 401, "unauthorized", None);

    // None of it stored anything.
    assert!(c.pull_all(0).await.unwrap().is_empty());
    // English on request.
    let en = s
        .http
        .post(s.url("/api/sync/push"))
        .header("Accept-Language", "en")
        .body("{")
        .bearer_auth(&c.token);
    let got = status_json(en.send().await.unwrap()).await;
    assert!(
        got.1["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("The request is not valid JSON"),
        "{}",
        got.1
    );
    // And the good batch still goes through.
    let r = push_raw(&s, Some(&c.token), good.to_string()).await;
    assert_eq!(r.0, 200);
    assert_eq!(c.pull_all(0).await.unwrap().len(), 3);
}

#[tokio::test]
async fn expired_token_has_its_own_code() {
    let s = start_with(|c| c.token_ttl = std::time::Duration::ZERO).await;
    let c = s.client("alice").await;
    let got = status_json(
        s.http
            .get(s.url("/api/sync/pull"))
            .bearer_auth(&c.token)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_error(&got, 401, "token_expired", None);
    let d = Device::new("alice", COMMUNITY);
    let got = push_raw(
        &s,
        Some(&c.token),
        serde_json::to_string(&d.push_request(vec![])).unwrap(),
    )
    .await;
    assert_error(&got, 401, "token_expired", None);
}

#[tokio::test]
async fn static_files_spa_fallback_and_no_cache() {
    let s = start().await;
    // No build yet: a page that says so.
    let r = s.http.get(s.url("/")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("cargo xtask serve"));
    // A build.
    let dist = s.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("assets")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>Linli</title>APP",
    )
    .unwrap();
    std::fs::write(dist.join("sw.js"), "// sw").unwrap();
    std::fs::write(dist.join("assets/app.js"), "console.log(1)").unwrap();
    for path in ["/", "/index.html", "/households/123"] {
        let r = s.http.get(s.url(path)).send().await.unwrap();
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert!(r.text().await.unwrap().contains("APP"), "{path}");
    }
    let r = s.http.get(s.url("/sw.js")).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let r = s.http.get(s.url("/assets/app.js")).send().await.unwrap();
    assert!(r.headers().get("cache-control").is_none());
    assert_eq!(r.text().await.unwrap(), "console.log(1)");
    // /api never falls back to the app.
    assert_eq!(
        s.http
            .get(s.url("/api/households"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

#[tokio::test]
async fn security_headers_and_no_store_on_api_answers() {
    // Hardening: CSP, nosniff, no referrer (slip links carry codes), no framing; API answers (tokens, codes,
    // results) are never stored by a cache.
    let s = start().await;
    let api = s.http.get(s.url("/api/health")).send().await.unwrap();
    let h = api.headers();
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "no-referrer");
    assert_eq!(h["x-frame-options"], "DENY");
    // Not a page: nothing may load from it, and it may not be framed (the full policy is for pages).
    assert_eq!(
        h["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    // An error answer too, and the page (not built here) without no-store.
    let err = s.http.get(s.url("/api/nothing-here")).send().await.unwrap();
    assert_eq!(err.status(), 404);
    assert_eq!(err.headers()["cache-control"], "no-store");
    let page = s.http.get(s.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_ne!(
        page.headers()
            .get("cache-control")
            .map(|v| v.to_str().unwrap()),
        Some("no-store")
    );
}

#[tokio::test]
async fn wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another() {
    // Hardening: behind a trusted reverse proxy (here: loopback), failures count per account and client
    // address. 30 wrong tries for alice from one address; alice still logs in from another.
    let s = start_with(|c| c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]).await;
    let login = |from: &'static str, password: String| {
        let (http, url) = (s.http.clone(), s.url("/api/auth/login"));
        async move {
            http.post(url)
                .header("X-Forwarded-For", from)
                .json(&json!({ "username": "alice", "password": password }))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let mut answers = Vec::new();
    for _ in 0..30 {
        answers.push(login("198.51.100.7", "wrong password".into()).await);
    }
    assert_eq!(
        answers.iter().filter(|s| **s == 401).count(),
        10,
        "{answers:?}"
    );
    assert!(answers[10..].iter().all(|s| *s == 429), "{answers:?}");
    assert_eq!(
        login("198.51.100.7", password("alice")).await,
        429,
        "the guessing address waits"
    );
    assert_eq!(
        login("203.0.113.20", password("alice")).await,
        200,
        "the owner, elsewhere, gets in"
    );
    // Without a trusted proxy the header is ignored: every request is from 127.0.0.1.
    let plain = start().await;
    for _ in 0..10 {
        plain
            .http
            .post(plain.url("/api/auth/login"))
            .header("X-Forwarded-For", "192.0.2.1")
            .json(&json!({ "username": "alice", "password": "nope nope" }))
            .send()
            .await
            .unwrap();
    }
    let r = plain
        .http
        .post(plain.url("/api/auth/login"))
        .header("X-Forwarded-For", "192.0.2.2")
        .json(&json!({ "username": "alice", "password": password("alice") }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
}

#[tokio::test]
async fn the_app_is_sent_compressed_to_browsers_that_accept_it() {
    // `cargo xtask build` writes `.br` and `.gz` copies beside the files; the server sends the copy the
    // browser accepts (Brotli first), with its Content-Encoding, and the plain file to anyone else.
    let s = start().await;
    let dist = s.dir.path().join("dist");
    std::fs::create_dir_all(dist.join("pkg")).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<!doctype html><title>邻里</title>",
    )
    .unwrap();
    std::fs::write(dist.join("pkg/app.wasm"), vec![7u8; 4096]).unwrap();
    std::fs::write(dist.join("pkg/app.wasm.br"), b"brotli bytes").unwrap();
    std::fs::write(dist.join("pkg/app.wasm.gz"), b"gzip bytes").unwrap();
    let get = |enc: &'static str| {
        let r = s
            .http
            .get(s.url("/pkg/app.wasm"))
            .header("Accept-Encoding", enc);
        async move {
            let resp = r.send().await.unwrap();
            let ce = resp
                .headers()
                .get("content-encoding")
                .map(|v| v.to_str().unwrap().to_string());
            (
                resp.status().as_u16(),
                ce,
                resp.bytes().await.unwrap().to_vec(),
            )
        }
    };
    assert_eq!(
        get("gzip, deflate, br, zstd").await,
        (200, Some("br".into()), b"brotli bytes".to_vec())
    );
    assert_eq!(
        get("gzip").await,
        (200, Some("gzip".into()), b"gzip bytes".to_vec())
    );
    assert_eq!(get("identity").await, (200, None, vec![7u8; 4096]));
}

#[tokio::test]
async fn large_api_answers_go_compressed_small_ones_plain() {
    // A pulled page of operations is large, repetitive JSON: compressed for a client that accepts it.
    let s = start().await;
    let c = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (unit, place) = d.place();
    let mut ops = place;
    for i in 0..40 {
        ops.push(d.household(unit, &format!("{}", 100 + i), 60.0).1);
    }
    c.push(&d.push_request(ops)).await.unwrap();
    let get = |path: &str, enc: &'static str| {
        s.http
            .get(s.url(path))
            .bearer_auth(&c.token)
            .header("Accept-Encoding", enc)
            .send()
    };
    let pull = get("/api/sync/pull?since=0&limit=100", "gzip")
        .await
        .unwrap();
    assert_eq!(pull.headers()["content-encoding"], "gzip");
    assert_eq!(
        &pull.bytes().await.unwrap()[..2],
        &[0x1f, 0x8b],
        "a gzip stream"
    );
    let pull = get("/api/sync/pull?since=0&limit=100", "br").await.unwrap();
    assert_eq!(pull.headers()["content-encoding"], "br");
    let plain = get("/api/sync/pull?since=0&limit=100", "identity")
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let health = get("/api/health", "gzip").await.unwrap();
    assert!(
        health.headers().get("content-encoding").is_none(),
        "small answers are sent as they are"
    );
}

#[tokio::test]
async fn oversized_addresses_and_headers_get_json_errors() {
    // Hardening (issue 7.11): hyper answered these itself with empty bodies. Now an address over 8 KB is
    // 414 and headers over 32 KB (or more than 100 of them) are 431, as the API's JSON error, in the
    // request's language, with the API's headers.
    let s = start().await;
    let long = format!("/api/sync/pull?since=0&x={}", "a".repeat(9_000));
    let r = s.http.get(s.url(&long)).send().await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert_error(&status_json(r).await, 414, "uri_too_long", None);
    let r = s
        .http
        .get(s.url("/api/health"))
        .header("Accept-Language", "en")
        .header("X-Big", "b".repeat(40_000))
        .send()
        .await
        .unwrap();
    let got = status_json(r).await;
    assert_error(&got, 431, "headers_too_large", None);
    assert_eq!(
        got.1["error"]["message"],
        "The request headers are too large"
    );
    let mut many = s.http.get(s.url("/api/health"));
    for i in 0..120 {
        many = many.header(format!("x-h{i}"), "1");
    }
    assert_error(
        &status_json(many.send().await.unwrap()).await,
        431,
        "headers_too_large",
        None,
    );
    // Just under the limits: answered normally.
    let ok = s
        .http
        .get(s.url(&format!("/api/health?x={}", "a".repeat(7_000))))
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
}
