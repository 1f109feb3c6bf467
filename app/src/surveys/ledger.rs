//! `/household/:id/ledger`: a household's service ledger (服务台账, S1): every survey response, visit and
//! volunteer service of its persons in date order (the core's order, the same on every device), with the
//! fields two collections gave different values (S6) shown with both values for staff to settle; printable.

use crate::data::state;
use crate::surveys::strings::Surveys;
use crate::surveys::{status_words, title};
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::surveys::LedgerItem;
use uuid::Uuid;

#[component]
pub fn LedgerPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Surveys| k.text(lang);
    let page = move || {
        ui.rev.get();
        let c = state::community();
        state::with(|l| {
            let door = l.view.door(&c, id)?;
            let place = format!(
                "{} {} {}",
                door.building, door.unit, door.household.fields.door
            );
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
                                verdict.map(|v| format!("{v:?}")).unwrap_or_default()
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
            let conflicts = l.view.survey_conflicts(&c, id);
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
                        <ul>{conflicts.into_iter().map(|c| view! {
                            <li data-testid="conflict">{format!("{:?}", c.bind)} ": " <b>{c.values[0].value.to_string()}</b> " / " <b>{c.values[1].value.to_string()}</b></li>
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
