//! Tests of the renovation tally (RULES R4, R5, R9) with hand-worked cases, and its independence of ballot order.

use linli_core::RuleSet;
use linli_core::renovation::*;
use proptest::prelude::*;
use serde_json::json;

fn rules() -> linli_core::rules::RenovationRules {
    RuleSet::default().renovation
}

fn hh(id: &str, area: f64, owners: u32) -> VoterHousehold {
    VoterHousehold {
        id: id.into(),
        area_m2: area,
        owners,
    }
}

fn ballot(id: &str, agree: bool, items: &[&str], at: u64) -> Ballot {
    Ballot {
        household_id: id.into(),
        agree,
        items: items.iter().map(|s| s.to_string()).collect(),
        cast_at: CastAt::Ms(at),
    }
}

fn equal_households(n: usize) -> Vec<VoterHousehold> {
    (0..n).map(|i| hh(&format!("h{i}"), 60.0, 1)).collect()
}

#[test]
fn coverage_exactly_two_thirds_counts_just_under_does_not() {
    // R5: "至少覆盖2/3户数" — 200 of 300 is exactly two thirds.
    let mut input = TallyInput {
        households: equal_households(300),
        ballots: vec![],
        items: vec![],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    input.ballots = (0..200)
        .map(|i| ballot(&format!("h{i}"), true, &[], 1))
        .collect();
    let t = input.tally(&rules()).unwrap();
    assert_eq!((t.coverage.responded, t.coverage.total), (200, 300));
    assert!(t.coverage.met);
    input.ballots.pop();
    assert!(
        !input.tally(&rules()).unwrap().coverage.met,
        "199 of 300 is just under"
    );
    // A household answering twice is still one response.
    input.ballots.push(ballot("h0", false, &[], 2));
    assert_eq!(input.tally(&rules()).unwrap().coverage.responded, 199);
}

#[test]
fn last_answer_counts() {
    // R4: the household changed its mind; only the later ballot counts, whatever order they arrive in.
    let input = TallyInput {
        households: equal_households(3),
        ballots: vec![
            ballot("h0", false, &[], 20),
            ballot("h0", true, &["lift"], 10),
            ballot("h1", true, &["lift", "roof"], 5),
        ],
        items: vec!["lift".into(), "roof".into()],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    let t = input.tally(&rules()).unwrap();
    assert_eq!(t.agreement.households, 1);
    assert_eq!(
        t.items[0].households, 1,
        "h0's later ballot dropped the lift"
    );
    assert_eq!(t.items[1].households, 1);
    assert_eq!(t.changed_answers, 1);
}

#[test]
fn area_and_headcount_disagree() {
    // A: 200 m², B, C, D: 50 m² each; one owner each. A, B, C take part: area 300/350, headcount 3/4.
    let households = vec![
        hh("A", 200.0, 1),
        hh("B", 50.0, 1),
        hh("C", 50.0, 1),
        hh("D", 50.0, 1),
    ];
    // Only A consents: area 200/300 is more than half, headcount 1/3 is not → ordinary matter fails.
    let input = TallyInput {
        households: households.clone(),
        ballots: vec![
            ballot("A", true, &[], 1),
            ballot("B", false, &[], 1),
            ballot("C", false, &[], 1),
        ],
        items: vec![],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    let t = input.tally(&rules()).unwrap();
    assert!(t.art278.participation.meets);
    assert!((t.art278.consent.area_ratio - 200.0 / 300.0).abs() < 1e-9);
    assert!(!t.art278.passed);
    assert!(
        t.art278
            .explanation_zh
            .contains("同意的人数未达到参与人数的过半数"),
        "{}",
        t.art278.explanation_zh
    );
    assert!(!t.art278.explanation_zh.contains("同意的面积未达到"));
    // B and C consent, A does not: headcount 2/3 passes, area 100/300 does not.
    let input = TallyInput {
        ballots: vec![
            ballot("A", false, &[], 1),
            ballot("B", true, &[], 1),
            ballot("C", true, &[], 1),
        ],
        ..input
    };
    let t = input.tally(&rules()).unwrap();
    assert!(!t.art278.passed);
    assert!(
        t.art278
            .explanation_en
            .contains("consenting area is not more than half"),
        "{}",
        t.art278.explanation_en
    );
    assert!(
        !t.art278
            .explanation_en
            .contains("consenting owners are not")
    );
    // Participation: B, C, D take part (3 of 4 owners) but hold only 150 of 350 m² → invalid vote.
    let input = TallyInput {
        ballots: vec![
            ballot("B", true, &[], 1),
            ballot("C", true, &[], 1),
            ballot("D", true, &[], 1),
        ],
        ..input
    };
    let t = input.tally(&rules()).unwrap();
    assert!(!t.art278.participation.meets);
    assert!(!t.art278.passed);
    assert!(t.art278.explanation_zh.contains("参与表决的专有面积不足"));
    assert!(
        t.coverage.met,
        "coverage by households is met even though the area test fails"
    );
}

#[test]
fn special_matter_three_quarters_exactly_and_ordinary_half_exactly() {
    let mut input = TallyInput {
        households: equal_households(4),
        ballots: vec![
            ballot("h0", true, &[], 1),
            ballot("h1", true, &[], 1),
            ballot("h2", true, &[], 1),
            ballot("h3", false, &[], 1),
        ],
        items: vec![],
        matter: Matter::Special,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    assert!(
        input.tally(&rules()).unwrap().art278.passed,
        "3 of 4 is exactly three quarters"
    );
    input.ballots[2].agree = false;
    input.matter = Matter::Ordinary;
    assert!(
        !input.tally(&rules()).unwrap().art278.passed,
        "2 of 4 is not more than half"
    );
}

#[test]
fn per_item_art278_and_unknown_households() {
    let input = TallyInput {
        households: vec![hh("a", 80.0, 2), hh("b", 70.0, 1), hh("c", 90.5, 1)],
        ballots: vec![
            ballot("a", true, &["lift"], 1),
            ballot("b", true, &["lift", "not-on-menu"], 1),
            ballot("c", false, &[], 1),
            ballot("stranger", true, &["lift"], 1),
        ],
        items: vec!["lift".into(), "roof".into()],
        matter: Matter::Special,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    let t = input.tally(&rules()).unwrap();
    assert_eq!(t.unknown_ballots, 1);
    assert_eq!(t.items[0].households, 2);
    assert_eq!(t.items[0].area_m2, 150.0);
    // Lift: 150 of 240.5 m² participating (62%) < 3/4 → fails; owners 3 of 4 = 3/4 → meets.
    assert!(!t.items[0].art278.passed);
    assert_eq!(t.items[0].art278.consent.owners, 3);
    assert_eq!(t.items[1].households, 0);
}

#[test]
fn bad_input_names_the_field() {
    let input = TallyInput {
        households: vec![hh("a", -1.0, 1)],
        ballots: vec![],
        items: vec![],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    assert_eq!(
        input.tally(&rules()).unwrap_err().field.as_deref(),
        Some("households[0].area_m2")
    );
    let input = TallyInput {
        households: vec![hh("a", 1.0, 1), hh("a", 2.0, 1)],
        ballots: vec![],
        items: vec![],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    assert_eq!(
        input.tally(&rules()).unwrap_err().field.as_deref(),
        Some("households[1].id")
    );
    let r: serde_json::Value = serde_json::from_str(&linli_core::embed::handle(
        r#"{"fn":"renovation.tally","args":{"households":[{"id":"a","area_m2":"big"}],"ballots":[]}}"#,
    ))
    .unwrap();
    assert_eq!(r["error"]["code"], "invalid_request");
}

#[test]
fn embedding_api_answers_a_tally() {
    let req = json!({"fn":"renovation.tally","args":{
        "households":[{"id":"101","area_m2":72.5,"owners":2},{"id":"102","area_m2":60},{"id":"201","area_m2":60}],
        "ballots":[{"household_id":"101","agree":true,"items":["lift"],"cast_at":"2026-05-06T10:00:00+08:00"},
                   {"household_id":"102","agree":true,"items":[],"cast_at":"2026-05-06T11:00:00+08:00"}],
        "items":["lift"],"matter":"special"}});
    let r: serde_json::Value =
        serde_json::from_str(&linli_core::embed::handle(&req.to_string())).unwrap();
    let ok = &r["ok"];
    assert_eq!(
        ok["coverage"],
        json!({"responded":2,"total":3,"ratio":2.0/3.0,"threshold":{"num":2,"den":3,"strict":false},"met":true})
    );
    assert_eq!(ok["art278"]["passed"], true);
    assert_eq!(ok["items"][0]["households"], 1);
}

#[test]
fn a_lift_is_decided_by_its_unit() {
    // Unit A: a1, a2 (50 m² each); unit B: b1, b2, b3 (100 m² each). The lift (special matter) is for
    // unit A. a1 and a2 want it; b1 wants it too but is not in its electorate; b2 disagrees.
    let input = TallyInput {
        households: vec![
            hh("a1", 50.0, 1),
            hh("a2", 50.0, 1),
            hh("b1", 100.0, 1),
            hh("b2", 100.0, 1),
            hh("b3", 100.0, 1),
        ],
        ballots: vec![
            ballot("a1", true, &["lift"], 1),
            ballot("a2", true, &["lift"], 2),
            ballot("b1", true, &["lift"], 3),
            ballot("b2", false, &[], 4),
        ],
        items: vec!["lift".into()],
        matter: Matter::Ordinary,
        item_matters: [("lift".to_string(), Matter::Special)].into(),
        item_electorates: [("lift".to_string(), vec!["a1".to_string(), "a2".to_string()])].into(),
    };
    let t = input.tally(&rules()).unwrap();
    let lift = &t.items[0];
    // Over unit A: 2 of 2 answered (coverage met), both chose it: 100 of 100 m², 2 of 2 owners ≥ 3/4.
    assert_eq!(lift.households, 2, "b1 is not in the electorate");
    assert_eq!(lift.area_m2, 100.0);
    assert_eq!(lift.ratio_of_responded, 1.0);
    let e = lift.electorate.as_ref().unwrap();
    assert_eq!((e.responded, e.total, e.met), (2, 2, true));
    assert!(lift.art278.passed, "{}", lift.art278.explanation_zh);
    // Over the whole compound the same answers would fail: consent 200 of 300 m² is under 3/4.
    let whole = TallyInput {
        item_electorates: Default::default(),
        ..input
    };
    let t = whole.tally(&rules()).unwrap();
    assert_eq!(t.items[0].households, 3);
    assert!(t.items[0].electorate.is_none());
    assert!(!t.items[0].art278.passed);
    assert!(
        t.items[0]
            .art278
            .explanation_zh
            .contains("同意的面积未达到参与面积的四分之三"),
        "{}",
        t.items[0].art278.explanation_zh
    );
}

#[test]
fn a_household_that_disagrees_chooses_no_items() {
    let input = TallyInput {
        households: equal_households(2),
        ballots: vec![ballot("h0", false, &["lift"], 1)],
        items: vec!["lift".into()],
        matter: Matter::Ordinary,
        item_matters: Default::default(),
        item_electorates: Default::default(),
    };
    let e = input.tally(&rules()).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("ballots[0].items"));
    assert_eq!(
        e.message(linli_core::Lang::Zh),
        "不同意改造的住户不能选择改造项目"
    );
}

fn arb_ballot() -> impl Strategy<Value = Ballot> {
    (
        0usize..12,
        any::<bool>(),
        prop::collection::vec(0usize..4, 0..4),
        0u64..5,
    )
        .prop_map(|(h, agree, items, at)| Ballot {
            household_id: format!("h{h}"),
            agree,
            // R4: a household that disagrees chooses no items.
            items: if agree {
                items.into_iter().map(|i| format!("i{i}")).collect()
            } else {
                vec![]
            },
            cast_at: CastAt::Ms(at),
        })
}

proptest! {
    /// The tally depends on the set of ballots, not the order they arrive in (two devices, any sync order).
    #[test]
    fn tally_does_not_depend_on_ballot_order(ballots in prop::collection::vec(arb_ballot(), 0..40), seed in any::<u64>(), special in any::<bool>()) {
        let households: Vec<_> = (0..10).map(|i| hh(&format!("h{i}"), 40.0 + i as f64 * 7.3, 1 + i % 3)).collect();
        let items: Vec<String> = (0..3).map(|i| format!("i{i}")).collect();
        let matter = if special { Matter::Special } else { Matter::Ordinary };
        let a = TallyInput { households: households.clone(), ballots: ballots.clone(), items: items.clone(), matter, item_matters: Default::default(), item_electorates: Default::default() };
        let mut shuffled = ballots;
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let b = TallyInput { households, ballots: shuffled, items, matter, item_matters: Default::default(), item_electorates: Default::default() };
        prop_assert_eq!(a.tally(&rules()).unwrap(), b.tally(&rules()).unwrap());
    }
}
