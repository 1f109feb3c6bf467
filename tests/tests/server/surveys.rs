//! Door-to-door surveys on the server (issue 11, RULES §4): forms, visits, responses and reviews pushed
//! through `/api/sync/push`, then the responses' export (CSV and XLSX, labels in the asked language,
//! phones masked, fixes marked), XLSForm import (the expected form; every problem named by sheet and
//! row) and export (the starter forms of S1, S3, S5 round-trip), the due lists (S1, S2) for a
//! hand-worked date, who may read what (RULES H1), and logs without a whole phone number.

use super::*;
use linli_core::Operation;
use linli_core::date::Date;
use linli_core::protocol::OpStatus;
use linli_core::roster::KeyGroup;
use linli_core::surveys::{Form, FormVersionFields, HouseholdStatus, Verdict, starter_form};
use linli_tests::Device;
use serde_json::{Value, json};
use uuid::Uuid;

const PHONE: &str = "13812341234";

/// 2025-06-01 and 2025-06-02, 09:50 and 10:00 China time, in Unix ms.
const JUN1_0950: u64 = 1_748_742_600_000;
const JUN1_1000: u64 = 1_748_743_200_000;
const JUN2_0950: u64 = 1_748_829_000_000;
const JUN2_1000: u64 = 1_748_829_600_000;

async fn push_ok(c: &Client, d: &Device, ops: Vec<Operation>) {
    let r = c.push(&d.push_request(ops)).await.unwrap();
    for res in &r.results {
        assert_eq!(res.status, OpStatus::Accepted, "{res:?}");
    }
}

async fn get(s: &TestServer, token: &str, path: &str) -> (u16, Vec<u8>) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

