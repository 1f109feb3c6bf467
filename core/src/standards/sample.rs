//! A generated community for the self-check's benchmark and tests (feature `bench`, and tests): `n`
//! households of two residents each in one compound, every twentieth resident an approved volunteer with
//! one confirmed two-hour service entry in February 2026. No real person's data.

use crate::date::Date;
use crate::hlc::Hlc;
use crate::registry::{Body, EntityKind};
use crate::roster::{BuildingFields, CompoundFields, HouseholdFields, PersonFields, UnitFields};
use crate::sync::{EntityRef, OP_FORMAT_VERSION, Operation, Replica};
use crate::volunteers::{
    EntrySource, ServiceEntryFields, VolunteerFields, VolunteerStatus, VolunteerStatusFields,
};
use uuid::Uuid;

/// The community's id in the sample.
pub const COMMUNITY: &str = "sample-community";

/// The replica of a generated community of `households` households (see the module's comment).
pub fn community(households: u32) -> Replica {
    let mut r = Replica::new();
    let mut n: u64 = 0;
    let mut put = |r: &mut Replica, kind: EntityKind, id: Uuid, body: Body| {
        n += 1;
        r.apply(&Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 | n as u128),
            device_id: Uuid::from_u128(1),
            author: "sample".into(),
            hlc: Hlc {
                ms: 1_772_326_800_000 + n,
                n: 0,
            },
            community: COMMUNITY.into(),
            entity: EntityRef { kind, id },
            body,
        });
    };
    let id = |space: u128, i: u128| Uuid::from_u128((space << 64) | i);
    let (compound, building, unit) = (id(1, 0), id(2, 0), id(3, 0));
    put(
        &mut r,
        EntityKind::Compound,
        compound,
        Body::CompoundPut(CompoundFields {
            name: "样本小区".into(),
            address: String::new(),
            year_built: Some(1995),
        }),
    );
    put(
        &mut r,
        EntityKind::Building,
        building,
        Body::BuildingPut(BuildingFields {
            compound_id: compound,
            name: "1号楼".into(),
        }),
    );
    put(
        &mut r,
        EntityKind::Unit,
        unit,
        Body::UnitPut(UnitFields {
            building_id: building,
            name: "1单元".into(),
        }),
    );
    let registered = Date::parse("2026-01-05").expect("a date");
    let served = Date::parse("2026-02-10").expect("a date");
    for h in 0..households as u128 {
        put(
            &mut r,
            EntityKind::Household,
            id(4, h),
            Body::HouseholdPut(HouseholdFields {
                unit_id: unit,
                door: format!("{}", 101 + h),
                area_m2: 60.0,
                owners: 1,
            }),
        );
        for p in 0..2u128 {
            let person = id(5, h * 2 + p);
            put(
                &mut r,
                EntityKind::Person,
                person,
                Body::PersonPut(PersonFields {
                    household_id: id(4, h),
                    name: format!("居民{}", h * 2 + p),
                    sex: None,
                    birth_year: Some(1960),
                    phone: String::new(),
                    key_groups: vec![],
                    party_member: false,
                    student: false,
                }),
            );
            if (h * 2 + p) % 20 == 0 {
                let v = id(6, h * 2 + p);
                put(
                    &mut r,
                    EntityKind::Volunteer,
                    v,
                    Body::VolunteerPut(VolunteerFields {
                        name: format!("志愿者{}", h * 2 + p),
                        phone: String::new(),
                        id_number: String::new(),
                        person_id: Some(person),
                        skills: vec![],
                        teams: vec![],
                        party_member: false,
                        student: false,
                        consent: true,
                        registered_on: registered,
                        status: None,
                    }),
                );
                put(
                    &mut r,
                    EntityKind::Volunteer,
                    v,
                    Body::VolunteerStatus(VolunteerStatusFields {
                        status: VolunteerStatus::Active,
                    }),
                );
                put(
                    &mut r,
                    EntityKind::ServiceEntry,
                    id(7, h * 2 + p),
                    Body::ServiceEntryAdd(ServiceEntryFields {
                        volunteer_id: v,
                        date: served,
                        place: "社区".into(),
                        content: "巡逻".into(),
                        minutes: 120,
                        from_ms: None,
                        to_ms: None,
                        activity_id: None,
                        pair_id: None,
                        source: EntrySource::Staff,
                        recorded_by: "sample".into(),
                        corrects: None,
                        reason: String::new(),
                    }),
                );
            }
        }
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use crate::standards::Status;

    /// Worked by hand for 40 households: 80 residents, volunteers at residents 0, 20, 40, 60 → SIX-29 4 of
    /// 80 = 5 % against 10 %: ⌈8⌉ − 4 = 4 volunteers short; ZZ-PLAN-SIZE 40 households. All six standards
    /// are evaluated.
    #[test]
    fn the_sample_is_what_it_says() {
        let r = community(40);
        let names: Vec<&str> = crate::standards::Catalogue::get().names().collect();
        assert_eq!(names.len(), 6);
        let all = r.self_check(
            COMMUNITY,
            &names,
            &RuleSet::default(),
            Date::parse("2026-03-10").unwrap(),
        );
        assert_eq!(all.len(), 6);
        let six = all.iter().find(|e| e.standard == "six-type").unwrap();
        let six29 = six.indicators.iter().find(|i| i.id == "SIX-29").unwrap();
        assert_eq!(six29.status, Status::NotMet);
        assert_eq!(six29.value, serde_json::json!(0.05));
        assert_eq!(
            six29.gap.as_ref().map(|g| g.amount.clone()),
            Some(serde_json::json!(4))
        );
        let inputs = r.standards_inputs(
            COMMUNITY,
            2026,
            Date::parse("2026-03-10").unwrap(),
            &RuleSet::default(),
        );
        assert_eq!(
            inputs["ZZ-PLAN-SIZE"],
            crate::standards::Input::Value(crate::exact::Exact::parse("40").unwrap())
        );
    }
}
