//! `/standards/:id/report`: the self-check report of one standard, printable (自评报告, RULES E6): every
//! row with its status, value, threshold and gap, and for an entered row its latest entry — who entered it
//! and when, the note, the evidence named and how many photos; the verdict; and the catalogue and rule-set
//! versions the evaluation used. Printed to paper or PDF from the phone's browser.

use crate::data::state;
use crate::standards::evaluate;
use crate::standards::page::{icon, shown};
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::standards::{Catalogue, Status, words};
use linli_core::{Lang, date::Date};
use serde_json::Value;

#[component]
pub fn ReportPage(lang: Lang, id: String) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let Some(std) = Catalogue::get().standard(&id) else {
        return view! { <section class="page"><h1>{tr(Std::NotFound)}</h1></section> }.into_any();
    };
    let Some(e) = evaluate(&std.standard) else {
        return view! { <section class="page"><h1>{tr(Std::NotFound)}</h1></section> }.into_any();
    };
    let name = match lang {
        Lang::Zh => std.name_zh.clone(),
        Lang::En => std.name_en.clone(),
    };
    let community = state::community();
    let entries = state::with(|l| l.view.standard_entries(&community));
    let met = e.groups.iter().filter(|g| g.status == Status::Met).count();
    let summary = fill(
        tr(Std::GroupsMet),
        &[&met.to_string(), &e.groups.len().to_string()],
    );
    let versions = fill(
        tr(Std::ReportVersions),
        &[&e.catalog_version, &e.rule_set.name, &e.rule_set.version],
    );
    let rows = std
        .indicators
        .iter()
        .filter_map(|ind| {
            let r = e.indicators.iter().find(|r| r.id == ind.id)?.clone();
            let (i, css) = icon(r.status);
            let threshold = r
                .threshold
                .clone()
                .map(Value::String)
                .unwrap_or(Value::Null);
            let target = match &r.comparator {
                Some(c) if r.threshold.is_some() => format!("{c} {}", shown(ind, &threshold, lang)),
                _ => ind.threshold_text.clone(),
            };
            let evidence = entries
                .get(&ind.id)
                .and_then(|list| list.last())
                .map(|last| {
                    let f = &last.fields;
                    let when = Date::from_unix_ms_cst(f.at_ms as i64).to_string();
                    let mut parts = vec![fill(tr(Std::EnteredBy), &[&f.entered_by, &when])];
                    parts.extend(
                        [f.evidence.clone(), f.note.clone()]
                            .into_iter()
                            .filter(|s| !s.is_empty()),
                    );
                    if !f.photos.is_empty() {
                        parts.push(fill(tr(Std::ReportPhotos), &[&f.photos.len().to_string()]));
                    }
                    parts.join(" · ")
                });
            let name = match lang {
                Lang::Zh => ind.name_zh.clone(),
                Lang::En => ind.gloss.clone(),
            };
            Some(view! {
                <tr data-testid="report-row" data-id=ind.id.clone() data-status=css>
                    <td>{ind.id.clone()}</td>
                    <td>{name}</td>
                    <td>{i} " " {words::status(r.status).text(lang)}</td>
                    <td>{shown(ind, &r.value, lang)}</td>
                    <td>{target}</td>
                    <td>{words::gap_sentence(ind, &r, lang).unwrap_or_default()}</td>
                    <td>{evidence.unwrap_or_default()}</td>
                </tr>
            })
        })
        .collect_view();
    view! {
        <section class="page report" data-testid="standard-report">
            <div class="row-actions no-print">
                <a class="btn" href=format!("/standards/{id}")>{tr(Std::Back)}</a>
                <button type="button" class="btn primary" on:click=move |_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>{tr(Std::Print)}</button>
            </div>
            <h1>{fill(tr(Std::ReportTitle), &[&name])}</h1>
            <p>{fill(tr(Std::ReportAsOf), &[&community, &e.as_of.to_string()])}</p>
            <p data-testid="report-summary"><strong>{tr(Std::Verdict)}</strong> " " {summary}</p>
            <p class="sub">{versions}</p>
            <div class="table-wrap">
                <table class="report-table">
                    <thead><tr>
                        <th>{tr(Std::ColId)}</th><th>{tr(Std::ColIndicator)}</th><th>{tr(Std::ColStatus)}</th>
                        <th>{tr(Std::Value)}</th><th>{tr(Std::Threshold)}</th><th>{tr(Std::ColGap)}</th>
                        <th>{tr(Std::ColEvidence)}</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
