//! The roster's records (RULES H1): compound → building → unit → household, as plain types with their field checks.

use crate::error::{ErrorCode, RuleError};
use crate::rules::RosterRules;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use uuid::Uuid;

/// A residential compound (小区), the unit a renovation project covers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompoundFields {
    pub name: String,
    #[serde(default)]
    pub address: String,
    /// Year built; RULES R3 gives priority to compounds built before the end of 2000.
    #[serde(default)]
    pub year_built: Option<u16>,
}

/// A building (楼栋) of a compound.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuildingFields {
    pub compound_id: Uuid,
    pub name: String,
}

/// A stairwell unit (单元) of a building.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFields {
    pub building_id: Uuid,
    pub name: String,
}

fn one() -> u32 {
    1
}

/// A household (户) behind one door, with the floor area and owner count that votes are weighed by (R9).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdFields {
    pub unit_id: Uuid,
    /// Door number (门牌号), e.g. "101".
    pub door: String,
    /// Exclusive floor area in square metres (专有部分面积).
    pub area_m2: f64,
    /// Number of owners counted by headcount; 1 unless known otherwise.
    #[serde(default = "one")]
    pub owners: u32,
}

/// Unicode format characters (category Cf): zero-width spaces and joiners, direction marks and overrides,
/// the byte-order mark, invisible operators, tags. A name made of them looks empty or reads backwards.
pub fn is_format_char(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}' | '\u{180E}'
        | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Checks a text field: required or not, its length, no control or invisible formatting characters.
pub fn check_text(value: &str, field: &str, max: usize, required: bool) -> Result<(), RuleError> {
    let trimmed = value.trim();
    if required && trimmed.is_empty() {
        return Err(RuleError::field(ErrorCode::Required, field));
    }
    if value.chars().count() > max {
        return Err(RuleError::field(ErrorCode::TooLong, field).with_detail(max.to_string()));
    }
    if value.chars().any(is_format_char) {
        return Err(RuleError::field(ErrorCode::InvisibleCharacters, field));
    }
    if value.chars().any(|c| c.is_control()) {
        return Err(
            RuleError::field(ErrorCode::InvalidRequest, field).with_detail("control characters")
        );
    }
    Ok(())
}

impl CompoundFields {
    pub fn check(&self, r: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", r.name_max_chars, true)?;
        check_text(&self.address, "address", r.address_max_chars, false)?;
        if let Some(y) = self.year_built
            && !(r.year_built_min..=r.year_built_max).contains(&y)
        {
            return Err(RuleError::field(ErrorCode::OutOfRange, "year_built")
                .with_detail(format!("{}–{}", r.year_built_min, r.year_built_max)));
        }
        Ok(())
    }
}

impl BuildingFields {
    pub fn check(&self, r: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", r.name_max_chars, true)
    }
}

impl UnitFields {
    pub fn check(&self, r: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.name, "name", r.name_max_chars, true)
    }
}

impl HouseholdFields {
    pub fn check(&self, r: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.door, "door", r.door_max_chars, true)?;
        if !self.area_m2.is_finite() || self.area_m2 < r.area_m2_min || self.area_m2 > r.area_m2_max
        {
            return Err(RuleError::field(ErrorCode::OutOfRange, "area_m2")
                .with_detail(format!("{}–{} m²", r.area_m2_min, r.area_m2_max)));
        }
        if !(r.owners_min..=r.owners_max).contains(&self.owners) {
            return Err(RuleError::field(ErrorCode::OutOfRange, "owners")
                .with_detail(format!("{}–{}", r.owners_min, r.owners_max)));
        }
        Ok(())
    }

    /// The door number as compared for uniqueness within a unit: NFKC-normalised (「１０１」, 「①0①」 and
    /// 「101」 are one door), trimmed, case-folded.
    ///
    /// With the `nfkc` feature (the server, which decides) this is full NFKC. Without it (the app, where
    /// NFKC's tables would cost 31 KB gzipped) only the forms a phone's keyboard produces are folded:
    /// full-width letters, digits and the ideographic space, which is NFKC on them. A rarer compatibility
    /// form (「①」) then passes the device's own check and is refused by the server at sync, with the
    /// same `door_taken`.
    pub fn door_key(door: &str) -> String {
        #[cfg(feature = "nfkc")]
        let folded = icu_normalizer::ComposingNormalizerBorrowed::new_nfkc()
            .normalize(door)
            .into_owned();
        #[cfg(not(feature = "nfkc"))]
        let folded: String = door
            .chars()
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                '\u{3000}' => ' ',
                c => c,
            })
            .collect();
        folded.trim().to_lowercase()
    }
}

