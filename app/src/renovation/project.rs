//! `/project/:id` (staff): the project's facts (R1, R3), notices (R6), design consultation (R7), return rate
//! (R8), and its menu (the `menu` module's editor, R2 and R9).

use crate::data::forms;
use crate::data::state::{self, SaveError};
use crate::renovation::common::{self, kind_label, parse_date, save};
use crate::renovation::menu::MenuEditor;
use crate::renovation::nav::ProjectNav;
use crate::renovation::strings::{Ballot, Reno};
use crate::shell::field::{FormError, Input};
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::renovation::{ProjectFields, RenovationKind, notice_end};
use linli_core::sync::Body;
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// `/project/:id`.
#[component]
pub fn ProjectPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    // Only a project appearing or disappearing renders the page again (typing is not lost on a sync).
    let exists = Memo::new(move |_| {
        ui.rev.get();
        common::project(id).map(|(_, c)| c.map(|c| (c.id, c.fields.name)))
    });
    view! {
        <section class="page project">
            {move || match exists.get() {
                None => view! {
                    <a class="btn back" href="/">{Shell::BackToCompounds.text(lang)}</a>
                    <h1>{tr(Reno::ProjectNotFound)}</h1>
                }
                    .into_any(),
                Some(compound) => {
                    let back = compound
                        .as_ref()
                        .map(|(cid, name)| view! { <a class="btn back" href=format!("/compound/{cid}")>"← " {name.clone()}</a> });
                    view! {
                        {back}
                        <Facts lang=lang id=id />
                        <ProjectNav lang=lang id=id />
                        <ProjectForm lang=lang id=id />
                        <MenuEditor lang=lang id=id />
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// R1, R3 and the survey dates, as they stand.
#[component]
fn Facts(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    move || {
        ui.rev.get();
        let (p, _) = common::project(id)?;
        let rules = &state::rules().renovation;
        let priority = p.is_priority(rules);
        let open = p.is_open(state::now_ms());
        let year = p
            .year_built
            .map(|y| y.to_string())
            .unwrap_or_else(|| "—".into());
        Some(view! {
            <h1 data-testid="project-name">{p.name.clone()}</h1>
            <dl class="facts card">
                <dt>{tr(Reno::Kind)}</dt><dd data-testid="project-kind">{kind_label(p.kind, lang)}</dd>
                <dt>{tr(Reno::YearBuilt)}</dt><dd>{year}</dd>
                <dt>{tr(Reno::DangerousCD)}</dt><dd>{format!("C {} · D {}", p.dangerous_c, p.dangerous_d)}</dd>
                <dt>{tr(Reno::Priority)}</dt>
                <dd>
                    {if priority {
                        view! { <span class="badge priority" data-testid="priority-badge">{tr(Reno::PriorityYes)}</span> }.into_any()
                    } else {
                        view! { <span class="sub">{tr(Reno::PriorityNo)}</span> }.into_any()
                    }}
                </dd>
                <dt>{Ballot::Survey.text(lang)}</dt>
                <dd>
                    {p.survey_opens.to_string()} " – " {p.survey_closes.to_string()} " "
                    <span class=if open { "badge" } else { "badge pending" } data-testid="survey-state" data-open=open.to_string()>
                        {if open { Ballot::SurveyOpen.text(lang) } else { Ballot::SurveyNotOpenNow.text(lang) }}
                    </span>
                    <br />
                    <span class="sub">{format!("{} {}", tr(Reno::GraceDays), p.grace_days)}</span>
                </dd>
            </dl>
        })
    }
}

/// The end of a notice posted on the date in `value`, computed with the core (R6), live as it is typed.
fn notice_end_view(lang: Lang, value: RwSignal<String>, testid: &'static str) -> impl IntoView {
    move || {
        let posted = Date::parse(value.get().trim()).ok()?;
        let rules = &state::rules().renovation;
        let (end, official) = notice_end(common::calendar(), rules, posted)?;
        let days = rules.notice_min_working_days;
        Some(view! {
            <p class="notice-end">
                {format!("{} {days} {}", Reno::NoticeFor.text(lang), Reno::WorkingDaysUntil.text(lang))}
                " "
                <b data-testid=testid>{end.to_string()}</b>
            </p>
            {(!official).then(|| view! {
                <p class="warn" data-testid=testid.replace("-end", "-unofficial") role="alert">{Reno::CalendarUnofficial.text(lang)}</p>
            })}
        })
    }
}

/// R3, R6, R7, R8: the facts staff record as the project goes on.
#[component]
fn ProjectForm(lang: Lang, id: Uuid) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let Some((p, _)) = common::project(id) else {
        return ().into_any();
    };
    let opt = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
    let year = RwSignal::new(p.year_built.map(|y| y.to_string()).unwrap_or_default());
    let dc = RwSignal::new(p.dangerous_c.to_string());
    let dd = RwSignal::new(p.dangerous_d.to_string());
    let notice = RwSignal::new(opt(p.notice_posted));
    let design = RwSignal::new(opt(p.design_notice_posted));
    let rounds = RwSignal::new(p.consultation_rounds.clone());
    let round = RwSignal::new(String::new());
    let meeting = RwSignal::new(opt(p.representative_meeting));
    let ret = RwSignal::new(p.return_rate_pct.map(|r| r.to_string()).unwrap_or_default());
    let error = RwSignal::new(None::<SaveError>);
    let saved = RwSignal::new(false);
    let demolish = p.kind == RenovationKind::DemolishRebuild;
    // R7 and R8 as the core judges them, with the rule set's minimums, on the values being typed.
    let base = p.clone();
    let rounds_verdict = {
        let base = base.clone();
        move || {
            ProjectFields {
                consultation_rounds: rounds.get(),
                ..base.clone()
            }
            .consultation_verdict(&state::rules().renovation)
        }
    };
    let return_verdict = move || {
        ProjectFields {
            return_rate_pct: forms::parse_f64(&ret.get()),
            ..base.clone()
        }
        .return_rate_verdict(&state::rules().renovation)
    };
    let add_round = move |_| match parse_date(&round.get_untracked(), "consultation_rounds") {
        Ok(Some(d)) => {
            rounds.update(|r| {
                if !r.contains(&d) {
                    r.push(d);
                    r.sort();
                }
            });
            round.set(String::new());
        }
        Ok(None) => {}
        Err(e) => error.set(Some(e)),
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let Some((mut p, _)) = common::project(id) else {
            return;
        };
        let dates = (|| {
            Ok::<_, SaveError>((
                parse_date(&notice.get_untracked(), "notice_posted")?,
                parse_date(&design.get_untracked(), "design_notice_posted")?,
                parse_date(&meeting.get_untracked(), "representative_meeting")?,
            ))
        })();
        match dates {
            Ok((n, d, m)) => {
                p.notice_posted = n;
                p.design_notice_posted = d;
                p.representative_meeting = m;
            }
            Err(e) => return error.set(Some(e)),
        }
        p.year_built =
            forms::parse_u32(&year.get_untracked()).map(|y| u16::try_from(y).unwrap_or(0));
        p.dangerous_c = forms::parse_u32(&dc.get_untracked()).unwrap_or(0);
        p.dangerous_d = forms::parse_u32(&dd.get_untracked()).unwrap_or(0);
        p.consultation_rounds = rounds.get_untracked();
        p.return_rate_pct = forms::parse_f64(&ret.get_untracked());
        save(
            EntityKind::Project,
            id,
            Body::ProjectPut(p),
            error,
            move || saved.set(true),
        );
    };
    view! {
        <form class="card form" on:submit=on_submit data-testid="project-form">
            <h2>{tr(Reno::PriorityFacts)}</h2>
            <Input label=tr(Reno::YearBuilt) name="year-built" value=year inputmode="numeric" />
            <Input label=tr(Reno::DangerousC) name="dangerous-c" value=dc inputmode="numeric" />
            <Input label=tr(Reno::DangerousD) name="dangerous-d" value=dd inputmode="numeric" />
            <h2>{tr(Reno::Notices)}</h2>
            <Input label=tr(Reno::NoticePosted) name="notice-posted" value=notice kind="date" />
            {notice_end_view(lang, notice, "notice-end")}
            <Input label=tr(Reno::DesignNoticePosted) name="design-notice-posted" value=design kind="date" />
            {notice_end_view(lang, design, "design-notice-end")}
            <h2>{tr(Reno::Consultation)}</h2>
            {move || {
                let v = rounds_verdict();
                view! {
                    <p data-testid="rounds-count" data-count=v.held.to_string() data-min=v.min.to_string() data-met=v.met.to_string()
                        class=if v.met { "ok" } else { "warn" }>
                        {format!("{} {} / {}", tr(Reno::RoundsRecorded), v.held, v.min)}
                    </p>
                }
            }}
            <ul class="list">
                {move || rounds.get().into_iter().map(|d| view! { <li>{d.to_string()}</li> }).collect_view()}
            </ul>
            <Input label=tr(Reno::RoundDate) name="round-date" value=round kind="date" />
            <button type="button" class="btn wide" data-testid="add-round" on:click=add_round>{tr(Reno::AddRound)}</button>
            <Input label=tr(Reno::RepresentativeMeeting) name="representative-meeting" value=meeting kind="date" />
            {demolish.then(|| view! {
                <h2>{tr(Reno::ReturnRate)}</h2>
                <Input label=tr(Reno::ReturnRatePct) name="return-rate" value=ret inputmode="decimal" />
                {move || return_verdict().map(|v| view! {
                    <p class=if v.met { "ok" } else { "warn" } data-testid="return-rate-check" data-ok=v.met.to_string()>
                        {format!("{} ≥ {}%", tr(Reno::ReturnRateNeeds), v.min)}
                    </p>
                })}
            })}
            <FormError lang=lang error=error fields=&[] />
            <Show when=move || saved.get()>
                <p class="message" role="status">{Shell::Saved.text(lang)}</p>
            </Show>
            <button type="submit" class="btn primary wide" data-testid="save-project">{tr(Reno::SaveProject)}</button>
        </form>
    }
    .into_any()
}
