//! The renovation feature (RULES §2): projects of old-compound renovation, their menus, household ballots,
//! the tally and the verdicts staff and residents are shown.
//!
//! Its operations are `project.put`, `menu_item.put` and `ballot.cast` (append-only).

pub mod api;
pub mod export;
pub mod project;
pub mod tally;
pub mod verdict;
mod views;
pub mod words;

pub use project::*;
pub use tally::*;
pub use verdict::*;
pub use views::*;
pub use words::Words;

use crate::error::{ErrorCode, RuleError};
use crate::sync::{EntityKind, Operation, Replica};
use uuid::Uuid;

/// A project stays in the compound it was made for.
pub(crate) fn check_project(
    replica: &Replica,
    op: &Operation,
    f: &ProjectFields,
) -> Result<(), RuleError> {
    if replica
        .project(&op.community, op.entity.id)
        .is_some_and(|p| p.compound_id != f.compound_id)
    {
        return Err(
            RuleError::field(ErrorCode::InvalidRequest, "body.compound_id")
                .with_detail("a project cannot move to another compound"),
        );
    }
    Ok(())
}

/// A menu item decided by a building or unit names one of the project's compound.
pub(crate) fn check_menu_item(
    replica: &Replica,
    op: &Operation,
    f: &MenuItemFields,
) -> Result<(), RuleError> {
    let Some(project) = replica.project(&op.community, f.project_id) else {
        return Err(RuleError::field(ErrorCode::NotFound, "body.project_id"));
    };
    let compound = match f.electorate {
        Electorate::Compound => return Ok(()),
        Electorate::Building { id } => replica.compound_of_building(&op.community, id),
        Electorate::Unit { id } => replica.compound_of_unit(&op.community, id),
    };
    if compound != Some(project.compound_id) {
        return Err(RuleError::field(
            ErrorCode::NotInProject,
            "body.electorate.id",
        ));
    }
    Ok(())
}

/// R4: a menu item stays while any ballot of its project chose it (the answers name it); until then it can
/// be removed (a tombstone).
pub(crate) fn check_menu_item_delete(replica: &Replica, op: &Operation) -> Result<(), RuleError> {
    let Some(item) =
        replica.get::<MenuItemFields>(&op.community, EntityKind::MenuItem, op.entity.id)
    else {
        return Ok(());
    };
    let chosen = replica
        .children::<BallotFields>(EntityKind::Ballot, item.project_id)
        .any(|(_, b)| b.items.contains(&op.entity.id));
    if chosen {
        return Err(RuleError::new(ErrorCode::ChosenInBallots));
    }
    Ok(())
}

/// R4 and the sync model: a ballot is for a household of the project's compound, chooses only items of
/// the project's menu, and was cast while the survey was open and received (`now_ms`, the checker's
/// clock) within the grace period. (That it is new, and that the project is live, the op log checks.)
pub(crate) fn check_ballot(
    replica: &Replica,
    op: &Operation,
    f: &BallotFields,
    now_ms: u64,
    last_contact_ms: Option<u64>,
) -> Result<(), RuleError> {
    let project = replica
        .project(&op.community, f.project_id)
        .ok_or_else(|| RuleError::field(ErrorCode::NotFound, "body.project_id"))?;
    if replica.compound_of_household(&op.community, f.household_id) != Some(project.compound_id) {
        return Err(RuleError::field(
            ErrorCode::NotInProject,
            "body.household_id",
        ));
    }
    // Each chosen item is a live menu item of this project (looked up by id: no decoding of the menu).
    let on_menu = |item: &Uuid| {
        replica
            .live(&op.community, EntityKind::MenuItem, *item)
            .and_then(|r| r.parent_id())
            == Some(f.project_id)
    };
    if let Some(i) = f.items.iter().position(|i| !on_menu(i)) {
        return Err(RuleError::field(
            ErrorCode::NotInProject,
            format!("body.items[{i}]"),
        ));
    }
    project
        .check_ballot_timing(f.cast_at_ms, now_ms, last_contact_ms)
        .map_err(|e| RuleError {
            field: Some("body.cast_at_ms".into()),
            ..e
        })
}
