//! The check pipeline: whether an operation may be applied on top of a replica — its shape and fields,
//! the generic rules of the op log, then the feature's own check against the merged state.
//!
//! It sits above the op log (`sync.rs`) and the registry, and dispatches to the features' state checks
//! (one arm per body), so neither the op log nor the registry imports a feature's checks.

use crate::error::{ErrorCode, RuleError};
use crate::registry::{Body, EntityKind};
use crate::rules::RuleSet;
use crate::sync::{OP_FORMAT_VERSION, Operation, Record, Replica};
use crate::{renovation, roster, surveys, volunteers};

impl Replica {
    /// Whether `op` may be applied on top of this state: its shape and fields against the rule set
    /// ([`check_shape`]), then the generic rules (not deleted; a delete only of a live record without
    /// live children and not append-only; an append-only record never re-written; the parent live),
    /// then the feature's own check against the state ([`check_state`]). `now_ms` is the checker's clock.
    pub fn check(&self, op: &Operation, rules: &RuleSet, now_ms: u64) -> Result<(), RuleError> {
        self.check_arrival(op, rules, now_ms, None)
    }

    /// As [`Replica::check`], on the server: `last_contact_ms` is when the sending device or login was
    /// last in touch with the server before this request (a ballot received after the close is believed
    /// only from one not in touch since; see `Project::check_ballot_timing`).
    pub fn check_arrival(
        &self,
        op: &Operation,
        rules: &RuleSet,
        now_ms: u64,
        last_contact_ms: Option<u64>,
    ) -> Result<(), RuleError> {
        check_shape(op, rules, now_ms)?;
        let existing = self.record(&op.community, op.entity);
        if existing.is_some_and(|r| r.deleted.is_some()) {
            return Err(RuleError::new(ErrorCode::Deleted));
        }
        let kind = op.entity.kind;
        if let Body::Delete = op.body {
            if kind.append_only() {
                return Err(RuleError::field(ErrorCode::InvalidRequest, "entity.kind")
                    .with_detail(format!(
                        "{} records are never deleted; a new one replaces the old",
                        kind.as_str()
                    )));
            }
            if !existing.is_some_and(Record::is_live) {
                return Err(RuleError::field(ErrorCode::NotFound, "entity.id"));
            }
            if self.has_live_children(&op.community, kind, op.entity.id) {
                return Err(RuleError::new(ErrorCode::HasChildren));
            }
            return check_delete(self, op);
        }
        if kind.append_only() && existing.is_some() {
            return Err(
                RuleError::field(ErrorCode::InvalidRequest, "entity.id").with_detail(format!(
                    "a {} is never changed; make a new one",
                    kind.as_str()
                )),
            );
        }
        if let Some((parent_kind, field)) = kind.parent() {
            let parent = op
                .body
                .parent_id()
                .expect("a put of a kind with a parent names it");
            if self.live(&op.community, parent_kind, parent).is_none() {
                return Err(RuleError::field(
                    ErrorCode::NotFound,
                    format!("body.{field}"),
                ));
            }
        }
        check_state(self, op, rules, now_ms, last_contact_ms)
    }
}

/// The feature's checks of a delete, after the generic ones (live, no live children). One arm per kind
/// that has any.
fn check_delete(replica: &Replica, op: &Operation) -> Result<(), RuleError> {
    match op.entity.kind {
        EntityKind::MenuItem => renovation::check_menu_item_delete(replica, op),
        _ => Ok(()),
    }
}

/// The feature's checks against the merged state, after the generic ones (shape, not deleted, parent
/// live) have passed. `now_ms` is the checker's clock. One arm per body.
fn check_state(
    replica: &Replica,
    op: &Operation,
    rules: &RuleSet,
    now_ms: u64,
    last_contact_ms: Option<u64>,
) -> Result<(), RuleError> {
    match &op.body {
        Body::HouseholdPut(f) => roster::check_household(replica, op, f),
        Body::ProjectPut(f) => renovation::check_project(replica, op, f),
        Body::MenuItemPut(f) => renovation::check_menu_item(replica, op, f),
        Body::BallotCast(f) => renovation::check_ballot(replica, op, f, now_ms, last_contact_ms),
        Body::VolunteerPut(f) => volunteers::check_volunteer(replica, op, f),
        Body::VolunteerStatus(_) => volunteers::check_volunteer_status(replica, op),
        Body::ActivityPut(f) => volunteers::check_activity(replica, op, f),
        Body::SignUpAdd(f) => volunteers::check_sign_up(replica, op, f),
        Body::AttendanceAdd(f) => volunteers::check_attendance(replica, op, f, rules),
        Body::ServiceEntryAdd(f) => volunteers::check_entry(replica, op, f, rules),
        Body::EntryReviewAdd(f) => volunteers::check_review(op, f),
        Body::PairPut(f) => volunteers::check_pair(replica, op, f),
        Body::FormVersionAdd(f) => surveys::check_form_version(replica, op, f),
        Body::VisitAdd(f) => surveys::check_visit(op, f),
        Body::SurveyResponseAdd(f) => surveys::check_response(replica, op, f, rules),
        Body::ResponseReviewAdd(f) => surveys::check_response_review(op, f),
        Body::CompoundPut(_)
        | Body::BuildingPut(_)
        | Body::UnitPut(_)
        | Body::PersonPut(_)
        | Body::TeamPut(_)
        | Body::SurveyAssignmentPut(_)
        | Body::StandardEntryAdd(_)
        | Body::LogEntryPut(_)
        | Body::Delete => Ok(()),
    }
}

/// The checks that need no state: format version, ids, sizes, kinds, the feature's field checks, and the clock.
pub fn check_shape(op: &Operation, rules: &RuleSet, now_ms: u64) -> Result<(), RuleError> {
    if op.v != OP_FORMAT_VERSION {
        return Err(RuleError::field(ErrorCode::UnsupportedVersion, "v"));
    }
    if op.id.get_version_num() != 7 {
        return Err(RuleError::field(ErrorCode::InvalidId, "id").with_detail("UUIDv7"));
    }
    let s = &rules.sync;
    if op.author.trim().is_empty() {
        return Err(RuleError::field(ErrorCode::Required, "author"));
    }
    if op.author.chars().count() > s.author_max_chars {
        return Err(RuleError::field(ErrorCode::TooLong, "author")
            .with_detail(s.author_max_chars.to_string()));
    }
    if op.community.trim().is_empty() {
        return Err(RuleError::field(ErrorCode::Required, "community"));
    }
    if op.community.chars().count() > s.community_max_chars {
        return Err(RuleError::field(ErrorCode::TooLong, "community")
            .with_detail(s.community_max_chars.to_string()));
    }
    if op.hlc.ms > now_ms.saturating_add(s.max_clock_ahead_ms) {
        return Err(RuleError::field(ErrorCode::ClockAhead, "hlc"));
    }
    if op.body.kind().is_some_and(|k| k != op.entity.kind) {
        return Err(RuleError::field(ErrorCode::KindMismatch, "body.type"));
    }
    op.body.check_fields(rules).map_err(|e| RuleError {
        field: e.field.map(|f| format!("body.{f}")),
        ..e
    })
}
