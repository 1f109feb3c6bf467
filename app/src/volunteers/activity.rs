//! `/activity/:id`: one activity's sign-ups (places taken in order of joining, the waiting list, an
//! over-booking from two phones offline flagged for staff, V2), signing a volunteer up or cancelling, and
//! checking volunteers in and out on their behalf — offline, like every change. The hours of a finished
//! check-in become a service entry that waits for confirmation (V6: travel excluded, time on site only).

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::volunteers::hours;
use crate::volunteers::list::{community, save};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::sync::Body;
use linli_core::volunteers::{
    AttendanceFields, Direction, EntrySource, RecordedBy, ServiceEntryFields, SignUpAction,
    SignUpFields, VolunteerStatus,
};
use linli_core::{EntityKind, Lang};
use uuid::Uuid;

/// One volunteer on the activity's list, as the page shows them.
#[derive(Clone, PartialEq)]
struct Row {
    volunteer_id: Uuid,
    name: String,
    waiting: bool,
    /// Checked in now (their latest check-in or -out for this activity is a check-in).
    inside: bool,
    /// Finished check-ins (minutes) that no service entry of this activity covers yet.
    unrecorded: Vec<(linli_core::date::Date, u32, i64, i64)>,
}

#[component]
pub fn ActivityPage(lang: Lang, id: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let data = move || {
        ui.rev.get();
        let c = community();
        state::with(|l| {
            let v = &l.view;
            let activity = v.activities(&c).into_iter().find(|a| a.id == id)?;
            let list = v.sign_ups(&c, id)?;
            let name_of = |vid: Uuid| {
                v.volunteer(&c, vid)
                    .map(|x| x.fields.name)
                    .unwrap_or_default()
            };
            let row = |vid: Uuid, waiting: bool| {
                let inside = v
                    .last_attendance(vid, id)
                    .is_some_and(|e| e.direction == Direction::In);
                let recorded: Vec<(i64, i64)> = v
                    .volunteer_entries(&c, vid)
                    .into_iter()
                    .filter(|e| e.fields.activity_id == Some(id))
                    .filter_map(|e| Some((e.fields.from_ms? as i64, e.fields.to_ms? as i64)))
                    .collect();
                let unrecorded = if inside {
                    Vec::new()
                } else {
                    v.volunteer_sessions(&c, vid)
                        .into_iter()
                        .filter(|s| s.activity_id == id)
                        .flat_map(|s| {
                            // One entry per day (a session past midnight is split by day).
                            let mut at = s.start_ms;
                            s.days
                                .into_iter()
                                .map(move |d| {
                                    let from = at;
                                    at += i64::from(d.minutes) * 60_000;
                                    (d.date, d.minutes, from, at)
                                })
                                .collect::<Vec<_>>()
                        })
                        .filter(|(_, m, from, to)| *m > 0 && !recorded.contains(&(*from, *to)))
                        .collect()
                };
                Row {
                    volunteer_id: vid,
                    name: name_of(vid),
                    waiting,
                    inside,
                    unrecorded,
                }
            };
            let mut rows: Vec<Row> = list
                .placed
                .iter()
                .map(|p| row(p.volunteer_id, false))
                .collect();
            rows.extend(list.waiting.iter().map(|p| row(p.volunteer_id, true)));
            let listed: Vec<Uuid> = rows.iter().map(|r| r.volunteer_id).collect();
            let others: Vec<(Uuid, String)> = v
                .volunteers(&c)
                .into_iter()
                .filter(|x| x.status == VolunteerStatus::Active && !listed.contains(&x.id))
                .map(|x| (x.id, x.fields.name))
                .collect();
            let free = list.placed.len() < list.capacity as usize;
            Some((activity, list.over_booked, list.over_by, free, rows, others))
        })
    };
    let chosen = RwSignal::new(String::new());
    let sign_up = move |placed: bool| {
        let Ok(volunteer_id) = Uuid::parse_str(&chosen.get_untracked()) else {
            return;
        };
        let body = Body::SignUpAdd(SignUpFields {
            activity_id: id,
            volunteer_id,
            action: SignUpAction::Join,
            placed,
        });
        save(EntityKind::SignUp, Uuid::now_v7(), body, error);
        chosen.set(String::new());
    };

    move || {
        let Some((a, over_booked, over_by, free, rows, others)) = data() else {
            return view! {
                <section class="page">
                    <h1>{tr(Volunteers::ActivityNotFound)}</h1>
                    <a class="btn" href="/activities">{tr(Volunteers::Activities)}</a>
                </section>
            }
            .into_any();
        };
        let f = a.fields;
        view! {
            <section class="page">
                <a class="btn" href="/activities">{tr(Volunteers::Activities)}</a>
                <h1>{f.name.clone()}</h1>
                <p class="sub">{format!("{} {}–{} {}", f.date, f.start_time, f.end_time, f.place)}</p>
                <p>{f.description.clone()}</p>
                <details class="card">
                    <summary>{tr(Volunteers::CheckInQr)}</summary>
                    <crate::shell::qr::QrLink path=format!("/checkin/{id}") caption=tr(Volunteers::CheckInQr) testid="checkin-qr" />
                </details>
                {over_booked.then(|| view! {
                    <p class="field-error" role="alert" data-testid="over-booked">{format!("{} {over_by}", tr(Volunteers::OverBooked))}</p>
                })}
                <FormError lang=lang error=error fields=&[] />
                <ul class="list">
                    {rows.into_iter().map(|r| {
                        let vid = r.volunteer_id;
                        let attend = move |direction: Direction| {
                            let body = Body::AttendanceAdd(AttendanceFields {
                                volunteer_id: vid, activity_id: id, direction, at_ms: state::now_ms(), by: RecordedBy::StaffOnBehalf,
                            });
                            save(EntityKind::Attendance, Uuid::now_v7(), body, error);
                        };
                        let cancel = move |_| {
                            let body = Body::SignUpAdd(SignUpFields { activity_id: id, volunteer_id: vid, action: SignUpAction::Cancel, placed: false });
                            save(EntityKind::SignUp, Uuid::now_v7(), body, error);
                        };
                        let place = f.place.clone();
                        let content = f.name.clone();
                        let unrecorded = r.unrecorded.clone();
                        let minutes: u32 = unrecorded.iter().map(|u| u.1).sum();
                        let record = move |_| {
                            let by = state::with(|l| l.session.as_ref().map(|s| s.username.clone()).unwrap_or_default());
                            let (unrecorded, place, content) = (unrecorded.clone(), place.clone(), content.clone());
                            // One entry per day (a visit across midnight is split), saved in turn: the first
                            // refusal is shown and stops the rest (concurrent saves once hid it).
                            wasm_bindgen_futures::spawn_local(async move {
                                for (date, minutes, from, to) in unrecorded {
                                    let body = Body::ServiceEntryAdd(ServiceEntryFields {
                                        volunteer_id: vid, date, place: place.clone(), content: content.clone(), minutes,
                                        from_ms: Some(from as u64), to_ms: Some(to as u64), activity_id: Some(id), pair_id: None,
                                        source: EntrySource::Attendance, recorded_by: by.clone(), corrects: None, reason: String::new(),
                                    });
                                    let entity = linli_core::EntityRef { kind: EntityKind::ServiceEntry, id: Uuid::now_v7() };
                                    if let Err(e) = state::save(entity, body).await {
                                        return error.set(Some(e));
                                    }
                                }
                                error.set(None);
                            });
                        };
                        let state_words = if r.waiting { tr(Volunteers::Waiting) } else if r.inside { tr(Volunteers::CheckedIn) } else { tr(Volunteers::SignedUp) };
                        let state_name = if r.waiting { "waiting" } else if r.inside { "inside" } else { "placed" };
                        view! {
                            <li class="card" data-testid="sign-up-row" data-name=r.name.clone() data-state=state_name>
                                <a class="title link" href=format!("/volunteer/{vid}")>{r.name.clone()}</a>
                                " " <span class=format!("badge {state_name}")>{state_words}</span>
                                <div class="actions">
                                    {(!r.waiting && !r.inside).then(|| view! { <button type="button" class="btn primary" data-testid="check-in" on:click=move |_| attend(Direction::In)>{tr(Volunteers::CheckIn)}</button> })}
                                    {r.inside.then(|| view! { <button type="button" class="btn primary" data-testid="check-out" on:click=move |_| attend(Direction::Out)>{tr(Volunteers::CheckOut)}</button> })}
                                    {(minutes > 0).then(|| view! { <button type="button" class="btn" data-testid="record-attendance" on:click=record>{format!("{} {}", tr(Volunteers::RecordAttendance), hours(u64::from(minutes), lang))}</button> })}
                                    <button type="button" class="btn" data-testid="cancel-sign-up" on:click=cancel>{tr(Volunteers::Cancel)}</button>
                                </div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
                <div class="card form">
                    <h2>{tr(Volunteers::SignUpSomeone)}</h2>
                    <label class="field">
                        <span class="label">{tr(Volunteers::Name)}</span>
                        <select name="volunteer" prop:value=move || chosen.get() on:change=move |ev| chosen.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {others.into_iter().map(|(vid, name)| view! { <option value=vid.to_string()>{name}</option> }).collect_view()}
                        </select>
                    </label>
                    <button type="button" class="btn primary wide" data-testid="sign-up" on:click=move |_| sign_up(free)>{tr(Volunteers::SignUp)}</button>
                </div>
            </section>
        }.into_any()
    }
}
