//! Volunteers (志愿者, RULES §3): the community's volunteers (`/volunteers`: register, approve, hours this
//! year) and one volunteer's record (`/volunteer/:id`: hours by month, service entries recorded, confirmed
//! or declined in bulk); its strings; and how its changes are named in the refused list.
//!
//! Every figure and check is the core's (`linli_core::volunteers`); phone and ID numbers are masked with
//! `linli_core::personal` wherever they are listed.

pub mod activities;
pub mod activity;
pub mod certificate;
pub mod detail;
pub mod figures;
pub mod join;
pub mod list;
pub mod me;
pub mod pairs;
pub mod strings;
pub mod teams;
pub mod verify;

use linli_core::Lang;
use linli_core::sync::{Body, Operation};
use strings::Volunteers;

/// A volunteers change for the refused list, e.g. "志愿者 王芳"; `None` for another feature's change.
pub fn describe_op(op: &Operation, lang: Lang) -> Option<String> {
    let (key, name) = match &op.body {
        Body::VolunteerPut(f) => (Volunteers::OpVolunteer, f.name.clone()),
        Body::VolunteerStatus(_) => (Volunteers::OpApproval, String::new()),
        Body::ServiceEntryAdd(f) => (Volunteers::OpEntry, format!("{} {}", f.date, f.content)),
        Body::EntryReviewAdd(_) => (Volunteers::OpReview, String::new()),
        Body::TeamPut(f) => (Volunteers::OpTeam, f.name.clone()),
        Body::ActivityPut(f) => (Volunteers::OpActivity, f.name.clone()),
        Body::SignUpAdd(_) => (Volunteers::OpSignUp, String::new()),
        Body::AttendanceAdd(_) => (Volunteers::OpAttendance, String::new()),
        Body::PairPut(_) => (Volunteers::OpPair, String::new()),
        _ => return None,
    };
    Some(format!("{} {name}", key.text(lang)).trim_end().to_string())
}

/// Minutes as hours for people: 「2.5 小时」, "2.5 h".
pub fn hours(minutes: u64, lang: Lang) -> String {
    let h = minutes as f64 / 60.0;
    let n = if minutes.is_multiple_of(60) {
        format!("{}", minutes / 60)
    } else {
        format!("{h:.1}")
    };
    match lang {
        Lang::Zh => format!("{n} 小时"),
        Lang::En => format!("{n} h"),
    }
}

/// Hours typed by a person ("2", "1.5", "１.５", "2小时") as whole minutes; `None` when not a number.
pub fn parse_hours(s: &str) -> Option<u32> {
    let ascii: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            c => c,
        })
        .collect();
    let num = ascii.trim_end_matches("小时").trim_end_matches('h').trim();
    let h: f64 = num.parse().ok()?;
    (h.is_finite() && (0.0..=48.0).contains(&h)).then(|| (h * 60.0).round() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_read_and_said_as_people_write_them() {
        assert_eq!(parse_hours("2"), Some(120));
        assert_eq!(parse_hours(" 1.5 "), Some(90));
        assert_eq!(parse_hours("１.５"), Some(90));
        assert_eq!(parse_hours("2小时"), Some(120));
        assert_eq!(parse_hours("0.25"), Some(15));
        assert_eq!(parse_hours("两小时"), None);
        assert_eq!(parse_hours("-1"), None);
        assert_eq!(parse_hours("1e9"), None);
        assert_eq!(hours(150, Lang::Zh), "2.5 小时");
        assert_eq!(hours(120, Lang::En), "2 h");
    }
}

/// The feature's pages: the shell's route table names one of these (the volunteer's own phone shows some of
/// them in their `own` form).
#[derive(Clone, Debug)]
pub enum Page {
    List,
    Record(uuid::Uuid),
    /// The record on the volunteer's own phone.
    Own(uuid::Uuid),
    Activities,
    Activity(uuid::Uuid),
    Certificate(String),
    Verify,
    Join(String),
    CheckIn(uuid::Uuid),
    Scan(uuid::Uuid),
}

#[cfg(not(feature = "vote"))]
crate::split!(
    volunteers,
    /// The feature's pages, a Wasm chunk of their own fetched when one of them first opens (issue 8, see
    /// `shell::chunk`).
    pub fn page(page: Page, lang: Lang) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        Ok({
            use leptos::prelude::*;
            match page {
                Page::List => view! { <list::VolunteersPage lang=lang /> }.into_any(),
                Page::Record(id) => view! { <detail::VolunteerPage lang=lang id=id /> }.into_any(),
                Page::Own(id) => {
                    view! { <detail::VolunteerPage lang=lang id=id own=true /> }.into_any()
                }
                Page::Activities => view! { <activities::ActivitiesPage lang=lang /> }.into_any(),
                Page::Activity(id) => {
                    view! { <activity::ActivityPage lang=lang id=id /> }.into_any()
                }
                Page::Certificate(n) => {
                    view! { <certificate::CertificatePage lang=lang number=n /> }.into_any()
                }
                Page::Verify => view! { <verify::VerifyPage lang=lang /> }.into_any(),
                Page::Join(c) => view! { <join::JoinPage lang=lang community=c /> }.into_any(),
                Page::CheckIn(a) => view! { <me::CheckInPage lang=lang activity=a /> }.into_any(),
                Page::Scan(v) => view! { <me::ScanPage lang=lang volunteer=v /> }.into_any(),
            }
        })
    }
);
