//! The surveys feature's records (RULES §4): form versions, building assignments, visits, responses and
//! their reviews — plain types with their field checks.
//!
//! Merging (DESIGN.md sync model): a form version, a visit, a response and a review are append-only (a
//! new version, a new visit, a fix and a new verdict are new records), so every merge is a union of
//! records and the views decide from the operations' stamps. Only an assignment (building → collector)
//! is an ordinary last-writer-wins record.
//!
//! **Versions.** A form is identified by `form_id` (a UUID that no record carries as its own id) and each
//! of its versions is a `form_version` record (root kind, append-only) holding the whole form. Editing a
//! form publishes a new version (a number greater than every version of the form the checker knows);
//! a version is never changed, whether it has responses or not. A response names the version record it
//! answered (`form_version_id`, with its `form_id` and `form_version` number) and is validated against
//! that record's questions — a draft started under version 3 is submitted under version 3 even after
//! version 4 is published. Two staff publishing "version 4" offline both keep their records (each
//! response names its own exactly); the lists show them by number then by stamp.

use super::forms::{Form, Purpose, Question};
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::roster::check_text;
use crate::rules::{RosterRules, SurveyRules};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

/// `form_version.add`: one version of a form, never changed (community-level: no parent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FormVersionFields {
    pub form_id: Uuid,
    pub version: u32,
    #[serde(default)]
    pub purpose: Purpose,
    pub title_zh: String,
    pub title_en: String,
    pub questions: Vec<Question>,
}

impl FormVersionFields {
    /// The version as a form (its id the form's).
    pub fn form(&self) -> Form {
        Form {
            id: self.form_id.to_string(),
            version: self.version,
            purpose: self.purpose,
            title_zh: self.title_zh.clone(),
            title_en: self.title_en.clone(),
            questions: self.questions.clone(),
        }
    }

    /// A published version from a form (a starter form, or one the builder made).
    pub fn from_form(form_id: Uuid, f: &Form) -> FormVersionFields {
        FormVersionFields {
            form_id,
            version: f.version,
            purpose: f.purpose,
            title_zh: f.title_zh.clone(),
            title_en: f.title_en.clone(),
            questions: f.questions.clone(),
        }
    }

    pub fn check(&self, r: &SurveyRules) -> Result<(), RuleError> {
        self.form().check(r)
    }
}

/// `survey_assignment.put`: a building (楼栋) assigned to a collector (staff or volunteer username); under
/// the building. A building may have several; an unassignment is a delete.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyAssignmentFields {
    pub building_id: Uuid,
    pub collector: String,
}

impl SurveyAssignmentFields {
    pub fn check(&self, roster: &RosterRules) -> Result<(), RuleError> {
        check_text(&self.collector, "collector", roster.name_max_chars, true)
    }
}

/// A household's visit status (S4). `not_visited` is the status of a household without visits; a
/// visit may record it too (staff resetting a door, say after new occupants move in).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    #[default]
    NotVisited,
    Answered,
    /// 不在家: on the revisit list.
    NotHome,
    Refused,
    Vacant,
}

/// `visit.add` (append-only, under the household): a collector at a door on a date, with what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisitFields {
    pub household_id: Uuid,
    pub status: HouseholdStatus,
    pub date: Date,
    pub collector: String,
    #[serde(default)]
    pub note: String,
}

impl VisitFields {
    pub fn check(&self, roster: &RosterRules, r: &SurveyRules) -> Result<(), RuleError> {
        check_text(&self.collector, "collector", roster.name_max_chars, true)?;
        check_text(&self.note, "note", r.text_answer_max_chars, false)
    }
}

