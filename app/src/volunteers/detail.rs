//! `/volunteer/:id`: one volunteer's record (V6): hours by month this year, every service entry with who
//! recorded and who reviewed it (谁记录谁证明), entries confirmed or declined one by one or in bulk (a
//! review is a new record: nothing is edited), and a form to record hours. Phone and ID number are masked
//! until staff ask to see them. The same page, `own`, is a volunteer's own record on their phone (`/`):
//! no reviews, no numbers to reveal, no certificates to issue, and hours are claims that wait for staff.

use crate::data::state::{self, SaveError};
use crate::shell::field::{Check, Field, FormError, Input};
use crate::volunteers::certificate;
use crate::volunteers::list::{community, save, status_words, today};
use crate::volunteers::strings::Volunteers;
use crate::volunteers::{hours, parse_hours};
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::personal::{mask_id_number, mask_phone};
use linli_core::sync::Body;
use linli_core::volunteers::api::CertificateRequest;
use linli_core::volunteers::{EntryReviewFields, EntrySource, EntryStatus, ServiceEntryFields};
use linli_core::{EntityKind, ErrorCode, Lang, RuleError};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The fields with an input of their own (a date error shows under the form).
const FIELDS: &[&str] = &["place", "content", "minutes", "reason"];

use crate::data::state::username;

/// An entry's status in words and as a CSS/test name; a replaced entry says so whatever its review.
fn entry_words(status: EntryStatus, counts: bool, lang: Lang) -> (&'static str, &'static str) {
    if !counts {
        return (Volunteers::Superseded.text(lang), "superseded");
    }
    match status {
        EntryStatus::Pending => (Volunteers::PendingHours.text(lang), "pending"),
        EntryStatus::Confirmed => (Volunteers::Confirmed.text(lang), "confirmed"),
        EntryStatus::Declined => (Volunteers::Declined.text(lang), "declined"),
    }
}

fn source_words(s: EntrySource, lang: Lang) -> &'static str {
    match s {
        EntrySource::Claim => Volunteers::SourceClaim,
        EntrySource::Attendance => Volunteers::SourceAttendance,
        EntrySource::Staff => Volunteers::SourceStaff,
    }
    .text(lang)
}

