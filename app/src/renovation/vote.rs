//! `/v` and `/v/:code`: a resident answers the renovation survey on their own phone (R4), one task per
//! screen, in big type: the household, the menu, "do you agree?", the items, review, confirm — then the
//! receipt, or "saved on the phone, sent when online", or the server's reason for refusing it.
//!
//! The resident's entry (feature `vote`, `pkg/linli_vote…`) is this page alone, without Leptos: the state is
//! `resident::Screen`, [`render`] draws it whole, and one listener per kind of event (click, change, input,
//! submit) on `#app` reads what was touched from its `data-act` or its input's name. Verdicts (the survey's
//! phase, coverage, art. 278) are the core's, as everywhere.

use crate::data::store::Db;
use crate::renovation::common::{class_label, pct, yuan};
use crate::renovation::dom::{El, closest, el, svg};
use crate::renovation::resident::{self, ResidentRecord, Screen, Step};
use crate::renovation::strings::Ballot;
use crate::shell::i18n::{colon, format_time, households};
use gloo_events::{EventListener, EventListenerOptions};
use linli_core::Lang;
use linli_core::renovation::SurveyPhase;
use linli_core::renovation::api::receipt_reference;
use uuid::Uuid;
use wasm_bindgen::{JsCast, JsValue};

/// Starts the resident's entry: the store, the language, the page, and its listeners.
pub async fn start(db: Db, lang: Lang) {
    resident::install(db, lang);
    crate::shell::i18n::set_html_lang(lang);
    let Some(root) = root() else { return };
    listen(&root);
    let Some(w) = web_sys::window() else { return };
    EventListener::new(&w, "popstate", |_| go(&current_path(), false)).forget();
    go(&current_path(), false);
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("app")
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_default()
}

/// The code in a `/v…` address: `Some(None)` for `/v`, `Some(Some(code))` for `/v/<code>`, `None` for an
/// address of the staff app.
pub fn code_of(path: &str) -> Option<Option<String>> {
    let path = path
        .split(['?', '#'])
        .next()
        .unwrap_or("")
        .trim_end_matches('/');
    if path == "/v" {
        return Some(None);
    }
    let code = path.strip_prefix("/v/")?;
    let code = js_sys::decode_uri_component(code)
        .ok()
        .and_then(|s| s.as_string())
        .unwrap_or_else(|| code.to_string());
    Some(Some(code))
}

/// Shows `path` (`push`: as a new history entry). Any address but `/v…` belongs to the staff app, loaded
/// in full.
fn go(path: &str, push: bool) {
    let Some(w) = web_sys::window() else { return };
    let Some(code) = code_of(path) else {
        let _ = w.location().assign(path);
        return;
    };
    if push {
        let _ = w
            .history()
            .and_then(|h| h.push_state_with_url(&JsValue::NULL, "", Some(path)));
    }
    resident::update(|s| {
        s.code = code.clone();
        s.error = None;
        s.step = Step::Home;
    });
    match code {
        Some(c) => wasm_bindgen_futures::spawn_local(resident::open(c)),
        None => wasm_bindgen_futures::spawn_local(async {
            let last = resident::last_code().await;
            resident::update(|s| s.last = last);
        }),
    }
}

