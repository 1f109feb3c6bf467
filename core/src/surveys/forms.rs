//! Survey forms (issue 11): questions of six types, help texts, choices, ranges, "show only if"
//! conditions, labels in Simplified Chinese and English, the household and person fields a question
//! fills ("collect once", S6), and the form checks.
//!
//! A form as JSON: `{"id","version":N,"purpose","title_zh","title_en","questions":[{"id","type":
//! "single"|"multi"|"yesno"|"number"|"text"|"date","required","label_zh","label_en","help_zh"?,
//! "help_en"?,"choices"?:[{"id","label_zh","label_en","satisfied"?}|"id"],"min"?,"max"?,"show_if"?,
//! "binds"?,"topic"?}]}`. A choice may be a bare id (the embedding API's shape); labels are then empty,
//! which [`Form::check`] refuses and [`Form::check_structure`] (all the API needs) allows.

use super::conditions::Condition;
use crate::error::{ErrorCode, RuleError};
use crate::roster::check_text;
use crate::rules::SurveyRules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// What a form is for, which the due lists and rates read (S1, S3, S5).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// S1: the half-yearly needs survey of key groups.
    Needs,
    /// S5 (and S3's management satisfaction).
    Satisfaction,
    /// S3: rehabilitation-needs screening of disabled residents.
    DisabilityScreening,
    #[default]
    Other,
}

/// A question's type (JSON `type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// One choice id.
    Single,
    /// A list of choice ids, each once.
    Multi,
    /// `true` or `false`.
    Yesno,
    /// A number, within `min`..=`max` when given.
    Number,
    Text,
    /// `YYYY-MM-DD`.
    Date,
}

/// A choice of a single or multiple choice question.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Choice {
    pub id: String,
    pub label_zh: String,
    pub label_en: String,
    /// S5: choosing it counts as satisfied (for a question with a `topic`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub satisfied: bool,
}

impl<'de> Deserialize<'de> for Choice {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Full {
            id: String,
            #[serde(default)]
            label_zh: String,
            #[serde(default)]
            label_en: String,
            #[serde(default)]
            satisfied: bool,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Id(String),
            Full(Full),
        }
        Ok(match Either::deserialize(d)? {
            Either::Id(id) => Choice {
                id,
                label_zh: String::new(),
                label_en: String::new(),
                satisfied: false,
            },
            Either::Full(f) => Choice {
                id: f.id,
                label_zh: f.label_zh,
                label_en: f.label_en,
                satisfied: f.satisfied,
            },
        })
    }
}

/// The household or person field a question fills (S6 "collect once, share many times"): answered
/// once, it is shown for confirmation in every later form. Person fields and the household's area and
/// owners are the roster's (`PersonFields`, `HouseholdFields`); the household size has no roster field
/// and is carried by the responses alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Bind {
    HouseholdSize,
    HouseholdAreaM2,
    HouseholdOwners,
    PersonName,
    PersonSex,
    PersonBirthYear,
    PersonPhone,
    /// H4: a multiple choice whose ids are `KeyGroup` names (`elderly`, `helper_device65_plus`, …).
    PersonKeyGroups,
}

impl Bind {
    /// Whether it is a person's field (else the household's).
    pub fn is_person(self) -> bool {
        !matches!(
            self,
            Bind::HouseholdSize | Bind::HouseholdAreaM2 | Bind::HouseholdOwners
        )
    }

