//! Sample data for `serve --demo` and first start: a compound of 3 buildings × 2 units × 12 households,
//! written as real operations through the same path as pushes, so devices pull them like any other.

use crate::AppState;
use crate::clock::now_ms;
use crate::http::ApiError;
use crate::sync::writer::{Outcome, Prepared};
use linli_core::roster::{BuildingFields, CompoundFields, HouseholdFields, UnitFields};
use linli_core::sync::{Body, EntityRef, OP_FORMAT_VERSION, Operation};
use linli_core::{EntityKind, Hlc};
use uuid::Uuid;

/// The device id every demo operation carries.
pub const DEMO_DEVICE: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_00de_0001);
pub const DEMO_AUTHOR: &str = "admin";

/// The demo operations for `community`, timestamped from `now_ms`: parents before children.
pub fn demo_ops(community: &str, now_ms: u64) -> Vec<Operation> {
    let mut n = 0u32;
    let mut ops = Vec::new();
    let mut push = |kind: EntityKind, id: Uuid, body: Body| {
        ops.push(Operation {
            v: OP_FORMAT_VERSION,
            id: Uuid::now_v7(),
            device_id: DEMO_DEVICE,
            author: DEMO_AUTHOR.into(),
            hlc: Hlc { ms: now_ms, n },
            community: community.into(),
            entity: EntityRef { kind, id },
            body,
        });
        n += 1;
    };
    let compound = Uuid::now_v7();
    push(
        EntityKind::Compound,
        compound,
        Body::CompoundPut(CompoundFields {
            name: "幸福里小区".into(),
            address: "幸福路 1 号".into(),
            year_built: Some(1995),
        }),
    );
    let mut k = 0u32;
    for b in 1..=3 {
        let building = Uuid::now_v7();
        push(
            EntityKind::Building,
            building,
            Body::BuildingPut(BuildingFields {
                compound_id: compound,
                name: format!("{b}号楼"),
            }),
        );
        for u in 1..=2 {
            let unit = Uuid::now_v7();
            push(
                EntityKind::Unit,
                unit,
                Body::UnitPut(UnitFields {
                    building_id: building,
                    name: format!("{u}单元"),
                }),
            );
            for floor in 1..=6 {
                for door in 1..=2 {
                    k += 1;
                    // Deterministic, spread over 55.0–120.0 m².
                    let area_m2 = 55.0 + f64::from((k * 379 + b * 31 + u * 7) % 651) / 10.0;
                    let owners = 1 + u32::from(k % 3 == 0);
                    push(
                        EntityKind::Household,
                        Uuid::now_v7(),
                        Body::HouseholdPut(HouseholdFields {
                            unit_id: unit,
                            door: format!("{floor}0{door}"),
                            area_m2,
                            owners,
                        }),
                    );
                }
            }
        }
    }
    ops
}

/// Inserts the demo compound unless the community has a compound already. Returns how many
/// operations were accepted (0 when nothing was done).
pub async fn insert_demo(state: &AppState) -> Result<usize, ApiError> {
    let community = state.config.community.clone();
    let c = community.clone();
    let has_compound = state
        .db
        .blocking(move |db| {
            db.read(|conn| {
                conn.query_opt(
                    "SELECT 1 FROM ops WHERE community = ?1 AND entity_kind = 'compound' LIMIT 1",
                    crate::args![&c],
                )
            })
        })
        .await?
        .is_some();
    if has_compound {
        return Ok(0);
    }
    let prepared = demo_ops(&community, now_ms())
        .into_iter()
        .map(Prepared::new)
        .collect::<Result<Vec<_>, _>>()?;
    let outcomes = state.writer.submit(community, prepared).await?;
    if let Some(Outcome::Rejected(e)) = outcomes.iter().find(|o| matches!(o, Outcome::Rejected(_)))
    {
        return Err(ApiError::internal(format!("demo data rejected: {e}")));
    }
    Ok(outcomes.iter().filter(|o| **o == Outcome::Accepted).count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::{Replica, RuleSet};

    #[test]
    fn demo_ops_pass_the_rules() {
        let rules = RuleSet::default();
        let mut r = Replica::new();
        let ops = demo_ops("c", 1_700_000_000_000);
        assert_eq!(ops.len(), 1 + 3 + 6 + 72);
        for op in &ops {
            r.check(op, &rules, 1_700_000_000_000).unwrap();
            r.apply(op);
            if let Body::HouseholdPut(h) = &op.body {
                assert!((55.0..=120.0).contains(&h.area_m2));
            }
        }
    }
}
