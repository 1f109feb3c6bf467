//! Validation of a response's answers against its form version (the embedding API's `survey.validate`,
//! the app at the door, and the state check of `survey_response.add`: one function, [`validate`]).
//!
//! Questions are taken in order. A question is visible when it has no `show_if` or its condition holds
//! on the answers of the visible questions before it (a hidden question counts as unanswered). Then:
//! - visible and unanswered (absent, null, `""`, `[]`): `required` if required, else fine;
//! - visible and answered: `wrong_type` (single: a string; multi: a list of strings; yesno: a boolean;
//!   number: a number; text: a string; date: a real `YYYY-MM-DD`), `invalid_choice` (an id not among
//!   the choices, or one chosen twice), `out_of_range` (a number outside `min`..=`max`; a text longer
//!   than the rule set's `text_answer_max_chars`);
//! - hidden and answered: `not_shown` (a hidden question is never required); an answer to no question
//!   of the form is `not_shown` too.
//!
//! Errors come in question order, then the unknown ids sorted; each with a message in the user's
//! language from `words.rs`.

use super::conditions::is_answered;
use super::forms::{Form, QuestionKind};
use super::words::Words;
use crate::error::Lang;
use crate::i18n::fill;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Why an answer is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerCode {
    Required,
    OutOfRange,
    InvalidChoice,
    WrongType,
    NotShown,
}

impl AnswerCode {
    pub fn as_str(self) -> &'static str {
        match self {
            AnswerCode::Required => "required",
            AnswerCode::OutOfRange => "out_of_range",
            AnswerCode::InvalidChoice => "invalid_choice",
            AnswerCode::WrongType => "wrong_type",
            AnswerCode::NotShown => "not_shown",
        }
    }
}

/// One refused answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnswerError {
    /// The question id.
    pub field: String,
    pub code: AnswerCode,
    pub message: String,
}

/// The answer of `survey.validate`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    pub valid: bool,
    /// The visible questions, in form order.
    pub visible: Vec<String>,
    pub errors: Vec<AnswerError>,
}

fn range_text(min: Option<f64>, max: Option<f64>) -> String {
    match (min, max) {
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("≥ {a}"),
        (None, Some(b)) => format!("≤ {b}"),
        (None, None) => String::new(),
    }
}

