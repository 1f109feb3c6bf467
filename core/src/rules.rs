//! Rule sets: every threshold the core checks, as data that a district can replace without editing Rust.

use serde::{Deserialize, Serialize};

const DEFAULT_RULES_JSON: &str = include_str!("../data/rules-default.json");

/// Limits on the roster of places and households (RULES H1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RosterRules {
    pub name_max_chars: usize,
    pub address_max_chars: usize,
    pub door_max_chars: usize,
    pub area_m2_min: f64,
    pub area_m2_max: f64,
    pub owners_min: u32,
    pub owners_max: u32,
    pub year_built_min: u16,
    pub year_built_max: u16,
}

/// Limits on operations themselves (DESIGN.md sync model).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncRules {
    pub author_max_chars: usize,
    pub community_max_chars: usize,
    /// How far ahead of the server's clock an operation's timestamp may be.
    pub max_clock_ahead_ms: u64,
}

/// A complete rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub roster: RosterRules,
    pub sync: SyncRules,
}

impl RuleSet {
    pub fn from_json(json: &str) -> Result<RuleSet, serde_json::Error> {
        serde_json::from_str(json)
    }
}

impl Default for RuleSet {
    /// The national defaults of `core/data/rules-default.json`.
    fn default() -> Self {
        RuleSet::from_json(DEFAULT_RULES_JSON).expect("embedded rule set is valid (tested)")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn default_rules_load() {
        let r = super::RuleSet::default();
        assert!(r.roster.area_m2_min < r.roster.area_m2_max);
    }
}
