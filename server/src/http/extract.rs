//! Request extractors: JSON bodies, path parameters and the pull query, whose failures are JSON
//! `ApiError`s naming the field, and the client's IP address.

use crate::AppState;
use crate::http::error::ApiError;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// Largest request body accepted; larger ones get 413 `batch_too_large`. A full batch of
/// `MAX_PUSH_OPS` operations is well under 1 MiB.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

/// Bodies from this size on are parsed on a blocking thread: a push of 1,000 operations takes some
/// milliseconds to read, which the threads serving every other request should not spend.
pub const PARSE_APART_BYTES: usize = 64 * 1024;

/// A JSON body. Malformed JSON is `invalid_json`; JSON of the wrong shape is `invalid_request` with the
/// path of the offending field (`ops[2].body.area_m2`).
pub struct JsonBody<T>(pub T);

/// A request body type. `refine` may sharpen a shape error (default: as is).
pub trait Payload: DeserializeOwned {
    fn refine(_bytes: &[u8], e: ApiError) -> ApiError {
        e
    }
}

impl Payload for linli_core::protocol::LoginRequest {}

impl Payload for linli_core::protocol::PushRequest {
    /// An operation's `body` is an internally tagged enum, which serde buffers before reading, so the
    /// path of an error inside it stops at `ops[i].body`. Read that body again as the fields struct its
    /// `type` names, to name the field itself (`ops[2].body.area_m2`).
    fn refine(bytes: &[u8], e: ApiError) -> ApiError {
        let ApiError::InvalidRequest {
            field: Some(field), ..
        } = &e
        else {
            return e;
        };
        let Some(index) = field
            .strip_prefix("ops[")
            .and_then(|r| r.strip_suffix("].body"))
        else {
            return e;
        };
        let Ok(i) = index.parse::<usize>() else {
            return e;
        };
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) else {
            return e;
        };
        let Some(mut body) = value
            .get("ops")
            .and_then(|o| o.get(i))
            .and_then(|o| o.get("body"))
            .cloned()
        else {
            return e;
        };
        let Some(obj) = body.as_object_mut() else {
            return e;
        };
        let Some(kind) = obj.remove("type") else {
            return e;
        };
        use linli_core::roster::*;
        let text = serde_json::Value::Object(obj.clone()).to_string();
        let inner = match kind.as_str() {
            Some("compound.put") => parse_json::<CompoundFields>(text.as_bytes()).err(),
            Some("building.put") => parse_json::<BuildingFields>(text.as_bytes()).err(),
            Some("unit.put") => parse_json::<UnitFields>(text.as_bytes()).err(),
            Some("household.put") => parse_json::<HouseholdFields>(text.as_bytes()).err(),
            _ => None,
        };
        match inner {
            Some(ApiError::InvalidRequest {
                field: Some(f),
                detail,
            }) => ApiError::InvalidRequest {
                field: Some(format!("ops[{i}].body.{f}")),
                detail,
            },
            _ => e,
        }
    }
}

impl<S: Send + Sync, T: Payload + Send + 'static> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::BatchTooLarge
            } else {
                ApiError::InvalidRequest {
                    field: None,
                    detail: e.body_text(),
                }
            }
        })?;
        let bytes_len = bytes.len();
        let parse = move || {
            parse_json(&bytes)
                .map(JsonBody)
                .map_err(|e| T::refine(&bytes, e))
        };
        if bytes_len < PARSE_APART_BYTES {
            return parse();
        }
        tokio::task::spawn_blocking(parse)
            .await
            .map_err(ApiError::internal)?
    }
}

/// Path parameters (`/api/projects/{project_id}/…`). axum's own `Path` answers a segment that is not
/// UTF-8 once percent-decoded (`%FF`) with a plain-text 400; this one answers 404 `not_found` naming the
/// parameter, as for any other text that names no record, and a parameter of the wrong type with 400
/// `invalid_request`.
pub struct PathParams<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for PathParams<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(PathParams(v)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => Err(match e.into_kind() {
                ErrorKind::InvalidUtf8InPathParam { key } => {
                    ApiError::RecordNotFound { field: key }
                }
                ErrorKind::ParseErrorAtKey { key, .. } => ApiError::InvalidRequest {
                    field: Some(key),
                    detail: "not a valid value".into(),
                },
                ErrorKind::ParseErrorAtIndex { .. }
                | ErrorKind::ParseError { .. }
                | ErrorKind::DeserializeError { .. } => ApiError::InvalidRequest {
                    field: None,
                    detail: "a part of the path is not a valid value".into(),
                },
                other => ApiError::internal(other),
            }),
            Err(other) => Err(ApiError::internal(other.body_text())),
        }
    }
}

