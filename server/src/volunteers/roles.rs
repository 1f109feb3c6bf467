//! Who may send which operation: the check the core cannot make, because it judges operations and
//! knows nothing of logins (RULES §3; V6 谁记录谁证明 — only the organiser certifies).
//!
//! Staff-only: approving a volunteer or recording that they left (`volunteer.status`), creating and
//! editing teams, activities and pairs (`team.put`, `activity.put`, `pair.put`, and their deletes), and
//! reviewing service entries (`entry_review.add`). Refused with `staff_only` (zh, en), the field named.
//!
//! Staff logins pass [`Sender::Staff`]: every operation of their community passes. A volunteer's own
//! phone (`auth::VolunteerLogin`, opened at the join link) passes [`Sender::Volunteer`]: only that
//! volunteer's own registration, sign-ups, self check-ins and claims (never a `staff` entry, which counts
//! as confirmed). This function is the one place to change (with the one call in the push handler).

use linli_core::registry::Body;
use linli_core::volunteers::{EntrySource, RecordedBy};
use linli_core::{ErrorCode, Operation, RuleError};
use uuid::Uuid;

/// The kind of login an operation comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sender {
    /// A staff or admin account of the community.
    Staff,
    /// A volunteer's own phone: acts for this volunteer record only.
    Volunteer { volunteer_id: Uuid },
}

fn staff_only(field: &str, what: &str) -> RuleError {
    RuleError::field(ErrorCode::StaffOnly, field).with_detail(what)
}

/// Whether `sender` may send `op`. Fields are named relative to the operation (`body.status`); the push
/// handler prefixes `ops[i].`.
pub fn check_sender(sender: Sender, op: &Operation) -> Result<(), RuleError> {
    let me = match sender {
        Sender::Staff => return Ok(()),
        Sender::Volunteer { volunteer_id } => volunteer_id,
    };
    let not_mine =
        |field: &str| RuleError::field(ErrorCode::StaffOnly, field).with_detail("≠ self");
    match &op.body {
        Body::VolunteerStatus(_) => Err(staff_only("body.status", "volunteer.status")),
        Body::EntryReviewAdd(_) => Err(staff_only("body.decision", "entry_review.add")),
        Body::TeamPut(_) => Err(staff_only("body.type", "team.put")),
        Body::ActivityPut(_) => Err(staff_only("body.type", "activity.put")),
        Body::PairPut(_) => Err(staff_only("body.type", "pair.put")),
        // Their own registration (never its status: `volunteer.put` does not carry one).
        Body::VolunteerPut(_) if op.entity.id == me => Ok(()),
        Body::VolunteerPut(_) => Err(not_mine("entity.id")),
        Body::SignUpAdd(s) if s.volunteer_id == me => Ok(()),
        Body::SignUpAdd(_) => Err(not_mine("body.volunteer_id")),
        Body::AttendanceAdd(a) if a.volunteer_id != me => Err(not_mine("body.volunteer_id")),
        Body::AttendanceAdd(a) if a.by != RecordedBy::SelfCheck => {
            Err(staff_only("body.by", "staff_on_behalf"))
        }
        Body::AttendanceAdd(_) => Ok(()),
        Body::ServiceEntryAdd(e) if e.volunteer_id != me => Err(not_mine("body.volunteer_id")),
        // A staff entry is confirmed by being recorded (谁记录谁证明): a volunteer only claims.
        Body::ServiceEntryAdd(e) if e.source == EntrySource::Staff => {
            Err(staff_only("body.source", "staff"))
        }
        Body::ServiceEntryAdd(_) => Ok(()),
        // Surveys (RULES §4) are staff's: a volunteer's phone pulls no forms or assignments. When volunteers
        // collect, visits and responses pass here and `surveys::roles::check_collector` holds them to
        // their own name and their assigned doors (it needs the replica).
        Body::FormVersionAdd(_) => Err(staff_only("body.type", "form_version.add")),
        Body::SurveyAssignmentPut(_) => Err(staff_only("body.type", "survey_assignment.put")),
        Body::ResponseReviewAdd(_) => Err(staff_only("body.verdict", "response_review.add")),
        Body::VisitAdd(_) => Err(staff_only("body.type", "visit.add")),
        Body::SurveyResponseAdd(_) => Err(staff_only("body.type", "survey_response.add")),
        Body::Delete => Err(staff_only("body.type", "delete")),
        // The roster and renovation are staff's (residents vote through their own endpoint).
        _ => Err(staff_only("body.type", op.entity.kind.as_str())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::sync::{EntityRef, OP_FORMAT_VERSION};
    use linli_core::volunteers::{
        EntryReviewFields, EntryStatus, VolunteerStatus, VolunteerStatusFields,
    };
    use linli_core::{EntityKind, Hlc};

    fn op(kind: EntityKind, id: Uuid, body: Body) -> Operation {
        Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::now_v7(),
            device_id: Uuid::now_v7(),
            author: "wang".into(),
            hlc: Hlc { ms: 1, n: 0 },
            community: "c1".into(),
            entity: EntityRef { kind, id },
            body,
        }
    }

    #[test]
    fn staff_may_do_everything_and_a_volunteer_may_not_approve_or_review() {
        let me = Uuid::now_v7();
        let approve = op(
            EntityKind::Volunteer,
            me,
            Body::VolunteerStatus(VolunteerStatusFields {
                status: VolunteerStatus::Active,
            }),
        );
        let review = op(
            EntityKind::EntryReview,
            Uuid::now_v7(),
            Body::EntryReviewAdd(EntryReviewFields {
                entry_id: Uuid::now_v7(),
                decision: EntryStatus::Confirmed,
                by: "me".into(),
                at_ms: 1,
                reason: String::new(),
            }),
        );
        for o in [&approve, &review] {
            assert_eq!(check_sender(Sender::Staff, o), Ok(()));
        }
        let v = Sender::Volunteer { volunteer_id: me };
        let e = check_sender(v, &approve).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::StaffOnly, Some("body.status"))
        );
        assert_eq!(
            e.message(linli_core::Lang::Zh),
            "只有社区工作人员可以做这项修改（volunteer.status）"
        );
        let e = check_sender(v, &review).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("body.decision"));
    }
}
