//! Linli's rules core: the rules of RULES.md and the sync semantics of DESIGN.md, pure and shared by app and server.
//!
//! It does no I/O and reads no clock or random source: time, ids and randomness are passed in.

pub mod calendar;
pub mod date;
pub mod embed;
pub mod error;
pub mod hlc;
pub mod places;
pub mod project;
pub mod protocol;
pub mod renovation;
pub mod renovation_api;
pub mod rules;
pub mod sync;

pub use error::{ErrorCode, Lang, RuleError};
pub use hlc::{Clock, Hlc};
pub use places::EntityKind;
pub use rules::RuleSet;
pub use sync::{Body, EntityRef, Operation, Replica};