/// Parses JSON text, classifying errors as `invalid_json` (syntax) or `invalid_request` (shape).
///
/// Well-formed bodies (nearly all) are read once, without tracking the path: that tracking doubled the
/// cost of reading a push of 50 operations. Only a body that fails is read again, with the path, to
/// name the field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Ok(value) = serde_json::from_slice::<T>(bytes) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        // "." is the root; "?" marks a segment serde could not name: keep only what is known.
        let path = e.path().to_string();
        let known = path
            .split(".?")
            .next()
            .unwrap_or("")
            .trim_matches(|c| c == '.' || c == '?');
        let field = (!known.is_empty()).then(|| known.to_string());
        classify(e.into_inner(), field)
    })?;
    de.end().map_err(|e| classify(e, None))?;
    Ok(value)
}

fn classify(e: serde_json::Error, field: Option<String>) -> ApiError {
    let text = e.to_string();
    // serde's message without " at line L column C": positions mean little to a person.
    let detail = match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    match e.classify() {
        serde_json::error::Category::Data => ApiError::InvalidRequest { field, detail },
        _ => ApiError::InvalidJson { field, detail },
    }
}

/// `?since=N&limit=M` of `GET /api/sync/pull`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PullQuery {
    pub since: i64,
    pub limit: u32,
}

pub const DEFAULT_PULL_LIMIT: u32 = 1000;

impl<S: Send + Sync> FromRequestParts<S> for PullQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        parse_pull_query(parts.uri.query().unwrap_or(""))
    }
}

/// `since` is a sequence number ≥ 0 (default 0); `limit` is 1 or more (default 1000), capped at
/// `MAX_PULL_LIMIT`. Other parameters are ignored (cache busters).
pub fn parse_pull_query(query: &str) -> Result<PullQuery, ApiError> {
    let mut q = PullQuery {
        since: 0,
        limit: DEFAULT_PULL_LIMIT,
    };
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let bad = |what: &str| ApiError::InvalidRequest {
            field: Some(key.to_string()),
            detail: what.to_string(),
        };
        match key {
            "since" => {
                q.since = value
                    .parse()
                    .ok()
                    .filter(|n: &i64| *n >= 0)
                    .ok_or_else(|| bad("expected a whole number ≥ 0"))?
            }
            "limit" => {
                let n: u64 = value
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| bad("expected a whole number ≥ 1"))?;
                q.limit = n.min(linli_core::protocol::MAX_PULL_LIMIT as u64) as u32;
            }
            _ => {}
        }
    }
    Ok(q)
}

/// The client's address: the peer of the connection (from `ConnectInfo`), or, when that peer is one of
/// `LINLI_TRUSTED_PROXIES`, the nearest address in `X-Forwarded-For` that is not a trusted proxy. A header
/// from anyone else is ignored (it could say anything).
pub struct ClientIp(pub Option<IpAddr>);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientIp(client_address(
            peer,
            parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok()),
            &state.config.trusted_proxies,
        )))
    }
}

/// See [`ClientIp`]: the peer, or through trusted proxies the rightmost untrusted forwarded address.
pub fn client_address(
    peer: Option<IpAddr>,
    forwarded: Option<&str>,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let trusted_peer = peer.is_some_and(|p| trusted.contains(&p));
    let Some(list) = forwarded.filter(|_| trusted_peer) else {
        return peer;
    };
    list.rsplit(',')
        .filter_map(|s| s.trim().parse::<IpAddr>().ok())
        .find(|ip| !trusted.contains(ip))
        .or(peer)
}

