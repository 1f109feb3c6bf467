//! Renovation projects (RULES §2) for staff: the list and the new-project form on the compound page, and
//! `/project/:id` with the project's facts (R1, R3), notices (R6), design consultation (R7), return rate (R8)
//! and its menu (R2, R9).

use crate::components::field::FormError;
use crate::i18n::R;
use crate::reno::{self, Check, Input, class_label, kind_label, matter_label, yuan};
use crate::state::{self, SaveError};
use leptos::prelude::*;
use linli_core::date::Date;
use linli_core::project::{
    ItemClass, MenuItemFields, ProjectFields, RenovationKind, catalogue, notice_end,
};
use linli_core::renovation::Matter;
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, ErrorCode, Lang, RuleError};
use uuid::Uuid;

fn field_error(code: ErrorCode, field: &str) -> SaveError {
    SaveError::Rule(RuleError::field(code, field))
}

fn parse_date(s: &str, field: &str) -> Result<Option<Date>, SaveError> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Date::parse(s)
        .map(Some)
        .map_err(|_| field_error(ErrorCode::InvalidDate, field))
}

fn save(
    kind: EntityKind,
    id: Uuid,
    body: Body,
    error: RwSignal<Option<SaveError>>,
    done: impl FnOnce() + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        match state::save(EntityRef { kind, id }, body).await {
            Ok(_) => {
                error.set(None);
                done();
            }
            Err(e) => error.set(Some(e)),
        }
    });
}