#[component]
pub fn VolunteerPage(
    lang: Lang,
    id: Uuid,
    /// The volunteer's own phone rather than staff's.
    #[prop(optional)]
    own: bool,
) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let volunteer = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| l.view.volunteer(&c, id))
    };
    let entries = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| {
            let mut v = l.view.volunteer_entries(&c, id);
            v.sort_by_key(|e| std::cmp::Reverse((e.fields.date, e.recorded)));
            v
        })
    };
    let months = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| l.view.volunteer_hours(&c, id, today()))
            .into_iter()
            .filter(|m| m.confirmed_minutes + m.pending_minutes > 0)
            .collect::<Vec<_>>()
    };
    let reveal = RwSignal::new(false);
    let selected = RwSignal::new(BTreeSet::<Uuid>::new());
    let review_error = RwSignal::new(None::<SaveError>);
    let review = move |decision: EntryStatus| {
        let by = username();
        for entry_id in selected.get_untracked() {
            let body = Body::EntryReviewAdd(EntryReviewFields {
                entry_id,
                decision,
                by: by.clone(),
                at_ms: state::now_ms(),
                reason: String::new(),
            });
            save(EntityKind::EntryReview, Uuid::now_v7(), body, review_error);
        }
        selected.set(BTreeSet::new());
    };
    let select_pending = move |_| {
        let ids = entries()
            .into_iter()
            .filter(|e| e.counts && e.status == EntryStatus::Pending)
            .map(|e| e.id)
            .collect();
        selected.set(ids);
    };

    let date = RwSignal::new(today().to_string());
    let place = RwSignal::new(String::new());
    let content = RwSignal::new(String::new());
    let hours_typed = RwSignal::new(String::new());
    let witnessed = RwSignal::new(!own);
    let error = RwSignal::new(None::<SaveError>);
    // The entry being corrected (更正): the new entry replaces it, with a reason; both stay visible.
    let correcting = RwSignal::new(None::<(Uuid, String)>);
    let reason = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(date_value) = Date::parse(date.get_untracked().trim()) else {
            let e = RuleError::field(ErrorCode::InvalidDate, "date");
            error.set(Some(SaveError::Rule(e)));
            return;
        };
        // Hours that are not a number go to the core as 0, which it refuses naming the field.
        let body = Body::ServiceEntryAdd(ServiceEntryFields {
            volunteer_id: id,
            date: date_value,
            place: place.get_untracked().trim().to_string(),
            content: content.get_untracked().trim().to_string(),
            minutes: parse_hours(&hours_typed.get_untracked()).unwrap_or(0),
            from_ms: None,
            to_ms: None,
            activity_id: None,
            pair_id: None,
            source: if witnessed.get_untracked() && !own {
                EntrySource::Staff
            } else {
                EntrySource::Claim
            },
            recorded_by: username(),
            corrects: correcting.get_untracked().map(|(c, _)| c),
            reason: reason.get_untracked().trim().to_string(),
        });
        let entity = linli_core::EntityRef {
            kind: EntityKind::ServiceEntry,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            match state::save(entity, body).await {
                Ok(_) => {
                    error.set(None);
                    content.set(String::new());
                    hours_typed.set(String::new());
                    correcting.set(None);
                    reason.set(String::new());
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };

    let in_charge = RwSignal::new(String::new());
    let clerk = RwSignal::new(username());
    let contact = RwSignal::new(String::new());
    let cert_error = RwSignal::new(None::<String>);
    let on_issue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = CertificateRequest {
            person_in_charge: in_charge.get_untracked().trim().to_string(),
            clerk: clerk.get_untracked().trim().to_string(),
            contact: contact.get_untracked().trim().to_string(),
            volunteer_number: None,
        };
        certificate::issue(id, req, lang, cert_error);
    };

    move || {
        let Some(v) = volunteer() else {
            return view! {
                <section class="page">
                    <h1>{tr(Volunteers::NotFound)}</h1>
                    <a class="btn" href="/volunteers">{tr(Volunteers::Back)}</a>
                </section>
            }
            .into_any();
        };
        let (words, status) = status_words(v.status, lang);
        let phone = v.fields.phone.clone();
        let id_number = v.fields.id_number.clone();
        let numbers = move || {
            if reveal.get() {
                format!("{phone} {id_number}")
            } else {
                format!("{} {}", mask_phone(&phone), mask_id_number(&id_number))
            }
        };
        let staff = !own;
        view! {
            <section class="page">
                <Show when=move || staff><a class="btn" href="/volunteers">{tr(Volunteers::Back)}</a></Show>
                <h1 data-testid="volunteer-name">{v.fields.name.clone()}</h1>
                <p>
                    <span class=format!("badge {status}") data-testid="volunteer-status">{words}</span>
                    " "
                    <span data-testid="volunteer-numbers">{numbers}</span>
                    " "
                    <Show when=move || staff>
                        <button type="button" class="btn" on:click=move |_| reveal.update(|r| *r = !*r)>
                            {move || if reveal.get() { tr(Volunteers::HideNumbers) } else { tr(Volunteers::ShowNumbers) }}
                        </button>
                    </Show>
                </p>
                {own.then(|| view! { <crate::volunteers::me::MyActivities lang=lang me=id /> })}
                <h2>{tr(Volunteers::ByMonth)}</h2>
                <table class="table" data-testid="hours-by-month">
                    <thead><tr><th>{tr(Volunteers::Month)}</th><th>{tr(Volunteers::Confirmed)}</th><th>{tr(Volunteers::PendingHours)}</th></tr></thead>
                    <tbody>
                        {move || months().into_iter().map(|m| view! {
                            <tr data-month=m.month.clone()>
                                <td>{m.month.clone()}</td>
                                <td data-testid="confirmed">{hours(m.confirmed_minutes, lang)}</td>
                                <td data-testid="pending">{hours(m.pending_minutes, lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{tr(Volunteers::Entries)}</h2>
                <FormError lang=lang error=review_error fields=&[] />
                <div class="actions" hidden=own>
                    <button type="button" class="btn" data-testid="select-pending" on:click=select_pending>{tr(Volunteers::SelectAllPending)}</button>
                    <button type="button" class="btn primary" data-testid="confirm-selected" on:click=move |_| review(EntryStatus::Confirmed)>{tr(Volunteers::ConfirmSelected)}</button>
                    <button type="button" class="btn" data-testid="decline-selected" on:click=move |_| review(EntryStatus::Declined)>{tr(Volunteers::DeclineSelected)}</button>
                </div>
                <ul class="list">
                    {move || {
                        let list = entries();
                        if list.is_empty() {
                            return view! { <li class="empty">{tr(Volunteers::NoEntries)}</li> }.into_any();
                        }
                        list.into_iter().map(|e| {
                            let (words, status) = entry_words(e.status, e.counts, lang);
                            let eid = e.id;
                            let reviewed = e.review.as_ref().map(|r| format!("{} {}", tr(Volunteers::ReviewedBy), r.by));
                            let f = e.fields.clone();
                            let correct = move |_| {
                                correcting.set(Some((eid, format!("{} {}", f.date, f.content))));
                                date.set(f.date.to_string());
                                place.set(f.place.clone());
                                content.set(f.content.clone());
                                hours_typed.set(format!("{}", f64::from(f.minutes) / 60.0));
                                if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("entry-form")) {
                                    el.scroll_into_view();
                                }
                            };
                            let can_correct = e.counts;
                            let corrects = e.fields.corrects.is_some().then(|| format!(" · {}{}{}", tr(Volunteers::CorrectionOf), crate::shell::i18n::colon(lang), e.fields.reason));
                            view! {
                                <li class="card entry" data-testid="entry-row" data-status=status>
                                    <label class="check">
                                        <input
                                            hidden=own
                                            type="checkbox"
                                            data-testid="entry-select"
                                            prop:checked=move || selected.with(|s| s.contains(&eid))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                selected.update(|s| { if on { s.insert(eid); } else { s.remove(&eid); } });
                                            }
                                        />
                                        <span class="title">{e.fields.date.to_string()} " " {e.fields.content.clone()}</span>
                                    </label>
                                    <p class="sub">
                                        {hours(u64::from(e.fields.minutes), lang)} " · " {e.fields.place.clone()} " · "
                                        {source_words(e.fields.source, lang)} " · " {tr(Volunteers::RecordedBy)} " " {e.fields.recorded_by.clone()}
                                        {reviewed.map(|r| format!(" · {r}"))}
                                        {corrects}
                                    </p>
                                    <span class=format!("badge {status}")>{words}</span>
                                    {can_correct.then(|| view! { " " <button type="button" class="btn" data-testid="correct-entry" on:click=correct>{tr(Volunteers::Correct)}</button> })}
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
                <form class="card form" id="entry-form" on:submit=on_submit>
                    <h2>{if own { tr(Volunteers::ClaimHours) } else { tr(Volunteers::AddEntry) }}</h2>
                    {move || correcting.get().map(|(_, what)| view! {
                        <p class="warn" data-testid="correcting">{tr(Volunteers::Correcting)} {crate::shell::i18n::colon(lang)} {what}</p>
                        <Field lang=lang label=tr(Volunteers::Reason) name="entry-reason" value=reason error=error fields=&["reason"] />
                        <button type="button" class="btn" on:click=move |_| { correcting.set(None); reason.set(String::new()); }>{tr(Volunteers::CancelCorrection)}</button>
                    })}
                    <Input label=tr(Volunteers::Date) name="entry-date" value=date kind="date" />
                    <Field lang=lang label=tr(Volunteers::Place) name="entry-place" value=place error=error fields=&["place"] />
                    <Field lang=lang label=tr(Volunteers::Content) name="entry-content" value=content error=error fields=&["content"] />
                    <Field lang=lang label=tr(Volunteers::Hours) name="entry-hours" value=hours_typed error=error fields=&["minutes"] inputmode="decimal" />
                    <Show when=move || staff><Check label=tr(Volunteers::Witnessed) name="witnessed" value=witnessed /></Show>
                    <FormError lang=lang error=error fields=FIELDS />
                    <button type="submit" class="btn primary wide" data-testid="add-entry">{tr(Volunteers::AddEntry)}</button>
                </form>
                {own.then(|| view! { <crate::volunteers::me::MyCertificates lang=lang /> })}
                <Show when=move || staff><crate::volunteers::pairs::PairsSection lang=lang volunteer=id /></Show>
                <form class="card form" hidden=own on:submit=on_issue>
                    <h2>{tr(Volunteers::IssueCertificate)}</h2>
                    <Input label=tr(Volunteers::PersonInCharge) name="person-in-charge" value=in_charge />
                    <Input label=tr(Volunteers::Clerk) name="clerk" value=clerk />
                    <Input label=tr(Volunteers::Contact) name="contact" value=contact inputmode="tel" />
                    {move || cert_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
                    <button type="submit" class="btn primary wide" data-testid="issue-certificate">{tr(Volunteers::IssueCertificate)}</button>
                </form>
            </section>
        }
        .into_any()
    }
}
