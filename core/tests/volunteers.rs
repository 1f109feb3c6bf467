//! Integration tests of the volunteers feature (RULES §3, V1–V6) through `Replica::check` and `apply`:
//! registration, check-in, service entries and corrections, sign-ups, pairs, the figures, and a
//! property test that replays, duplicates and reorders the operations.

use linli_core::date::Date;
use linli_core::hlc::Hlc;
use linli_core::roster::*;
use linli_core::sync::*;
use linli_core::volunteers::*;
use linli_core::{ErrorCode, Lang, RuleError, RuleSet};
use proptest::prelude::*;
use uuid::Uuid;

const C: &str = "c1";

fn v7(n: u64) -> Uuid {
    let ts = uuid::Timestamp::from_unix_time(1_795_000_000 + n, 0, 0, 0);
    let mut b = *Uuid::new_v7(ts).as_bytes();
    b[8..16].copy_from_slice(&(n | 0x8000_0000_0000_0000).to_be_bytes());
    Uuid::from_bytes(b)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// "YYYY-MM-DD HH:MM" China time, in milliseconds.
fn t(s: &str) -> u64 {
    (day_start_ms(d(&s[..10])) + parse_hhmm(&s[11..]).unwrap() as i64 * 60_000) as u64
}

struct World {
    r: Replica,
    rules: RuleSet,
    n: u64,
    /// Every operation applied, in order.
    ops: Vec<Operation>,
}

impl World {
    fn new() -> World {
        World {
            r: Replica::new(),
            rules: RuleSet::default(),
            n: 0,
            ops: vec![],
        }
    }

    fn op(
        &mut self,
        device: u128,
        at_ms: u64,
        kind: EntityKind,
        eid: Uuid,
        body: Body,
    ) -> Operation {
        self.n += 1;
        Operation {
            v: OP_FORMAT_VERSION,
            id: v7(self.n),
            device_id: id(device),
            author: "wang".into(),
            hlc: Hlc { ms: at_ms, n: 0 },
            community: C.into(),
            entity: EntityRef { kind, id: eid },
            body,
        }
    }

    /// Checks the operation (the clock at its own time) and applies it if it passes.
    fn send(&mut self, o: Operation) -> Result<(), RuleError> {
        self.r.check(&o, &self.rules, o.hlc.ms)?;
        self.r.apply(&o);
        self.ops.push(o);
        Ok(())
    }

    fn put(
        &mut self,
        at_ms: u64,
        kind: EntityKind,
        eid: Uuid,
        body: Body,
    ) -> Result<(), RuleError> {
        let o = self.op(1, at_ms, kind, eid, body);
        self.send(o)
    }

    /// A compound with one household, a person in it, and a registered, approved volunteer (id 50).
    fn with_volunteer() -> World {
        let mut w = World::new();
        let at = t("2026-01-01 09:00");
        w.put(
            at,
            EntityKind::Compound,
            id(1),
            Body::CompoundPut(CompoundFields {
                name: "幸福里".into(),
                address: String::new(),
                year_built: None,
            }),
        )
        .unwrap();
        w.put(
            at,
            EntityKind::Building,
            id(2),
            Body::BuildingPut(BuildingFields {
                compound_id: id(1),
                name: "1号楼".into(),
            }),
        )
        .unwrap();
        w.put(
            at,
            EntityKind::Unit,
            id(3),
            Body::UnitPut(UnitFields {
                building_id: id(2),
                name: "1单元".into(),
            }),
        )
        .unwrap();
        w.put(
            at,
            EntityKind::Household,
            id(4),
            Body::HouseholdPut(HouseholdFields {
                unit_id: id(3),
                door: "101".into(),
                area_m2: 60.0,
                owners: 1,
            }),
        )
        .unwrap();
        for (pid, name) in [(5, "张桂兰"), (6, "李明")] {
            w.put(
                at,
                EntityKind::Person,
                id(pid),
                Body::PersonPut(PersonFields {
                    household_id: id(4),
                    name: name.into(),
                    sex: None,
                    birth_year: Some(1941),
                    phone: String::new(),
                    key_groups: vec![KeyGroup::SolitaryElderly],
                    party_member: false,
                    student: false,
                }),
            )
            .unwrap();
        }
        w.put(
            at,
            EntityKind::Volunteer,
            id(50),
            Body::VolunteerPut(volunteer("李明", Some(id(6)))),
        )
        .unwrap();
        w.put(
            at + 1,
            EntityKind::Volunteer,
            id(50),
            Body::VolunteerStatus(VolunteerStatusFields {
                status: VolunteerStatus::Active,
            }),
        )
        .unwrap();
        w
    }

    fn activity(&mut self, aid: Uuid, date: &str, start: &str, end: &str, capacity: u32) {
        self.put(
            t("2026-01-01 09:00"),
            EntityKind::Activity,
            aid,
            Body::ActivityPut(ActivityFields {
                name: "巡逻".into(),
                date: d(date),
                start_time: start.into(),
                end_time: end.into(),
                place: "东门".into(),
                team_id: None,
                capacity,
                description: String::new(),
                check_in_required: true,
            }),
        )
        .unwrap();
    }

    fn attend(&mut self, aid: Uuid, dir: Direction, at: &str, eid: u128) -> Result<(), RuleError> {
        let at = t(at);
        self.put(
            at,
            EntityKind::Attendance,
            id(eid),
            Body::AttendanceAdd(AttendanceFields {
                volunteer_id: id(50),
                activity_id: aid,
                direction: dir,
                at_ms: at,
                by: RecordedBy::SelfCheck,
            }),
        )
    }

    fn entry(&mut self, eid: u128, date: &str, minutes: u32, at: &str) -> Result<(), RuleError> {
        self.put(
            t(at),
            EntityKind::ServiceEntry,
            id(eid),
            Body::ServiceEntryAdd(entry(date, minutes)),
        )
    }
}

fn volunteer(name: &str, person: Option<Uuid>) -> VolunteerFields {
    VolunteerFields {
        name: name.into(),
        phone: "13812341234".into(),
        id_number: "11010519491231002X".into(),
        person_id: person,
        skills: vec![],
        teams: vec![],
        party_member: true,
        student: false,
        consent: true,
        registered_on: d("2026-01-01"),
        status: None,
    }
}

fn entry(date: &str, minutes: u32) -> ServiceEntryFields {
    ServiceEntryFields {
        volunteer_id: id(50),
        date: d(date),
        place: "社区".into(),
        content: "陪伴聊天".into(),
        minutes,
        from_ms: None,
        to_ms: None,
        activity_id: None,
        pair_id: None,
        source: EntrySource::Claim,
        recorded_by: "李明".into(),
        corrects: None,
        reason: String::new(),
    }
}

fn code(r: Result<(), RuleError>) -> (ErrorCode, Option<String>) {
    let e = r.unwrap_err();
    (e.code, e.field)
}

#[test]
fn registration_links_a_person_once_and_approval_survives_an_edit() {
    let mut w = World::with_volunteer();
    let v = w.r.volunteer(C, id(50)).unwrap();
    assert_eq!(v.status, VolunteerStatus::Active);
    // V1: a person counts once — a second volunteer for 李明 is refused.
    let again = w.op(
        2,
        t("2026-01-02 09:00"),
        EntityKind::Volunteer,
        id(51),
        Body::VolunteerPut(volunteer("李明", Some(id(6)))),
    );
    let e = w.send(again).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::PersonTaken, Some("body.person_id"))
    );
    assert_eq!(
        e.message(Lang::Zh),
        "这位居民已登记为另一位志愿者，每人只算一次"
    );
    // Registration without a check digit that fits: refused, naming the field.
    let mut bad = volunteer("王芳", None);
    bad.id_number = "110105194912310021".into();
    let o = w.op(
        2,
        t("2026-01-02 09:00"),
        EntityKind::Volunteer,
        id(52),
        Body::VolunteerPut(bad),
    );
    assert_eq!(
        code(w.send(o)),
        (ErrorCode::InvalidIdNumber, Some("body.id_number".into()))
    );
    // The volunteer edits their phone offline after the approval: the put carries no status, so the
    // approval stands whatever the order the two arrive in.
    let mut edit = volunteer("李明", Some(id(6)));
    edit.phone = "13900001111".into();
    let o = w.op(
        3,
        t("2026-01-03 09:00"),
        EntityKind::Volunteer,
        id(50),
        Body::VolunteerPut(edit),
    );
    w.send(o).unwrap();
    let v = w.r.volunteer(C, id(50)).unwrap();
    assert_eq!(
        (v.status, v.fields.phone.as_str()),
        (VolunteerStatus::Active, "13900001111")
    );
    // Lists show the numbers masked.
    let row = api::VolunteerRow::from(&v);
    assert_eq!(row.phone_masked, "139****1111");
    assert_eq!(row.id_number_masked, "1101**********002X");
    // A status for a volunteer who does not exist is refused.
    let o = w.op(
        3,
        t("2026-01-03 09:00"),
        EntityKind::Volunteer,
        id(59),
        Body::VolunteerStatus(VolunteerStatusFields {
            status: VolunteerStatus::Active,
        }),
    );
    assert_eq!(
        code(w.send(o)),
        (ErrorCode::NotFound, Some("entity.id".into()))
    );
}

