//! The volunteer figures (V1, V3, V4): one function, [`volunteer_stats`], that the replica's views
//! (`Replica::volunteer_stats`) and the embedding API (`volunteer.stats`) both call.
//!
//! - V1 `registered`: volunteers with status active registered on or before `as_of`; the rate is
//!   registered / population against the rule set's threshold (10%, Shanghai 15%).
//! - V3 `active_by_month`: for each month from January to `as_of`'s month, the registered volunteers with
//!   at least one confirmed entry dated that month, and their share of the registered.
//! - V6 `hours`: each volunteer's confirmed and pending hours from 1 January of `as_of`'s year to
//!   `as_of`; an entry another corrects no longer counts, the correcting one does; declined entries
//!   count nowhere; pending ones only as pending.
//! - V4 `party_students`: registered volunteers who are party members or students, how many of them
//!   have the rule set's hours (20) confirmed this year, and their share against its threshold (85%).
//!
//! Edge cases: a population of 0 is refused (field `population`); a share out of no one is 0 and meets
//! nothing; entries dated after `as_of` are left out.

use super::hours::counting;
use super::records::{EntryStatus, VolunteerStatus};
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::rules::{Fraction, VolunteerRules};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// A volunteer as the figures need them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsVolunteer {
    pub id: String,
    pub registered_on: Date,
    pub status: VolunteerStatus,
    pub party_member: bool,
    pub student: bool,
}

/// A service entry as the figures need it, with its effective status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsEntry {
    pub id: String,
    pub volunteer_id: String,
    pub date: Date,
    pub minutes: u32,
    pub status: EntryStatus,
    /// The entry this one replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub corrects: Option<String>,
}

/// The figures' input. Entries in the order they were made (a later correction of the same entry wins).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StatsInput {
    pub as_of: Date,
    pub population: u64,
    pub volunteers: Vec<StatsVolunteer>,
    pub entries: Vec<StatsEntry>,
}

/// A share against a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub value: f64,
    pub threshold: f64,
    pub met: bool,
}

/// V3: one month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthActivity {
    /// "YYYY-MM".
    pub month: String,
    pub active: u64,
    pub share: f64,
}

/// V6: one volunteer's hours in the year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerHours {
    pub volunteer_id: String,
    pub confirmed_hours: f64,
    pub pending_hours: f64,
    pub confirmed_minutes: u64,
    pub pending_minutes: u64,
}

/// V4.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartyStudents {
    pub members: u64,
    /// Of them, those with at least `hours_min` confirmed hours this year.
    pub with_20_hours: u64,
    pub hours_min: u32,
    pub share: f64,
    pub threshold: f64,
    pub met: bool,
}

/// The figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VolunteerStats {
    pub registered: u64,
    pub rate: Rate,
    pub active_by_month: Vec<MonthActivity>,
    pub hours: Vec<VolunteerHours>,
    pub party_students: PartyStudents,
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn fraction_value(f: Fraction) -> f64 {
    f.num as f64 / f.den as f64
}

/// "YYYY-MM" of a date.
pub fn month_of(d: Date) -> String {
    let (y, m, _) = d.ymd();
    format!("{y:04}-{m:02}")
}

/// Confirmed and pending minutes of the entries that count, per volunteer and month, from 1 January of
/// `as_of`'s year to `as_of` (V6): superseded and declined entries count nowhere.
pub fn minutes_by_month(entries: &[StatsEntry], as_of: Date) -> HashMap<(String, u32), (u64, u64)> {
    let keys: Vec<(&str, Option<&str>)> = entries
        .iter()
        .map(|e| (e.id.as_str(), e.corrects.as_deref()))
        .collect();
    let counts = counting(&keys);
    let mut out: HashMap<(String, u32), (u64, u64)> = HashMap::new();
    for (e, c) in entries.iter().zip(counts) {
        let (y, m, _) = e.date.ymd();
        if !c || y != as_of.year() || e.date > as_of {
            continue;
        }
        let slot = out.entry((e.volunteer_id.clone(), m)).or_default();
        match e.status {
            EntryStatus::Confirmed => slot.0 += e.minutes as u64,
            EntryStatus::Pending => slot.1 += e.minutes as u64,
            EntryStatus::Declined => {}
        }
    }
    out
}

