//! The activities and meetings logs (活动台账、会议记录, issue 14 "Inputs computed, not typed";
//! STANDARDS.md sources `ACT` and `MEET`): what the community held, of which type, on which day, with how
//! many people, the minutes or a note and photos. Each entry is a `log_entry.put` (a community-level record,
//! corrected by a new put, removed by a delete while the year's self-check still reads it).
//!
//! The types are data: the rule set's `standards.activity_types` and `standards.meeting_types` (defaults in
//! `core/data/standards/log-types.json`), each naming the count and cadence rows its entries feed — a
//! residents' meeting feeds SIX-12 (≥ 1 a quarter), a fitness activity SIX-54 (≥ 2 a week). A district that
//! adds a type, or a row to a type, turns that row into a computed one by changing data, not the engine
//! ([`LogTypes::rows_fed`], read by `inputs::standards_inputs`).

use super::entries::check_photos;
use crate::date::Date;
use crate::error::Lang;
use crate::error::{ErrorCode, RuleError};
use crate::roster::check_text;
use crate::sync::{EntityKind, Replica};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest title, and longest minutes or note.
pub const TITLE_MAX: usize = 100;
pub const NOTES_MAX: usize = 2000;
/// Most people one entry counts (a square dance of the whole district stays below it).
pub const PEOPLE_MAX: u32 = 100_000;

/// Which log an entry is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Log {
    /// 活动台账: cultural events, lectures, films, fitness, learning… (`ACT`).
    Activity,
    /// 会议记录: residents' meetings, law-and-order meetings, … (`MEET`).
    Meeting,
}

impl Log {
    pub fn as_str(self) -> &'static str {
        match self {
            Log::Activity => "activity",
            Log::Meeting => "meeting",
        }
    }

    pub fn parse(s: &str) -> Option<Log> {
        match s {
            "activity" => Some(Log::Activity),
            "meeting" => Some(Log::Meeting),
            _ => None,
        }
    }
}

/// `log_entry.put`: one activity or meeting held (活动/会议记录).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntryFields {
    pub log: Log,
    /// The type's id in the rule set's list for `log` (`residents`, `fitness`). An id the list no longer
    /// has is kept and shown as written; it feeds no row.
    /// (`type_id`, since `type` is the operation body's tag.)
    pub type_id: String,
    /// 主题: what it was (「垃圾分类宣讲」).
    pub title: String,
    /// The day it was held (China time).
    pub date: Date,
    /// 参加人数 / 参会人数: how many took part.
    pub people: u32,
    /// 会议纪要 for a meeting, a note for an activity.
    #[serde(default)]
    pub notes: String,
    /// Photos taken there (ids made on the phone; the images go to `PUT /api/standards/evidence/{id}`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Uuid>,
    /// Who recorded it (the staff member's username), and when.
    pub recorded_by: String,
    pub at_ms: u64,
}

impl LogEntryFields {
    /// The type is an id (letters, digits, `_`, `-`; 1–40); the texts bounded, a title given; people within
    /// [`PEOPLE_MAX`]; the date in a plausible year; the photos as an entry's.
    pub fn check(&self) -> Result<(), RuleError> {
        if !is_type_id(&self.type_id) {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "type_id")
                .with_detail("a type id: letters, digits, _ and -, at most 40"));
        }
        check_text(&self.title, "title", TITLE_MAX, true)?;
        check_text(&self.notes, "notes", NOTES_MAX, false)?;
        if self.people > PEOPLE_MAX {
            return Err(RuleError::field(ErrorCode::OutOfRange, "people")
                .with_detail(format!("0–{PEOPLE_MAX}")));
        }
        let (y, _, _) = self.date.ymd();
        if !(2000..=2100).contains(&y) {
            return Err(RuleError::field(ErrorCode::OutOfRange, "date").with_detail("2000–2100"));
        }
        check_photos(&self.photos)?;
        check_text(&self.recorded_by, "recorded_by", 64, true)
    }
}

/// A type id: `[A-Za-z0-9_-]{1,40}`.
pub fn is_type_id(s: &str) -> bool {
    (1..=40).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// One type of activity or meeting, as the rule set lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogType {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// The count and cadence rows its entries' dates feed.
    #[serde(default)]
    pub rows: Vec<String>,
}

impl LogType {
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// The two lists of types (the rule set's `standards.activity_types` / `meeting_types`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogTypes {
    pub activity: Vec<LogType>,
    pub meeting: Vec<LogType>,
}

impl Default for LogTypes {
    fn default() -> Self {
        // Read through a struct of its own: `LogTypes`' `serde(default)` would call this again.
        #[derive(Deserialize)]
        struct File {
            activity: Vec<LogType>,
            meeting: Vec<LogType>,
        }
        let f: File = serde_json::from_str(include_str!("../../data/standards/log-types.json"))
            .expect("log-types.json is valid (tested)");
        LogTypes {
            activity: f.activity,
            meeting: f.meeting,
        }
    }
}