#[test]
fn check_in_splits_at_midnight_refuses_overlap_and_closes_at_the_end() {
    let mut w = World::with_volunteer();
    let (night, short, morning, long) = (id(60), id(61), id(62), id(63));
    w.activity(night, "2026-06-01", "22:00", "01:30", 5);
    w.activity(short, "2026-06-01", "23:00", "23:30", 5);
    w.activity(morning, "2026-06-03", "09:00", "11:00", 5);
    w.activity(long, "2026-06-05", "08:00", "20:00", 5);
    // 22:00–01:30 China time: 120 minutes on 1 June, 90 on 2 June.
    w.attend(night, Direction::In, "2026-06-01 22:00", 100)
        .unwrap();
    // While checked in to the night patrol, a check-in elsewhere at 23:00 overlaps it: refused, naming the field.
    let e = w
        .attend(short, Direction::In, "2026-06-01 23:00", 101)
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Overlap, Some("body.at_ms"))
    );
    assert_eq!(
        e.message(Lang::En),
        "The at ms overlaps another service time of this volunteer (2026-06-01 22:00–2026-06-02 01:30)"
    );
    assert!(
        e.message(Lang::Zh)
            .starts_with("签到/签退时间与这位志愿者的另一段服务时间重叠")
    );
    w.attend(night, Direction::Out, "2026-06-02 01:30", 102)
        .unwrap();
    let s = w.r.volunteer_sessions(C, id(50));
    assert_eq!(s.len(), 1);
    assert_eq!(
        s[0].days,
        vec![
            DayMinutes {
                date: d("2026-06-01"),
                minutes: 120
            },
            DayMinutes {
                date: d("2026-06-02"),
                minutes: 90
            }
        ]
    );
    assert!(!s[0].closed_at_activity_end);
    // A missing check-out is closed at the activity's end (11:00) and flagged: 120 minutes.
    w.attend(morning, Direction::In, "2026-06-03 09:00", 103)
        .unwrap();
    let s = w.r.volunteer_sessions(C, id(50));
    assert_eq!(
        (s[1].days[0].minutes, s[1].closed_at_activity_end),
        (120, true)
    );
    // A check-out 25 hours after the check-in: more than 24 hours in a day, refused.
    w.attend(long, Direction::In, "2026-06-05 08:00", 104)
        .unwrap();
    let e = w
        .attend(long, Direction::Out, "2026-06-06 09:00", 105)
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::DayLimit, Some("body.at_ms"))
    );
    assert_eq!(
        e.message(Lang::Zh),
        "这位志愿者当天的服务时间合计将超过 24 h"
    );
    w.attend(long, Direction::Out, "2026-06-05 20:00", 106)
        .unwrap();
    // A check-in stamped after the change's own clock is in the future: refused.
    let o = w.op(
        1,
        t("2026-06-07 08:00"),
        EntityKind::Attendance,
        id(107),
        Body::AttendanceAdd(AttendanceFields {
            volunteer_id: id(50),
            activity_id: long,
            direction: Direction::In,
            at_ms: t("2026-06-07 09:00"),
            by: RecordedBy::StaffOnBehalf,
        }),
    );
    assert_eq!(
        code(w.send(o)),
        (ErrorCode::InFuture, Some("body.at_ms".into()))
    );
    // Append-only: a check-in is never re-written.
    let o = w.op(
        1,
        t("2026-06-07 08:00"),
        EntityKind::Attendance,
        id(100),
        Body::AttendanceAdd(AttendanceFields {
            volunteer_id: id(50),
            activity_id: night,
            direction: Direction::In,
            at_ms: t("2026-06-01 21:00"),
            by: RecordedBy::SelfCheck,
        }),
    );
    assert_eq!(
        code(w.send(o)),
        (ErrorCode::InvalidRequest, Some("entity.id".into()))
    );
}

