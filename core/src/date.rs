//! A civil (calendar) date without time zone, with the day arithmetic the working-day calendar needs.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A day in the proleptic Gregorian calendar, stored as days since 1970-01-01.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(i32);

/// Day of the week, Monday first (as in China).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

/// Why a date string was not understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError;

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a date as YYYY-MM-DD between 1900 and 2200")
    }
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

impl Date {
    pub const MIN_YEAR: i32 = 1900;
    pub const MAX_YEAR: i32 = 2200;

    /// Builds a date; `None` if the day does not exist or the year is out of range.
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(Self::MIN_YEAR..=Self::MAX_YEAR).contains(&y) || !(1..=12).contains(&m) {
            return None;
        }
        if d == 0 || d > days_in_month(y, m) {
            return None;
        }
        // Howard Hinnant's days_from_civil.
        let y = if m <= 2 { y - 1 } else { y };
        let era = if y >= 0 { y } else { y - 399 } / 400;
        let yoe = y - era * 400;
        let m = m as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date(era * 146_097 + doe - 719_468))
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    pub fn year(self) -> i32 {
        self.ymd().0
    }

    pub fn weekday(self) -> Weekday {
        // 1970-01-01 was a Thursday.
        match (self.0 + 3).rem_euclid(7) {
            0 => Weekday::Mon,
            1 => Weekday::Tue,
            2 => Weekday::Wed,
            3 => Weekday::Thu,
            4 => Weekday::Fri,
            5 => Weekday::Sat,
            _ => Weekday::Sun,
        }
    }

    /// The next day, or `None` past the supported range.
    pub fn succ(self) -> Option<Date> {
        let next = Date(self.0 + 1);
        (next.year() <= Self::MAX_YEAR).then_some(next)
    }

    /// The date `days` later (earlier if negative), kept within the supported range.
    pub fn add_days(self, days: i64) -> Date {
        let min = Date::from_ymd(Self::MIN_YEAR, 1, 1).expect("valid").0 as i64;
        let max = Date::from_ymd(Self::MAX_YEAR, 12, 31).expect("valid").0 as i64;
        Date((self.0 as i64 + days).clamp(min, max) as i32)
    }

    /// The date `ms` milliseconds after the Unix epoch falls on, in China Standard Time (UTC+8).
    pub fn from_unix_ms_cst(ms: i64) -> Date {
        Date(((ms + 8 * 3_600_000).div_euclid(86_400_000)) as i32)
    }

    /// Days from `self` to `other` (negative if `other` is earlier).
    pub fn days_until(self, other: Date) -> i32 {
        other.0 - self.0
    }

    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(DateError);
        }
        let num = |r: std::ops::Range<usize>| -> Result<u32, DateError> {
            s[r].chars()
                .try_fold(0u32, |acc, c| c.to_digit(10).map(|d| acc * 10 + d))
                .ok_or(DateError)
        };
        let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        Date::from_ymd(y as i32, m, d).ok_or(DateError)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_weekdays() {
        let d = Date::parse("2026-09-28").unwrap();
        assert_eq!(d.to_string(), "2026-09-28");
        assert_eq!(d.weekday(), Weekday::Mon);
        assert_eq!(Date::parse("2024-02-29").unwrap().weekday(), Weekday::Thu);
        assert_eq!(Date::parse("1970-01-01").unwrap().weekday(), Weekday::Thu);
        let mut x = Date::parse("2024-12-31").unwrap();
        x = x.succ().unwrap();
        assert_eq!(x.to_string(), "2025-01-01");
    }

    #[test]
    fn rejects_bad_dates() {
        for s in [
            "2025-02-29",
            "2025-13-01",
            "2025-00-10",
            "25-01-01",
            "2025/01/01",
            "",
            "２０２５-01-01",
            "1800-01-01",
        ] {
            assert!(Date::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn china_time_zone_day() {
        // 2026-11-20T16:30:00Z is 2026-11-21 00:30 in Beijing.
        assert_eq!(
            Date::from_unix_ms_cst(1_795_192_200_000).to_string(),
            "2026-11-21"
        );
    }
}
