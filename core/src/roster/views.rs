//! Views of the merged roster (queries over the replica), as the app lists them: sorted naturally.

use super::*;
use crate::sync::{EntityKind, Replica};
use uuid::Uuid;

/// A household (户) with its building (楼) and unit (单元): one door of a compound, as door lists,
/// voting slips and paper forms show it.
#[derive(Clone, Debug, PartialEq)]
pub struct Door {
    pub building_id: Uuid,
    pub building: String,
    pub unit: String,
    pub household: Household,
}

impl Door {
    /// Where it is, as every list, ledger and export writes it: 「1号楼 1单元 101」.
    pub fn place(&self) -> String {
        format!(
            "{} {} {}",
            self.building, self.unit, self.household.fields.door
        )
    }
}

impl Replica {
    /// Every household of a compound, ordered by building, unit and door (natural order).
    pub fn doors(&self, compound_id: Uuid) -> Vec<Door> {
        let mut v = Vec::new();
        for b in self.buildings(compound_id) {
            for u in self.units(b.id) {
                for h in self.households(u.id) {
                    v.push(Door {
                        building_id: b.id,
                        building: b.fields.name.clone(),
                        unit: u.fields.name.clone(),
                        household: h,
                    });
                }
            }
        }
        v
    }

    /// One household of the community with its building and unit, if it and every place above it is
    /// live: the row of [`Replica::doors`] for that household, found by id (no walk of its compound).
    pub fn door(&self, community: &str, household: Uuid) -> Option<Door> {
        let h = self.household(community, household)?;
        let u: UnitFields = self.get(community, EntityKind::Unit, h.fields.unit_id)?;
        let b: BuildingFields = self.get(community, EntityKind::Building, u.building_id)?;
        Some(Door {
            building_id: u.building_id,
            building: b.name,
            unit: u.name,
            household: h,
        })
    }

    pub fn compounds(&self) -> Vec<Compound> {
        let mut v: Vec<_> = self
            .live_of(EntityKind::Compound)
            .map(|(id, fields)| Compound { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn buildings(&self, compound_id: Uuid) -> Vec<Building> {
        let mut v: Vec<Building> = self
            .children(EntityKind::Building, compound_id)
            .map(|(id, fields)| Building { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn units(&self, building_id: Uuid) -> Vec<Unit> {
        let mut v: Vec<Unit> = self
            .children(EntityKind::Unit, building_id)
            .map(|(id, fields)| Unit { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn households(&self, unit_id: Uuid) -> Vec<Household> {
        let mut v: Vec<Household> = self
            .children(EntityKind::Household, unit_id)
            .map(|(id, fields)| Household { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.door, &b.fields.door));
        v
    }

    /// The persons of a household (居民), by name.
    pub fn persons(&self, household_id: Uuid) -> Vec<Person> {
        let mut v: Vec<Person> = self
            .children(EntityKind::Person, household_id)
            .map(|(id, fields)| Person { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name).then(a.id.cmp(&b.id)));
        v
    }

    pub fn person(&self, community: &str, id: Uuid) -> Option<Person> {
        let fields = self.get(community, EntityKind::Person, id)?;
        Some(Person { id, fields })
    }

    pub fn household(&self, community: &str, id: Uuid) -> Option<Household> {
        let fields = self.get(community, EntityKind::Household, id)?;
        Some(Household { id, fields })
    }

    /// The compound a household lives in, if the household and every place above it is live.
    pub fn compound_of_household(&self, community: &str, household: Uuid) -> Option<Uuid> {
        let h = self.live(community, EntityKind::Household, household)?;
        self.compound_of_unit(community, h.parent_id()?)
    }

    /// The compound a unit is in, if the unit and its building are live.
    pub fn compound_of_unit(&self, community: &str, unit: Uuid) -> Option<Uuid> {
        let u = self.live(community, EntityKind::Unit, unit)?;
        self.compound_of_building(community, u.parent_id()?)
    }

    /// The compound a building is in, if the building is live.
    pub fn compound_of_building(&self, community: &str, building: Uuid) -> Option<Uuid> {
        self.live(community, EntityKind::Building, building)?
            .parent_id()
    }

    /// The households of a compound, with their floor area and owners (R9 weights), by door number.
    pub fn compound_households(&self, _community: &str, compound_id: Uuid) -> Vec<Household> {
        let mut v: Vec<Household> = self
            .buildings(compound_id)
            .into_iter()
            .flat_map(|b| self.units(b.id))
            .flat_map(|u| self.households(u.id))
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.door, &b.fields.door));
        v
    }
}