#[test]
fn entries_day_limit_future_corrections_and_reviews() {
    let mut w = World::with_volunteer();
    // V6: 20 h and then 5 h on one day: 25 h > 24 h, refused.
    w.entry(200, "2026-03-02", 1200, "2026-03-02 22:00")
        .unwrap();
    let e = w
        .entry(201, "2026-03-02", 300, "2026-03-02 22:10")
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::DayLimit, Some("body.minutes"))
    );
    assert_eq!(
        e.message(Lang::En),
        "This volunteer's service that day would add up to more than 24 h"
    );
    // 4 h fits (24 h exactly).
    w.entry(202, "2026-03-02", 240, "2026-03-02 22:20").unwrap();
    // A date after the change's clock.
    let e = w
        .entry(203, "2026-03-04", 60, "2026-03-03 10:00")
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::InFuture, Some("body.date"))
    );
    assert_eq!(e.message(Lang::Zh), "日期不能晚于记录的时间（2026-03-03）");
    // Times given: 09:00–11:00 and then 10:00–10:30 overlap.
    let mut a = entry("2026-03-05", 100);
    a.from_ms = Some(t("2026-03-05 09:00"));
    a.to_ms = Some(t("2026-03-05 11:00"));
    w.put(
        t("2026-03-05 12:00"),
        EntityKind::ServiceEntry,
        id(204),
        Body::ServiceEntryAdd(a),
    )
    .unwrap();
    let mut b = entry("2026-03-05", 30);
    b.from_ms = Some(t("2026-03-05 10:00"));
    b.to_ms = Some(t("2026-03-05 10:30"));
    let e = w
        .put(
            t("2026-03-05 12:00"),
            EntityKind::ServiceEntry,
            id(205),
            Body::ServiceEntryAdd(b.clone()),
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Overlap, Some("body.from_ms"))
    );
    // Correct entry 200 (20 h → 10 h, with a reason): the correction counts, 200 no longer does, and
    // a second correction of 200 is refused (correct the newest).
    let mut fix = entry("2026-03-02", 600);
    fix.corrects = Some(id(200));
    fix.reason = "多记了".into();
    w.put(
        t("2026-03-06 09:00"),
        EntityKind::ServiceEntry,
        id(206),
        Body::ServiceEntryAdd(fix.clone()),
    )
    .unwrap();
    let e = w
        .put(
            t("2026-03-06 09:10"),
            EntityKind::ServiceEntry,
            id(207),
            Body::ServiceEntryAdd(fix.clone()),
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::AlreadyCorrected, Some("body.corrects"))
    );
    fix.reason.clear();
    fix.corrects = Some(id(206));
    let e = w
        .put(
            t("2026-03-06 09:10"),
            EntityKind::ServiceEntry,
            id(207),
            Body::ServiceEntryAdd(fix),
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::Required, Some("body.reason"))
    );
    // Reviews: 202 confirmed, then declined later; 204 confirmed; 206 confirmed.
    let review = |w: &mut World, rid: u128, entry: u128, decision: EntryStatus, at: &str| {
        let at = t(at);
        w.put(
            at,
            EntityKind::EntryReview,
            id(rid),
            Body::EntryReviewAdd(EntryReviewFields {
                entry_id: id(entry),
                decision,
                by: "wang".into(),
                at_ms: at,
                reason: if decision == EntryStatus::Declined {
                    "重复".into()
                } else {
                    String::new()
                },
            }),
        )
    };
    review(&mut w, 300, 202, EntryStatus::Confirmed, "2026-03-07 09:00").unwrap();
    review(&mut w, 301, 202, EntryStatus::Declined, "2026-03-07 10:00").unwrap();
    review(&mut w, 302, 204, EntryStatus::Confirmed, "2026-03-07 10:00").unwrap();
    review(&mut w, 303, 206, EntryStatus::Confirmed, "2026-03-07 10:00").unwrap();
    let entries = w.r.volunteer_entries(C, id(50));
    let st: Vec<(Uuid, EntryStatus, bool)> =
        entries.iter().map(|e| (e.id, e.status, e.counts)).collect();
    assert_eq!(
        st,
        [
            (id(200), EntryStatus::Pending, false),
            (id(202), EntryStatus::Declined, true),
            (id(204), EntryStatus::Confirmed, true),
            (id(206), EntryStatus::Confirmed, true),
        ]
    );
    assert_eq!(entries[0].corrected_by, Some(id(206)));
    // March: confirmed 100 (204) + 600 (206) = 700 min; pending nothing (200 corrected, 202 declined).
    let months = w.r.volunteer_hours(C, id(50), d("2026-03-31"));
    assert_eq!(months.len(), 3);
    assert_eq!(
        (months[2].confirmed_minutes, months[2].pending_minutes),
        (700, 0)
    );
    // The same figures through the embedding API's function: one registered volunteer of 8 residents
    // (0.125 ≥ 10%); a party member with 700 min < 20 h, so V4 is not met.
    let s =
        w.r.volunteer_stats(C, d("2026-03-31"), 8, &w.rules.volunteers)
            .unwrap();
    assert_eq!(s.registered, 1);
    assert_eq!((s.rate.value, s.rate.met), (0.125, true));
    assert_eq!(s.hours[0].confirmed_minutes, 700);
    assert_eq!(
        (
            s.party_students.members,
            s.party_students.with_20_hours,
            s.party_students.met
        ),
        (1, 0, false)
    );
    assert_eq!(
        s.active_by_month
            .iter()
            .map(|m| m.active)
            .collect::<Vec<_>>(),
        [0, 0, 1]
    );
}

