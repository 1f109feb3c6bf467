//! `/project/:id/door`: door-to-door collection (R4). Staff pick a household by building and unit, copy its
//! paper form (agree or not, the items wanted), review it and save a `ballot.cast` with `channel: staff`
//! through the normal save path — offline too; it is sent with the next sync.

use crate::data::model::RowStatus;
use crate::data::state::{self, SaveError};
use crate::renovation::common::{self, class_label};
use crate::renovation::nav::ProjectNav;
use crate::renovation::results;
use crate::renovation::strings::{Ballot, Reno};
use crate::shell::field::FormError;
use crate::shell::strings::Shell;
use leptos::prelude::*;
use linli_core::renovation::{BallotChannel, BallotFields};
use linli_core::roster::Household;
use linli_core::sync::{Body, EntityRef};
use linli_core::{EntityKind, Lang};
use std::collections::HashMap;
use uuid::Uuid;

/// The latest ballot of each household of a project: (agree, channel, ballot id).
fn latest_ballots(project: Uuid) -> HashMap<Uuid, (bool, BallotChannel, Uuid)> {
    state::with(|l| {
        let mut m = HashMap::new();
        // Sorted by cast time: the last one written wins.
        for b in l.view.ballots(project) {
            m.insert(
                b.fields.household_id,
                (b.fields.agree, b.fields.channel, b.id),
            );
        }
        m
    })
}

/// A household with the names of its building and unit.
type Row = (String, String, Household);

/// Buildings → units → households of a compound, in natural order (the core's `doors` view).
fn roster(compound: Uuid) -> Vec<Row> {
    state::with(|l| {
        l.view
            .doors(compound)
            .into_iter()
            .map(|d| (d.building, d.unit, d.household))
            .collect()
    })
}

/// Scrolls the door row of `household` into the middle of the screen, once the list is drawn.
fn scroll_to_door(household: Uuid) {
    let Some(w) = web_sys::window() else { return };
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| {
            d.query_selector(&format!("[data-household=\"{household}\"]"))
                .ok()
                .flatten()
        }) {
            let opts = web_sys::ScrollIntoViewOptions::new();
            opts.set_block(web_sys::ScrollLogicalPosition::Center);
            el.scroll_into_view_with_scroll_into_view_options(&opts);
        }
    });
    let _ = w.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&cb));
}

