//! The embedding API: one JSON-in, JSON-out entry point, `handle`, for portals, mini-programs and kiosks.
//!
//! Request `{"fn": "<name>", "args": {...}}`; response `{"ok": {...}}` or `{"error": {"code","message","field?"}}`.
//!
//! | fn | args | ok |
//! |---|---|---|
//! | `calendar.is_working_day` | `{"date":"2026-10-10"}` | `{"working":true,"kind":"makeup_workday","name":"国庆节","official":true}` |
//! | `calendar.add_working_days` | `{"start":"2026-09-28","days":5}` | `{"end":"2026-10-09","official":true}` |
//! | `calendar.working_days_between` | `{"from":"2026-09-28","to":"2026-10-09"}` | `{"days":5,"official":true}` |
//! | `renovation.tally` | `{"households":[{"id":"101","area_m2":72.5,"owners":2}],"ballots":[{"household_id":"101","agree":true,"items":["lift"],"cast_at":"2026-05-06T10:00:00+08:00"}],"items":["lift"],"matter":"special"}` | coverage, agreement, items, art278 (see `renovation.rs`) |
//!
//! An optional `"lang": "zh" | "en"` beside `fn` picks the language of error messages (Chinese by default).

use crate::calendar::{Calendar, MAX_SPAN_DAYS};
use crate::date::Date;
use crate::error::{ErrorCode, Lang, RuleError};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn calendar() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::china)
}

/// Answers one request given as JSON text; always returns JSON text, never panics on bad input.
pub fn handle(request: &str) -> String {
    let response = match serde_json::from_str::<Value>(request) {
        Ok(v) => handle_value(&v),
        Err(e) => error_json(
            &RuleError::new(ErrorCode::InvalidRequest).with_detail(e.to_string()),
            Lang::Zh,
        ),
    };
    response.to_string()
}

/// Answers one request given as a JSON value.
pub fn handle_value(request: &Value) -> Value {
    let lang = match request.get("lang").and_then(Value::as_str) {
        Some("en") => Lang::En,
        _ => Lang::Zh,
    };
    match dispatch(request) {
        Ok(v) => json!({ "ok": v }),
        Err(e) => error_json(&e, lang),
    }
}

fn error_json(e: &RuleError, lang: Lang) -> Value {
    let mut err = json!({ "code": e.code.as_str(), "message": e.message(lang) });
    if let Some(f) = &e.field {
        err["field"] = json!(f);
    }
    json!({ "error": err })
}

fn dispatch(request: &Value) -> Result<Value, RuleError> {
    let Some(obj) = request.as_object() else {
        return Err(RuleError::new(ErrorCode::InvalidRequest).with_detail("expected a JSON object"));
    };
    let name = obj
        .get("fn")
        .and_then(Value::as_str)
        .ok_or_else(|| RuleError::field(ErrorCode::Required, "fn"))?;
    let empty = Value::Object(Default::default());
    let args = obj.get("args").unwrap_or(&empty);
    if !args.is_object() {
        return Err(RuleError::field(ErrorCode::InvalidRequest, "args")
            .with_detail("args must be an object"));
    }
    let cal = calendar();
    match name {
        "calendar.is_working_day" => {
            let date = date_arg(args, "date")?;
            Ok(serde_json::to_value(cal.day(date)).expect("DayInfo serialises"))
        }
        "calendar.add_working_days" => {
            let start = date_arg(args, "start")?;
            let days = match args.get("days") {
                None | Some(Value::Null) => {
                    return Err(RuleError::field(ErrorCode::Required, "days"));
                }
                Some(v) => v
                    .as_u64()
                    .filter(|d| (1..=MAX_SPAN_DAYS as u64).contains(d))
                    .ok_or_else(|| {
                        RuleError::field(ErrorCode::OutOfRange, "days")
                            .with_detail(format!("1–{MAX_SPAN_DAYS}"))
                    })?,
            };
            let (end, official) = cal.add_working_days(start, days as u32).ok_or_else(|| {
                RuleError::field(ErrorCode::OutOfRange, "days").with_detail("before 2200")
            })?;
            Ok(json!({ "end": end, "official": official }))
        }
        "calendar.working_days_between" => {
            let from = date_arg(args, "from")?;
            let to = date_arg(args, "to")?;
            if from.days_until(to) > MAX_SPAN_DAYS as i32 {
                return Err(RuleError::field(ErrorCode::OutOfRange, "to")
                    .with_detail(format!("≤ {MAX_SPAN_DAYS} days")));
            }
            let (days, official) = cal.working_days_between(from, to);
            Ok(json!({ "days": days, "official": official }))
        }
        "renovation.tally" => {
            let input: crate::renovation::TallyInput = serde_json::from_value(args.clone())
                .map_err(|e| {
                    RuleError::field(ErrorCode::InvalidRequest, "args").with_detail(e.to_string())
                })?;
            let tally = input.tally(&crate::rules::RuleSet::default().renovation)?;
            Ok(serde_json::to_value(tally).expect("Tally serialises"))
        }
        other => Err(RuleError::field(ErrorCode::UnknownFunction, "fn")
            .with_detail(other.chars().take(64).collect::<String>())),
    }
}