#[test]
fn sign_ups_fill_places_wait_move_up_and_flag_over_booking() {
    let mut w = World::with_volunteer();
    let act = id(70);
    w.activity(act, "2026-06-10", "09:00", "11:00", 3);
    for v in 81..=85u128 {
        let o = w.op(
            1,
            t("2026-06-01 09:00"),
            EntityKind::Volunteer,
            id(v),
            Body::VolunteerPut(volunteer(&format!("志愿者{v}"), None)),
        );
        w.send(o).unwrap();
    }
    let join = |w: &mut World, sid: u128, v: u128, placed: bool, device: u128, at: &str| {
        let o = w.op(
            device,
            t(at),
            EntityKind::SignUp,
            id(sid),
            Body::SignUpAdd(SignUpFields {
                activity_id: act,
                volunteer_id: id(v),
                action: SignUpAction::Join,
                placed,
            }),
        );
        w.send(o)
    };
    // 3 places, 4 sign-ups: the first three were told they are in; the fourth waits.
    join(&mut w, 400, 81, true, 1, "2026-06-02 09:00").unwrap();
    join(&mut w, 401, 82, true, 1, "2026-06-02 09:01").unwrap();
    join(&mut w, 402, 83, true, 1, "2026-06-02 09:02").unwrap();
    join(&mut w, 403, 84, false, 1, "2026-06-02 09:03").unwrap();
    let l = w.r.sign_ups(C, act).unwrap();
    let ids = |p: &[Place]| p.iter().map(|p| p.volunteer_id).collect::<Vec<_>>();
    assert_eq!(ids(&l.placed), [id(81), id(82), id(83)]);
    assert_eq!(ids(&l.waiting), [id(84)]);
    assert!(!l.over_booked);
    // Joining twice is refused.
    assert_eq!(
        code(join(&mut w, 404, 84, false, 1, "2026-06-02 09:04")).0,
        ErrorCode::AlreadySignedUp
    );
    // 82 cancels: 84 moves up.
    let o = w.op(
        1,
        t("2026-06-03 09:00"),
        EntityKind::SignUp,
        id(405),
        Body::SignUpAdd(SignUpFields {
            activity_id: act,
            volunteer_id: id(82),
            action: SignUpAction::Cancel,
            placed: false,
        }),
    );
    w.send(o).unwrap();
    let l = w.r.sign_ups(C, act).unwrap();
    assert_eq!(ids(&l.placed), [id(81), id(83), id(84)]);
    assert!(l.waiting.is_empty());
    // Now 81 cancels too; two phones offline each see one free place and promise it, to 82 and 85.
    let o = w.op(
        1,
        t("2026-06-04 09:00"),
        EntityKind::SignUp,
        id(406),
        Body::SignUpAdd(SignUpFields {
            activity_id: act,
            volunteer_id: id(81),
            action: SignUpAction::Cancel,
            placed: false,
        }),
    );
    w.send(o).unwrap();
    let a = w.op(
        2,
        t("2026-06-05 09:00"),
        EntityKind::SignUp,
        id(407),
        Body::SignUpAdd(SignUpFields {
            activity_id: act,
            volunteer_id: id(82),
            action: SignUpAction::Join,
            placed: true,
        }),
    );
    let b = w.op(
        3,
        t("2026-06-05 09:00"),
        EntityKind::SignUp,
        id(408),
        Body::SignUpAdd(SignUpFields {
            activity_id: act,
            volunteer_id: id(85),
            action: SignUpAction::Join,
            placed: true,
        }),
    );
    // Both pass the check against the same state (each phone's), and both are kept.
    w.r.check(&a, &w.rules, a.hlc.ms).unwrap();
    w.r.check(&b, &w.rules, b.hlc.ms).unwrap();
    w.send(b).unwrap();
    w.send(a).unwrap();
    let l = w.r.sign_ups(C, act).unwrap();
    // 84, who moved up, keeps the place: in order of joining 83, 84, then the two promised ones.
    assert_eq!(ids(&l.placed), [id(83), id(84), id(82), id(85)]);
    assert!(l.over_booked);
    assert_eq!(l.over_by, 1);
}

