//! `/survey/:form/edit`: the form builder. Staff add questions (single or multiple choice, yes/no, number
//! with a range, text, date), required or not, with help text, labels in Chinese and English and a
//! "show only if" condition on an earlier answer; publishing makes a new version (a published version is
//! never changed, so answers started under it are finished under it). Also the XLSForm import, which
//! asks the server to read the workbook and publishes what it returns.

use crate::data::net;
use crate::data::state::{self, SaveError};
use crate::shell::field::{Check, FormError, Input};
use crate::shell::router::navigate;
use crate::surveys::list::publish;
use crate::surveys::strings::Surveys;
use crate::surveys::title;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::surveys::conditions::{Leaf, Op};
use linli_core::surveys::{
    Choice, Condition, Form, FormVersionFields, Purpose, Question, QuestionKind,
};
use serde_json::Value;
use uuid::Uuid;
use wasm_bindgen::JsCast;

fn kind_label(k: QuestionKind, lang: Lang) -> &'static str {
    match k {
        QuestionKind::Single => Surveys::TypeSingle,
        QuestionKind::Multi => Surveys::TypeMulti,
        QuestionKind::Yesno => Surveys::TypeYesno,
        QuestionKind::Number => Surveys::TypeNumber,
        QuestionKind::Text => Surveys::TypeText,
        QuestionKind::Date => Surveys::TypeDate,
    }
    .text(lang)
}

const PURPOSES: [(Purpose, &str, Surveys); 4] = [
    (Purpose::Needs, "needs", Surveys::PurposeNeeds),
    (
        Purpose::Satisfaction,
        "satisfaction",
        Surveys::PurposeSatisfaction,
    ),
    (
        Purpose::DisabilityScreening,
        "disability_screening",
        Surveys::PurposeDisability,
    ),
    (Purpose::Other, "other", Surveys::PurposeOther),
];

const KINDS: [(QuestionKind, &str); 6] = [
    (QuestionKind::Single, "single"),
    (QuestionKind::Multi, "multi"),
    (QuestionKind::Yesno, "yesno"),
    (QuestionKind::Number, "number"),
    (QuestionKind::Text, "text"),
    (QuestionKind::Date, "date"),
];

/// The value a condition compares with, read from what staff typed for question `q`: a choice's label or
/// id, yes/no, or a number.
fn condition_value(q: &Question, text: &str) -> Option<Value> {
    let t = text.trim();
    match q.kind {
        QuestionKind::Single | QuestionKind::Multi => q
            .choices
            .iter()
            .find(|c| c.id == t || c.label_zh == t || c.label_en.eq_ignore_ascii_case(t))
            .map(|c| Value::String(c.id.clone())),
        QuestionKind::Yesno => match t {
            "是" | "yes" | "Yes" | "true" => Some(Value::Bool(true)),
            "否" | "no" | "No" | "false" => Some(Value::Bool(false)),
            _ => None,
        },
        QuestionKind::Number => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number),
        _ => (!t.is_empty()).then(|| Value::String(t.to_string())),
    }
}

