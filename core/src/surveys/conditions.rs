//! "Show only if" conditions of a survey question on earlier answers (issue 11): `eq`, `ne`, `in`, `gt`,
//! `lt`, `answered`, combined with `all`, `any` and `not`.
//!
//! JSON: `{"q":"<question id>","op":"eq"|"ne"|"in"|"gt"|"lt"|"answered","value"?:v}`, `{"all":[…]}`,
//! `{"any":[…]}`, `{"not":…}`.
//!
//! Evaluation (the embedding API's rule): a condition on an unanswered question is false — whatever the
//! operator — except `answered`, which is then false, so `{"not":{"q":…,"op":"answered"}}` is true. A
//! question that is hidden counts as unanswered (its answer, if any, is an error, `not_shown`).
//! - `eq`: the answer equals `value`; for a multiple choice, the chosen ids contain `value` (XLSForm's
//!   `selected()`). Numbers compare as numbers (`3` equals `3.0`).
//! - `ne`: answered and not `eq`.
//! - `in`: `value` is a list and the answer is one of it (a multiple choice: any chosen id is).
//! - `gt`, `lt`: numbers against a number; dates (`YYYY-MM-DD`) against a date. Anything else is false.
//! - `all` of nothing is true, `any` of nothing false.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A comparison operator of a leaf condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Eq,
    Ne,
    In,
    Gt,
    Lt,
    Answered,
}

/// A leaf: one earlier question's answer against a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Leaf {
    pub q: String,
    pub op: Op,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct All {
    pub all: Vec<Condition>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Any {
    pub any: Vec<Condition>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Not {
    pub not: Box<Condition>,
}

/// A condition (untagged: its keys say which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Condition {
    Leaf(Leaf),
    All(All),
    Any(Any),
    Not(Not),
}

/// Whether an answer counts as given: not null, not an empty text, not an empty choice list.
pub fn is_answered(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
    }
}

fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn equals(answer: &Value, value: &Value) -> bool {
    match answer {
        Value::Array(chosen) => chosen.iter().any(|c| same(c, value)),
        _ => same(answer, value),
    }
}

/// `answer` compared with `value`: numbers as numbers, dates as dates (their text orders as they do).
fn compare(answer: &Value, value: &Value) -> Option<std::cmp::Ordering> {
    if let (Some(a), Some(b)) = (answer.as_f64(), value.as_f64()) {
        return a.partial_cmp(&b);
    }
    let (a, b) = (answer.as_str()?, value.as_str()?);
    let (a, b) = (
        crate::date::Date::parse(a).ok()?,
        crate::date::Date::parse(b).ok()?,
    );
    Some(a.cmp(&b))
}

impl Condition {
    /// Evaluates against the answers of the questions shown so far (hidden ones left out by the caller).
    pub fn eval(&self, answers: &BTreeMap<String, Value>) -> bool {
        match self {
            Condition::All(a) => a.all.iter().all(|c| c.eval(answers)),
            Condition::Any(a) => a.any.iter().any(|c| c.eval(answers)),
            Condition::Not(n) => !n.not.eval(answers),
            Condition::Leaf(l) => {
                let answer = answers.get(&l.q);
                if !is_answered(answer) {
                    return false;
                }
                let answer = answer.expect("answered");
                let value = l.value.as_ref().unwrap_or(&Value::Null);
                match l.op {
                    Op::Answered => true,
                    Op::Eq => equals(answer, value),
                    Op::Ne => !equals(answer, value),
                    Op::In => value
                        .as_array()
                        .is_some_and(|list| list.iter().any(|v| equals(answer, v))),
                    Op::Gt => compare(answer, value) == Some(std::cmp::Ordering::Greater),
                    Op::Lt => compare(answer, value) == Some(std::cmp::Ordering::Less),
                }
            }
        }
    }