#[test]
fn overdue_pairs() {
    let mut w = World::with_volunteer();
    // V5: a weekly visit to 张桂兰 from 1 June, visited on 3 June → due 10 June; on 12 June 2 days late.
    w.put(
        t("2026-06-01 09:00"),
        EntityKind::Pair,
        id(90),
        Body::PairPut(PairFields {
            volunteer_id: id(50),
            person_id: id(5),
            cadence: Cadence::WeeklyVisit,
            since: d("2026-06-01"),
            active: true,
        }),
    )
    .unwrap();
    // A daily call pair, called on 11 June → due 12 June: not late on the 12th.
    w.put(
        t("2026-06-01 09:00"),
        EntityKind::Pair,
        id(91),
        Body::PairPut(PairFields {
            volunteer_id: id(50),
            person_id: id(5),
            cadence: Cadence::DailyCall,
            since: d("2026-06-01"),
            active: true,
        }),
    )
    .unwrap();
    let mut visit = entry("2026-06-03", 60);
    visit.pair_id = Some(id(90));
    w.put(
        t("2026-06-03 12:00"),
        EntityKind::ServiceEntry,
        id(500),
        Body::ServiceEntryAdd(visit),
    )
    .unwrap();
    let mut call = entry("2026-06-11", 10);
    call.pair_id = Some(id(91));
    w.put(
        t("2026-06-11 12:00"),
        EntityKind::ServiceEntry,
        id(501),
        Body::ServiceEntryAdd(call),
    )
    .unwrap();
    let due = w.r.overdue_pairs(C, d("2026-06-12"), &w.rules.volunteers);
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].pair_id, due[0].last, due[0].due, due[0].days_overdue),
        (id(90), Some(d("2026-06-03")), d("2026-06-10"), 2)
    );
    // On 14 June the daily call is 2 days late too (due the 12th), and the visit 4.
    let due = w.r.overdue_pairs(C, d("2026-06-14"), &w.rules.volunteers);
    assert_eq!(
        due.iter()
            .map(|p| (p.pair_id, p.days_overdue))
            .collect::<Vec<_>>(),
        [(id(90), 4), (id(91), 2)]
    );
    // A pair's person must be a live person of the community.
    let e = w.put(
        t("2026-06-01 09:00"),
        EntityKind::Pair,
        id(92),
        Body::PairPut(PairFields {
            volunteer_id: id(50),
            person_id: id(999),
            cadence: Cadence::DailyCall,
            since: d("2026-06-01"),
            active: true,
        }),
    );
    assert_eq!(
        code(e),
        (ErrorCode::NotFound, Some("body.person_id".into()))
    );
}

