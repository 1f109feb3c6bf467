//! Door-to-door surveys (入户调查, RULES §4): the forms and what is due (`list`: `/surveys`), the form
//! builder (`builder`: `/survey/:form/edit`), the doors of a survey with their status and the revisit list
//! (`visits`: `/survey/:form/visits`), the form filled at a door from a draft kept in IndexedDB answer by
//! answer (`fill`: `/draft/:id`, `draft`), review and exports (`responses`: `/survey/:form/responses`), and a
//! household's service ledger (`ledger`: `/household/:id/ledger`).
//!
//! Every check, figure and list is the core's (`linli_core::surveys`); the pages only show them.

pub mod builder;
pub mod draft;
pub mod fill;
pub mod ledger;
pub mod list;
pub mod responses;
pub mod strings;
pub mod visits;

use linli_core::Lang;
use linli_core::date::Date;
use linli_core::surveys::{Form, HouseholdStatus, Question, QuestionKind};
use linli_core::sync::{Body, Operation};
use serde_json::Value;
use strings::Surveys;

/// A surveys change for the refused list, e.g. "答卷 1号楼 101"; `None` for another feature's change.
pub fn describe_op(op: &Operation, lang: Lang) -> Option<String> {
    let (key, what) = match &op.body {
        Body::FormVersionAdd(f) => (Surveys::OpForm, title(&f.title_zh, &f.title_en, lang)),
        Body::VisitAdd(v) => (Surveys::OpVisit, v.date.to_string()),
        Body::SurveyResponseAdd(_) => (Surveys::OpResponse, String::new()),
        Body::ResponseReviewAdd(_) => (Surveys::OpReview, String::new()),
        Body::SurveyAssignmentPut(a) => (Surveys::OpAssignment, a.collector.clone()),
        _ => return None,
    };
    Some(format!("{} {what}", key.text(lang)).trim_end().to_string())
}

/// A title in `lang` (the other language's when it has none).
pub fn title(zh: &str, en: &str, lang: Lang) -> String {
    match lang {
        Lang::En if !en.trim().is_empty() => en.to_string(),
        _ if !zh.trim().is_empty() => zh.to_string(),
        _ => en.to_string(),
    }
}

/// A form's title in `lang`.
pub fn form_title(f: &Form, lang: Lang) -> String {
    title(&f.title_zh, &f.title_en, lang)
}

/// A household status in words, and its CSS/test name.
pub fn status_words(s: HouseholdStatus, lang: Lang) -> (&'static str, &'static str) {
    match s {
        HouseholdStatus::NotVisited => (Surveys::StatusNotVisited.text(lang), "not_visited"),
        HouseholdStatus::Answered => (Surveys::StatusAnswered.text(lang), "answered"),
        HouseholdStatus::NotHome => (Surveys::StatusNotHome.text(lang), "not_home"),
        HouseholdStatus::Refused => (Surveys::StatusRefused.text(lang), "refused"),
        HouseholdStatus::Vacant => (Surveys::StatusVacant.text(lang), "vacant"),
    }
}

/// An answer as people read it: choices by their label, yes/no as 是/否, numbers and text as given.
pub fn answer_text(q: &Question, v: &Value, lang: Lang) -> String {
    let choice = |id: &str| {
        q.choices
            .iter()
            .find(|c| c.id == id)
            .map(|c| title(&c.label_zh, &c.label_en, lang))
            .unwrap_or_else(|| id.to_string())
    };
    match (q.kind, v) {
        (QuestionKind::Yesno, Value::Bool(b)) => if *b { Surveys::Yes } else { Surveys::No }
            .text(lang)
            .to_string(),
        (QuestionKind::Single, Value::String(s)) => choice(s),
        (QuestionKind::Multi, Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(choice)
            .collect::<Vec<_>>()
            .join(if lang == Lang::Zh { "、" } else { ", " }),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Number(n)) => number_text(n),
        (_, other) => other.to_string(),
    }
}

/// A number as typed: 2 rather than 2.0.
pub fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => n.to_string(),
    }
}

/// Today in China time.
pub fn today() -> Date {
    Date::from_unix_ms_cst(crate::data::state::now_ms() as i64)
}

#[cfg(not(feature = "vote"))]
crate::split!(
    surveys,
    /// The feature's pages, a Wasm chunk of their own fetched when one of them first opens (issue 8, see
    /// `shell::chunk`); the shell's route table sends their routes here.
    pub fn page(
        route: crate::shell::router::Route,
        lang: Lang,
    ) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        Ok({
            use crate::shell::router::Route;
            use leptos::prelude::*;
            match route {
                Route::Surveys => view! { <list::SurveysPage lang=lang /> }.into_any(),
                Route::SurveyEdit(id) => {
                    view! { <builder::BuilderPage lang=lang form=id /> }.into_any()
                }
                Route::SurveyVisits(id) => {
                    view! { <visits::VisitsPage lang=lang form=id /> }.into_any()
                }
                Route::SurveyResponses(id) => {
                    view! { <responses::ResponsesPage lang=lang form=id /> }.into_any()
                }
                Route::Draft(id) => view! { <fill::FillPage lang=lang id=id /> }.into_any(),
                Route::Ledger(id) => view! { <ledger::LedgerPage lang=lang id=id /> }.into_any(),
                _ => ().into_any(),
            }
        })
    }
);

#[cfg(not(feature = "vote"))]
crate::split!(
    surveys_due,
    /// The staff home page's line of what is due (on the roster's page, in this feature's chunk).
    pub fn due_card(lang: Lang) -> crate::shell::chunk::Loaded<leptos::prelude::AnyView> {
        Ok({
            use leptos::prelude::*;
            view! { <list::DueCard lang=lang /> }.into_any()
        })
    }
);