#[component]
pub fn DoorPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Reno| k.text(lang);
    let selected = RwSignal::new(None::<Row>);
    // The household whose form was saved (or left) last: the list comes back with it in view, and the
    // next unvisited door after it one tap away.
    let last = RwSignal::new(None::<Uuid>);
    let filter = RwSignal::new(String::new());
    let open_form = move |row: Row| {
        last.set(Some(row.2.id));
        selected.set(Some(row));
        if let Some(w) = web_sys::window() {
            w.scroll_to_with_x_and_y(0.0, 0.0);
        }
    };
    let list = move || {
        ui.rev.get();
        let Some((p, _)) = common::project(id) else {
            return view! { <h1>{tr(Reno::ProjectNotFound)}</h1> }.into_any();
        };
        let ballots = latest_ballots(id);
        let statuses = state::with(|l| l.row_statuses());
        let rows = roster(p.compound_id);
        let total = rows.len();
        let done = rows
            .iter()
            .filter(|(_, _, h)| ballots.contains_key(&h.id))
            .count();
        // The next household without an answer: after the last one handled, else from the top.
        let after = last
            .get_untracked()
            .and_then(|l| rows.iter().position(|r| r.2.id == l))
            .map_or(0, |i| i + 1);
        let next = rows[after.min(rows.len())..]
            .iter()
            .chain(rows[..after.min(rows.len())].iter())
            .find(|r| !ballots.contains_key(&r.2.id))
            .cloned();
        let wanted = filter.get();
        let wanted = linli_core::roster::HouseholdFields::door_key(&wanted);
        let mut groups: Vec<(String, Vec<Row>)> = Vec::new();
        for r in rows {
            if !wanted.is_empty()
                && !linli_core::roster::HouseholdFields::door_key(&r.2.fields.door)
                    .contains(&wanted)
            {
                continue;
            }
            let key = format!("{} {}", r.0, r.1);
            match groups.last_mut() {
                Some((k, v)) if *k == key => v.push(r),
                _ => groups.push((key, vec![r])),
            }
        }
        if let Some(h) = last.get_untracked() {
            scroll_to_door(h);
        }
        view! {
            <h1>{p.name.clone()} " · " {tr(Reno::DoorToDoor)}</h1>
            <p class="lead" data-testid="door-progress">{format!("{} {done}/{total}", tr(Reno::Collected))}</p>
            // R5: coverage of the answers the server accepted, against the rule set's line; the answers
            // still on this phone are shown apart.
            {results::tally(id).map(|(t, waiting)| results::coverage_view(&t.coverage, waiting, lang))}
            {(!p.is_open(state::now_ms())).then(|| view! { <p class="warn" role="alert">{Ballot::SurveyNotOpenNow.text(lang)}</p> })}
            <label class="field door-filter">
                <span>{tr(Reno::FindDoor)}</span>
                <input type="search" inputmode="numeric" data-testid="door-filter" prop:value=move || filter.get_untracked()
                    on:input=move |ev| filter.set(event_target_value(&ev)) />
            </label>
            {groups.into_iter().map(|(title, rows)| {
                let answered = rows.iter().filter(|r| ballots.contains_key(&r.2.id)).count();
                let count = rows.len();
                view! {
                <details class="door-group" open=true data-testid="door-group">
                    <summary><h2>{title} <span class="sub">{format!("{answered}/{count}")}</span></h2></summary>
                <ul class="list doors">
                    {rows.into_iter().map(|row| {
                        let h = row.2.clone();
                        let ballot = ballots.get(&h.id).copied();
                        let status = ballot.map(|(_, _, bid)| statuses.get(&bid).cloned().unwrap_or(RowStatus::Synced));
                        let state = match (&ballot, &status) {
                            (None, _) => "none",
                            (_, Some(RowStatus::Refused(_))) => "refused",
                            (_, Some(RowStatus::Pending)) => "pending",
                            _ => "recorded",
                        };
                        let label = match ballot {
                            None => tr(Reno::NotYet).to_string(),
                            Some((agree, ch, _)) => format!(
                                "{} · {}{}",
                                if agree { Ballot::Agree.text(lang) } else { Ballot::Disagree.text(lang) },
                                if ch == BallotChannel::Staff { tr(Reno::ByStaff) } else { tr(Reno::ByResident) },
                                match &status {
                                    Some(RowStatus::Pending) => format!(" · {}", Shell::StatusPending.text(lang)),
                                    Some(RowStatus::Refused(m)) => format!(" · {}：{m}", Shell::StatusRefused.text(lang)),
                                    _ => String::new(),
                                }
                            ),
                        };
                        view! {
                            <li>
                                <button type="button" class=format!("door-row {state}") data-testid="door-household"
                                    data-door=h.fields.door.clone() data-household=h.id.to_string() data-state=state
                                    on:click=move |_| open_form(row.clone())>
                                    <span class="door">{h.fields.door.clone()}</span>
                                    <span class="sub">{label}</span>
                                </button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                </details>
            }}).collect_view()}
            {next.map(|row| {
                let text = format!("{}{} {} {}", tr(Reno::NextDoor), row.0, row.1, row.2.fields.door);
                view! {
                    <div class="next-door">
                        <button type="button" class="btn primary wide" data-testid="next-door"
                            data-door=row.2.fields.door.clone() on:click=move |_| open_form(row.clone())>
                            {text}
                        </button>
                    </div>
                }
            })}
        }
            .into_any()
    };
    view! {
        <section class="page door">
            <ProjectNav lang=lang id=id />
            {move || match selected.get() {
                None => list().into_any(),
                Some((b, u, h)) => view! { <BallotForm lang=lang project=id building=b unit=u household=h selected=selected /> }.into_any(),
            }}
        </section>
    }
}

/// One household's paper form, copied by staff: answer, then review, then confirm.
#[component]
fn BallotForm(
    lang: Lang,
    project: Uuid,
    building: String,
    unit: String,
    household: Household,
    selected: RwSignal<Option<Row>>,
) -> impl IntoView {
    let tr = move |k: Reno| k.text(lang);
    let agree = RwSignal::new(None::<bool>);
    let items = RwSignal::new(Vec::<Uuid>::new());
    let reviewing = RwSignal::new(false);
    let error = RwSignal::new(None::<SaveError>);
    let busy = RwSignal::new(false);
    let menu = common::menu(project);
    let names: HashMap<Uuid, String> = menu.iter().map(|m| (m.id, m.fields.name.clone())).collect();
    let hid = household.id;
    let confirm = move |_| {
        let Some(a) = agree.get_untracked() else {
            return;
        };
        busy.set(true);
        let body = Body::BallotCast(BallotFields {
            project_id: project,
            household_id: hid,
            agree: a,
            items: items.get_untracked(),
            cast_at_ms: state::now_ms(),
            channel: BallotChannel::Staff,
        });
        let entity = EntityRef {
            kind: EntityKind::Ballot,
            id: Uuid::now_v7(),
        };
        wasm_bindgen_futures::spawn_local(async move {
            let r = state::save(entity, body).await;
            busy.set(false);
            match r {
                Ok(_) => selected.set(None),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let title = format!("{building} {unit} {}", household.fields.door);
    let menu_view = menu
        .into_iter()
        .map(|m| {
            let mid = m.id;
            view! {
                <label class="check big">
                    <input type="checkbox" name="item" value=mid.to_string()
                        prop:checked=move || items.get().contains(&mid)
                        // R4: a household that disagrees chooses no items.
                        disabled=move || agree.get() == Some(false)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            items.update(|v| {
                                v.retain(|x| *x != mid);
                                if on { v.push(mid); }
                            });
                        } />
                    <span>{m.fields.name.clone()} " " <small class="sub">{class_label(m.fields.class, lang)}</small></span>
                </label>
            }
        })
        .collect_view();
    view! {
        <h1 data-testid="ballot-household">{title}</h1>
        <p class="sub">{tr(Reno::PaperBallot)}</p>
        <div hidden=move || reviewing.get()>
            <fieldset class="choice">
                <legend>{Ballot::AgreeQuestion.text(lang)}</legend>
                <label class="check big">
                    <input type="radio" name="agree" value="yes" prop:checked=move || agree.get() == Some(true)
                        on:change=move |_| agree.set(Some(true)) />
                    <span>{Ballot::Agree.text(lang)}</span>
                </label>
                <label class="check big">
                    <input type="radio" name="agree" value="no" prop:checked=move || agree.get() == Some(false)
                        on:change=move |_| { agree.set(Some(false)); items.set(Vec::new()); } />
                    <span>{Ballot::Disagree.text(lang)}</span>
                </label>
            </fieldset>
            <fieldset class="choice">
                <legend>{Ballot::ItemsQuestion.text(lang)}</legend>
                <Show when=move || agree.get() == Some(false)>
                    <p class="sub" data-testid="no-items-if-disagree">{tr(Reno::FormsItemsNote)}</p>
                </Show>
                {menu_view}
            </fieldset>
            <button type="button" class="btn primary wide" data-testid="review-ballot"
                disabled=move || agree.get().is_none() on:click=move |_| reviewing.set(true)>
                {Ballot::Review.text(lang)}
            </button>
        </div>
        <Show when=move || reviewing.get()>
            <div class="card review" data-testid="ballot-review">
                <h2>{Ballot::ReviewTitle.text(lang)}</h2>
                <p class="big">{move || if agree.get() == Some(true) { Ballot::Agree.text(lang) } else { Ballot::Disagree.text(lang) }}</p>
                <ul>
                    {
                        let names = names.clone();
                        move || {
                            let v = items.get();
                            if v.is_empty() {
                                return view! { <li>{Ballot::NoItemsChosen.text(lang)}</li> }.into_any();
                            }
                            v.iter().map(|i| view! { <li>{names.get(i).cloned().unwrap_or_default()}</li> }).collect_view().into_any()
                        }
                    }
                </ul>
                <button type="button" class="btn primary wide" data-testid="confirm-ballot" disabled=move || busy.get() on:click=confirm>
                    {tr(Reno::ConfirmSave)}
                </button>
                <button type="button" class="btn wide" on:click=move |_| reviewing.set(false)>{Ballot::ChangeAnswers.text(lang)}</button>
            </div>
        </Show>
        <FormError lang=lang error=error fields=&[] />
        <button type="button" class="btn wide" data-testid="door-back" on:click=move |_| selected.set(None)>{tr(Reno::BackToList)}</button>
    }
}
