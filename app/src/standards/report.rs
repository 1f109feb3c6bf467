//! `/standards/:id/report`: the self-check report of one standard, printable (自评报告, RULES E6): every
//! row with its status, value, threshold and gap, and for an entered row its latest entry — who entered it
//! and when, the note, the evidence named and how many photos; the verdict; and the catalogue and rule-set
//! versions the evaluation used. Printed to paper or PDF from the phone's browser.

use crate::data::state;
use crate::renovation::common::download_from_server;
use crate::standards::evaluate;
use crate::standards::page::icon;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::standards::words::{self, Words};
use linli_core::standards::{Catalogue, report};

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
    let rows = report::rows(std, &e, &entries, lang)
        .into_iter()
        .map(|r| {
            let (i, css) = icon(r.status);
            let id = r.id.clone();
            view! {
                <tr data-testid="report-row" data-id=id data-status=css>
                    <td>{r.id}</td>
                    <td>{r.name}</td>
                    <td>{i} " " {words::status(r.status).text(lang)}</td>
                    <td>{r.value}</td>
                    <td>{r.target}</td>
                    <td>{r.gap}</td>
                    <td>{r.entry}</td>
                </tr>
            }
        })
        .collect_view();
    let export_error = RwSignal::new(None::<String>);
    let lang_q = if lang == Lang::Zh { "zh" } else { "en" };
    let path = format!("/api/standards/{id}/report.xlsx?lang={lang_q}");
    let file = format!("self-check-{id}.xlsx");
    let download = move |_| {
        let (path, file) = (path.clone(), file.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let got = download_from_server(&path, &file, lang).await;
            export_error.set(got.err());
        });
    };
    let headings = report::COLUMNS
        .iter()
        .map(|w| view! { <th>{w.text(lang)}</th> })
        .collect_view();
    view! {
        <section class="page report" data-testid="standard-report">
            <div class="row-actions no-print">
                <a class="btn" href=format!("/standards/{id}")>{tr(Std::Back)}</a>
                <button type="button" class="btn primary" on:click=move |_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>{tr(Std::Print)}</button>
                <button type="button" class="btn" data-testid="report-xlsx" on:click=download>{tr(Std::ReportXlsx)}</button>
            </div>
            <p class="sub no-print">{tr(Std::ReportXlsxNote)}</p>
            {move || export_error.get().map(|e| view! { <p class="field-error no-print" role="alert">{e}</p> })}
            <h1>{fill(Words::ReportTitle.text(lang), &[&name])}</h1>
            <p>{fill(Words::ReportAsOf.text(lang), &[&community, &e.as_of.to_string()])}</p>
            <p data-testid="report-summary"><strong>{Words::Verdict.text(lang)}</strong> " " {report::summary(&e, lang)}</p>
            <p class="sub">{report::versions(&e, lang)}</p>
            <div class="table-wrap">
                <table class="report-table">
                    <thead><tr>{headings}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
