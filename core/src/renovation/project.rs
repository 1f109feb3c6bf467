//! Renovation projects (RULES §2): the project of a compound, its menu, household ballots and their timing rules.

use super::tally::Matter;
use crate::calendar::Calendar;
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::rules::{RenovationRules, RosterRules};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

const CATALOGUE_JSON: &str = include_str!("../../data/renovation-catalogue.json");

/// R1: the two kinds of old-compound renovation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RenovationKind {
    /// 综合整治
    #[default]
    Comprehensive,
    /// 拆改结合
    DemolishRebuild,
}

/// R2: the three classes of menu item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemClass {
    /// 基础类
    Basic,
    /// 完善类
    Improvement,
    /// 提升类
    Upgrade,
}

/// One entry of the R2 catalogue of 20 items.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueItem {
    pub id: String,
    pub no: u8,
    pub class: ItemClass,
    pub zh: String,
    pub en: String,
    /// Whether the item is by default an owners' joint decision under art. 278 (R9).
    #[serde(default)]
    pub owners_decision: bool,
    /// Its default matter under art. 278 (the lift: special, a rebuilding of common parts).
    #[serde(default)]
    pub matter: Matter,
    /// Who decides it by default: the whole compound, or the households of one building or unit.
    #[serde(default)]
    pub electorate_scope: ElectorateScope,
}

/// Which part of a compound decides a menu item, without naming the place (a catalogue default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectorateScope {
    #[default]
    Compound,
    Building,
    Unit,
}

/// The households that decide a menu item (its electorate): the whole compound, or one building or unit
/// of it. Lift installation (加装电梯) is decided by the households of its unit.
///
/// JSON `{"scope": "compound"}`, `{"scope": "building", "id": …}`, `{"scope": "unit", "id": …}`. It is read
/// through [`ElectorateWire`], a plain struct: an internally tagged enum is read through a buffer of every
/// value (serde's `Content`), which costs about 20 KB of Wasm in each module that reads a menu (issue 8).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "scope", rename_all = "snake_case", try_from = "ElectorateWire")]
pub enum Electorate {
    #[default]
    Compound,
    Building {
        id: Uuid,
    },
    Unit {
        id: Uuid,
    },
}

/// [`Electorate`]'s JSON as it is read.
#[derive(Deserialize)]
struct ElectorateWire {
    scope: ElectorateScope,
    #[serde(default)]
    id: Option<Uuid>,
}

impl TryFrom<ElectorateWire> for Electorate {
    type Error = &'static str;
    fn try_from(w: ElectorateWire) -> Result<Self, Self::Error> {
        Ok(match (w.scope, w.id) {
            (ElectorateScope::Compound, _) => Electorate::Compound,
            (ElectorateScope::Building, Some(id)) => Electorate::Building { id },
            (ElectorateScope::Unit, Some(id)) => Electorate::Unit { id },
            (_, None) => return Err("missing field `id`"),
        })
    }
}

impl Electorate {
    pub fn is_compound(&self) -> bool {
        *self == Electorate::Compound
    }
}

#[derive(Deserialize)]
struct CatalogueFile {
    items: Vec<CatalogueItem>,
}

include!(concat!(env!("OUT_DIR"), "/catalogue_names.rs"));

/// The English name of the R2 catalogue item `id` whose Chinese name is `zh`, from [`CATALOGUE_NAMES`]
/// (no JSON read: the resident's ballot calls it).
pub fn catalogue_english(id: &str, zh: &str) -> Option<&'static str> {
    CATALOGUE_NAMES
        .iter()
        .find(|(i, z, _)| *i == id && *z == zh)
        .map(|(_, _, en)| *en)
}

/// The 20-item catalogue of R2, from `core/data/renovation-catalogue.json`.
pub fn catalogue() -> Vec<CatalogueItem> {
    serde_json::from_str::<CatalogueFile>(CATALOGUE_JSON)
        .expect("embedded catalogue is valid (tested)")
        .items
}

