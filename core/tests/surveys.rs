//! Integration tests of the surveys feature (RULES §4, S1–S6; H4) through `Replica::check` and `apply`:
//! versions (a draft begun under version 3 submitted after version 4), the state checks, due lists with
//! hand-worked dates, the ledger with volunteers' pair services, S6 conflicts, and a property test that
//! responses, visits and reviews merged in any order give the same ledger and household statuses.

use linli_core::date::Date;
use linli_core::hlc::Hlc;
use linli_core::roster::*;
use linli_core::surveys::*;
use linli_core::sync::*;
use linli_core::volunteers::*;
use linli_core::{ErrorCode, RuleError, RuleSet};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
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

const FORM: u128 = 900;
const HH: u128 = 4;
const HH2: u128 = 5;
const ZHANG: u128 = 10;
const LI: u128 = 11;

struct World {
    r: Replica,
    rules: RuleSet,
    n: u64,
}

impl World {
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

    fn send(&mut self, o: Operation) -> Result<(), RuleError> {
        self.r.check(&o, &self.rules, o.hlc.ms)?;
        self.r.apply(&o);
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

    /// A compound, building 1号楼 with households 101 (id 4: 张桂兰, 80+, helper device; 李明,
    /// unemployed) and 102 (id 5, nobody on record), and the needs form at versions 3 and 4.
    fn new() -> World {
        let mut w = World {
            r: Replica::new(),
            rules: RuleSet::default(),
            n: 0,
        };
        let at = t("2026-01-01 09:00");
        let bodies = [
            (
                EntityKind::Compound,
                1,
                Body::CompoundPut(CompoundFields {
                    name: "幸福里".into(),
                    address: String::new(),
                    year_built: None,
                }),
            ),
            (
                EntityKind::Building,
                2,
                Body::BuildingPut(BuildingFields {
                    compound_id: id(1),
                    name: "1号楼".into(),
                }),
            ),
            (
                EntityKind::Unit,
                3,
                Body::UnitPut(UnitFields {
                    building_id: id(2),
                    name: "1单元".into(),
                }),
            ),
            (
                EntityKind::Household,
                HH,
                Body::HouseholdPut(HouseholdFields {
                    unit_id: id(3),
                    door: "101".into(),
                    area_m2: 60.0,
                    owners: 1,
                }),
            ),
            (
                EntityKind::Household,
                HH2,
                Body::HouseholdPut(HouseholdFields {
                    unit_id: id(3),
                    door: "102".into(),
                    area_m2: 55.0,
                    owners: 1,
                }),
            ),
            (
                EntityKind::Person,
                ZHANG,
                Body::PersonPut(PersonFields {
                    household_id: id(HH),
                    name: "张桂兰".into(),
                    sex: Some(Sex::Female),
                    birth_year: Some(1941),
                    phone: String::new(),
                    key_groups: vec![KeyGroup::Aged80Plus, KeyGroup::HelperDevice65Plus],
                    party_member: false,
                    student: false,
                }),
            ),
            (
                EntityKind::Person,
                LI,
                Body::PersonPut(PersonFields {
                    household_id: id(HH),
                    name: "李明".into(),
                    sex: None,
                    birth_year: None,
                    phone: String::new(),
                    key_groups: vec![KeyGroup::Unemployed],
                    party_member: false,
                    student: false,
                }),
            ),
        ];
        for (k, n, b) in bodies {
            w.put(at, k, id(n), b).unwrap();
        }
        w.publish(3, version(3, false), t("2026-01-02 09:00"))
            .unwrap();
        w
    }

    fn publish(&mut self, rec: u128, f: FormVersionFields, at: u64) -> Result<(), RuleError> {
        self.put(
            at,
            EntityKind::FormVersion,
            id(rec),
            Body::FormVersionAdd(f),
        )
    }

    fn response_op(&mut self, device: u128, rid: u128, r: SurveyResponseFields) -> Operation {
        let at = r.submitted_at_ms;
        self.op(
            device,
            at,
            EntityKind::SurveyResponse,
            id(rid),
            Body::SurveyResponseAdd(r),
        )
    }

    fn respond(&mut self, rid: u128, r: SurveyResponseFields) -> Result<(), RuleError> {
        let o = self.response_op(1, rid, r);
        self.send(o)
    }

    fn visit(
        &mut self,
        vid: u128,
        hh: u128,
        date: &str,
        status: HouseholdStatus,
    ) -> Result<(), RuleError> {
        let at = t(&format!("{date} 10:00"));
        self.put(
            at,
            EntityKind::Visit,
            id(vid),
            Body::VisitAdd(VisitFields {
                household_id: id(hh),
                status,
                date: d(date),
                collector: "li".into(),
                note: String::new(),
            }),
        )
    }
}

/// The needs form: version 3 has `birth_year` (bound), `lives_alone`, and `care` (single: meals, nurse)
/// shown when living alone; version 4 (`v4`) adds a required `income` and drops the choice `nurse`.
fn version(v: u32, v4: bool) -> FormVersionFields {
    let mut questions = json!([
        {"id":"birth_year","type":"number","required":true,"min":1900,"max":2100,"label_zh":"出生年份","label_en":"Year of birth","binds":"person_birth_year"},
        {"id":"lives_alone","type":"yesno","required":true,"label_zh":"独居","label_en":"Lives alone"},
        {"id":"care","type":"single","required":true,"label_zh":"照护","label_en":"Care",
         "choices":[{"id":"meals","label_zh":"助餐","label_en":"meals"},{"id":"nurse","label_zh":"护理","label_en":"nursing"}],
         "show_if":{"q":"lives_alone","op":"eq","value":true}}
    ]);
    if v4 {
        questions[2]["choices"].as_array_mut().unwrap().pop();
        questions.as_array_mut().unwrap().push(json!({"id":"income","type":"number","required":true,"min":0,"label_zh":"月收入","label_en":"Monthly income"}));
    }
    FormVersionFields {
        form_id: id(FORM),
        version: v,
        purpose: Purpose::Needs,
        title_zh: "需求调查".into(),
        title_en: "Needs survey".into(),
        questions: serde_json::from_value(questions).unwrap(),
    }
}

fn answers(v: Value) -> BTreeMap<String, Value> {
    serde_json::from_value(v).unwrap()
}

fn response(
    rec: u128,
    v: u32,
    person: Option<u128>,
    a: Value,
    started: &str,
    submitted: &str,
) -> SurveyResponseFields {
    SurveyResponseFields {
        form_id: id(FORM),
        form_version: v,
        form_version_id: id(rec),
        household_id: id(HH),
        person_id: person.map(id),
        answers: answers(a),
        collector: "li".into(),
        device: id(1),
        started_at_ms: t(started),
        submitted_at_ms: t(submitted),
        fixes: None,
        seen: vec![],
    }
}

fn code_field(e: RuleError) -> (ErrorCode, String) {
    (e.code, e.field.unwrap_or_default())
}

/// Issue 11 versions: a draft begun under version 3 is submitted under version 3 after version 4 is
/// published — validated against version 3 (where `nurse` is a choice and `income` no question); the
/// same answers named as version 4 are refused. A version is never replaced.
#[test]
fn a_version_3_draft_submitted_after_version_4() {
    let mut w = World::new();
    // Version 4 published while the collector is at the door, offline, on version 3.
    w.publish(4, version(4, true), t("2026-03-01 09:00"))
        .unwrap();
    assert_eq!(
        w.r.latest_form_version(C, id(FORM)).unwrap().fields.version,
        4
    );
    let a = json!({"birth_year":1941,"lives_alone":true,"care":"nurse"});
    let draft = response(
        3,
        3,
        Some(ZHANG),
        a.clone(),
        "2026-02-28 16:00",
        "2026-03-01 10:00",
    );
    w.respond(100, draft.clone()).unwrap();
    // The same answers under version 4: `nurse` is gone and `income` required.
    let mut v4 = response(4, 4, Some(ZHANG), a, "2026-03-01 11:00", "2026-03-01 11:05");
    assert_eq!(
        code_field(w.respond(101, v4.clone()).unwrap_err()),
        (ErrorCode::InvalidAnswer, "body.answers.care".into())
    );
    v4.answers = answers(json!({"birth_year":1941,"lives_alone":true,"care":"meals"}));
    assert_eq!(
        code_field(w.respond(101, v4.clone()).unwrap_err()),
        (ErrorCode::Required, "body.answers.income".into())
    );
    v4.answers.insert("income".into(), json!(1800));
    w.respond(101, v4).unwrap();
    // A version is never replaced nor renumbered below the newest.
    assert_eq!(
        code_field(
            w.publish(3, version(3, false), t("2026-03-02 09:00"))
                .unwrap_err()
        )
        .1,
        "entity.id"
    );
    assert_eq!(
        code_field(
            w.publish(5, version(4, false), t("2026-03-02 09:00"))
                .unwrap_err()
        ),
        (ErrorCode::OutOfRange, "body.version".into())
    );
    // A response names an existing version, with its form and number.
    let mut bad = draft.clone();
    bad.form_version_id = id(77);
    assert_eq!(
        code_field(w.respond(102, bad).unwrap_err()),
        (ErrorCode::NotFound, "body.form_version_id".into())
    );
    let mut bad = draft.clone();
    bad.form_version = 4;
    assert_eq!(
        code_field(w.respond(102, bad).unwrap_err()).1,
        "body.form_version"
    );
    // Its person is of its household; a hidden question's answer is refused.
    let mut bad = draft.clone();
    bad.household_id = id(HH2);
    assert_eq!(
        code_field(w.respond(102, bad).unwrap_err()),
        (ErrorCode::NotFound, "body.person_id".into())
    );
    let mut bad = draft.clone();
    bad.answers = answers(json!({"birth_year":1941,"lives_alone":false,"care":"meals"}));
    let e = w.respond(102, bad).unwrap_err();
    assert_eq!(
        (e.code, e.detail.as_deref()),
        (ErrorCode::InvalidAnswer, Some("not_shown"))
    );
    // Never changed: a second write of the same response is refused.
    assert_eq!(
        code_field(w.respond(100, draft).unwrap_err()).1,
        "entity.id"
    );
}

/// Reviews: of an existing response only; "has issues" carries a comment; a fix names the old response,
/// which then no longer counts.
#[test]
fn reviews_and_fixes() {
    let mut w = World::new();
    let a = json!({"birth_year":1941,"lives_alone":false});
    w.respond(
        100,
        response(
            3,
            3,
            Some(ZHANG),
            a.clone(),
            "2026-03-01 10:00",
            "2026-03-01 10:05",
        ),
    )
    .unwrap();
    let review = |rid: u128, verdict, comment: &str| ResponseReviewFields {
        response_id: id(rid),
        verdict,
        comment: comment.into(),
        by: "wang".into(),
        at_ms: t("2026-03-02 09:00"),
    };
    let at = t("2026-03-02 09:00");
    assert_eq!(
        code_field(
            w.put(
                at,
                EntityKind::ResponseReview,
                id(200),
                Body::ResponseReviewAdd(review(999, Verdict::Approved, ""))
            )
            .unwrap_err()
        ),
        (ErrorCode::NotFound, "body.response_id".into())
    );
    assert_eq!(
        code_field(
            w.put(
                at,
                EntityKind::ResponseReview,
                id(200),
                Body::ResponseReviewAdd(review(100, Verdict::HasIssues, ""))
            )
            .unwrap_err()
        ),
        (ErrorCode::Required, "body.comment".into())
    );
    w.put(
        at,
        EntityKind::ResponseReview,
        id(200),
        Body::ResponseReviewAdd(review(100, Verdict::HasIssues, "出生年份请核对身份证")),
    )
    .unwrap();
    let mut fix = response(
        3,
        3,
        Some(ZHANG),
        json!({"birth_year":1942,"lives_alone":false}),
        "2026-03-03 10:00",
        "2026-03-03 10:02",
    );
    fix.fixes = Some(id(999));
    assert_eq!(
        code_field(w.respond(101, fix.clone()).unwrap_err()),
        (ErrorCode::NotFound, "body.fixes".into())
    );
    fix.fixes = Some(id(100));
    fix.seen = vec![id(100)];
    w.respond(101, fix).unwrap();
    let rs = w.r.household_responses(id(HH));
    assert_eq!(rs[0].review.as_ref().unwrap().verdict, Verdict::HasIssues);
    assert_eq!(rs[0].fixed_by, [id(101)]);
    assert!(!rs[0].counts() && rs[1].counts());
    // The fix saw the old one: a correction, not a conflict; the latest value is offered next time.
    assert!(w.r.survey_conflicts(C, id(HH)).is_empty());
    assert_eq!(
        w.r.bound_values(C, id(HH), Some(id(ZHANG)))[&Bind::PersonBirthYear],
        json!(1942)
    );
    // A visit dated after its change's clock is refused.
    let o = w.op(
        1,
        t("2026-03-03 10:00"),
        EntityKind::Visit,
        id(300),
        Body::VisitAdd(VisitFields {
            household_id: id(HH),
            status: HouseholdStatus::NotHome,
            date: d("2026-03-04"),
            collector: "li".into(),
            note: String::new(),
        }),
    );
    assert_eq!(
        code_field(w.send(o).unwrap_err()),
        (ErrorCode::InFuture, "body.date".into())
    );
}

/// S1 with hand-worked dates (six calendar months): as of 2026-12-01, 张桂兰 surveyed 2026-05-31 is due
/// (since 2026-11-30); 李明 surveyed 2026-06-02 is not (due 2026-12-02). A household-wide response
/// (no person) surveys both. Nobody in 102 has a key group, so nobody there is listed.
#[test]
fn needs_survey_due_list() {
    let mut w = World::new();
    let rules = w.rules.surveys.clone();
    // Never surveyed: both due.
    let due = w.r.needs_survey_due(C, d("2026-12-01"), &rules);
    assert_eq!(
        due.iter()
            .map(|x| (x.person_id, x.last_survey))
            .collect::<Vec<_>>(),
        [(id(ZHANG), None), (id(LI), None)]
    );
    let a = json!({"birth_year":1941,"lives_alone":false});
    w.respond(
        100,
        response(3, 3, Some(ZHANG), a, "2026-05-31 10:00", "2026-05-31 10:20"),
    )
    .unwrap();
    w.respond(
        101,
        response(
            3,
            3,
            Some(LI),
            json!({"birth_year":1980,"lives_alone":false}),
            "2026-06-02 10:00",
            "2026-06-02 10:20",
        ),
    )
    .unwrap();
    let due = w.r.needs_survey_due(C, d("2026-12-01"), &rules);
    assert_eq!(
        due,
        [NeedsDue {
            person_id: id(ZHANG),
            last_survey: Some(d("2026-05-31")),
            due_since: Some(d("2026-11-30"))
        }]
    );
    assert_eq!(w.r.needs_survey_due(C, d("2026-12-02"), &rules).len(), 2);
    // A household-wide needs response on 2026-11-15 surveys both.
    w.respond(
        102,
        response(
            3,
            3,
            None,
            json!({"birth_year":1941,"lives_alone":false}),
            "2026-11-15 10:00",
            "2026-11-15 10:20",
        ),
    )
    .unwrap();
    assert!(w.r.needs_survey_due(C, d("2026-12-02"), &rules).is_empty());
    // A rejected response does not count.
    w.put(
        t("2026-11-16 09:00"),
        EntityKind::ResponseReview,
        id(200),
        Body::ResponseReviewAdd(ResponseReviewFields {
            response_id: id(102),
            verdict: Verdict::Rejected,
            comment: String::new(),
            by: "wang".into(),
            at_ms: t("2026-11-16 09:00"),
        }),
    )
    .unwrap();
    assert_eq!(w.r.needs_survey_due(C, d("2026-12-02"), &rules).len(), 2);
}

/// S2: 张桂兰 (65+ with a helper device) needs 4 visits a year. 2026: answered visits 01-10 and 04-02,
/// a not-at-home on 05-05 (does not count), a response on 04-02 (the same day: once) and one on 07-08:
/// 3 visits as of 2026-09-30, 1 short; a visit of 2025 does not count. 李明 has no helper device.
#[test]
fn helper_device_visits_due() {
    let mut w = World::new();
    let rules = w.rules.surveys.clone();
    w.visit(300, HH, "2025-12-30", HouseholdStatus::Answered)
        .unwrap();
    w.visit(301, HH, "2026-01-10", HouseholdStatus::Answered)
        .unwrap();
    w.visit(302, HH, "2026-04-02", HouseholdStatus::Answered)
        .unwrap();
    w.visit(303, HH, "2026-05-05", HouseholdStatus::NotHome)
        .unwrap();
    let a = json!({"birth_year":1941,"lives_alone":false});
    w.respond(
        100,
        response(
            3,
            3,
            Some(ZHANG),
            a.clone(),
            "2026-04-02 10:00",
            "2026-04-02 10:30",
        ),
    )
    .unwrap();
    w.respond(
        101,
        response(3, 3, Some(ZHANG), a, "2026-07-08 10:00", "2026-07-08 10:30"),
    )
    .unwrap();
    assert_eq!(
        w.r.helper_visits_due(C, d("2026-09-30"), &rules),
        [VisitsDue {
            person_id: id(ZHANG),
            visits: 3,
            required: 4,
            short: 1
        }]
    );
    w.visit(304, HH, "2026-10-20", HouseholdStatus::Answered)
        .unwrap();
    assert!(w.r.helper_visits_due(C, d("2026-12-31"), &rules).is_empty());
}

/// S4 on the merged state: 101 answered, 102 not at home → on the revisit list; coverage 1 / 2.
#[test]
fn status_revisit_and_coverage() {
    let mut w = World::new();
    w.visit(300, HH, "2026-03-01", HouseholdStatus::NotHome)
        .unwrap();
    w.respond(
        100,
        response(
            3,
            3,
            Some(ZHANG),
            json!({"birth_year":1941,"lives_alone":false}),
            "2026-03-02 10:00",
            "2026-03-02 10:20",
        ),
    )
    .unwrap();
    w.visit(301, HH2, "2026-03-02", HouseholdStatus::NotHome)
        .unwrap();
    assert_eq!(
        w.r.household_survey_status(id(HH), None),
        HouseholdStatus::Answered
    );
    assert_eq!(
        w.r.household_survey_status(id(HH), Some(d("2026-04-01"))),
        HouseholdStatus::NotVisited
    );
    let revisit: Vec<String> =
        w.r.revisit_list(id(1), None)
            .into_iter()
            .map(|d| d.household.fields.door)
            .collect();
    assert_eq!(revisit, ["102"]);
    let c = w.r.survey_coverage(id(1), None);
    assert_eq!(
        (
            c.total.total,
            c.total.visited,
            c.total.answered,
            c.total.outstanding,
            c.total.coverage
        ),
        (2, 2, 1, 1, 0.5)
    );
    assert_eq!(c.buildings[0].building, "1号楼");
}

/// S1 ledger: 101's responses and visits and a volunteer's confirmed visit to 张桂兰 through a pair (V5),
/// by date; a pending claim is left out. 李明's ledger has the household's visit but not 张桂兰's response
/// or pair service.
#[test]
fn ledger_with_pair_services() {
    let mut w = World::new();
    let at = t("2026-02-01 09:00");
    w.put(
        at,
        EntityKind::Volunteer,
        id(50),
        Body::VolunteerPut(VolunteerFields {
            name: "王芳".into(),
            phone: String::new(),
            id_number: String::new(),
            person_id: None,
            skills: vec![],
            teams: vec![],
            party_member: false,
            student: false,
            consent: true,
            registered_on: d("2026-02-01"),
            status: None,
        }),
    )
    .unwrap();
    w.put(
        at,
        EntityKind::Pair,
        id(60),
        Body::PairPut(PairFields {
            volunteer_id: id(50),
            person_id: id(ZHANG),
            cadence: Cadence::WeeklyVisit,
            since: d("2026-02-01"),
            active: true,
        }),
    )
    .unwrap();
    let entry = |date: &str, source| ServiceEntryFields {
        volunteer_id: id(50),
        date: d(date),
        place: String::new(),
        content: "陪聊读报".into(),
        minutes: 60,
        from_ms: None,
        to_ms: None,
        activity_id: None,
        pair_id: Some(id(60)),
        source,
        recorded_by: "wang".into(),
        corrects: None,
        reason: String::new(),
    };
    w.put(
        t("2026-03-05 18:00"),
        EntityKind::ServiceEntry,
        id(70),
        Body::ServiceEntryAdd(entry("2026-03-05", EntrySource::Staff)),
    )
    .unwrap();
    w.put(
        t("2026-03-06 18:00"),
        EntityKind::ServiceEntry,
        id(71),
        Body::ServiceEntryAdd(entry("2026-03-06", EntrySource::Claim)),
    )
    .unwrap();
    w.visit(300, HH, "2026-03-05", HouseholdStatus::NotHome)
        .unwrap();
    w.respond(
        100,
        response(
            3,
            3,
            Some(ZHANG),
            json!({"birth_year":1941,"lives_alone":false}),
            "2026-03-07 10:00",
            "2026-03-07 10:20",
        ),
    )
    .unwrap();
    let kinds = |l: &[LedgerEntry]| -> Vec<(String, Uuid)> {
        l.iter().map(|e| (e.date.to_string(), e.id)).collect()
    };
    let hl = w.r.household_ledger(C, id(HH));
    // 03-05: the service (stamp 18:00) after the visit (stamp 10:00) — the stamp breaks the tie.
    assert_eq!(
        kinds(&hl),
        [
            ("2026-03-05".into(), id(300)),
            ("2026-03-05".into(), id(70)),
            ("2026-03-07".into(), id(100))
        ]
    );
    assert!(
        matches!(&hl[1].item, LedgerItem::Service { minutes: 60, person_id, .. } if *person_id == id(ZHANG))
    );
    assert_eq!(kinds(&w.r.person_ledger(C, id(ZHANG))), kinds(&hl));
    assert_eq!(
        kinds(&w.r.person_ledger(C, id(LI))),
        [("2026-03-05".into(), id(300))]
    );
    let v = serde_json::to_value(&hl[2]).unwrap();
    assert_eq!(
        (
            v["kind"].as_str(),
            v["form_version"].as_u64(),
            v["title_zh"].as_str()
        ),
        (Some("response"), Some(3), Some("需求调查"))
    );
}

/// S6: two collectors offline each answer for 张桂兰 (neither saw the other) with different birth years:
/// one conflict with both values, nothing overwritten; staff settle it by writing the person's birth
/// year after both.
#[test]
fn two_collectors_offline_conflict() {
    let mut w = World::new();
    let mut a = response(
        3,
        3,
        Some(ZHANG),
        json!({"birth_year":1941,"lives_alone":false}),
        "2026-03-01 10:00",
        "2026-03-01 10:10",
    );
    a.collector = "li".into();
    let mut b = response(
        3,
        3,
        Some(ZHANG),
        json!({"birth_year":1943,"lives_alone":false}),
        "2026-03-01 15:00",
        "2026-03-01 15:10",
    );
    b.collector = "zhao".into();
    let (oa, ob) = (w.response_op(2, 100, a), w.response_op(3, 101, b));
    w.send(ob).unwrap();
    w.send(oa).unwrap();
    let c = w.r.survey_conflicts(C, id(HH));
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].bind, c[0].person_id),
        (Bind::PersonBirthYear, Some(id(ZHANG)))
    );
    assert_eq!(
        [c[0].values[0].value.clone(), c[0].values[1].value.clone()],
        [json!(1941), json!(1943)]
    );
    // Both responses are kept.
    assert_eq!(w.r.household_responses(id(HH)).len(), 2);
    let mut p = w.r.person(C, id(ZHANG)).unwrap().fields;
    p.birth_year = Some(1943);
    w.put(
        t("2026-03-02 09:00"),
        EntityKind::Person,
        id(ZHANG),
        Body::PersonPut(p),
    )
    .unwrap();
    assert!(w.r.survey_conflicts(C, id(HH)).is_empty());
    assert_eq!(
        w.r.bound_values(C, id(HH), Some(id(ZHANG)))[&Bind::PersonBirthYear],
        json!(1943)
    );
}

