//! `/household/:id/ledger`: a household's service ledger (服务台账, S1): every survey response, visit and
//! volunteer service of its persons in date order (the core's order, the same on every device), with the
//! fields two collections gave different values (S6) shown with both values for staff to settle field by
//! field (the chosen value is written to the person's or household's record); printable.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::surveys::strings::Surveys;
use crate::surveys::{status_words, title};
use leptos::prelude::*;
use linli_core::EntityKind;
use linli_core::Lang;
use linli_core::personal::mask_phone;
use linli_core::surveys::LedgerItem;
use linli_core::surveys::{Bind, Verdict};
use linli_core::sync::{Body, EntityRef};
use serde_json::Value;
use uuid::Uuid;

/// A review's verdict in words.
fn verdict_words(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Approved => Surveys::Approved,
        Verdict::HasIssues => Surveys::Issues,
        Verdict::Rejected => Surveys::Rejected,
    }
    .text(lang)
}

/// A bound field (S6) in words.
fn bind_words(b: Bind, lang: Lang) -> &'static str {
    match b {
        Bind::HouseholdSize => Surveys::BindHouseholdSize,
        Bind::HouseholdAreaM2 => Surveys::BindHouseholdArea,
        Bind::HouseholdOwners => Surveys::BindHouseholdOwners,
        Bind::PersonName => Surveys::BindPersonName,
        Bind::PersonSex => Surveys::BindPersonSex,
        Bind::PersonBirthYear => Surveys::BindPersonBirthYear,
        Bind::PersonPhone => Surveys::BindPersonPhone,
        Bind::PersonKeyGroups => Surveys::BindPersonKeyGroups,
    }
    .text(lang)
}

/// A conflicting value as people read it (a phone masked, as in every list).
fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) if s.chars().filter(char::is_ascii_digit).count() >= 7 => mask_phone(s),
        Value::String(s) => s.clone(),
        Value::Number(n) => crate::surveys::number_text(n),
        Value::Array(a) => a.iter().map(value_text).collect::<Vec<_>>().join("、"),
        other => other.to_string(),
    }
}

/// Settles a conflict with `value`: the person's (or household's) record written again with that field,
/// after both collections, which the core takes as settled.
fn settle(
    household: Uuid,
    person: Option<Uuid>,
    bind: Bind,
    value: Value,
    error: RwSignal<Option<SaveError>>,
) {
    let Some(field) = bind.roster_field() else {
        return;
    };
    let c = state::community();
    let put = state::with(|l| -> Option<(EntityRef, Body)> {
        if bind.is_person() {
            let p = l.view.person(&c, person?)?;
            let mut f = serde_json::to_value(&p.fields).ok()?;
            f[field] = value;
            Some((
                EntityRef {
                    kind: EntityKind::Person,
                    id: p.id,
                },
                Body::PersonPut(serde_json::from_value(f).ok()?),
            ))
        } else {
            let h = l.view.household(&c, household)?;
            let mut f = serde_json::to_value(&h.fields).ok()?;
            f[field] = value;
            Some((
                EntityRef {
                    kind: EntityKind::Household,
                    id: h.id,
                },
                Body::HouseholdPut(serde_json::from_value(f).ok()?),
            ))
        }
    });
    let Some((entity, body)) = put else { return };
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(entity, body).await {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    });
}

#[component]
pub fn LedgerPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Surveys| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let page = move || {
        ui.rev.get();
        let c = state::community();
        state::with(|l| {
            let door = l.view.door(&c, id)?;
            let place = door.place();
            let persons = l.view.persons(id);
            let person_name = |p: Option<Uuid>| {
                p.and_then(|p| persons.iter().find(|x| x.id == p))
                    .map(|x| x.fields.name.clone())
                    .unwrap_or_default()
            };
            let rows = l
                .view
                .household_ledger(&c, id)
                .into_iter()
                .map(|e| {
                    let (what, detail) = match &e.item {
                        LedgerItem::Response {
                            title_zh,
                            title_en,
                            collector,
                            person_id,
                            verdict,
                            ..
                        } => (
                            title(title_zh, title_en, lang),
                            format!(
                                "{} {} {}",
                                person_name(*person_id),
                                collector,
                                verdict.map(|v| verdict_words(v, lang)).unwrap_or_default()
                            ),
                        ),
                        LedgerItem::Visit {
                            status,
                            collector,
                            note,
                        } => (
                            tr(Surveys::LedgerVisit).to_string(),
                            format!("{} {collector} {note}", status_words(*status, lang).0),
                        ),
                        LedgerItem::Service {
                            person_id,
                            minutes,
                            content,
                            ..
                        } => (
                            tr(Surveys::LedgerService).to_string(),
                            format!("{} {content} {minutes} min", person_name(Some(*person_id))),
                        ),
                    };
                    (e.date.to_string(), what, detail)
                })
                .collect::<Vec<_>>();
            let conflicts = l
                .view
                .survey_conflicts(&c, id)
                .into_iter()
                .map(|k| (person_name(k.person_id), k))
                .collect::<Vec<_>>();
            Some((place, rows, conflicts))
        })
    };
    view! {
        <section class="page ledger">
            {move || page().map(|(place, rows, conflicts)| view! {
                <h1>{tr(Surveys::Ledger)}</h1>
                <p class="big" data-testid="ledger-place">{place}</p>
                {(!conflicts.is_empty()).then(|| view! {
                    <div class="card warn" data-testid="conflicts">
                        <h2>{tr(Surveys::Conflicts)}</h2>
                        <FormError lang=lang error=error fields=&[] />
                        <ul>{conflicts.into_iter().map(|(name, c)| {
                            let who = if name.is_empty() { name } else { format!("{name} · ") };
                            let bind = c.bind;
                            let person = c.person_id;
                            view! {
                                <li data-testid="conflict" data-bind=format!("{:?}", c.bind)>
                                    <p>{who} <b>{bind_words(c.bind, lang)}</b></p>
                                    <div class="row-actions">
                                        {c.values.into_iter().map(|v| {
                                            let shown = value_text(&v.value);
                                            let value = v.value.clone();
                                            // Settled by writing the roster's field (S6): a put after both.
                                            let settle = bind.roster_field().is_some().then(|| view! {
                                                <button type="button" class="btn" data-testid="use-value" data-value=shown.clone()
                                                    on:click=move |_| settle(id, person, bind, value.clone(), error)>
                                                    {tr(Surveys::UseValue)} " " {shown.clone()}
                                                </button>
                                            });
                                            view! { <span class="badge" data-testid="conflict-value">{value_text(&v.value)}</span> {settle} }
                                        }).collect_view()}
                                    </div>
                                </li>
                            }
                        }).collect_view()}</ul>
                    </div>
                })}
                {if rows.is_empty() {
                    view! { <p class="empty">{tr(Surveys::LedgerEmpty)}</p> }.into_any()
                } else {
                    view! {
                        <div class="table-scroll"><table class="table" data-testid="ledger">
                            <tbody>{rows.into_iter().map(|(date, what, detail)| view! {
                                <tr data-testid="ledger-row"><td>{date}</td><td>{what}</td><td>{detail}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }}
                <button type="button" class="btn wide no-print" on:click=|_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>{tr(Surveys::Print)}</button>
            })}
        </section>
    }
}
