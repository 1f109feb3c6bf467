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
//! | `volunteer.stats` | `{"as_of":"2026-02-28","population":20,"rule_set":"shanghai","volunteers":[{"id":"v1","registered_on":"2026-01-05","status":"active","party_member":true,"student":false},{"id":"v2","registered_on":"2026-01-05","status":"active"},{"id":"v3","registered_on":"2026-02-01","status":"active"}],"entries":[{"id":"e1","volunteer_id":"v1","date":"2026-01-10","minutes":600,"status":"confirmed"},{"id":"e2","volunteer_id":"v1","date":"2026-02-10","minutes":720,"status":"confirmed"},{"id":"e3","volunteer_id":"v1","date":"2026-02-10","minutes":660,"status":"confirmed","corrects":"e2"},{"id":"e4","volunteer_id":"v2","date":"2026-02-11","minutes":90,"status":"pending"}]}` | `{"registered":3,"rate":{"value":0.15,"threshold":0.15,"met":true},"active_by_month":[{"month":"2026-01","active":1,"share":0.333…},{"month":"2026-02","active":1,"share":0.333…}],"hours":[{"volunteer_id":"v1","confirmed_hours":21.0,"pending_hours":0.0,"confirmed_minutes":1260,"pending_minutes":0},…],"party_students":{"members":1,"with_20_hours":1,"hours_min":20,"share":1.0,"threshold":0.85,"met":true}}` (RULES V1, V3, V4, V6; see `volunteers/stats.rs`) |
//! | `survey.validate` | `{"form":{"id":"f1","version":3,"questions":[{"id":"age","type":"number","required":true,"min":0,"max":120},{"id":"alone","type":"yesno","required":true},{"id":"care","type":"single","required":true,"choices":["meals","nurse"],"show_if":{"all":[{"q":"age","op":"gt","value":64},{"q":"alone","op":"eq","value":true}]}}]},"answers":{"age":70,"alone":false,"care":"meals"}}` | `{"errors":[{"code":"not_shown","field":"care","message":"问题「care」此时不显示，不应有回答"}],"valid":false,"visible":["age","alone"]}` (issue 11; see `surveys/validate.rs`) |
//! | `survey.coverage` | `{"households":[{"id":"101","building":"1号楼","status":"answered"},{"id":"102","building":"1号楼","status":"not_home"},{"id":"103","building":"1号楼","status":"vacant"},{"id":"201","building":"2号楼","status":"not_visited"}]}` | `{"buildings":[{"answered":1,"building":"1号楼","coverage":0.5,"outstanding":1,"total":3,"visited":3},{"answered":0,"building":"2号楼","coverage":0.0,"outstanding":1,"total":1,"visited":0}],"total":{"answered":1,"coverage":0.3333333333333333,"outstanding":2,"total":4,"visited":3}}` (S4; buildings in first-seen order; see `surveys/coverage.rs`) |
//! | `standards.catalog` | `{"standard":"learning"}` (`zhengzhou`, `shanghai`, `six-type`, `learning`, `plans-003`, `opinions-004`) | `{"version":"standards-1+…","standard":"learning","name_zh":"示范“学习型社区”标准",…,"groups":[{"id":"LRN-1","name_zh":"第1条",…},…],"indicators":[{"id":"LRN-1a","group":"LRN-1","kind":"checklist","comparator":null,"threshold":null,"class":"checklist","source":"004 第四篇 附件1 第1条","quote":"社区居委会下设学习委员会",…},{"id":"LRN-1b",…,"kind":"count","comparator":">=","threshold":"2","unit":"meetings","period":"year","class":"computed","formula":"MEET (type = learning committee): count ≥ 2",…},…]}` (issue 14; see `standards/catalogue.rs`) |
//! | `standards.evaluate` | `{"standard":"six-type","rule_set":"default","year":2026,"as_of":"2026-04-10","inputs":{"SIX-29":{"num":18,"den":200},"SIX-68a":{"dates":["2026-01-05","2026-01-25","2026-02-14","2026-04-02"]}}}` | `{"standard":"six-type","catalog_version":"standards-1+…","rule_set":{"name":"default","version":"default-1"},"year":2026,"as_of":"2026-04-10","indicators":[…,{"id":"SIX-29","status":"not_met","value":0.09,"threshold":"0.1","comparator":">=","unit":"volunteers","gap":{"amount":2,"unit":"volunteers"},"decides":true},…,{"id":"SIX-68a","status":"not_met","value":4,"threshold":"2","comparator":">=","unit":"events","gap":{"amount":3,"unit":"events","periods":["2026-02","2026-03"]},"current":{"period":"2026-04","count":1,"needed":2,"due":"2026-04-30"},"decides":true},…],"groups":[…,{"id":"管理服务·社区服务","status":"not_met","rows_met":0,"rows_deciding":…},…],"verdict":{"headings_met":[],"blocks":[…],"score":0,"pass_score":"1","met":false}}` (issue 14, RULES E1–E7; inputs `{"num","den"}`, `{"dates"}`, `{"value"}`, `{"done"}`; a row without one is `no_data`; see `standards/`) |
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
            let tally = input.tally(&crate::rules::RenovationRules::national())?;
            Ok(serde_json::to_value(tally).expect("Tally serialises"))
        }
        #[cfg(feature = "embed-volunteers")]
        "volunteer.stats" => {
            let (input, rule_set) = crate::volunteers::StatsInput::from_args(args)?;
            let rules = crate::rules::RuleSet::named(&rule_set).ok_or_else(|| {
                RuleError::field(ErrorCode::OutOfRange, "rule_set").with_detail(
                    crate::rules::RuleSet::names()
                        .collect::<Vec<_>>()
                        .join(" | "),
                )
            })?;
            let stats = crate::volunteers::volunteer_stats(&input, &rules.volunteers)?;
            Ok(serde_json::to_value(stats).expect("VolunteerStats serialises"))
        }
        #[cfg(feature = "embed-surveys")]
        "survey.validate" => {
            let lang = match obj.get("lang").and_then(Value::as_str) {
                Some("en") => Lang::En,
                _ => Lang::Zh,
            };
            let v = crate::surveys::api::survey_validate(args, lang)?;
            Ok(serde_json::to_value(v).expect("Validation serialises"))
        }
        #[cfg(feature = "embed-surveys")]
        "survey.coverage" => Ok(
            serde_json::to_value(crate::surveys::api::survey_coverage(args)?)
                .expect("Coverage serialises"),
        ),
        #[cfg(feature = "embed-standards")]
        "standards.catalog" => crate::standards::api::catalog(args),
        #[cfg(feature = "embed-standards")]
        "standards.evaluate" => crate::standards::api::evaluate(args),
        #[cfg(not(feature = "embed-standards"))]
        "standards.catalog" | "standards.evaluate" => {
            Err(RuleError::field(ErrorCode::UnknownFunction, "fn")
                .with_detail("standards.* is in the module of dist/core-standards"))
        }
        #[cfg(not(feature = "embed-volunteers"))]
        "volunteer.stats" => Err(RuleError::field(ErrorCode::UnknownFunction, "fn")
            .with_detail("volunteer.* is not in this build (feature embed-volunteers)")),
        #[cfg(not(feature = "embed-surveys"))]
        "survey.validate" | "survey.coverage" => {
            Err(RuleError::field(ErrorCode::UnknownFunction, "fn")
                .with_detail("survey.* is not in this build (feature embed-surveys)"))
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
    /// Wasm module so that `cargo xtask bench` times the tally itself, not JSON parsing. Feature `bench`.
    #[cfg(feature = "bench")]
    #[wasm_bindgen]
    pub struct TallyBench(crate::renovation::TallyInput);

    #[cfg(feature = "bench")]
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

#[cfg(all(feature = "wasm", feature = "bench"))]
mod wasm_standards_bench {
    use wasm_bindgen::prelude::*;

    /// A generated community of `households` households (`standards::sample`) held inside the Wasm module,
    /// so that `cargo xtask bench` times the self-check itself (issue 14: all six standards ≤ 50 ms for
    /// 5,000 households). Feature `bench`.
    #[wasm_bindgen]
    pub struct StandardsBench(crate::sync::Replica);

    #[wasm_bindgen]
    impl StandardsBench {
        #[wasm_bindgen(constructor)]
        pub fn new(households: u32) -> StandardsBench {
            StandardsBench(crate::standards::sample::community(households))
        }

        /// Evaluates all six standards as of 2026-03-10; returns how many indicators have a status other
        /// than "no data" (a check that the work was done).
        pub fn run(&self) -> u32 {
            let names: Vec<&str> = crate::standards::Catalogue::get().names().collect();
            let as_of = crate::date::Date::parse("2026-03-10").expect("a date");
            let rules = crate::rules::RuleSet::default();
            self.0
                .self_check(crate::standards::sample::COMMUNITY, &names, &rules, as_of)
                .iter()
                .flat_map(|e| &e.indicators)
                .filter(|i| i.status != crate::standards::Status::NoData)
                .count() as u32
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

    /// The example of the module's table, worked by hand (RULES V1, V3, V4, V6): 3 active registered of
    /// 20 residents = 0.15, met at Shanghai's 15%; v1 has 600 min in January and, e2 (720) corrected by
    /// e3 (660), 660 in February: 1,260 min = 21 h ≥ 20 h, so the one party member meets V4; v2's 90
    /// minutes are pending only; January's and February's active: v1 alone, 1 of 3.
    #[test]
    #[cfg(feature = "embed-volunteers")]
    fn volunteer_stats_example() {
        let req = r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":20,"rule_set":"shanghai","volunteers":[{"id":"v1","registered_on":"2026-01-05","status":"active","party_member":true,"student":false},{"id":"v2","registered_on":"2026-01-05","status":"active"},{"id":"v3","registered_on":"2026-02-01","status":"active"}],"entries":[{"id":"e1","volunteer_id":"v1","date":"2026-01-10","minutes":600,"status":"confirmed"},{"id":"e2","volunteer_id":"v1","date":"2026-02-10","minutes":720,"status":"confirmed"},{"id":"e3","volunteer_id":"v1","date":"2026-02-10","minutes":660,"status":"confirmed","corrects":"e2"},{"id":"e4","volunteer_id":"v2","date":"2026-02-11","minutes":90,"status":"pending"}]}}"#;
        let r = call(req);
        let ok = &r["ok"];
        assert_eq!(ok["registered"], 3);
        assert_eq!(
            ok["rate"],
            json!({"value":0.15,"threshold":0.15,"met":true})
        );
        assert_eq!(ok["active_by_month"][0]["month"], "2026-01");
        assert_eq!(ok["active_by_month"][1]["active"], 1);
        assert_eq!(ok["active_by_month"].as_array().unwrap().len(), 2);
        assert_eq!(
            ok["hours"][0],
            json!({"volunteer_id":"v1","confirmed_hours":21.0,"pending_hours":0.0,"confirmed_minutes":1260,"pending_minutes":0})
        );
        assert_eq!(ok["hours"][1]["pending_hours"], 1.5);
        assert_eq!(
            ok["party_students"],
            json!({"members":1,"with_20_hours":1,"hours_min":20,"share":1.0,"threshold":0.85,"met":true})
        );
        // The same at the national 10% (rule set absent → "default").
        let r = call(&req.replace(r#""rule_set":"shanghai","#, ""));
        assert_eq!(r["ok"]["rate"]["threshold"], 0.1);
    }

    #[test]
    #[cfg(feature = "embed-volunteers")]
    fn volunteer_stats_errors_name_the_field() {
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":0},"lang":"en"}"#,
        );
        assert_eq!(r["error"]["code"], "out_of_range");
        assert_eq!(r["error"]["field"], "population");
        assert_eq!(
            r["error"]["message"],
            "The population is out of range (≥ 1)"
        );
        let r = call(r#"{"fn":"volunteer.stats","args":{"population":10}}"#);
        assert_eq!(r["error"]["field"], "as_of");
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"rule_set":"paris"}}"#,
        );
        assert_eq!(r["error"]["field"], "rule_set");
        assert_eq!(
            r["error"]["message"],
            "规则集超出范围（default | shanghai）"
        );
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"volunteers":[{"id":"v1","registered_on":"2026-02-30","status":"active"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "volunteers[0].registered_on");
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"volunteers":[{"id":"v1","registered_on":"2026-02-01","status":"gone"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "volunteers[0].status");
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"volunteers":[],"entries":[{"id":"e1","volunteer_id":"nobody","date":"2026-02-01","minutes":5,"status":"confirmed"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "entries[0].volunteer_id");
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"volunteers":[{"id":"v1","registered_on":"2026-02-01","status":"active"}],"entries":[{"id":"e1","volunteer_id":"v1","date":"2026-02-01","minutes":5,"status":"confirmed","corrects":"e9"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "entries[0].corrects");
        let r = call(
            r#"{"fn":"volunteer.stats","args":{"as_of":"2026-02-28","population":10,"volunteers":[{"id":"v1","registered_on":"2026-02-01","status":"active"}],"entries":[{"id":"e1","volunteer_id":"v1","date":"2026-02-01","minutes":1441,"status":"confirmed"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "entries[0].minutes");
    }

    #[cfg(feature = "embed-surveys")]
    const VALIDATE_FORM: &str = r#"{"id":"f1","version":3,"questions":[{"id":"age","type":"number","required":true,"min":0,"max":120},{"id":"alone","type":"yesno","required":true},{"id":"care","type":"single","required":true,"choices":["meals","nurse"],"show_if":{"all":[{"q":"age","op":"gt","value":64},{"q":"alone","op":"eq","value":true}]}}]}"#;

    #[cfg(feature = "embed-surveys")]
    fn validate_call(answers: &str, lang: &str) -> Value {
        call(&format!(
            r#"{{"fn":"survey.validate","lang":"{lang}","args":{{"form":{VALIDATE_FORM},"answers":{answers}}}}}"#
        ))
    }

    /// The module table's example, and each error code (issue 11): `care` is shown only to someone over
    /// 64 living alone; a hidden question is never required, and an answer to it is `not_shown`.
    #[test]
    #[cfg(feature = "embed-surveys")]
    fn survey_validate_example_and_codes() {
        assert_eq!(
            validate_call(r#"{"age":70,"alone":false,"care":"meals"}"#, "zh"),
            json!({"ok":{"valid":false,"visible":["age","alone"],"errors":[{"field":"care","code":"not_shown","message":"问题「care」此时不显示，不应有回答"}]}})
        );
        assert_eq!(
            validate_call(r#"{"age":70,"alone":true,"care":"nurse"}"#, "en"),
            json!({"ok":{"valid":true,"visible":["age","alone","care"],"errors":[]}})
        );
        // Hidden (age 64): not required.
        assert_eq!(
            validate_call(r#"{"age":64,"alone":true}"#, "en")["ok"]["valid"],
            true
        );
        let r = validate_call(r#"{"age":65,"alone":true}"#, "en");
        assert_eq!(
            r["ok"]["errors"],
            json!([{"field":"care","code":"required","message":"Please answer “care”"}])
        );
        let r = validate_call(r#"{"age":130,"alone":"no"}"#, "en");
        assert_eq!(
            r["ok"]["errors"],
            json!([
                {"field":"age","code":"out_of_range","message":"“age” must be within 0–120"},
                {"field":"alone","code":"wrong_type","message":"The answer to “alone” must be yes or no"}
            ])
        );
        let r = validate_call(r#"{"age":80,"alone":true,"care":"spa"}"#, "en");
        assert_eq!(
            r["ok"]["errors"],
            json!([{"field":"care","code":"invalid_choice","message":"“care” has no choice spa"}])
        );
        assert_eq!(r["ok"]["visible"], json!(["age", "alone", "care"]));
    }

    #[test]
    #[cfg(feature = "embed-surveys")]
    fn survey_validate_bad_input_names_the_field() {
        let r = call(r#"{"fn":"survey.validate","args":{"answers":{}}}"#);
        assert_eq!(
            (r["error"]["code"].as_str(), r["error"]["field"].as_str()),
            (Some("required"), Some("form"))
        );
        let r = call(r#"{"fn":"survey.validate","args":{"form":{"id":"f","questions":[]}}}"#);
        assert_eq!(r["error"]["field"], "form.version");
        let r = call(
            r#"{"fn":"survey.validate","args":{"form":{"id":"f","version":1,"questions":[{"id":"a","type":"slider"}]}}}"#,
        );
        assert_eq!(
            (r["error"]["code"].as_str(), r["error"]["field"].as_str()),
            (Some("invalid_request"), Some("form.questions[a]"))
        );
        // A condition on a later question names the question.
        let r = call(
            r#"{"fn":"survey.validate","lang":"en","args":{"form":{"id":"f","version":1,"questions":[{"id":"a","type":"text","show_if":{"q":"b","op":"answered"}},{"id":"b","type":"text"}]}}}"#,
        );
        assert_eq!(r["error"]["field"], "form.questions[a].show_if");
        assert_eq!(
            r["error"]["message"],
            "The request is not well formed: b is not an earlier question"
        );
        let r = call(
            r#"{"fn":"survey.validate","args":{"form":{"id":"f","version":1,"questions":[{"id":"a","type":"single","choices":[]}]}}}"#,
        );
        assert_eq!(r["error"]["field"], "form.questions[a].choices");
        let r = call(
            r#"{"fn":"survey.validate","args":{"form":{"id":"f","version":1,"questions":[{"id":"a","type":"number","min":5,"max":1}]}}}"#,
        );
        assert_eq!(r["error"]["code"], "out_of_range");
        let r = call(
            r#"{"fn":"survey.validate","args":{"form":{"id":"f","version":1,"questions":[]},"answers":[1]}}"#,
        );
        assert_eq!(r["error"]["field"], "answers");
    }

    /// The module table's example, worked by hand (S4): building 1 has 3 doors (answered, not at home,
    /// vacant): visited 3, outstanding 1 (the not-at-home), coverage 1 / (3 − 1) = 0.5; building 2's one
    /// door is not visited: outstanding 1, coverage 0 / 1 = 0; in total 1 / (4 − 1) = 1/3.
    #[test]
    #[cfg(feature = "embed-surveys")]
    fn survey_coverage_example() {
        let r = call(
            r#"{"fn":"survey.coverage","args":{"households":[{"id":"101","building":"1号楼","status":"answered"},{"id":"102","building":"1号楼","status":"not_home"},{"id":"103","building":"1号楼","status":"vacant"},{"id":"201","building":"2号楼","status":"not_visited"}]}}"#,
        );
        assert_eq!(
            r,
            json!({"ok":{"buildings":[
                {"building":"1号楼","total":3,"visited":3,"answered":1,"outstanding":1,"coverage":0.5},
                {"building":"2号楼","total":1,"visited":0,"answered":0,"outstanding":1,"coverage":0.0}],
                "total":{"total":4,"visited":3,"answered":1,"outstanding":2,"coverage":1.0/3.0}}})
        );
        // Only vacant doors: coverage 0, not a division by zero; no households at all: zeros.
        let r = call(
            r#"{"fn":"survey.coverage","args":{"households":[{"id":"1","building":"A","status":"vacant"}]}}"#,
        );
        assert_eq!(r["ok"]["total"]["coverage"], 0.0);
        let r = call(r#"{"fn":"survey.coverage","args":{"households":[]}}"#);
        assert_eq!(
            r,
            json!({"ok":{"buildings":[],"total":{"total":0,"visited":0,"answered":0,"outstanding":0,"coverage":0.0}}})
        );
    }

    #[test]
    #[cfg(feature = "embed-surveys")]
    fn survey_coverage_bad_input_names_the_field() {
        let r = call(r#"{"fn":"survey.coverage","args":{}}"#);
        assert_eq!(
            (r["error"]["code"].as_str(), r["error"]["field"].as_str()),
            (Some("required"), Some("households"))
        );
        let r = call(
            r#"{"fn":"survey.coverage","lang":"en","args":{"households":[{"id":"1","building":"A","status":"answered"},{"id":"2","building":"A","status":"away"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "households[1].status");
        assert_eq!(r["error"]["code"], "out_of_range");
        let r = call(
            r#"{"fn":"survey.coverage","args":{"households":[{"id":"1","status":"answered"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "households[0].building");
        let r = call(
            r#"{"fn":"survey.coverage","args":{"households":[{"id":"1","building":"A","status":"answered"},{"id":"1","building":"A","status":"vacant"}]}}"#,
        );
        assert_eq!(r["error"]["field"], "households[1].id");
        let r = call(r#"{"fn":"survey.coverage","args":{"households":"all"}}"#);
        assert_eq!(r["error"]["field"], "households");
    }

    /// The issue's example (issue 14, E7): SIX-29, 18 registered volunteers of 200 residents, against
    /// 10 %: value 0.09, ⌈0.1 × 200⌉ − 18 = 2 volunteers short; SIX-68a (≥ 2 events a month) as of
    /// 10 April: January 2, February 1, March 0 → 3 short in February and March, April (1) shown.
    #[test]
    #[cfg(feature = "embed-standards")]
    fn standards_evaluate_example() {
        let r = call(
            r#"{"fn":"standards.evaluate","args":{"standard":"six-type","rule_set":"default","year":2026,"as_of":"2026-04-10","inputs":{"SIX-29":{"num":18,"den":200},"SIX-68a":{"dates":["2026-01-05","2026-01-25","2026-02-14","2026-04-02"]}}}}"#,
        );
        let ok = &r["ok"];
        let row = |id: &str| {
            ok["indicators"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == id)
                .unwrap()
                .clone()
        };
        assert_eq!(
            row("SIX-29"),
            json!({"id":"SIX-29","status":"not_met","value":0.09,"threshold":"0.1","comparator":">=","unit":"volunteers","gap":{"amount":2,"unit":"volunteers"},"decides":true})
        );
        assert_eq!(
            row("SIX-68a"),
            json!({"id":"SIX-68a","status":"not_met","value":4,"threshold":"2","comparator":">=","unit":"events","gap":{"amount":3,"unit":"events","periods":["2026-02","2026-03"]},"current":{"period":"2026-04","count":1,"needed":2,"due":"2026-04-30"},"decides":true})
        );
        assert_eq!(row("SIX-1")["status"], "no_data");
        assert_eq!(
            ok["rule_set"],
            json!({"name":"default","version":"default-1"})
        );
        assert_eq!(
            ok["catalog_version"],
            json!(crate::standards::Catalogue::get().version)
        );
        assert_eq!(ok["indicators"].as_array().unwrap().len(), 150);
        assert_eq!(ok["verdict"]["met"], false);
        // A share with denominator 0 is no data; the rule set defaults to "default".
        let r = call(
            r#"{"fn":"standards.evaluate","args":{"standard":"six-type","year":2026,"as_of":"2026-04-10","inputs":{"SIX-29":{"num":0,"den":0}}}}"#,
        );
        let rows = r["ok"]["indicators"].as_array().unwrap();
        let r29 = rows.iter().find(|r| r["id"] == "SIX-29").unwrap();
        assert_eq!(
            (&r29["status"], &r29["value"]),
            (&json!("no_data"), &Value::Null)
        );
        // Shanghai's rule set: 15 %, 12 short.
        let r = call(
            r#"{"fn":"standards.evaluate","args":{"standard":"six-type","rule_set":"shanghai","year":2026,"as_of":"2026-04-10","inputs":{"SIX-29":{"num":18,"den":200}}}}"#,
        );
        let rows = r["ok"]["indicators"].as_array().unwrap();
        let r29 = rows.iter().find(|r| r["id"] == "SIX-29").unwrap();
        assert_eq!(r29["gap"], json!({"amount":12,"unit":"volunteers"}));
    }

    #[test]
    #[cfg(feature = "embed-standards")]
    fn standards_catalog_shape() {
        let r = call(r#"{"fn":"standards.catalog","args":{"standard":"learning"}}"#);
        let ok = &r["ok"];
        assert_eq!(ok["standard"], "learning");
        assert_eq!(ok["indicators"].as_array().unwrap().len(), 22);
        let first = &ok["indicators"][0];
        for k in [
            "id",
            "group",
            "kind",
            "comparator",
            "threshold",
            "class",
            "source",
            "quote",
            "unit",
            "period",
            "level",
            "name_zh",
            "gloss",
        ] {
            assert!(first.get(k).is_some(), "{k}");
        }
        assert_eq!(
            (&first["id"], &first["kind"], &first["class"]),
            (&json!("LRN-1a"), &json!("checklist"), &json!("checklist"))
        );
        let b = &ok["indicators"][1];
        assert_eq!(
            (&b["id"], &b["kind"], &b["comparator"], &b["threshold"]),
            (&json!("LRN-1b"), &json!("count"), &json!(">="), &json!("2"))
        );
        assert_eq!(
            ok["version"],
            json!(crate::standards::Catalogue::get().version)
        );
    }

    #[test]
    #[cfg(feature = "embed-standards")]
    fn standards_errors_name_the_input() {
        let ev = |args: &str| {
            let r = call(&format!(
                r#"{{"fn":"standards.evaluate","lang":"en","args":{args}}}"#
            ));
            (
                r["error"]["code"].as_str().unwrap_or("").to_string(),
                r["error"]["field"].as_str().unwrap_or("").to_string(),
                r["error"]["message"].as_str().unwrap_or("").to_string(),
            )
        };
        let base = r#""standard":"six-type","year":2026,"as_of":"2026-04-10""#;
        let (code, field, message) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-99":{{"num":1,"den":2}}}}}}"#
        ));
        assert_eq!(
            (code.as_str(), field.as_str()),
            ("invalid_request", "inputs.SIX-99")
        );
        assert_eq!(
            message,
            "The request is not well formed: SIX-99 is not an indicator of six-type"
        );
        let (_, field, _) = ev(&format!(r#"{{{base},"inputs":{{"SIX-29":{{"num":1}}}}}}"#));
        assert_eq!(field, "inputs.SIX-29.den");
        let (_, field, message) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-29":{{"dates":[]}}}}}}"#
        ));
        assert_eq!(field, "inputs.SIX-29.dates");
        assert!(
            message.contains(r#"a share is {"num":n,"den":d}"#),
            "{message}"
        );
        let (_, field, _) = ev(&format!(r#"{{{base},"inputs":{{"SIX-29":[18,200]}}}}"#));
        assert_eq!(field, "inputs.SIX-29");
        let (code, field, _) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-29":{{"num":-1,"den":2}}}}}}"#
        ));
        assert_eq!(
            (code.as_str(), field.as_str()),
            ("out_of_range", "inputs.SIX-29.num")
        );
        let (_, field, _) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-29":{{"num":"lots","den":2}}}}}}"#
        ));
        assert_eq!(field, "inputs.SIX-29.num");
        let (code, field, _) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-68a":{{"dates":["2026-01-05","2026-02-30"]}}}}}}"#
        ));
        assert_eq!(
            (code.as_str(), field.as_str()),
            ("invalid_date", "inputs.SIX-68a.dates[1]")
        );
        let (_, field, _) = ev(&format!(
            r#"{{{base},"inputs":{{"SIX-1":{{"done":"yes"}}}}}}"#
        ));
        assert_eq!(field, "inputs.SIX-1.done");
        let (_, field, _) = ev(&format!(r#"{{{base},"inputs":[]}}"#));
        assert_eq!(field, "inputs");
        let (code, field, _) = ev(r#"{"standard":"paris","year":2026,"as_of":"2026-04-10"}"#);
        assert_eq!(
            (code.as_str(), field.as_str()),
            ("out_of_range", "standard")
        );
        let (code, field, _) = ev(r#"{"year":2026,"as_of":"2026-04-10"}"#);
        assert_eq!((code.as_str(), field.as_str()), ("required", "standard"));
        let (_, field, _) = ev(&format!(r#"{{{base},"rule_set":"atlantis"}}"#));
        assert_eq!(field, "rule_set");
        let (_, field, _) = ev(r#"{"standard":"six-type","as_of":"2026-04-10"}"#);
        assert_eq!(field, "year");
        let (_, field, _) = ev(r#"{"standard":"six-type","year":2026}"#);
        assert_eq!(field, "as_of");
        let (_, field, _) = ev(&format!(r#"{{{base},"input":{{}}}}"#));
        assert_eq!(field, "input");
        let r = call(r#"{"fn":"standards.catalog","args":{}}"#);
        assert_eq!(r["error"]["field"], "standard");
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

    #[test]
    #[cfg(not(any(feature = "embed-volunteers", feature = "embed-surveys")))]
    fn a_build_without_volunteers_and_surveys_says_so() {
        for f in ["volunteer.stats", "survey.validate", "survey.coverage"] {
            let r = call(&format!(r#"{{"fn":"{f}","args":{{}}}}"#));
            assert_eq!(r["error"]["code"], "unknown_function", "{f}");
            assert_eq!(r["error"]["field"], "fn", "{f}");
        }
    }

    #[test]
    #[cfg(not(feature = "embed-standards"))]
    fn the_module_without_standards_says_where_they_are() {
        let r = call(r#"{"fn":"standards.catalog","args":{"standard":"learning"}}"#);
        assert_eq!(r["error"]["code"], "unknown_function");
        assert_eq!(r["error"]["field"], "fn");
    }
}