async fn get_json(s: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let r = s
        .http
        .get(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    status_json(r).await
}

async fn import(s: &TestServer, token: &str, bytes: Vec<u8>) -> (u16, Value) {
    let r = s
        .http
        .post(s.url("/api/surveys/forms/import"))
        .bearer_auth(token)
        .header(
            "Content-Type",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        .body(bytes)
        .send()
        .await
        .unwrap();
    status_json(r).await
}

fn text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap()
}

/// A compound 幸福里 with 1号楼 1单元 doors 101 and 102.
struct Place {
    compound: Uuid,
    building: Uuid,
    h101: Uuid,
    h102: Uuid,
}

async fn place(alice: &Client, d: &mut Device) -> Place {
    let (compound, c) = d.compound("幸福里");
    let (building, b) = d.building(compound, "1号楼");
    let (u, uo) = d.unit(building, "1单元");
    let (h101, h1) = d.household(u, "101", 60.0);
    let (h102, h2) = d.household(u, "102", 70.0);
    push_ok(alice, d, vec![c, b, uo, h1, h2]).await;
    Place {
        compound,
        building,
        h101,
        h102,
    }
}

/// Version 1: age (number 0–120), lives alone (yes/no), phone (bound to the person's phone, S6);
/// version 2 adds needs (multiple choice).
fn care_form(version: u32) -> Form {
    let mut questions = json!([
        {"id":"age","type":"number","required":true,"label_zh":"年龄","label_en":"Age","min":0,"max":120},
        {"id":"alone","type":"yesno","required":true,"label_zh":"独居","label_en":"Lives alone"},
        {"id":"phone","type":"text","label_zh":"电话","label_en":"Phone","binds":"person_phone"}
    ]);
    if version == 2 {
        questions.as_array_mut().unwrap().push(json!(
            {"id":"needs","type":"multi","label_zh":"需求","label_en":"Needs",
             "choices":[{"id":"meals","label_zh":"送餐","label_en":"meals"},
                        {"id":"medical","label_zh":"就医","label_en":"medical"}]}
        ));
    }
    serde_json::from_value(
        json!({"id":"care","version":version,"title_zh":"居家养老","title_en":"Home care",
        "questions":questions}),
    )
    .unwrap()
}

/// Two responses about 张三 of 101: the first (version 1) returned with issues and fixed by the second
/// (version 2), which is approved.
struct Responses {
    s: TestServer,
    alice: Client,
    d: Device,
    place: Place,
    form_id: Uuid,
    v1: Uuid,
}

async fn two_responses() -> Responses {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let place = place(&alice, &mut d).await;
    let (zhang, p) = d.person(place.h101, "张三", PHONE, vec![KeyGroup::Elderly]);
    let form_id = Uuid::now_v7();
    let (f1, f2) = (care_form(1), care_form(2));
    let (v1, v1_op) = d.form_version(form_id, &f1);
    let (v2, v2_op) = d.form_version(form_id, &f2);
    let (fv1, fv2) = (
        FormVersionFields::from_form(form_id, &f1),
        FormVersionFields::from_form(form_id, &f2),
    );
    let (r1, r1_op) = d.response(
        (v1, &fv1),
        place.h101,
        Some(zhang),
        json!({"age":70,"alone":true,"phone":PHONE}),
        (JUN1_0950, JUN1_1000),
        None,
    );
    let issues = d.review(r1, Verdict::HasIssues, "年龄有误");
    let (r2, r2_op) = d.response(
        (v2, &fv2),
        place.h101,
        Some(zhang),
        json!({"age":71,"alone":true,"phone":PHONE,"needs":["meals","medical"]}),
        (JUN2_0950, JUN2_1000),
        Some(r1),
    );
    let ok = d.review(r2, Verdict::Approved, "");
    push_ok(&alice, &d, vec![p, v1_op, v2_op, r1_op, issues, r2_op, ok]).await;
    Responses {
        s,
        alice,
        d,
        place,
        form_id,
        v1,
    }
}

#[tokio::test]
async fn responses_export_one_row_each_with_labels_and_masked_phones() {
    let fx = two_responses().await;
    let (s, token, f) = (&fx.s, &fx.alice.token, fx.form_id);
    let (status, csv) = get(s, token, &format!("/api/surveys/forms/{f}/responses.csv")).await;
    assert_eq!(status, 200);
    let csv = text(csv);
    // Questions of both versions (version order); the fixed response marked, the fix too; a multiple
    // choice by its labels joined with 、; yes as 是; the bound phone masked.
    assert_eq!(
        csv,
        "\u{feff}户,姓名,采集人,开始时间,提交时间,问卷版本,审核状态,更正情况,年龄,独居,电话,需求\r\n\
         1号楼 1单元 101,张三,alice,2025-06-01 09:50,2025-06-01 10:00,1,有问题，请修改,已被更正,70,是,138****1234,\r\n\
         1号楼 1单元 101,张三,alice,2025-06-02 09:50,2025-06-02 10:00,2,已通过,更正答卷,71,是,138****1234,送餐、就医\r\n"
    );
    let (status, en) = get(
        s,
        token,
        &format!("/api/surveys/forms/{f}/responses.csv?lang=en"),
    )
    .await;
    assert_eq!(status, 200);
    let en = text(en);
    let mut lines = en.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "\u{feff}Household,Person,Collector,Started,Submitted,Form version,Review,Correction,Age,Lives alone,Phone,Needs"
    );
    assert_eq!(
        lines.next().unwrap(),
        "1号楼 1单元 101,张三,alice,2025-06-01 09:50,2025-06-01 10:00,1,has issues,fixed by a later response,70,Yes,138****1234,"
    );
    assert!(
        en.ends_with(",71,Yes,138****1234,\"meals, medical\"\r\n"),
        "{en}"
    );

    let (status, xlsx) = get(s, token, &format!("/api/surveys/forms/{f}/responses.xlsx")).await;
    assert_eq!(status, 200);
    let cells = xlsx_text(&xlsx);
    for h in [
        "户",
        "姓名",
        "采集人",
        "开始时间",
        "提交时间",
        "问卷版本",
        "审核状态",
        "更正情况",
        "年龄",
        "独居",
        "电话",
        "需求",
        "138****1234",
        "送餐、就医",
        "已被更正",
    ] {
        assert!(cells.contains(&format!(">{h}<")), "{h} in {cells}");
    }
    for body in [&csv, &en, &cells] {
        assert!(!body.contains(PHONE), "{body}");
    }
    let got = get_json(
        s,
        token,
        &format!("/api/surveys/forms/{f}/responses.csv?lang=fr"),
    )
    .await;
    assert_error(&got, 400, "out_of_range", Some("lang"));
}

