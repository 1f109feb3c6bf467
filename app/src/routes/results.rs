//! `/project/:id/results` and `/project/:id/notice`: the tally (R4, R5, R9) computed on the phone with the
//! core's `Replica::tally` (the server runs the same code), drawn as bars; CSV made here, XLSX from the server;
//! and the printable public notice (公示, R6).

use crate::i18n::R;
use crate::reno::{self, bar, class_label, csv_line, matter_label, pct, yuan};
use crate::routes::project::ProjectNav;
use crate::state;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::places::MenuItem;
use linli_core::project::notice_end;
use linli_core::renovation::{Art278, Coverage, Tally};
use uuid::Uuid;

pub fn tally(id: Uuid) -> Option<Tally> {
    let c = reno::community();
    state::with(|l| l.view.tally(&c, id, state::rules()))
}

/// "已回收 7/10 户（70.0%），达到三分之二".
pub fn coverage_text(c: &Coverage, lang: Lang) -> String {
    let meets = if c.meets_two_thirds {
        R::MeetsTwoThirds
    } else {
        R::BelowTwoThirds
    }
    .in_lang(lang);
    match lang {
        Lang::Zh => format!(
            "已回收 {}/{} 户（{}），{meets}",
            c.responded,
            c.total,
            pct(c.ratio)
        ),
        Lang::En => format!(
            "{} of {} households answered ({}); {meets}",
            c.responded,
            c.total,
            pct(c.ratio)
        ),
    }
}

/// The coverage bar with its 2/3 line, and the sentence (R5).
pub fn coverage_view(c: &Coverage, lang: Lang) -> impl IntoView + use<> {
    view! {
        <div class="coverage">
            {bar(c.ratio, Some(2.0 / 3.0), "coverage-bar", c.meets_two_thirds)}
            <p class="big" data-testid="coverage-text" data-meets=c.meets_two_thirds.to_string()>{coverage_text(c, lang)}</p>
        </div>
    }
}

/// An art. 278 outcome with its plain-language explanation (R9).
pub fn art278_view(a: &Art278, lang: Lang, scope: String) -> impl IntoView + use<> {
    let text = match lang {
        Lang::Zh => a.explanation_zh.clone(),
        Lang::En => a.explanation_en.clone(),
    };
    let verdict = if a.passed { R::Passed } else { R::NotPassed };
    view! {
        <div class=if a.passed { "art278 ok" } else { "art278 warn" } data-testid="art278" data-passed=a.passed.to_string() data-scope=scope>
            <p><b>{R::Art278.in_lang(lang)} " · " {matter_label(a.matter, lang)} "："</b> {verdict.in_lang(lang)}</p>
            <p>{text}</p>
        </div>
    }
}