/// A renovation project of one compound (R1, R3, R6, R7, R8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFields {
    pub compound_id: Uuid,
    pub name: String,
    pub kind: RenovationKind,
    /// R3 priority facts.
    #[serde(default)]
    pub year_built: Option<u16>,
    #[serde(default)]
    pub dangerous_c: u32,
    #[serde(default)]
    pub dangerous_d: u32,
    /// The survey is open from the start of `survey_opens` to the end of `survey_closes`, China time.
    pub survey_opens: Date,
    pub survey_closes: Date,
    /// Days after the close within which ballots cast before the close, collected offline, still count.
    #[serde(default)]
    pub grace_days: u32,
    /// Whether residents see running results before the close.
    #[serde(default)]
    pub show_running_results: bool,
    /// R6: the menu plan's public notice was posted on this date.
    #[serde(default)]
    pub notice_posted: Option<Date>,
    /// R6: the design plan's public notice.
    #[serde(default)]
    pub design_notice_posted: Option<Date>,
    /// R7: dates of the rounds of residents' opinion-gathering during design.
    #[serde(default)]
    pub consultation_rounds: Vec<Date>,
    /// R7: residents' representative meeting before construction.
    #[serde(default)]
    pub representative_meeting: Option<Date>,
    /// R8: residents' return rate for demolish-and-rebuild, in per cent.
    #[serde(default)]
    pub return_rate_pct: Option<f64>,
}

/// A menu item of a project: from the catalogue or local, with its cost and the residents' share (R2, R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItemFields {
    pub project_id: Uuid,
    /// Catalogue id (R2) or `None` for a local item.
    #[serde(default)]
    pub catalogue: Option<String>,
    pub class: ItemClass,
    pub name: String,
    /// The item's name in English, for a local item (a catalogue item has one already); empty when none.
    /// (Always written, like `electorate`: clearing it must clear the merged record.)
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub description: String,
    /// Estimated cost of the whole item, yuan.
    pub cost_yuan: f64,
    /// Where residents co-pay (居民出资): the share of one household, yuan.
    #[serde(default)]
    pub share_per_household_yuan: Option<f64>,
    /// An owners' joint decision under Civil Code art. 278 (R9).
    #[serde(default)]
    pub owners_decision: bool,
    #[serde(default)]
    pub matter: Matter,
    /// Order on the menu.
    #[serde(default)]
    pub position: u32,
    /// Who decides the item; the whole compound unless said otherwise. (Always written: a put that
    /// omitted it would leave an earlier building or unit standing in the merged record.)
    #[serde(default)]
    pub electorate: Electorate,
}

/// Who recorded a ballot.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BallotChannel {
    /// The resident, on their own phone, with the household's code.
    #[default]
    Resident,
    /// A staff member, from a paper form, door to door.
    Staff,
}

/// A household's answer (R4). Append-only: a changed answer is a new ballot; the latest cast counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BallotFields {
    pub project_id: Uuid,
    pub household_id: Uuid,
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<Uuid>,
    /// When the answer was given (milliseconds since the epoch), on the device that recorded it.
    pub cast_at_ms: u64,
    pub channel: BallotChannel,
}

/// The roster's text check (required, length, no control or invisible formatting characters).
use crate::roster::check_text as text;

fn money(v: f64, field: &str, max: f64) -> Result<(), RuleError> {
    if !v.is_finite() || v < 0.0 || v > max {
        return Err(RuleError::field(ErrorCode::OutOfRange, field).with_detail(format!("0–{max}")));
    }
    Ok(())
}

/// A household voting code as a person typed or scanned it, in canonical form (Crockford base32):
/// upper case, whitespace and dashes dropped, O read as 0 and I, L as 1. The phone keys its saved
/// answer by this form and the server looks codes up by it, so "abcd-efgh…" and "ABCDEFGH…" are one code.
/// It does not check the alphabet or the length; the server does.
pub fn canonical_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        // ASCII only: a code is letters and digits, and Unicode's case tables are 16 KB of Wasm.
        .map(|c| c.to_ascii_uppercase())
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        })
        .collect()
}

