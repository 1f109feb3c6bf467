//! `/project/:id/notice`: the printable public notice (公示, R6): compound, project, menu, dates, notice period,
//! coverage and results.

use crate::data::state;
use crate::renovation::common::{self, class_label, pct, yuan};
use crate::renovation::nav::ProjectNav;
use crate::renovation::results::{art278_view, coverage_view, tally};
use crate::renovation::strings::{Ballot, Reno};
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::renovation::notice_end;
use uuid::Uuid;

/// The public notice (公示): compound, project, menu, dates, notice period, coverage and results.
#[component]
pub fn NoticePage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    // Who takes objections: typed on the page (not stored), printed on the notice.
    let contact = RwSignal::new(String::new());
    let issuer = state::with(|l| {
        l.session
            .as_ref()
            .map(|s| s.community_name.clone())
            .unwrap_or_default()
    });
    let issued_on = linli_core::date::Date::from_unix_ms_cst(state::now_ms() as i64);
    let body = move || {
        let issuer = issuer.clone();
        ui.rev.get();
        let (p, compound) = common::project(id)?;
        let (t, waiting) = tally(id)?;
        let menu = common::menu(id);
        let rules = &state::rules().renovation;
        let end = p
            .notice_posted
            .and_then(|d| notice_end(common::calendar(), rules, d).map(|(e, o)| (d, e, o)));
        let support: std::collections::HashMap<String, (u64, f64)> = t
            .items
            .iter()
            .map(|i| (i.id.clone(), (i.households, i.ratio_of_responded)))
            .collect();
        Some(view! {
            <article class="notice-page" data-testid="notice-page">
                <h1>{tr(Reno::NoticeTitle)}</h1>
                <p class="big">{compound.map(|c| c.fields.name).unwrap_or_default()} " · " {p.name.clone()}</p>
                <p>{common::kind_label(p.kind, lang)}</p>
                <p>{Ballot::Survey.text(lang)} {crate::shell::i18n::colon(lang)} {p.survey_opens.to_string()} " – " {p.survey_closes.to_string()}</p>
                {end.map(|(posted, end, official)| view! {
                    <p>{tr(Reno::NoticePeriod)} {crate::shell::i18n::colon(lang)} {posted.to_string()} " – " <b data-testid="notice-end">{end.to_string()}</b>
                        " " <span data-testid="notice-days">{linli_core::i18n::fill(tr(Reno::WorkingDays), &[&rules.notice_min_working_days.to_string()])}</span>
                        {(!official).then(|| view! { " " <span class="warn">{tr(Reno::CalendarUnofficial)}</span> })}
                    </p>
                })}
                <h2>{tr(Reno::Menu)}</h2>
                <div class="table-scroll">
                <table class="table">
                    <thead><tr>
                        <th>{tr(Reno::ItemName)}</th><th>{tr(Reno::ItemClass)}</th><th>{tr(Reno::CostYuan)}</th>
                        <th>{tr(Reno::ShareColumn)}</th><th>{tr(Reno::SupportHouseholds)}</th>
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
                </div>
                <h2>{tr(Reno::Coverage)}</h2>
                {coverage_view(&t.coverage, waiting, lang)}
                <p>{format!("{}：{} ({})", Ballot::AgreeHouseholds.text(lang), t.agreement.households, pct(t.agreement.households_ratio))}</p>
                {art278_view(&t.art278, lang, "overall".into())}
                <footer class="notice-foot" data-testid="notice-foot">
                    <p>{tr(Reno::Objections)} {crate::shell::i18n::colon(lang)} <span data-testid="notice-contact">{move || contact.get()}</span></p>
                    <p>{tr(Reno::IssuedBy)} {crate::shell::i18n::colon(lang)} <b data-testid="notice-issuer">{issuer.clone()}</b> {tr(Reno::Seal)}</p>
                    <p>{tr(Reno::IssueDate)} {crate::shell::i18n::colon(lang)} <span data-testid="notice-date">{issued_on.to_string()}</span></p>
                </footer>
                <label class="field no-print">
                    <span class="label">{tr(Reno::ObjectionsContact)}</span>
                    <input name="objections-contact" type="text" autocomplete="off" prop:value=move || contact.get() on:input=move |ev| contact.set(event_target_value(&ev)) />
                </label>
                <button type="button" class="btn primary no-print" data-testid="print" on:click=|_| {
                    if let Some(w) = web_sys::window() { let _ = w.print(); }
                }>{tr(Reno::Print)}</button>
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
