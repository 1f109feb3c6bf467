//! The JSON of the server interface (DESIGN.md "Server interface"), shared by the app's sync client and the server.

use crate::sync::Operation;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Most operations one push may carry; a larger batch is refused whole (`batch_too_large`).
pub const MAX_PUSH_OPS: usize = 1000;
/// Most operations one pull returns.
pub const MAX_PULL_LIMIT: u32 = 5000;

/// `POST /api/auth/login`
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// Answer to a login: the bearer token and when it stops working (the app keeps it as its session).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoginResponse {
    pub token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: u64,
    pub username: String,
    pub role: Role,
    pub community: String,
    pub community_name: String,
}

/// What an account may do. Staff work in their own community; admins also manage its accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Staff,
    Admin,
    /// A volunteer's own phone (志愿者本人): registered at the community's join link, acts for that
    /// volunteer record only and pulls only what `volunteers::visible_to_volunteer` allows.
    Volunteer,
}

/// `POST /api/sync/push`. Also the format of a file of unsent changes saved by the app.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub ops: Vec<Operation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    Accepted,
    /// Seen before and accepted then.
    Duplicate,
    Rejected,
}

/// The server's answer for one operation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpResult {
    pub op_id: Uuid,
    pub status: OpStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<OpResult>,
}

/// `GET /api/sync/pull?since=N&limit=M`: operations with sequence numbers after `since`, and the new cursor.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PullResponse {
    pub ops: Vec<Operation>,
    pub next: i64,
}

/// The body of every error answer: `{"error":{"code","message","field?"}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}
