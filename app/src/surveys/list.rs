//! `/surveys`: the community's forms (latest version of each) with their visits and responses, forms from
//! the starter templates (S1, S5, S3) or built or imported from XLSForm, this phone's unfinished answers,
//! what is due (S1: key-group needs surveys older than six months; S2: 65+ with a helper device short of
//! this year's visits), and visit coverage per compound drawn as bars (S4). All from the local view.

use crate::data::state::{self, SaveError};
use crate::renovation::common::download_from_server;
use crate::shell::field::FormError;
use crate::surveys::draft::{self, Draft};
use crate::surveys::strings::Surveys;
use crate::surveys::{form_title, today};
use leptos::prelude::*;
use linli_core::i18n::fill;
use linli_core::surveys::{Coverage, CoverageCounts, FormVersion, FormVersionFields, starter_form};
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The starter forms shipped as data: (name, zh, en).
const TEMPLATES: [&str; 3] = ["needs-survey", "satisfaction", "disability-screening"];

/// The latest version of each form of the community, by title.
pub fn latest_forms(lang: Lang) -> Vec<FormVersion> {
    let c = state::community();
    let mut by_form: BTreeMap<Uuid, FormVersion> = BTreeMap::new();
    for v in state::with(|l| l.view.form_versions(&c)) {
        if by_form
            .get(&v.fields.form_id)
            .is_none_or(|o| o.fields.version < v.fields.version)
        {
            by_form.insert(v.fields.form_id, v);
        }
    }
    let mut v: Vec<_> = by_form.into_values().collect();
    v.sort_by_key(|f| form_title(&f.fields.form(), lang));
    v
}

/// Publishes `fields` as a new form version record.
pub async fn publish(fields: FormVersionFields) -> Result<(), SaveError> {
    let entity = EntityRef {
        kind: EntityKind::FormVersion,
        id: Uuid::now_v7(),
    };
    state::save(entity, Body::FormVersionAdd(fields))
        .await
        .map(|_| ())
}

/// A percentage for people: 「66.7%」.
pub fn pct(r: f64) -> String {
    format!("{:.1}%", r * 100.0)
}

/// One coverage bar: answered, other visits and outstanding as parts of the whole.
fn bar(name: String, c: CoverageCounts, lang: Lang) -> impl IntoView {
    let t = c.total.max(1) as f64;
    let answered = c.answered as f64 / t * 100.0;
    let visited_only = (c.visited - c.answered) as f64 / t * 100.0;
    let line = fill(
        Surveys::CoverageLine.text(lang),
        &[
            &c.answered.to_string(),
            &c.visited.to_string(),
            &c.outstanding.to_string(),
            &c.total.to_string(),
            &pct(c.coverage),
        ],
    );
    let key = name.clone();
    view! {
        <div class="coverage-row" data-testid="coverage-row" data-building=key
            data-answered=c.answered.to_string() data-visited=c.visited.to_string() data-outstanding=c.outstanding.to_string()>
            <p><b>{name}</b></p>
            <div class="bar" role="img" aria-label=line.clone()>
                <span class="bar-answered" style=format!("width:{answered:.1}%")></span>
                <span class="bar-visited" style=format!("width:{visited_only:.1}%")></span>
            </div>
            <p class="sub">{line}</p>
        </div>
    }
}

/// A satisfaction topic (S5, S3) in words; the rule set's key when it is not one of these.
fn topic_words(topic: &str, lang: Lang) -> String {
    let k = match topic {
        "environment" => Surveys::TopicEnvironment,
        "committee" => Surveys::TopicCommittee,
        "participation" => Surveys::TopicParticipation,
        "police" => Surveys::TopicPolice,
        "safety" => Surveys::TopicSafety,
        "subdistrict" => Surveys::TopicSubdistrict,
        "party_work" => Surveys::TopicPartyWork,
        "public_affairs" => Surveys::TopicPublicAffairs,
        "management" => Surveys::TopicManagement,
        other => return other.to_string(),
    };
    k.text(lang).to_string()
}

