//! Home-visit coverage (S4) by building and for the whole: one function, [`coverage`], that the
//! replica's view (`Replica::survey_coverage`) and the embedding API (`survey.coverage`) both call.
//!
//! Per building and in total: `total` households; `visited` = every status but `not_visited`;
//! `answered`; `outstanding` = `not_visited` + `not_home` (the doors still to knock on); `coverage` =
//! answered / (total − vacant), 0 when that is 0. Buildings come in the order they are first seen in
//! the input (the replica's view passes doors in natural building order).

use super::records::HouseholdStatus;
use serde::{Deserialize, Serialize};

/// One household as coverage needs it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoverageHousehold {
    pub id: String,
    pub building: String,
    pub status: HouseholdStatus,
}

/// The counts of a building or of the whole.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CoverageCounts {
    pub total: u64,
    pub visited: u64,
    pub answered: u64,
    pub outstanding: u64,
    pub coverage: f64,
    #[serde(skip)]
    vacant: u64,
}

impl CoverageCounts {
    fn add(&mut self, s: HouseholdStatus) {
        self.total += 1;
        match s {
            HouseholdStatus::NotVisited => self.outstanding += 1,
            HouseholdStatus::NotHome => {
                self.visited += 1;
                self.outstanding += 1;
            }
            HouseholdStatus::Answered => {
                self.visited += 1;
                self.answered += 1;
            }
            HouseholdStatus::Refused => self.visited += 1,
            HouseholdStatus::Vacant => {
                self.visited += 1;
                self.vacant += 1;
            }
        }
    }

    fn finish(&mut self) {
        let base = self.total - self.vacant;
        self.coverage = if base == 0 {
            0.0
        } else {
            self.answered as f64 / base as f64
        };
    }

    /// Households that could answer (total − vacant), the denominator of `coverage`.
    pub fn occupied(&self) -> u64 {
        self.total - self.vacant
    }
}

/// One building's counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BuildingCoverage {
    pub building: String,
    #[serde(flatten)]
    pub counts: CoverageCounts,
}

/// The answer of `survey.coverage`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub buildings: Vec<BuildingCoverage>,
    pub total: CoverageCounts,
}

/// Coverage of `households` (see the module documentation).
pub fn coverage(households: &[CoverageHousehold]) -> Coverage {
    let mut buildings: Vec<BuildingCoverage> = Vec::new();
    let mut total = CoverageCounts::default();
    for h in households {
        let i = match buildings.iter().position(|b| b.building == h.building) {
            Some(i) => i,
            None => {
                buildings.push(BuildingCoverage {
                    building: h.building.clone(),
                    counts: CoverageCounts::default(),
                });
                buildings.len() - 1
            }
        };
        buildings[i].counts.add(h.status);
        total.add(h.status);
    }
    for b in &mut buildings {
        b.counts.finish();
    }
    total.finish();
    Coverage { buildings, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use HouseholdStatus::*;

    fn h(id: &str, building: &str, status: HouseholdStatus) -> CoverageHousehold {
        CoverageHousehold {
            id: id.into(),
            building: building.into(),
            status,
        }
    }

    /// Worked by hand (S4). Building 2: 5 doors — answered, answered, not home, vacant, not visited:
    /// visited 4, answered 2, outstanding 2 (not visited + not home), coverage 2 / (5 − 1) = 0.5.
    /// Building 1: refused, answered: visited 2, answered 1, outstanding 0, coverage 1/2. Building 3:
    /// one vacant door, so coverage 0 (nobody could answer), not a division by zero. Total: 8 doors,
    /// visited 7, answered 3, outstanding 2, coverage 3 / (8 − 2 vacant) = 0.5.
    #[test]
    fn hand_worked() {
        let c = coverage(&[
            h("201", "2号楼", Answered),
            h("101", "1号楼", Refused),
            h("202", "2号楼", Answered),
            h("203", "2号楼", NotHome),
            h("102", "1号楼", Answered),
            h("204", "2号楼", Vacant),
            h("205", "2号楼", NotVisited),
            h("301", "3号楼", Vacant),
        ]);
        // First-seen order.
        let names: Vec<&str> = c.buildings.iter().map(|b| b.building.as_str()).collect();
        assert_eq!(names, ["2号楼", "1号楼", "3号楼"]);
        let b2 = &c.buildings[0].counts;
        assert_eq!(
            (
                b2.total,
                b2.visited,
                b2.answered,
                b2.outstanding,
                b2.coverage
            ),
            (5, 4, 2, 2, 0.5)
        );
        let b1 = &c.buildings[1].counts;
        assert_eq!(
            (
                b1.total,
                b1.visited,
                b1.answered,
                b1.outstanding,
                b1.coverage
            ),
            (2, 2, 1, 0, 0.5)
        );
        let b3 = &c.buildings[2].counts;
        assert_eq!((b3.total, b3.visited, b3.coverage), (1, 1, 0.0));
        let t = &c.total;
        assert_eq!(
            (t.total, t.visited, t.answered, t.outstanding, t.coverage),
            (8, 7, 3, 2, 0.5)
        );
        assert_eq!(t.occupied(), 6);
        assert_eq!(coverage(&[]).total, CoverageCounts::default());
    }
}