#[tokio::test]
async fn another_community_finds_nothing_and_a_resident_is_refused() {
    let fx = two_responses().await;
    let (s, f, v1) = (&fx.s, fx.form_id, fx.v1);
    let paths = [
        format!("/api/surveys/forms/{f}/responses.csv"),
        format!("/api/surveys/forms/{f}/responses.xlsx"),
        format!("/api/surveys/forms/{v1}/xlsform"),
    ];
    // RULES H1: c2's staff find no such form (404), whichever id they try.
    s.add_user("bob", "staff", "c2");
    let bob = s.client("bob").await;
    for (path, field) in paths.iter().zip(["form_id", "form_id", "version_id"]) {
        let got = get_json(s, &bob.token, path).await;
        assert_error(&got, 404, "not_found", Some(field));
        assert_eq!(got.1["error"]["message"], "本社区没有这份问卷");
    }
    let got = get_json(s, &bob.token, "/api/surveys/forms/not-a-uuid/xlsform").await;
    assert_error(&got, 404, "not_found", Some("version_id"));
    // c2's due list is its own: the header alone.
    let (status, due) = get(s, &bob.token, "/api/surveys/due.csv?as_of=2025-12-01").await;
    assert_eq!(status, 200);
    assert_eq!(text(due).lines().count(), 1);

    // A resident's voting login opens none of them (403), nor the import.
    let mut d = fx.d.clone();
    let (project, p_op) = d.project(fx.place.compound, "综合整治", -1, 5, 2, false);
    push_ok(&fx.alice, &d, vec![p_op]).await;
    let r = s
        .http
        .post(s.url(&format!("/api/projects/{project}/codes")))
        .bearer_auth(&fx.alice.token)
        .json(&json!({ "households": [fx.place.h101] }))
        .send()
        .await
        .unwrap();
    let (status, codes) = status_json(r).await;
    assert_eq!(status, 200, "{codes}");
    let r = s
        .http
        .post(s.url("/api/vote/login"))
        .json(&json!({ "code": codes["codes"][0]["code"] }))
        .send()
        .await
        .unwrap();
    let (status, login) = status_json(r).await;
    assert_eq!(status, 200, "{login}");
    let resident = login["token"].as_str().unwrap().to_string();
    for path in paths.iter().chain([&"/api/surveys/due.csv".to_string()]) {
        let got = get_json(s, &resident, path).await;
        assert_error(&got, 403, "forbidden", Some("authorization"));
    }
    let got = import(s, &resident, vec![1, 2, 3]).await;
    assert_error(&got, 403, "forbidden", Some("authorization"));
    // No login: 401.
    let r = s
        .http
        .get(s.url("/api/surveys/due.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 401);
}

/// A workbook of `sheets`: each a name and its rows of text cells (the first row the header).
fn workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn an_xlsform_imports_as_the_expected_form_and_problems_are_all_named() {
    let s = start().await;
    let alice = s.client("alice").await;
    let survey = vec![
        vec![
            "type",
            "name",
            "label::Chinese (zh)",
            "label::English (en)",
            "required",
            "relevant",
            "constraint",
            "hint::zh",
            "hint::en",
        ],
        vec!["start", "start"],
        vec![
            "integer",
            "age",
            "年龄",
            "Age",
            "yes",
            "",
            ". >= 0 and . <= 120",
            "周岁",
            "Full years",
        ],
        vec![
            "note",
            "intro",
            "以下问题问 65 岁以上老人",
            "For those over 65",
        ],
        vec![
            "select_one care",
            "care",
            "需要的照护",
            "Care needed",
            "no",
            "${age} > 64",
        ],
    ];
    let choices = vec![
        vec![
            "list_name",
            "name",
            "label::Chinese (zh)",
            "label::English (en)",
        ],
        vec!["care", "meals", "送餐", "Meals"],
        vec!["care", "nurse", "护理", "Nursing"],
    ];
    let settings = vec![
        vec!["form_title::zh", "form_title::en", "version"],
        vec!["居家养老需求", "Home care needs", "2025060101"],
    ];
    let bytes = workbook(&[
        ("survey", survey.clone()),
        ("choices", choices.clone()),
        ("settings", settings.clone()),
    ]);
    let got = import(&s, &alice.token, bytes).await;
    assert_eq!(got.0, 200, "{}", got.1);
    let mut form = got.1["form"].clone();
    let id = form["id"].as_str().unwrap().to_string();
    assert_eq!(Uuid::parse_str(&id).unwrap().get_version_num(), 7);
    form.as_object_mut().unwrap().remove("id");
    // `start` (metadata) and the note are skipped; the integer's constraint is its range; the select's
    // relevant is its "show only if" (RULES §4, issue 11).
    assert_eq!(
        form,
        json!({
            "version": 1, "purpose": "other",
            "title_zh": "居家养老需求", "title_en": "Home care needs",
            "questions": [
                {"id":"age","type":"number","required":true,"label_zh":"年龄","label_en":"Age",
                 "help_zh":"周岁","help_en":"Full years","min":0.0,"max":120.0},
                {"id":"care","type":"single","required":false,"label_zh":"需要的照护","label_en":"Care needed",
                 "choices":[{"id":"meals","label_zh":"送餐","label_en":"Meals"},
                            {"id":"nurse","label_zh":"护理","label_en":"Nursing"}],
                 "show_if":{"q":"age","op":"gt","value":64}}
            ]
        })
    );
    // The form as the app publishes it: an ordinary form_version.add, accepted.
    let form: Form = serde_json::from_value(got.1["form"].clone()).unwrap();
    let mut d = Device::new("alice", COMMUNITY);
    let (_, op) = d.form_version(Uuid::parse_str(&id).unwrap(), &form);
    push_ok(&alice, &d, vec![op]).await;

    // A calculate row (row 3) and a select on a list the choices sheet lacks (row 5): both named,
    // nothing imported.
    let mut bad = survey.clone();
    bad[2] = vec![
        "calculate",
        "age_next",
        "明年年龄",
        "Age next year",
        "",
        "",
        "",
        "",
        "",
    ];
    bad[4][0] = "select_one carer";
    let got = import(
        &s,
        &alice.token,
        workbook(&[
            ("survey", bad),
            ("choices", choices),
            ("settings", settings),
        ]),
    )
    .await;
    assert_eq!(got.0, 422, "{}", got.1);
    assert_eq!(got.1["error"]["code"], "invalid_xlsform");
    assert_eq!(got.1["error"]["message"], "文件有 2 处问题，未导入任何内容");
    assert_eq!(
        got.1["error"]["problems"],
        json!([
            {"sheet":"survey","row":3,"column":"type",
             "message_zh":"不支持的题型「calculate」","message_en":"Unsupported question type “calculate”"},
            {"sheet":"survey","row":5,"column":"type",
             "message_zh":"选项表（choices）中没有列表「carer」",
             "message_en":"The choices sheet has no list “carer”"}
        ])
    );
    // The form check's refusal is a problem too, on the question's row: a condition on a later question.
    let later = vec![
        vec!["type", "name", "label::zh", "label::en", "relevant"],
        vec!["integer", "a", "甲", "A", "${b} > 1"],
        vec!["integer", "b", "乙", "B"],
    ];
    let got = import(
        &s,
        &alice.token,
        workbook(&[
            ("survey", later),
            ("settings", vec![vec!["form_title"], vec!["表 Form"]]),
        ]),
    )
    .await;
    assert_eq!(got.0, 422, "{}", got.1);
    let p = &got.1["error"]["problems"];
    assert_eq!(p.as_array().unwrap().len(), 1, "{p}");
    assert_eq!(
        (p[0]["row"].clone(), p[0]["column"].clone()),
        (json!(2), json!("relevant"))
    );
    // Not a workbook at all.
    let got = import(&s, &alice.token, b"type,name\ninteger,age\n".to_vec()).await;
    assert_eq!(got.0, 422, "{}", got.1);
    assert_eq!(
        got.1["error"]["problems"][0]["message_en"],
        "The file is not a readable .xlsx workbook"
    );
    // Over 2 MB: 413.
    let got = import(&s, &alice.token, vec![0; 2 * 1024 * 1024 + 1]).await;
    assert_error(&got, 413, "batch_too_large", None);
}

#[tokio::test]
async fn the_starter_forms_round_trip_through_xlsform() {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    for name in ["needs-survey", "satisfaction", "disability-screening"] {
        let f = starter_form(name).unwrap();
        let (v, op) = d.form_version(Uuid::now_v7(), &f);
        push_ok(&alice, &d, vec![op]).await;
        let (status, bytes) =
            get(&s, &alice.token, &format!("/api/surveys/forms/{v}/xlsform")).await;
        assert_eq!(status, 200, "{name}");
        let cells = xlsx_text(&bytes);
        for sheet_word in [
            "type",
            "list_name",
            "form_title::zh",
            "label::zh",
            "label::en",
        ] {
            assert!(cells.contains(sheet_word), "{name}: {sheet_word}");
        }
        let got = import(&s, &alice.token, bytes).await;
        assert_eq!(got.0, 200, "{name}: {}", got.1);
        let back: Form = serde_json::from_value(got.1["form"].clone()).unwrap();
        assert_eq!(back.questions, f.questions, "{name}");
        assert_eq!(
            (&back.title_zh, &back.title_en, back.purpose),
            (&f.title_zh, &f.title_en, f.purpose)
        );
    }
}

#[tokio::test]
async fn the_due_lists_for_a_hand_worked_day() {
    let s = start().await;
    let alice = s.client("alice").await;
    let mut d = Device::new("alice", COMMUNITY);
    let place = place(&alice, &mut d).await;
    // 101: 张三, elderly with a helper device. 102: 李四 (disabled), 王五 (unemployed, no phone), 赵六 (no
    // key group).
    let (zhang, p1) = d.person(
        place.h101,
        "张三",
        PHONE,
        vec![KeyGroup::Elderly, KeyGroup::HelperDevice65Plus],
    );
    let (li, p2) = d.person(place.h102, "李四", "13900001111", vec![KeyGroup::Disabled]);
    let (_, p3) = d.person(place.h102, "王五", "", vec![KeyGroup::Unemployed]);
    let (_, p4) = d.person(place.h102, "赵六", "13700002222", vec![]);
    let needs = starter_form("needs-survey").unwrap();
    let form_id = Uuid::now_v7();
    let (v, v_op) = d.form_version(form_id, &needs);
    let fv = FormVersionFields::from_form(form_id, &needs);
    let answers =
        json!({"birth_year":1950,"key_groups":["elderly"],"household_size":1,"lives_alone":true});
    let (_, ra) = d.response(
        (v, &fv),
        place.h101,
        Some(zhang),
        answers.clone(),
        (JUN1_0950, JUN1_1000),
        None,
    );
    let (_, rb) = d.response(
        (v, &fv),
        place.h102,
        Some(li),
        answers,
        (JUN2_0950, JUN2_1000),
        None,
    );
    let date = |s: &str| Date::parse(s).unwrap();
    let mut ops = vec![p1, p2, p3, p4, v_op, ra, rb];
    for (day, status) in [
        ("2025-03-01", HouseholdStatus::Answered),
        ("2025-06-01", HouseholdStatus::Answered),
        ("2025-09-01", HouseholdStatus::Answered),
        ("2025-10-01", HouseholdStatus::NotHome),
    ] {
        ops.push(d.visit(place.h101, status, date(day)).1);
    }
    let (_, assign) = d.assignment(place.building, "alice");
    ops.push(assign);
    push_ok(&alice, &d, ops).await;

    // As of 2025-12-01. S1: 张三 surveyed 2025-06-01 is due again from 2025-12-01 (due); 李四's survey of
    // 2025-06-02 is due from 2025-12-02 (not yet); 王五 was never surveyed (due); 赵六 is in no key group.
    // S2: 张三's visits this year are 03-01, 06-01 (a visit and a response, one date) and 09-01 — the
    // not-at-home visit found no one — so 3 of 4: due.
    let (status, csv) = get(&s, &alice.token, "/api/surveys/due.csv?as_of=2025-12-01").await;
    assert_eq!(status, 200);
    assert_eq!(
        text(csv),
        "\u{feff}清单,姓名,户,上次需求调查,今年走访次数,电话\r\n\
         半年需求调查到期 (S1),张三,1号楼 1单元 101,2025-06-01,,138****1234\r\n\
         半年需求调查到期 (S1),王五,1号楼 1单元 102,从未调查,,\r\n\
         65岁以上呼叫器走访不足 (S2),张三,1号楼 1单元 101,,3,138****1234\r\n"
    );
    // A day later 李四 is due too (English this time).
    let (status, csv) = get(
        &s,
        &alice.token,
        "/api/surveys/due.csv?as_of=2025-12-02&lang=en",
    )
    .await;
    assert_eq!(status, 200);
    let csv = text(csv);
    assert!(
        csv.starts_with(
            "\u{feff}List,Person,Household,Last needs survey,Visits this year,Phone\r\n"
        ),
        "{csv}"
    );
    assert!(
        csv.contains("needs survey due (S1),李四,1号楼 1单元 102,2025-06-02,,139****1111\r\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 5, "{csv}");
    let (status, xlsx) = get(&s, &alice.token, "/api/surveys/due.xlsx?as_of=2025-12-01").await;
    assert_eq!(status, 200);
    assert!(xlsx_text(&xlsx).contains("138****1234"));
    // Without as_of: today; a bad date is 400 naming it.
    let (status, _) = get(&s, &alice.token, "/api/surveys/due.csv").await;
    assert_eq!(status, 200);
    let got = get_json(&s, &alice.token, "/api/surveys/due.csv?as_of=2025-02-30").await;
    assert_error(&got, 400, "invalid_date", Some("as_of"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_servers_logs_never_hold_an_answer_or_a_phone() {
    let server = TracedServer::start().await;
    let (http, url) = (server.http.clone(), server.url.clone());
    let admin = server.admin().await;
    let community = admin.login.clone().unwrap().community;
    let mut d = Device::new("admin", &community);
    let place = place(&admin, &mut d).await;
    let (zhang, p) = d.person(place.h101, "张三", PHONE, vec![KeyGroup::Elderly]);
    let form_id = Uuid::now_v7();
    let f = care_form(1);
    let (v, v_op) = d.form_version(form_id, &f);
    let fv = FormVersionFields::from_form(form_id, &f);
    let (_, r) = d.response(
        (v, &fv),
        place.h101,
        Some(zhang),
        json!({"age":70,"alone":true,"phone":PHONE}),
        (JUN1_0950, JUN1_1000),
        None,
    );
    push_ok(&admin, &d, vec![p, v_op, r]).await;
    // A refused response (age out of range) logs nothing of its answers either.
    let (_, bad) = d.response(
        (v, &fv),
        place.h101,
        Some(zhang),
        json!({"age":700,"alone":true,"phone":"13899998888"}),
        (JUN1_0950, JUN1_1000),
        None,
    );
    let res = admin.push(&d.push_request(vec![bad])).await.unwrap();
    assert_eq!(res.results[0].status, OpStatus::Rejected);
    for path in [
        format!("/api/surveys/forms/{form_id}/responses.csv"),
        format!("/api/surveys/forms/{form_id}/responses.xlsx"),
        format!("/api/surveys/forms/{v}/xlsform"),
        "/api/surveys/due.csv".into(),
    ] {
        let r = http
            .get(format!("{url}{path}"))
            .bearer_auth(&admin.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let _ = r.bytes().await.unwrap();
    }
    let t = server.stop().await;
    assert!(t.len() > 1_000, "the logs at trace level: {t}");
    for secret in [PHONE, "13899998888"] {
        assert!(!t.contains(secret), "{secret} in the logs");
    }
}