    /// The roster field it fills, if the roster has one (`PersonFields` / `HouseholdFields` name).
    pub fn roster_field(self) -> Option<&'static str> {
        Some(match self {
            Bind::HouseholdSize => return None,
            Bind::HouseholdAreaM2 => "area_m2",
            Bind::HouseholdOwners => "owners",
            Bind::PersonName => "name",
            Bind::PersonSex => "sex",
            Bind::PersonBirthYear => "birth_year",
            Bind::PersonPhone => "phone",
            Bind::PersonKeyGroups => "key_groups",
        })
    }

    fn kind(self) -> QuestionKind {
        match self {
            Bind::HouseholdSize
            | Bind::HouseholdAreaM2
            | Bind::HouseholdOwners
            | Bind::PersonBirthYear => QuestionKind::Number,
            Bind::PersonName | Bind::PersonPhone => QuestionKind::Text,
            Bind::PersonSex => QuestionKind::Single,
            Bind::PersonKeyGroups => QuestionKind::Multi,
        }
    }

    /// The choice ids a bound choice question may offer.
    fn choice_ok(self, id: &str) -> bool {
        match self {
            Bind::PersonSex => serde_json::from_value::<crate::roster::Sex>(id.into()).is_ok(),
            Bind::PersonKeyGroups => {
                serde_json::from_value::<crate::roster::KeyGroup>(id.into()).is_ok()
            }
            _ => true,
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: QuestionKind,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub label_en: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_zh: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_en: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Choice>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub binds: Option<Bind>,
    /// S5/S3: the satisfaction topic this question measures (a key of the rule set's
    /// `surveys.satisfaction_min`); a yes, or a choice marked `satisfied`, counts as satisfied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
}

impl Question {
    /// The label in a language (the id when the form carries no labels, as the API's may not).
    pub fn label(&self, lang: crate::Lang) -> &str {
        let l = match lang {
            crate::Lang::Zh => &self.label_zh,
            crate::Lang::En => &self.label_en,
        };
        if l.trim().is_empty() { &self.id } else { l }
    }
}

/// A form at one version. Versions are never changed (see `records.rs`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Form {
    pub id: String,
    pub version: u32,
    #[serde(default)]
    pub purpose: Purpose,
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    pub questions: Vec<Question>,
}

impl Form {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The checks of shape alone (all the embedding API needs): ids present and unique; conditions
    /// well formed and on EARLIER questions only; choices present (and unique) for single and multiple
    /// choice; `min ≤ max`. Errors name the question: `questions[<id>].show_if`.
    pub fn check_structure(&self) -> Result<(), RuleError> {
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        for (i, q) in self.questions.iter().enumerate() {
            let at = |part: &str| {
                if q.id.is_empty() {
                    format!("questions[{i}].{part}")
                } else {
                    format!("questions[{}].{part}", q.id)
                }
            };
            if q.id.trim().is_empty() {
                return Err(RuleError::field(ErrorCode::Required, at("id")));
            }
            if !seen.insert(&q.id) {
                return Err(RuleError::field(ErrorCode::InvalidRequest, at("id"))
                    .with_detail(format!("question id {} twice", q.id)));
            }
            match q.kind {
                QuestionKind::Single | QuestionKind::Multi => {
                    if q.choices.is_empty() {
                        return Err(RuleError::field(ErrorCode::Required, at("choices")));
                    }
                    let mut ids = BTreeSet::new();
                    for c in &q.choices {
                        if c.id.trim().is_empty() || !ids.insert(c.id.as_str()) {
                            return Err(RuleError::field(ErrorCode::InvalidRequest, at("choices"))
                                .with_detail(format!("choice id “{}” empty or twice", c.id)));
                        }
                    }
                }
                _ if !q.choices.is_empty() => {
                    return Err(RuleError::field(ErrorCode::InvalidRequest, at("choices"))
                        .with_detail("choices only for single and multi"));
                }
                _ => {}
            }
            if let (Some(a), Some(b)) = (q.min, q.max)
                && a > b
            {
                return Err(RuleError::field(ErrorCode::OutOfRange, at("min"))
                    .with_detail(format!("min {a} > max {b}")));
            }
            if [q.min, q.max].iter().flatten().any(|v| !v.is_finite()) {
                return Err(RuleError::field(ErrorCode::OutOfRange, at("min")));
            }
            if let Some(c) = &q.show_if {
                if let Some(p) = c.shape_problem() {
                    return Err(
                        RuleError::field(ErrorCode::InvalidRequest, at("show_if")).with_detail(p)
                    );
                }
                // Only questions already seen (earlier ones): a condition on a later question, or
                // on itself, is refused.
                if let Some(bad) = c
                    .questions()
                    .into_iter()
                    .find(|id| !seen.contains(id) || *id == q.id)
                {
                    return Err(RuleError::field(ErrorCode::InvalidRequest, at("show_if"))
                        .with_detail(format!("{bad} is not an earlier question")));
                }
            }
        }
        Ok(())
    }

