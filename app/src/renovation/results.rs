//! `/project/:id/results`: the tally (R4, R5, R9) computed on the phone with the core's `Replica::tally` (the
//! server runs the same code), drawn as bars; CSV made here, XLSX from the server. Also the coverage and
//! art. 278 pieces the notice and the resident's page show.

use crate::data::downloads;
use crate::data::state;
use crate::renovation::common::{self, bar, class_label, csv_line, matter_label, pct};
use crate::renovation::nav::ProjectNav;
use crate::renovation::strings::Reno;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::places::MenuItem;
use linli_core::renovation::{Art278, Coverage, Tally};
use uuid::Uuid;

pub fn tally(id: Uuid) -> Option<Tally> {
    let c = common::community();
    state::with(|l| l.view.tally(&c, id, state::rules()))
}

/// "已回收 7/10 户（70.0%），达到三分之二".
pub fn coverage_text(c: &Coverage, lang: Lang) -> String {
    let meets = if c.meets_two_thirds {
        Reno::MeetsTwoThirds
    } else {
        Reno::BelowTwoThirds
    }
    .text(lang);
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
    let verdict = if a.passed {
        Reno::Passed
    } else {
        Reno::NotPassed
    };
    view! {
        <div class=if a.passed { "art278 ok" } else { "art278 warn" } data-testid="art278" data-passed=a.passed.to_string() data-scope=scope>
            <p><b>{Reno::Art278.text(lang)} " · " {matter_label(a.matter, lang)} "："</b> {verdict.text(lang)}</p>
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
    let tr = |k: Reno| k.text(lang).to_string();
    let mut s = String::from("\u{FEFF}");
    s += &csv_line(&[tr(Reno::Project), name.to_string()]);
    s += &csv_line(&[
        tr(Reno::Coverage),
        format!("{}/{}", t.coverage.responded, t.coverage.total),
        pct(t.coverage.ratio),
        tr(if t.coverage.meets_two_thirds {
            Reno::MeetsTwoThirds
        } else {
            Reno::BelowTwoThirds
        }),
    ]);
    s += &csv_line(&[
        tr(Reno::AgreeHouseholds),
        t.agreement.households.to_string(),
        pct(t.agreement.households_ratio),
    ]);
    s += &csv_line(&[
        tr(Reno::AgreeArea),
        format!("{:.2}", t.agreement.area_m2),
        pct(t.agreement.area_ratio),
    ]);
    s += &csv_line(&[
        tr(Reno::Art278),
        tr(if t.art278.passed {
            Reno::Passed
        } else {
            Reno::NotPassed
        }),
    ]);
    s += "\r\n";
    s += &csv_line(&[
        tr(Reno::ItemName),
        tr(Reno::ItemClass),
        tr(Reno::CostYuan),
        tr(Reno::ShareYuan),
        tr(Reno::SupportHouseholds),
        tr(Reno::SupportArea),
        tr(Reno::ShareOfResponded),
        tr(Reno::Art278),
    ]);
    for i in &t.items {
        let m = menu.iter().find(|m| m.id.to_string() == i.id);
        let art = match m {
            Some(m) if m.fields.owners_decision => tr(if i.art278.passed {
                Reno::Passed
            } else {
                Reno::NotPassed
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
    let tr = move |k: Reno| k.text(lang);
    let message = RwSignal::new(None::<String>);
    let body = move || {
        ui.rev.get();
        let Some((p, _)) = common::project(id) else {
            return view! { <h1>{tr(Reno::ProjectNotFound)}</h1> }.into_any();
        };
        let Some(t) = tally(id) else {
            return view! { <h1>{p.name.clone()}</h1> }.into_any();
        };
        let menu = common::menu(id);
        let csv_name = p.name.clone();
        let csv_t = t.clone();
        let csv_menu = menu.clone();
        let export_csv = move |ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let text = results_csv(&csv_name, &csv_t, &csv_menu, lang);
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
            let name = item_name(&menu, &i.id);
            view! {
                <li class="item-result" data-testid="item-result" data-name=name.clone()>
                    <p><b>{name.clone()}</b> " " {format!("{} {} · {}", i.households, tr(Reno::HouseholdsUnit), pct(i.ratio_of_responded))}</p>
                    <div data-testid="item-bar-wrap">{bar(i.ratio_of_responded, None, "item-bar", true)}</div>
                    {owners.then(|| art278_view(&i.art278, lang, i.id.clone()))}
                </li>
            }
        }).collect_view();
        view! {
            <h1>{p.name.clone()} " · " {tr(Reno::Results)}</h1>
            <p class="sub">{tr(Reno::ComputedHere)}</p>
            <h2>{tr(Reno::Coverage)}</h2>
            {coverage_view(&t.coverage, lang)}
            <h2>{tr(Reno::Agreement)}</h2>
            <p>{format!("{}：{} {} ({}) · {}", tr(Reno::AgreeHouseholds), t.agreement.households, tr(Reno::HouseholdsUnit), pct(t.agreement.households_ratio), pct(t.agreement.households_ratio_of_responded))} " " {tr(Reno::OfResponded)}</p>
            {bar(t.agreement.households_ratio, Some(2.0 / 3.0), "agree-households-bar", true)}
            <p>{format!("{}：{:.2} m² ({})", tr(Reno::AgreeArea), t.agreement.area_m2, pct(t.agreement.area_ratio))}</p>
            {bar(t.agreement.area_ratio, Some(2.0 / 3.0), "agree-area-bar", true)}
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