fn scroll_top() {
    if let Some(w) = web_sys::window() {
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

fn to(step: Step) {
    resident::update(|s| s.step = step);
    scroll_top();
}

/// What a click on a `data-act` element does.
fn act(what: &str) {
    match what {
        "lang" => {
            let other = resident::with(|s| {
                if s.lang == Lang::Zh {
                    Lang::En
                } else {
                    Lang::Zh
                }
            });
            wasm_bindgen_futures::spawn_local(resident::set_lang(other));
        }
        // A changed answer starts from the previous one (the receipt on this phone, else the server's).
        "start" => {
            resident::update(|s| {
                let previous = s.rec.as_ref().and_then(|r| {
                    r.receipt
                        .as_ref()
                        .map(|r| (r.agree, r.items.clone()))
                        .or_else(|| {
                            r.login
                                .view
                                .my_ballot
                                .as_ref()
                                .map(|b| (b.agree, b.items.clone()))
                        })
                });
                (s.agree, s.items) = previous.map_or((None, Vec::new()), |(a, its)| (Some(a), its));
                s.step = Step::Menu;
            });
            scroll_top();
        }
        "home" => to(Step::Home),
        "menu" => to(Step::Menu),
        "agree" => to(Step::Agree),
        "items" => to(Step::Items),
        "review" => to(Step::Review),
        // R4: a household that disagrees chooses no items, so it goes straight to the review.
        "after-agree" => {
            if resident::with(|s| s.agree) == Some(false) {
                resident::update(|s| s.items.clear());
                to(Step::Review);
            } else {
                to(Step::Items);
            }
        }
        "change" => {
            let back = if resident::with(|s| s.agree) == Some(false) {
                Step::Agree
            } else {
                Step::Items
            };
            to(back);
        }
        "confirm" => {
            let Some((a, chosen)) = resident::with(|s| s.agree.map(|a| (a, s.items.clone())))
            else {
                return;
            };
            resident::update(|s| s.step = Step::Home);
            wasm_bindgen_futures::spawn_local(resident::cast(a, chosen));
        }
        _ => {}
    }
}

fn listen(root: &web_sys::Element) {
    // Not passive: a link to another `/v…` address is followed here, without loading the page again.
    let opts = EventListenerOptions::enable_prevent_default();
    EventListener::new_with_options(root, "click", opts, |ev| {
        if let Some(a) = closest(ev.target(), "a[href]") {
            let href = a.get_attribute("href").unwrap_or_default();
            if code_of(&href).is_some() {
                ev.prevent_default();
                go(&href, true);
            }
            return;
        }
        if let Some(b) = closest(ev.target(), "[data-act]")
            && !b.has_attribute("disabled")
        {
            act(&b.get_attribute("data-act").unwrap_or_default());
        }
    })
    .forget();
    // The answer being made is kept as it is ticked; the page is not drawn again for it.
    EventListener::new(root, "change", |ev| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        match input.name().as_str() {
            "agree" => {
                let yes = input.value() == "yes";
                resident::with_mut(|s| s.agree = Some(yes));
                if let Some(next) = closest(Some(input.into()), "section")
                    .and_then(|s| s.query_selector("[data-act=after-agree]").ok().flatten())
                {
                    let _ = next.remove_attribute("disabled");
                }
            }
            "item" => {
                let Ok(id) = Uuid::parse_str(&input.value()) else {
                    return;
                };
                let on = input.checked();
                resident::with_mut(|s| {
                    s.items.retain(|x| *x != id);
                    if on {
                        s.items.push(id);
                    }
                });
            }
            _ => {}
        }
    })
    .forget();
    EventListener::new(root, "input", |ev| {
        if let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .filter(|i| i.name() == "code")
        {
            resident::with_mut(|s| s.typed = input.value());
        }
    })
    .forget();
    EventListener::new_with_options(root, "submit", opts, |ev| {
        ev.prevent_default();
        let c = resident::normalise(&resident::with(|s| s.typed.clone()));
        if !c.is_empty() {
            go(&format!("/v/{c}"), true);
        }
    })
    .forget();
}

/// Draws the page from the screen's state.
pub fn render() {
    let Some(root) = root() else { return };
    // In `main`, as the staff app's pages: its margins keep the text off the screen's edges.
    let page = el("main").child(resident::with(page));
    root.set_inner_html("");
    let _ = root.append_child(&page.0);
}

fn page(s: &Screen) -> El {
    let lang = s.lang;
    let tr = |k: Ballot| k.text(lang);
    let section = el("section").class("page vote").child(lang_toggle(lang));
    let Some(_) = &s.code else {
        return code_form(s, section);
    };
    match (&s.rec, &s.error) {
        (Some(rec), _) => ballot(s, rec, section),
        (None, Some(e)) => section
            .child(
                el("p")
                    .class("field-error big")
                    .attr("role", "alert")
                    .tid("code-error")
                    .text(e),
            )
            .child(
                el("a")
                    .class("btn wide")
                    .attr("href", "/v")
                    .text(tr(Ballot::TypeCode)),
            ),
        (None, None) => section.child(el("p").class("loading").text(Ballot::Loading.text(lang))),
    }
}

/// 中文 / English, for residents (no settings page for them).
fn lang_toggle(lang: Lang) -> El {
    let other_zh = lang != Lang::Zh;
    el("p").class("lang-toggle").child(
        el("button")
            .attr("type", "button")
            .class("btn")
            .tid("vote-lang")
            .act("lang")
            .attr("lang", if other_zh { "zh-CN" } else { "en" })
            .text(if other_zh { "中文" } else { "English" }),
    )
}

/// `/v`: type the code printed on the slip.
fn code_form(s: &Screen, section: El) -> El {
    let tr = |k: Ballot| k.text(s.lang);
    section
        .child(el("h1").text(tr(Ballot::VoteTitle)))
        .child(
            el("form")
                .class("form")
                .child(
                    el("label")
                        .class("field")
                        .child(el("span").class("label").text(tr(Ballot::CodeLabel)))
                        .child(
                            el("input")
                                .attr("name", "code")
                                .attr("type", "text")
                                .attr("autocomplete", "off")
                                .attr("autocapitalize", "characters")
                                .class("code-input")
                                .attr("value", &s.typed),
                        ),
                )
                .child(
                    el("button")
                        .attr("type", "submit")
                        .class("btn primary wide big")
                        .tid("code-submit")
                        .text(tr(Ballot::Continue)),
                ),
        )
        .maybe(s.last.as_ref().map(|c| {
            el("a")
                .class("btn wide")
                .tid("last-code")
                .attr("href", &format!("/v/{c}"))
                .text(tr(Ballot::ContinueSaved))
        }))
}

/// A horizontal bar drawn in SVG: `ratio` filled, with an optional threshold line (e.g. 2/3).
fn bar(ratio: f64, mark: Option<f64>, testid: &str, ok: bool) -> El {
    let w = (ratio.clamp(0.0, 1.0) * 1000.0).round() as i64;
    let rect = |width: &str, fill: &str| {
        svg("rect")
            .attr("x", "0")
            .attr("y", "0")
            .attr("width", width)
            .attr("height", "40")
            .attr("fill", fill)
    };
    svg("svg")
        .class("bar")
        .tid(testid)
        .attr("data-ratio", &linli_core::i18n::fixed(ratio, 4))
        .attr("viewBox", "0 0 1000 40")
        .attr("preserveAspectRatio", "none")
        .attr("role", "img")
        .attr("aria-label", &pct(ratio))
        .child(rect("1000", "#e3e7e3"))
        .child(rect(&w.to_string(), if ok { "#0b5d3b" } else { "#8a4b00" }))
        .maybe(mark.map(|m| {
            let x = ((m.clamp(0.0, 1.0) * 1000.0).round() as i64).to_string();
            svg("line")
                .attr("x1", &x)
                .attr("x2", &x)
                .attr("y1", "0")
                .attr("y2", "40")
                .attr("stroke", "#111")
                .attr("stroke-width", "6")
                .attr("stroke-dasharray", "8 6")
        }))
}

fn p_big(text: &str) -> El {
    el("p").class("big").text(text)
}

fn btn(class: &str, act: &str, text: &str) -> El {
    el("button")
        .attr("type", "button")
        .class(class)
        .act(act)
        .text(text)
}

/// The menu items' names in the page's language, by id (a menu is a few dozen items at most: a list,
/// which keeps a hash table's code out of the resident's download).
struct Names(Vec<(Uuid, String)>);

impl Names {
    fn get(&self, id: &Uuid) -> Option<&String> {
        self.0.iter().find(|(i, _)| i == id).map(|(_, n)| n)
    }
}

fn ballot(s: &Screen, rec: &ResidentRecord, section: El) -> El {
    let lang = s.lang;
    let tr = |k: Ballot| k.text(lang);
    let names = Names(
        rec.login
            .view
            .menu
            .iter()
            .map(|m| (m.id, m.display_name(lang)))
            .collect(),
    );
    let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
    match s.step {
        Step::Home => home(s, rec, &names, section),
        Step::Menu => section
            .child(el("h1").text(tr(Ballot::MenuPlain)))
            .child(
                el("ul")
                    .class("list")
                    .children(rec.login.view.menu.iter().map(|m| {
                        let share = match m.share_per_household_yuan {
                            Some(v) if v > 0.0 => {
                                format!("{}：{}", tr(Ballot::YourShare), yuan(v, lang))
                            }
                            _ => tr(Ballot::NoShare).to_string(),
                        };
                        el("li")
                            .class("card")
                            .tid("vote-menu-item")
                            .child(
                                el("p")
                                    .class("big")
                                    .child(el("b").text(&m.display_name(lang)))
                                    .text(" ")
                                    .child(
                                        el("small")
                                            .class("badge")
                                            .text(&class_label(m.class, lang)),
                                    ),
                            )
                            .maybe(
                                (!m.description.is_empty()).then(|| el("p").text(&m.description)),
                            )
                            .child(el("p").text(&format!(
                                "{}{}{}",
                                tr(Ballot::Cost),
                                colon(lang),
                                yuan(m.cost_yuan, lang)
                            )))
                            .child(el("p").child(el("b").text(&share)))
                    })),
            )
            .child(btn("btn primary wide big", "agree", tr(Ballot::Next)).tid("next"))
            .child(btn("btn wide", "home", tr(Ballot::Back))),
        Step::Agree => {
            let radio = |value: &str, on: bool, label: Ballot| {
                el("label")
                    .class("check huge")
                    .child(
                        el("input")
                            .attr("type", "radio")
                            .attr("name", "agree")
                            .attr("value", value)
                            .flag("checked", on),
                    )
                    .child(el("span").text(tr(label)))
            };
            section
                .child(el("h1").text(tr(Ballot::AgreeQuestion)))
                .child(radio("yes", s.agree == Some(true), Ballot::Agree))
                .child(radio("no", s.agree == Some(false), Ballot::Disagree))
                .child(
                    btn("btn primary wide big", "after-agree", tr(Ballot::Next))
                        .tid("next")
                        .flag("disabled", s.agree.is_none()),
                )
                .child(btn("btn wide", "menu", tr(Ballot::Back)))
        }
        Step::Items => section
            .child(el("h1").text(tr(Ballot::ItemsQuestion)))
            .children(rec.login.view.menu.iter().map(|m| {
                el("label")
                    .class("check huge")
                    .child(
                        el("input")
                            .attr("type", "checkbox")
                            .attr("name", "item")
                            .attr("value", &m.id.to_string())
                            .flag("checked", s.items.contains(&m.id)),
                    )
                    .child(el("span").text(&m.display_name(lang)))
            }))
            .child(btn("btn primary wide big", "review", tr(Ballot::Review)).tid("review-ballot"))
            .child(btn("btn wide", "agree", tr(Ballot::Back))),
        Step::Review => {
            let chosen = if s.items.is_empty() {
                vec![el("li").text(tr(Ballot::NoItemsChosen))]
            } else {
                s.items.iter().map(|i| el("li").text(&name(i))).collect()
            };
            let answer = if s.agree == Some(true) {
                Ballot::Agree
            } else {
                Ballot::Disagree
            };
            section
                .child(el("h1").text(tr(Ballot::ReviewTitle)))
                .child(
                    el("div")
                        .class("card")
                        .tid("ballot-review")
                        .child(
                            p_big(tr(Ballot::YourAnswer))
                                .text(colon(lang))
                                .child(el("b").text(tr(answer))),
                        )
                        .child(p_big(tr(Ballot::YourItems)).text(colon(lang)))
                        .child(el("ul").class("big").children(chosen)),
                )
                .child(
                    btn("btn primary wide big", "confirm", tr(Ballot::ConfirmSend))
                        .tid("confirm-ballot"),
                )
                .child(btn("btn wide", "change", tr(Ballot::ChangeAnswers)))
        }
    }
}

/// The first screen: the household, the project, whether the survey is open, the answer's state, the
/// results when they may be shown.
fn home(s: &Screen, rec: &ResidentRecord, names: &Names, section: El) -> El {
    let lang = s.lang;
    let tr = |k: Ballot| k.text(lang);
    let l = &rec.login.view;
    let now = resident::now_ms();
    let phase = l.project.survey_status(now).phase;
    let open = phase == SurveyPhase::Open;
    let h = &l.household;
    let place = format!("{} {} {}", h.building, h.unit, h.door);
    let status = if rec.pending.is_some() {
        Some(
            el("div")
                .class("card status-box warn")
                .tid("ballot-waiting")
                .attr("role", "status")
                .child(p_big(tr(Ballot::BallotWaiting))),
        )
    } else if let Some(r) = &rec.refused {
        Some(
            el("div")
                .class("card status-box bad")
                .tid("ballot-refused")
                .attr("data-code", &r.code)
                .attr("role", "alert")
                .child(p_big(tr(Ballot::BallotRefused)))
                .child(el("p").text(&r.message)),
        )
    } else {
        let mine = rec
            .receipt
            .as_ref()
            .map(|r| (r.agree, r.items.clone(), r.received_at_ms, r.ballot_id))
            .or_else(|| {
                l.my_ballot
                    .as_ref()
                    .map(|b| (b.agree, b.items.clone(), b.cast_at_ms, b.id))
            });
        mine.map(|(a, its, received, ballot_id)| {
            let chosen: Vec<String> = its.iter().filter_map(|i| names.get(i).cloned()).collect();
            let chosen = if chosen.is_empty() {
                tr(Ballot::NoItemsChosen).to_string()
            } else {
                chosen.join("、")
            };
            el("div")
                .class("card status-box ok")
                .tid("receipt")
                .attr("data-agree", if a { "true" } else { "false" })
                .attr("role", "status")
                .child(p_big(&format!(
                    "✔ {} {}",
                    tr(Ballot::Received),
                    format_time(received, now)
                )))
                .child(
                    el("p")
                        .tid("receipt-reference")
                        .text(tr(Ballot::ReceiptReference))
                        .text(" ")
                        .child(el("b").text(&receipt_reference(ballot_id)))
                        .text(&format!(" · {place}")),
                )
                .child(el("p").text(&format!(
                    "{}{}{}",
                    tr(Ballot::YourAnswer),
                    colon(lang),
                    if a {
                        tr(Ballot::Agree)
                    } else {
                        tr(Ballot::Disagree)
                    }
                )))
                .child(el("p").text(&format!("{}{}{chosen}", tr(Ballot::YourItems), colon(lang))))
        })
    };
    let has_answer = rec.receipt.is_some() || l.my_ballot.is_some();
    let button = (open && rec.pending.is_none()).then(|| {
        let (id, text) = if has_answer {
            ("change-ballot", Ballot::ChangeBallot)
        } else {
            ("start-ballot", Ballot::StartBallot)
        };
        btn("btn primary wide big", "start", tr(text)).tid(id)
    });
    let phase_text = match phase {
        SurveyPhase::Open => Ballot::SurveyOpen,
        SurveyPhase::NotYetOpen => Ballot::SurveyNotOpenNow,
        SurveyPhase::Closed => Ballot::SurveyClosedNow,
    };
    section
        .child(el("h1").tid("vote-compound").text(&l.compound.name))
        .child(p_big(&place).tid("vote-household"))
        .child(p_big(&l.project.name))
        .child(
            el("p")
                .text(&format!(
                    "{}{}{} – {} ",
                    tr(Ballot::Survey),
                    colon(lang),
                    l.project.survey_opens,
                    l.project.survey_closes
                ))
                .child(
                    el("span")
                        .class(if open { "badge" } else { "badge pending" })
                        .tid("vote-open")
                        .attr("data-open", if open { "true" } else { "false" })
                        .text(tr(phase_text)),
                ),
        )
        .maybe(status)
        .maybe(button)
        .maybe(rec.results.as_ref().map(|r| results(r, names, lang)))
        .child(el("p").class("sub").text(tr(Ballot::Privacy)))
}

/// The aggregate results, when the project shows them to residents.
fn results(r: &linli_core::renovation::Tally, names: &Names, lang: Lang) -> El {
    let tr = |k: Ballot| k.text(lang);
    let c = &r.coverage;
    let rows = r.items.iter().map(|i| {
        let name = Uuid::parse_str(&i.id)
            .ok()
            .and_then(|id| names.get(&id).cloned())
            .unwrap_or_default();
        el("li")
            .child(el("p").text(&format!(
                "{name} · {} ({})",
                households(i.households, lang),
                pct(i.ratio_of_responded)
            )))
            .child(bar(i.ratio_of_responded, None, "item-bar", true))
    });
    el("section")
        .class("card")
        .tid("resident-results")
        .child(el("h2").text(tr(Ballot::Results)))
        .child(bar(
            c.ratio,
            Some(c.threshold.num as f64 / c.threshold.den.max(1) as f64),
            "coverage-bar",
            c.met,
        ))
        .child(p_big(&c.sentence(lang)).tid("coverage-text"))
        .child(el("p").text(&format!(
            "{}：{} ({})",
            tr(Ballot::AgreeHouseholds),
            r.agreement.households,
            pct(r.agreement.households_ratio)
        )))
        .child(
            el("p")
                .tid("art278")
                .attr(
                    "data-passed",
                    if r.art278.passed { "true" } else { "false" },
                )
                .text(if lang == Lang::Zh {
                    &r.art278.explanation_zh
                } else {
                    &r.art278.explanation_en
                }),
        )
        .child(el("ul").class("list").children(rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_the_resident_entry() {
        assert_eq!(code_of("/v"), Some(None));
        assert_eq!(code_of("/v/"), Some(None));
        assert_eq!(code_of("/login"), None);
        assert_eq!(code_of("/volunteers"), None);
    }
}
