//! Calendar sub-periods (周期) of a year for the cadence rows: months, quarters, half-years,
//! half-months, ISO weeks and days, each with its label and first and last day.
//!
//! Labels: `2026-03` (month), `2026-Q1`, `2026-H1`, `2026-03a` / `2026-03b` (1st–15th, 16th–end),
//! `2026-W05` (ISO week: Monday–Sunday, the year's weeks being those whose Thursday falls in it),
//! `2026-03-05` (day). A sub-period is **completed** at `as_of` when its last day is before `as_of` (the
//! day `as_of` itself is still going on), **current** when it contains `as_of`.

use super::catalogue::Period;
use crate::date::{Date, Weekday};

/// One sub-period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubPeriod {
    pub label: String,
    pub first: Date,
    pub last: Date,
}

fn month_end(y: i32, m: u32) -> Date {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    Date::from_ymd(ny, nm, 1).expect("valid").add_days(-1)
}

fn ymd(y: i32, m: u32, d: u32) -> Date {
    Date::from_ymd(y, m, d).expect("valid date")
}

/// The Monday of ISO week 1 of `year` (the week with the year's first Thursday).
fn iso_week_one(year: i32) -> Date {
    let jan4 = ymd(year, 1, 4);
    jan4.add_days(-(weekday_index(jan4) as i64))
}

/// Monday 0 … Sunday 6.
fn weekday_index(d: Date) -> u32 {
    match d.weekday() {
        Weekday::Mon => 0,
        Weekday::Tue => 1,
        Weekday::Wed => 2,
        Weekday::Thu => 3,
        Weekday::Fri => 4,
        Weekday::Sat => 5,
        Weekday::Sun => 6,
    }
}

/// The sub-periods of `year` for a cadence's period, in order; `None` for a period that does not repeat
/// within a year.
pub fn sub_periods(period: Period, year: i32) -> Option<Vec<SubPeriod>> {
    let mut out = Vec::new();
    match period {
        Period::Month => {
            for m in 1..=12 {
                out.push(SubPeriod {
                    label: format!("{year}-{m:02}"),
                    first: ymd(year, m, 1),
                    last: month_end(year, m),
                });
            }
        }
        Period::HalfMonth => {
            for m in 1..=12 {
                out.push(SubPeriod {
                    label: format!("{year}-{m:02}a"),
                    first: ymd(year, m, 1),
                    last: ymd(year, m, 15),
                });
                out.push(SubPeriod {
                    label: format!("{year}-{m:02}b"),
                    first: ymd(year, m, 16),
                    last: month_end(year, m),
                });
            }
        }
        Period::Quarter => {
            for q in 1..=4u32 {
                out.push(SubPeriod {
                    label: format!("{year}-Q{q}"),
                    first: ymd(year, 3 * q - 2, 1),
                    last: month_end(year, 3 * q),
                });
            }
        }
        Period::HalfYear => {
            for h in 1..=2u32 {
                out.push(SubPeriod {
                    label: format!("{year}-H{h}"),
                    first: ymd(year, 6 * h - 5, 1),
                    last: month_end(year, 6 * h),
                });
            }
        }
        Period::Week => {
            let mut monday = iso_week_one(year);
            let next = iso_week_one(year + 1);
            let mut n = 1;
            while monday < next {
                out.push(SubPeriod {
                    label: format!("{year}-W{n:02}"),
                    first: monday,
                    last: monday.add_days(6),
                });
                monday = monday.add_days(7);
                n += 1;
            }
        }
        Period::Day => {
            let mut d = ymd(year, 1, 1);
            while d.year() == year {
                out.push(SubPeriod {
                    label: d.to_string(),
                    first: d,
                    last: d,
                });
                d = d.add_days(1);
            }
        }
        _ => return None,
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn calendar_sub_periods() {
        let q = sub_periods(Period::Quarter, 2026).unwrap();
        assert_eq!(
            (q[0].label.as_str(), q[0].first, q[0].last),
            ("2026-Q1", d("2026-01-01"), d("2026-03-31"))
        );
        let h = sub_periods(Period::HalfMonth, 2024).unwrap();
        assert_eq!(h.len(), 24);
        assert_eq!(
            (h[3].label.as_str(), h[3].last),
            ("2024-02b", d("2024-02-29"))
        );
        // 2026: 1 January is a Thursday, so week 1 starts on Monday 29 December 2025; 2026 has 53 weeks.
        let w = sub_periods(Period::Week, 2026).unwrap();
        assert_eq!((w[0].first, w.len()), (d("2025-12-29"), 53));
        assert_eq!(w[52].last, d("2027-01-03"));
        assert_eq!(sub_periods(Period::Day, 2024).unwrap().len(), 366);
        assert_eq!(
            sub_periods(Period::HalfYear, 2026).unwrap()[1].first,
            d("2026-07-01")
        );
        assert!(sub_periods(Period::Year, 2026).is_none());
    }
}