    /// Every form check (a form version's, and the starter forms'): the structure, then title and
    /// labels in at least one language, lengths and counts within the rule set, bound fields (S6) of a fitting
    /// type, satisfaction topics (S5) that the rule set knows.
    pub fn check(&self, r: &SurveyRules) -> Result<(), RuleError> {
        check_text(&self.id, "id", r.id_max_chars, true)?;
        if self.version == 0 {
            return Err(RuleError::field(ErrorCode::OutOfRange, "version").with_detail("≥ 1"));
        }
        // One language is enough (the pages fall back to the other): staff need not type English.
        let needs = |other: &str| other.trim().is_empty();
        check_text(
            &self.title_zh,
            "title_zh",
            r.label_max_chars,
            needs(&self.title_en),
        )?;
        check_text(&self.title_en, "title_en", r.label_max_chars, false)?;
        if self.questions.is_empty() || self.questions.len() > r.questions_max {
            return Err(RuleError::field(ErrorCode::OutOfRange, "questions")
                .with_detail(format!("1–{}", r.questions_max)));
        }
        self.check_structure()?;
        for q in &self.questions {
            let at = |part: &str| format!("questions[{}].{part}", q.id);
            let text = |v: &str, part: &str, required: bool| {
                check_text(v, &at(part), r.label_max_chars, required)
            };
            check_text(&q.id, &at("id"), r.id_max_chars, true)?;
            text(&q.label_zh, "label_zh", needs(&q.label_en))?;
            text(&q.label_en, "label_en", false)?;
            text(q.help_zh.as_deref().unwrap_or(""), "help_zh", false)?;
            text(q.help_en.as_deref().unwrap_or(""), "help_en", false)?;
            if q.choices.len() > r.choices_max {
                return Err(RuleError::field(ErrorCode::OutOfRange, at("choices"))
                    .with_detail(format!("≤ {}", r.choices_max)));
            }
            for c in &q.choices {
                check_text(&c.id, &at("choices"), r.id_max_chars, true)?;
                text(&c.label_zh, "choices", needs(&c.label_en))?;
                text(&c.label_en, "choices", false)?;
            }
            if let Some(b) = q.binds
                && (b.kind() != q.kind || !q.choices.iter().all(|c| b.choice_ok(&c.id)))
            {
                return Err(RuleError::field(ErrorCode::InvalidRequest, at("binds"))
                    .with_detail(format!("{b:?} does not fit this question")));
            }
            if let Some(t) = &q.topic {
                if !r.satisfaction_min.contains_key(t) {
                    return Err(
                        RuleError::field(ErrorCode::OutOfRange, at("topic")).with_detail(
                            r.satisfaction_min
                                .keys()
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(" | "),
                        ),
                    );
                }
                let measurable = q.kind == QuestionKind::Yesno
                    || (q.kind == QuestionKind::Single && q.choices.iter().any(|c| c.satisfied));
                if !measurable {
                    return Err(RuleError::field(ErrorCode::InvalidRequest, at("topic"))
                        .with_detail("a yes/no, or a single choice with a `satisfied` choice"));
                }
            }
        }
        Ok(())
    }
}

/// The starter forms shipped as data (`core/data/forms/`): the half-yearly needs survey of key groups
/// (S1), the satisfaction survey (S5, with S3's management satisfaction), and the disabled residents'
/// rehabilitation-needs screening (S3).
pub const STARTER_FORMS: &[(&str, &str)] = &[
    (
        "needs-survey",
        include_str!("../../data/forms/needs-survey.json"),
    ),
    (
        "satisfaction",
        include_str!("../../data/forms/satisfaction.json"),
    ),
    (
        "disability-screening",
        include_str!("../../data/forms/disability-screening.json"),
    ),
];

