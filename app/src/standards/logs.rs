//! The activities and meetings logs (活动台账、会议记录, issue 14): `/logs/activity` and `/logs/meeting`
//! list what the community held, the latest first — opened from a self-check row (`?row=SIX-12`) they list
//! exactly the entries that row counts this year; `/logs/<log>/new` (`?type=residents` preselects the type)
//! and `/logs/<log>/<id>` record or correct one: type, day, title, how many took part, the minutes or a
//! note, and photos (照片, taken offline like the self-check's evidence). Saved as `log_entry.put`; the
//! self-check computes its cadence rows from them (`linli_core::standards::logs`).

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::shell::router::navigate;
use crate::standards::photo;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::i18n::fill;
use linli_core::standards::StandardsRules;
use linli_core::standards::logs::{Log, LogEntry, LogEntryFields, LogTypes};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// The rule set's log types (the defaults when its section cannot be read).
pub fn types() -> LogTypes {
    StandardsRules::of(state::rules())
        .map(|r| r.log_types)
        .unwrap_or_default()
}

/// A query parameter of the page's address.
fn query(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    params.get(name).filter(|v| !v.is_empty())
}

fn today() -> Date {
    Date::from_unix_ms_cst(state::now_ms() as i64)
}

/// The log's title, and its "record one" button.
pub fn words(log: Log) -> (Std, Std) {
    match log {
        Log::Activity => (Std::LogActivities, Std::LogAddActivity),
        Log::Meeting => (Std::LogMeetings, Std::LogAddMeeting),
    }
}

/// The type's name in `lang`, or its id when the rule set no longer lists it.
fn type_name(types: &LogTypes, log: Log, id: &str, lang: Lang) -> String {
    types
        .find(log, id)
        .map_or_else(|| id.to_string(), |t| t.name(lang).to_string())
}

