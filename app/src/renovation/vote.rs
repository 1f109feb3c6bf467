//! `/v` and `/v/:code`: a resident answers the renovation survey on their own phone (R4), one task per
//! screen, in big type: the household, the menu, "do you agree?", the items, review, confirm — then the
//! receipt, or "saved on the phone, sent when online", or the server's reason for refusing it.

use crate::data::state;
use crate::renovation::common::{bar, class_label, pct, yuan};
use crate::renovation::resident::{self, ResidentRecord};
use crate::renovation::strings::Reno;
use crate::shell::i18n::format_time;
use crate::shell::router;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::renovation::SurveyPhase;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Home,
    Menu,
    Agree,
    Items,
    Review,
}

/// The root of the resident's entry (the `vote` feature): the voting page in the current language. Any
/// other address belongs to the staff app, loaded in full.
#[component]
pub fn VoteEntry() -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let route = router::route();
    move || {
        let lang = ui.lang.get();
        match route.get() {
            router::Route::Vote(code) => view! { <VotePage lang=lang code=code /> }.into_any(),
            _ => {
                if let Some(w) = web_sys::window() {
                    let path = w.location().pathname().unwrap_or_else(|_| "/".into());
                    let _ = w.location().assign(&path);
                }
                ().into_any()
            }
        }
    }
}

#[component]
pub fn VotePage(lang: Lang, code: Option<String>) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let Some(code) = code else {
        return view! { <CodeForm lang=lang /> }.into_any();
    };
    let code = js_sys::decode_uri_component(&code)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or(code);
    let s = resident::sigs();
    wasm_bindgen_futures::spawn_local(resident::open(code));
    // Kept here, outside the part drawn again when the stored record changes (a refresh, a receipt).
    let step = RwSignal::new(Step::Home);
    let agree = RwSignal::new(None::<bool>);
    let items = RwSignal::new(Vec::<Uuid>::new());
    view! {
        <section class="page vote">
            <LangToggle lang=lang />
            {move || match (s.rec.get(), s.error.get()) {
                (Some(rec), _) => view! { <Ballot lang=lang rec=rec step=step agree=agree items=items /> }.into_any(),
                (None, Some(e)) => view! {
                    <p class="field-error big" role="alert" data-testid="code-error">{e}</p>
                    <a class="btn wide" href="/v">{tr(Reno::TypeCode)}</a>
                }
                    .into_any(),
                (None, None) => view! { <p class="loading">{Shell::Loading.text(lang)}</p> }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// `/v`: type the code printed on the slip.
#[component]
fn CodeForm(lang: Lang) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let code = RwSignal::new(String::new());
    let last = RwSignal::new(None::<String>);
    wasm_bindgen_futures::spawn_local(async move { last.set(resident::last_code().await) });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = resident::normalise(&code.get_untracked());
        if !c.is_empty() {
            router::navigate(&format!("/v/{c}"), false);
        }
    };
    view! {
        <section class="page vote">
            <LangToggle lang=lang />
            <h1>{tr(Reno::VoteTitle)}</h1>
            <form class="form" on:submit=on_submit>
                <label class="field">
                    <span class="label">{tr(Reno::CodeLabel)}</span>
                    <input name="code" type="text" autocomplete="off" autocapitalize="characters" class="code-input"
                        prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev)) />
                </label>
                <button type="submit" class="btn primary wide big" data-testid="code-submit">{tr(Reno::Continue)}</button>
            </form>
            {move || last.get().map(|c| view! {
                <a class="btn wide" data-testid="last-code" href=format!("/v/{c}")>{tr(Reno::ContinueSaved)}</a>
            })}
        </section>
    }
}

/// 中文 / English, for residents (no settings page for them).
#[component]
fn LangToggle(lang: Lang) -> impl IntoView {
    let other = if lang == Lang::Zh { Lang::En } else { Lang::Zh };
    view! {
        <p class="lang-toggle">
            <button type="button" class="btn" data-testid="vote-lang" lang=if other == Lang::Zh { "zh-CN" } else { "en" }
                on:click=move |_| wasm_bindgen_futures::spawn_local(state::set_lang(other))>
                {if other == Lang::Zh { "中文" } else { "English" }}
            </button>
        </p>
    }
}