/// The figures of V1, V3, V4 and V6 (see the module's documentation), against the rule set.
pub fn volunteer_stats(
    input: &StatsInput,
    rules: &VolunteerRules,
) -> Result<VolunteerStats, RuleError> {
    if input.population == 0 {
        return Err(RuleError::field(ErrorCode::OutOfRange, "population").with_detail("≥ 1"));
    }
    let mut ids = HashSet::new();
    for (i, v) in input.volunteers.iter().enumerate() {
        if !ids.insert(v.id.as_str()) {
            return Err(
                RuleError::field(ErrorCode::InvalidRequest, format!("volunteers[{i}].id"))
                    .with_detail("each volunteer once"),
            );
        }
    }
    let entry_ids: HashSet<&str> = input.entries.iter().map(|e| e.id.as_str()).collect();
    if entry_ids.len() != input.entries.len() {
        let mut seen = HashSet::new();
        let i = input
            .entries
            .iter()
            .position(|e| !seen.insert(e.id.as_str()))
            .unwrap_or(0);
        return Err(
            RuleError::field(ErrorCode::InvalidRequest, format!("entries[{i}].id"))
                .with_detail("each entry once"),
        );
    }
    for (i, e) in input.entries.iter().enumerate() {
        if !ids.contains(e.volunteer_id.as_str()) {
            return Err(RuleError::field(
                ErrorCode::NotFound,
                format!("entries[{i}].volunteer_id"),
            ));
        }
        if e.minutes == 0 || e.minutes > rules.day_max_minutes {
            return Err(
                RuleError::field(ErrorCode::OutOfRange, format!("entries[{i}].minutes"))
                    .with_detail(format!("1–{}", rules.day_max_minutes)),
            );
        }
        if let Some(c) = &e.corrects
            && (c == &e.id || !entry_ids.contains(c.as_str()))
        {
            return Err(RuleError::field(
                ErrorCode::NotFound,
                format!("entries[{i}].corrects"),
            ));
        }
    }

    let as_of = input.as_of;
    let registered: Vec<&StatsVolunteer> = input
        .volunteers
        .iter()
        .filter(|v| v.status == VolunteerStatus::Active && v.registered_on <= as_of)
        .collect();
    let n = registered.len() as u64;
    let by_month = minutes_by_month(&input.entries, as_of);

    // V3: months January to as_of's month.
    let (_, last_month, _) = as_of.ymd();
    let active_by_month = (1..=last_month)
        .map(|m| {
            let active = registered
                .iter()
                .filter(|v| by_month.get(&(v.id.clone(), m)).is_some_and(|t| t.0 > 0))
                .count() as u64;
            MonthActivity {
                month: format!("{:04}-{m:02}", as_of.year()),
                active,
                share: ratio(active, n),
            }
        })
        .collect();

    let year_minutes = |id: &str| -> (u64, u64) {
        (1..=12).fold((0, 0), |acc, m| {
            let t = by_month
                .get(&(id.to_string(), m))
                .copied()
                .unwrap_or_default();
            (acc.0 + t.0, acc.1 + t.1)
        })
    };
    let hours = input
        .volunteers
        .iter()
        .map(|v| {
            let (c, p) = year_minutes(&v.id);
            VolunteerHours {
                volunteer_id: v.id.clone(),
                confirmed_hours: c as f64 / 60.0,
                pending_hours: p as f64 / 60.0,
                confirmed_minutes: c,
                pending_minutes: p,
            }
        })
        .collect();

    // V4
    let members: Vec<&&StatsVolunteer> = registered
        .iter()
        .filter(|v| v.party_member || v.student)
        .collect();
    let need = rules.party_student_hours_min as u64 * 60;
    let with_hours = members
        .iter()
        .filter(|v| year_minutes(&v.id).0 >= need)
        .count() as u64;
    let m = members.len() as u64;

    Ok(VolunteerStats {
        registered: n,
        rate: Rate {
            value: ratio(n, input.population),
            threshold: fraction_value(rules.registered_rate_min),
            met: rules
                .registered_rate_min
                .met_by(n as u128, input.population as u128),
        },
        active_by_month,
        hours,
        party_students: PartyStudents {
            members: m,
            with_20_hours: with_hours,
            hours_min: rules.party_student_hours_min,
            share: ratio(with_hours, m),
            threshold: fraction_value(rules.party_student_share_min),
            met: rules
                .party_student_share_min
                .met_by(with_hours as u128, m as u128),
        },
    })
}

// ---------------------------------------------------------------------------------------------
// The embedding API's arguments, read field by field so an error names the field at fault.

fn get<'a>(obj: &'a Value, key: &str, path: &str) -> Result<&'a Value, RuleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(RuleError::field(ErrorCode::Required, path)),
        Some(v) => Ok(v),
    }
}

fn string(obj: &Value, key: &str, path: &str) -> Result<String, RuleError> {
    match get(obj, key, path)? {
        Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
        Value::String(_) => Err(RuleError::field(ErrorCode::Required, path)),
        _ => Err(RuleError::field(ErrorCode::InvalidRequest, path).with_detail("a string")),
    }
}

fn date(obj: &Value, key: &str, path: &str) -> Result<Date, RuleError> {
    match get(obj, key, path)? {
        Value::String(s) => {
            Date::parse(s).map_err(|_| RuleError::field(ErrorCode::InvalidDate, path))
        }
        _ => Err(RuleError::field(ErrorCode::InvalidDate, path)),
    }
}

