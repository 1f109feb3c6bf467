//! The one error type of the HTTP API (`ApiError`): each variant is a stable code, a status and a message in the request's language.
//!
//! The language comes from `Accept-Language` (`en…` → English, otherwise Chinese); the `lang_scope`
//! middleware puts it in a task-local for the request, so errors raised by extractors, handlers and
//! fallbacks alike are rendered in it. Internal details are logged, never sent.

use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::protocol::{ErrorBody, ErrorDetail};
use linli_core::renovation::{ResultsVisibility, Words};
use linli_core::standards::words::Words as StandardWords;
use linli_core::volunteers::Words as VolunteerWords;
use serde::{Deserialize, Serialize};

use crate::surveys::words::SurveyWords;

/// One problem of an uploaded file (`ApiError::InvalidXlsForm`): where it is — the sheet, the row as a
/// spreadsheet numbers it (1 = the first) and the column's name, when the problem has them — and what it
/// is, in both languages (the list is shown as it is, whatever the request's language).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileProblem {
    pub sheet: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub message_zh: String,
    pub message_en: String,
}

tokio::task_local! {
    static REQUEST_LANG: Lang;
}

/// The language a request asked for: `Accept-Language` starting with `en` means English; anything else Chinese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    match headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
    {
        Some(v) if v.trim_start().to_ascii_lowercase().starts_with("en") => Lang::En,
        _ => Lang::Zh,
    }
}

/// The language of the request being handled (Chinese outside a request).
pub fn current_lang() -> Lang {
    REQUEST_LANG.try_with(|l| *l).unwrap_or_default()
}

/// Middleware: runs the rest of the request with its language in scope.
pub async fn lang_scope(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    REQUEST_LANG.scope(lang, next.run(req)).await
}