#[component]
pub fn SurveysPage(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Surveys| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let export_error = RwSignal::new(None::<String>);
    let drafts = RwSignal::new(Vec::<Draft>::new());
    let load_drafts =
        move || wasm_bindgen_futures::spawn_local(async move { drafts.set(draft::mine().await) });
    load_drafts();
    let forms = move || {
        ui.rev.get();
        latest_forms(lang)
    };
    let use_template = move |name: &'static str| {
        let Some(form) = starter_form(name) else {
            return;
        };
        let fields = FormVersionFields::from_form(Uuid::now_v7(), &form);
        wasm_bindgen_futures::spawn_local(async move {
            match publish(fields).await {
                Ok(()) => error.set(None),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let templates = TEMPLATES
        .iter()
        .filter_map(|n| Some((*n, starter_form(n)?)))
        .map(|(n, f)| {
            let label = fill(tr(Surveys::UseTemplate), &[&form_title(&f, lang)]);
            view! { <button type="button" class="btn wide" data-testid="use-template" data-template=n on:click=move |_| use_template(n)>{label}</button> }
        })
        .collect_view();
    let due = move || {
        ui.rev.get();
        let c = state::community();
        let rules = &state::rules().surveys;
        let as_of = today();
        state::with(|l| {
            let name = |p: Uuid| {
                l.view
                    .person(&c, p)
                    .map(|p| {
                        let place = l
                            .view
                            .door(&c, p.fields.household_id)
                            .map(|d| d.place())
                            .unwrap_or_default();
                        format!("{} · {place}", p.fields.name)
                    })
                    .unwrap_or_default()
            };
            let needs: Vec<(String, String)> = l
                .view
                .needs_survey_due(&c, as_of, rules)
                .into_iter()
                .map(|d| {
                    let when = d.last_survey.map_or_else(
                        || tr(Surveys::NeverSurveyed).to_string(),
                        |s| fill(tr(Surveys::LastSurvey), &[&s.to_string()]),
                    );
                    (name(d.person_id), when)
                })
                .collect();
            let visits: Vec<(String, String)> = l
                .view
                .helper_visits_due(&c, as_of, rules)
                .into_iter()
                .map(|d| {
                    (
                        name(d.person_id),
                        fill(
                            tr(Surveys::VisitsShort),
                            &[&d.visits.to_string(), &d.short.to_string()],
                        ),
                    )
                })
                .collect();
            (needs, visits)
        })
    };
    let coverage = move || {
        ui.rev.get();
        state::with(|l| {
            l.view
                .compounds()
                .into_iter()
                .map(|c| (c.fields.name.clone(), l.view.survey_coverage(c.id, None)))
                .collect::<Vec<(String, Coverage)>>()
        })
    };
    let due_list = move |rows: Vec<(String, String)>, testid: &'static str| {
        if rows.is_empty() {
            return view! { <p class="empty">{tr(Surveys::NothingDue)}</p> }.into_any();
        }
        view! {
            <ul class="list" data-testid=testid>
                {rows.into_iter().map(|(who, what)| view! { <li data-testid="due-row"><b>{who}</b> " " <span class="sub">{what}</span></li> }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <section class="page surveys">
            <h1>{tr(Surveys::Title)}</h1>
            <FormError lang=lang error=error fields=&[] />
            <DraftsCard lang=lang form=None />
            <div class="card">
                <h2>{tr(Surveys::Forms)}</h2>
                {move || {
                    let v = forms();
                    if v.is_empty() {
                        return view! { <p class="empty">{tr(Surveys::NoForms)}</p> }.into_any();
                    }
                    view! {
                        <ul class="list">
                            {v.into_iter().map(|f| {
                                let form = f.fields.form();
                                let id = f.fields.form_id;
                                view! {
                                    <li class="form-row" data-testid="form-row" data-title=form.title_zh.clone() data-version=f.fields.version.to_string()>
                                        <p><b class="big">{form_title(&form, lang)}</b> " "
                                            <span class="sub">{fill(tr(Surveys::Version), &[&f.fields.version.to_string()])}</span></p>
                                        <div class="row-actions">
                                            <a class="btn primary" data-testid="visits-link" href=format!("/survey/{id}/visits")>{tr(Surveys::Visits)}</a>
                                            <a class="btn" data-testid="responses-link" href=format!("/survey/{id}/responses")>{tr(Surveys::Responses)}</a>
                                            <a class="btn" data-testid="edit-form-link" href=format!("/survey/{id}/edit")>{tr(Surveys::EditForm)}</a>
                                        </div>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <a class="btn primary wide" data-testid="new-form" href=format!("/survey/{}/edit", Uuid::now_v7())>{tr(Surveys::NewForm)}</a>
                <crate::surveys::builder::ImportForm lang=lang error=error />
                <h3>{tr(Surveys::Templates)}</h3>
                {templates}
            </div>
            <div class="card" data-testid="due">
                <h2>{tr(Surveys::DueTitle)}</h2>
                {move || {
                    let (needs, visits) = due();
                    view! {
                        <h3>{tr(Surveys::NeedsDue)} " (" {needs.len()} ")"</h3>
                        {due_list(needs, "needs-due")}
                        <h3>{tr(Surveys::VisitsDue)} " (" {visits.len()} ")"</h3>
                        {due_list(visits, "visits-due")}
                    }
                }}
                <button type="button" class="btn wide" data-testid="export-due" on:click=move |_| {
                    wasm_bindgen_futures::spawn_local(async move {
                        let r = download_from_server(&format!("/api/surveys/due.csv?as_of={}", today()), "due.csv", lang).await;
                        export_error.set(r.err());
                    });
                }>{tr(Surveys::ExportDue)}</button>
                {move || export_error.get().map(|e| view! { <p class="field-error" role="alert">{e}</p> })}
            </div>
            <div class="card" data-testid="satisfaction">
                <h2>{tr(Surveys::Satisfaction)}</h2>
                {move || {
                    ui.rev.get();
                    let c = state::community();
                    let to = today();
                    let from = linli_core::date::Date::parse(&format!("{}-01-01", &to.to_string()[..4])).unwrap_or(to);
                    let rates = state::with(|l| l.view.satisfaction(&c, from, to, &state::rules().surveys));
                    if rates.is_empty() {
                        return view! { <p class="empty">{tr(Surveys::NoSatisfaction)}</p> }.into_any();
                    }
                    view! {
                        <ul class="list">
                            {rates.into_iter().map(|r| {
                                let verdict = if r.met { tr(Surveys::Met) } else { tr(Surveys::NotMet) };
                                let line = fill(tr(Surveys::SatisfactionLine), &[&topic_words(&r.topic, lang), &pct(r.rate), &r.answered.to_string(), &pct(r.threshold)]);
                                view! {
                                    <li data-testid="satisfaction-row" data-topic=r.topic.clone() data-met=r.met.to_string()>
                                        {line} " " <span class=if r.met { "badge ok" } else { "badge bad" }>{verdict}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }}
            </div>
            <div class="card" data-testid="coverage">
                <h2>{tr(Surveys::Coverage)}</h2>
                {move || coverage().into_iter().map(|(name, c)| view! {
                    <h3>{name}</h3>
                    {bar(tr(Surveys::Total).to_string(), c.total, lang)}
                    {c.buildings.into_iter().map(|b| bar(b.building, b.counts, lang)).collect_view()}
                }).collect_view()}
            </div>
        </section>
    }
}

/// The staff home page's line of what is due (S1, S2), linking to the lists; nothing when nothing is due.
#[component]
pub fn DueCard(lang: Lang) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let counts = move || {
        ui.rev.get();
        let c = state::community();
        let rules = &state::rules().surveys;
        let as_of = today();
        state::with(|l| {
            (
                l.view.needs_survey_due(&c, as_of, rules).len(),
                l.view.helper_visits_due(&c, as_of, rules).len(),
            )
        })
    };
    move || {
        let (needs, visits) = counts();
        (needs + visits > 0).then(|| view! {
            <a class="card link" href="/surveys" data-testid="due-card">
                <span class="title">{Surveys::DueTitle.text(lang)}</span>
                <span class="sub" data-testid="due-needs">{Surveys::NeedsDue.text(lang)} {crate::shell::i18n::colon(lang)} {needs}</span>
                <span class="sub" data-testid="due-visits">{Surveys::VisitsDue.text(lang)} {crate::shell::i18n::colon(lang)} {visits}</span>
            </a>
        })
    }
}

/// This phone's unfinished answers (of one form, or all), each to continue or discard.
#[component]
pub fn DraftsCard(lang: Lang, form: Option<Uuid>) -> impl IntoView {
    let tr = move |k: Surveys| k.text(lang);
    let drafts = RwSignal::new(Vec::<Draft>::new());
    let load_drafts = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let mut v = draft::mine().await;
            v.retain(|d| form.is_none_or(|f| d.form_id == f));
            drafts.set(v);
        })
    };
    load_drafts();
    view! {
        <Show when=move || !drafts.get().is_empty()>
                <div class="card" data-testid="drafts">
                    <h2>{tr(Surveys::Drafts)}</h2>
                    <ul class="list">
                        {move || drafts.get().into_iter().map(|d| {
                            let place = state::with(|l| l.view.door(&d.community, d.household_id))
                                .map(|x| x.place()).unwrap_or_default();
                            let id = d.id;
                            let discard = move |_| {
                                let ok = web_sys::window().and_then(|w| w.confirm_with_message(tr(Surveys::DiscardConfirm)).ok()).unwrap_or(false);
                                if ok {
                                    wasm_bindgen_futures::spawn_local(async move { let _ = draft::discard(id).await; load_drafts(); });
                                }
                            };
                            view! {
                                <li class="row-actions">
                                    <a class="btn primary" data-testid="continue-draft" href=format!("/draft/{id}")>{tr(Surveys::Continue)} " · " {place}</a>
                                    <button type="button" class="btn danger" data-testid="discard-draft" on:click=discard>{tr(Surveys::Discard)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                </div>
            </Show>
    }
}