/// S5 on the merged state: the satisfaction starter form, three responses; environment 2 of 3 satisfied.
#[test]
fn satisfaction_from_responses() {
    let mut w = World::new();
    let form = starter_form("satisfaction").unwrap();
    w.publish(
        20,
        FormVersionFields::from_form(id(901), &form),
        t("2026-01-02 09:00"),
    )
    .unwrap();
    let all_good: serde_json::Map<String, Value> = form
        .questions
        .iter()
        .filter(|q| q.topic.is_some())
        .map(|q| (q.id.clone(), json!("satisfied")))
        .collect();
    for (k, env) in ["very_satisfied", "satisfied", "dissatisfied"]
        .iter()
        .enumerate()
    {
        let mut a = all_good.clone();
        a.insert("environment".into(), json!(env));
        let mut r = response(
            20,
            1,
            None,
            Value::Object(a),
            "2026-04-01 10:00",
            "2026-04-01 10:10",
        );
        r.form_id = id(901);
        r.household_id = id(if k == 0 { HH } else { HH2 });
        w.respond(100 + k as u128, r).unwrap();
    }
    let rates =
        w.r.satisfaction(C, d("2026-01-01"), d("2026-12-31"), &w.rules.surveys);
    let env = rates.iter().find(|r| r.topic == "environment").unwrap();
    assert_eq!(
        (env.answered, env.satisfied, env.threshold, env.met),
        (3, 2, 0.9, false)
    );
    let police = rates.iter().find(|r| r.topic == "police").unwrap();
    assert_eq!((police.satisfied, police.rate, police.met), (3, 1.0, true));
    assert_eq!(rates.len(), 9);
    // The standards self-check reads the same rates (issue 14): SIX-9 (environment ≥ 90 %) is 2 of 3,
    // ⌈2.7⌉ − 2 = 1 respondent short; SIX-45a (police) 3 of 3.
    use linli_core::exact::Exact;
    use linli_core::standards::{self, Input, Status};
    let inputs = w.r.standards_inputs(C, 2026, d("2026-12-31"), &w.rules);
    let share = |n, d| Input::Share {
        num: Exact::int(n),
        den: Exact::int(d),
    };
    assert_eq!(inputs["SIX-9"], share(2, 3));
    assert_eq!(inputs["SIX-45a"], share(3, 3));
    let six = standards::inputs::for_standard("six-type", &inputs);
    let e =
        standards::evaluate("six-type", &w.rules, "default", 2026, d("2026-12-31"), &six).unwrap();
    let r9 = e.indicators.iter().find(|r| r.id == "SIX-9").unwrap();
    assert_eq!(
        (r9.status, r9.gap.as_ref().map(|g| g.amount.clone())),
        (Status::NotMet, Some(json!(1)))
    );
}

