//! The standards self-check on the server (issue 14): entries for manual and checklist rows are ordinary
//! operations, checked by the core (an unknown or computed row, an input of the wrong kind), kept to their
//! community (RULES H1) and to staff (a volunteer's own phone cannot enter them).

use super::*;
use linli_core::EntityKind;
use linli_core::protocol::OpStatus;
use linli_core::standards::StandardEntryFields;
use linli_core::sync::Body;
use linli_tests::Device;
use serde_json::json;
use uuid::Uuid;

fn entry(d: &mut Device, indicator: &str, input: serde_json::Value) -> linli_core::Operation {
    d.op(
        EntityKind::StandardEntry,
        Uuid::now_v7(),
        Body::StandardEntryAdd(StandardEntryFields {
            indicator_id: indicator.into(),
            input,
            note: String::new(),
            evidence: "台账第 3 册".into(),
            entered_by: d.author.clone(),
            at_ms: linli_tests::now_ms(),
            photos: vec![],
        }),
    )
}

#[tokio::test]
async fn entries_are_checked_and_kept_to_their_community() {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let ok = entry(&mut d, "ZZ-STAR-CIV-1", json!({"done": true}));
    let computed = entry(&mut d, "SIX-29", json!({"num": 1, "den": 10}));
    let wrong = entry(&mut d, "ZZ-OFF-AREA-2", json!({"done": true}));
    let r = alice
        .push(&d.push_request(vec![ok.clone(), computed, wrong]))
        .await
        .unwrap();
    let got: Vec<_> = r
        .results
        .iter()
        .map(|r| (r.status, r.field.clone()))
        .collect();
    assert_eq!(
        got,
        vec![
            (OpStatus::Accepted, None),
            (OpStatus::Rejected, Some("body.indicator_id".into())),
            (OpStatus::Rejected, Some("body.input.done".into())),
        ]
    );
    // Another community's staff neither read it nor write into this community.
    s.add_user("bob", "staff", "c2");
    let bob = s.client("bob").await;
    assert!(bob.pull_all(0).await.unwrap().is_empty());
    let mut forged = Device::new("bob", COMMUNITY);
    let op = entry(&mut forged, "ZZ-STAR-CIV-1", json!({"done": false}));
    let e = bob.push(&forged.push_request(vec![op])).await.unwrap_err();
    assert!(e.contains("403"), "{e}");
    // c1 still holds the one entry it accepted.
    let ops = alice.pull_all(0).await.unwrap();
    assert_eq!(
        ops.iter()
            .filter(|o| o.entity.kind == EntityKind::StandardEntry)
            .count(),
        1
    );
}