/// Months (confirmed, pending minutes), entries (id, status, counts) and sessions (start, end, flagged).
type Totals = (
    Vec<(u64, u64)>,
    Vec<(Uuid, EntryStatus, bool)>,
    Vec<(i64, i64, bool)>,
);

/// The totals a replica shows: each volunteer's months, entries' statuses and sessions.
fn totals(r: &Replica) -> Totals {
    let months = r
        .volunteer_hours(C, id(50), d("2026-12-31"))
        .into_iter()
        .map(|m| (m.confirmed_minutes, m.pending_minutes))
        .collect();
    let entries = r
        .volunteer_entries(C, id(50))
        .into_iter()
        .map(|e| (e.id, e.status, e.counts))
        .collect();
    let sessions = r
        .volunteer_sessions(C, id(50))
        .into_iter()
        .map(|s| (s.start_ms, s.end_ms, s.closed_at_activity_end))
        .collect();
    (months, entries, sessions)
}

#[derive(Clone, Debug)]
enum Gen {
    Entry {
        eid: u8,
        month: u32,
        minutes: u32,
        corrects: Option<u8>,
    },
    Review {
        rid: u8,
        eid: u8,
        decision: u8,
    },
    Attend {
        aid: u8,
        out: bool,
        minute: u32,
    },
}