/// The projects of a compound and the form to start one (on `/compound/:id`).
#[component]
pub fn ProjectsSection(lang: Lang, compound_id: Uuid, year_built: Option<u16>) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: R| k.in_lang(lang);
    let projects = move || {
        ui.rev.get();
        state::with(|l| l.view.projects(compound_id))
    };
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(String::from("comprehensive"));
    let today = reno::today();
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
            grace_days: crate::forms::parse_u32(&grace.get_untracked()).unwrap_or(0),
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
            <h2>{tr(R::Projects)}</h2>
            <ul class="list">
                {move || {
                    let v = projects();
                    if v.is_empty() {
                        return view! { <li class="empty">{tr(R::NoProjects)}</li> }.into_any();
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
                                            {if open { tr(R::SurveyOpen) } else { tr(R::SurveyNotOpenNow) }}
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
                <h3>{tr(R::AddProject)}</h3>
                <Input label=tr(R::ProjectName) name="project-name" value=name />
                <label class="field">
                    <span class="label">{tr(R::Kind)}</span>
                    <select name="project-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="comprehensive">{tr(R::KindComprehensive)}</option>
                        <option value="demolish_rebuild">{tr(R::KindDemolish)}</option>
                    </select>
                </label>
                <Input label=tr(R::SurveyOpens) name="survey-opens" value=opens kind="date" />
                <Input label=tr(R::SurveyCloses) name="survey-closes" value=closes kind="date" />
                <Input label=tr(R::GraceDays) name="grace-days" value=grace inputmode="numeric" />
                <Check label=tr(R::ShowRunning) name="show-running" value=running />
                <FormError lang=lang error=error fields=&[] />
                <button type="submit" class="btn primary wide" data-testid="add-project">{tr(R::AddProject)}</button>
            </form>
        </section>
    }
}

/// The links between a project's screens.
#[component]
pub fn ProjectNav(lang: Lang, id: Uuid) -> impl IntoView {
    let tr = move |k: R| k.in_lang(lang);
    view! {
        <nav class="project-nav no-print">
            <a class="btn" href=format!("/project/{id}")>{tr(R::ProjectHome)}</a>
            <a class="btn" data-testid="door-link" href=format!("/project/{id}/door")>{tr(R::DoorToDoor)}</a>
            <a class="btn" data-testid="codes-link" href=format!("/project/{id}/codes")>{tr(R::Codes)}</a>
            <a class="btn" data-testid="results-link" href=format!("/project/{id}/results")>{tr(R::Results)}</a>
            <a class="btn" data-testid="notice-link" href=format!("/project/{id}/notice")>{tr(R::PublicNotice)}</a>
        </nav>
    }
}

/// `/project/:id`.
#[component]
pub fn ProjectPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: R| k.in_lang(lang);
    // Only a project appearing or disappearing renders the page again (typing is not lost on a sync).
    let exists = Memo::new(move |_| {
        ui.rev.get();
        reno::project(id).map(|(_, c)| c.map(|c| (c.id, c.fields.name)))
    });
    view! {
        <section class="page project">
            {move || match exists.get() {
                None => view! {
                    <a class="btn back" href="/">{crate::i18n::T::Back.in_lang(lang)}</a>
                    <h1>{tr(R::ProjectNotFound)}</h1>
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
    let tr = move |k: R| k.in_lang(lang);
    move || {
        ui.rev.get();
        let (p, _) = reno::project(id)?;
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
                <dt>{tr(R::Kind)}</dt><dd data-testid="project-kind">{kind_label(p.kind, lang)}</dd>
                <dt>{tr(R::YearBuilt)}</dt><dd>{year}</dd>
                <dt>{tr(R::DangerousCD)}</dt><dd>{format!("C {} · D {}", p.dangerous_c, p.dangerous_d)}</dd>
                <dt>{tr(R::Priority)}</dt>
                <dd>
                    {if priority {
                        view! { <span class="badge priority" data-testid="priority-badge">{tr(R::PriorityYes)}</span> }.into_any()
                    } else {
                        view! { <span class="sub">{tr(R::PriorityNo)}</span> }.into_any()
                    }}
                </dd>
                <dt>{tr(R::Survey)}</dt>
                <dd>
                    {p.survey_opens.to_string()} " – " {p.survey_closes.to_string()} " "
                    <span class=if open { "badge" } else { "badge pending" } data-testid="survey-state" data-open=open.to_string()>
                        {if open { tr(R::SurveyOpen) } else { tr(R::SurveyNotOpenNow) }}
                    </span>
                    <br />
                    <span class="sub">{format!("{} {}", tr(R::GraceDays), p.grace_days)}</span>
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
        let (end, official) = notice_end(reno::calendar(), rules, posted)?;
        let days = rules.notice_min_working_days;
        Some(view! {
            <p class="notice-end">
                {format!("{} {days} {}", R::NoticeFor.in_lang(lang), R::WorkingDaysUntil.in_lang(lang))}
                " "
                <b data-testid=testid>{end.to_string()}</b>
            </p>
            {(!official).then(|| view! {
                <p class="warn" data-testid=testid.replace("-end", "-unofficial") role="alert">{R::CalendarUnofficial.in_lang(lang)}</p>
            })}
        })
    }
}

/// R3, R6, R7, R8: the facts staff record as the project goes on.
#[component]
fn ProjectForm(lang: Lang, id: Uuid) -> impl IntoView {
    let tr = move |k: R| k.in_lang(lang);
    let Some((p, _)) = reno::project(id) else {
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
    let rules = state::rules().renovation.clone();
    let rounds_min = rules.consultation_rounds_min;
    let return_min = rules.return_rate_min_pct;
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
        let Some((mut p, _)) = reno::project(id) else {
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
            crate::forms::parse_u32(&year.get_untracked()).map(|y| u16::try_from(y).unwrap_or(0));
        p.dangerous_c = crate::forms::parse_u32(&dc.get_untracked()).unwrap_or(0);
        p.dangerous_d = crate::forms::parse_u32(&dd.get_untracked()).unwrap_or(0);
        p.consultation_rounds = rounds.get_untracked();
        p.return_rate_pct = crate::forms::parse_f64(&ret.get_untracked());
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
            <h2>{tr(R::PriorityFacts)}</h2>
            <Input label=tr(R::YearBuilt) name="year-built" value=year inputmode="numeric" />
            <Input label=tr(R::DangerousC) name="dangerous-c" value=dc inputmode="numeric" />
            <Input label=tr(R::DangerousD) name="dangerous-d" value=dd inputmode="numeric" />
            <h2>{tr(R::Notices)}</h2>
            <Input label=tr(R::NoticePosted) name="notice-posted" value=notice kind="date" />
            {notice_end_view(lang, notice, "notice-end")}
            <Input label=tr(R::DesignNoticePosted) name="design-notice-posted" value=design kind="date" />
            {notice_end_view(lang, design, "design-notice-end")}
            <h2>{tr(R::Consultation)}</h2>
            <p data-testid="rounds-count" data-count=move || rounds.get().len().to_string()
                class=move || { if rounds.get().len() as u32 >= rounds_min { "ok" } else { "warn" } }>
                {move || format!("{} {} / {rounds_min}", tr(R::RoundsRecorded), rounds.get().len())}
            </p>
            <ul class="list">
                {move || rounds.get().into_iter().map(|d| view! { <li>{d.to_string()}</li> }).collect_view()}
            </ul>
            <Input label=tr(R::RoundDate) name="round-date" value=round kind="date" />
            <button type="button" class="btn wide" data-testid="add-round" on:click=add_round>{tr(R::AddRound)}</button>
            <Input label=tr(R::RepresentativeMeeting) name="representative-meeting" value=meeting kind="date" />
            {demolish.then(|| view! {
                <h2>{tr(R::ReturnRate)}</h2>
                <Input label=tr(R::ReturnRatePct) name="return-rate" value=ret inputmode="decimal" />
                {move || crate::forms::parse_f64(&ret.get()).map(|r| {
                    let ok = r >= return_min;
                    view! {
                        <p class=if ok { "ok" } else { "warn" } data-testid="return-rate-check" data-ok=ok.to_string()>
                            {format!("{} ≥ {return_min}%", tr(R::ReturnRateNeeds))}
                        </p>
                    }
                })}
            })}
            <FormError lang=lang error=error fields=&[] />
            <Show when=move || saved.get()>
                <p class="message" role="status">{crate::i18n::T::Saved.in_lang(lang)}</p>
            </Show>
            <button type="submit" class="btn primary wide" data-testid="save-project">{tr(R::SaveProject)}</button>
        </form>
    }
    .into_any()
}

/// R2, R9: the menu, from the catalogue of 20 items or local, with costs and shares.
#[component]
fn MenuEditor(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: R| k.in_lang(lang);
    let items = move || {
        ui.rev.get();
        reno::menu(id)
    };
    let editing = RwSignal::new(None::<Uuid>);
    let cat = RwSignal::new(None::<String>);
    let class = RwSignal::new(String::from("basic"));
    let name = RwSignal::new(String::new());
    let desc = RwSignal::new(String::new());
    let cost = RwSignal::new(String::new());
    let share = RwSignal::new(String::new());
    let owners = RwSignal::new(false);
    let matter = RwSignal::new(String::from("ordinary"));
    let error = RwSignal::new(None::<SaveError>);
    let clear = move || {
        editing.set(None);
        cat.set(None);
        name.set(String::new());
        desc.set(String::new());
        cost.set(String::new());
        share.set(String::new());
        owners.set(false);
        matter.set("ordinary".into());
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(cost_yuan) = crate::forms::parse_f64(&cost.get_untracked()) else {
            return error.set(Some(field_error(ErrorCode::Required, "cost_yuan")));
        };
        let position = editing
            .get_untracked()
            .and_then(|e| reno::menu(id).into_iter().find(|m| m.id == e))
            .map(|m| m.fields.position)
            .unwrap_or_else(|| reno::menu(id).len() as u32);
        let body = Body::MenuItemPut(MenuItemFields {
            project_id: id,
            catalogue: cat.get_untracked(),
            class: match class.get_untracked().as_str() {
                "improvement" => ItemClass::Improvement,
                "upgrade" => ItemClass::Upgrade,
                _ => ItemClass::Basic,
            },
            name: name.get_untracked().trim().to_string(),
            description: desc.get_untracked().trim().to_string(),
            cost_yuan,
            share_per_household_yuan: crate::forms::parse_f64(&share.get_untracked()),
            owners_decision: owners.get_untracked(),
            matter: if matter.get_untracked() == "special" {
                Matter::Special
            } else {
                Matter::Ordinary
            },
            position,
        });
        let item_id = editing.get_untracked().unwrap_or_else(Uuid::now_v7);
        save(EntityKind::MenuItem, item_id, body, error, clear);
    };
    let catalogue = catalogue();
    let groups = [ItemClass::Basic, ItemClass::Improvement, ItemClass::Upgrade].map(|c| {
        let list: Vec<_> = catalogue.iter().filter(|i| i.class == c).cloned().collect();
        view! {
            <h4>{class_label(c, lang)}</h4>
            <ul class="catalogue">
                {list
                    .into_iter()
                    .map(|i| {
                        let label = if lang == Lang::Zh { i.zh.clone() } else { i.en.clone() };
                        let pick = {
                            let label = label.clone();
                            let i = i.clone();
                            move |_| {
                                editing.set(None);
                                cat.set(Some(i.id.clone()));
                                class.set(reno::class_key(i.class).into());
                                name.set(label.clone());
                                owners.set(i.owners_decision);
                                matter.set("ordinary".into());
                                if let Some(el) = web_sys::window()
                                    .and_then(|w| w.document())
                                    .and_then(|d| d.query_selector("input[name=item-cost]").ok().flatten())
                                {
                                    let _ = wasm_bindgen::JsCast::unchecked_ref::<web_sys::HtmlElement>(&el).focus();
                                }
                            }
                        };
                        view! {
                            <li data-testid="catalogue-item" data-id=i.id.clone()>
                                <span>{format!("{}. {label}", i.no)}</span>
                                <button type="button" class="btn" data-testid="pick-catalogue" on:click=pick>{tr(R::Pick)}</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section class="card menu" data-testid="menu">
            <h2>{tr(R::Menu)}</h2>
            {move || {
                let v = items();
                if v.is_empty() {
                    return view! { <p class="empty">{tr(R::NoMenu)}</p> }.into_any();
                }
                view! {
                    <ul class="list">
                        {v.into_iter().map(|m| {
                            let f = m.fields.clone();
                            let edit = move |_| {
                                editing.set(Some(m.id));
                                cat.set(f.catalogue.clone());
                                class.set(reno::class_key(f.class).into());
                                name.set(f.name.clone());
                                desc.set(f.description.clone());
                                cost.set(f.cost_yuan.to_string());
                                share.set(f.share_per_household_yuan.map(|s| s.to_string()).unwrap_or_default());
                                owners.set(f.owners_decision);
                                matter.set(if f.matter == Matter::Special { "special" } else { "ordinary" }.into());
                            };
                            let f = &m.fields;
                            view! {
                                <li class="menu-item" data-testid="menu-item" data-name=f.name.clone() data-id=m.id.to_string()>
                                    <b>{f.name.clone()}</b> " "
                                    <span class="badge">{class_label(f.class, lang)}</span>
                                    {f.owners_decision.then(|| view! {
                                        " " <span class="badge pending">{tr(R::OwnersDecisionShort)} " · " {matter_label(f.matter, lang)}</span>
                                    })}
                                    <p class="sub">{f.description.clone()}</p>
                                    <p>
                                        {tr(R::Cost)} "：" {yuan(f.cost_yuan, lang)}
                                        {f.share_per_household_yuan.map(|s| view! { " · " {tr(R::Share)} "：" {yuan(s, lang)} })}
                                    </p>
                                    <button type="button" class="btn" data-testid="edit-item" on:click=edit>{tr(R::Edit)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }
                    .into_any()
            }}
            <form class="form sub-form" on:submit=on_submit data-testid="item-form">
                <h3>{move || if editing.get().is_some() { tr(R::EditItem) } else { tr(R::AddItem) }}</h3>
                <Input label=tr(R::ItemName) name="item-name" value=name />
                <label class="field">
                    <span class="label">{tr(R::ItemClass)}</span>
                    <select name="item-class" prop:value=move || class.get() on:change=move |ev| class.set(event_target_value(&ev))>
                        <option value="basic">{tr(R::ClassBasic)}</option>
                        <option value="improvement">{tr(R::ClassImprovement)}</option>
                        <option value="upgrade">{tr(R::ClassUpgrade)}</option>
                    </select>
                </label>
                <Input label=tr(R::Description) name="item-description" value=desc />
                <Input label=tr(R::CostYuan) name="item-cost" value=cost inputmode="decimal" />
                <Input label=tr(R::ShareYuan) name="item-share" value=share inputmode="decimal" />
                <Check label=tr(R::OwnersDecision) name="item-owners" value=owners />
                <label class="field">
                    <span class="label">{tr(R::Matter)}</span>
                    <select name="item-matter" prop:value=move || matter.get() on:change=move |ev| matter.set(event_target_value(&ev))>
                        <option value="ordinary">{tr(R::MatterOrdinary)}</option>
                        <option value="special">{tr(R::MatterSpecial)}</option>
                    </select>
                </label>
                <FormError lang=lang error=error fields=&[] />
                <button type="submit" class="btn primary wide" data-testid="add-item">
                    {move || if editing.get().is_some() { tr(R::SaveItem) } else { tr(R::AddItem) }}
                </button>
                <Show when=move || editing.get().is_some() || cat.get().is_some()>
                    <button type="button" class="btn wide" on:click=move |_| clear()>{tr(R::Cancel)}</button>
                </Show>
            </form>
            <details class="catalogue-box" open>
                <summary>{tr(R::Catalogue)}</summary>
                {groups}
            </details>
        </section>
    }
}
