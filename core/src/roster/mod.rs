//! The roster feature (RULES H1): compounds, buildings, units, households and their persons — fields,
//! checks and views.
//!
//! Every other feature hangs off the roster: a renovation project belongs to a compound, a ballot to a
//! household, a volunteer may link to a person. Its operations are `compound.put`, `building.put`,
//! `unit.put`, `household.put` and `person.put`.

mod fields;
mod persons;
mod views;

pub use fields::*;
pub use persons::*;
pub use views::Door;

use crate::error::{ErrorCode, RuleError};
use crate::sync::{EntityKind, Operation, Replica};
use serde_json::Value;

/// The unique key of a household within its unit (the registry's `EntityKind::unique_key`): its door.
pub(crate) fn door_unique_key(fields: &dyn Fn(&str) -> Option<Value>) -> Option<String> {
    fields("door").and_then(|v| v.as_str().map(HouseholdFields::door_key))
}

/// H1: a door number is unique within its unit among live households.
pub(crate) fn check_household(
    replica: &Replica,
    op: &Operation,
    f: &HouseholdFields,
) -> Result<(), RuleError> {
    let key = HouseholdFields::door_key(&f.door);
    if replica
        .with_unique_key(&op.community, EntityKind::Household, f.unit_id, &key)
        .any(|id| id != op.entity.id)
    {
        return Err(RuleError::field(ErrorCode::DoorTaken, "body.door").with_detail(f.door.trim()));
    }
    Ok(())
}
