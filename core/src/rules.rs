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

/// A threshold as an exact fraction: a share `part / whole` meets it when `part/whole ≥ num/den`
/// (or `>` when `strict`). Compared in integers, so "exactly two thirds" is exact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    pub num: u64,
    pub den: u64,
    pub strict: bool,
}

impl Fraction {
    /// Whether `part` out of `whole` meets the threshold. Nothing out of nothing meets no threshold.
    pub fn met_by(self, part: u128, whole: u128) -> bool {
        if whole == 0 {
            return false;
        }
        let (lhs, rhs) = (part * self.den as u128, whole * self.num as u128);
        if self.strict { lhs > rhs } else { lhs >= rhs }
    }

    /// "≥ 2/3" or "> 1/2".
    pub fn label(self) -> String {
        format!(
            "{} {}/{}",
            if self.strict { ">" } else { "≥" },
            self.num,
            self.den
        )
    }
}

/// Thresholds of the renovation survey and of owners' joint decisions (RULES R5, R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenovationRules {
    /// R5: responses must cover at least this share of the compound's households.
    pub coverage_min: Fraction,
    /// R9 (Civil Code art. 278): owners taking part must hold this share of the area AND of the headcount.
    pub art278_participation_min: Fraction,
    /// R9: consent needed for special matters (raising the fund, rebuilding, changing use of common parts).
    pub art278_special_consent: Fraction,
    /// R9: consent needed for every other matter.
    pub art278_ordinary_consent: Fraction,
    /// R6: the menu plan and the design plan are each posted for at least this many working days.
    pub notice_min_working_days: u32,
    /// R7: rounds of residents' opinion-gathering during design.
    pub consultation_rounds_min: u32,
    /// R8: demolish-and-rebuild needs at least this return rate.
    pub return_rate_min_pct: f64,
    /// R3: compounds built before this year come first.
    pub priority_built_before_year: u16,
    /// Longest grace period staff may give for ballots collected offline.
    pub grace_days_max: u32,
    pub menu_max_items: u32,
    pub cost_max_yuan: f64,
    /// Where running results are shown to residents, they appear only once this many households have
    /// answered, so no one can infer a neighbour's vote from a small count.
    #[serde(default = "ten")]
    pub running_results_min_households: u32,
}

fn ten() -> u32 {
    10
}

/// A complete rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub roster: RosterRules,
    pub sync: SyncRules,
    pub renovation: RenovationRules,
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

    #[test]
    fn fractions_compare_exactly() {
        let two_thirds = super::Fraction {
            num: 2,
            den: 3,
            strict: false,
        };
        assert!(two_thirds.met_by(2, 3));
        assert!(two_thirds.met_by(200, 300));
        assert!(!two_thirds.met_by(199, 300));
        assert!(!two_thirds.met_by(0, 0));
        let half = super::Fraction {
            num: 1,
            den: 2,
            strict: true,
        };
        assert!(!half.met_by(1, 2), "exactly half is not more than half");
        assert!(half.met_by(51, 100));
    }
}