/// Everything the API can answer instead of success. Request-level errors change nothing.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the body is not JSON at all (or is cut short).
    #[error("invalid JSON: {detail}")]
    InvalidJson {
        field: Option<String>,
        detail: String,
    },
    /// 400: JSON of the wrong shape (unknown field, wrong type, missing field) or a bad query parameter.
    #[error("invalid request: {detail}")]
    InvalidRequest {
        field: Option<String>,
        detail: String,
    },
    /// 401: wrong username or password.
    #[error("bad credentials")]
    BadCredentials,
    /// 429: too many failed logins for this account from this address; `wait_ms` until the next try
    /// (sent as `Retry-After`).
    #[error("too many attempts")]
    TooManyAttempts { wait_ms: u64 },
    /// 429: too many ballots from one resident login in a short time; `wait_ms` until the next.
    #[error("too many ballots")]
    TooManyBallots { wait_ms: u64 },
    /// 503: every password-hashing slot is busy (a login flood); try again shortly (`Retry-After`).
    #[error("busy")]
    Busy,
    /// 401: no token, or one the server does not know.
    #[error("unauthorized")]
    Unauthorized,
    /// 401: a token that was valid but has expired; the app keeps its queue and asks to log in again.
    #[error("token expired")]
    TokenExpired,
    /// 403: the batch touches another community (RULES H1) or claims another author.
    #[error("forbidden: {field}")]
    Forbidden { field: String },
    /// 413: more operations than `MAX_PUSH_OPS`, or a body over the size limit.
    #[error("batch too large")]
    BatchTooLarge,
    /// 414: a request address longer than [`MAX_URI_BYTES`].
    #[error("uri too long")]
    UriTooLong,
    /// 431: more header bytes than [`MAX_HEADER_BYTES`] or more headers than [`MAX_HEADERS`].
    #[error("headers too large")]
    HeadersTooLarge,
    /// 404: no such API path.
    #[error("not found")]
    NotFound,
    /// 405: the path exists, the method does not.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 401: a voting code that is unknown or revoked, or a resident login whose code was revoked since.
    #[error("code revoked")]
    CodeRevoked,
    /// 429: too many wrong voting codes from one address (or from everywhere at once); `wait_ms` until
    /// the next try.
    #[error("too many code attempts")]
    TooManyCodeAttempts { wait_ms: u64 },
    /// 403: residents see results only after the close, or when the project shows running results.
    #[error("results not available")]
    ResultsNotAvailable(ResultsVisibility),
    /// 404: a record the path names (a project, a household) does not exist in the caller's community.
    #[error("record not found: {field}")]
    RecordNotFound { field: String },
    /// 409: a household named for issuing already has an active code (use reissue).
    #[error("already issued: {field}")]
    AlreadyIssued { field: String },
    /// 400: a request's value refused by the core's rules (a date, a population, a required name), with
    /// the core's code, field and sentence in the request's language.
    #[error("refused: {0}")]
    Rule(linli_core::RuleError),
    /// 422: an uploaded file (an XLSForm workbook) with problems, each named by sheet, row and column
    /// and said in both languages; nothing was taken from it.
    #[error("invalid XLSForm: {} problem(s)", problems.len())]
    InvalidXlsForm { problems: Vec<FileProblem> },
    /// 413: a photo taken as evidence over `PHOTO_MAX_BYTES` (照片佐证).
    #[error("photo too large")]
    PhotoTooLarge,
    /// 415: a photo's bytes that are not a JPEG, PNG or WebP image (by their magic bytes).
    #[error("not an image")]
    NotAnImage,
    /// 409: other bytes are already stored under this photo id (a photo is never replaced).
    #[error("photo conflict")]
    PhotoConflict,
    /// 503: the database cannot be reached (after the pool's retries with back-off); nothing was
    /// stored or lost, and the client tries again (`Retry-After`). Logged in full, answered without details.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// 500: logged in full, answered without details.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::Internal(e.to_string())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidJson { .. } | ApiError::InvalidRequest { .. } | ApiError::Rule(_) => {
                StatusCode::BAD_REQUEST
            }
            ApiError::BadCredentials | ApiError::Unauthorized | ApiError::TokenExpired => {
                StatusCode::UNAUTHORIZED
            }
            ApiError::TooManyAttempts { .. }
            | ApiError::TooManyCodeAttempts { .. }
            | ApiError::TooManyBallots { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Busy | ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::CodeRevoked => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } | ApiError::ResultsNotAvailable(_) => StatusCode::FORBIDDEN,
            ApiError::RecordNotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::AlreadyIssued { .. } => StatusCode::CONFLICT,
            ApiError::BatchTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::UriTooLong => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::InvalidXlsForm { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PhotoTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PhotoConflict => StatusCode::CONFLICT,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::InvalidJson { .. } => "invalid_json",
            ApiError::InvalidRequest { .. } => "invalid_request",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::TooManyAttempts { .. } | ApiError::TooManyCodeAttempts { .. } => {
                "too_many_attempts"
            }
            ApiError::TooManyBallots { .. } => "too_many_requests",
            ApiError::Busy => "busy",
            ApiError::CodeRevoked => "code_revoked",
            ApiError::ResultsNotAvailable(_) => "results_not_available",
            ApiError::RecordNotFound { .. } => "not_found",
            ApiError::AlreadyIssued { .. } => "already_issued",
            ApiError::Unauthorized => "unauthorized",
            ApiError::TokenExpired => "token_expired",
            ApiError::Forbidden { .. } => "forbidden",
            ApiError::BatchTooLarge => "batch_too_large",
            ApiError::NotFound => "not_found",
            ApiError::UriTooLong => "uri_too_long",
            ApiError::HeadersTooLarge => "headers_too_large",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::Rule(e) => e.code.as_str(),
            ApiError::InvalidXlsForm { .. } => "invalid_xlsform",
            ApiError::PhotoTooLarge => "photo_too_large",
            ApiError::NotAnImage => "not_an_image",
            ApiError::PhotoConflict => "photo_conflict",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::InvalidJson { field, .. } | ApiError::InvalidRequest { field, .. } => {
                field.as_deref()
            }
            ApiError::Forbidden { field }
            | ApiError::RecordNotFound { field }
            | ApiError::AlreadyIssued { field } => Some(field),
            ApiError::PhotoTooLarge | ApiError::NotAnImage => Some("body"),
            ApiError::PhotoConflict => Some("id"),
            ApiError::Rule(e) => e.field.as_deref(),
            _ => None,
        }
    }

    /// The message a person reads, from the catalogues (`HttpWords` here, the renovation feature's
    /// `Words` for its refusals, the core's `RuleError` messages).
    pub fn message(&self, lang: Lang) -> String {
        let at = |field: &Option<String>| match field {
            Some(f) => fill(HttpWords::AtField.text(lang), &[f]),
            None => String::new(),
        };
        let w = |w: HttpWords| w.text(lang).to_string();
        let r = |w: Words| w.text(lang).to_string();
        match self {
            ApiError::InvalidJson { field, detail } => {
                fill(HttpWords::InvalidJson.text(lang), &[&at(field), detail])
            }
            ApiError::InvalidRequest { field, detail } => {
                fill(HttpWords::InvalidRequest.text(lang), &[&at(field), detail])
            }
            ApiError::BadCredentials => w(HttpWords::BadCredentials),
            ApiError::TooManyAttempts { wait_ms } => fill(
                HttpWords::TooManyAttempts.text(lang),
                &[&wait_words(*wait_ms, lang)],
            ),
            ApiError::TooManyBallots { wait_ms } => fill(
                HttpWords::TooManyBallots.text(lang),
                &[&wait_words(*wait_ms, lang)],
            ),
            ApiError::Busy => w(HttpWords::Busy),
            ApiError::Unauthorized => w(HttpWords::Unauthorized),
            ApiError::TokenExpired => w(HttpWords::TokenExpired),
            ApiError::Forbidden { field } if field.ends_with("author") => {
                w(HttpWords::ForbiddenAuthor)
            }
            ApiError::Forbidden { field } if field == "authorization" => {
                w(HttpWords::ForbiddenLogin)
            }
            ApiError::Forbidden { .. } => w(HttpWords::ForbiddenCommunity),
            ApiError::BatchTooLarge => fill(
                HttpWords::BatchTooLarge.text(lang),
                &[&linli_core::protocol::MAX_PUSH_OPS.to_string()],
            ),
            ApiError::NotFound => w(HttpWords::NoSuchEndpoint),
            ApiError::UriTooLong => w(HttpWords::UriTooLong),
            ApiError::HeadersTooLarge => w(HttpWords::HeadersTooLarge),
            ApiError::MethodNotAllowed => w(HttpWords::MethodNotAllowed),
            ApiError::CodeRevoked => {
                linli_core::RuleError::new(linli_core::ErrorCode::CodeRevoked).message(lang)
            }
            ApiError::TooManyCodeAttempts { wait_ms } => fill(
                Words::TooManyCodeAttempts.text(lang),
                &[&wait_words(*wait_ms, lang)],
            ),
            ApiError::ResultsNotAvailable(ResultsVisibility::TooFewAnswers { need, .. }) => {
                fill(Words::ResultsTooFewAnswers.text(lang), &[&need.to_string()])
            }
            ApiError::ResultsNotAvailable(ResultsVisibility::AfterGrace { until }) => {
                fill(Words::ResultsAfterGrace.text(lang), &[&until.to_string()])
            }
            ApiError::ResultsNotAvailable(_) => r(Words::ResultsAfterClose),
            ApiError::RecordNotFound { field } if field.contains("household") => {
                r(Words::NoSuchHousehold)
            }
            ApiError::RecordNotFound { field } if field == "volunteer_id" => {
                VolunteerWords::NoSuchVolunteer.text(lang).to_string()
            }
            ApiError::RecordNotFound { field } if field == "number" => {
                VolunteerWords::NoSuchCertificate.text(lang).to_string()
            }
            ApiError::RecordNotFound { field } if field == "form_id" || field == "version_id" => {
                SurveyWords::NoSuchForm.text(lang).to_string()
            }
            ApiError::RecordNotFound { field } if field == "photo_id" => {
                StandardWords::NoSuchPhoto.text(lang).to_string()
            }
            ApiError::RecordNotFound { .. } => r(Words::NoSuchProject),
            ApiError::AlreadyIssued { .. } => r(Words::AlreadyIssued),
            ApiError::Rule(e) => e.message(lang),
            ApiError::InvalidXlsForm { problems } => fill(
                HttpWords::InvalidFile.text(lang),
                &[&problems.len().to_string()],
            ),
            ApiError::PhotoTooLarge => fill(
                StandardWords::PhotoTooLarge.text(lang),
                &[&(linli_core::standards::entries::PHOTO_MAX_BYTES / 1024).to_string()],
            ),
            ApiError::NotAnImage => StandardWords::NotAnImage.text(lang).to_string(),
            ApiError::PhotoConflict => StandardWords::PhotoConflict.text(lang).to_string(),
            ApiError::Unavailable(_) => w(HttpWords::Unavailable),
            ApiError::Internal(_) => w(HttpWords::Internal),
        }
    }
}

