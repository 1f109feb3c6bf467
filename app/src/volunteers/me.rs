//! A volunteer's own phone (志愿者本人, RULES §3): their record at `/` (the staff record page in its `own`
//! form), the coming activities with sign-up and cancel (places and the waiting list as staff see them),
//! and `/checkin/:activity`, the page an activity's QR code opens: check in and out offline, by themselves.

use crate::data::state::{self, SaveError};
use crate::shell::field::FormError;
use crate::volunteers::list::{community, save, today};
use crate::volunteers::strings::Volunteers;
use leptos::prelude::*;
use linli_core::Lang;
use linli_core::i18n::fill;
use linli_core::sync::{Body, EntityKind};
use linli_core::volunteers::{
    Activity, AttendanceFields, Direction, RecordedBy, SignUpAction, SignUpFields,
};
use uuid::Uuid;

/// The time of day of `ms` in China time, 「09:05」.
fn clock(ms: i64) -> String {
    let minutes = (ms + 8 * 3_600_000).rem_euclid(86_400_000) / 60_000;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Where `me` stands for an activity: `Some(None)` in, `Some(Some(n))` n-th on the waiting list, `None`
/// not signed up.
fn standing(activity: Uuid, me: Uuid) -> Option<Option<usize>> {
    let c = community();
    state::with(|l| {
        let list = l.view.sign_ups(&c, activity)?;
        if list.placed.iter().any(|p| p.volunteer_id == me) {
            return Some(None);
        }
        let n = list.waiting.iter().position(|p| p.volunteer_id == me)?;
        Some(Some(n + 1))
    })
}

/// The coming activities (today and later), each with sign-up or cancel and where the volunteer stands.
#[component]
pub fn MyActivities(lang: Lang, me: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let coming = move || {
        ui.rev.get();
        let c = community();
        let today = today();
        let mut v: Vec<Activity> = state::with(|l| l.view.activities(&c))
            .into_iter()
            .filter(|a| a.fields.date >= today)
            .collect();
        v.sort_by(|a, b| {
            (a.fields.date, &a.fields.start_time).cmp(&(b.fields.date, &b.fields.start_time))
        });
        v.into_iter()
            .map(|a| {
                let s = standing(a.id, me);
                (a, s)
            })
            .collect::<Vec<_>>()
    };
    let send = move |activity_id: Uuid, action: SignUpAction| {
        // The phone promises a place only when it sees one free (V2: two phones may both promise the last).
        let placed = action == SignUpAction::Join
            && state::with(|l| {
                l.view
                    .sign_ups(&community(), activity_id)
                    .is_some_and(|s| (s.placed.len() as u32) < s.capacity)
            });
        let body = Body::SignUpAdd(SignUpFields {
            activity_id,
            volunteer_id: me,
            action,
            placed,
        });
        save(EntityKind::SignUp, Uuid::now_v7(), body, error);
    };
    view! {
        <h2>{tr(Volunteers::UpcomingActivities)}</h2>
        <FormError lang=lang error=error fields=&[] />
        <ul class="list" data-testid="my-activities">
            {move || {
                let list = coming();
                if list.is_empty() {
                    return view! { <li class="empty">{tr(Volunteers::NoUpcoming)}</li> }.into_any();
                }
                list.into_iter()
                    .map(|(a, s)| {
                        let aid = a.id;
                        let words = match s {
                            Some(None) => tr(Volunteers::SignedUp).to_string(),
                            Some(Some(n)) => fill(tr(Volunteers::WaitingPlace), &[&n.to_string()]),
                            None => String::new(),
                        };
                        let f = &a.fields;
                        view! {
                            <li class="card activity" data-testid="my-activity" data-name=f.name.clone()>
                                <span class="title">{f.name.clone()}</span>
                                <p class="sub">{format!("{} {}–{} · {}", f.date, f.start_time, f.end_time, f.place)}</p>
                                {(!words.is_empty()).then(|| view! { <span class="badge active" data-testid="my-standing">{words}</span> })}
                                <div class="row-actions">
                                    {match s {
                                        None => view! {
                                            <button type="button" class="btn primary" data-testid="my-sign-up" on:click=move |_| send(aid, SignUpAction::Join)>{tr(Volunteers::SignUp)}</button>
                                        }.into_any(),
                                        Some(_) => view! {
                                            <a class="btn primary" href=format!("/checkin/{aid}") data-testid="my-check-in">{tr(Volunteers::CheckIn)}</a>
                                            <button type="button" class="btn" data-testid="my-cancel" on:click=move |_| send(aid, SignUpAction::Cancel)>{tr(Volunteers::Cancel)}</button>
                                        }.into_any(),
                                    }}
                                </div>
                                <p class="sub">{tr(Volunteers::ScanCheckIn)}</p>
                            </li>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </ul>
    }
}

/// `/checkin/:activity`: what an activity's QR code opens on a volunteer's phone. One large button, check
/// in or check out by the latest of their own; offline like every change (RULES §3, V6: time on site).
#[component]
pub fn CheckInPage(lang: Lang, activity: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let me = state::volunteer_me();
    let data = move || {
        ui.rev.get();
        let c = community();
        let me = me?;
        state::with(|l| {
            let a = l
                .view
                .activities(&c)
                .into_iter()
                .find(|a| a.id == activity)?;
            let last = l.view.last_attendance(me, activity);
            Some((a, last.map(|e| (e.direction, e.at_ms))))
        })
    };
    move || {
        let Some((a, last)) = data() else {
            return view! {
                <section class="page">
                    <h1>{tr(Volunteers::CheckInTitle)}</h1>
                    <p class="warn" data-testid="unknown-activity">{tr(Volunteers::UnknownActivity)}</p>
                    <a class="btn" href="/">{tr(Volunteers::ToMyRecord)}</a>
                </section>
            }
            .into_any();
        };
        let inside = matches!(last, Some((Direction::In, _)));
        let direction = if inside {
            Direction::Out
        } else {
            Direction::In
        };
        let press = move |_| {
            let Some(me) = me else { return };
            let body = Body::AttendanceAdd(AttendanceFields {
                volunteer_id: me,
                activity_id: activity,
                direction,
                at_ms: state::now_ms(),
                by: RecordedBy::SelfCheck,
            });
            save(EntityKind::Attendance, Uuid::now_v7(), body, error);
        };
        let said = last.map(|(d, at)| match d {
            Direction::In => fill(tr(Volunteers::CheckedInAt), &[&clock(at)]),
            Direction::Out => fill(tr(Volunteers::CheckedOutAt), &[&clock(at)]),
        });
        let f = a.fields;
        view! {
            <section class="page">
                <h1>{tr(Volunteers::CheckInTitle)}</h1>
                <p class="title" data-testid="checkin-activity">{f.name.clone()}</p>
                <p class="sub">{format!("{} {}–{} · {}", f.date, f.start_time, f.end_time, f.place)}</p>
                {said.map(|s| view! { <p class="badge active" data-testid="checkin-state">{s}</p> })}
                <FormError lang=lang error=error fields=&[] />
                <button type="button" class="btn primary wide big" data-testid="checkin-button" on:click=press>
                    {if inside { tr(Volunteers::CheckOut) } else { tr(Volunteers::CheckIn) }}
                </button>
                <div class="actions"><a class="btn" href="/">{tr(Volunteers::ToMyRecord)}</a></div>
            </section>
        }
        .into_any()
    }
}

/// The certificates staff issued for this volunteer (online: they are signed and kept by the server),
/// each opening the printable certificate page.
#[component]
pub fn MyCertificates(lang: Lang) -> impl IntoView {
    let tr = move |k: Volunteers| k.text(lang);
    let list = RwSignal::new(None::<Vec<linli_core::volunteers::api::CertificateRef>>);
    let error = RwSignal::new(None::<String>);
    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let got = state::staff_call::<(), linli_core::volunteers::api::MyCertificates>(
                "GET",
                "/api/volunteers/me/certificates",
                lang,
                None,
                tr(Volunteers::CertificateNeedsNetwork),
            )
            .await;
            match got {
                Ok(c) => {
                    error.set(None);
                    list.set(Some(c.certificates));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    load();
    view! {
        <h2>{tr(Volunteers::CertificateTitle)}</h2>
        <p class="sub" data-testid="certificate-from-staff">{tr(Volunteers::CertificateFromStaff)}</p>
        {move || error.get().map(|e| view! { <p class="warn" role="alert">{e}</p> })}
        <ul class="list" data-testid="my-certificates">
            {move || list.get().unwrap_or_default().into_iter().map(|c| view! {
                <li><a class="btn" data-testid="my-certificate" href=format!("/certificate/{}", c.number)>
                    {format!("{} {} · {}", tr(Volunteers::CertificateNumber), c.number, c.issued_on)}
                </a></li>
            }).collect_view()}
        </ul>
    }
}

/// The volunteer's own code on their phone: staff scan it with theirs (`/vcheck/:volunteer`) to check them
/// in or out on their behalf, both phones offline if need be.
#[component]
pub fn MyCode(lang: Lang, me: Uuid) -> impl IntoView {
    view! {
        <details class="card">
            <summary>{Volunteers::MyCode.text(lang)}</summary>
            <crate::shell::qr::QrLink path=format!("/vcheck/{me}") caption=Volunteers::MyCode.text(lang) testid="my-code" />
        </details>
    }
}

/// `/vcheck/:volunteer`, what a volunteer's own code opens on a staff phone: today's activities they are
/// signed up for, each with check-in or check-out on their behalf (`staff_on_behalf`), offline.
#[component]
pub fn ScanPage(lang: Lang, volunteer: Uuid) -> impl IntoView {
    let ui = state::ui().expect("state installed");
    let tr = move |k: Volunteers| k.text(lang);
    let error = RwSignal::new(None::<SaveError>);
    let data = move || {
        ui.rev.get();
        let c = community();
        let today = today();
        state::with(|l| {
            let name = l.view.volunteer(&c, volunteer).map(|v| v.fields.name)?;
            let acts: Vec<(Activity, bool)> = l
                .view
                .activities(&c)
                .into_iter()
                .filter(|a| a.fields.date == today)
                .filter(|a| {
                    l.view.sign_ups(&c, a.id).is_some_and(|s| {
                        s.placed
                            .iter()
                            .chain(&s.waiting)
                            .any(|p| p.volunteer_id == volunteer)
                    })
                })
                .map(|a| {
                    let inside = l
                        .view
                        .last_attendance(volunteer, a.id)
                        .is_some_and(|e| e.direction == Direction::In);
                    (a, inside)
                })
                .collect();
            Some((name, acts))
        })
    };
    move || {
        let Some((name, acts)) = data() else {
            return view! {
                <section class="page">
                    <h1>{tr(Volunteers::ScanTitle)}</h1>
                    <p class="warn">{tr(Volunteers::NotFound)}</p>
                </section>
            }
            .into_any();
        };
        view! {
            <section class="page">
                <h1>{tr(Volunteers::ScanTitle)}</h1>
                <p class="title" data-testid="scan-name">{name}</p>
                <FormError lang=lang error=error fields=&[] />
                <ul class="list">
                    {if acts.is_empty() {
                        view! { <li class="empty">{tr(Volunteers::NoActivityToday)}</li> }.into_any()
                    } else {
                        acts.into_iter().map(|(a, inside)| {
                            let aid = a.id;
                            let direction = if inside { Direction::Out } else { Direction::In };
                            let press = move |_| {
                                let body = Body::AttendanceAdd(AttendanceFields {
                                    volunteer_id: volunteer,
                                    activity_id: aid,
                                    direction,
                                    at_ms: state::now_ms(),
                                    by: RecordedBy::StaffOnBehalf,
                                });
                                save(EntityKind::Attendance, Uuid::now_v7(), body, error);
                            };
                            view! {
                                <li class="card" data-testid="scan-activity" data-name=a.fields.name.clone() data-inside=inside.to_string()>
                                    <span class="title">{a.fields.name.clone()}</span>
                                    <p class="sub">{format!("{}–{} · {}", a.fields.start_time, a.fields.end_time, a.fields.place)}</p>
                                    <button type="button" class="btn primary wide big" data-testid="scan-check" on:click=press>
                                        {if inside { tr(Volunteers::CheckOut) } else { tr(Volunteers::CheckIn) }}
                                    </button>
                                </li>
                            }
                        }).collect_view().into_any()
                    }}
                </ul>
            </section>
        }
        .into_any()
    }
}