#[component]
pub fn LogPage(lang: Lang, log: Log) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Std| k.text(lang);
    let types = types();
    // Opened from a row: only the entries of the types that feed it, this year up to today.
    let row = query("row");
    let feeding: Option<Vec<String>> = row.as_ref().map(|r| {
        types
            .types_feeding(log, r)
            .into_iter()
            .map(str::to_string)
            .collect()
    });
    let (title, add) = words(log);
    let other = match log {
        Log::Activity => Log::Meeting,
        Log::Meeting => Log::Activity,
    };
    let year = today().ymd().0;
    let feeding2 = feeding.clone();
    let entries = move || {
        ui.rev.get();
        let c = state::community();
        let all = state::with(|l| l.view.log_entries(&c, log));
        match &feeding2 {
            Some(f) => all
                .into_iter()
                .filter(|e| {
                    f.contains(&e.fields.type_id)
                        && e.fields.date.ymd().0 == year
                        && e.fields.date <= today()
                })
                .collect(),
            None => all,
        }
    };
    let add_href = match feeding.as_ref().and_then(|f| f.first()) {
        Some(t) => format!("/logs/{}/new?type={t}", log.as_str()),
        None => format!("/logs/{}/new", log.as_str()),
    };
    let counted = row.map(|r| fill(tr(Std::LogCounted), &[&r, &year.to_string()]));
    let types_for_list = types.clone();
    view! {
        <section class="page">
            <a class="btn" href="/standards">{tr(Std::Back)}</a>
            <h1>{tr(title)}</h1>
            <div class="row-actions">
                <a class="btn primary wide" data-testid="log-add" href=add_href>{tr(add)}</a>
                <a class="btn" data-testid="log-other" href=format!("/logs/{}", other.as_str())>{tr(words(other).0)}</a>
            </div>
            {counted.map(|c| view! {
                <p class="sub" data-testid="log-counted">{c} " · "
                    <a class="link" href=format!("/logs/{}", log.as_str())>{tr(Std::LogShowAll)}</a></p>
            })}
            {move || {
                let list = entries();
                if list.is_empty() {
                    return view! { <p class="sub" data-testid="log-empty">{tr(Std::LogEmpty)}</p> }.into_any();
                }
                let types = types_for_list.clone();
                view! {
                    <ul class="list">
                        {list.into_iter().map(|e| view! { <Item lang=lang log=log entry=e types=types.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// One entry in the list: day, type, title, people and photos; tapped, it opens for correction.
#[component]
fn Item(lang: Lang, log: Log, entry: LogEntry, types: LogTypes) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let f = entry.fields;
    let line = fill(
        tr(Std::LogLine),
        &[
            &f.date.to_string(),
            &type_name(&types, log, &f.type_id, lang),
            &f.people.to_string(),
        ],
    );
    let photos =
        (!f.photos.is_empty()).then(|| fill(tr(Std::LogPhotos), &[&f.photos.len().to_string()]));
    view! {
        <li>
            <a class="card link" data-testid="log-entry" data-type=f.type_id.clone() data-date=f.date.to_string()
                href=format!("/logs/{}/{}", log.as_str(), entry.id)>
                <span class="title">{f.title.clone()}</span>
                <span class="sub">{line} {photos.map(|p| format!(" · {p}"))}</span>
            </a>
        </li>
    }
}

/// Recording an activity or meeting (`id` absent), or correcting one.
#[component]
pub fn LogEntryPage(lang: Lang, log: Log, id: Option<Uuid>) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let types = types();
    let c = state::community();
    let existing: Option<LogEntryFields> = id
        .and_then(|id| state::with(|l| l.view.get::<LogEntryFields>(&c, EntityKind::LogEntry, id)));
    if id.is_some() && existing.is_none() {
        return view! {
            <section class="page">
                <a class="btn" href=format!("/logs/{}", log.as_str())>{tr(Std::LogBack)}</a>
                <p data-testid="log-missing">{tr(Std::LogMissing)}</p>
            </section>
        }
        .into_any();
    }
    let record = id.unwrap_or_else(Uuid::now_v7);
    let first_type = query("type")
        .filter(|t| types.find(log, t).is_some())
        .or_else(|| types.of(log).first().map(|t| t.id.clone()))
        .unwrap_or_default();
    let e = existing.clone();
    let type_id = RwSignal::new(e.as_ref().map_or(first_type, |f| f.type_id.clone()));
    let date = RwSignal::new(
        e.as_ref()
            .map_or_else(|| today().to_string(), |f| f.date.to_string()),
    );
    let title = RwSignal::new(e.as_ref().map_or_else(String::new, |f| f.title.clone()));
    let people = RwSignal::new(
        e.as_ref()
            .map_or_else(String::new, |f| f.people.to_string()),
    );
    let notes = RwSignal::new(e.as_ref().map_or_else(String::new, |f| f.notes.clone()));
    // Photos: those the record already names, then any taken for it and not yet saved.
    let key = format!("log:{record}");
    let mut shown = e.as_ref().map_or_else(Vec::new, |f| f.photos.clone());
    for p in photo::taken(&key) {
        if !shown.contains(&p) {
            shown.push(p);
        }
    }
    let photos = RwSignal::new(shown);
    let error = RwSignal::new(None::<SaveError>);
    // What the core cannot be asked about: a day or a number that is not one.
    let local = RwSignal::new(None::<(&'static str, Std)>);
    let (heading, add) = words(log);
    let back = format!("/logs/{}", log.as_str());
    let back2 = back.clone();
    let key2 = key.clone();
    let at_ms = e.as_ref().map(|f| f.at_ms);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(day) = Date::parse(date.get_untracked().trim()) else {
            local.set(Some(("date", Std::LogBadDate)));
            return;
        };
        let Ok(n) = people.get_untracked().trim().parse::<u32>() else {
            local.set(Some(("people", Std::LogBadPeople)));
            return;
        };
        local.set(None);
        let body = Body::LogEntryPut(LogEntryFields {
            log,
            type_id: type_id.get_untracked(),
            title: title.get_untracked().trim().to_string(),
            date: day,
            people: n,
            notes: notes.get_untracked().trim().to_string(),
            photos: photos.get_untracked(),
            recorded_by: state::username(),
            at_ms: at_ms.unwrap_or_else(state::now_ms),
        });
        let entity = EntityRef {
            kind: EntityKind::LogEntry,
            id: record,
        };
        let (back, key) = (back2.clone(), key2.clone());
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    photo::clear_taken(&key);
                    navigate(&back, false);
                }
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    let remove = move |_| {
        let entity = EntityRef {
            kind: EntityKind::LogEntry,
            id: record,
        };
        let back = back.clone();
        let confirmed = web_sys::window()
            .and_then(|w| w.confirm_with_message(tr(Std::LogDeleteConfirm)).ok())
            .unwrap_or(false);
        if !confirmed {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, Body::Delete).await {
                Ok(_) => navigate(&back, true),
                Err(e) => {
                    error.try_set(Some(e));
                }
            }
        });
    };
    // A field's error: the phone's own (not a day, not a number) or the core's for that field.
    let field_error = move |name: &'static str| {
        move || {
            local
                .get()
                .filter(|(f, _)| *f == name)
                .map(|(_, k)| tr(k).to_string())
                .or_else(|| {
                    error
                        .get()
                        .filter(|e| e.field() == Some(name))
                        .map(|e| e.message(lang))
                })
                .map(|m| view! { <span class="field-error" data-testid="field-error" role="alert">{m}</span> })
        }
    };
    let options = types.of(log).to_vec();
    let current_missing = !options.iter().any(|t| t.id == type_id.get_untracked());
    let notes_label = match log {
        Log::Meeting => Std::LogMinutes,
        Log::Activity => Std::Note,
    };
    let people_label = match log {
        Log::Meeting => Std::LogAttendees,
        Log::Activity => Std::LogAttendance,
    };
    view! {
        <section class="page">
            <a class="btn" href=format!("/logs/{}", log.as_str())>{tr(heading)}</a>
            <h1>{if id.is_some() { tr(Std::LogEdit) } else { tr(add) }}</h1>
            <form class="form" on:submit=submit>
                <label class="field"><span class="label">{tr(Std::LogType)}</span>
                    <select name="log-type" on:change=move |ev| type_id.set(event_target_value(&ev))>
                        {current_missing.then(|| {
                            let t = type_id.get_untracked();
                            view! { <option value=t.clone() selected=true>{t.clone()}</option> }
                        })}
                        {options.into_iter().map(|t| {
                            let selected = t.id == type_id.get_untracked();
                            view! { <option value=t.id.clone() selected=selected>{t.name(lang).to_string()}</option> }
                        }).collect_view()}
                    </select>
                    {field_error("type_id")}
                </label>
                <label class="field"><span class="label">{tr(Std::LogDate)}</span>
                    <input name="log-date" type="date" prop:value=move || date.get() on:input=move |ev| date.set(event_target_value(&ev)) />
                    {field_error("date")}
                </label>
                <label class="field"><span class="label">{tr(Std::LogTitle)}</span>
                    <input name="log-title" autocomplete="off" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev)) />
                    {field_error("title")}
                </label>
                <label class="field"><span class="label">{tr(people_label)}</span>
                    <input name="log-people" inputmode="numeric" autocomplete="off" prop:value=move || people.get() on:input=move |ev| people.set(event_target_value(&ev)) />
                    {field_error("people")}
                </label>
                <label class="field"><span class="label">{tr(notes_label)}</span>
                    <textarea name="log-notes" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea>
                    {field_error("notes")}
                </label>
                <photo::Picker lang=lang key=key.clone() photos=photos about=tr(heading).to_string() />
                <FormError lang=lang error=error fields=&["type_id", "date", "title", "people", "notes"] />
                <button type="submit" class="btn primary wide" data-testid="log-save">{tr(Std::Save)}</button>
            </form>
            {id.is_some().then(|| view! {
                <button type="button" class="btn wide" data-testid="log-delete" on:click=remove>{tr(Std::LogDelete)}</button>
            })}
        </section>
    }
    .into_any()
}