impl LogTypes {
    pub fn of(&self, log: Log) -> &[LogType] {
        match log {
            Log::Activity => &self.activity,
            Log::Meeting => &self.meeting,
        }
    }

    /// The type `id` of `log`.
    pub fn find(&self, log: Log, id: &str) -> Option<&LogType> {
        self.of(log).iter().find(|t| t.id == id)
    }

    /// Every row a log feeds, with the (log, type) pairs that feed it, in list order.
    pub fn rows_fed(&self) -> Vec<(&str, Vec<(Log, &str)>)> {
        let mut out: Vec<(&str, Vec<(Log, &str)>)> = Vec::new();
        for log in [Log::Activity, Log::Meeting] {
            for t in self.of(log) {
                for row in &t.rows {
                    match out.iter_mut().find(|(r, _)| r == row) {
                        Some((_, feeders)) => feeders.push((log, &t.id)),
                        None => out.push((row, vec![(log, &t.id)])),
                    }
                }
            }
        }
        out
    }

    /// The log whose entries row `id` counts, if a type feeds it (the first when both do).
    pub fn log_of_row(&self, id: &str) -> Option<Log> {
        [Log::Activity, Log::Meeting]
            .into_iter()
            .find(|l| self.of(*l).iter().any(|t| t.rows.iter().any(|r| r == id)))
    }

    /// The type ids of `log` that feed row `id`.
    pub fn types_feeding(&self, log: Log, id: &str) -> Vec<&str> {
        self.of(log)
            .iter()
            .filter(|t| t.rows.iter().any(|r| r == id))
            .map(|t| t.id.as_str())
            .collect()
    }
}

/// One entry as the log lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub id: Uuid,
    pub fields: LogEntryFields,
}

impl Replica {
    /// The live entries of `log` in `community`, the latest held first (then the latest recorded).
    pub fn log_entries(&self, community: &str, log: Log) -> Vec<LogEntry> {
        let mut out: Vec<LogEntry> = self
            .root_records(community, EntityKind::LogEntry)
            .filter_map(|(id, r)| Some((id, r.get::<LogEntryFields>()?)))
            .filter(|(_, f)| f.log == log)
            .map(|(id, fields)| LogEntry { id, fields })
            .collect();
        out.sort_by(|a, b| {
            (b.fields.date, b.fields.at_ms, b.id).cmp(&(a.fields.date, a.fields.at_ms, a.id))
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> LogEntryFields {
        LogEntryFields {
            log: Log::Meeting,
            type_id: "residents".into(),
            title: "第一季度居民会议".into(),
            date: Date::parse("2026-02-10").unwrap(),
            people: 45,
            notes: String::new(),
            photos: vec![],
            recorded_by: "alice".into(),
            at_ms: 0,
        }
    }

    #[test]
    fn default_types_load_and_feed_rows() {
        let t = LogTypes::default();
        assert_eq!(t.find(Log::Meeting, "residents").unwrap().zh, "居民会议");
        assert_eq!(t.log_of_row("SIX-12"), Some(Log::Meeting));
        assert_eq!(t.log_of_row("SIX-54"), Some(Log::Activity));
        assert_eq!(t.log_of_row("SIX-29"), None);
        assert_eq!(
            t.types_feeding(Log::Meeting, "SIX-12"),
            vec!["residents", "residents_welfare_report"]
        );
        let fed = t.rows_fed();
        let six12 = fed.iter().find(|(r, _)| *r == "SIX-12").unwrap();
        assert_eq!(six12.1.len(), 2);
    }

    #[test]
    fn an_entry_is_checked_field_by_field() {
        assert!(fields().check().is_ok());
        let field = |f: LogEntryFields| f.check().unwrap_err().field;
        assert_eq!(
            field(LogEntryFields {
                title: "  ".into(),
                ..fields()
            }),
            Some("title".into())
        );
        assert_eq!(
            field(LogEntryFields {
                type_id: "居民".into(),
                ..fields()
            }),
            Some("type_id".into())
        );
        assert_eq!(
            field(LogEntryFields {
                people: PEOPLE_MAX + 1,
                ..fields()
            }),
            Some("people".into())
        );
        assert_eq!(
            field(LogEntryFields {
                date: Date::parse("1999-12-31").unwrap(),
                ..fields()
            }),
            Some("date".into())
        );
        assert_eq!(
            field(LogEntryFields {
                notes: "纪".repeat(NOTES_MAX + 1),
                ..fields()
            }),
            Some("notes".into())
        );
        let json = serde_json::to_value(fields()).unwrap();
        assert_eq!(json["type_id"], "residents");
        assert_eq!(json["date"], "2026-02-10");
        assert!(json.get("photos").is_none());
    }
}