fn flag(obj: &Value, key: &str, path: &str) -> Result<bool, RuleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(_) => {
            Err(RuleError::field(ErrorCode::InvalidRequest, path).with_detail("true or false"))
        }
    }
}

fn count(obj: &Value, key: &str, path: &str, max: u64) -> Result<u64, RuleError> {
    get(obj, key, path)?
        .as_u64()
        .filter(|n| *n <= max)
        .ok_or_else(|| {
            RuleError::field(ErrorCode::OutOfRange, path).with_detail(format!("0–{max}"))
        })
}

fn list<'a>(obj: &'a Value, key: &str) -> Result<&'a [Value], RuleError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(a)) => Ok(a),
        Some(_) => Err(RuleError::field(ErrorCode::InvalidRequest, key).with_detail("a list")),
    }
}

fn one_of<T: Copy>(
    obj: &Value,
    key: &str,
    path: &str,
    names: &[(&str, T)],
) -> Result<T, RuleError> {
    let s = string(obj, key, path)?;
    names
        .iter()
        .find(|(n, _)| *n == s)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let all: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            RuleError::field(ErrorCode::InvalidRequest, path).with_detail(all.join(" | "))
        })
}

impl StatsInput {
    /// The arguments of `volunteer.stats` (see `embed.rs`), and the name of the rule set they ask for
    /// (`"default"` when absent).
    pub fn from_args(args: &Value) -> Result<(StatsInput, String), RuleError> {
        let as_of = date(args, "as_of", "as_of")?;
        let population = count(args, "population", "population", 1 << 40)?;
        let rule_set = match args.get("rule_set") {
            None | Some(Value::Null) => "default".to_string(),
            Some(_) => string(args, "rule_set", "rule_set")?,
        };
        let statuses = [
            ("active", VolunteerStatus::Active),
            ("pending", VolunteerStatus::Pending),
            ("left", VolunteerStatus::Left),
        ];
        let mut volunteers = Vec::new();
        for (i, v) in list(args, "volunteers")?.iter().enumerate() {
            let p = |k: &str| format!("volunteers[{i}].{k}");
            if !v.is_object() {
                return Err(RuleError::field(
                    ErrorCode::InvalidRequest,
                    format!("volunteers[{i}]"),
                ));
            }
            volunteers.push(StatsVolunteer {
                id: string(v, "id", &p("id"))?,
                registered_on: date(v, "registered_on", &p("registered_on"))?,
                status: one_of(v, "status", &p("status"), &statuses)?,
                party_member: flag(v, "party_member", &p("party_member"))?,
                student: flag(v, "student", &p("student"))?,
            });
        }
        let decisions = [
            ("confirmed", EntryStatus::Confirmed),
            ("pending", EntryStatus::Pending),
            ("declined", EntryStatus::Declined),
        ];
        let mut entries = Vec::new();
        for (i, e) in list(args, "entries")?.iter().enumerate() {
            let p = |k: &str| format!("entries[{i}].{k}");
            if !e.is_object() {
                return Err(RuleError::field(
                    ErrorCode::InvalidRequest,
                    format!("entries[{i}]"),
                ));
            }
            entries.push(StatsEntry {
                id: string(e, "id", &p("id"))?,
                volunteer_id: string(e, "volunteer_id", &p("volunteer_id"))?,
                date: date(e, "date", &p("date"))?,
                minutes: count(e, "minutes", &p("minutes"), u32::MAX as u64)? as u32,
                status: one_of(e, "status", &p("status"), &decisions)?,
                corrects: match e.get("corrects") {
                    None | Some(Value::Null) => None,
                    Some(_) => Some(string(e, "corrects", &p("corrects"))?),
                },
            });
        }
        Ok((
            StatsInput {
                as_of,
                population,
                volunteers,
                entries,
            },
            rule_set,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn vol(id: &str, status: VolunteerStatus, party: bool, student: bool) -> StatsVolunteer {
        StatsVolunteer {
            id: id.into(),
            registered_on: d("2026-01-10"),
            status,
            party_member: party,
            student,
        }
    }

    fn entry(id: &str, v: &str, date: &str, minutes: u32, status: EntryStatus) -> StatsEntry {
        StatsEntry {
            id: id.into(),
            volunteer_id: v.into(),
            date: d(date),
            minutes,
            status,
            corrects: None,
        }
    }

    #[test]
    fn v1_rate_national_and_shanghai() {
        // V1: 23 active registered out of 200 residents = 0.115: met at 10%, not at Shanghai's 15%.
        // Two more are pending, one left, one registered after as_of: none of them counts.
        let mut volunteers: Vec<_> = (0..23)
            .map(|i| vol(&format!("v{i}"), VolunteerStatus::Active, false, false))
            .collect();
        volunteers.push(vol("p1", VolunteerStatus::Pending, false, false));
        volunteers.push(vol("p2", VolunteerStatus::Pending, false, false));
        volunteers.push(vol("l1", VolunteerStatus::Left, false, false));
        let mut late = vol("late", VolunteerStatus::Active, false, false);
        late.registered_on = d("2026-07-01");
        volunteers.push(late);
        let input = StatsInput {
            as_of: d("2026-06-30"),
            population: 200,
            volunteers,
            entries: vec![],
        };
        let s = volunteer_stats(&input, &RuleSet::default().volunteers).unwrap();
        assert_eq!(s.registered, 23);
        assert_eq!(
            s.rate,
            Rate {
                value: 0.115,
                threshold: 0.1,
                met: true
            }
        );
        let sh = volunteer_stats(&input, &RuleSet::named("shanghai").unwrap().volunteers).unwrap();
        assert_eq!(
            sh.rate,
            Rate {
                value: 0.115,
                threshold: 0.15,
                met: false
            }
        );
        // Six months listed, January to June, none active (no entries).
        assert_eq!(s.active_by_month.len(), 6);
        assert_eq!(s.active_by_month[5].month, "2026-06");
        // Population 0 is refused, naming the field.
        let mut zero = input;
        zero.population = 0;
        let e = volunteer_stats(&zero, &RuleSet::default().volunteers).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("population"));
    }

    #[test]
    fn v6_corrections_declined_pending_and_v3_v4() {
        use EntryStatus::*;
        let rules = RuleSet::default().volunteers;
        let volunteers = vec![
            vol("a", VolunteerStatus::Active, true, false), // party member
            vol("b", VolunteerStatus::Active, false, true), // student
            vol("c", VolunteerStatus::Active, false, false),
            vol("d", VolunteerStatus::Pending, true, false), // not registered: not in V4
        ];
        let mut e2 = entry("a2", "a", "2026-02-10", 300, Confirmed);
        e2.corrects = Some("a1".into());
        let mut e3 = entry("a3", "a", "2026-02-10", 240, Confirmed);
        e3.corrects = Some("a2".into());
        let entries = vec![
            // a: 600 min in January; a correction chain a1 (180) ← a2 (300) ← a3 (240) in February:
            // only a3's 240 counts. Year: 600 + 240 = 840 min = 14 h < 20 h.
            entry("a0", "a", "2026-01-05", 600, Confirmed),
            entry("a1", "a", "2026-02-10", 180, Confirmed),
            e2,
            e3,
            // b: 1,200 min confirmed in March (20 h: meets V4), 90 pending, 500 declined.
            entry("b1", "b", "2026-03-01", 600, Confirmed),
            entry("b2", "b", "2026-03-02", 600, Confirmed),
            entry("b3", "b", "2026-03-03", 90, Pending),
            entry("b4", "b", "2026-03-04", 500, Declined),
            // c: pending only in January: not active that month.
            entry("c1", "c", "2026-01-20", 60, Pending),
            // Last year's entry counts nowhere.
            entry("c0", "c", "2025-12-31", 600, Confirmed),
        ];
        let input = StatsInput {
            as_of: d("2026-03-31"),
            population: 100,
            volunteers,
            entries,
        };
        let s = volunteer_stats(&input, &rules).unwrap();
        assert_eq!(s.registered, 3);
        let h: Vec<(&str, u64, u64)> = s
            .hours
            .iter()
            .map(|h| {
                (
                    h.volunteer_id.as_str(),
                    h.confirmed_minutes,
                    h.pending_minutes,
                )
            })
            .collect();
        assert_eq!(
            h,
            [("a", 840, 0), ("b", 1200, 90), ("c", 0, 60), ("d", 0, 0)]
        );
        assert_eq!(s.hours[0].confirmed_hours, 14.0);
        assert_eq!(s.hours[1].pending_hours, 1.5);
        // V3: January a (c only pending) → 1/3; February a → 1/3; March b → 1/3.
        let months: Vec<(&str, u64)> = s
            .active_by_month
            .iter()
            .map(|m| (m.month.as_str(), m.active))
            .collect();
        assert_eq!(months, [("2026-01", 1), ("2026-02", 1), ("2026-03", 1)]);
        assert!((s.active_by_month[0].share - 1.0 / 3.0).abs() < 1e-12);
        // V4: members a and b; only b has 20 h → 1/2 = 0.5 < 0.85.
        assert_eq!(
            s.party_students,
            PartyStudents {
                members: 2,
                with_20_hours: 1,
                hours_min: 20,
                share: 0.5,
                threshold: 0.85,
                met: false
            }
        );
    }
}