/// `survey_response.add` (append-only, under the household): the answers given at a door, locked once
/// submitted. A fix is a new response naming the old one in `fixes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyResponseFields {
    pub form_id: Uuid,
    pub form_version: u32,
    /// The `form_version` record answered: the answers are validated against it.
    pub form_version_id: Uuid,
    pub household_id: Uuid,
    /// The person answered about, for a person's form; absent for the household's.
    #[serde(default)]
    pub person_id: Option<Uuid>,
    /// Question id → answer (the JSON of `survey.validate`'s answers).
    pub answers: BTreeMap<String, Value>,
    /// Who collected it (username).
    pub collector: String,
    /// The device it was collected on.
    pub device: Uuid,
    pub started_at_ms: u64,
    pub submitted_at_ms: u64,
    /// The response this one corrects (after a review said it has issues).
    #[serde(default)]
    pub fixes: Option<Uuid>,
    /// S6: the household's earlier responses the collecting device held when the form was started (their
    /// bound answers were shown for confirmation). Two responses that each miss the other and give a
    /// bound field different values are a conflict for staff to settle ([`super::bound_conflicts`]).
    #[serde(default)]
    pub seen: Vec<Uuid>,
}

impl SurveyResponseFields {
    pub fn check(&self, roster: &RosterRules, r: &SurveyRules) -> Result<(), RuleError> {
        check_text(&self.collector, "collector", roster.name_max_chars, true)?;
        if self.submitted_at_ms < self.started_at_ms {
            return Err(RuleError::field(ErrorCode::OutOfRange, "submitted_at_ms")
                .with_detail("≥ started_at_ms"));
        }
        if self.answers.len() > r.questions_max {
            return Err(RuleError::field(ErrorCode::OutOfRange, "answers")
                .with_detail(format!("≤ {}", r.questions_max)));
        }
        if self.seen.len() > r.seen_max {
            return Err(RuleError::field(ErrorCode::OutOfRange, "seen")
                .with_detail(format!("≤ {}", r.seen_max)));
        }
        Ok(())
    }

    /// The China-time date it was submitted on (the ledger's and the due lists' date).
    pub fn date(&self) -> Date {
        Date::from_unix_ms_cst(self.submitted_at_ms as i64)
    }
}

/// A review's verdict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approved,
    /// Returned to the collector with a comment; a fix is a new response naming this one.
    HasIssues,
    Rejected,
}

/// `response_review.add` (append-only, under the response): staff's verdict; the latest by stamp counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseReviewFields {
    pub response_id: Uuid,
    pub verdict: Verdict,
    #[serde(default)]
    pub comment: String,
    pub by: String,
    pub at_ms: u64,
}

impl ResponseReviewFields {
    pub fn check(&self, roster: &RosterRules, r: &SurveyRules) -> Result<(), RuleError> {
        check_text(&self.by, "by", roster.name_max_chars, true)?;
        // "Has issues" says which: the collector sees the comment.
        check_text(
            &self.comment,
            "comment",
            r.text_answer_max_chars,
            self.verdict == Verdict::HasIssues,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn field_checks_name_the_field() {
        let rules = RuleSet::default();
        let (ro, su) = (&rules.roster, &rules.surveys);
        let mut rv = ResponseReviewFields {
            response_id: Uuid::nil(),
            verdict: Verdict::HasIssues,
            comment: String::new(),
            by: "wang".into(),
            at_ms: 1,
        };
        assert_eq!(
            rv.check(ro, su).unwrap_err().field.as_deref(),
            Some("comment")
        );
        rv.verdict = Verdict::Approved;
        assert!(rv.check(ro, su).is_ok());
        let mut resp = SurveyResponseFields {
            form_id: Uuid::nil(),
            form_version: 1,
            form_version_id: Uuid::nil(),
            household_id: Uuid::nil(),
            person_id: None,
            answers: BTreeMap::new(),
            collector: "li".into(),
            device: Uuid::nil(),
            started_at_ms: 10,
            submitted_at_ms: 9,
            fixes: None,
            seen: vec![],
        };
        assert_eq!(
            resp.check(ro, su).unwrap_err().field.as_deref(),
            Some("submitted_at_ms")
        );
        resp.submitted_at_ms = 10;
        assert!(resp.check(ro, su).is_ok());
        resp.collector = " ".into();
        assert_eq!(resp.check(ro, su).unwrap_err().code, ErrorCode::Required);
        let v = VisitFields {
            household_id: Uuid::nil(),
            status: HouseholdStatus::NotHome,
            date: Date::parse("2026-05-01").unwrap(),
            collector: String::new(),
            note: String::new(),
        };
        assert_eq!(
            v.check(ro, su).unwrap_err().field.as_deref(),
            Some("collector")
        );
    }
}
