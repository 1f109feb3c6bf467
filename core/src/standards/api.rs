//! The embedding API's readers for the standards self-check: `standards.catalog` and
//! `standards.evaluate` (issue 14; examples in `embed.rs` and README's "Other commands").
//!
//! `standards.catalog` `{"standard":"six-type"}` → the standard's file: `{"standard","version","seed",
//! "name_zh","name_en","groups","verdict","indicators":[{"id","group","kind","comparator","threshold",
//! "class","source","quote",…}]}`.
//!
//! `standards.evaluate` `{"standard","rule_set":"default","year":2026,"as_of":"2026-03-15","inputs":{"SIX-29":{"num":18,"den":200}}}`
//! → `{"standard","catalog_version","rule_set":{"name","version"},"year","as_of","indicators":[{"id",
//! "status","value","threshold","comparator","unit","gap"?,"current"?,"decides"}],"groups":[{"id",
//! "status","rows_met","rows_deciding"}],"verdict":{…}}`. An unknown standard, rule set or indicator id,
//! or an input of the wrong shape, is an error naming it (`inputs.SIX-99`, `inputs.SIX-29.den`).

use super::catalogue::Catalogue;
use super::evaluate::Input;
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::rules::RuleSet;
use serde_json::Value;
use std::collections::HashMap;

fn standard_arg<'a>(args: &Value) -> Result<&'a super::Standard, RuleError> {
    let cat = Catalogue::get();
    match args.get("standard") {
        None | Some(Value::Null) => Err(RuleError::field(ErrorCode::Required, "standard")),
        Some(v) => v.as_str().and_then(|s| cat.standard(s)).ok_or_else(|| {
            RuleError::field(ErrorCode::OutOfRange, "standard")
                .with_detail(cat.names().collect::<Vec<_>>().join(" | "))
        }),
    }
}

fn only_keys(args: &Value, keys: &[&str]) -> Result<(), RuleError> {
    if let Some(k) = args
        .as_object()
        .and_then(|o| o.keys().find(|k| !keys.contains(&k.as_str())))
    {
        return Err(RuleError::field(ErrorCode::InvalidRequest, k.as_str())
            .with_detail(format!("{k} is not an argument ({})", keys.join(", "))));
    }
    Ok(())
}

/// `standards.catalog`: the standard's file as it is (its text is already the answer's JSON; reading
/// it as a `Value` keeps the typed catalogue's serialisation out of the Wasm).
pub fn catalog(args: &Value) -> Result<Value, RuleError> {
    only_keys(args, &["standard"])?;
    let std = standard_arg(args)?;
    let (_, text) = super::catalogue::FILES
        .iter()
        .find(|(name, _)| *name == std.standard)
        .expect("every standard has its file");
    Ok(serde_json::from_str(text).expect("embedded catalogue is valid (tested)"))
}

/// `standards.evaluate`.
pub fn evaluate(args: &Value) -> Result<Value, RuleError> {
    only_keys(args, &["standard", "rule_set", "year", "as_of", "inputs"])?;
    let std = standard_arg(args)?;
    let rule_set = match args.get("rule_set") {
        None | Some(Value::Null) => "default",
        Some(v) => v.as_str().ok_or_else(|| {
            RuleError::field(ErrorCode::InvalidRequest, "rule_set").with_detail("expected a name")
        })?,
    };
    let rules = RuleSet::named(rule_set).ok_or_else(|| {
        RuleError::field(ErrorCode::OutOfRange, "rule_set")
            .with_detail(RuleSet::names().collect::<Vec<_>>().join(" | "))
    })?;
    let year = match args.get("year") {
        None | Some(Value::Null) => return Err(RuleError::field(ErrorCode::Required, "year")),
        Some(v) => v
            .as_i64()
            .filter(|y| (1900..=2199).contains(y))
            .ok_or_else(|| {
                RuleError::field(ErrorCode::OutOfRange, "year").with_detail("1900–2199")
            })? as i32,
    };
    let as_of = match args.get("as_of") {
        None | Some(Value::Null) => return Err(RuleError::field(ErrorCode::Required, "as_of")),
        Some(v) => v
            .as_str()
            .and_then(|s| Date::parse(s).ok())
            .ok_or_else(|| RuleError::field(ErrorCode::InvalidDate, "as_of"))?,
    };
    let mut inputs = HashMap::new();
    match args.get("inputs") {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (id, v) in map {
                let field = format!("inputs.{id}");
                let ind = std.indicator(id).ok_or_else(|| {
                    RuleError::field(ErrorCode::InvalidRequest, field.as_str())
                        .with_detail(format!("{id} is not an indicator of {}", std.standard))
                })?;
                if let Some(input) = Input::from_json(ind.kind, v, &field)? {
                    inputs.insert(id.clone(), input);
                }
            }
        }
        Some(_) => {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "inputs")
                .with_detail("expected an object by indicator id"));
        }
    }
    let e = super::evaluate(&std.standard, &rules, rule_set, year, as_of, &inputs)?;
    Ok(serde_json::to_value(e).expect("Evaluation serialises"))
}
