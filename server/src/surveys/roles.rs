//! Who may send which survey operation (RULES §4): the check the core cannot make, because it judges
//! operations and knows nothing of logins.
//!
//! - Staff-only: publishing a form version (`form_version.add`), assigning buildings
//!   (`survey_assignment.put` and its delete) and reviewing responses (`response_review.add`). These are
//!   refused for any other login by `volunteers::roles::check_sender`, the one per-operation check of the
//!   push handler, with `staff_only`.
//! - A collector who is not staff may send visits and responses only as themselves and only at the doors
//!   of buildings assigned to them. That needs the merged state (the assignments), so it is this module's
//!   [`check_collector`], on the community's replica (`Writer::read`). Volunteers' own phones exist, but
//!   pull no forms or assignments, so `check_sender` still refuses their visits and responses; staff may
//!   record any door (volunteers without a collecting login are recorded from staff devices). When
//!   volunteers collect, the push handler calls this after `check_sender`, before the writer.

use linli_core::registry::Body;
use linli_core::roster::UnitFields;
use linli_core::{EntityKind, ErrorCode, Operation, Replica, RuleError};
use uuid::Uuid;

/// Whether `login`, collecting for the community of `op`, may send `op`: a visit or a response of their
/// own (`collector` is `login`) at a household of a building assigned to `login`. Other operations pass
/// (`check_sender` judges them). Fields are named relative to the operation (`body.household_id`).
pub fn check_collector(replica: &Replica, login: &str, op: &Operation) -> Result<(), RuleError> {
    let (household, collector) = match &op.body {
        Body::VisitAdd(v) => (v.household_id, &v.collector),
        Body::SurveyResponseAdd(r) => (r.household_id, &r.collector),
        _ => return Ok(()),
    };
    if collector != login {
        return Err(RuleError::field(ErrorCode::StaffOnly, "body.collector").with_detail("≠ self"));
    }
    let building = replica
        .household(&op.community, household)
        .and_then(|h| replica.get::<UnitFields>(&op.community, EntityKind::Unit, h.fields.unit_id))
        .map(|u| u.building_id);
    let assigned = building.is_some_and(|b: Uuid| {
        replica
            .survey_assignments(b)
            .iter()
            .any(|(_, a)| a.collector == login)
    });
    if assigned {
        Ok(())
    } else {
        Err(RuleError::field(ErrorCode::StaffOnly, "body.household_id").with_detail("not assigned"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::Hlc;
    use linli_core::date::Date;
    use linli_core::roster::{BuildingFields, CompoundFields, HouseholdFields};
    use linli_core::surveys::{HouseholdStatus, SurveyAssignmentFields, VisitFields};
    use linli_core::sync::{EntityRef, OP_FORMAT_VERSION};

    fn op(n: u32, kind: EntityKind, id: Uuid, body: Body) -> Operation {
        Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::now_v7(),
            device_id: Uuid::now_v7(),
            author: "wang".into(),
            hlc: Hlc {
                ms: 1_800_000_000_000,
                n,
            },
            community: "c1".into(),
            entity: EntityRef { kind, id },
            body,
        }
    }

    #[test]
    fn a_collector_visits_only_assigned_doors_as_themselves() {
        let mut r = Replica::new();
        let (c, b, u, h) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let setup = [
            op(
                1,
                EntityKind::Compound,
                c,
                Body::CompoundPut(CompoundFields {
                    name: "幸福里".into(),
                    address: String::new(),
                    year_built: None,
                }),
            ),
            op(
                2,
                EntityKind::Building,
                b,
                Body::BuildingPut(BuildingFields {
                    compound_id: c,
                    name: "1号楼".into(),
                }),
            ),
            op(
                3,
                EntityKind::Unit,
                u,
                Body::UnitPut(UnitFields {
                    building_id: b,
                    name: "1单元".into(),
                }),
            ),
            op(
                4,
                EntityKind::Household,
                h,
                Body::HouseholdPut(HouseholdFields {
                    unit_id: u,
                    door: "101".into(),
                    area_m2: 60.0,
                    owners: 1,
                }),
            ),
        ];
        for o in &setup {
            r.apply(o);
        }
        let visit = |who: &str| {
            op(
                5,
                EntityKind::Visit,
                Uuid::now_v7(),
                Body::VisitAdd(VisitFields {
                    household_id: h,
                    status: HouseholdStatus::NotHome,
                    date: Date::parse("2026-05-01").unwrap(),
                    collector: who.into(),
                    note: String::new(),
                }),
            )
        };
        // Not assigned yet.
        let e = check_collector(&r, "li", &visit("li")).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::StaffOnly, Some("body.household_id"))
        );
        r.apply(&op(
            6,
            EntityKind::SurveyAssignment,
            Uuid::now_v7(),
            Body::SurveyAssignmentPut(SurveyAssignmentFields {
                building_id: b,
                collector: "li".into(),
            }),
        ));
        assert_eq!(check_collector(&r, "li", &visit("li")), Ok(()));
        // Only as themselves.
        let e = check_collector(&r, "li", &visit("zhao")).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("body.collector"));
        // Another collector of an unassigned building.
        assert!(check_collector(&r, "zhao", &visit("zhao")).is_err());
    }

    /// Publishing, assigning and reviewing are staff's; visits and responses pass `check_sender` for a
    /// collector (and then `check_collector`).
    #[test]
    fn only_staff_publish_assign_and_review() {
        use crate::volunteers::roles::{Sender, check_sender};
        use linli_core::surveys::{FormVersionFields, ResponseReviewFields, Verdict, starter_form};
        let volunteer = Sender::Volunteer {
            volunteer_id: Uuid::now_v7(),
        };
        let form = starter_form("satisfaction").unwrap();
        let publish = op(
            1,
            EntityKind::FormVersion,
            Uuid::now_v7(),
            Body::FormVersionAdd(FormVersionFields::from_form(Uuid::now_v7(), &form)),
        );
        let assign = op(
            2,
            EntityKind::SurveyAssignment,
            Uuid::now_v7(),
            Body::SurveyAssignmentPut(SurveyAssignmentFields {
                building_id: Uuid::now_v7(),
                collector: "li".into(),
            }),
        );
        let review = op(
            3,
            EntityKind::ResponseReview,
            Uuid::now_v7(),
            Body::ResponseReviewAdd(ResponseReviewFields {
                response_id: Uuid::now_v7(),
                verdict: Verdict::Approved,
                comment: String::new(),
                by: "li".into(),
                at_ms: 1,
            }),
        );
        for (o, field) in [
            (&publish, "body.type"),
            (&assign, "body.type"),
            (&review, "body.verdict"),
        ] {
            assert_eq!(check_sender(Sender::Staff, o), Ok(()));
            let e = check_sender(volunteer, o).unwrap_err();
            assert_eq!(
                (e.code, e.field.as_deref()),
                (ErrorCode::StaffOnly, Some(field))
            );
        }
        let visit = op(
            4,
            EntityKind::Visit,
            Uuid::now_v7(),
            Body::VisitAdd(VisitFields {
                household_id: Uuid::now_v7(),
                status: HouseholdStatus::Refused,
                date: Date::parse("2026-05-01").unwrap(),
                collector: "li".into(),
                note: String::new(),
            }),
        );
        // A volunteer's own phone pulls no forms or assignments, so it collects nothing yet.
        let e = check_sender(volunteer, &visit).unwrap_err();
        assert_eq!(
            (e.code, e.field.as_deref()),
            (ErrorCode::StaffOnly, Some("body.type"))
        );
    }
}