/// A starter form by name (`needs-survey`, `satisfaction`, `disability-screening`).
pub fn starter_form(name: &str) -> Option<Form> {
    let (_, json) = STARTER_FORMS.iter().find(|(n, _)| *n == name)?;
    serde_json::from_str(json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use serde_json::json;

    fn form(questions: serde_json::Value) -> Form {
        serde_json::from_value(
            json!({"id":"f","version":1,"title_zh":"表","title_en":"Form",
            "questions": questions}),
        )
        .unwrap()
    }

    fn err(f: &Form) -> (ErrorCode, String) {
        let e = f.check(&RuleSet::default().surveys).unwrap_err();
        (e.code, e.field.unwrap_or_default())
    }

    fn q(id: &str, extra: serde_json::Value) -> serde_json::Value {
        let mut v = json!({"id":id,"type":"number","label_zh":"问","label_en":"Q"});
        v.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        v
    }

    /// Every starter form passes every form check (S1, S3, S5).
    #[test]
    fn starter_forms_pass_the_checks() {
        let rules = RuleSet::default().surveys;
        for (name, json) in STARTER_FORMS {
            let f: Form = serde_json::from_str(json).unwrap_or_else(|e| panic!("{name}: {e}"));
            f.check(&rules).unwrap_or_else(|e| panic!("{name}: {e:?}"));
        }
        assert_eq!(
            starter_form("needs-survey").unwrap().purpose,
            Purpose::Needs
        );
        assert_eq!(
            starter_form("satisfaction").unwrap().purpose,
            Purpose::Satisfaction
        );
        assert_eq!(
            starter_form("disability-screening").unwrap().purpose,
            Purpose::DisabilityScreening
        );
        assert!(starter_form("census").is_none());
    }

    #[test]
    fn form_checks_name_the_question() {
        let ok = form(json!([
            q("a", json!({})),
            q("b", json!({"show_if":{"q":"a","op":"gt","value":1}}))
        ]));
        assert!(ok.check(&RuleSet::default().surveys).is_ok());
        // Ids unique.
        let f = form(json!([q("a", json!({})), q("a", json!({}))]));
        assert_eq!(
            err(&f),
            (ErrorCode::InvalidRequest, "questions[a].id".into())
        );
        // Conditions only on earlier questions (not on a later one, not on itself).
        let f = form(json!([
            q("a", json!({"show_if":{"q":"b","op":"answered"}})),
            q("b", json!({}))
        ]));
        assert_eq!(
            err(&f),
            (ErrorCode::InvalidRequest, "questions[a].show_if".into())
        );
        let f = form(json!([q(
            "a",
            json!({"show_if":{"not":{"q":"a","op":"answered"}}})
        )]));
        assert_eq!(err(&f).1, "questions[a].show_if");
        // Choices for single and multi.
        let f = form(json!([q("s", json!({"type":"single"}))]));
        assert_eq!(
            err(&f),
            (ErrorCode::Required, "questions[s].choices".into())
        );
        // min ≤ max.
        let f = form(json!([q("n", json!({"min":10,"max":5}))]));
        assert_eq!(err(&f), (ErrorCode::OutOfRange, "questions[n].min".into()));
        // A label in at least one language: English alone may be missing, not both.
        let f = form(json!([q("n", json!({"label_en":""}))]));
        assert!(f.check(&RuleSet::default().surveys).is_ok());
        let f = form(json!([q("n", json!({"label_en":"","label_zh":" "}))]));
        assert_eq!(
            err(&f),
            (ErrorCode::Required, "questions[n].label_zh".into())
        );
        let f = form(json!([q("s", json!({"type":"single","choices":["x"]}))]));
        assert_eq!(
            err(&f),
            (ErrorCode::Required, "questions[s].choices".into())
        );
        // …which the API's shape may leave out: its structure passes.
        assert!(f.check_structure().is_ok());
        // S6: a bound question of a fitting type.
        let f = form(json!([q(
            "y",
            json!({"type":"text","binds":"person_birth_year"})
        )]));
        assert_eq!(err(&f).1, "questions[y].binds");
        let f = form(json!([q(
            "g",
            json!({"type":"multi","binds":"person_key_groups",
            "choices":[{"id":"astronaut","label_zh":"宇航员","label_en":"astronaut"}]})
        )]));
        assert_eq!(err(&f).1, "questions[g].binds");
        // S5: a known topic on a measurable question.
        let f = form(json!([q("t", json!({"type":"yesno","topic":"weather"}))]));
        assert_eq!(
            err(&f),
            (ErrorCode::OutOfRange, "questions[t].topic".into())
        );
        let f = form(json!([q(
            "t",
            json!({"type":"text","topic":"environment"})
        )]));
        assert_eq!(
            err(&f),
            (ErrorCode::InvalidRequest, "questions[t].topic".into())
        );
        // A title, in one language at least.
        let mut f = ok.clone();
        f.title_zh.clear();
        assert!(
            f.check(&RuleSet::default().surveys).is_ok(),
            "the English title is enough"
        );
        f.title_en.clear();
        assert_eq!(err(&f), (ErrorCode::Required, "title_zh".into()));
    }
}