/// The end of a public notice posted on `posted` for the rule set's minimum working days (R6):
/// the notice stays up until the end of the returned date. `official` is false where the calendar is not.
pub fn notice_end(cal: &Calendar, rules: &RenovationRules, posted: Date) -> Option<(Date, bool)> {
    cal.add_working_days(posted, rules.notice_min_working_days)
}

/// End of a date in China time, in milliseconds since the epoch (exclusive).
pub fn end_of_day_ms(d: Date) -> i64 {
    let epoch = Date::from_ymd(1970, 1, 1).expect("valid");
    (epoch.days_until(d) as i64 + 1) * 86_400_000 - 8 * 3_600_000
}

/// Start of a date in China time, in milliseconds since the epoch.
pub fn start_of_day_ms(d: Date) -> i64 {
    end_of_day_ms(d) - 86_400_000
}

impl ProjectFields {
    pub fn check(&self, roster: &RosterRules, rules: &RenovationRules) -> Result<(), RuleError> {
        text(&self.name, "name", roster.name_max_chars, true)?;
        if self.survey_closes < self.survey_opens {
            return Err(RuleError::field(ErrorCode::OutOfRange, "survey_closes")
                .with_detail("on or after the opening date"));
        }
        if self.grace_days > rules.grace_days_max {
            return Err(RuleError::field(ErrorCode::OutOfRange, "grace_days")
                .with_detail(format!("0–{}", rules.grace_days_max)));
        }
        if let Some(y) = self.year_built
            && !(roster.year_built_min..=roster.year_built_max).contains(&y)
        {
            return Err(
                RuleError::field(ErrorCode::OutOfRange, "year_built").with_detail(format!(
                    "{}–{}",
                    roster.year_built_min, roster.year_built_max
                )),
            );
        }
        if self.dangerous_c > 10_000 || self.dangerous_d > 10_000 {
            return Err(
                RuleError::field(ErrorCode::OutOfRange, "dangerous_c").with_detail("0–10000")
            );
        }
        if self.consultation_rounds.len() > 50 {
            return Err(
                RuleError::field(ErrorCode::OutOfRange, "consultation_rounds").with_detail("≤ 50"),
            );
        }
        if let Some(r) = self.return_rate_pct
            && !(0.0..=100.0).contains(&r)
        {
            return Err(
                RuleError::field(ErrorCode::OutOfRange, "return_rate_pct").with_detail("0–100")
            );
        }
        Ok(())
    }

    /// R3: built before the priority year, or with C/D-grade dangerous buildings.
    pub fn is_priority(&self, rules: &RenovationRules) -> bool {
        self.year_built
            .is_some_and(|y| y < rules.priority_built_before_year)
            || self.dangerous_c + self.dangerous_d > 0
    }

    /// Whether a ballot cast at `cast_at_ms` and received at `received_ms` counts (DESIGN.md sync model):
    /// cast while the survey was open, and received within the grace period after the close.
    ///
    /// Received after the close, the cast time is only the sender's word. It is believed only from a
    /// sender that has not been in touch with the server since the close (`last_contact_ms`, the
    /// server's record of the device's or login's last contact before this one): an honest phone that
    /// was online after the close would already have sent its waiting answer, and one that was online
    /// may have seen the results. `None` (a check on the device itself) skips this part.
    pub fn check_ballot_timing(
        &self,
        cast_at_ms: u64,
        received_ms: u64,
        last_contact_ms: Option<u64>,
    ) -> Result<(), RuleError> {
        let (cast, received) = (cast_at_ms as i64, received_ms as i64);
        if cast < start_of_day_ms(self.survey_opens) {
            return Err(RuleError::field(ErrorCode::SurveyNotOpen, "cast_at_ms")
                .with_detail(self.survey_opens.to_string()));
        }
        let closes = end_of_day_ms(self.survey_closes);
        if cast >= closes {
            return Err(RuleError::field(ErrorCode::SurveyClosed, "cast_at_ms")
                .with_detail(self.survey_closes.to_string()));
        }
        if received >= closes + self.grace_days as i64 * 86_400_000 {
            return Err(RuleError::field(ErrorCode::ArrivedTooLate, "cast_at_ms")
                .with_detail(self.grace_days.to_string()));
        }
        if received >= closes && last_contact_ms.is_some_and(|c| c as i64 >= closes) {
            return Err(
                RuleError::field(ErrorCode::ContactedSinceClose, "cast_at_ms")
                    .with_detail(self.survey_closes.to_string()),
            );
        }
        Ok(())
    }
}

