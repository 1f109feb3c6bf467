//! `/standards/:id`: one standard's rows as the standard groups them (stars, headings, articles), each
//! with its status as an icon and a word, its value against the threshold, and what it takes to meet it in
//! its own unit (还差 2 名志愿者); a filter for the rows not met or due this period; the verdict; and, for
//! the rows Linli cannot compute, a form to enter them (a new entry each time: the history stays) with
//! photos as evidence (照片佐证, `photo.rs`), and the row's entries with their photos as thumbnails.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::standards::strings::Std;
use crate::standards::{evaluate, photo};
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::standards::inputs::{Records, records_behind};
use linli_core::standards::logs::{Log, LogTypes};
use linli_core::standards::words::Words;
use linli_core::standards::{
    Catalogue, Class, Indicator, IndicatorResult, Kind, StandardEntryFields, Status, report, words,
};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use serde_json::{Value, json};
use uuid::Uuid;

/// The status as an icon (never colour alone) and a CSS/test name.
pub(crate) fn icon(s: Status) -> (&'static str, &'static str) {
    match s {
        Status::Met => ("✓", "met"),
        Status::NotMet => ("✗", "not_met"),
        Status::InProgress => ("…", "in_progress"),
        Status::NoData => ("?", "no_data"),
        Status::NoThreshold => ("–", "no_threshold"),
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
    let name = std.name(lang).to_string();
    let verdict = move || evaluation.get().map(|e| report::summary(&e, lang));
    let groups = std.groups.clone();
    let types = crate::standards::logs::types();
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
                        keep.then(|| (i.clone(), r, types.log_of_row(&i.id)))
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
            <div class="row-actions">
                <a class="btn" data-testid="report-link" href=format!("/standards/{}/report", std.standard)>{tr(Std::Report)}</a>
                <a class="btn" data-testid="application-link" href=format!("/standards/{}/application", std.standard)>{tr(Std::Application)}</a>
            </div>
            {(std.standard == "shanghai").then(|| crate::standards::shanghai::form_links(lang))}
            <p data-testid="verdict"><strong>{Words::Verdict.text(lang)}</strong> " " {verdict}</p>
            <crate::standards::progress::Progress lang=lang standard=std.standard.clone() />
            <div class="row-actions" role="group">
                {filter_button(Filter::All, Std::ShowAll, "filter-all")}
                {filter_button(Filter::NotMet, Std::ShowNotMet, "filter-not-met")}
                {filter_button(Filter::Due, Std::ShowDue, "filter-due")}
            </div>
            {groups.into_iter().map(|g| {
                let gid = g.id.clone();
                let title = g.name(lang).to_string();
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
                            {move || rows_of(gid2.clone()).into_iter().map(|(ind, r, log)| view! { <Row lang=lang ind=ind r=r log=log /> }).collect_view()}
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
fn Row(lang: Lang, ind: Indicator, r: IndicatorResult, log: Option<Log>) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let (i, css) = icon(r.status);
    let value = report::value_text(&ind, &r.value, lang);
    let target = report::target_text(&ind, &r, lang);
    let gap = words::gap_sentence(&ind, &r, lang);
    let current = words::current_sentence(&r, lang);
    // A row a log feeds is computed from it: its records are recorded there, not typed here.
    let entered = log.is_none()
        && !linli_core::standards::inputs::COMPUTED_BY_LINLI.contains(&ind.id.as_str());
    let name = ind.name(lang).to_string();
    view! {
        <li class="card indicator" data-testid="indicator" data-id=ind.id.clone() data-status=css>
            <p class="title"><span class=format!("badge {css}") data-testid="indicator-status">{i} " " {words::status(r.status).text(lang)}</span> " " {name}</p>
            <p class="sub">{ind.id.clone()} " · 「" {ind.quote.clone()} "」"</p>
            <p>
                {Words::ColValue.text(lang)} {crate::shell::i18n::colon(lang)} <b data-testid="indicator-value">{value}</b>
                " · " {Words::ColThreshold.text(lang)} {crate::shell::i18n::colon(lang)} {target}
                {(!entered).then(|| format!(" · {}", tr(if log.is_some() { Std::FromLog } else { Std::Computed })))}
                {(entered && ind.class == Class::Computed).then(|| format!(" · {}", tr(Std::NoRegister)))}
            </p>
            {gap.map(|g| view! { <p class="warn" data-testid="indicator-gap">{g}</p> })}
            {current.map(|c| view! { <p class="sub" data-testid="indicator-current">{c}</p> })}
            {log.map(Records::Log).or_else(|| records_behind(&ind.id, &LogTypes::default())).map(|rec| {
                let (href, label) = match rec {
                    Records::Volunteers => ("/volunteers".to_string(), Std::RecordsVolunteers),
                    Records::Households => ("/".to_string(), Std::RecordsHouseholds),
                    Records::SatisfactionResponses => ("/surveys".to_string(), Std::RecordsResponses),
                    Records::Log(l) => (
                        format!("/logs/{}?row={}", l.as_str(), ind.id),
                        if l == Log::Meeting { Std::RecordsMeetings } else { Std::RecordsActivities },
                    ),
                };
                view! { <a class="btn" data-testid="records-behind" href=href>{tr(label)}</a> }
            })}
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
    let entries = last.clone().unwrap_or_default();
    let latest = last.and_then(|v| v.last().cloned()).map(|e| {
        let day = linli_core::date::Date::from_unix_ms_cst(e.fields.at_ms as i64);
        fill(
            Words::EnteredBy.text(lang),
            &[&e.fields.entered_by, &day.to_string()],
        )
    });
    // Photos taken for the entry being made: kept outside the form (a sync renders the rows again).
    // Those an entry already names were saved with it (the rows may be rendered again before the save's
    // continuation forgets them).
    let used: Vec<Uuid> = entries
        .iter()
        .flat_map(|e| e.fields.photos.clone())
        .collect();
    let photos = RwSignal::new(
        photo::taken(&id)
            .into_iter()
            .filter(|p| !used.contains(p))
            .collect::<Vec<_>>(),
    );
    let save = move |input: Value| {
        let taken = photos.get_untracked();
        let indicator = id.clone();
        let body = Body::StandardEntryAdd(StandardEntryFields {
            indicator_id: indicator.clone(),
            input,
            note: note.get_untracked().trim().to_string(),
            evidence: evidence.get_untracked().trim().to_string(),
            entered_by: state::username(),
            at_ms: state::now_ms(),
            photos: taken,
        });
        let entity = EntityRef {
            kind: EntityKind::StandardEntry,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    photo::clear_taken(&indicator);
                    error.try_set(None);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
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
    let ind_id = ind.id.clone();
    let open = !photos.get_untracked().is_empty();
    view! {
        <details class="entry" open=open>
            <summary data-testid="enter">{tr(Std::Enter)} {latest.map(|l| format!(" · {l}"))} {(history > 1).then(|| format!(" · {}", fill(tr(Std::History), &[&(history - 1).to_string()])))}</summary>
            <form class="form" on:submit=submit>
                <label class="field"><span class="label">{tr(Std::Note)}</span>
                    <input name="entry-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) /></label>
                <label class="field"><span class="label">{tr(Std::Evidence)}</span>
                    <input name="entry-evidence" prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev)) /></label>
                <photo::Picker lang=lang key=ind_id.clone() photos=photos about=ind_id.clone() />
                {match kind {
                    Kind::Checklist => {
                        let (yes, no) = (save.clone(), save.clone());
                        view! {
                            <div class="row-actions">
                                <button type="button" class="btn primary" data-testid="entry-done" on:click=move |_| yes(json!({"done": true}))>{Words::Done.text(lang)}</button>
                                <button type="button" class="btn" data-testid="entry-not-done" on:click=move |_| no(json!({"done": false}))>{Words::NotDone.text(lang)}</button>
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
                <FormError lang=lang error=error fields=&["note", "evidence", "photos"] />
            </form>
            {(!entries.is_empty()).then(|| view! { <History lang=lang entries=entries.clone() /> })}
        </details>
    }
}

/// An entry's input in words: 已具备 / 未具备, a value, a fraction, the dates.
fn input_words(input: &Value, lang: Lang) -> String {
    if let Some(done) = input.get("done").and_then(Value::as_bool) {
        return if done { Words::Done } else { Words::NotDone }
            .text(lang)
            .to_string();
    }
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => String::new(),
    };
    if let Some(v) = input.get("value") {
        return text(Some(v));
    }
    if let Some(dates) = input.get("dates").and_then(Value::as_array) {
        return dates
            .iter()
            .map(|d| text(Some(d)))
            .collect::<Vec<_>>()
            .join(", ");
    }
    format!("{}/{}", text(input.get("num")), text(input.get("den")))
}

/// Every entry of a row, the latest first: who, when, what, the note and evidence, and the photos as
/// thumbnails (each with its text alternative).
#[component]
fn History(lang: Lang, entries: Vec<linli_core::standards::StandardEntry>) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    view! {
        <div class="entry-history" data-testid="entry-history">
            <h4>{tr(Std::HistoryTitle)}</h4>
            <ul class="list">
                {entries.into_iter().rev().map(|e| {
                    let f = e.fields;
                    let day = linli_core::date::Date::from_unix_ms_cst(f.at_ms as i64).to_string();
                    let line = fill(tr(Std::EntryLine), &[&f.entered_by, &day, &input_words(&f.input, lang)]);
                    let about = format!("{} · {} {}", f.indicator_id, f.entered_by, day);
                    view! {
                        <li data-testid="history-entry" data-entry=e.id.to_string()>
                            <p>{line}</p>
                            {(!f.note.is_empty()).then(|| view! { <p class="sub">{tr(Std::Note)} {crate::shell::i18n::colon(lang)} {f.note.clone()}</p> })}
                            {(!f.evidence.is_empty()).then(|| view! { <p class="sub">{f.evidence.clone()}</p> })}
                            {(!f.photos.is_empty()).then(|| view! {
                                <div class="photo-row">
                                    {f.photos.iter().enumerate().map(|(i, pid)| view! {
                                        <photo::Thumb lang=lang id=*pid alt=fill(tr(Std::PhotoAlt), &[&(i + 1).to_string(), &about]) />
                                    }).collect_view()}
                                </div>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </div>
    }
}