linli_core::catalogue! {
    /// The HTTP layer's words; `{0}`, `{1}` are filled in order.
    pub enum HttpWords {
        AtField => ("（字段 {0}）", " (field {0})"),
        InvalidJson => ("请求不是有效的 JSON{0}：{1}", "The request is not valid JSON{0}: {1}"),
        InvalidRequest => ("请求内容不正确{0}：{1}", "The request is not valid{0}: {1}"),
        BadCredentials => ("用户名或密码不正确", "Wrong username or password"),
        TooManyAttempts => ("登录失败次数过多，请 {0}后再试", "Too many failed logins; please try again in {0}"),
        TooManyBallots => ("提交太频繁，请 {0}后再试", "Too many answers sent in a short time; please try again in {0}"),
        Seconds => ("{0} 秒", "{0} seconds"),
        Minutes => ("{0} 分钟", "{0} minutes"),
        Unauthorized => ("请先登录", "Please log in"),
        TokenExpired => (
            "登录已过期，请重新登录；未发送的修改会保留",
            "Your login has expired; please log in again. Unsent changes are kept"
        ),
        ForbiddenAuthor => ("只能提交本人账号的修改", "You can only send changes made under your own account"),
        ForbiddenLogin => (
            "此登录无权使用该功能（住户投票码与工作人员账号各用其功能）",
            "This login may not use this function (voting codes and staff accounts each have their own)"
        ),
        ForbiddenCommunity => ("无权修改其他社区的数据", "You may not change another community's records"),
        BatchTooLarge => (
            "一次提交的修改太多（最多 {0} 条）或内容过大",
            "Too many changes in one request (at most {0}) or the request is too large"
        ),
        NoSuchEndpoint => ("没有这个接口", "No such API endpoint"),
        UriTooLong => ("请求地址太长", "The request address is too long"),
        HeadersTooLarge => ("请求头太大", "The request headers are too large"),
        MethodNotAllowed => ("该接口不支持此请求方法", "This endpoint does not support this method"),
        Internal => ("服务器内部错误，请稍后再试", "Internal server error; please try again later"),
        Busy => ("服务器正忙，请几秒钟后再试", "The server is busy; please try again in a few seconds"),
        Unavailable => (
            "数据库暂时无法连接，请稍后再试；未发送的修改会保留",
            "The database cannot be reached just now; please try again shortly. Unsent changes are kept"
        ),
        InvalidFile => (
            "文件有 {0} 处问题，未导入任何内容",
            "The file has {0} problem(s); nothing was imported"
        ),
    }
}