/// Views of the merged roster, as the app lists them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Compound {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: CompoundFields,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Building {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: BuildingFields,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Unit {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: UnitFields,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Household {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: HouseholdFields,
}

/// Compares names as people expect: "2号楼" before "10号楼", "101" before "1001".
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let mut na = String::new();
                while let Some(c) = a.peek().copied().filter(char::is_ascii_digit) {
                    na.push(c);
                    a.next();
                }
                let mut nb = String::new();
                while let Some(c) = b.peek().copied().filter(char::is_ascii_digit) {
                    nb.push(c);
                    b.next();
                }
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let ord = ta
                    .len()
                    .cmp(&tb.len())
                    .then_with(|| ta.cmp(tb))
                    .then_with(|| na.len().cmp(&nb.len()));
                if ord != Ordering::Equal {
                    return ord;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a.next();
                b.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order() {
        let mut v = vec!["10号楼", "2号楼", "1号楼", "1001", "101", "A"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["1号楼", "2号楼", "10号楼", "101", "1001", "A"]);
    }

    #[test]
    fn household_checks_name_the_field() {
        let r = crate::rules::RuleSet::default().roster;
        let mut h = HouseholdFields {
            unit_id: Uuid::nil(),
            door: "101".into(),
            area_m2: 72.5,
            owners: 2,
        };
        assert!(h.check(&r).is_ok());
        h.area_m2 = f64::NAN;
        assert_eq!(h.check(&r).unwrap_err().field.as_deref(), Some("area_m2"));
        h.area_m2 = 0.0;
        assert_eq!(h.check(&r).unwrap_err().code, ErrorCode::OutOfRange);
        h.area_m2 = 60.0;
        h.door = "   ".into();
        assert_eq!(
            h.check(&r).unwrap_err(),
            RuleError::field(ErrorCode::Required, "door")
        );
        h.door = "1".repeat(21);
        assert_eq!(h.check(&r).unwrap_err().code, ErrorCode::TooLong);
        h.door = "\u{200B}\u{202E}".into();
        assert_eq!(
            h.check(&r).unwrap_err(),
            RuleError::field(ErrorCode::InvisibleCharacters, "door")
        );
        assert_eq!(HouseholdFields::door_key(" １０１Ａ "), "101a");
        assert_eq!(HouseholdFields::door_key("\u{3000}1０1\u{3000}"), "101");
        // Full NFKC (the server's `nfkc` feature): circled and superscript digits, Roman numerals, ligatures.
        if cfg!(feature = "nfkc") {
            assert_eq!(HouseholdFields::door_key("①0①"), "101");
            assert_eq!(HouseholdFields::door_key("10¹"), "101");
            assert_eq!(HouseholdFields::door_key("Ⅻ"), "xii");
            assert_eq!(HouseholdFields::door_key("ﬁ"), "fi");
        }
        assert_ne!(
            HouseholdFields::door_key("101"),
            HouseholdFields::door_key("102")
        );
        h.door = "1".into();
        h.owners = 0;
        assert_eq!(h.check(&r).unwrap_err().field.as_deref(), Some("owners"));
    }
}
