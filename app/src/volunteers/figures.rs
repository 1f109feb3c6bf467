//! The community's volunteer figures on `/volunteers` (V1 registration rate, V3 monthly share with
//! confirmed service, V4 party members and students with the rule set's hours), computed on the phone by
//! the core from the local records and drawn as bars with the threshold marked; the list and the figures
//! export to CSV and XLSX from the server.

use crate::data::state;
use crate::renovation::common::{bar, download_from_server, pct};
use crate::volunteers::list::{community, today};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::{EntityKind, Lang};

/// Live persons of the community on the roster: the default population.
fn roster_persons(c: &str) -> u64 {
    state::with(|l| {
        l.view
            .records()
            .filter(|(k, r)| k.community == c && k.kind == EntityKind::Person && r.is_live())
            .count() as u64
    })
}

#[component]
pub fn FiguresCard(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let typed = RwSignal::new(String::new());
    let population = move || {
        ui.rev.get();
        let t = typed.get();
        match t.trim() {
            "" => roster_persons(&community()),
            v => v.parse().unwrap_or(0),
        }
    };
    let stats = move || {
        let p = population();
        let c = community();
        state::with(|l| {
            l.view
                .volunteer_stats(&c, today(), p, &state::rules().volunteers)
                .ok()
        })
    };
    let error = RwSignal::new(None::<String>);
    let export = move |what: &'static str, ext: &'static str| {
        let p = population();
        let (path, name) = match what {
            "list" => (
                format!("/api/volunteers/export.{ext}"),
                format!("volunteers.{ext}"),
            ),
            _ => (
                format!(
                    "/api/volunteers/stats.{ext}?as_of={}&population={p}",
                    today()
                ),
                format!("volunteer-figures.{ext}"),
            ),
        };
        wasm_bindgen_futures::spawn_local(async move {
            error.set(download_from_server(&path, &name, lang).await.err());
        });
    };
    let met = move |b: bool| {
        if b {
            tr(Volunteers::Met)
        } else {
            tr(Volunteers::NotMet)
        }
    };
    view! {
        <section class="card" data-testid="volunteer-figures">
            <h2>{tr(Volunteers::Figures)}</h2>
            <label class="field">
                <span class="label">{tr(Volunteers::Population)}</span>
                <input name="population" inputmode="numeric" prop:value=move || typed.get()
                    placeholder=move || population().to_string()
                    on:input=move |ev| typed.set(event_target_value(&ev)) />
            </label>
            {move || match stats() {
                None => view! { <p class="warn">{tr(Volunteers::NeedPopulation)}</p> }.into_any(),
                Some(s) => {
                    let r = s.rate;
                    let p = s.party_students;
                    let rate_line = fill(tr(Volunteers::RegRate), &[&pct(r.value), &s.registered.to_string(), &pct(r.threshold)]);
                    let party_line = fill(tr(Volunteers::PartyShare), &[
                        &p.hours_min.to_string(), &p.with_20_hours.to_string(), &p.members.to_string(), &pct(p.share), &pct(p.threshold),
                    ]);
                    view! {
                        <p data-testid="registration-rate" data-met=r.met.to_string()>{rate_line} " · " <strong>{met(r.met)}</strong></p>
                        {bar(r.value, Some(r.threshold), "rate-bar", r.met)}
                        <h3>{tr(Volunteers::MonthShares)}</h3>
                        <table class="table" data-testid="month-shares">
                            <tbody>
                                {s.active_by_month.iter().map(|m| view! {
                                    <tr data-month=m.month.clone()>
                                        <td>{m.month.clone()}</td>
                                        <td class="wide">{bar(m.share, None, "month-bar", true)}</td>
                                        <td>{pct(m.share)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        <p data-testid="party-share" data-met=p.met.to_string()>{party_line} " · " <strong>{met(p.met)}</strong></p>
                        {bar(p.share, Some(p.threshold), "party-bar", p.met)}
                    }.into_any()
                }
            }}
            <div class="row-actions">
                <button type="button" class="btn" data-testid="export-list-csv" on:click=move |_| export("list", "csv")>{tr(Volunteers::ExportList)} " CSV"</button>
                <button type="button" class="btn" data-testid="export-list-xlsx" on:click=move |_| export("list", "xlsx")>{tr(Volunteers::ExportList)} " XLSX"</button>
                <button type="button" class="btn" data-testid="export-figures-csv" on:click=move |_| export("figures", "csv")>{tr(Volunteers::ExportFigures)} " CSV"</button>
                <button type="button" class="btn" data-testid="export-figures-xlsx" on:click=move |_| export("figures", "xlsx")>{tr(Volunteers::ExportFigures)} " XLSX"</button>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
        </section>
    }
}
