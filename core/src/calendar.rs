//! The official working-day calendar (RULES R6): national holidays and make-up working days, loaded from data.

use crate::date::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The facts of mainland China's calendar as published by the State Council, embedded from `core/data/`.
const CN_CALENDAR_JSON: &str = include_str!("../data/cn-calendar.json");

/// Longest span a single calendar question may walk, so that a typo cannot make it loop for ever.
pub const MAX_SPAN_DAYS: u32 = 3660;

#[derive(Deserialize)]
struct CalendarFile {
    years: BTreeMap<String, YearFile>,
}

#[derive(Deserialize)]
struct YearFile {
    holidays: Vec<HolidayFile>,
    makeup_workdays: Vec<MakeupFile>,
}

#[derive(Deserialize)]
struct HolidayFile {
    name: String,
    from: Date,
    to: Date,
}

#[derive(Deserialize)]
struct MakeupFile {
    date: Date,
    #[serde(rename = "for")]
    for_holiday: String,
}

/// What kind of day a date is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    Weekday,
    Weekend,
    Holiday,
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeupWorkday,
}

/// The answer for one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    pub working: bool,
    pub kind: DayKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// False where the year has no official data and the answer rests on the Monday–Friday rule alone.
    pub official: bool,
}

/// A working-day calendar: the years it knows officially, and the special days in them.
#[derive(Clone, Debug)]
pub struct Calendar {
    years: Vec<i32>,
    special: HashMap<Date, (DayKind, String)>,
}

/// Why calendar data could not be loaded.
#[derive(Debug)]
pub struct CalendarDataError(pub String);

impl Calendar {
    /// Loads a calendar from JSON of the shape of `core/data/cn-calendar.json`.
    pub fn from_json(json: &str) -> Result<Calendar, CalendarDataError> {
        let file: CalendarFile =
            serde_json::from_str(json).map_err(|e| CalendarDataError(e.to_string()))?;
        let mut years = Vec::new();
        let mut special = HashMap::new();
        for (y, data) in file.years {
            let year: i32 = y
                .parse()
                .map_err(|_| CalendarDataError(format!("bad year {y}")))?;
            years.push(year);
            for h in data.holidays {
                let mut d = h.from;
                while d <= h.to {
                    special.insert(d, (DayKind::Holiday, h.name.clone()));
                    d = d
                        .succ()
                        .ok_or_else(|| CalendarDataError("holiday past 2200".into()))?;
                }
            }
            for m in data.makeup_workdays {
                if !matches!(m.date.weekday(), Weekday::Sat | Weekday::Sun) {
                    return Err(CalendarDataError(format!(
                        "make-up day {} is not a weekend",
                        m.date
                    )));
                }
                special.insert(m.date, (DayKind::MakeupWorkday, m.for_holiday));
            }
        }
        Ok(Calendar { years, special })
    }

    /// Mainland China's official calendar as far as the embedded data goes.
    pub fn china() -> Calendar {
        Calendar::from_json(CN_CALENDAR_JSON).expect("embedded calendar data is valid (tested)")
    }

