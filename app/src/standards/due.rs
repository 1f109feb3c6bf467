//! The due list on `/standards` (E6's rhythm): every community-level "so many times a period" row (the
//! residents' meeting each quarter, finances posted each quarter, the needs survey each half-year, the
//! monthly events…) turned into a dated duty — what this period still needs and by when, and the completed
//! periods that fell short, overdue. A row with nothing recorded counts as nothing held.

use crate::data::state;
use crate::standards::strings::Std;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::date::Date;
use linli_core::i18n::fill;
use linli_core::standards::{
    Catalogue, Input, Kind, StandardsRules, evaluate_indicator, threshold_in_force, words,
};

/// One duty: the row, what this period needs (if anything) and the periods overdue.
#[derive(Clone, PartialEq)]
struct Duty {
    id: String,
    standard: String,
    name: String,
    current: Option<(String, Date)>,
    overdue: Option<String>,
    /// Where to record what the duty asks for (a log's form), and the button's words.
    record: Option<(String, Std)>,
}

fn duties(lang: Lang) -> Vec<Duty> {
    let today = Date::from_unix_ms_cst(state::now_ms() as i64);
    let (year, _, _) = today.ymd();
    let c = state::community();
    let rules = state::rules();
    let readings = StandardsRules::of(rules).unwrap_or_default();
    let types = &readings.log_types;
    let inputs = state::with(|l| {
        let mut i = l.view.entered_inputs(&c, today);
        i.extend(l.view.standards_inputs(&c, year, today, rules));
        i
    });
    let mut out = Vec::new();
    for s in &Catalogue::get().standards {
        for ind in s
            .indicators
            .iter()
            .filter(|i| i.kind == Kind::Cadence && i.level == "community" && !i.optional)
        {
            let none = Input::Dates(Vec::new());
            let input = inputs.get(&ind.id).unwrap_or(&none);
            let r = evaluate_indicator(
                ind,
                threshold_in_force(ind, &readings),
                Some(input),
                year,
                today,
            );
            let current = r
                .current
                .as_ref()
                .filter(|c| c.count < c.needed)
                .map(|c| (words::current_sentence(&r, lang).unwrap_or_default(), c.due));
            let overdue = r
                .gap
                .as_ref()
                .and(words::gap_sentence(ind, &r, lang))
                .filter(|_| {
                    r.gap
                        .as_ref()
                        .is_some_and(|g| g.periods.as_ref().is_some_and(|p| !p.is_empty()))
                        && r.status == linli_core::standards::Status::NotMet
                });
            if current.is_some() || overdue.is_some() {
                // A row a log feeds: record one there, of the first type that feeds it.
                let record = types.log_of_row(&ind.id).and_then(|log| {
                    let t = types.types_feeding(log, &ind.id).first()?.to_string();
                    Some((
                        format!("/logs/{}/new?type={t}", log.as_str()),
                        crate::standards::logs::words(log).1,
                    ))
                });
                out.push(Duty {
                    record,
                    id: ind.id.clone(),
                    standard: s.standard.clone(),
                    name: ind.name_zh.clone(),
                    current,
                    overdue,
                });
            }
        }
    }
    // Overdue first, then by the date this period's is due.
    out.sort_by_key(|d| (d.overdue.is_none(), d.current.as_ref().map(|c| c.1)));
    out
}

/// Duties shown before "show all": a community with nothing recorded yet has dozens, and the page must
/// still lead to the standards below on a small phone.
const FIRST_DUTIES: usize = 5;

/// M5: the next directors' meeting (this month's, or next month's once it is past), and the holiday it
/// falls on.
fn directors_line(lang: Lang) -> Option<(String, Option<String>)> {
    use linli_core::standards::directors::next_directors_meeting;
    let today = Date::from_unix_ms_cst(state::now_ms() as i64);
    let reading = StandardsRules::of(state::rules())
        .unwrap_or_default()
        .directors_meeting_week;
    let m = next_directors_meeting(today, reading, &linli_core::calendar::Calendar::china())?;
    Some((
        fill(Std::DirectorsMeeting.text(lang), &[&m.date.to_string()]),
        m.holiday
            .map(|h| fill(Std::DirectorsHoliday.text(lang), &[&h])),
    ))
}

#[component]
pub fn DueList(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Std| k.text(lang);
    let all = RwSignal::new(false);
    let list = Memo::new(move |_| {
        ui.rev.get();
        duties(lang)
    });
    let hidden = move || list.with(|l| l.len().saturating_sub(FIRST_DUTIES));
    view! {
        <section class="card" data-testid="due-list">
            <h2>{tr(Std::DueTitle)}</h2>
            {directors_line(lang).map(|(line, holiday)| view! {
                <p data-testid="directors-meeting">{line}
                    {holiday.map(|h| view! { " · " <span class="warn">{h}</span> })}</p>
            })}
            <ul class="list">
                {move || list.get().into_iter().take(if all.get() { usize::MAX } else { FIRST_DUTIES }).map(|d| view! {
                    <li data-testid="duty" data-id=d.id.clone() data-overdue=d.overdue.is_some().to_string()>
                        <a class="link" href=format!("/standards/{}", d.standard)>
                            <span class="title">{d.name.clone()} " (" {d.id.clone()} ")"</span>
                        </a>
                        {d.overdue.clone().map(|o| view! { <p class="warn" data-testid="duty-overdue">{tr(Std::Overdue)} " " {o}</p> })}
                        {d.current.clone().map(|(s, due)| view! { <p class="sub" data-testid="duty-current">{s} " · " {tr(Std::DueBy)} " " {due.to_string()}</p> })}
                        {d.record.clone().map(|(href, k)| view! { <a class="btn" data-testid="duty-record" href=href>{tr(k)}</a> })}
                    </li>
                }).collect_view()}
            </ul>
            {move || (!all.get() && hidden() > 0).then(|| view! {
                <button type="button" class="btn wide" data-testid="due-show-all" on:click=move |_| all.set(true)>
                    {fill(tr(Std::DueShowAll), &[&hidden().to_string()])}
                </button>
            })}
        </section>
    }
}