/// Validates `answers` against `form` (see the module documentation). `text_max` is the longest text
/// answer (the rule set's `surveys.text_answer_max_chars`).
pub fn validate(
    form: &Form,
    answers: &BTreeMap<String, Value>,
    text_max: usize,
    lang: Lang,
) -> Validation {
    let mut shown: BTreeMap<String, Value> = BTreeMap::new();
    let mut visible = Vec::new();
    let mut errors = Vec::new();
    for q in &form.questions {
        let answer = answers.get(&q.id);
        let label = q.label(lang);
        let mut fail = |code: AnswerCode, detail: String| {
            let words = match code {
                AnswerCode::Required => Words::ErrRequired,
                AnswerCode::OutOfRange => Words::ErrOutOfRange,
                AnswerCode::InvalidChoice => Words::ErrInvalidChoice,
                AnswerCode::WrongType => Words::ErrWrongType,
                AnswerCode::NotShown => Words::ErrNotShown,
            };
            errors.push(AnswerError {
                field: q.id.clone(),
                code,
                message: fill(words.text(lang), &[label, &detail]),
            });
        };
        let is_visible = q.show_if.as_ref().is_none_or(|c| c.eval(&shown));
        if !is_visible {
            if is_answered(answer) {
                fail(AnswerCode::NotShown, String::new());
            }
            continue;
        }
        visible.push(q.id.clone());
        if !is_answered(answer) {
            if q.required {
                fail(AnswerCode::Required, String::new());
            }
            continue;
        }
        let a = answer.expect("answered");
        shown.insert(q.id.clone(), a.clone());
        let type_words = |k: QuestionKind| {
            match k {
                QuestionKind::Single => Words::TypeSingle,
                QuestionKind::Multi => Words::TypeMulti,
                QuestionKind::Yesno => Words::TypeYesno,
                QuestionKind::Number => Words::TypeNumber,
                QuestionKind::Text => Words::TypeText,
                QuestionKind::Date => Words::TypeDate,
            }
            .text(lang)
            .to_string()
        };
        let is_choice = |id: &str| q.choices.iter().any(|c| c.id == id);
        match q.kind {
            QuestionKind::Single => match a.as_str() {
                None => fail(AnswerCode::WrongType, type_words(q.kind)),
                Some(id) if !is_choice(id) => fail(AnswerCode::InvalidChoice, id.to_string()),
                Some(_) => {}
            },
            QuestionKind::Multi => {
                let ids: Option<Vec<&str>> = a
                    .as_array()
                    .and_then(|l| l.iter().map(Value::as_str).collect());
                match ids {
                    None => fail(AnswerCode::WrongType, type_words(q.kind)),
                    Some(ids) => {
                        let mut seen = std::collections::BTreeSet::new();
                        if let Some(bad) =
                            ids.iter().find(|id| !is_choice(id) || !seen.insert(**id))
                        {
                            fail(AnswerCode::InvalidChoice, bad.to_string());
                        }
                    }
                }
            }
            QuestionKind::Yesno if !a.is_boolean() => {
                fail(AnswerCode::WrongType, type_words(q.kind))
            }
            QuestionKind::Number => match a.as_f64() {
                None => fail(AnswerCode::WrongType, type_words(q.kind)),
                Some(n) if q.min.is_some_and(|m| n < m) || q.max.is_some_and(|m| n > m) => {
                    fail(AnswerCode::OutOfRange, range_text(q.min, q.max))
                }
                Some(_) => {}
            },
            QuestionKind::Text => match a.as_str() {
                None => fail(AnswerCode::WrongType, type_words(q.kind)),
                Some(s) if s.chars().count() > text_max => fail(
                    AnswerCode::OutOfRange,
                    range_text(None, Some(text_max as f64)),
                ),
                Some(_) => {}
            },
            QuestionKind::Date => {
                if a.as_str()
                    .is_none_or(|s| crate::date::Date::parse(s).is_err())
                {
                    fail(AnswerCode::WrongType, type_words(q.kind));
                }
            }
            QuestionKind::Yesno => {}
        }
    }
    for (id, v) in answers {
        if form.question(id).is_none() && is_answered(Some(v)) {
            errors.push(AnswerError {
                field: id.clone(),
                code: AnswerCode::NotShown,
                message: fill(Words::ErrNotShown.text(lang), &[id, ""]),
            });
        }
    }
    Validation {
        valid: errors.is_empty(),
        visible,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form() -> Form {
        serde_json::from_value(json!({"id":"f","version":1,"questions":[
            {"id":"age","type":"number","required":true,"min":0,"max":120,"label_zh":"年龄","label_en":"Age"},
            {"id":"alone","type":"yesno","required":true},
            {"id":"care","type":"single","required":true,"choices":["none","meals","nurse"],
             "show_if":{"all":[{"q":"age","op":"gt","value":64},{"q":"alone","op":"eq","value":true}]}},
            {"id":"needs","type":"multi","choices":["repair","bath"]},
            {"id":"note","type":"text"},
            {"id":"since","type":"date","show_if":{"not":{"q":"needs","op":"answered"}}}
        ]}))
        .unwrap()
    }

    fn run(answers: Value) -> Validation {
        validate(
            &form(),
            &serde_json::from_value(answers).unwrap(),
            10,
            Lang::En,
        )
    }

    fn codes(v: &Validation) -> Vec<(&str, &str)> {
        v.errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect()
    }

    #[test]
    fn a_valid_response() {
        let v = run(json!({"age":80,"alone":true,"care":"meals","needs":["bath"]}));
        assert!(v.valid, "{:?}", v.errors);
        assert_eq!(v.visible, ["age", "alone", "care", "needs", "note"]);
        // `since` is shown only while `needs` is unanswered.
        let v = run(json!({"age":30,"alone":false,"since":"2020-01-31"}));
        assert!(v.valid);
        assert_eq!(v.visible, ["age", "alone", "needs", "note", "since"]);
    }

    #[test]
    fn each_error_code() {
        // required: a visible required question without an answer.
        let v = run(json!({"alone":true}));
        assert_eq!(codes(&v), [("age", "required")]);
        assert_eq!(v.errors[0].message, "Please answer “Age”");
        // A hidden question is never required: `care` needs age > 64 and alone.
        let v = run(json!({"age":64,"alone":true}));
        assert!(v.valid);
        assert!(!v.visible.contains(&"care".to_string()));
        // required when shown.
        assert_eq!(
            codes(&run(json!({"age":65,"alone":true}))),
            [("care", "required")]
        );
        // out_of_range: a number outside min..max, a text too long.
        let v = run(json!({"age":121,"alone":false,"note":"12345678901"}));
        assert_eq!(
            codes(&v),
            [("age", "out_of_range"), ("note", "out_of_range")]
        );
        assert_eq!(v.errors[0].message, "“Age” must be within 0–120");
        // invalid_choice: an id not offered, or chosen twice.
        let v = run(json!({"age":70,"alone":true,"care":"spa","needs":["bath","bath"]}));
        assert_eq!(
            codes(&v),
            [("care", "invalid_choice"), ("needs", "invalid_choice")]
        );
        // wrong_type: each type.
        let v = run(json!({"age":"70","alone":"yes","needs":"bath","note":5}));
        assert_eq!(
            codes(&v),
            [
                ("age", "wrong_type"),
                ("alone", "wrong_type"),
                ("needs", "wrong_type"),
                ("note", "wrong_type")
            ]
        );
        let v = run(json!({"age":20,"alone":false,"since":"2026-02-30"}));
        assert_eq!(codes(&v), [("since", "wrong_type")]);
        let v = run(json!({"age":20,"alone":false,"care":1}));
        // not_shown: an answer to a hidden question (whatever its type), or to no question.
        assert_eq!(codes(&v), [("care", "not_shown")]);
        let v =
            run(json!({"age":20,"alone":false,"needs":["bath"],"since":"2026-01-01","ghost":1}));
        assert_eq!(codes(&v), [("since", "not_shown"), ("ghost", "not_shown")]);
        assert!(!v.valid);
        // Empty answers are no answers: null, "" and [] to hidden questions are fine.
        let v = run(json!({"age":20,"alone":false,"care":null,"note":"","needs":[]}));
        assert!(v.valid, "{:?}", v.errors);
    }

    /// A hidden question's answer does not feed later conditions (it counts as unanswered).
    #[test]
    fn hidden_answers_do_not_show_others() {
        let f: Form = serde_json::from_value(json!({"id":"f","version":1,"questions":[
            {"id":"a","type":"yesno"},
            {"id":"b","type":"yesno","show_if":{"q":"a","op":"eq","value":true}},
            {"id":"c","type":"text","show_if":{"q":"b","op":"answered"}},
            {"id":"d","type":"text","show_if":{"not":{"q":"b","op":"answered"}}}
        ]}))
        .unwrap();
        let v = validate(
            &f,
            &serde_json::from_value(json!({"a":false,"b":true})).unwrap(),
            100,
            Lang::Zh,
        );
        assert_eq!(v.visible, ["a", "d"]);
        assert_eq!(codes(&v), [("b", "not_shown")]);
        assert_eq!(v.errors[0].message, "问题「b」此时不显示，不应有回答");
    }
}