    /// Whether the year has official data.
    pub fn is_official(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    pub fn day(&self, date: Date) -> DayInfo {
        let official = self.is_official(date.year());
        if let Some((kind, name)) = self.special.get(&date) {
            return DayInfo {
                working: *kind == DayKind::MakeupWorkday,
                kind: *kind,
                name: Some(name.clone()),
                official,
            };
        }
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        DayInfo {
            working: !weekend,
            kind: if weekend {
                DayKind::Weekend
            } else {
                DayKind::Weekday
            },
            name: None,
            official,
        }
    }

    /// The `days`-th working day counting `start` itself when it is one (R6: a notice posted on `start`
    /// for `days` working days is up until the end of the returned date). Returns the date and whether
    /// every day walked lies in an officially known year. `None` if `days` is 0 or the walk leaves the range.
    pub fn add_working_days(&self, start: Date, days: u32) -> Option<(Date, bool)> {
        if days == 0 || days > MAX_SPAN_DAYS {
            return None;
        }
        let mut official = true;
        let mut left = days;
        let mut d = start;
        loop {
            let info = self.day(d);
            official &= info.official;
            if info.working {
                left -= 1;
                if left == 0 {
                    return Some((d, official));
                }
            }
            d = d.succ()?;
        }
    }

    /// Working days in the closed range `from..=to` (0 if `to` is before `from`), and whether all of it is official.
    pub fn working_days_between(&self, from: Date, to: Date) -> (u32, bool) {
        let mut n = 0;
        let mut official = true;
        let mut d = from;
        while d <= to {
            let info = self.day(d);
            official &= info.official;
            n += info.working as u32;
            match d.succ() {
                Some(next) => d = next,
                None => break,
            }
        }
        (n, official)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn national_day_2026_and_makeup_days() {
        let c = Calendar::china();
        // R6: five working days from Mon 28 Sep 2026: 28, 29, 30 Sep, then 1–7 Oct off, 8 and 9 Oct.
        assert_eq!(
            c.add_working_days(d("2026-09-28"), 5),
            Some((d("2026-10-09"), true))
        );
        // Sat 10 Oct 2026 is a make-up working day.
        let info = c.day(d("2026-10-10"));
        assert!(info.working);
        assert_eq!(info.kind, DayKind::MakeupWorkday);
        assert_eq!(
            c.add_working_days(d("2026-10-09"), 2),
            Some((d("2026-10-10"), true))
        );
        // Sun 20 Sep 2026 too.
        assert!(c.day(d("2026-09-20")).working);
        assert_eq!(c.day(d("2026-10-01")).kind, DayKind::Holiday);
        assert_eq!(c.day(d("2026-10-01")).name.as_deref(), Some("国庆节"));
    }

    #[test]
    fn spring_festival_2025() {
        let c = Calendar::china();
        assert!(c.day(d("2025-01-26")).working, "Sunday make-up day");
        assert!(!c.day(d("2025-02-03")).working, "Monday in the holiday");
        // Posted Fri 24 Jan 2025: 24, Sun 26 (make-up), 27, then 28 Jan–4 Feb off, Wed 5, Thu 6.
        assert_eq!(
            c.add_working_days(d("2025-01-24"), 5),
            Some((d("2025-02-06"), true))
        );
    }

    #[test]
    fn start_on_rest_day_is_not_counted() {
        let c = Calendar::china();
        // Sat 21 Nov 2026 is a rest day: the first working day is Mon 23.
        assert_eq!(
            c.add_working_days(d("2026-11-21"), 1),
            Some((d("2026-11-23"), true))
        );
    }

    #[test]
    fn unknown_years_are_flagged() {
        let c = Calendar::china();
        let info = c.day(d("2027-10-01"));
        assert!(!info.official);
        assert!(info.working, "Friday by the Monday–Friday rule");
        // A notice straddling into 2027 is flagged.
        assert_eq!(
            c.add_working_days(d("2026-12-28"), 5),
            Some((d("2027-01-01"), false))
        );
        assert_eq!(
            c.add_working_days(d("2026-12-21"), 5),
            Some((d("2026-12-25"), true))
        );
    }

    #[test]
    fn between_counts_closed_range() {
        let c = Calendar::china();
        assert_eq!(
            c.working_days_between(d("2026-09-28"), d("2026-10-09")),
            (5, true)
        );
        assert_eq!(
            c.working_days_between(d("2026-10-09"), d("2026-10-01")),
            (0, true)
        );
        assert_eq!(
            c.working_days_between(d("2026-11-23"), d("2026-11-23")),
            (1, true)
        );
    }

    #[test]
    fn zero_or_huge_spans_are_refused() {
        let c = Calendar::china();
        assert_eq!(c.add_working_days(d("2026-01-05"), 0), None);
        assert_eq!(c.add_working_days(d("2026-01-05"), MAX_SPAN_DAYS + 1), None);
    }

    #[test]
    fn bad_data_is_refused() {
        let bad = r#"{"years":{"2030":{"holidays":[],"makeup_workdays":[{"date":"2030-01-02","for":"x"}]}}}"#;
        assert!(
            Calendar::from_json(bad).is_err(),
            "a make-up day on a Wednesday is a data error"
        );
    }
}
