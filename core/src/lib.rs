//! Linli's rules core: the rules of RULES.md and the sync semantics of DESIGN.md, pure and shared by app and server.
//!
//! It does no I/O and reads no clock or random source: time, ids and randomness are passed in.
//!
//! Generic layers: `sync` (the op log: operations, stamps, the replica and its check pipeline), `hlc`,
//! `registry` (the one closed list of record kinds and bodies, dispatching to features), `rules`,
//! `error`, `protocol`, `calendar`/`date`, `embed`, `personal` (phone and ID numbers, masked), `exact` (exact
//! rationals for pass marks). Feature folders: `roster`, `renovation`, `volunteers`, `surveys`, `standards`.

pub mod calendar;
pub mod check;
pub mod date;
pub mod embed;
pub mod error;
pub mod exact;
pub mod hlc;
pub mod i18n;
pub mod personal;
pub mod protocol;
pub mod qr;
pub mod registry;
pub mod rules;
pub mod sync;

pub mod renovation;
pub mod roster;
pub mod standards;
pub mod surveys;
pub mod volunteers;

pub use error::{ErrorCode, Lang, RuleError};
pub use hlc::{Clock, Hlc};
pub use registry::{Body, EntityKind};
pub use rules::RuleSet;
pub use sync::{EntityRef, Operation, Replica};