/// The unit an address counts as for throttling: IPv4 as is, IPv6 per /64 (one subscriber usually holds a
/// whole /64), no address as 0.0.0.0.
pub fn address_key(ip: Option<IpAddr>) -> IpAddr {
    match ip {
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
        Some(v4) => v4,
        None => IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_addresses_only_through_trusted_proxies() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxy = [ip("10.0.0.1")];
        // A trusted proxy: the rightmost address it was not given by another trusted proxy.
        assert_eq!(
            client_address(
                Some(ip("10.0.0.1")),
                Some("203.0.113.9, 198.51.100.7"),
                &proxy
            ),
            Some(ip("198.51.100.7"))
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), Some("198.51.100.7, 10.0.0.1"), &proxy),
            Some(ip("198.51.100.7"))
        );
        // Anyone else's header is ignored.
        assert_eq!(
            client_address(Some(ip("192.0.2.5")), Some("198.51.100.7"), &proxy),
            Some(ip("192.0.2.5"))
        );
        assert_eq!(
            client_address(Some(ip("10.0.0.1")), Some("garbage"), &proxy),
            Some(ip("10.0.0.1"))
        );
        assert_eq!(
            address_key(Some(ip("2001:db8:1:2:3:4:5:6"))),
            ip("2001:db8:1:2::")
        );
    }

    #[test]
    fn pull_query() {
        assert_eq!(
            parse_pull_query("").unwrap(),
            PullQuery {
                since: 0,
                limit: 1000
            }
        );
        assert_eq!(
            parse_pull_query("since=5&limit=99999&x=1").unwrap(),
            PullQuery {
                since: 5,
                limit: 5000
            }
        );
        assert_eq!(
            parse_pull_query("since=-1").unwrap_err().field(),
            Some("since")
        );
        assert_eq!(
            parse_pull_query("limit=abc").unwrap_err().field(),
            Some("limit")
        );
        assert_eq!(
            parse_pull_query("limit=0").unwrap_err().code(),
            "invalid_request"
        );
    }

    #[test]
    fn json_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        struct T {
            #[allow(dead_code)]
            a: Vec<u32>,
        }
        let e = parse_json::<T>(br#"{"a":[1,"x"]}"#).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_request", Some("a[1]")));
        let e = parse_json::<T>(br#"{"a":[1,"#).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
        let e = parse_json::<T>(br#"{"a":[],"b":1}"#).unwrap_err();
        assert_eq!(e.code(), "invalid_request");
        let e = parse_json::<T>(br#"{"a":[]} x"#).unwrap_err();
        assert_eq!(e.code(), "invalid_json");
    }

    #[test]
    fn push_errors_name_the_body_field() {
        use linli_core::protocol::PushRequest;
        let op = |body: &str| {
            format!(
                r#"{{"v":1,"id":"01900000-0000-7000-8000-000000000001","device_id":"01900000-0000-7000-8000-000000000002",
                "author":"a","hlc":{{"ms":1,"n":0}},"community":"c","entity":{{"kind":"household","id":"01900000-0000-7000-8000-000000000003"}},
                "body":{body}}}"#
            )
        };
        let good = op(
            r#"{"type":"household.put","unit_id":"01900000-0000-7000-8000-000000000004","door":"101","area_m2":60}"#,
        );
        let bad = op(
            r#"{"type":"household.put","unit_id":"01900000-0000-7000-8000-000000000004","door":"101","area_m2":"big"}"#,
        );
        let extra = op(
            r#"{"type":"household.put","unit_id":"01900000-0000-7000-8000-000000000004","door":"101","area_m2":6,"x":1}"#,
        );
        let req = format!(
            r#"{{"device_id":"01900000-0000-7000-8000-000000000002","ops":[{good},{good},{bad}]}}"#
        );
        let e = parse_json::<PushRequest>(req.as_bytes())
            .map_err(|e| PushRequest::refine(req.as_bytes(), e))
            .unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            ("invalid_request", Some("ops[2].body.area_m2"))
        );
        let req =
            format!(r#"{{"device_id":"01900000-0000-7000-8000-000000000002","ops":[{extra}]}}"#);
        let e = parse_json::<PushRequest>(req.as_bytes())
            .map_err(|e| PushRequest::refine(req.as_bytes(), e))
            .unwrap_err();
        assert_eq!(e.code(), "invalid_request");
        assert!(e.field().unwrap().starts_with("ops[0].body"), "{e:?}");
        let req = r#"{"device_id":"01900000-0000-7000-8000-000000000002","ops":[],"extra":1}"#;
        let e = parse_json::<PushRequest>(req.as_bytes()).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid_request", Some("extra")));
    }
}
