//! Ballots in the sync model (RULES R4, R5, issue 3): append-only, checked against the project, and two
//! devices that collected a ballot for the same household offline converge (latest cast wins, both kept).

use linli_core::date::Date;
use linli_core::hlc::Hlc;
use linli_core::renovation::*;
use linli_core::roster::*;

use linli_core::sync::*;
use linli_core::{ErrorCode, RuleSet};
use uuid::Uuid;

// 2026-05-10 12:00 China time.
const NOW: u64 = 1_778_385_600_000;
const DAY: u64 = 86_400_000;

fn v7(n: u64) -> Uuid {
    let ts = uuid::Timestamp::from_unix_time(1_778_000_000 + n, 0, 0, 0);
    let mut b = *Uuid::new_v7(ts).as_bytes();
    b[8..16].copy_from_slice(&(n | 0x8000_0000_0000_0000).to_be_bytes());
    Uuid::from_bytes(b)
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn op(n: u64, device: u128, ms: u64, kind: EntityKind, entity: Uuid, body: Body) -> Operation {
    Operation {
        v: OP_FORMAT_VERSION,
        id: v7(n),
        device_id: id(device),
        author: "wang".into(),
        hlc: Hlc { ms, n: 0 },
        community: "c1".into(),
        entity: EntityRef { kind, id: entity },
        body,
    }
}

/// A compound (1) with a building (2), a unit (3), households 10 and 11; another compound (5) with household 50;
/// a project (20) open 6–15 May 2026 with grace 2 days, menu items 30 (lift, special) and 31.
fn world() -> (Replica, RuleSet) {
    let rules = RuleSet::default();
    let mut r = Replica::new();
    let setup = vec![
        op(
            1,
            1,
            NOW,
            EntityKind::Compound,
            id(1),
            Body::CompoundPut(CompoundFields {
                name: "幸福里".into(),
                address: String::new(),
                year_built: Some(1995),
            }),
        ),
        op(
            2,
            1,
            NOW,
            EntityKind::Building,
            id(2),
            Body::BuildingPut(BuildingFields {
                compound_id: id(1),
                name: "1号楼".into(),
            }),
        ),
        op(
            3,
            1,
            NOW,
            EntityKind::Unit,
            id(3),
            Body::UnitPut(UnitFields {
                building_id: id(2),
                name: "1单元".into(),
            }),
        ),
        op(
            4,
            1,
            NOW,
            EntityKind::Household,
            id(10),
            Body::HouseholdPut(HouseholdFields {
                unit_id: id(3),
                door: "101".into(),
                area_m2: 80.0,
                owners: 1,
            }),
        ),
        op(
            5,
            1,
            NOW,
            EntityKind::Household,
            id(11),
            Body::HouseholdPut(HouseholdFields {
                unit_id: id(3),
                door: "102".into(),
                area_m2: 60.0,
                owners: 1,
            }),
        ),
        op(
            6,
            1,
            NOW,
            EntityKind::Compound,
            id(5),
            Body::CompoundPut(CompoundFields {
                name: "别的小区".into(),
                address: String::new(),
                year_built: None,
            }),
        ),
        op(
            7,
            1,
            NOW,
            EntityKind::Building,
            id(6),
            Body::BuildingPut(BuildingFields {
                compound_id: id(5),
                name: "9号楼".into(),
            }),
        ),
        op(
            8,
            1,
            NOW,
            EntityKind::Unit,
            id(7),
            Body::UnitPut(UnitFields {
                building_id: id(6),
                name: "1单元".into(),
            }),
        ),
        op(
            9,
            1,
            NOW,
            EntityKind::Household,
            id(50),
            Body::HouseholdPut(HouseholdFields {
                unit_id: id(7),
                door: "901".into(),
                area_m2: 70.0,
                owners: 1,
            }),
        ),
        op(
            10,
            1,
            NOW,
            EntityKind::Project,
            id(20),
            Body::ProjectPut(ProjectFields {
                compound_id: id(1),
                name: "幸福里综合整治".into(),
                kind: RenovationKind::Comprehensive,
                year_built: Some(1995),
                dangerous_c: 0,
                dangerous_d: 1,
                survey_opens: Date::parse("2026-05-06").unwrap(),
                survey_closes: Date::parse("2026-05-15").unwrap(),
                grace_days: 2,
                show_running_results: false,
                notice_posted: None,
                design_notice_posted: None,
                consultation_rounds: vec![],
                representative_meeting: None,
                return_rate_pct: None,
            }),
        ),
        op(
            11,
            1,
            NOW,
            EntityKind::MenuItem,
            id(30),
            Body::MenuItemPut(MenuItemFields {
                project_id: id(20),
                catalogue: Some("lift".into()),
                class: ItemClass::Upgrade,
                name: "加装电梯".into(),
                name_en: String::new(),
                description: String::new(),
                cost_yuan: 600_000.0,
                share_per_household_yuan: Some(5000.0),
                owners_decision: true,
                matter: Matter::Special,
                position: 0,
                electorate: Default::default(),
            }),
        ),
        op(
            12,
            1,
            NOW,
            EntityKind::MenuItem,
            id(31),
            Body::MenuItemPut(MenuItemFields {
                project_id: id(20),
                catalogue: Some("roofs".into()),
                class: ItemClass::Basic,
                name: "屋顶防水".into(),
                name_en: String::new(),
                description: String::new(),
                cost_yuan: 80_000.0,
                share_per_household_yuan: None,
                owners_decision: false,
                matter: Matter::Ordinary,
                position: 1,
                electorate: Default::default(),
            }),
        ),
    ];
    for o in &setup {
        r.check(o, &rules, NOW)
            .unwrap_or_else(|e| panic!("{:?}: {e}", o.body));
        r.apply(o);
    }
    (r, rules)
}

fn ballot(
    n: u64,
    device: u128,
    household: u128,
    agree: bool,
    items: &[u128],
    cast_at_ms: u64,
) -> Operation {
    op(
        n,
        device,
        cast_at_ms,
        EntityKind::Ballot,
        v7(1000 + n),
        Body::BallotCast(BallotFields {
            project_id: id(20),
            household_id: id(household),
            agree,
            items: items.iter().map(|i| id(*i)).collect(),
            cast_at_ms,
            channel: BallotChannel::Staff,
        }),
    )
}

#[test]
fn two_devices_collect_the_same_household_offline_and_converge() {
    let (base, rules) = world();
    // Phone A recorded "agree, lift" at 10:00; phone B recorded "disagree" for the same door at 11:00.
    let a = ballot(100, 7, 10, true, &[30], NOW - 2 * 3_600_000);
    let b = ballot(101, 8, 10, false, &[], NOW - 3_600_000);
    let (mut x, mut y) = (base.clone(), base.clone());
    for o in [&a, &b] {
        x.check(o, &rules, NOW).unwrap();
        x.apply(o);
    }
    for o in [&b, &a] {
        y.check(o, &rules, NOW).unwrap();
        y.apply(o);
    }
    assert_eq!(x, y);
    assert_eq!(x.ballots(id(20)).len(), 2, "both kept in history");
    let t = x.tally("c1", id(20), &rules).unwrap();
    assert_eq!((t.coverage.responded, t.coverage.total), (1, 2));
    assert_eq!(
        t.agreement.households, 0,
        "the later answer (disagree) counts"
    );
    // The menu is in R2 class order: basic (roofs) before upgrade (lift).
    let (roofs, lift) = (&t.items[0], &t.items[1]);
    assert_eq!(
        (roofs.id.as_str(), lift.id.as_str()),
        (id(31).to_string().as_str(), id(30).to_string().as_str())
    );
    assert_eq!(lift.households, 0);
    assert_eq!(
        lift.art278.matter,
        Matter::Special,
        "the lift is decided as a special matter"
    );
    assert_eq!(roofs.art278.matter, Matter::Ordinary);
}

#[test]
fn ballots_are_checked_against_the_project() {
    let (mut r, rules) = world();
    let ok = ballot(200, 7, 10, true, &[30, 31], NOW);
    r.check(&ok, &rules, NOW).unwrap();
    r.apply(&ok);
    // Append-only: the same ballot entity cannot be written again, nor deleted.
    let mut again = ballot(201, 7, 10, false, &[], NOW);
    again.entity = ok.entity;
    assert_eq!(
        r.check(&again, &rules, NOW).unwrap_err().field.as_deref(),
        Some("entity.id")
    );
    let del = op(202, 7, NOW, EntityKind::Ballot, ok.entity.id, Body::Delete);
    assert_eq!(
        r.check(&del, &rules, NOW).unwrap_err().code,
        ErrorCode::InvalidRequest
    );
    // A household of another compound, an item not on the menu, an unknown project.
    let other = ballot(203, 7, 50, true, &[], NOW);
    assert_eq!(
        r.check(&other, &rules, NOW).unwrap_err().code,
        ErrorCode::NotInProject
    );
    let bad_item = ballot(204, 7, 11, true, &[31, 99], NOW);
    let e = r.check(&bad_item, &rules, NOW).unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::NotInProject, Some("body.items[1]"))
    );
    let mut no_project = ballot(205, 7, 11, true, &[], NOW);
    if let Body::BallotCast(f) = &mut no_project.body {
        f.project_id = id(999);
    }
    assert_eq!(
        r.check(&no_project, &rules, NOW).unwrap_err().code,
        ErrorCode::NotFound
    );
}

