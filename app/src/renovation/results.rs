//! `/project/:id/results`: the tally (R4, R5, R9) computed on the phone with the core's `Replica::tally` (the
//! server runs the same code), drawn as bars; CSV made here, XLSX from the server. Also the coverage and
//! art. 278 pieces the notice and the resident's page show.

use crate::data::downloads;
use crate::data::state;
use crate::renovation::common::{self, bar, matter_label, pct};
use crate::renovation::nav::ProjectNav;
use crate::renovation::strings::{Ballot, Reno};
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::renovation::export::{tables, to_csv};
use linli_core::renovation::{Art278, Coverage, MenuItem, Tally, Words};
use uuid::Uuid;

/// The tally of project `id` over what the server accepted (R4, R5, R9), and the ballots recorded on this
/// phone still waiting to be sent (shown apart, never counted).
pub fn tally(id: Uuid) -> Option<(Tally, u64)> {
    let c = common::community();
    state::with(|l| {
        Some((
            l.counted().tally(&c, id, state::rules())?,
            l.waiting_ballots(id),
        ))
    })
}

/// The coverage bar with the rule set's threshold line, and the sentence (R5), both the core's.
pub fn coverage_view(c: &Coverage, waiting: u64, lang: Lang) -> impl IntoView + use<> {
    let mark = c.threshold.num as f64 / c.threshold.den.max(1) as f64;
    view! {
        <div class="coverage">
            {bar(c.ratio, Some(mark), "coverage-bar", c.met)}
            <p class="big" data-testid="coverage-text" data-meets=c.met.to_string()>{c.sentence(lang)}</p>
            {(waiting > 0).then(|| view! {
                <p class="warn" data-testid="waiting-ballots" data-count=waiting.to_string()>
                    {fill(Reno::WaitingBallots.text(lang), &[&waiting.to_string()])}
                </p>
            })}
        </div>
    }
}

/// An art. 278 outcome with its plain-language explanation (R9).
pub fn art278_view(a: &Art278, lang: Lang, scope: String) -> impl IntoView + use<> {
    let text = match lang {
        Lang::Zh => a.explanation_zh.clone(),
        Lang::En => a.explanation_en.clone(),
    };
    let verdict = if a.passed {
        Reno::Passed
    } else {
        Reno::NotPassed
    };
    view! {
        <div class=if a.passed { "art278 ok" } else { "art278 warn" } data-testid="art278" data-passed=a.passed.to_string() data-scope=scope>
            <p><b>{Reno::Art278.text(lang)} " · " {matter_label(a.matter, lang)} {crate::shell::i18n::colon(lang)}</b> {verdict.text(lang)}</p>
            <p>{text}</p>
        </div>
    }
}

/// A menu item's name in `lang` (its English name in English, when it has one).
fn item_name(menu: &[MenuItem], id: &str, lang: Lang) -> String {
    menu.iter()
        .find(|m| m.id.to_string() == id)
        .map(|m| linli_core::renovation::api::MenuEntry::new(m).display_name(lang))
        .unwrap_or_else(|| id.to_string())
}

#[component]
pub fn ResultsPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let message = RwSignal::new(None::<String>);
    let body = move || {
        ui.rev.get();
        let Some((p, _)) = common::project(id) else {
            return view! { <h1>{tr(Reno::ProjectNotFound)}</h1> }.into_any();
        };
        let Some((t, waiting)) = tally(id) else {
            return view! { <h1>{p.name.clone()}</h1> }.into_any();
        };
        let menu = common::menu(id);
        let csv_name = p.name.clone();
        // The same tables as the server's CSV and XLSX (the core's), with this phone's waiting ballots.
        let csv_text = to_csv(&tables(
            &p,
            &menu,
            &t,
            &state::rules().renovation,
            Some(waiting),
        ));
        let export_csv = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let text = csv_text.clone();
            if let Err(e) = downloads::download_text(
                &format!("{csv_name}-results.csv"),
                "text/csv;charset=utf-8",
                &text,
            ) {
                message.set(Some(e));
            }
        };
        let xlsx_name = format!("{}-results.xlsx", p.name);
        let export_xlsx = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let name = xlsx_name.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let r = common::download_from_server(
                    &format!("/api/projects/{id}/results.xlsx"),
                    &name,
                    lang,
                )
                .await;
                message.set(r.err());
            });
        };
        let items = t.items.iter().map(|i| {
            let m = menu.iter().find(|m| m.id.to_string() == i.id).cloned();
            let owners = m.as_ref().is_some_and(|m| m.fields.owners_decision);
            let name = item_name(&menu, &i.id, lang);
            view! {
                <li class="item-result" data-testid="item-result" data-name=name.clone()>
                    <p><b>{name.clone()}</b> " " {format!("{} · {}", crate::shell::i18n::households(i.households, lang), pct(i.ratio_of_responded))}</p>
                    <div data-testid="item-bar-wrap">{bar(i.ratio_of_responded, None, "item-bar", true)}</div>
                    {i.electorate.as_ref().map(|e| view! {
                        <p class="sub" data-testid="item-electorate-coverage" data-met=e.met.to_string()>
                            {Words::ColElectorate.text(lang)} {crate::shell::i18n::colon(lang)} {e.sentence(lang)}
                        </p>
                    })}
                    {owners.then(|| art278_view(&i.art278, lang, i.id.clone()))}
                </li>
            }
        }).collect_view();
        view! {
            <h1>{p.name.clone()} " · " {Ballot::Results.text(lang)}</h1>
            <p class="sub">{tr(Reno::ComputedHere)}</p>
            <h2>{tr(Reno::Coverage)}</h2>
            {coverage_view(&t.coverage, waiting, lang)}
            <h2>{tr(Reno::Agreement)}</h2>
            <p>{format!("{}{}{} ({}) · {}", Ballot::AgreeHouseholds.text(lang), crate::shell::i18n::colon(lang), crate::shell::i18n::households(t.agreement.households, lang), pct(t.agreement.households_ratio), pct(t.agreement.households_ratio_of_responded))} " " {tr(Reno::OfResponded)}</p>
            {bar(t.agreement.households_ratio, None, "agree-households-bar", true)}
            <p>{format!("{}：{:.2} m² ({})", tr(Reno::AgreeArea), t.agreement.area_m2, pct(t.agreement.area_ratio))}</p>
            {bar(t.agreement.area_ratio, None, "agree-area-bar", true)}
            {art278_view(&t.art278, lang, "overall".into())}
            {(t.changed_answers > 0).then(|| view! { <p class="sub">{format!("{} {}", tr(Reno::ChangedAnswers), t.changed_answers)}</p> })}
            <h2>{tr(Reno::Menu)}</h2>
            <ul class="list">{items}</ul>
            <div class="exports no-print">
                <a class="btn" href="#csv" role="button" data-testid="export-csv" on:click=export_csv>{tr(Reno::ExportCsv)}</a>
                <a class="btn" href="#xlsx" role="button" data-testid="export-xlsx" on:click=export_xlsx>{tr(Reno::ExportXlsx)}</a>
            </div>
        }
            .into_any()
    };
    view! {
        <section class="page results">
            <ProjectNav lang=lang id=id />
            {body}
            {move || message.get().map(|m| view! { <p class="field-error" role="alert">{m}</p> })}
        </section>
    }
}