fn item_name(menu: &[MenuItem], id: &str) -> String {
    menu.iter()
        .find(|m| m.id.to_string() == id)
        .map(|m| m.fields.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The results as CSV (UTF-8 with a byte-order mark, for spreadsheet programs).
pub fn results_csv(name: &str, t: &Tally, menu: &[MenuItem], lang: Lang) -> String {
    let tr = |k: R| k.in_lang(lang).to_string();
    let mut s = String::from("\u{FEFF}");
    s += &csv_line(&[tr(R::Project), name.to_string()]);
    s += &csv_line(&[
        tr(R::Coverage),
        format!("{}/{}", t.coverage.responded, t.coverage.total),
        pct(t.coverage.ratio),
        tr(if t.coverage.meets_two_thirds {
            R::MeetsTwoThirds
        } else {
            R::BelowTwoThirds
        }),
    ]);
    s += &csv_line(&[
        tr(R::AgreeHouseholds),
        t.agreement.households.to_string(),
        pct(t.agreement.households_ratio),
    ]);
    s += &csv_line(&[
        tr(R::AgreeArea),
        format!("{:.2}", t.agreement.area_m2),
        pct(t.agreement.area_ratio),
    ]);
    s += &csv_line(&[
        tr(R::Art278),
        tr(if t.art278.passed {
            R::Passed
        } else {
            R::NotPassed
        }),
    ]);
    s += "\r\n";
    s += &csv_line(&[
        tr(R::ItemName),
        tr(R::ItemClass),
        tr(R::CostYuan),
        tr(R::ShareYuan),
        tr(R::SupportHouseholds),
        tr(R::SupportArea),
        tr(R::ShareOfResponded),
        tr(R::Art278),
    ]);
    for i in &t.items {
        let m = menu.iter().find(|m| m.id.to_string() == i.id);
        let art = match m {
            Some(m) if m.fields.owners_decision => tr(if i.art278.passed {
                R::Passed
            } else {
                R::NotPassed
            }),
            _ => String::new(),
        };
        s += &csv_line(&[
            item_name(menu, &i.id),
            m.map(|m| class_label(m.fields.class, lang).to_string())
                .unwrap_or_default(),
            m.map(|m| m.fields.cost_yuan.to_string())
                .unwrap_or_default(),
            m.and_then(|m| m.fields.share_per_household_yuan)
                .map(|v| v.to_string())
                .unwrap_or_default(),
            i.households.to_string(),
            format!("{:.2}", i.area_m2),
            pct(i.ratio_of_responded),
            art,
        ]);
    }
    s
}

#[component]
pub fn ResultsPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: R| k.in_lang(lang);
    let message = RwSignal::new(None::<String>);
    let body = move || {
        ui.rev.get();
        let Some((p, _)) = reno::project(id) else {
            return view! { <h1>{tr(R::ProjectNotFound)}</h1> }.into_any();
        };
        let Some(t) = tally(id) else {
            return view! { <h1>{p.name.clone()}</h1> }.into_any();
        };
        let menu = reno::menu(id);
        let csv_name = p.name.clone();
        let csv_t = t.clone();
        let csv_menu = menu.clone();
        let export_csv = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let text = results_csv(&csv_name, &csv_t, &csv_menu, lang);
            if let Err(e) = reno::download_text(
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
                let r = reno::download_from_server(
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
            let name = item_name(&menu, &i.id);
            view! {
                <li class="item-result" data-testid="item-result" data-name=name.clone()>
                    <p><b>{name.clone()}</b> " " {format!("{} {} · {}", i.households, tr(R::HouseholdsUnit), pct(i.ratio_of_responded))}</p>
                    <div data-testid="item-bar-wrap">{bar(i.ratio_of_responded, None, "item-bar", true)}</div>
                    {owners.then(|| art278_view(&i.art278, lang, i.id.clone()))}
                </li>
            }
        }).collect_view();
        view! {
            <h1>{p.name.clone()} " · " {tr(R::Results)}</h1>
            <p class="sub">{tr(R::ComputedHere)}</p>
            <h2>{tr(R::Coverage)}</h2>
            {coverage_view(&t.coverage, lang)}
            <h2>{tr(R::Agreement)}</h2>
            <p>{format!("{}：{} {} ({}) · {}", tr(R::AgreeHouseholds), t.agreement.households, tr(R::HouseholdsUnit), pct(t.agreement.households_ratio), pct(t.agreement.households_ratio_of_responded))} " " {tr(R::OfResponded)}</p>
            {bar(t.agreement.households_ratio, Some(2.0 / 3.0), "agree-households-bar", true)}
            <p>{format!("{}：{:.2} m² ({})", tr(R::AgreeArea), t.agreement.area_m2, pct(t.agreement.area_ratio))}</p>
            {bar(t.agreement.area_ratio, Some(2.0 / 3.0), "agree-area-bar", true)}
            {art278_view(&t.art278, lang, "overall".into())}
            {(t.changed_answers > 0).then(|| view! { <p class="sub">{format!("{} {}", tr(R::ChangedAnswers), t.changed_answers)}</p> })}
            <h2>{tr(R::Menu)}</h2>
            <ul class="list">{items}</ul>
            <div class="exports no-print">
                <a class="btn" href="#csv" role="button" data-testid="export-csv" on:click=export_csv>{tr(R::ExportCsv)}</a>
                <a class="btn" href="#xlsx" role="button" data-testid="export-xlsx" on:click=export_xlsx>{tr(R::ExportXlsx)}</a>
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

/// The public notice (公示): compound, project, menu, dates, notice period, coverage and results.
#[component]
pub fn NoticePage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: R| k.in_lang(lang);
    let body = move || {
        ui.rev.get();
        let (p, compound) = reno::project(id)?;
        let t = tally(id)?;
        let menu = reno::menu(id);
        let rules = &state::rules().renovation;
        let end = p
            .notice_posted
            .and_then(|d| notice_end(reno::calendar(), rules, d).map(|(e, o)| (d, e, o)));
        let support: std::collections::HashMap<String, (u64, f64)> = t
            .items
            .iter()
            .map(|i| (i.id.clone(), (i.households, i.ratio_of_responded)))
            .collect();
        Some(view! {
            <article class="notice-page" data-testid="notice-page">
                <h1>{tr(R::NoticeTitle)}</h1>
                <p class="big">{compound.map(|c| c.fields.name).unwrap_or_default()} " · " {p.name.clone()}</p>
                <p>{reno::kind_label(p.kind, lang)}</p>
                <p>{tr(R::Survey)} "：" {p.survey_opens.to_string()} " – " {p.survey_closes.to_string()}</p>
                {end.map(|(posted, end, official)| view! {
                    <p>{tr(R::NoticePeriod)} "：" {posted.to_string()} " – " <b data-testid="notice-end">{end.to_string()}</b>
                        {(!official).then(|| view! { " " <span class="warn">{tr(R::CalendarUnofficial)}</span> })}
                    </p>
                })}
                <h2>{tr(R::Menu)}</h2>
                <table class="table">
                    <thead><tr>
                        <th>{tr(R::ItemName)}</th><th>{tr(R::ItemClass)}</th><th>{tr(R::CostYuan)}</th>
                        <th>{tr(R::ShareYuan)}</th><th>{tr(R::SupportHouseholds)}</th>
                    </tr></thead>
                    <tbody>
                        {menu.iter().map(|m| {
                            let (n, r) = support.get(&m.id.to_string()).copied().unwrap_or((0, 0.0));
                            view! { <tr>
                                <td>{m.fields.name.clone()}</td>
                                <td>{class_label(m.fields.class, lang)}</td>
                                <td>{yuan(m.fields.cost_yuan, lang)}</td>
                                <td>{m.fields.share_per_household_yuan.map(|s| yuan(s, lang)).unwrap_or_default()}</td>
                                <td>{format!("{n} ({})", pct(r))}</td>
                            </tr> }
                        }).collect_view()}
                    </tbody>
                </table>
                <h2>{tr(R::Coverage)}</h2>
                {coverage_view(&t.coverage, lang)}
                <p>{format!("{}：{} ({})", tr(R::AgreeHouseholds), t.agreement.households, pct(t.agreement.households_ratio))}</p>
                {art278_view(&t.art278, lang, "overall".into())}
                <button type="button" class="btn primary no-print" data-testid="print" on:click=|_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>{tr(R::Print)}</button>
            </article>
        })
    };
    view! {
        <section class="page">
            <ProjectNav lang=lang id=id />
            {body}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_in_plain_words() {
        let c = Coverage {
            responded: 7,
            total: 10,
            ratio: 0.7,
            meets_two_thirds: true,
        };
        assert_eq!(
            coverage_text(&c, Lang::Zh),
            "已回收 7/10 户（70.0%），达到三分之二"
        );
        let c = Coverage {
            responded: 6,
            total: 10,
            ratio: 0.6,
            meets_two_thirds: false,
        };
        assert_eq!(
            coverage_text(&c, Lang::En),
            "6 of 10 households answered (60.0%); below two thirds"
        );
    }
}
