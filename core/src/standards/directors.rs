//! M5: the directors' monthly meeting (社区主任例会, 000 五6 「每月第四周的周五上午九点召开社区主任例会」,
//! 「遇到节假日另行通知」; RULES M5, STANDARDS.md ZZ-FUND-6 and §5.11): the day it falls on each month, as
//! a dated duty on the due list.
//!
//! "第四周的周五" is read one of two ways (the rule set's `standards.directors_meeting_week`):
//! `calendar_week` (the default, the text's words) — the weeks run Monday to Sunday and the first is the
//! one holding the 1st, so in a month that starts on a Saturday the meeting is on the 3rd Friday; or
//! `fourth_friday` — the month's 4th Friday. On a holiday the seed says the date is notified separately:
//! the day is given with the holiday's name and no other day is invented.

use crate::calendar::Calendar;
use crate::date::{Date, Weekday};
use serde::{Deserialize, Serialize};

/// How "the Friday of the 4th week" is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FourthWeek {
    /// Weeks Monday–Sunday, the first holding the 1st.
    #[default]
    CalendarWeek,
    /// The month's 4th Friday.
    FourthFriday,
}

/// One month's meeting day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectorsMeeting {
    /// The Friday, at 09:00.
    pub date: Date,
    /// The holiday it falls on, when it does (then the day is notified separately, 另行通知).
    pub holiday: Option<String>,
}

fn weekday_index(d: Date) -> i64 {
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

/// The meeting day of `year`-`month` under `reading`, with the holiday it falls on (from `calendar`).
pub fn directors_meeting(
    year: i32,
    month: u32,
    reading: FourthWeek,
    calendar: &Calendar,
) -> Option<DirectorsMeeting> {
    let first = Date::from_ymd(year, month, 1)?;
    let date = match reading {
        // The Monday of the week holding the 1st, its Friday, three weeks on.
        FourthWeek::CalendarWeek => first.add_days(-weekday_index(first) + 4 + 21),
        // The first Friday, three weeks on.
        FourthWeek::FourthFriday => first.add_days((4 - weekday_index(first)).rem_euclid(7) + 21),
    };
    let day = calendar.day(date);
    let holiday = (!day.working).then(|| day.name.unwrap_or_default());
    Some(DirectorsMeeting { date, holiday })
}

/// The next meeting on or after `today`: this month's, or next month's once this month's is past.
pub fn next_directors_meeting(
    today: Date,
    reading: FourthWeek,
    calendar: &Calendar,
) -> Option<DirectorsMeeting> {
    let (y, m, _) = today.ymd();
    let this = directors_meeting(y, m, reading, calendar)?;
    if this.date >= today {
        return Some(this);
    }
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    directors_meeting(ny, nm, reading, calendar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// Hand-worked: August 2026 starts on a Saturday. Week 1 is 27 July – 2 August, so week 4 is 17–23
    /// August and its Friday the 21st; the 4th Friday is the 28th (Fridays 7, 14, 21, 28). December 2026
    /// starts on a Tuesday: week 1 is 30 November – 6 December, the Friday of week 4 is the 25th, which is
    /// also the 4th Friday (4, 11, 18, 25).
    #[test]
    fn the_two_readings_of_the_fourth_week() {
        let cal = Calendar::china();
        let on = |y, m, r| directors_meeting(y, m, r, &cal).unwrap().date;
        assert_eq!(on(2026, 8, FourthWeek::CalendarWeek), d("2026-08-21"));
        assert_eq!(on(2026, 8, FourthWeek::FourthFriday), d("2026-08-28"));
        assert_eq!(on(2026, 12, FourthWeek::CalendarWeek), d("2026-12-25"));
        assert_eq!(on(2026, 12, FourthWeek::FourthFriday), d("2026-12-25"));
        for m in 1..=12 {
            let date = on(2026, m, FourthWeek::CalendarWeek);
            assert_eq!(date.weekday(), Weekday::Fri);
            assert_eq!(date.ymd().1, m, "in its own month");
        }
        // After this month's meeting, the next is next month's; on the day, it is that day's.
        let next = |t| {
            next_directors_meeting(d(t), FourthWeek::CalendarWeek, &cal)
                .unwrap()
                .date
        };
        assert_eq!(next("2026-12-25"), d("2026-12-25"));
        assert_eq!(next("2026-12-26"), d("2027-01-22"));
    }

    /// A meeting day on an official holiday is named (另行通知), from the official calendar: February 2026
    /// starts on a Sunday, so week 1 is 26 January – 1 February and week 4's Friday is the 20th, in the
    /// Spring Festival holiday (15–23 February); under the 4th-Friday reading it is the 27th, a working
    /// day. September 2026's is the 25th under both, the Mid-Autumn Festival.
    #[test]
    fn a_holiday_is_named() {
        let cal = Calendar::china();
        let feb = directors_meeting(2026, 2, FourthWeek::CalendarWeek, &cal).unwrap();
        assert_eq!(feb.date, d("2026-02-20"));
        assert_eq!(feb.holiday.as_deref(), Some("春节"));
        let feb4 = directors_meeting(2026, 2, FourthWeek::FourthFriday, &cal).unwrap();
        assert_eq!((feb4.date, feb4.holiday), (d("2026-02-27"), None));
        let sep = directors_meeting(2026, 9, FourthWeek::FourthFriday, &cal).unwrap();
        assert_eq!(
            (sep.date, sep.holiday.as_deref()),
            (d("2026-09-25"), Some("中秋节"))
        );
    }
}
