//! The door-to-door surveys feature (RULES §4, S1–S7; H4): forms with conditions and versions, building
//! assignments, visits, responses and their reviews, coverage, due lists, satisfaction rates, the
//! service ledger, and "collect once" (S6).
//!
//! Its operations are `survey_assignment.put` and the append-only `form_version.add`, `visit.add`,
//! `survey_response.add` and `response_review.add` (see `records.rs` for how versions work). Persons and
//! their key groups (H4) are the roster's (`roster::PersonFields`, `KeyGroup`). S7 (the safety
//! community's three databases) is not computed here.
//!
//! Files: `forms.rs` (forms, questions, the form checks, starter forms), `conditions.rs`, `validate.rs`
//! (answers against a version), `records.rs`, `coverage.rs` (S4), `due.rs` (S1, S2, S5), `ledger.rs`
//! (ledger order, household status, S6 conflicts), `views.rs` (`impl Replica`), `words.rs`, `api.rs`
//! (the embedding API's `survey.validate` and `survey.coverage`).

pub mod api;
pub mod conditions;
pub mod coverage;
pub mod due;
pub mod forms;
pub mod ledger;
pub mod records;
pub mod validate;
mod views;
pub mod words;

pub use conditions::Condition;
pub use coverage::*;
pub use due::*;
pub use forms::*;
pub use ledger::*;
pub use records::*;
pub use validate::*;
pub use views::*;
pub use words::Words;

use crate::date::Date;
use crate::error::{ErrorCode, Lang, RuleError};
use crate::rules::RuleSet;
use crate::sync::{Operation, Replica};

/// A new version of a form is numbered above every version of the form this replica knows (editing
/// makes a new version; an old one is never replaced).
pub(crate) fn check_form_version(
    replica: &Replica,
    op: &Operation,
    f: &FormVersionFields,
) -> Result<(), RuleError> {
    if let Some(top) = replica
        .form_versions(&op.community)
        .iter()
        .filter(|v| v.fields.form_id == f.form_id)
        .map(|v| v.fields.version)
        .max()
        && f.version <= top
    {
        return Err(
            RuleError::field(ErrorCode::OutOfRange, "body.version").with_detail(format!("> {top}"))
        );
    }
    Ok(())
}

/// A visit's date is not after the change's clock.
pub(crate) fn check_visit(op: &Operation, f: &VisitFields) -> Result<(), RuleError> {
    let today = Date::from_unix_ms_cst(op.hlc.ms as i64);
    if f.date > today {
        return Err(
            RuleError::field(ErrorCode::InFuture, "body.date").with_detail(today.to_string())
        );
    }
    Ok(())
}

/// A response names an existing form version (its `form_id` and number those of the record) and its
/// answers pass [`validate`] against THAT version — a draft begun under version 3 is submitted under
/// version 3 after version 4 is out; its person is one of its household; a fix names a response of the
/// same household; it was not submitted after the change's clock.
pub(crate) fn check_response(
    replica: &Replica,
    op: &Operation,
    f: &SurveyResponseFields,
    rules: &RuleSet,
) -> Result<(), RuleError> {
    let Some(version) = replica.form_version(&op.community, f.form_version_id) else {
        return Err(RuleError::field(
            ErrorCode::NotFound,
            "body.form_version_id",
        ));
    };
    if version.form_id != f.form_id {
        return Err(RuleError::field(ErrorCode::InvalidRequest, "body.form_id")
            .with_detail("not the version's form"));
    }
    if version.version != f.form_version {
        return Err(
            RuleError::field(ErrorCode::InvalidRequest, "body.form_version")
                .with_detail(format!("the record is version {}", version.version)),
        );
    }
    if let Some(p) = f.person_id
        && replica
            .person(&op.community, p)
            .is_none_or(|p| p.fields.household_id != f.household_id)
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.person_id"));
    }
    if let Some(old) = f.fixes
        && replica
            .survey_response(&op.community, old)
            .is_none_or(|r| r.household_id != f.household_id)
    {
        return Err(RuleError::field(ErrorCode::NotFound, "body.fixes"));
    }
    if f.submitted_at_ms > op.hlc.ms {
        return Err(
            RuleError::field(ErrorCode::InFuture, "body.submitted_at_ms")
                .with_detail(crate::volunteers::cst_time(op.hlc.ms as i64)),
        );
    }
    let v = validate(
        &version.form(),
        &f.answers,
        rules.surveys.text_answer_max_chars,
        Lang::En,
    );
    if let Some(e) = v.errors.first() {
        let field = format!("body.answers.{}", e.field);
        return Err(match e.code {
            AnswerCode::Required => RuleError::field(ErrorCode::Required, field),
            AnswerCode::OutOfRange => {
                RuleError::field(ErrorCode::OutOfRange, field).with_detail(e.code.as_str())
            }
            _ => RuleError::field(ErrorCode::InvalidAnswer, field).with_detail(e.code.as_str()),
        });
    }
    Ok(())
}

/// A review's time is not after the change's clock (its response exists: the generic parent check).
pub(crate) fn check_response_review(
    op: &Operation,
    f: &ResponseReviewFields,
) -> Result<(), RuleError> {
    if f.at_ms > op.hlc.ms {
        return Err(RuleError::field(ErrorCode::InFuture, "body.at_ms")
            .with_detail(crate::volunteers::cst_time(op.hlc.ms as i64)));
    }
    Ok(())
}