fn date_arg(args: &Value, field: &str) -> Result<Date, RuleError> {
    match args.get(field) {
        None | Some(Value::Null) => Err(RuleError::field(ErrorCode::Required, field)),
        Some(Value::String(s)) => {
            Date::parse(s).map_err(|_| RuleError::field(ErrorCode::InvalidDate, field))
        }
        Some(_) => Err(RuleError::field(ErrorCode::InvalidDate, field)),
    }
}

#[cfg(feature = "wasm")]
mod wasm {
    use wasm_bindgen::prelude::*;

    /// `handle(request: string) -> string`, the embedding entry point for JavaScript.
    #[wasm_bindgen(js_name = handle)]
    pub fn handle_js(request: &str) -> String {
        super::handle(request)
    }

    /// A synthetic compound of `n` households, each with one ballot (some changed once), held inside the
    /// Wasm module so that `cargo xtask bench` times the tally itself, not JSON parsing.
    #[wasm_bindgen]
    pub struct TallyBench(crate::renovation::TallyInput);

    #[wasm_bindgen]
    impl TallyBench {
        #[wasm_bindgen(constructor)]
        pub fn new(n: u32) -> TallyBench {
            use crate::renovation::*;
            let items: Vec<String> = (1..=20).map(|i| format!("item-{i}")).collect();
            let households = (0..n)
                .map(|i| VoterHousehold {
                    id: format!("h{i}"),
                    area_m2: 45.0 + (i % 80) as f64,
                    owners: 1 + i % 2,
                })
                .collect();
            let ballots = (0..n)
                .map(|i| Ballot {
                    household_id: format!("h{}", (i as u64 * 7919 % n.max(1) as u64)),
                    agree: i % 5 != 0,
                    items: (0..3)
                        .map(|k| items[((i + k * 7) % 20) as usize].clone())
                        .collect(),
                    cast_at: CastAt::Ms(1_780_000_000_000 + i as u64),
                })
                .collect();
            TallyBench(TallyInput {
                households,
                ballots,
                items,
                matter: Matter::Special,
                item_matters: Default::default(),
                item_electorates: Default::default(),
            })
        }

        /// Runs the tally; returns the number of responding households.
        pub fn run(&self) -> u32 {
            let rules = crate::rules::RuleSet::default().renovation;
            self.0
                .tally(&rules)
                .map(|t| t.coverage.responded as u32)
                .unwrap_or(0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(s: &str) -> Value {
        serde_json::from_str(&handle(s)).unwrap()
    }

    #[test]
    fn issue_example_national_day() {
        let r =
            call(r#"{"fn":"calendar.add_working_days","args":{"start":"2026-09-28","days":5}}"#);
        assert_eq!(r, json!({"ok":{"end":"2026-10-09","official":true}}));
    }

    #[test]
    fn is_working_day_shapes() {
        assert_eq!(
            call(r#"{"fn":"calendar.is_working_day","args":{"date":"2026-10-10"}}"#),
            json!({"ok":{"working":true,"kind":"makeup_workday","name":"国庆节","official":true}})
        );
        assert_eq!(
            call(r#"{"fn":"calendar.is_working_day","args":{"date":"2030-06-01"}}"#),
            json!({"ok":{"working":false,"kind":"weekend","official":false}})
        );
        assert_eq!(
            call(
                r#"{"fn":"calendar.working_days_between","args":{"from":"2026-09-28","to":"2026-10-09"}}"#
            ),
            json!({"ok":{"days":5,"official":true}})
        );
    }

    #[test]
    fn bad_requests_name_the_field() {
        let r = call(r#"{"fn":"calendar.is_working_day","args":{"date":"2026-02-30"}}"#);
        assert_eq!(r["error"]["code"], "invalid_date");
        assert_eq!(r["error"]["field"], "date");
        let r = call(
            r#"{"fn":"calendar.add_working_days","args":{"start":"2026-09-28","days":-1},"lang":"en"}"#,
        );
        assert_eq!(r["error"]["field"], "days");
        assert!(
            r["error"]["message"]
                .as_str()
                .unwrap()
                .contains("out of range")
        );
        let r = call(r#"{"fn":"calendar.add_working_days","args":{"start":"2026-09-28"}}"#);
        assert_eq!(r["error"]["code"], "required");
        let r = call(r#"{"fn":"nope"}"#);
        assert_eq!(r["error"]["code"], "unknown_function");
        let r = call("not json");
        assert_eq!(r["error"]["code"], "invalid_request");
        let r = call("[]");
        assert_eq!(r["error"]["code"], "invalid_request");
        let r = call(r#"{"fn":"calendar.is_working_day","args":[1]}"#);
        assert_eq!(r["error"]["field"], "args");
        let r = call(
            r#"{"fn":"calendar.working_days_between","args":{"from":"1900-01-01","to":"2200-12-31"}}"#,
        );
        assert_eq!(r["error"]["code"], "out_of_range");
    }
}
