//! HTTP calls to the server's API through `fetch` (`gloo-net`), with its errors sorted into what the app does
//! about them.

use crate::data::json;
use crate::shell::strings::server_code_message;
use gloo_net::http::{Method, RequestBuilder};
use linli_core::Lang;
use linli_core::protocol::ErrorBody;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::RequestCache;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer (offline, server down, connection cut): retry later.
    Network,
    /// The server answered with an error.
    Http {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
}

impl ApiError {
    /// 401: the token is missing, wrong or expired; the user must log in again.
    pub fn is_auth(&self) -> bool {
        matches!(self, ApiError::Http { status: 401, .. })
    }

    /// Worth trying again later: no answer, or the server (or a proxy) is overloaded or failing.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network => true,
            ApiError::Http { status, .. } => *status >= 500 || *status == 408 || *status == 429,
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ApiError::Network => "network",
            ApiError::Http { code, .. } => code,
        }
    }

    /// A message for a person: the server's own message, or one made from the code.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Network => server_code_message("network", lang)
                .unwrap_or_default()
                .to_string(),
            ApiError::Http { code, message, .. } => {
                if !message.is_empty() {
                    message.clone()
                } else {
                    server_code_message(code, lang)
                        .unwrap_or(code.as_str())
                        .to_string()
                }
            }
        }
    }
}

fn lang_tag(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// Calls `path` (e.g. "/api/sync/pull?since=0") with `method` "GET" or "POST" (the only ones the API uses) and
/// returns the answer's body text on success.
pub async fn call_text(
    method: &str,
    path: &str,
    token: Option<&str>,
    lang: Lang,
    body: Option<JsValue>,
) -> Result<String, ApiError> {
    let method = if method == "POST" {
        Method::POST
    } else {
        Method::GET
    };
    // The query goes to gloo-net as pairs: given inside the path, it would come out with a trailing '&'.
    // Its values are plain (numbers), appended as they are.
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let pairs = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")));
    let mut req = RequestBuilder::new(path)
        .query(pairs)
        .method(method)
        .cache(RequestCache::NoStore)
        .header("Accept", "application/json")
        .header("Accept-Language", lang_tag(lang));
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req.header("Content-Type", "application/json").body(b),
        None => req.build(),
    }
    .map_err(|_| ApiError::Network)?;
    let resp = req.send().await.map_err(|_| ApiError::Network)?;
    let text = resp.text().await.map_err(|_| ApiError::Network)?;
    let status = resp.status();
    if (200..300).contains(&status) {
        return Ok(text);
    }
    Err(error_of(status, &text))
}

/// The error an answer with `status` (not 2xx) and body `text` means.
pub fn error_of(status: u16, text: &str) -> ApiError {
    // A proxy or captive portal may answer without our JSON error; keep the status so 401 still means "log in".
    match json::from_str::<ErrorBody>(text) {
        Ok(b) => ApiError::Http {
            status,
            code: b.error.code,
            message: b.error.message,
            field: b.error.field,
        },
        Err(_) if status == 401 => ApiError::Http {
            status,
            code: "unauthorized".into(),
            message: String::new(),
            field: None,
        },
        Err(_) => ApiError::Http {
            status,
            code: format!("http_{status}"),
            message: format!("HTTP {status}"),
            field: None,
        },
    }
}

/// Reads a successful answer's JSON.
pub fn parse<R: DeserializeOwned>(text: &str) -> Result<R, ApiError> {
    json::from_str(text).map_err(|e| ApiError::Http {
        status: 200,
        code: "invalid_response".into(),
        message: e.to_string(),
        field: None,
    })
}

/// Calls with an optional JSON body and parses the JSON answer.
pub async fn call<B: Serialize, R: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    lang: Lang,
    body: Option<&B>,
) -> Result<R, ApiError> {
    let body = body.map(|b| JsValue::from_str(&json::to_string(b).unwrap_or_default()));
    call_js_body(method, path, token, lang, body).await
}

/// As [`call`], with the request's JSON already a JavaScript string (the push builds it from a text it
/// also stores, so the operations cross into JavaScript once).
pub async fn call_js_body<R: DeserializeOwned>(
    method: &str,
    path: &str,
    token: Option<&str>,
    lang: Lang,
    body: Option<JsValue>,
) -> Result<R, ApiError> {
    parse(&call_text(method, path, token, lang, body).await?)
}

/// Fetches `path` (a file the server makes, e.g. an XLSX export) and returns the answer's body as a blob.
/// An error answer is `ApiError::Http` with code `http_<status>`.
pub async fn get_blob(path: &str, token: Option<&str>) -> Result<web_sys::Blob, ApiError> {
    let mut req = RequestBuilder::new(path).method(Method::GET);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let resp = req.send().await.map_err(|_| ApiError::Network)?;
    if !resp.ok() {
        let status = resp.status();
        return Err(ApiError::Http {
            status,
            code: format!("http_{status}"),
            message: String::new(),
            field: None,
        });
    }
    let blob = web_sys::Response::from(resp)
        .blob()
        .map_err(|_| ApiError::Network)?;
    let blob = JsFuture::from(blob).await.map_err(|_| ApiError::Network)?;
    Ok(blob.unchecked_into())
}

/// Posts a file's bytes (`content_type`) and returns the answer's status and text, whatever the status:
/// the caller reads its own error shape (an import's list of problems). A network failure is `Network`.
pub async fn post_bytes(
    path: &str,
    token: Option<&str>,
    lang: Lang,
    bytes: &js_sys::Uint8Array,
    content_type: &str,
) -> Result<(u16, String), ApiError> {
    send_bytes(Method::POST, path, token, lang, bytes, content_type).await
}

/// As [`post_bytes`], with `PUT` (a photo stored under the id the phone gave it).
pub async fn put_bytes(
    path: &str,
    token: Option<&str>,
    lang: Lang,
    bytes: &js_sys::Uint8Array,
    content_type: &str,
) -> Result<(u16, String), ApiError> {
    send_bytes(Method::PUT, path, token, lang, bytes, content_type).await
}

async fn send_bytes(
    method: Method,
    path: &str,
    token: Option<&str>,
    lang: Lang,
    bytes: &js_sys::Uint8Array,
    content_type: &str,
) -> Result<(u16, String), ApiError> {
    let mut req = RequestBuilder::new(path)
        .method(method)
        .cache(RequestCache::NoStore)
        .header("Accept", "application/json")
        .header("Accept-Language", lang_tag(lang))
        .header("Content-Type", content_type);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let req = req
        .body(JsValue::from(bytes.clone()))
        .map_err(|_| ApiError::Network)?;
    let resp = req.send().await.map_err(|_| ApiError::Network)?;
    let text = resp.text().await.map_err(|_| ApiError::Network)?;
    Ok((resp.status(), text))
}