impl MenuItemFields {
    pub fn check(&self, roster: &RosterRules, rules: &RenovationRules) -> Result<(), RuleError> {
        text(&self.name, "name", roster.name_max_chars, true)?;
        text(&self.name_en, "name_en", roster.name_max_chars, false)?;
        text(&self.description, "description", 2000, false)?;
        money(self.cost_yuan, "cost_yuan", rules.cost_max_yuan)?;
        if let Some(s) = self.share_per_household_yuan {
            money(s, "share_per_household_yuan", rules.cost_max_yuan)?;
        }
        if let Some(c) = &self.catalogue
            && !catalogue().iter().any(|i| &i.id == c)
        {
            return Err(RuleError::field(ErrorCode::NotFound, "catalogue")
                .with_detail(c.chars().take(40).collect::<String>()));
        }
        Ok(())
    }
}

impl BallotFields {
    pub fn check(&self, rules: &RenovationRules) -> Result<(), RuleError> {
        if !self.agree && !self.items.is_empty() {
            return Err(super::tally::disagree_with_items("items".into()));
        }
        if self.items.len() > rules.menu_max_items as usize {
            return Err(RuleError::field(ErrorCode::OutOfRange, "items")
                .with_detail(format!("≤ {}", rules.menu_max_items)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn an_electorate_reads_and_writes_the_same_json() {
        let id = Uuid::from_u128(7);
        for (e, json) in [
            (
                Electorate::Compound,
                serde_json::json!({"scope": "compound"}),
            ),
            (
                Electorate::Building { id },
                serde_json::json!({"scope": "building", "id": id}),
            ),
            (
                Electorate::Unit { id },
                serde_json::json!({"scope": "unit", "id": id}),
            ),
        ] {
            assert_eq!(serde_json::to_value(e).unwrap(), json);
            assert_eq!(serde_json::from_value::<Electorate>(json).unwrap(), e);
        }
        let no_id = serde_json::from_value::<Electorate>(serde_json::json!({"scope": "unit"}));
        assert!(
            no_id
                .unwrap_err()
                .to_string()
                .contains("missing field `id`")
        );
        assert!(
            serde_json::from_value::<Electorate>(serde_json::json!({"scope": "street"})).is_err()
        );
    }

    fn project() -> ProjectFields {
        ProjectFields {
            compound_id: Uuid::nil(),
            name: "幸福里综合整治".into(),
            kind: RenovationKind::Comprehensive,
            year_built: Some(1995),
            dangerous_c: 0,
            dangerous_d: 0,
            survey_opens: Date::parse("2026-05-06").unwrap(),
            survey_closes: Date::parse("2026-05-15").unwrap(),
            grace_days: 3,
            show_running_results: false,
            notice_posted: None,
            design_notice_posted: None,
            consultation_rounds: vec![],
            representative_meeting: None,
            return_rate_pct: None,
        }
    }

    #[test]
    fn codes_are_read_as_people_type_them() {
        assert_eq!(
            canonical_code(" abcd-efgh jkmn\u{3000}pq0o "),
            "ABCDEFGHJKMNPQ00"
        );
        assert_eq!(canonical_code("ilIL"), "1111");
    }

    #[test]
    fn catalogue_has_the_twenty_items_of_r2() {
        let c = catalogue();
        assert_eq!(c.len(), 20);
        assert_eq!(c.iter().filter(|i| i.class == ItemClass::Basic).count(), 8);
        assert_eq!(
            c.iter()
                .filter(|i| i.class == ItemClass::Improvement)
                .count(),
            7
        );
        assert_eq!(
            c.iter().filter(|i| i.class == ItemClass::Upgrade).count(),
            5
        );
        assert!(c.iter().all(|i| (1..=20).contains(&i.no)));
    }

    #[test]
    fn the_name_table_agrees_with_the_catalogue() {
        let names: Vec<(String, String, String)> = catalogue()
            .into_iter()
            .map(|i| (i.id, i.zh, i.en))
            .collect();
        let table: Vec<(String, String, String)> = CATALOGUE_NAMES
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(table, names);
        assert_eq!(catalogue_english("road", "路面"), Some("Road surface"));
        // Renamed by staff: no longer the catalogue's item, so no catalogue English.
        assert_eq!(catalogue_english("road", "小区主路"), None);
    }

    #[test]
    fn ballot_timing_open_close_and_grace() {
        let p = project();
        let day = 86_400_000u64;
        let opens = start_of_day_ms(p.survey_opens) as u64;
        let closes = end_of_day_ms(p.survey_closes) as u64;
        assert_eq!(
            p.check_ballot_timing(opens - 1, opens, None)
                .unwrap_err()
                .code,
            ErrorCode::SurveyNotOpen
        );
        assert!(p.check_ballot_timing(opens, opens, None).is_ok());
        assert!(p.check_ballot_timing(closes - 1, closes - 1, None).is_ok());
        assert_eq!(
            p.check_ballot_timing(closes, closes, None)
                .unwrap_err()
                .code,
            ErrorCode::SurveyClosed
        );
        // Cast offline before the close, arriving two days later: inside the 3-day grace period.
        assert!(
            p.check_ballot_timing(closes - 1, closes + 2 * day, None)
                .is_ok()
        );
        assert_eq!(
            p.check_ballot_timing(closes - 1, closes + 3 * day, None)
                .unwrap_err()
                .code,
            ErrorCode::ArrivedTooLate
        );
        // Received after the close: believed from a phone not in touch since the close (its last contact
        // a minute before it), refused from one that was (a minute after), however early it claims.
        assert!(
            p.check_ballot_timing(closes - 1, closes + day, Some(closes - 60_000))
                .is_ok()
        );
        assert_eq!(
            p.check_ballot_timing(opens, closes + day, Some(closes + 60_000))
                .unwrap_err()
                .code,
            ErrorCode::ContactedSinceClose
        );
        // Before the close, contact does not matter.
        assert!(
            p.check_ballot_timing(closes - 10, closes - 1, Some(closes - 5))
                .is_ok()
        );
        // 2026-05-15 ends at 16:00 UTC.
        assert_eq!(closes, 1_778_860_800_000);
    }

    #[test]
    fn notice_of_five_working_days() {
        let rules = RuleSet::default().renovation;
        // Posted Thu 30 Apr 2026: 30 Apr, (1–5 May off), 6, 7, 8 May, Sat 9 May (make-up day) → ends 9 May.
        let (end, official) = notice_end(
            &Calendar::china(),
            &rules,
            Date::parse("2026-04-30").unwrap(),
        )
        .unwrap();
        assert_eq!((end.to_string().as_str(), official), ("2026-05-09", true));
    }

    #[test]
    fn project_checks() {
        let rules = RuleSet::default();
        let mut p = project();
        assert!(p.check(&rules.roster, &rules.renovation).is_ok());
        assert!(p.is_priority(&rules.renovation));
        p.survey_closes = Date::parse("2026-05-01").unwrap();
        assert_eq!(
            p.check(&rules.roster, &rules.renovation)
                .unwrap_err()
                .field
                .as_deref(),
            Some("survey_closes")
        );
        p = project();
        p.grace_days = 999;
        assert_eq!(
            p.check(&rules.roster, &rules.renovation)
                .unwrap_err()
                .field
                .as_deref(),
            Some("grace_days")
        );
        p = project();
        p.year_built = Some(2010);
        assert!(!p.is_priority(&rules.renovation));
    }
}
