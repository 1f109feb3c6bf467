//! `/standards/shanghai/form/:n`: Shanghai's application forms (申报表, 001 附件1–5; RULES E3), printable —
//! the form's heading fields as the seed lays them out (the committee's name filled in, the rest left to
//! be written by hand), 基本情况 and 申报依据 filled from this phone's self-check of the Shanghai standard,
//! and the form's sign-off chain: three boxes, each for an opinion, a stamp and a date, in the order the
//! core gives (`linli_core::standards::forms`).

use crate::data::state;
use crate::standards::evaluate;
use crate::standards::report::print_actions;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::standards::Catalogue;
use linli_core::standards::forms::{Applicant, FORMS, form};
use linli_core::standards::words;

/// The five forms' links, for the Shanghai standard's page.
pub fn form_links(lang: Lang) -> impl IntoView {
    view! {
        <p class="sub">{Std::ShanghaiForms.text(lang)}</p>
        <div class="row-actions">
            {FORMS.iter().map(|f| view! {
                <a class="btn" data-testid="shanghai-form-link" href=format!("/standards/shanghai/form/{}", f.number)>
                    {fill(Std::ShanghaiFormN.text(lang), &[&f.number.to_string()])}
                </a>
            }).collect_view()}
        </div>
    }
}

#[component]
pub fn ShanghaiFormPage(lang: Lang, number: u8) -> impl IntoView {
    let tr = move |k: Std| k.text(lang);
    let (Some(f), Some(std), Some(e)) = (
        form(number),
        Catalogue::get().standard("shanghai"),
        evaluate("shanghai"),
    ) else {
        return view! { <section class="page"><h1>{tr(Std::NotFound)}</h1></section> }.into_any();
    };
    let community = state::with(|l| {
        l.session
            .as_ref()
            .map(|s| s.community_name.clone())
            .unwrap_or_default()
    });
    // The committee's own forms carry its name; the sub-district's are filled in by the sub-district.
    let filled =
        |i: usize| (i == 0 && f.applicant == Applicant::Committee).then(|| community.clone());
    let fields = f
        .fields
        .iter()
        .enumerate()
        .map(|(i, (zh, en))| {
            let label = if lang == Lang::Zh { *zh } else { *en };
            view! { <tr data-testid="form-field"><th>{label}</th><td>{filled(i)}</td></tr> }
        })
        .collect_view();
    // 基本情况: the verdict and how many of the ten standards are met, as the self-check has it today.
    let situation = fill(
        tr(Std::ShanghaiSituation),
        &[
            &e.as_of.to_string(),
            &e.groups_met().to_string(),
            &e.groups.len().to_string(),
        ],
    );
    // 申报依据: each of the standard's groups with its status and rows met.
    let basis = std
        .groups
        .iter()
        .filter_map(|g| {
            let r = e.groups.iter().find(|r| r.id == g.id)?;
            Some(view! {
                <li data-testid="form-basis" data-group=g.id.clone()>
                    {g.name(lang).to_string()} {crate::shell::i18n::colon(lang)}
                    {words::status(r.status).text(lang)} {format!("（{}/{}）", r.rows_met, r.rows_deciding)}
                </li>
            })
        })
        .collect_view();
    let chain = f
        .chain
        .iter()
        .map(|b| {
            view! {
                <tr class="sign-off" data-testid="sign-off">
                    <th>{b.title(lang)}</th>
                    <td>
                        <div class="sign-space"></div>
                        <p class="sign-stamp">{tr(Std::Stamp)}</p>
                        <p class="sign-date">{tr(Std::YearMonthDay)}</p>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page report" data-testid="shanghai-form" data-form=number.to_string()>
            {print_actions("shanghai", lang, ().into_any())}
            <p>{fill(tr(Std::ShanghaiFormN), &[&number.to_string()])}</p>
            <h1>{f.title(lang)}</h1>
            <table class="report-table form-sheet">
                <tbody>
                    {fields}
                    <tr><th>{tr(Std::Situation)}</th><td data-testid="form-situation">{situation}</td></tr>
                    <tr><th>{tr(Std::Basis)}</th><td><ul class="list">{basis}</ul>
                        <p class="sub">{fill(tr(Std::BasisAttached), &[std.name(lang)])}</p></td></tr>
                    {chain}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
