//! `/draft/:id`: a form filled at a door. The draft is read from IndexedDB; each answer is written back
//! as it is given; only the questions the core says are visible are shown; submitting asks the core to
//! validate against the draft's own form version, drops answers of questions no longer shown, then
//! queues the response and deletes the draft in one transaction. Works with no signal.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::shell::router::navigate;
use crate::surveys::draft::{self, Draft};
use crate::surveys::strings::Surveys;
use crate::surveys::title;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::surveys::{Form, Question, QuestionKind, Validation, validate};
use serde_json::Value;
use uuid::Uuid;

/// The draft's form version and the household's place, from the local view.
fn form_and_place(d: &Draft) -> Option<(Form, String)> {
    state::with(|l| {
        let v = l.view.form_version(&d.community, d.form_version_id)?;
        let door = l.view.door(&d.community, d.household_id)?;
        Some((v.form(), door.place()))
    })
}

fn check(form: &Form, d: &Draft, lang: Lang) -> Validation {
    validate(
        form,
        &d.answers,
        state::rules().surveys.text_answer_max_chars,
        lang,
    )
}

#[component]
pub fn FillPage(lang: Lang, id: Uuid) -> impl IntoView {
    let tr = move |k: Surveys| k.text(lang);
    let current = RwSignal::new(None::<Draft>);
    let loaded = RwSignal::new(false);
    let error = RwSignal::new(None::<SaveError>);
    // Errors are shown once submission was tried (and for a number out of range at once).
    let tried = RwSignal::new(false);
    wasm_bindgen_futures::spawn_local(async move {
        current.set(draft::get(id).await);
        loaded.set(true);
    });
    // Sets (or clears, with `None`) one answer and writes the draft at once.
    let answer = move |q: String, v: Option<Value>| {
        let Some(mut d) = current.get_untracked() else {
            return;
        };
        match v {
            Some(v) => d.answers.insert(q.clone(), v),
            None => d.answers.remove(&q),
        };
        d.prefilled.remove(&q);
        current.set(Some(d.clone()));
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(e) = draft::put(&d).await {
                error.set(Some(e));
            }
        });
    };
    let submit = move |_| {
        let Some(mut d) = current.get_untracked() else {
            return;
        };
        let Some((form, _)) = form_and_place(&d) else {
            return;
        };
        // What is no longer shown (an earlier answer changed) is not part of the response.
        let visible = check(&form, &d, lang).visible;
        d.answers.retain(|q, _| visible.contains(q));
        tried.set(true);
        if !check(&form, &d, lang).valid {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            match draft::submit(&d).await {
                Ok(_) => navigate(&format!("/survey/{}/visits?submitted=1", d.form_id), false),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let body = move || {
        if !loaded.get() {
            return ().into_any();
        }
        let Some(d) = current.get() else {
            return view! { <p class="warn" data-testid="draft-gone">{tr(Surveys::FormGone)}</p> }
                .into_any();
        };
        let Some((form, place)) = form_and_place(&d) else {
            return view! { <p class="warn" data-testid="draft-gone">{tr(Surveys::FormGone)}</p> }
                .into_any();
        };
        let v = check(&form, &d, lang);
        let shown_errors = tried.get();
        let questions = form
            .questions
            .iter()
            .filter(|q| v.visible.contains(&q.id))
            .map(|q| {
                let err = v
                    .errors
                    .iter()
                    .find(|e| {
                        e.field == q.id && (shown_errors || e.code.as_str() == "out_of_range")
                    })
                    .map(|e| e.message.clone());
                let prefilled = d.prefilled.contains(&q.id);
                question_view(
                    q.clone(),
                    d.answers.get(&q.id).cloned(),
                    err,
                    prefilled,
                    lang,
                    answer,
                )
            })
            .collect_view();
        view! {
            <h1 data-testid="fill-title">{title(&form.title_zh, &form.title_en, lang)}</h1>
            <p class="big" data-testid="fill-place">{place}</p>
            <p class="sub">{linli_core::i18n::fill(tr(Surveys::Version), &[&form.version.to_string()])}
                {d.fixes.map(|_| format!(" · {}", tr(Surveys::FixOf)))}</p>
            <p class="ok" data-testid="draft-saved">{tr(Surveys::DraftSaved)}</p>
            <form class="form survey-form" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                {questions}
                <FormError lang=lang error=error fields=&[] />
                <button type="button" class="btn primary wide" data-testid="submit-response" on:click=submit>{tr(Surveys::Submit)}</button>
            </form>
        }
        .into_any()
    };
    view! { <section class="page fill">{body}</section> }
}

/// One question with its input, its help, its error and the "known already" note.
fn question_view(
    q: Question,
    current: Option<Value>,
    error: Option<String>,
    prefilled: bool,
    lang: Lang,
    answer: impl Fn(String, Option<Value>) + Copy + 'static,
) -> impl IntoView {
    let qid = q.id.clone();
    let label = format!("{}{}", q.label(lang), if q.required { " *" } else { "" });
    let help = match lang {
        Lang::Zh => q.help_zh.clone(),
        Lang::En => q.help_en.clone().or(q.help_zh.clone()),
    };
    let input = match q.kind {
        QuestionKind::Single | QuestionKind::Multi | QuestionKind::Yesno => {
            let multi = q.kind == QuestionKind::Multi;
            let options: Vec<(Value, String)> = if q.kind == QuestionKind::Yesno {
                vec![
                    (Value::Bool(true), Surveys::Yes.text(lang).to_string()),
                    (Value::Bool(false), Surveys::No.text(lang).to_string()),
                ]
            } else {
                q.choices
                    .iter()
                    .map(|c| {
                        (
                            Value::String(c.id.clone()),
                            title(&c.label_zh, &c.label_en, lang),
                        )
                    })
                    .collect()
            };
            options
                .into_iter()
                .map(|(value, text)| {
                    let checked = match (&current, multi) {
                        (Some(Value::Array(a)), true) => a.contains(&value),
                        (Some(v), false) => *v == value,
                        _ => false,
                    };
                    let key = match &value {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let (qid, current) = (qid.clone(), current.clone());
                    let on_change = move |ev: leptos::ev::Event| {
                        let on = event_target_checked(&ev);
                        if multi {
                            let mut list = match &current {
                                Some(Value::Array(a)) => a.clone(),
                                _ => vec![],
                            };
                            list.retain(|x| *x != value);
                            if on {
                                list.push(value.clone());
                            }
                            answer(qid.clone(), (!list.is_empty()).then_some(Value::Array(list)));
                        } else {
                            answer(qid.clone(), Some(value.clone()));
                        }
                    };
                    view! {
                        <label class="check choice">
                            <input type=if multi { "checkbox" } else { "radio" } name=q.id.clone() value=key
                                prop:checked=checked on:change=on_change />
                            <span>{text}</span>
                        </label>
                    }
                })
                .collect_view()
                .into_any()
        }
        QuestionKind::Number | QuestionKind::Text | QuestionKind::Date => {
            let kind = q.kind;
            let shown = match &current {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => crate::surveys::number_text(n),
                _ => String::new(),
            };
            let qid = qid.clone();
            let on_change = move |ev: leptos::ev::Event| {
                let text = event_target_value(&ev).trim().to_string();
                let v = if text.is_empty() {
                    None
                } else if kind == QuestionKind::Number {
                    // Not a number: kept as text, so the core names the question (wrong_type).
                    Some(
                        text.replace(',', "")
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                            .unwrap_or(Value::String(text)),
                    )
                } else {
                    Some(Value::String(text))
                };
                answer(qid.clone(), v);
            };
            view! {
                <input class="input" name=q.id.clone()
                    type=match kind { QuestionKind::Date => "date", _ => "text" }
                    inputmode=if kind == QuestionKind::Number { "decimal" } else { "text" }
                    prop:value=shown on:change=on_change />
            }
            .into_any()
        }
    };
    view! {
        <fieldset class="field question" data-testid="question" data-q=q.id.clone()>
            <legend class="label">{label}</legend>
            {help.map(|h| view! { <p class="sub">{h}</p> })}
            {prefilled.then(|| view! { <p class="badge pending" data-testid="prefilled">{Surveys::Prefilled.text(lang)}</p> })}
            {input}
            {error.map(|e| view! { <p class="field-error" role="alert" data-testid="answer-error">{e}</p> })}
        </fieldset>
    }
}
