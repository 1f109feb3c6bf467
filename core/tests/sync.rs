//! Integration tests of the sync model: operation JSON (format v1), convergence (property test), checks.

use linli_core::hlc::Hlc;
use linli_core::roster::*;
use linli_core::sync::*;
use linli_core::{ErrorCode, RuleSet};
use proptest::prelude::*;
use serde_json::json;
use uuid::Uuid;

const NOW: u64 = 1_795_000_000_000;

fn v7(n: u64) -> Uuid {
    // A UUIDv7 built from a counter: deterministic, and of the version the checks require.
    let ts = uuid::Timestamp::from_unix_time(1_795_000_000 + n, 0, 0, 0);
    let mut b = *Uuid::new_v7(ts).as_bytes();
    b[8..16].copy_from_slice(&(n | 0x8000_0000_0000_0000).to_be_bytes());
    Uuid::from_bytes(b)
}

fn op(n: u64, device: u128, ms: u64, entity: EntityRef, body: Body) -> Operation {
    Operation {
        v: OP_FORMAT_VERSION,
        id: v7(n),
        device_id: Uuid::from_u128(device),
        author: "wang".into(),
        hlc: Hlc { ms, n: 0 },
        community: "c1".into(),
        entity,
        body,
    }
}

fn ent(kind: EntityKind, id: u128) -> EntityRef {
    EntityRef {
        kind,
        id: Uuid::from_u128(id),
    }
}

#[test]
fn operation_json_format_v1() {
    let o = op(
        1,
        9,
        NOW,
        ent(EntityKind::Household, 4),
        Body::HouseholdPut(HouseholdFields {
            unit_id: Uuid::from_u128(3),
            door: "101".into(),
            area_m2: 72.5,
            owners: 2,
        }),
    );
    let v = serde_json::to_value(&o).unwrap();
    assert_eq!(v["v"], 1);
    assert_eq!(v["hlc"], json!({"ms": NOW, "n": 0}));
    assert_eq!(
        v["entity"],
        json!({"kind":"household","id":"00000000-0000-0000-0000-000000000004"})
    );
    assert_eq!(
        v["body"],
        json!({"type":"household.put","unit_id":"00000000-0000-0000-0000-000000000003","door":"101","area_m2":72.5,"owners":2})
    );
    let back: Operation = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(back, o);

    // Unknown fields are refused at every level, so a typo never passes silently.
    let mut bad = v.clone();
    bad["extra"] = json!(1);
    assert!(serde_json::from_value::<Operation>(bad).is_err());
    let mut bad = v.clone();
    bad["body"]["colour"] = json!("red");
    assert!(serde_json::from_value::<Operation>(bad).is_err());
    let mut bad = v;
    bad["body"]["area_m2"] = json!("big");
    assert!(serde_json::from_value::<Operation>(bad).is_err());

    let d: Body = serde_json::from_value(json!({"type":"delete"})).unwrap();
    assert_eq!(d, Body::Delete);
}

/// A small world: a compound, building, unit, then households, each made valid in order.
fn roster_ops() -> Vec<Operation> {
    vec![
        op(
            1,
            1,
            NOW,
            ent(EntityKind::Compound, 1),
            Body::CompoundPut(CompoundFields {
                name: "幸福里".into(),
                address: String::new(),
                year_built: Some(1995),
            }),
        ),
        op(
            2,
            1,
            NOW,
            ent(EntityKind::Building, 2),
            Body::BuildingPut(BuildingFields {
                compound_id: Uuid::from_u128(1),
                name: "1号楼".into(),
            }),
        ),
        op(
            3,
            1,
            NOW,
            ent(EntityKind::Unit, 3),
            Body::UnitPut(UnitFields {
                building_id: Uuid::from_u128(2),
                name: "1单元".into(),
            }),
        ),
    ]
}

fn household(n: u64, device: u128, ms: u64, id: u128, door: &str) -> Operation {
    op(
        n,
        device,
        ms,
        ent(EntityKind::Household, id),
        Body::HouseholdPut(HouseholdFields {
            unit_id: Uuid::from_u128(3),
            door: door.into(),
            area_m2: 60.0,
            owners: 1,
        }),
    )
}

