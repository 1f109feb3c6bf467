//! The renovation feature's section on the compound page (`/compound/:id`): the compound's projects and the
//! form to start one (R1, survey dates). The roster's compound page renders it through one line.

use crate::data::forms;
use crate::data::state::{self, SaveError};
use crate::renovation::common::{self, field_error, kind_label, parse_date, save};
use crate::renovation::strings::{Ballot, Reno};
use crate::shell::field::{Check, FormError, Input};
use leptos::prelude::*;
use linli_core::renovation::{ProjectFields, RenovationKind, Words};
use linli_core::sync::Body;
use linli_core::{EntityKind, ErrorCode, Lang};
use uuid::Uuid;

/// The projects of a compound and the form to start one (on `/compound/:id`).
#[component]
pub fn ProjectsSection(lang: Lang, compound_id: Uuid, year_built: Option<u16>) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let projects = move || {
        ui.rev.get();
        state::with(|l| l.view.projects(compound_id))
    };
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(String::from("comprehensive"));
    let today = common::today();
    let opens = RwSignal::new(today.to_string());
    let closes = RwSignal::new(String::new());
    let grace = RwSignal::new(String::from("3"));
    let running = RwSignal::new(false);
    let error = RwSignal::new(None::<SaveError>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let dates = parse_date(&opens.get_untracked(), "survey_opens").and_then(|o| {
            let c = parse_date(&closes.get_untracked(), "survey_closes")?;
            match (o, c) {
                (Some(o), Some(c)) => Ok((o, c)),
                (None, _) => Err(field_error(ErrorCode::Required, "survey_opens")),
                (_, None) => Err(field_error(ErrorCode::Required, "survey_closes")),
            }
        });
        let (survey_opens, survey_closes) = match dates {
            Ok(d) => d,
            Err(e) => return error.set(Some(e)),
        };
        let body = Body::ProjectPut(ProjectFields {
            compound_id,
            name: name.get_untracked().trim().to_string(),
            kind: if kind.get_untracked() == "demolish_rebuild" {
                RenovationKind::DemolishRebuild
            } else {
                RenovationKind::Comprehensive
            },
            year_built,
            dangerous_c: 0,
            dangerous_d: 0,
            survey_opens,
            survey_closes,
            grace_days: forms::parse_u32(&grace.get_untracked()).unwrap_or(0),
            show_running_results: running.get_untracked(),
            notice_posted: None,
            design_notice_posted: None,
            consultation_rounds: vec![],
            representative_meeting: None,
            return_rate_pct: None,
        });
        save(
            EntityKind::Project,
            Uuid::now_v7(),
            body,
            error,
            move || name.set(String::new()),
        );
    };
    view! {
        <section class="card projects" data-testid="projects">
            <h2>{tr(Reno::Projects)}</h2>
            <ul class="list">
                {move || {
                    let v = projects();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(Reno::NoProjects)}</li> }.into_any();
                    }
                    let now = state::now_ms();
                    v.into_iter()
                        .map(|p| {
                            let open = p.fields.is_open(now);
                            view! {
                                <li>
                                    <a class="card link" data-testid="project-link" href=format!("/project/{}", p.id)>
                                        <span class="title">{p.fields.name.clone()}</span>
                                        <span class="sub">
                                            {kind_label(p.fields.kind, lang)} " · "
                                            {p.fields.survey_opens.to_string()} " – " {p.fields.survey_closes.to_string()}
                                        </span>
                                        " "
                                        <span class=if open { "badge" } else { "badge pending" }>
                                            {if open { Ballot::SurveyOpen.text(lang) } else { Ballot::SurveyNotOpenNow.text(lang) }}
                                        </span>
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                        .into_any()
                }}
            </ul>
            <form class="form sub-form" on:submit=on_submit>
                <h3>{tr(Reno::AddProject)}</h3>
                <Input label=tr(Reno::ProjectName) name="project-name" value=name />
                <label class="field">
                    <span class="label">{tr(Reno::Kind)}</span>
                    <select name="project-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="comprehensive">{common::label(Words::KindComprehensive, lang)}</option>
                        <option value="demolish_rebuild">{common::label(Words::KindDemolishRebuild, lang)}</option>
                    </select>
                </label>
                <Input label=tr(Reno::SurveyOpens) name="survey-opens" value=opens kind="date" />
                <Input label=tr(Reno::SurveyCloses) name="survey-closes" value=closes kind="date" />
                <Input label=tr(Reno::GraceDays) name="grace-days" value=grace inputmode="numeric" />
                <Check label=tr(Reno::ShowRunning) name="show-running" value=running />
                <FormError lang=lang error=error fields=&[] />
                <button type="submit" class="btn primary wide" data-testid="add-project">{tr(Reno::AddProject)}</button>
            </form>
        </section>
    }
}
