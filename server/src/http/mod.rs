//! HTTP plumbing shared by every feature: the one error type, the request extractors, and the built app.
//!
//! Feature folders build their routers from these; nothing here knows about a feature.

pub mod encode;
pub mod error;
pub mod extract;
pub mod listen;
pub mod query;
pub mod throttle;
pub mod web;

pub use error::{ApiError, FileProblem, current_lang};
pub use extract::{ClientIp, JsonBody, PathParams, Payload, parse_json};

use serde::{Deserialize, Serialize};

/// `{"status":"ok"}`: the answer of an endpoint that has nothing else to say.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatusOk {
    pub status: String,
}

impl StatusOk {
    pub fn ok() -> StatusOk {
        StatusOk {
            status: "ok".into(),
        }
    }
}
