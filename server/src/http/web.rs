//! Serving the built app from `LINLI_DIST`: files (their Brotli or gzip copies to browsers that accept
//! them), the single-page-app fallback to `index.html` (`vote.html`, the resident's entry, under `/v`),
//! `Cache-Control: no-cache` on the HTML and `sw.js`, a year's caching for the content-hashed `/pkg/`
//! files, and a "not built yet" page when there is no build.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

const NOT_BUILT: &str = r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>邻里 Linli</title></head>
<body style="font: 18px/1.6 system-ui, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em">
<h1>邻里 Linli</h1>
<p>服务器正在运行，但应用还没有构建。请运行 <code>cargo xtask serve</code>。</p>
<p>The server is running, but the app has not been built. Run <code>cargo xtask serve</code>.</p>
</body></html>
"#;

/// Whether `path` is a resident's address (`/v`, `/v/<code>`): it opens the small voting entry.
pub fn is_resident_path(path: &str) -> bool {
    path == "/v" || path.starts_with("/v/")
}

/// Answers any request that is not for `/api`: a file of the build, or the entry page — `vote.html` for a
/// resident's address, `index.html` for every other one.
pub async fn serve_static(dist: PathBuf, req: Request) -> Response {
    let mut index = dist.join("index.html");
    if !tokio::fs::try_exists(&index).await.unwrap_or(false) {
        return (StatusCode::OK, Html(NOT_BUILT)).into_response();
    }
    let vote = dist.join("vote.html");
    if is_resident_path(req.uri().path()) && tokio::fs::try_exists(&vote).await.unwrap_or(false) {
        index = vote;
    }
    // `cargo xtask build` writes `.br` and `.gz` copies: a browser that accepts them gets those bytes.
    let service = ServeDir::new(&dist)
        .append_index_html_on_directories(true)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(
            ServeFile::new(index)
                .precompressed_br()
                .precompressed_gzip(),
        );
    match service.oneshot(req).await {
        Ok(resp) => resp.map(axum::body::Body::new),
        Err(e) => match e {},
    }
}

/// Middleware: `index.html` (any HTML answer, including the SPA fallback) and `sw.js` must be revalidated
/// so a new version of the app is picked up; the app's content-hashed files under `/pkg/` are kept for a
/// year (a new build has new names).
pub async fn no_cache_for_entry_points(req: Request, next: Next) -> Response {
    let is_sw = req.uri().path().ends_with("/sw.js");
    let hashed = req.uri().path().starts_with("/pkg/");
    let mut resp = next.run(req).await;
    if hashed && resp.status().is_success() {
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
        return resp;
    }
    let html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_sw || html {
        resp.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    resp
}

/// The Content-Security-Policy of every answer: only this origin's scripts (and its Wasm), styles, images
/// (and `data:`/`blob:` ones, for QR codes and downloads) and connections; no plugins, no framing.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
form-action 'self'; manifest-src 'self'; worker-src 'self'";

/// The Content-Security-Policy of every other answer (API JSON, scripts, Wasm, styles, images): a policy
/// applies only to a document or a worker, so these need only "nothing, and never framed" if one is ever
/// opened as a page. The full policy is 300 bytes of header a phone would receive on every file (issue 8).
pub const CSP_NOT_A_PAGE: &str = "default-src 'none'; frame-ancestors 'none'";

/// Whether `path` is answered with a page (any address but the API's and the build's files, which have a
/// file extension; `.html` ones are pages) or is the service worker's script. Decided by the address, not
/// by the answer's type: a `304 Not Modified` has no type, and its headers replace the kept answer's.
pub fn is_page_or_worker(path: &str) -> bool {
    if path.starts_with("/api/") || path == "/api" {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    match last.rsplit_once('.') {
        None => true,
        Some((_, ext)) => ext == "html" || last == "sw.js",
    }
}

/// Middleware: security headers on every answer (the full Content-Security-Policy on pages and the service
/// worker), and `Cache-Control: no-store` on API answers (they carry
/// tokens, voting codes and results, which no cache or shared computer should keep).
pub async fn security_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api");
    let page = is_page_or_worker(req.uri().path());
    let mut resp = next.run(req).await;
    let h = resp.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        if !h.contains_key(&name) {
            h.insert(name, HeaderValue::from_static(value));
        }
    };
    set(
        header::CONTENT_SECURITY_POLICY,
        if page { CSP } else { CSP_NOT_A_PAGE },
    );
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    // Slip links carry a household's voting code: never send them on as a referrer.
    set(header::REFERRER_POLICY, "no-referrer");
    set(header::X_FRAME_OPTIONS, "DENY");
    if api {
        set(header::CACHE_CONTROL, "no-store");
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::is_page_or_worker;

    #[test]
    fn pages_and_the_worker_get_the_full_policy_files_and_the_api_do_not() {
        for page in [
            "/",
            "/login",
            "/v/AB12-CD34",
            "/compound/0190a0b0-0000-7000",
            "/vote.html",
            "/sw.js",
        ] {
            assert!(is_page_or_worker(page), "{page}");
        }
        for file in [
            "/api/health",
            "/api/vote/login",
            "/boot.js",
            "/styles.css",
            "/pkg/linli_app-0123/linli_app_bg.wasm",
            "/icons/icon.svg",
            "/manifest.webmanifest",
        ] {
            assert!(!is_page_or_worker(file), "{file}");
        }
    }
}
