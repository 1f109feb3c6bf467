//! A request's query parameters (`a=1&b=2`), read the one way every endpoint reads them: values as sent
//! (dates, numbers and language codes need no decoding), and a bad value refused naming its parameter.

use super::ApiError;
use linli_core::date::Date;
use linli_core::{ErrorCode, Lang, RuleError};
use std::collections::HashMap;

/// The query's parameters by name (a name without `=` has the empty value).
pub fn params(q: &Option<String>) -> HashMap<&str, &str> {
    q.as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect()
}

/// `lang=zh|en` (default zh); another value is 400 `out_of_range` naming `lang`.
pub fn lang_param(p: &HashMap<&str, &str>) -> Result<Lang, ApiError> {
    match p.get("lang").copied() {
        None | Some("") | Some("zh") => Ok(Lang::Zh),
        Some("en") => Ok(Lang::En),
        Some(_) => Err(RuleError::field(ErrorCode::OutOfRange, "lang")
            .with_detail("zh | en")
            .into()),
    }
}

/// A required date parameter: missing → `required`, not a date → `invalid_date`, naming it.
pub fn date_param(p: &HashMap<&str, &str>, name: &str) -> Result<Date, ApiError> {
    match p.get(name).copied() {
        None | Some("") => Err(RuleError::field(ErrorCode::Required, name).into()),
        Some(v) => parse_date(v, name),
    }
}

/// A date parameter that may be left out (then `default`); not a date → `invalid_date`, naming it.
pub fn date_param_or(p: &HashMap<&str, &str>, name: &str, default: Date) -> Result<Date, ApiError> {
    match p.get(name).copied() {
        None | Some("") => Ok(default),
        Some(v) => parse_date(v, name),
    }
}

fn parse_date(v: &str, name: &str) -> Result<Date, ApiError> {
    Date::parse(v).map_err(|_| RuleError::field(ErrorCode::InvalidDate, name).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code and field of a refusal.
    fn refused<T: std::fmt::Debug>(r: Result<T, ApiError>) -> (ErrorCode, Option<String>) {
        match r {
            Err(ApiError::Rule(e)) => (e.code, e.field),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn parameters_are_read_and_refused_by_name() {
        let q = Some("as_of=2026-06-30&lang=en&flag".to_string());
        let p = params(&q);
        assert_eq!(p.get("flag"), Some(&""));
        assert_eq!(lang_param(&p).unwrap(), Lang::En);
        let june = Date::parse("2026-06-30").unwrap();
        let today = Date::parse("2026-12-04").unwrap();
        assert_eq!(date_param(&p, "as_of").unwrap(), june);
        assert_eq!(date_param_or(&p, "as_of", today).unwrap(), june);
        assert_eq!(date_param_or(&p, "today", today).unwrap(), today);
        assert_eq!(
            refused(date_param(&p, "today")),
            (ErrorCode::Required, Some("today".into()))
        );
        let bad = Some("as_of=2026-13-01&lang=fr".to_string());
        let p = params(&bad);
        assert_eq!(
            refused(date_param_or(&p, "as_of", today)),
            (ErrorCode::InvalidDate, Some("as_of".into()))
        );
        assert_eq!(
            refused(lang_param(&p)),
            (ErrorCode::OutOfRange, Some("lang".into()))
        );
    }
}