#[test]
fn ballots_after_close_or_after_the_grace_period_are_refused() {
    let (r, rules) = world();
    let closes = end_of_day_ms(Date::parse("2026-05-15").unwrap()) as u64;
    // Cast after the close.
    let late = ballot(300, 7, 11, true, &[], closes + 1000);
    assert_eq!(
        r.check(&late, &rules, closes + 2000).unwrap_err().code,
        ErrorCode::SurveyClosed
    );
    // Cast offline before the close, reaching the server one day later: inside the 2-day grace period.
    let offline = ballot(301, 7, 11, true, &[], closes - 1000);
    assert!(r.check(&offline, &rules, closes + DAY).is_ok());
    // …three days later: too late, with a reason.
    let e = r.check(&offline, &rules, closes + 3 * DAY).unwrap_err();
    assert_eq!(e.code, ErrorCode::ArrivedTooLate);
    assert!(e.message(linli_core::Lang::Zh).contains("补交期限"));
    // Before the survey opened.
    let early = ballot(302, 7, 11, true, &[], NOW - 10 * DAY);
    assert_eq!(
        r.check(&early, &rules, NOW).unwrap_err().code,
        ErrorCode::SurveyNotOpen
    );
}

#[test]
fn a_menu_items_electorate_is_a_place_of_the_projects_compound_and_its_tally_runs_over_it() {
    let (mut r, rules) = world();
    let lift = |n: u64, electorate: Electorate| {
        op(
            n,
            1,
            NOW,
            EntityKind::MenuItem,
            id(30),
            Body::MenuItemPut(MenuItemFields {
                project_id: id(20),
                catalogue: Some("lift".into()),
                class: ItemClass::Upgrade,
                name: "加装电梯".into(),
                name_en: String::new(),
                description: String::new(),
                cost_yuan: 600_000.0,
                share_per_household_yuan: Some(5000.0),
                owners_decision: true,
                matter: Matter::Special,
                position: 0,
                electorate,
            }),
        )
    };
    // Unit 7 is in the other compound: refused, naming the field.
    let e = r
        .check(&lift(40, Electorate::Unit { id: id(7) }), &rules, NOW)
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::NotInProject, Some("body.electorate.id"))
    );
    let e = r
        .check(&lift(41, Electorate::Building { id: id(99) }), &rules, NOW)
        .unwrap_err();
    assert_eq!(e.code, ErrorCode::NotInProject);
    // Unit 3 is the project's: the lift is now decided by households 10 and 11 only.
    let ok = lift(42, Electorate::Unit { id: id(3) });
    r.check(&ok, &rules, NOW).unwrap();
    r.apply(&ok);
    let b = ballot(43, 7, 10, true, &[30], NOW - 3_600_000);
    r.check(&b, &rules, NOW).unwrap();
    r.apply(&b);
    let t = r.tally("c1", id(20), &rules).unwrap();
    let item = t.items.iter().find(|i| i.id == id(30).to_string()).unwrap();
    let e = item.electorate.as_ref().unwrap();
    assert_eq!((e.responded, e.total), (1, 2));
    assert_eq!(item.households, 1);
    // A disagreeing ballot with items is refused before anything else.
    let e = r
        .check(
            &ballot(44, 7, 11, false, &[31], NOW - 3_600_000),
            &rules,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::ItemsWithoutAgreement, Some("body.items"))
    );
}

