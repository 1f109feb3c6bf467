//! The surveys feature's embedding API (`embed.rs` dispatches to these, one line each): argument readers
//! whose refusals name the field, and the answers.
//!
//! - `survey.validate` `{"form":{"id","version":N,"questions":[{"id","type","required","choices"?:["id",…],
//!   "min"?,"max"?,"show_if"?}]},"answers":{"<question id>":value}}` → `{"valid","visible","errors":
//!   [{"field","code","message"}]}` ([`super::validate`]). Labels and the other fields of a stored form
//!   are accepted too; the form's structure is checked (ids unique, conditions on earlier questions,
//!   choices, min ≤ max), not its labels.
//! - `survey.coverage` `{"households":[{"id","building","status"}]}` → `{"buildings":[{"building","total",
//!   "visited","answered","outstanding","coverage"}],"total":{…}}` ([`super::coverage()`]), buildings in
//!   the order first seen.

use super::coverage::{Coverage, CoverageHousehold, coverage};
use super::forms::{Form, Question};
use super::validate::{Validation, validate};
use crate::error::{ErrorCode, Lang, RuleError};
use crate::rules::RuleSet;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn invalid(field: impl Into<String>, e: impl std::fmt::Display) -> RuleError {
    RuleError::field(ErrorCode::InvalidRequest, field).with_detail(e.to_string())
}

/// Reads `survey.validate`'s form (field names prefixed `form.`).
pub fn form_arg(args: &Value) -> Result<Form, RuleError> {
    let form = match args.get("form") {
        None | Some(Value::Null) => return Err(RuleError::field(ErrorCode::Required, "form")),
        Some(Value::Object(o)) => o,
        Some(_) => return Err(invalid("form", "an object")),
    };
    let id = match form.get("id") {
        None | Some(Value::Null) => return Err(RuleError::field(ErrorCode::Required, "form.id")),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(_) => return Err(invalid("form.id", "a string")),
    };
    let version = match form.get("version") {
        None | Some(Value::Null) => {
            return Err(RuleError::field(ErrorCode::Required, "form.version"));
        }
        Some(v) => v
            .as_u64()
            .filter(|v| (1..=u32::MAX as u64).contains(v))
            .ok_or_else(|| {
                RuleError::field(ErrorCode::OutOfRange, "form.version").with_detail("≥ 1")
            })? as u32,
    };
    let raw = match form.get("questions") {
        None | Some(Value::Null) => {
            return Err(RuleError::field(ErrorCode::Required, "form.questions"));
        }
        Some(Value::Array(a)) => a,
        Some(_) => return Err(invalid("form.questions", "a list")),
    };
    let max = RuleSet::default().surveys.questions_max;
    if raw.len() > max {
        return Err(RuleError::field(ErrorCode::OutOfRange, "form.questions")
            .with_detail(format!("≤ {max}")));
    }
    let mut questions = Vec::with_capacity(raw.len());
    for (i, q) in raw.iter().enumerate() {
        let name = match q.get("id").and_then(Value::as_str) {
            Some(id) if !id.is_empty() => format!("form.questions[{id}]"),
            _ => format!("form.questions[{i}]"),
        };
        let q: Question = serde_json::from_value(q.clone()).map_err(|e| invalid(name, e))?;
        questions.push(q);
    }
    let mut extra: BTreeSet<&str> = form.keys().map(String::as_str).collect();
    for k in [
        "id",
        "version",
        "questions",
        "purpose",
        "title_zh",
        "title_en",
    ] {
        extra.remove(k);
    }
    if let Some(k) = extra.first() {
        return Err(invalid(format!("form.{k}"), "unknown field"));
    }
    let mut f = Form {
        id,
        version,
        purpose: Default::default(),
        title_zh: String::new(),
        title_en: String::new(),
        questions,
    };
    if let Some(p) = form.get("purpose") {
        f.purpose = serde_json::from_value(p.clone()).map_err(|e| invalid("form.purpose", e))?;
    }
    f.check_structure().map_err(|e| RuleError {
        field: e.field.map(|x| format!("form.{x}")),
        ..e
    })?;
    Ok(f)
}

/// `survey.validate`.
pub fn survey_validate(args: &Value, lang: Lang) -> Result<Validation, RuleError> {
    let form = form_arg(args)?;
    let answers: BTreeMap<String, Value> = match args.get("answers") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(o)) => o.clone().into_iter().collect(),
        Some(_) => return Err(invalid("answers", "an object")),
    };
    Ok(validate(
        &form,
        &answers,
        RuleSet::default().surveys.text_answer_max_chars,
        lang,
    ))
}

/// `survey.coverage`: households in, counts out (a bad row names itself: `households[2].status`).
pub fn survey_coverage(args: &Value) -> Result<Coverage, RuleError> {
    let rows = match args.get("households") {
        None | Some(Value::Null) => {
            return Err(RuleError::field(ErrorCode::Required, "households"));
        }
        Some(Value::Array(a)) => a,
        Some(_) => return Err(invalid("households", "a list")),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let at = |f: &str| format!("households[{i}].{f}");
        let Some(o) = r.as_object() else {
            return Err(invalid(format!("households[{i}]"), "an object"));
        };
        let text = |f: &str| match o.get(f) {
            None | Some(Value::Null) => Err(RuleError::field(ErrorCode::Required, at(f))),
            Some(Value::String(s)) if s.trim().is_empty() => {
                Err(RuleError::field(ErrorCode::Required, at(f)))
            }
            Some(Value::String(s)) => Ok(s.clone()),
            Some(Value::Number(n)) => Ok(n.to_string()),
            Some(_) => Err(invalid(at(f), "a string")),
        };
        let id = text("id")?;
        let building = text("building")?;
        let status = match o.get("status") {
            None | Some(Value::Null) => {
                return Err(RuleError::field(ErrorCode::Required, at("status")));
            }
            Some(v) => serde_json::from_value(v.clone()).map_err(|_| {
                RuleError::field(ErrorCode::OutOfRange, at("status"))
                    .with_detail("not_visited | answered | not_home | refused | vacant")
            })?,
        };
        if let Some(k) = o
            .keys()
            .find(|k| !["id", "building", "status"].contains(&k.as_str()))
        {
            return Err(invalid(at(k), "unknown field"));
        }
        if !seen.insert(id.clone()) {
            return Err(invalid(at("id"), format!("household {id} twice")));
        }
        out.push(CoverageHousehold {
            id,
            building,
            status,
        });
    }
    Ok(coverage(&out))
}