/// The next free question id (`q1`, `q2`, …).
fn next_id(questions: &[Question]) -> String {
    let n = questions
        .iter()
        .filter_map(|q| q.id.strip_prefix('q')?.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    format!("q{}", n + 1)
}

#[component]
pub fn BuilderPage(lang: Lang, form: Uuid) -> impl IntoView {
    let tr = move |k: Surveys| k.text(lang);
    let c = state::community();
    let latest = state::with(|l| l.view.latest_form_version(&c, form));
    let version = latest.as_ref().map_or(0, |v| v.fields.version);
    let start = latest.map(|v| v.fields);
    let title_zh = RwSignal::new(
        start
            .as_ref()
            .map(|f| f.title_zh.clone())
            .unwrap_or_default(),
    );
    let title_en = RwSignal::new(
        start
            .as_ref()
            .map(|f| f.title_en.clone())
            .unwrap_or_default(),
    );
    let purpose = RwSignal::new(start.as_ref().map_or(Purpose::Other, |f| f.purpose));
    let questions = RwSignal::new(start.map(|f| f.questions).unwrap_or_default());
    let error = RwSignal::new(None::<SaveError>);
    let published = RwSignal::new(None::<u32>);
    // The question being added.
    let kind = RwSignal::new(String::from("single"));
    let label_zh = RwSignal::new(String::new());
    let label_en = RwSignal::new(String::new());
    let help_zh = RwSignal::new(String::new());
    let required = RwSignal::new(false);
    let choices_zh = RwSignal::new(String::new());
    let choices_en = RwSignal::new(String::new());
    let min = RwSignal::new(String::new());
    let max = RwSignal::new(String::new());
    let cond_q = RwSignal::new(String::new());
    let cond_op = RwSignal::new(String::from("eq"));
    let cond_value = RwSignal::new(String::new());
    let add_error = RwSignal::new(None::<String>);
    let add = move |_| {
        let k = KINDS
            .iter()
            .find(|(_, n)| *n == kind.get_untracked())
            .map_or(QuestionKind::Text, |(k, _)| *k);
        let list = questions.get_untracked();
        let zh: Vec<String> = choices_zh
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let en: Vec<String> = choices_en
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect();
        let choices = if matches!(k, QuestionKind::Single | QuestionKind::Multi) {
            zh.iter()
                .enumerate()
                .map(|(i, z)| Choice {
                    id: format!("c{}", i + 1),
                    label_zh: z.clone(),
                    label_en: en.get(i).cloned().unwrap_or_default(),
                    satisfied: false,
                })
                .collect()
        } else {
            vec![]
        };
        let number = |s: String| s.trim().parse::<f64>().ok();
        let show_if = match list.iter().find(|q| q.id == cond_q.get_untracked()) {
            None => None,
            Some(target) => {
                let op = match cond_op.get_untracked().as_str() {
                    "ne" => Op::Ne,
                    "gt" => Op::Gt,
                    "lt" => Op::Lt,
                    "answered" => Op::Answered,
                    _ => Op::Eq,
                };
                let value = if op == Op::Answered {
                    None
                } else {
                    match condition_value(target, &cond_value.get_untracked()) {
                        Some(v) => Some(v),
                        None => {
                            return add_error.set(Some(tr(Surveys::ConditionValue).to_string()));
                        }
                    }
                };
                Some(Condition::Leaf(Leaf {
                    q: target.id.clone(),
                    op,
                    value,
                }))
            }
        };
        let q = Question {
            id: next_id(&list),
            kind: k,
            required: required.get_untracked(),
            label_zh: label_zh.get_untracked().trim().to_string(),
            label_en: label_en.get_untracked().trim().to_string(),
            help_zh: Some(help_zh.get_untracked().trim().to_string()).filter(|s| !s.is_empty()),
            help_en: None,
            choices,
            min: if k == QuestionKind::Number {
                number(min.get_untracked())
            } else {
                None
            },
            max: if k == QuestionKind::Number {
                number(max.get_untracked())
            } else {
                None
            },
            show_if,
            binds: None,
            topic: None,
        };
        // The core's checks of the whole form, before the question is kept.
        let mut next = list.clone();
        next.push(q);
        let candidate = Form {
            id: form.to_string(),
            version: version + 1,
            purpose: purpose.get_untracked(),
            title_zh: "-".into(),
            title_en: String::new(),
            questions: next.clone(),
        };
        if let Err(e) = candidate.check(&state::rules().surveys) {
            return add_error.set(Some(e.message(lang)));
        }
        add_error.set(None);
        questions.set(next);
        for s in [
            label_zh, label_en, help_zh, choices_zh, choices_en, min, max, cond_value,
        ] {
            s.set(String::new());
        }
        cond_q.set(String::new());
        required.set(false);
    };
    let publish_it = move |_| {
        let fields = FormVersionFields {
            form_id: form,
            version: version + 1,
            purpose: purpose.get_untracked(),
            title_zh: title_zh.get_untracked().trim().to_string(),
            title_en: title_en.get_untracked().trim().to_string(),
            questions: questions.get_untracked(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let v = fields.version;
            match publish(fields).await {
                Ok(()) => {
                    error.set(None);
                    published.set(Some(v));
                    navigate("/surveys", false);
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    view! {
        <section class="page builder">
            <h1>{if version == 0 { tr(Surveys::NewForm) } else { tr(Surveys::EditForm) }}</h1>
            <a class="btn" href="/surveys">{tr(Surveys::Title)}</a>
            <p class="sub">{tr(Surveys::NewVersionNote)}</p>
            <div class="card form">
                <Input label=tr(Surveys::FormTitleZh) name="form-title-zh" value=title_zh />
                <Input label=tr(Surveys::FormTitleEn) name="form-title-en" value=title_en />
                <label class="field">
                    <span class="label">{tr(Surveys::Purpose)}</span>
                    <select name="form-purpose" on:change=move |ev| {
                        let v = event_target_value(&ev);
                        if let Some((p, _, _)) = PURPOSES.iter().find(|(_, n, _)| *n == v) { purpose.set(*p) }
                    }>
                        {PURPOSES.iter().map(|(p, n, w)| view! { <option value=*n selected=move || purpose.get() == *p>{w.text(lang)}</option> }).collect_view()}
                    </select>
                </label>
            </div>
            <h2>{tr(Surveys::Questions)}</h2>
            {move || {
                let list = questions.get();
                if list.is_empty() {
                    return view! { <p class="empty">{tr(Surveys::NoQuestions)}</p> }.into_any();
                }
                view! {
                    <ol class="list questions">
                        {list.into_iter().map(|q| {
                            let id = q.id.clone();
                            let remove = move |_| questions.update(|v| {
                                // A question others depend on stays (the core would refuse the form).
                                let used = v.iter().any(|o| o.show_if.as_ref().is_some_and(|c| c.questions().contains(&id.as_str())));
                                if !used { v.retain(|o| o.id != id) }
                            });
                            view! {
                                <li class="card" data-testid="builder-question" data-q=q.id.clone()>
                                    <p><b>{q.label(lang).to_string()}</b> " " <span class="badge">{kind_label(q.kind, lang)}</span>
                                        {q.required.then(|| view! { " " <span class="badge pending">{tr(Surveys::Required)}</span> })}
                                        {q.show_if.is_some().then(|| view! { " " <span class="badge" data-testid="has-condition">{tr(Surveys::ShowIf)}</span> })}</p>
                                    {(!q.choices.is_empty()).then(|| view! { <p class="sub">{q.choices.iter().map(|c| title(&c.label_zh, &c.label_en, lang)).collect::<Vec<_>>().join(" / ")}</p> })}
                                    <button type="button" class="btn danger" data-testid="remove-question" on:click=remove>{tr(Surveys::RemoveQuestion)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <div class="card form sub-form" data-testid="question-form">
                <h3>{tr(Surveys::AddQuestion)}</h3>
                <label class="field">
                    <span class="label">{tr(Surveys::QuestionType)}</span>
                    <select name="question-type" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        {KINDS.iter().map(|(k, n)| view! { <option value=*n>{kind_label(*k, lang)}</option> }).collect_view()}
                    </select>
                </label>
                <Input label=tr(Surveys::LabelZh) name="label-zh" value=label_zh />
                <Input label=tr(Surveys::LabelEn) name="label-en" value=label_en />
                <Input label=tr(Surveys::HelpZh) name="help-zh" value=help_zh />
                <Check label=tr(Surveys::Required) name="required" value=required />
                <Show when=move || matches!(kind.get().as_str(), "single" | "multi")>
                    <label class="field">
                        <span class="label">{tr(Surveys::ChoicesZh)}</span>
                        <textarea class="input" name="choices-zh" rows="4" prop:value=move || choices_zh.get() on:input=move |ev| choices_zh.set(event_target_value(&ev))></textarea>
                    </label>
                    <label class="field">
                        <span class="label">{tr(Surveys::ChoicesEn)}</span>
                        <textarea class="input" name="choices-en" rows="4" prop:value=move || choices_en.get() on:input=move |ev| choices_en.set(event_target_value(&ev))></textarea>
                    </label>
                </Show>
                <Show when=move || kind.get() == "number">
                    <Input label=tr(Surveys::Min) name="min" value=min inputmode="decimal" />
                    <Input label=tr(Surveys::Max) name="max" value=max inputmode="decimal" />
                </Show>
                <label class="field">
                    <span class="label">{tr(Surveys::ShowIf)}</span>
                    <select name="condition-question" prop:value=move || cond_q.get() on:change=move |ev| cond_q.set(event_target_value(&ev))>
                        <option value="">{tr(Surveys::Always)}</option>
                        {move || questions.get().into_iter().map(|q| view! { <option value=q.id.clone()>{q.label(lang).to_string()}</option> }).collect_view()}
                    </select>
                </label>
                <Show when=move || !cond_q.get().is_empty()>
                    <label class="field">
                        <span class="label">{tr(Surveys::ShowIfQuestion)}</span>
                        <select name="condition-op" prop:value=move || cond_op.get() on:change=move |ev| cond_op.set(event_target_value(&ev))>
                            <option value="eq">{tr(Surveys::OpEq)}</option>
                            <option value="ne">{tr(Surveys::OpNe)}</option>
                            <option value="gt">{tr(Surveys::OpGt)}</option>
                            <option value="lt">{tr(Surveys::OpLt)}</option>
                            <option value="answered">{tr(Surveys::OpAnswered)}</option>
                        </select>
                    </label>
                    <Input label=tr(Surveys::ConditionValue) name="condition-value" value=cond_value />
                </Show>
                {move || add_error.get().map(|e| view! { <p class="field-error" role="alert" data-testid="question-error">{e}</p> })}
                <button type="button" class="btn wide" data-testid="add-question" on:click=add>{tr(Surveys::AddQuestion)}</button>
            </div>
            <FormError lang=lang error=error fields=&[] />
            {move || published.get().map(|v| view! { <p class="ok">{fill(tr(Surveys::Published), &[&v.to_string()])}</p> })}
            <button type="button" class="btn primary wide" data-testid="publish-form" on:click=publish_it>{tr(Surveys::Publish)}</button>
        </section>
    }
}

/// The XLSForm import: the server reads the workbook (calamine) and answers the form, or every problem by
/// sheet and row; nothing is published unless all of it was understood.
#[component]
pub fn ImportForm(lang: Lang, error: RwSignal<Option<SaveError>>) -> impl IntoView {
    let tr = move |k: Surveys| k.text(lang);
    let problems = RwSignal::new(Vec::<String>::new());
    let done = RwSignal::new(None::<String>);
    let on_file = move |ev: leptos::ev::Event| {
        let Some(file) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|i| i.files())
            .and_then(|f| f.get(0))
        else {
            return;
        };
        problems.set(vec![]);
        done.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let Ok(buf) = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await else {
                return;
            };
            let bytes = js_sys::Uint8Array::new(&buf);
            let token = state::with(|l| l.session.as_ref().map(|s| s.token.clone()));
            let answer = net::post_bytes(
                "/api/surveys/forms/import",
                token.as_deref(),
                lang,
                &bytes,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .await;
            match answer {
                Err(_) => problems.set(vec![tr(Surveys::ImportNeedsNetwork).to_string()]),
                Ok((200, text)) => {
                    #[derive(serde::Deserialize)]
                    struct Imported {
                        form: Form,
                    }
                    match serde_json::from_str::<Imported>(&text) {
                        Ok(i) => {
                            let id = Uuid::parse_str(&i.form.id).unwrap_or_else(|_| Uuid::now_v7());
                            let name = crate::surveys::form_title(&i.form, lang);
                            match publish(FormVersionFields::from_form(id, &i.form)).await {
                                Ok(()) => done.set(Some(fill(tr(Surveys::Imported), &[&name]))),
                                Err(e) => error.set(Some(e)),
                            }
                        }
                        Err(e) => problems.set(vec![e.to_string()]),
                    }
                }
                Ok((_, text)) => problems.set(import_problems(&text, lang)),
            }
        });
    };
    view! {
        <label class="field">
            <span class="label">{tr(Surveys::ImportXlsForm)}</span>
            <input type="file" name="xlsform" accept=".xlsx" on:change=on_file />
        </label>
        {move || done.get().map(|d| view! { <p class="ok" data-testid="imported">{d}</p> })}
        {move || {
            let p = problems.get();
            (!p.is_empty()).then(|| view! {
                <ul class="field-error" role="alert" data-testid="import-problems">
                    {p.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            })
        }}
    }
}

/// An import's refusal as lines for people: each problem with its sheet and row, else the message.
fn import_problems(text: &str, lang: Lang) -> Vec<String> {
    let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let err = &v["error"];
    let msg_key = if lang == Lang::Zh {
        "message_zh"
    } else {
        "message_en"
    };
    let lines: Vec<String> = err["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    let place = format!(
                        "{} {}",
                        p["sheet"].as_str().unwrap_or(""),
                        p["row"].as_u64().map(|r| r.to_string()).unwrap_or_default()
                    );
                    let m = p[msg_key].as_str().or(p["message"].as_str()).unwrap_or("");
                    format!("{}{}{m}", place.trim(), crate::shell::i18n::colon(lang))
                })
                .collect()
        })
        .unwrap_or_default();
    if lines.is_empty() {
        vec![err["message"].as_str().unwrap_or(text).to_string()]
    } else {
        lines
    }
}