#[test]
fn one_households_ballots_and_door_are_found_by_id() {
    let (mut r, rules) = world();
    // Household 10 agrees (lift) on 7 May, household 11 agrees on 8 May, household 10 changes its
    // mind on 9 May.
    for o in [
        ballot(200, 7, 10, true, &[30], NOW - 3 * DAY),
        ballot(201, 7, 11, true, &[31], NOW - 2 * DAY),
        ballot(202, 7, 10, false, &[], NOW - DAY),
    ] {
        r.check(&o, &rules, NOW).unwrap();
        r.apply(&o);
    }
    let mine = r.household_ballots(id(20), id(10));
    assert_eq!(
        mine.iter()
            .map(|b| (b.fields.agree, b.fields.items.clone(), b.fields.cast_at_ms))
            .collect::<Vec<_>>(),
        [
            (true, vec![id(30)], NOW - 3 * DAY),
            (false, vec![], NOW - DAY)
        ]
    );
    assert_eq!(r.household_ballots(id(20), id(11)).len(), 1);
    assert_eq!(r.household_ballots(id(20), id(50)).len(), 0);
    assert_eq!(r.ballots(id(20)).len(), 3);

    let door = r.door("c1", id(10)).unwrap();
    assert_eq!(
        (door.building_id, door.building.as_str(), door.unit.as_str()),
        (id(2), "1号楼", "1单元")
    );
    assert_eq!(
        (door.household.id, door.household.fields.door.as_str()),
        (id(10), "101")
    );
    assert_eq!(r.door("c1", id(50)).unwrap().building, "9号楼");
    assert!(r.door("c1", id(99)).is_none(), "no such household");
    assert!(r.door("c2", id(10)).is_none(), "another community's");

    // Compounds come from the index of records without a parent, which follows deletes.
    let names =
        |r: &Replica| -> Vec<String> { r.compounds().into_iter().map(|c| c.fields.name).collect() };
    assert_eq!(names(&r), ["别的小区", "幸福里"]);
    r.apply(&op(203, 1, NOW, EntityKind::Compound, id(5), Body::Delete));
    assert_eq!(names(&r), ["幸福里"]);
}