fn arb_gen() -> impl Strategy<Value = Gen> {
    prop_oneof![
        (0u8..8, 1u32..13, 1u32..600, prop::option::of(0u8..8)).prop_map(
            |(eid, month, minutes, corrects)| Gen::Entry {
                eid,
                month,
                minutes,
                corrects
            }
        ),
        (0u8..12, 0u8..8, 0u8..3).prop_map(|(rid, eid, decision)| Gen::Review {
            rid,
            eid,
            decision
        }),
        (0u8..2, any::<bool>(), 0u32..600).prop_map(|(aid, out, minute)| Gen::Attend {
            aid,
            out,
            minute
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// DESIGN.md sync model and V6: any replay, duplication or reordering of the entry, review and
    /// check-in operations through `Replica::apply` leaves every total unchanged.
    #[test]
    fn totals_do_not_depend_on_order_or_duplicates(
        gens in prop::collection::vec((arb_gen(), 0u64..50, 1u128..4), 0..30),
        dup_idx in prop::collection::vec(any::<prop::sample::Index>(), 0..15),
        seed in any::<u64>(),
    ) {
        let mut w = World::with_volunteer();
        w.activity(id(60), "2026-06-01", "22:00", "01:30", 5);
        w.activity(id(61), "2026-06-02", "09:00", "11:00", 5);
        let base = w.r.clone();
        let mut ops = Vec::new();
        for (k, (g, ms, device)) in gens.into_iter().enumerate() {
            let at = t("2026-12-31 12:00") + ms;
            let o = match g {
                Gen::Entry { eid, month, minutes, corrects } => {
                    let mut f = entry(&format!("2026-{month:02}-15"), minutes);
                    f.corrects = corrects.map(|c| id(1000 + c as u128));
                    f.reason = "改".into();
                    w.op(device, at, EntityKind::ServiceEntry, id(1000 + eid as u128), Body::ServiceEntryAdd(f))
                }
                Gen::Review { rid, eid, decision } => w.op(device, at, EntityKind::EntryReview, id(2000 + rid as u128), Body::EntryReviewAdd(EntryReviewFields {
                    entry_id: id(1000 + eid as u128),
                    decision: [EntryStatus::Pending, EntryStatus::Confirmed, EntryStatus::Declined][decision as usize],
                    by: "wang".into(),
                    at_ms: at,
                    reason: "r".into(),
                })),
                Gen::Attend { aid, out, minute } => w.op(device, at, EntityKind::Attendance, id(3000 + k as u128), Body::AttendanceAdd(AttendanceFields {
                    volunteer_id: id(50),
                    activity_id: id(60 + aid as u128),
                    direction: if out { Direction::Out } else { Direction::In },
                    at_ms: t("2026-06-01 20:00") + minute as u64 * 60_000,
                    by: RecordedBy::SelfCheck,
                })),
            };
            ops.push(o);
        }
        let mut a = base.clone();
        for o in &ops {
            a.apply(o);
        }
        let mut b_ops = ops.clone();
        if !ops.is_empty() {
            for i in &dup_idx {
                b_ops.push(ops[i.index(ops.len())].clone());
            }
        }
        let mut s = seed | 1;
        for i in (1..b_ops.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            b_ops.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut b = base.clone();
        for o in &b_ops {
            b.apply(o);
        }
        prop_assert_eq!(totals(&a), totals(&b));
        let sa = a.volunteer_stats(C, d("2026-12-31"), 100, &RuleSet::default().volunteers);
        let sb = b.volunteer_stats(C, d("2026-12-31"), 100, &RuleSet::default().volunteers);
        prop_assert_eq!(sa, sb);
        // Replaying everything again changes nothing.
        for o in &ops {
            b.apply(o);
        }
        prop_assert_eq!(totals(&a), totals(&b));
    }
}

/// RULES §3: a volunteer's own login receives teams, activities and sign-ups, and of the rest only their
/// own registration, check-ins, entries, the reviews of those entries and their pairs.
#[test]
fn a_volunteer_pulls_only_their_own_record() {
    let mut w = World::with_volunteer();
    let at = t("2026-01-02 09:00");
    // A second volunteer (60), not living here.
    w.put(
        at,
        EntityKind::Volunteer,
        id(60),
        Body::VolunteerPut(volunteer("赵六", None)),
    )
    .unwrap();
    w.activity(id(70), "2026-01-03", "09:00", "11:00", 5);
    for (sid, vid) in [(71, 50), (72, 60)] {
        w.put(
            at,
            EntityKind::SignUp,
            id(sid),
            Body::SignUpAdd(SignUpFields {
                activity_id: id(70),
                volunteer_id: id(vid),
                action: SignUpAction::Join,
                placed: false,
            }),
        )
        .unwrap();
    }
    // One entry each, and a review of each.
    for (eid, vid) in [(80, 50), (81, 60)] {
        let mut e = entry("2026-01-02", 60);
        e.volunteer_id = id(vid);
        w.put(
            at,
            EntityKind::ServiceEntry,
            id(eid),
            Body::ServiceEntryAdd(e),
        )
        .unwrap();
    }
    for (rid, eid) in [(90, 80), (91, 81)] {
        w.put(
            at + 1,
            EntityKind::EntryReview,
            id(rid),
            Body::EntryReviewAdd(EntryReviewFields {
                entry_id: id(eid),
                decision: EntryStatus::Confirmed,
                by: "wang".into(),
                at_ms: at + 1,
                reason: String::new(),
            }),
        )
        .unwrap();
    }
    let seen = |me: u128| -> Vec<(EntityKind, Uuid)> {
        w.ops
            .iter()
            .filter(|o| visible_to_volunteer(id(me), o, &w.r))
            .map(|o| (o.entity.kind, o.entity.id))
            .collect()
    };
    use EntityKind::*;
    assert_eq!(
        seen(50),
        vec![
            (Volunteer, id(50)),
            (Volunteer, id(50)),
            (Activity, id(70)),
            (SignUp, id(71)),
            (SignUp, id(72)),
            (ServiceEntry, id(80)),
            (EntryReview, id(90)),
        ]
    );
    // The other volunteer: no household, person or compound, and nothing of volunteer 50's.
    assert_eq!(
        seen(60),
        vec![
            (Volunteer, id(60)),
            (Activity, id(70)),
            (SignUp, id(71)),
            (SignUp, id(72)),
            (ServiceEntry, id(81)),
            (EntryReview, id(91)),
        ]
    );
}
