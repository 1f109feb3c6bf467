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
use linli_core::standards::report::ReportRow;
use linli_core::standards::words::{self, Words};
use linli_core::standards::{Catalogue, Evaluation, Standard, report};

/// What both printed pages (the report and the application) are made of: the standard, its evaluation
/// on this phone today, its name, the community and the report's rows in words.
struct Printed {
    std: &'static Standard,
    e: Evaluation,
    name: String,
    community: String,
    rows: Vec<ReportRow>,
}

fn printed(id: &str, lang: Lang) -> Option<Printed> {
    let std = Catalogue::get().standard(id)?;
    let e = evaluate(&std.standard)?;
    let name = std.name(lang).to_string();
    let community = state::community();
    let entries = state::with(|l| l.view.standard_entries(&community));
    let rows = report::rows(std, &e, &entries, lang);
    Some(Printed {
        std,
        e,
        name,
        community,
        rows,
    })
}

fn not_found(lang: Lang) -> AnyView {
    view! { <section class="page"><h1>{Std::NotFound.text(lang)}</h1></section> }.into_any()
}

/// The printed pages' buttons, not printed: back to the standard, print, and `extra`.
pub(crate) fn print_actions(id: &str, lang: Lang, extra: AnyView) -> impl IntoView + use<> {
    view! {
        <div class="row-actions no-print">
            <a class="btn" href=format!("/standards/{id}")>{Std::Back.text(lang)}</a>
            <button type="button" class="btn primary" on:click=move |_| {
                if let Some(w) = web_sys::window() { let _ = w.print(); }
            }>{Std::Print.text(lang)}</button>
            {extra}
        </div>
    }
}

/// The verdict line (tagged `testid`) and the versions line under a printed page's title.
fn verdict_lines(e: &Evaluation, lang: Lang, testid: &'static str) -> impl IntoView + use<> {
    view! {
        <p data-testid=testid><strong>{Words::Verdict.text(lang)}</strong> " " {report::summary(e, lang)}</p>
        <p class="sub">{report::versions(e, lang)}</p>
    }
}

#[component]
pub fn ReportPage(lang: Lang, id: String) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let Some(Printed {
        e,
        name,
        community,
        rows,
        ..
    }) = printed(&id, lang)
    else {
        return not_found(lang);
    };
    let rows = rows
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
            {print_actions(&id, lang, view! {
                <button type="button" class="btn" data-testid="report-xlsx" on:click=download>{tr(Std::ReportXlsx)}</button>
            }.into_any())}
            <p class="sub no-print">{tr(Std::ReportXlsxNote)}</p>
            {move || export_error.get().map(|e| view! { <p class="field-error no-print" role="alert">{e}</p> })}
            <h1>{fill(Words::ReportTitle.text(lang), &[&name])}</h1>
            <p>{fill(Words::ReportAsOf.text(lang), &[&community, &e.as_of.to_string()])}</p>
            {verdict_lines(&e, lang, "report-summary")}
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

/// `/standards/:id/application`: the application (申报材料, RULES E6 "per standard, a written explanation
/// plus photo/number evidence"; for Zhengzhou, per star): each group the standard has (star, heading,
/// article) with its status, and under it every row with its numbers, the entry's explanation and
/// evidence, and its photos. Printed from the phone's browser like the report.
#[component]
pub fn ApplicationPage(lang: Lang, id: String) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let Some(Printed {
        std,
        e,
        name,
        community,
        rows,
    }) = printed(&id, lang)
    else {
        return not_found(lang);
    };
    let groups = std
        .groups
        .iter()
        .map(|g| {
            let title = g.name(lang).to_string();
            let status = e.groups.iter().find(|r| r.id == g.id).map(|r| {
                let (i, css) = icon(r.status);
                (i, css, words::status(r.status).text(lang), r.rows_met, r.rows_deciding)
            });
            let items = rows
                .iter()
                .filter(|r| r.group == g.id)
                .map(|r| {
                    let (i, css) = icon(r.status);
                    let photos = r
                        .photos
                        .iter()
                        .enumerate()
                        .map(|(n, pid)| {
                            let alt = fill(tr(Std::PhotoAlt), &[&(n + 1).to_string(), &r.id]);
                            view! { <crate::standards::photo::Thumb lang=lang id=*pid alt=alt /> }
                        })
                        .collect_view();
                    view! {
                        <li class="application-row" data-testid="application-row" data-id=r.id.clone() data-status=css>
                            <p class="title">{i} " " {words::status(r.status).text(lang)} " · " {r.id.clone()} " " {r.name.clone()}</p>
                            <p>{Words::ColValue.text(lang)} {crate::shell::i18n::colon(lang)} <b>{r.value.clone()}</b>
                                " · " {Words::ColThreshold.text(lang)} {crate::shell::i18n::colon(lang)} {r.target.clone()}</p>
                            {(!r.gap.is_empty()).then(|| view! { <p class="warn">{r.gap.clone()}</p> })}
                            {(!r.entry.is_empty()).then(|| view! { <p data-testid="application-entry">{r.entry.clone()}</p> })}
                            {(!r.photos.is_empty()).then(|| view! { <div class="photo-row">{photos}</div> })}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="card application-group" data-testid="application-group" data-group=g.id.clone()>
                    <h2>{title} " "
                        {status.map(|(i, css, w, met, all)| view! {
                            <span class=format!("badge {css}")>{i} " " {w} {format!(" {met}/{all}")}</span>
                        })}
                    </h2>
                    <ul class="list">{items}</ul>
                </section>
            }
        })
        .collect_view();
    view! {
        <section class="page report" data-testid="standard-application">
            {print_actions(&id, lang, ().into_any())}
            <h1>{fill(tr(Std::ApplicationTitle), &[&name])}</h1>
            <p>{fill(Words::ReportAsOf.text(lang), &[&community, &e.as_of.to_string()])}</p>
            <p class="sub">{tr(Std::ApplicationIntro)}</p>
            {verdict_lines(&e, lang, "application-summary")}
            {groups}
        </section>
    }
    .into_any()
}
