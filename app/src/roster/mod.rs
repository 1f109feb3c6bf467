//! The roster (RULES H1): the compounds list (`/`) and one compound's page (`/compound/:id`) with its
//! buildings, units and households; its strings; and how its changes are named in the refused list.
//!
//! Imports the data layer and the shell's common pieces; the compound page shows the renovation feature's
//! section through one line.

#[cfg(not(feature = "vote"))]
pub mod compound;
#[cfg(not(feature = "vote"))]
pub mod compounds;
pub mod strings;

use linli_core::Lang;
use linli_core::sync::{Body, Operation};
use strings::Roster;

/// A roster change for the refused list, e.g. "住户 101"; `None` for another feature's change.
pub fn describe_op(op: &Operation, lang: Lang) -> Option<String> {
    let (key, name) = match &op.body {
        Body::CompoundPut(f) => (Roster::OpCompound, &f.name),
        Body::BuildingPut(f) => (Roster::OpBuilding, &f.name),
        Body::UnitPut(f) => (Roster::OpUnit, &f.name),
        Body::HouseholdPut(f) => (Roster::OpHousehold, &f.door),
        _ => return None,
    };
    Some(format!("{} {name}", key.text(lang)))
}