#[test]
fn a_menu_item_is_removed_until_a_ballot_chooses_it() {
    // Issue 9 (menu editor) and R4: item 31 is removed while no ballot names it; item 30, once a
    // household chose it, stays, with the reason; a removed item cannot be chosen any more.
    let (mut r, rules) = world();
    let b = ballot(300, 7, 10, true, &[30], NOW - 3_600_000);
    r.check(&b, &rules, NOW).unwrap();
    r.apply(&b);
    let del30 = op(301, 1, NOW, EntityKind::MenuItem, id(30), Body::Delete);
    let e = r.check(&del30, &rules, NOW).unwrap_err();
    assert_eq!(e.code, ErrorCode::ChosenInBallots);
    assert_eq!(
        e.message(linli_core::Lang::Zh),
        "已有住户选了这个项目，不能删除"
    );
    let del31 = op(302, 1, NOW, EntityKind::MenuItem, id(31), Body::Delete);
    r.check(&del31, &rules, NOW).unwrap();
    r.apply(&del31);
    assert_eq!(
        r.menu(id(20)).iter().map(|m| m.id).collect::<Vec<_>>(),
        vec![id(30)]
    );
    let e = r
        .check(
            &ballot(303, 7, 11, true, &[31], NOW - 3_600_000),
            &rules,
            NOW,
        )
        .unwrap_err();
    assert_eq!(
        (e.code, e.field.as_deref()),
        (ErrorCode::NotInProject, Some("body.items[0]"))
    );
}