#[test]
fn checks_refer_to_parents_and_doors() {
    let rules = RuleSet::default();
    let mut r = Replica::new();
    // A unit before its building is refused, naming the field.
    let ops = roster_ops();
    let e = r.check(&ops[2], &rules, NOW).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::NotFound, Some("body.building_id"))
    );
    for o in &ops {
        r.check(o, &rules, NOW).unwrap();
        r.apply(o);
    }
    let h1 = household(10, 1, NOW, 100, "101");
    r.check(&h1, &rules, NOW).unwrap();
    r.apply(&h1);
    // The same door in the same unit, from another device: refused (two staff recorded it twice).
    let h2 = household(11, 2, NOW, 101, " 101 ");
    assert_eq!(
        r.check(&h2, &rules, NOW).unwrap_err().code,
        ErrorCode::DoorTaken
    );
    // Typed with a Chinese keyboard's full-width digits, it is the same door.
    let h2w = household(11, 2, NOW, 101, "１０１");
    assert_eq!(
        r.check(&h2w, &rules, NOW).unwrap_err().code,
        ErrorCode::DoorTaken
    );
    // Editing the household itself keeps its door.
    let h1b = household(12, 1, NOW + 5, 100, "101");
    assert!(r.check(&h1b, &rules, NOW).is_ok());
    // A building with units cannot be deleted; an empty unit can, and then stays deleted.
    let del_b = op(13, 1, NOW + 6, ent(EntityKind::Building, 2), Body::Delete);
    assert_eq!(
        r.check(&del_b, &rules, NOW).unwrap_err().code,
        ErrorCode::HasChildren
    );
    let del_h = op(
        14,
        1,
        NOW + 7,
        ent(EntityKind::Household, 100),
        Body::Delete,
    );
    r.check(&del_h, &rules, NOW).unwrap();
    r.apply(&del_h);
    assert_eq!(
        r.check(&h1b, &rules, NOW).unwrap_err().code,
        ErrorCode::Deleted
    );
    // With the household deleted, its door is free again.
    assert!(r.check(&h2, &rules, NOW).is_ok());
    assert!(r.households(Uuid::from_u128(3)).is_empty());
    // Clock far ahead, or a body of another kind than its entity: refused.
    let ahead = household(15, 1, NOW + 3 * 86_400_000, 102, "102");
    assert_eq!(
        r.check(&ahead, &rules, NOW).unwrap_err().code,
        ErrorCode::ClockAhead
    );
    let mut wrong = household(16, 1, NOW, 103, "103");
    wrong.entity.kind = EntityKind::Unit;
    assert_eq!(
        r.check(&wrong, &rules, NOW).unwrap_err().code,
        ErrorCode::KindMismatch
    );
    let mut not_v7 = household(17, 1, NOW, 104, "104");
    not_v7.id = Uuid::from_u128(5);
    assert_eq!(
        r.check(&not_v7, &rules, NOW).unwrap_err().field.as_deref(),
        Some("id")
    );
    let mut bad_area = household(18, 1, NOW, 105, "105");
    if let Body::HouseholdPut(f) = &mut bad_area.body {
        f.area_m2 = -3.0;
    }
    assert_eq!(
        r.check(&bad_area, &rules, NOW)
            .unwrap_err()
            .field
            .as_deref(),
        Some("body.area_m2")
    );
}

#[test]
fn last_writer_wins_by_timestamp_then_device() {
    let mut a = Replica::new();
    for o in roster_ops() {
        a.apply(&o);
    }
    let early = household(20, 9, NOW + 1, 200, "201");
    let late = household(21, 1, NOW + 2, 200, "202");
    let mut b = a.clone();
    a.apply(&early);
    a.apply(&late);
    b.apply(&late);
    b.apply(&early);
    assert_eq!(a, b);
    assert_eq!(a.households(Uuid::from_u128(3))[0].fields.door, "202");
    // Same timestamp: the higher device id wins, everywhere.
    let x = household(22, 5, NOW + 9, 300, "301");
    let y = household(23, 6, NOW + 9, 300, "302");
    let (mut p, mut q) = (a.clone(), a.clone());
    p.apply(&x);
    p.apply(&y);
    q.apply(&y);
    q.apply(&x);
    assert_eq!(p, q);
    assert_eq!(
        p.household("c1", Uuid::from_u128(300)).unwrap().fields.door,
        "302"
    );
}

fn arb_op() -> impl Strategy<Value = Operation> {
    let kinds = prop_oneof![
        Just(EntityKind::Compound),
        Just(EntityKind::Building),
        Just(EntityKind::Unit),
        Just(EntityKind::Household)
    ];
    (
        0u64..1_000_000,
        1u128..4,
        0u64..6,
        0u32..3,
        kinds,
        1u128..4,
        0u8..6,
        0u128..4,
        1u32..4,
        prop::bool::ANY,
    )
        .prop_map(
            |(n, device, ms, c, kind, id, choice, parent, owners, other_community)| {
                let parent = Uuid::from_u128(parent);
                let text = format!("{choice}");
                let body = if choice == 0 {
                    Body::Delete
                } else {
                    match kind {
                        EntityKind::Compound => Body::CompoundPut(CompoundFields {
                            name: text,
                            address: String::new(),
                            year_built: Some(1990 + choice as u16),
                        }),
                        EntityKind::Building => Body::BuildingPut(BuildingFields {
                            compound_id: parent,
                            name: text,
                        }),
                        EntityKind::Unit => Body::UnitPut(UnitFields {
                            building_id: parent,
                            name: text,
                        }),
                        EntityKind::Household => Body::HouseholdPut(HouseholdFields {
                            unit_id: parent,
                            door: text,
                            area_m2: 50.0 + choice as f64,
                            owners,
                        }),
                        _ => Body::Delete,
                    }
                };
                let mut o = op(n, device, NOW + ms, ent(kind, id), body);
                o.hlc.n = c;
                if other_community {
                    o.community = "c2".into();
                }
                o
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// DESIGN.md invariant: replicas that received the same set of operations, in any order and with any
    /// duplicates, hold the same state.
    #[test]
    fn replicas_converge_under_any_order_and_duplication(
        ops in prop::collection::vec(arb_op(), 0..40),
        dup_idx in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
        seed in any::<u64>(),
    ) {
        let mut a = Replica::new();
        for o in &ops {
            a.apply(o);
        }
        // Another replica: the same ops plus duplicates, shuffled deterministically from the seed.
        let mut b_ops = ops.clone();
        if !ops.is_empty() {
            for i in &dup_idx {
                b_ops.push(ops[i.index(ops.len())].clone());
            }
        }
        let mut s = seed | 1;
        for i in (1..b_ops.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            b_ops.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut b = Replica::new();
        for o in &b_ops {
            b.apply(o);
        }
        prop_assert_eq!(&a, &b);
        // And restoring from persisted records gives the same state too (the app reloads this way).
        let mut c = Replica::new();
        for (k, r) in b.records() {
            c.insert_record(k.clone(), r.clone());
        }
        prop_assert_eq!(&a, &c);
        // Applying everything again changes nothing (idempotence).
        for o in &ops {
            b.apply(o);
        }
        prop_assert_eq!(a, b);
    }
}