    /// The question ids this condition reads, in order.
    pub fn questions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Condition::Leaf(l) => out.push(&l.q),
            Condition::All(a) => a.all.iter().for_each(|c| c.collect(out)),
            Condition::Any(a) => a.any.iter().for_each(|c| c.collect(out)),
            Condition::Not(n) => n.not.collect(out),
        }
    }

    /// Problems of shape a form check reports: an operator without the value it needs, an `in`
    /// without a list. `None` when well formed.
    pub fn shape_problem(&self) -> Option<&'static str> {
        match self {
            Condition::Leaf(l) => match (l.op, &l.value) {
                (Op::Answered, _) => None,
                (Op::In, Some(Value::Array(_))) => None,
                (Op::In, _) => Some("`in` needs a list value"),
                (_, None | Some(Value::Null)) => Some("this operator needs a value"),
                (Op::Gt | Op::Lt, Some(v)) if v.as_f64().is_none() && !v.is_string() => {
                    Some("`gt`/`lt` compare with a number or a date")
                }
                _ => None,
            },
            Condition::All(a) => a.all.iter().find_map(Condition::shape_problem),
            Condition::Any(a) => a.any.iter().find_map(Condition::shape_problem),
            Condition::Not(n) => n.not.shape_problem(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn c(v: Value) -> Condition {
        serde_json::from_value(v).unwrap()
    }

    fn answers(v: Value) -> BTreeMap<String, Value> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn each_operator() {
        let a = answers(
            json!({"age": 70, "sex": "female", "needs": ["meals", "repair"], "alone": true,
            "born": "1950-03-01", "note": ""}),
        );
        let cases = [
            (json!({"q":"age","op":"eq","value":70}), true),
            (json!({"q":"age","op":"eq","value":70.0}), true),
            (json!({"q":"age","op":"eq","value":"70"}), false),
            (json!({"q":"sex","op":"ne","value":"male"}), true),
            (json!({"q":"sex","op":"ne","value":"female"}), false),
            (json!({"q":"sex","op":"in","value":["male","female"]}), true),
            (json!({"q":"sex","op":"in","value":["male"]}), false),
            (json!({"q":"needs","op":"eq","value":"meals"}), true),
            (json!({"q":"needs","op":"eq","value":"bath"}), false),
            (
                json!({"q":"needs","op":"in","value":["bath","repair"]}),
                true,
            ),
            (json!({"q":"age","op":"gt","value":65}), true),
            (json!({"q":"age","op":"gt","value":70}), false),
            (json!({"q":"age","op":"lt","value":71}), true),
            (json!({"q":"born","op":"lt","value":"1960-01-01"}), true),
            (json!({"q":"born","op":"gt","value":"1960-01-01"}), false),
            (json!({"q":"sex","op":"gt","value":1}), false),
            (json!({"q":"alone","op":"eq","value":true}), true),
            (json!({"q":"alone","op":"answered"}), true),
            (json!({"q":"note","op":"answered"}), false),
        ];
        for (cond, want) in cases {
            assert_eq!(c(cond.clone()).eval(&a), want, "{cond}");
        }
    }

    /// The unanswered rule: every operator is false on an unanswered question, `ne` included; only
    /// `not` of `answered` (or of any leaf) turns it true.
    #[test]
    fn unanswered_is_false_except_not() {
        let a = answers(json!({"age": null}));
        for op in ["eq", "ne", "in", "gt", "lt"] {
            let cond = c(
                json!({"q":"age","op":op,"value": if op == "in" { json!([1]) } else { json!(1) }}),
            );
            assert!(!cond.eval(&a), "{op}");
        }
        assert!(!c(json!({"q":"age","op":"answered"})).eval(&a));
        assert!(c(json!({"not":{"q":"age","op":"answered"}})).eval(&a));
        assert!(c(json!({"not":{"q":"missing","op":"eq","value":1}})).eval(&a));
        assert!(!c(json!({"q":"needs","op":"eq","value":"x"})).eval(&answers(json!({"needs":[]}))));
    }

    #[test]
    fn all_any_not() {
        let a = answers(json!({"age": 82, "alone": true}));
        let old = json!({"q":"age","op":"gt","value":79});
        let alone = json!({"q":"alone","op":"eq","value":true});
        let young = json!({"q":"age","op":"lt","value":18});
        assert!(c(json!({"all":[old, alone]})).eval(&a));
        assert!(!c(json!({"all":[old, young]})).eval(&a));
        assert!(c(json!({"any":[young, alone]})).eval(&a));
        assert!(!c(json!({"any":[young]})).eval(&a));
        assert!(c(json!({"not":{"any":[young]}})).eval(&a));
        assert!(c(json!({"all":[]})).eval(&a));
        assert!(!c(json!({"any":[]})).eval(&a));
        assert_eq!(
            c(json!({"all":[old, {"not":{"any":[alone]}}]})).questions(),
            vec!["age", "alone"]
        );
    }

    #[test]
    fn shapes() {
        assert!(serde_json::from_value::<Condition>(json!({"q":"a","op":"near"})).is_err());
        assert!(serde_json::from_value::<Condition>(json!({"all":[], "x":1})).is_err());
        assert_eq!(
            c(json!({"q":"a","op":"in","value":1})).shape_problem(),
            Some("`in` needs a list value")
        );
        assert!(c(json!({"q":"a","op":"eq"})).shape_problem().is_some());
        assert!(
            c(json!({"q":"a","op":"answered"}))
                .shape_problem()
                .is_none()
        );
    }
}