#[derive(Clone, Debug)]
enum Gen {
    Response {
        rid: u8,
        hh: bool,
        day: u8,
        person: bool,
        fixes: Option<u8>,
    },
    Visit {
        hh: bool,
        day: u8,
        status: u8,
    },
    Review {
        rid: u8,
        verdict: u8,
    },
}

fn arb_gen() -> impl Strategy<Value = Gen> {
    prop_oneof![
        (
            0u8..6,
            any::<bool>(),
            1u8..20,
            any::<bool>(),
            prop::option::of(0u8..6)
        )
            .prop_map(|(rid, hh, day, person, fixes)| Gen::Response {
                rid,
                hh,
                day,
                person,
                fixes
            }),
        (any::<bool>(), 1u8..20, 0u8..5).prop_map(|(hh, day, status)| Gen::Visit {
            hh,
            day,
            status
        }),
        (0u8..6, 0u8..3).prop_map(|(rid, verdict)| Gen::Review { rid, verdict }),
    ]
}

type Snapshot = (
    Vec<LedgerEntry>,
    Vec<LedgerEntry>,
    Vec<LedgerEntry>,
    [HouseholdStatus; 2],
    usize,
);

fn snapshot(r: &Replica) -> Snapshot {
    (
        r.household_ledger(C, id(HH)),
        r.household_ledger(C, id(HH2)),
        r.person_ledger(C, id(ZHANG)),
        [
            r.household_survey_status(id(HH), None),
            r.household_survey_status(id(HH2), None),
        ],
        r.survey_conflicts(C, id(HH)).len(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// DESIGN.md sync model and S1/S4: responses, visits and reviews applied in any order, with
    /// duplicates, give the same ledgers, the same household statuses and the same conflicts.
    #[test]
    fn ledger_and_status_do_not_depend_on_order(
        gens in prop::collection::vec((arb_gen(), 0u64..3_600_000, 1u128..4), 0..30),
        dup_idx in prop::collection::vec(any::<prop::sample::Index>(), 0..10),
        seed in any::<u64>(),
    ) {
        let mut w = World::new();
        let base = w.r.clone();
        let statuses = [HouseholdStatus::NotVisited, HouseholdStatus::Answered, HouseholdStatus::NotHome, HouseholdStatus::Refused, HouseholdStatus::Vacant];
        let mut ops = Vec::new();
        for (k, (g, ms, device)) in gens.into_iter().enumerate() {
            let o = match g {
                Gen::Response { rid, hh, day, person, fixes } => {
                    let at = t(&format!("2026-04-{day:02} 10:00")) + ms;
                    let mut r = response(3, 3, person.then_some(ZHANG), json!({"birth_year": 1940 + (k % 3), "lives_alone": false}), "2026-04-01 08:00", "2026-04-01 08:00");
                    r.household_id = id(if hh { HH } else { HH2 });
                    if !hh { r.person_id = None; }
                    r.started_at_ms = at - 60_000;
                    r.submitted_at_ms = at;
                    r.fixes = fixes.map(|f| id(1000 + f as u128));
                    r.seen = fixes.map(|f| id(1000 + f as u128)).into_iter().collect();
                    w.op(device, at, EntityKind::SurveyResponse, id(1000 + rid as u128), Body::SurveyResponseAdd(r))
                }
                Gen::Visit { hh, day, status } => {
                    let at = t(&format!("2026-04-{day:02} 09:00")) + ms;
                    w.op(device, at, EntityKind::Visit, id(3000 + k as u128), Body::VisitAdd(VisitFields {
                        household_id: id(if hh { HH } else { HH2 }), status: statuses[status as usize],
                        date: d(&format!("2026-04-{day:02}")), collector: format!("c{device}"), note: String::new() }))
                }
                Gen::Review { rid, verdict } => {
                    let at = t("2026-04-25 09:00") + ms;
                    w.op(device, at, EntityKind::ResponseReview, id(2000 + k as u128), Body::ResponseReviewAdd(ResponseReviewFields {
                        response_id: id(1000 + rid as u128), verdict: [Verdict::Approved, Verdict::HasIssues, Verdict::Rejected][verdict as usize],
                        comment: "请核对".into(), by: "wang".into(), at_ms: at }))
                }
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
        prop_assert_eq!(snapshot(&a), snapshot(&b));
    }
}

/// The operation JSON of each surveys body round-trips (internally tagged body, untagged conditions,
/// choices as objects), and unknown fields are refused.
#[test]
fn operation_json_round_trips() {
    let mut w = World::new();
    let bodies = [
        (
            EntityKind::FormVersion,
            Body::FormVersionAdd(FormVersionFields::from_form(
                id(901),
                &starter_form("needs-survey").unwrap(),
            )),
        ),
        (
            EntityKind::SurveyResponse,
            Body::SurveyResponseAdd(response(
                3,
                3,
                Some(ZHANG),
                json!({"birth_year":1941,"lives_alone":false}),
                "2026-03-01 10:00",
                "2026-03-01 10:10",
            )),
        ),
        (
            EntityKind::Visit,
            Body::VisitAdd(VisitFields {
                household_id: id(HH),
                status: HouseholdStatus::Vacant,
                date: d("2026-03-01"),
                collector: "li".into(),
                note: "空置".into(),
            }),
        ),
        (
            EntityKind::SurveyAssignment,
            Body::SurveyAssignmentPut(SurveyAssignmentFields {
                building_id: id(2),
                collector: "li".into(),
            }),
        ),
        (
            EntityKind::ResponseReview,
            Body::ResponseReviewAdd(ResponseReviewFields {
                response_id: id(100),
                verdict: Verdict::Approved,
                comment: String::new(),
                by: "wang".into(),
                at_ms: 1,
            }),
        ),
    ];
    for (k, b) in bodies {
        let o = w.op(1, t("2026-03-02 09:00"), k, id(555), b);
        let text = serde_json::to_string(&o).unwrap();
        assert_eq!(
            serde_json::from_str::<Operation>(&text).unwrap(),
            o,
            "{text}"
        );
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["body"]["surprise"] = json!(1);
        assert!(serde_json::from_value::<Operation>(v).is_err(), "{k:?}");
    }
    assert_eq!(EntityKind::SurveyResponse.as_str(), "survey_response");
    assert!(EntityKind::Visit.append_only() && !EntityKind::SurveyAssignment.append_only());
}
