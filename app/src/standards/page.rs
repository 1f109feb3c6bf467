//! `/standards/:id`: one standard's rows as the standard groups them (stars, headings, articles), each
//! with its status as an icon and a word, its value against the threshold, and what it takes to meet it in
//! its own unit (还差 2 名志愿者); a filter for the rows not met or due this period; the verdict; and, for
//! the rows Linli cannot compute, a form to enter them (a new entry each time: the history stays).

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::standards::evaluate;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::standards::{
    Catalogue, Class, Indicator, IndicatorResult, Kind, StandardEntryFields, Status, words,
};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use serde_json::{Value, json};
use uuid::Uuid;

/// The status as an icon (never colour alone) and a CSS/test name.
fn icon(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Met => ("✓", "met"),
        Status::NotMet => ("✗", "not_met"),
        Status::InProgress => ("…", "in_progress"),
        Status::NoData => ("?", "no_data"),
        Status::NoThreshold => ("–", "no_threshold"),
    }
}

/// A value or threshold as people read it: shares in percent, the rest with the row's unit.
fn shown(ind: &Indicator, v: &Value, lang: Lang) -> String {
    let unit = match lang {
        Lang::Zh => ind.unit_zh.clone(),
        Lang::En => ind.unit.clone(),
    }
    .unwrap_or_default();
    let num = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.parse::<f64>().ok(),
        Value::Bool(b) => {
            return if *b { Std::Done } else { Std::NotDone }
                .text(lang)
                .to_string();
        }
        _ => None,
    };
    match (num, ind.kind) {
        (None, _) => "—".to_string(),
        (Some(x), Kind::Share) => format!("{:.1}%", x * 100.0),
        (Some(x), _) => format!("{} {unit}", (x * 100.0).round() / 100.0)
            .trim_end()
            .to_string(),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Filter {
    All,
    NotMet,
    Due,
}

#[component]
pub fn StandardPage(lang: Lang, id: String) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Std| k.text(lang);
    let filter = RwSignal::new(Filter::All);
    let Some(std) = Catalogue::get().standard(&id) else {
        return view! {
            <section class="page">
                <h1>{tr(Std::NotFound)}</h1>
                <a class="btn" href="/standards">{tr(Std::Back)}</a>
            </section>
        }
        .into_any();
    };
    let standard = std.standard.clone();
    let evaluation = Memo::new(move |_| {
        ui.rev.get();
        evaluate(&standard)
    });
    let name = match lang {
        Lang::Zh => std.name_zh.clone(),
        Lang::En => std.name_en.clone(),
    };
    let is_zz = std.standard == "zhengzhou";
    let verdict = move || {
        let e = evaluation.get()?;
        let met = e.groups.iter().filter(|g| g.status == Status::Met).count();
        let mut line = fill(
            tr(Std::GroupsMet),
            &[&met.to_string(), &e.groups.len().to_string()],
        );
        if is_zz {
            let stars = e
                .verdict
                .get("stars_met")
                .and_then(|s| s.as_array())
                .map_or(0, Vec::len);
            let level = words::level(e.verdict.get("level").and_then(|l| l.as_str())).text(lang);
            line = format!(
                "{line} · {} · {level}",
                fill(tr(Std::StarsMet), &[&stars.to_string()])
            );
        }
        Some(line)
    };
    let groups = std.groups.clone();
    let rows_of = move |group: String| {
        let e = evaluation.get();
        let f = filter.get();
        Catalogue::get()
            .standard(&id)
            .map(|s| {
                s.indicators
                    .iter()
                    .filter(|i| i.group == group)
                    .filter_map(|i| {
                        let r = e
                            .as_ref()?
                            .indicators
                            .iter()
                            .find(|r| r.id == i.id)?
                            .clone();
                        let keep = match f {
                            Filter::All => true,
                            Filter::NotMet => r.status == Status::NotMet,
                            Filter::Due => r.current.is_some() || r.status == Status::InProgress,
                        };
                        keep.then(|| (i.clone(), r))
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    let filter_button = move |f: Filter, k: Std, testid: &'static str| {
        view! {
            <button type="button" class="btn" data-testid=testid class:primary=move || filter.get() == f
                on:click=move |_| filter.set(f)>{tr(k)}</button>
        }
    };
    view! {
        <section class="page">
            <a class="btn" href="/standards">{tr(Std::Back)}</a>
            <h1>{name}</h1>
            <p data-testid="verdict"><strong>{tr(Std::Verdict)}</strong> " " {verdict}</p>
            <div class="row-actions" role="group">
                {filter_button(Filter::All, Std::ShowAll, "filter-all")}
                {filter_button(Filter::NotMet, Std::ShowNotMet, "filter-not-met")}
                {filter_button(Filter::Due, Std::ShowDue, "filter-due")}
            </div>
            {groups.into_iter().map(|g| {
                let gid = g.id.clone();
                let title = match lang { Lang::Zh => g.name_zh.clone(), Lang::En => g.name_en.clone().unwrap_or(g.name_zh.clone()) };
                let status = move || {
                    let e = evaluation.get()?;
                    let r = e.groups.iter().find(|x| x.id == gid)?;
                    Some((icon(r.status), words::status(r.status).text(lang), r.rows_met, r.rows_deciding))
                };
                let gid2 = g.id.clone();
                let rows_of = rows_of.clone();
                view! {
                    <section class="card" data-testid="standard-group" data-group=g.id.clone()>
                        <h2>{title} " "
                            {move || status().map(|((i, css), w, met, all)| view! {
                                <span class=format!("badge {css}")>{i} " " {w} {format!(" {met}/{all}")}</span>
                            })}
                        </h2>
                        <ul class="list">
                            {move || rows_of(gid2.clone()).into_iter().map(|(ind, r)| view! { <Row lang=lang ind=ind r=r /> }).collect_view()}
                        </ul>
                    </section>
                }
            }).collect_view()}
        </section>
    }
    .into_any()
}

/// One indicator: status, value against threshold, the gap sentence, and the entry form where staff enter it.
#[component]
fn Row(lang: Lang, ind: Indicator, r: IndicatorResult) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let (i, css) = icon(r.status);
    let threshold = r
        .threshold
        .clone()
        .map(Value::String)
        .unwrap_or(Value::Null);
    let value = shown(&ind, &r.value, lang);
    let target = match (
        &r.comparator,
        ind.threshold.is_some() || r.threshold.is_some(),
    ) {
        (Some(c), true) => format!("{c} {}", shown(&ind, &threshold, lang)),
        _ => ind.threshold_text.clone(),
    };
    let gap = words::gap_sentence(&ind, &r, lang);
    let current = words::current_sentence(&r, lang);
    let entered = !linli_core::standards::inputs::COMPUTED_BY_LINLI.contains(&ind.id.as_str());
    let name = match lang {
        Lang::Zh => ind.name_zh.clone(),
        Lang::En => ind.gloss.clone(),
    };
    view! {
        <li class="card indicator" data-testid="indicator" data-id=ind.id.clone() data-status=css>
            <p class="title"><span class=format!("badge {css}") data-testid="indicator-status">{i} " " {words::status(r.status).text(lang)}</span> " " {name}</p>
            <p class="sub">{ind.id.clone()} " · 「" {ind.quote.clone()} "」"</p>
            <p>
                {tr(Std::Value)} {crate::shell::i18n::colon(lang)} <b data-testid="indicator-value">{value}</b>
                " · " {tr(Std::Threshold)} {crate::shell::i18n::colon(lang)} {target}
                {(!entered).then(|| format!(" · {}", tr(Std::Computed)))}
                {(entered && ind.class == Class::Computed).then(|| format!(" · {}", tr(Std::NoRegister)))}
            </p>
            {gap.map(|g| view! { <p class="warn" data-testid="indicator-gap">{g}</p> })}
            {current.map(|c| view! { <p class="sub" data-testid="indicator-current">{c}</p> })}
            {entered.then(|| view! { <EntryForm lang=lang ind=ind.clone() /> })}
        </li>
    }
}

/// Entering a manual or checklist row: the input its kind takes, a note and the evidence; a new entry each time.
#[component]
fn EntryForm(lang: Lang, ind: Indicator) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let amount = RwSignal::new(String::new());
    let den = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let evidence = RwSignal::new(String::new());
    let error = RwSignal::new(None::<SaveError>);
    let id = ind.id.clone();
    let kind = ind.kind;
    let last = {
        let c = state::community();
        state::with(|l| l.view.standard_entries(&c).remove(&id))
    };
    let history = last.as_ref().map(|v| v.len()).unwrap_or(0);
    let latest = last.and_then(|v| v.last().cloned()).map(|e| {
        let day = linli_core::date::Date::from_unix_ms_cst(e.fields.at_ms as i64);
        fill(
            tr(Std::EnteredBy),
            &[&e.fields.entered_by, &day.to_string()],
        )
    });
    let save = move |input: Value| {
        let body = Body::StandardEntryAdd(StandardEntryFields {
            indicator_id: id.clone(),
            input,
            note: note.get_untracked().trim().to_string(),
            evidence: evidence.get_untracked().trim().to_string(),
            entered_by: state::username(),
            at_ms: state::now_ms(),
            photos: vec![],
        });
        let entity = EntityRef {
            kind: EntityKind::StandardEntry,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let save2 = save.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let a = amount.get_untracked().trim().to_string();
        let input = match kind {
            Kind::Share => {
                json!({ "num": a.parse::<f64>().ok(), "den": den.get_untracked().trim().parse::<f64>().ok() })
            }
            Kind::Count | Kind::Cadence => {
                json!({ "dates": a.split(['\n', ',', '，', ' ']).map(str::trim).filter(|s| !s.is_empty()).collect::<Vec<_>>() })
            }
            _ => json!({ "value": a }),
        };
        save2(input);
    };
    view! {
        <details class="entry">
            <summary data-testid="enter">{tr(Std::Enter)} {latest.map(|l| format!(" · {l}"))} {(history > 1).then(|| format!(" · {}", fill(tr(Std::History), &[&(history - 1).to_string()])))}</summary>
            <form class="form" on:submit=submit>
                <label class="field"><span class="label">{tr(Std::Note)}</span>
                    <input name="entry-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{tr(Std::Evidence)}</span>
                    <input name="entry-evidence" prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev)) /></label>
                {match kind {
                    Kind::Checklist => {
                        let (yes, no) = (save.clone(), save.clone());
                        view! {
                            <div class="row-actions">
                                <button type="button" class="btn primary" data-testid="entry-done" on:click=move |_| yes(json!({"done": true}))>{tr(Std::Done)}</button>
                                <button type="button" class="btn" data-testid="entry-not-done" on:click=move |_| no(json!({"done": false}))>{tr(Std::NotDone)}</button>
                            </div>
                        }.into_any()
                    }
                    Kind::Share => view! {
                        <label class="field"><span class="label">{tr(Std::Numerator)}</span>
                            <input name="entry-num" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) /></label>
                        <label class="field"><span class="label">{tr(Std::Denominator)}</span>
                            <input name="entry-den" inputmode="decimal" prop:value=move || den.get() on:input=move |ev| den.set(event_target_value(&ev)) /></label>
                        <button type="submit" class="btn primary wide" data-testid="entry-save">{tr(Std::Save)}</button>
                    }.into_any(),
                    Kind::Count | Kind::Cadence => view! {
                        <label class="field"><span class="label">{tr(Std::Dates)}</span>
                            <textarea name="entry-dates" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev))></textarea></label>
                        <button type="submit" class="btn primary wide" data-testid="entry-save">{tr(Std::Save)}</button>
                    }.into_any(),
                    Kind::Quantity => view! {
                        <label class="field"><span class="label">{tr(Std::Amount)}</span>
                            <input name="entry-value" inputmode="decimal" prop:value=move || amount.get() on:input=move |ev| amount.set(event_target_value(&ev)) /></label>
                        <button type="submit" class="btn primary wide" data-testid="entry-save">{tr(Std::Save)}</button>
                    }.into_any(),
                }}
                <FormError lang=lang error=error fields=&["note", "evidence"] />
            </form>
        </details>
    }
}