impl From<linli_core::RuleError> for ApiError {
    fn from(e: linli_core::RuleError) -> Self {
        ApiError::Rule(e)
    }
}

impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        if e.is_unavailable() {
            ApiError::Unavailable(e.to_string())
        } else {
            ApiError::internal(e)
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(detail) => tracing::error!(%detail, "internal error"),
            ApiError::Unavailable(detail) => tracing::warn!(%detail, "database unavailable"),
            _ => {}
        }
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code().into(),
                message: self.message(current_lang()),
                field: self.field().map(str::to_string),
            },
        };
        let mut resp = match &self {
            // `{"error":{"code","message","problems":[…]}}`: the error's usual fields and the list.
            ApiError::InvalidXlsForm { problems } => {
                let mut v = serde_json::to_value(&body).unwrap_or_default();
                v["error"]["problems"] = serde_json::to_value(problems).unwrap_or_default();
                (self.status(), axum::Json(v)).into_response()
            }
            _ => (self.status(), axum::Json(body)).into_response(),
        };
        let retry_after = match &self {
            ApiError::Busy => Some(2),
            ApiError::Unavailable(_) => Some(5),
            ApiError::TooManyAttempts { wait_ms }
            | ApiError::TooManyCodeAttempts { wait_ms }
            | ApiError::TooManyBallots { wait_ms } => {
                Some(super::throttle::retry_after_s(*wait_ms))
            }
            _ => None,
        };
        if let Some(s) = retry_after {
            resp.headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(s));
        }
        if matches!(
            self,
            ApiError::Unauthorized | ApiError::TokenExpired | ApiError::CodeRevoked
        ) {
            resp.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

/// A wait in words: "30 秒" / "30 seconds" under two minutes, else whole minutes (rounded up).
pub fn wait_words(ms: u64, lang: Lang) -> String {
    let s = super::throttle::retry_after_s(ms);
    if s < 120 {
        fill(HttpWords::Seconds.text(lang), &[&s.to_string()])
    } else {
        fill(
            HttpWords::Minutes.text(lang),
            &[&s.div_ceil(60).to_string()],
        )
    }
}

/// The longest request address answered (longer: 414 as JSON; over 64 KB hyper closes the connection).
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most header bytes answered (more: 431 as JSON).
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most headers answered (more: 431 as JSON).
pub const MAX_HEADERS: usize = 100;

/// Middleware: refuses over-long addresses and oversized headers with the API's JSON error, before any
/// handler runs (hyper's own limits, set higher in `listen.rs`, only catch what is far beyond these).
pub async fn request_limits(req: Request, next: Next) -> Response {
    if req.uri().to_string().len() > MAX_URI_BYTES {
        return ApiError::UriTooLong.into_response();
    }
    let headers = req.headers();
    let bytes: usize = headers
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return ApiError::HeadersTooLarge.into_response();
    }
    next.run(req).await
}

/// Fallback for `/api/…` paths that do not exist: 404 `not_found` as JSON (not the app's `index.html`).
pub async fn api_not_found() -> ApiError {
    ApiError::NotFound
}

/// Fallback for a path that exists with another method: 405 `method_not_allowed`.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

#[cfg(test)]
mod catalogue_tests {
    use super::*;

    #[test]
    fn every_http_word_in_both_languages() {
        assert_eq!(
            linli_core::catalogue_problems!(HttpWords),
            Vec::<String>::new()
        );
        let e = ApiError::InvalidRequest {
            field: Some("ops[0].id".into()),
            detail: "bad".into(),
        };
        assert_eq!(e.message(Lang::Zh), "请求内容不正确（字段 ops[0].id）：bad");
        assert_eq!(
            e.message(Lang::En),
            "The request is not valid (field ops[0].id): bad"
        );
        let few =
            ApiError::ResultsNotAvailable(ResultsVisibility::TooFewAnswers { have: 3, need: 10 });
        assert_eq!(
            few.message(Lang::Zh),
            "至少 10 户作答后才公布进行中的结果，以免推知邻居的选择"
        );
    }
}
