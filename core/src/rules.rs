//! Rule sets: every threshold the core checks, as data that a district can replace without editing Rust.

use serde::{Deserialize, Serialize};

const DEFAULT_RULES_JSON: &str = include_str!("../data/rules-default.json");

/// The named rule sets built in, beside the national defaults: each file holds only what differs from
/// `rules-default.json` and is laid over it ([`RuleSet::named`]).
const NAMED_RULE_SETS: &[(&str, &str)] =
    &[("shanghai", include_str!("../data/rules-shanghai.json"))];

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

/// Thresholds of volunteer registration, service hours and paired services (RULES §3, V1–V6).
/// Every field has a default, so a rule file without this section (or with part of it) still loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VolunteerRules {
    /// V1: registered volunteers (approved, not left) as a share of the resident population.
    /// 10% nationally (002 #29); Shanghai's demonstration standard 15% (001 四(四)).
    pub registered_rate_min: Fraction,
    /// V4: share of party members and students that serve at least `party_student_hours_min` a year.
    pub party_student_share_min: Fraction,
    /// V4: hours a year each party member or student serves.
    pub party_student_hours_min: u32,
    /// V6 and check-in: most minutes one entry, one check-in to check-out, or one volunteer's day may hold.
    pub day_max_minutes: u32,
    /// V5: a weekly visit is overdue this many days after the last one.
    pub weekly_visit_days: u32,
    /// V5: a daily call is overdue this many days after the last one.
    pub daily_call_days: u32,
    /// Longest text of a place, content, description or reason.
    pub text_max_chars: usize,
    /// Most skills or teams one volunteer lists.
    pub list_max: usize,
    /// Largest capacity of an activity.
    pub capacity_max: u32,
}

impl Default for VolunteerRules {
    fn default() -> Self {
        let pct = |num| Fraction {
            num,
            den: 100,
            strict: false,
        };
        VolunteerRules {
            registered_rate_min: pct(10),
            party_student_share_min: pct(85),
            party_student_hours_min: 20,
            day_max_minutes: 24 * 60,
            weekly_visit_days: 7,
            daily_call_days: 1,
            text_max_chars: 500,
            list_max: 20,
            capacity_max: 10_000,
        }
    }
}

/// Thresholds of door-to-door surveys (RULES §4, S1–S5) and limits on forms and answers. Every field
/// has a default, so a rule file without this section (or with part of it) still loads.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SurveyRules {
    /// S1: key-group persons are surveyed at least every this many calendar months (half a year).
    pub needs_interval_months: u32,
    /// S2: visits a year to each person 65+ with a helper device (002 #32).
    pub helper_device_visits_per_year: u32,
    /// S2: low-cost or free services a year to empty-nest and disabled residents (002 #31).
    pub empty_nest_disabled_services_per_year: u32,
    /// S3: disabled residents screened for rehabilitation needs (≥ 60%).
    pub rehab_screening_min: Fraction,
    /// S3: rehabilitation file rate (≥ 90%).
    pub rehab_file_min: Fraction,
    /// S3: disabled children's school enrolment (≥ 90%).
    pub disabled_children_school_min: Fraction,
    /// S4: home-visit coverage of households (≥ 98%, 002 #13).
    pub home_visit_coverage_min: Fraction,
    /// S5 (and S3's `management`, ≥ 85%): satisfaction thresholds by topic; a question's `topic` is one
    /// of these keys.
    pub satisfaction_min: std::collections::BTreeMap<String, Fraction>,
    /// Most questions of a form (and answers of a response).
    pub questions_max: usize,
    /// Most choices of a question.
    pub choices_max: usize,
    /// Longest title, label or help text.
    pub label_max_chars: usize,
    /// Longest question or choice id.
    pub id_max_chars: usize,
    /// Longest text answer, visit note or review comment.
    pub text_answer_max_chars: usize,
    /// Most earlier responses one response lists as seen (S6).
    pub seen_max: usize,
}

impl Default for SurveyRules {
    fn default() -> Self {
        let pct = |num| Fraction {
            num,
            den: 100,
            strict: false,
        };
        SurveyRules {
            needs_interval_months: 6,
            helper_device_visits_per_year: 4,
            empty_nest_disabled_services_per_year: 2,
            rehab_screening_min: pct(60),
            rehab_file_min: pct(90),
            disabled_children_school_min: pct(90),
            home_visit_coverage_min: pct(98),
            satisfaction_min: [
                ("environment", 90),
                ("committee", 90),
                ("participation", 90),
                ("police", 80),
                ("safety", 90),
                ("subdistrict", 80),
                ("party_work", 80),
                ("public_affairs", 80),
                ("management", 85),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), pct(v)))
            .collect(),
            questions_max: 200,
            choices_max: 100,
            label_max_chars: 500,
            id_max_chars: 64,
            text_answer_max_chars: 2000,
            seen_max: 500,
        }
    }
}