#[component]
fn Ballot(
    lang: Lang,
    rec: ResidentRecord,
    step: RwSignal<Step>,
    agree: RwSignal<Option<bool>>,
    items: RwSignal<Vec<Uuid>>,
) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let l = &rec.login.view;
    let now = state::now_ms();
    let phase = l.project.survey_status(now).phase;
    let open = phase == SurveyPhase::Open;
    let h = &l.household;
    let place = format!("{} {} {}", h.building, h.unit, h.door);
    let menu = l.menu.clone();
    let go = move |to: Step| {
        move |_| {
            step.set(to);
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    };
    // A changed answer starts from the previous one (the receipt on this phone, else the server's record).
    let previous = StoredValue::new(
        rec.receipt
            .as_ref()
            .map(|r| (r.agree, r.items.clone()))
            .or_else(|| l.my_ballot.as_ref().map(|b| (b.agree, b.items.clone()))),
    );
    let start = move |_| {
        let (a, its) = previous
            .get_value()
            .map_or((None, Vec::new()), |(a, its)| (Some(a), its));
        agree.set(a);
        items.set(its);
        step.set(Step::Menu);
    };
    let confirm = move |_| {
        let Some(a) = agree.get_untracked() else {
            return;
        };
        let chosen = items.get_untracked();
        step.set(Step::Home);
        wasm_bindgen_futures::spawn_local(resident::cast(a, chosen));
    };
    let names: std::collections::HashMap<Uuid, String> =
        menu.iter().map(|m| (m.id, m.display_name(lang))).collect();

    let status = {
        let rec = rec.clone();
        let names = names.clone();
        let place = place.clone();
        move || {
            if rec.pending.is_some() {
                return view! {
                    <div class="card status-box warn" data-testid="ballot-waiting" role="status">
                        <p class="big">{tr(Reno::BallotWaiting)}</p>
                    </div>
                }
                .into_any();
            }
            if let Some(r) = &rec.refused {
                return view! {
                    <div class="card status-box bad" data-testid="ballot-refused" data-code=r.code.clone() role="alert">
                        <p class="big">{tr(Reno::BallotRefused)}</p>
                        <p>{r.message.clone()}</p>
                    </div>
                }
                .into_any();
            }
            let mine = rec
                .receipt
                .as_ref()
                .map(|r| (r.agree, r.items.clone(), r.received_at_ms, r.ballot_id))
                .or_else(|| {
                    rec.login
                        .view
                        .my_ballot
                        .as_ref()
                        .map(|b| (b.agree, b.items.clone(), b.cast_at_ms, b.id))
                });
            match mine {
                Some((a, its, received, ballot_id)) => {
                    let chosen: Vec<String> =
                        its.iter().filter_map(|i| names.get(i).cloned()).collect();
                    view! {
                        <div class="card status-box ok" data-testid="receipt" data-agree=a.to_string() role="status">
                            <p class="big">"✔ " {tr(Reno::Received)} " " {format_time(received, state::now_ms())}</p>
                            <p data-testid="receipt-reference">{tr(Reno::ReceiptReference)} " " <b>{linli_core::renovation::api::receipt_reference(ballot_id)}</b> " · " {place.clone()}</p>
                            <p>{tr(Reno::YourAnswer)} {crate::shell::i18n::colon(lang)} {if a { tr(Reno::Agree) } else { tr(Reno::Disagree) }}</p>
                            <p>{tr(Reno::YourItems)} {crate::shell::i18n::colon(lang)} {if chosen.is_empty() { tr(Reno::NoItemsChosen).to_string() } else { chosen.join("、") }}</p>
                        </div>
                    }
                    .into_any()
                }
                None => ().into_any(),
            }
        }
    };
    let has_answer = rec.receipt.is_some() || rec.login.view.my_ballot.is_some();
    let waiting = rec.pending.is_some();
    let results = {
        let res = rec.results.clone();
        let names = names.clone();
        move || {
            res.clone().map(|r| {
        let r = r.tally;
        let rows = r
            .items
            .iter()
            .map(|i| {
                let name = Uuid::parse_str(&i.id).ok().and_then(|id| names.get(&id).cloned()).unwrap_or_default();
                view! {
                    <li><p>{name} " · " {format!("{} ({})", crate::shell::i18n::households(i.households, lang), pct(i.ratio_of_responded))}</p>
                    {bar(i.ratio_of_responded, None, "item-bar", true)}</li>
                }
            })
            .collect_view();
        let c = r.coverage.clone();
        view! {
            <section class="card" data-testid="resident-results">
                <h2>{tr(Reno::Results)}</h2>
                {bar(c.ratio, Some(c.threshold.num as f64 / c.threshold.den.max(1) as f64), "coverage-bar", c.met)}
                <p class="big" data-testid="coverage-text">{c.sentence(lang)}</p>
                <p>{format!("{}：{} ({})", tr(Reno::AgreeHouseholds), r.agreement.households, pct(r.agreement.households_ratio))}</p>
                <p data-testid="art278" data-passed=r.art278.passed.to_string()>
                    {if lang == Lang::Zh { r.art278.explanation_zh.clone() } else { r.art278.explanation_en.clone() }}
                </p>
                <ul class="list">{rows}</ul>
            </section>
        }
    })
        }
    };
    let compound_name = l.compound.name.clone();
    let project_name = l.project.name.clone();
    let (opens, closes) = (
        l.project.survey_opens.to_string(),
        l.project.survey_closes.to_string(),
    );
    let home = move || {
        view! {
            <h1 data-testid="vote-compound">{compound_name.clone()}</h1>
            <p class="big" data-testid="vote-household">{place.clone()}</p>
            <p class="big">{project_name.clone()}</p>
            <p>{tr(Reno::Survey)} {crate::shell::i18n::colon(lang)} {opens.clone()} " – " {closes.clone()}
                " " <span class=if open { "badge" } else { "badge pending" } data-testid="vote-open" data-open=open.to_string()>
                    {match phase {
                        SurveyPhase::Open => tr(Reno::SurveyOpen),
                        SurveyPhase::NotYetOpen => tr(Reno::SurveyNotOpenNow),
                        SurveyPhase::Closed => tr(Reno::SurveyClosedNow),
                    }}</span>
            </p>
            {status.clone()}
            {(open && !waiting).then(|| if has_answer {
                view! { <button type="button" class="btn primary wide big" data-testid="change-ballot" on:click=start>{tr(Reno::ChangeBallot)}</button> }.into_any()
            } else {
                view! { <button type="button" class="btn primary wide big" data-testid="start-ballot" on:click=start>{tr(Reno::StartBallot)}</button> }.into_any()
            })}
            {results.clone()}
            <p class="sub">{tr(Reno::Privacy)}</p>
        }
    };
    let menu_screen = {
        let menu = menu.clone();
        move || {
            view! {
                <h1>{tr(Reno::MenuPlain)}</h1>
                <ul class="list">
                    {menu.clone().into_iter().map(|m| view! {
                        <li class="card" data-testid="vote-menu-item">
                            <p class="big"><b>{m.display_name(lang)}</b> " " <small class="badge">{class_label(m.class, lang)}</small></p>
                            {(!m.description.is_empty()).then(|| view! { <p>{m.description.clone()}</p> })}
                            <p>{tr(Reno::Cost)} {crate::shell::i18n::colon(lang)} {yuan(m.cost_yuan, lang)}</p>
                            <p><b>{match m.share_per_household_yuan {
                                Some(s) if s > 0.0 => format!("{}：{}", tr(Reno::YourShare), yuan(s, lang)),
                                _ => tr(Reno::NoShare).to_string(),
                            }}</b></p>
                        </li>
                    }).collect_view()}
                </ul>
                <button type="button" class="btn primary wide big" data-testid="next" on:click=go(Step::Agree)>{tr(Reno::Next)}</button>
                <button type="button" class="btn wide" on:click=go(Step::Home)>{tr(Reno::Back)}</button>
            }
        }
    };
    let agree_screen = move || {
        view! {
            <h1>{tr(Reno::AgreeQuestion)}</h1>
            <label class="check huge">
                <input type="radio" name="agree" value="yes" prop:checked=move || agree.get() == Some(true) on:change=move |_| agree.set(Some(true)) />
                <span>{tr(Reno::Agree)}</span>
            </label>
            <label class="check huge">
                <input type="radio" name="agree" value="no" prop:checked=move || agree.get() == Some(false) on:change=move |_| agree.set(Some(false)) />
                <span>{tr(Reno::Disagree)}</span>
            </label>
            // R4: a household that disagrees chooses no items, so it goes straight to the review.
            <button type="button" class="btn primary wide big" data-testid="next" disabled=move || agree.get().is_none()
                on:click=move |ev| {
                    if agree.get_untracked() == Some(false) {
                        items.set(Vec::new());
                        go(Step::Review)(ev);
                    } else {
                        go(Step::Items)(ev);
                    }
                }>{tr(Reno::Next)}</button>
            <button type="button" class="btn wide" on:click=go(Step::Menu)>{tr(Reno::Back)}</button>
        }
    };
    let items_screen = {
        let menu = menu.clone();
        move || {
            view! {
                <h1>{tr(Reno::ItemsQuestion)}</h1>
                {menu.clone().into_iter().map(|m| {
                    let mid = m.id;
                    view! {
                        <label class="check huge">
                            <input type="checkbox" name="item" value=mid.to_string()
                                prop:checked=move || items.get().contains(&mid)
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    items.update(|v| { v.retain(|x| *x != mid); if on { v.push(mid); } });
                                } />
                            <span>{m.display_name(lang)}</span>
                        </label>
                    }
                }).collect_view()}
                <button type="button" class="btn primary wide big" data-testid="review-ballot" on:click=go(Step::Review)>{tr(Reno::Review)}</button>
                <button type="button" class="btn wide" on:click=go(Step::Agree)>{tr(Reno::Back)}</button>
            }
        }
    };
    let names2 = names.clone();
    let review_screen = move || {
        view! {
            <h1>{tr(Reno::ReviewTitle)}</h1>
            <div class="card" data-testid="ballot-review">
                <p class="big">{tr(Reno::YourAnswer)} {crate::shell::i18n::colon(lang)} <b>{move || if agree.get() == Some(true) { tr(Reno::Agree) } else { tr(Reno::Disagree) }}</b></p>
                <p class="big">{tr(Reno::YourItems)} {crate::shell::i18n::colon(lang)}</p>
                <ul class="big">
                    {let names2 = names2.clone(); move || {
                        let v = items.get();
                        if v.is_empty() {
                            return view! { <li>{tr(Reno::NoItemsChosen)}</li> }.into_any();
                        }
                        v.iter().map(|i| view! { <li>{names2.get(i).cloned().unwrap_or_default()}</li> }).collect_view().into_any()
                    }}
                </ul>
            </div>
            <button type="button" class="btn primary wide big" data-testid="confirm-ballot" on:click=confirm>{tr(Reno::ConfirmSend)}</button>
            <button type="button" class="btn wide" on:click=move |ev| {
                if agree.get_untracked() == Some(false) { go(Step::Agree)(ev) } else { go(Step::Items)(ev) }
            }>{tr(Reno::ChangeAnswers)}</button>
        }
    };
    // One screen at a time (one task per screen).
    move || match step.get() {
        Step::Home => home().into_any(),
        Step::Menu => menu_screen().into_any(),
        Step::Agree => agree_screen().into_any(),
        Step::Items => items_screen().into_any(),
        Step::Review => review_screen().into_any(),
    }
}
