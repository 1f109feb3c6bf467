//! A large answer compressed on the blocking thread that made it, instead of by the compression layer on
//! the threads that serve every request: that layer compresses a body in one go, and 50 MB of JSON
//! (the codes list of a 300,000-household compound) would hold a request thread for a second or more.
//! The answer then carries its `content-encoding`, which the layer leaves as it is.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::io::Write;

/// Brotli quality: about the speed of gzip's default level, and a smaller answer.
const BROTLI_QUALITY: u32 = 4;

/// An encoding the client accepts, the best first: Brotli, then gzip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Brotli,
    Gzip,
}

impl Encoding {
    /// The encoding to use for a client that sent `headers`, if any: a coding named in
    /// `accept-encoding` without `q=0`.
    pub fn accepted(headers: &HeaderMap) -> Option<Encoding> {
        let accepts = |name: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .any(|item| {
                    let mut parts = item.split(';').map(str::trim);
                    parts.next().is_some_and(|c| c.eq_ignore_ascii_case(name))
                        && !parts.any(|p| {
                            p.strip_prefix("q=")
                                .and_then(|q| q.parse::<f32>().ok())
                                .is_some_and(|q| q <= 0.0)
                        })
                })
        };
        if accepts("br") {
            Some(Encoding::Brotli)
        } else if accepts("gzip") {
            Some(Encoding::Gzip)
        } else {
            None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Encoding::Brotli => "br",
            Encoding::Gzip => "gzip",
        }
    }

    /// `body` compressed (blocking: call from a blocking thread).
    pub fn encode(self, body: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(body.len() / 8);
        match self {
            Encoding::Brotli => {
                let mut w = brotli::CompressorWriter::new(&mut out, 64 * 1024, BROTLI_QUALITY, 22);
                w.write_all(body)?;
                w.flush()?;
            }
            Encoding::Gzip => {
                let mut w = flate2::write::GzEncoder::new(&mut out, flate2::Compression::default());
                w.write_all(body)?;
                w.finish()?;
            }
        }
        Ok(out)
    }
}

/// A JSON answer, compressed as `encoding` says (or not).
pub struct EncodedJson {
    pub encoding: Option<Encoding>,
    pub body: Vec<u8>,
}

impl EncodedJson {
    /// `json` compressed with `encoding` (blocking: call from a blocking thread).
    pub fn new(encoding: Option<Encoding>, json: Vec<u8>) -> std::io::Result<EncodedJson> {
        let body = match encoding {
            Some(e) => e.encode(&json)?,
            None => json,
        };
        Ok(EncodedJson { encoding, body })
    }
}

impl IntoResponse for EncodedJson {
    fn into_response(self) -> Response {
        let mut resp = (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (header::VARY, HeaderValue::from_static("accept-encoding")),
            ],
            self.body,
        )
            .into_response();
        if let Some(e) = self.encoding {
            resp.headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(e.name()));
        }
        resp
    }
}

/// A download: `body` with its content type and `attachment; filename="…"` (the exports of every feature).
pub fn attachment(content_type: &'static str, filename: String, body: Vec<u8>) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept).unwrap(),
        );
        h
    }

    #[test]
    fn the_best_accepted_encoding_is_chosen() {
        let pick = |a: &str| Encoding::accepted(&headers(a));
        assert_eq!(pick("gzip, deflate, br, zstd"), Some(Encoding::Brotli));
        assert_eq!(pick("gzip;q=1.0, br;q=0"), Some(Encoding::Gzip));
        assert_eq!(pick("BR"), Some(Encoding::Brotli));
        assert_eq!(pick("deflate, identity"), None);
        assert_eq!(pick("gzip;q=0"), None);
        assert_eq!(Encoding::accepted(&HeaderMap::new()), None);
    }

    #[test]
    fn encoded_bodies_decode_to_the_json() {
        let json = br#"[{"door":"101"},{"door":"102"}]"#.repeat(100);
        let br = Encoding::Brotli.encode(&json).unwrap();
        let mut back = Vec::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, json);
        let gz = Encoding::Gzip.encode(&json).unwrap();
        let mut back = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut back)
            .unwrap();
        assert_eq!(back, json);
        assert!(br.len() < json.len() / 10 && gz.len() < json.len() / 10);
    }
}