/// A complete rule set.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub roster: RosterRules,
    pub sync: SyncRules,
    pub renovation: RenovationRules,
    #[serde(default)]
    pub volunteers: VolunteerRules,
    #[serde(default)]
    pub surveys: SurveyRules,
    /// The standards self-check's section (issue 14), kept here as JSON and read by
    /// `standards::StandardsRules::of`, which checks it against the catalogue: its reader then lands in
    /// a Wasm only where the self-check runs, not in every page that loads a rule set.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub standards: serde_json::Value,
}

impl RuleSet {
    pub fn from_json(json: &str) -> Result<RuleSet, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// A built-in rule set by name: `"default"` (the national defaults) or a district's, such as
    /// `"shanghai"` (V1 at 15%). `None` for a name not built in.
    pub fn named(name: &str) -> Option<RuleSet> {
        if name == "default" {
            return Some(RuleSet::default());
        }
        let (_, overlay) = NAMED_RULE_SETS.iter().find(|(n, _)| *n == name)?;
        let mut base: serde_json::Value =
            serde_json::from_str(DEFAULT_RULES_JSON).expect("embedded rule set is valid (tested)");
        let overlay: serde_json::Value =
            serde_json::from_str(overlay).expect("embedded rule set is valid (tested)");
        lay_over(&mut base, overlay);
        Some(RuleSet::from_json(&base.to_string()).expect("embedded rule set is valid (tested)"))
    }

    /// The names [`RuleSet::named`] knows.
    pub fn names() -> impl Iterator<Item = &'static str> {
        std::iter::once("default").chain(NAMED_RULE_SETS.iter().map(|(n, _)| *n))
    }
}

/// Lays `top` over `base`: objects merge key by key, anything else replaces.
fn lay_over(base: &mut serde_json::Value, top: serde_json::Value) {
    match (base, top) {
        (serde_json::Value::Object(b), serde_json::Value::Object(t)) => {
            for (k, v) in t {
                lay_over(b.entry(k).or_insert(serde_json::Value::Null), v);
            }
        }
        (b, t) => *b = t,
    }
}

impl RenovationRules {
    /// The national defaults' renovation section alone, read without the rest of the rule set: the
    /// embeddable core's `renovation.tally` then carries no reader of the other sections (12 KB of Wasm
    /// in a module with the calendar and the tally only).
    pub fn national() -> RenovationRules {
        #[derive(Deserialize)]
        struct Only {
            renovation: RenovationRules,
        }
        serde_json::from_str::<Only>(DEFAULT_RULES_JSON)
            .expect("embedded rule set is valid (tested)")
            .renovation
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
    fn the_national_renovation_section_alone_is_the_default_rule_sets() {
        assert_eq!(
            super::RenovationRules::national(),
            super::RuleSet::default().renovation
        );
    }

    #[test]
    fn default_rules_load() {
        let r = super::RuleSet::default();
        assert!(r.roster.area_m2_min < r.roster.area_m2_max);
        // The file and the struct's defaults agree, so a rule file without `volunteers` judges alike.
        assert_eq!(r.volunteers, super::VolunteerRules::default());
        // And for surveys (S1 six months, S2 four visits, S5's thresholds).
        assert_eq!(r.surveys, super::SurveyRules::default());
        assert_eq!(r.surveys.needs_interval_months, 6);
        assert_eq!(r.surveys.satisfaction_min["police"].num, 80);
        // And for the standards self-check (issue 14): the file states the defaults.
        assert_eq!(r.standards["fire_gate"], "application");
    }

    #[test]
    fn named_rule_sets() {
        // V1: 10% nationally, 15% in Shanghai (001 四(四)); everything else as the defaults.
        for name in super::RuleSet::names() {
            assert!(super::RuleSet::named(name).is_some(), "{name}");
        }
        let sh = super::RuleSet::named("shanghai").unwrap();
        assert_eq!(
            (
                sh.volunteers.registered_rate_min.num,
                sh.volunteers.registered_rate_min.den
            ),
            (15, 100)
        );
        let mut back = sh.clone();
        back.volunteers.registered_rate_min =
            super::RuleSet::default().volunteers.registered_rate_min;
        // SIX-29 at Shanghai's 15% too, under its own version.
        assert_eq!(sh.standards["thresholds"]["SIX-29"], "0.15");
        assert_eq!(sh.standards["version"], "shanghai-1");
        back.standards = super::RuleSet::default().standards;
        assert_eq!(back, super::RuleSet::default());
        assert_eq!(
            super::RuleSet::named("default"),
            Some(super::RuleSet::default())
        );
        assert!(super::RuleSet::named("atlantis").is_none());
        // An older rule file without the section still loads.
        let mut v: serde_json::Value = serde_json::to_value(super::RuleSet::default()).unwrap();
        v.as_object_mut().unwrap().remove("volunteers");
        v.as_object_mut().unwrap().remove("surveys");
        v.as_object_mut().unwrap().remove("standards");
        assert!(super::RuleSet::from_json(&v.to_string()).is_ok());
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
