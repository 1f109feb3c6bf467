//! The JSON of the renovation endpoints (RULES §2, 菜单式改造): every request and answer of
//! `/api/projects/{id}/codes…`, `/api/projects/{id}/results` and `/api/vote/*`, as types shared by
//! the server and the app.
//!
//! Wire rules kept by these types: an `Option` without `skip_serializing_if` is sent as `null` (the
//! field is always present); one with it is left out when `None`. Numbers keep their Rust types
//! (`u64` counts and milliseconds, `f64` areas, money and ratios), so `80.0` stays `80.0`.
//! Pure data: no I/O.

use crate::date::Date;
use crate::protocol::OpStatus;
use crate::renovation::project::{BallotChannel, ItemClass, ProjectFields, RenovationKind};
use crate::renovation::{Electorate, Matter, Tally};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Staff: voting codes (投票码)

/// `POST /api/projects/{id}/codes`: the households to issue codes for; `None` (or an empty body)
/// means every household of the project's compound without an active code.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssueRequest {
    #[serde(default)]
    pub households: Option<Vec<Uuid>>,
    /// Reprint: a named household that already has an active code gets a new one and the old one is
    /// revoked (codes are stored hashed, so a reprint is a reissue). Without it such a household is refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reissue: bool,
}

/// The answer of issuing and reissuing: the only answer that ever holds codes in plain text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedCodes {
    pub codes: Vec<IssuedCode>,
}

/// One household's new code, as its printed slip shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IssuedCode {
    pub household_id: Uuid,
    /// Building name (楼).
    pub building: String,
    /// Unit name (单元).
    pub unit: String,
    /// Door number (门牌号).
    pub door: String,
    /// `XXXX-XXXX-XXXX-XXXX`.
    pub code: String,
    /// The QR code of `url`, as an SVG document.
    pub qr_svg: String,
    /// `{origin}/v/{code}`: opens the resident's voting page with the code filled in.
    pub url: String,
}

/// Where a household's code stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeState {
    /// A code is active.
    Active,
    /// Codes were issued, the last one is revoked.
    Revoked,
    /// No code was ever issued.
    None,
}

/// One household's code status, never the code: an element of `GET /api/projects/{id}/codes` (an
/// array) and the answer of `POST …/codes/{household_id}/revoke`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CodeStatus {
    pub household_id: Uuid,
    pub building: String,
    pub unit: String,
    pub door: String,
    pub status: CodeState,
    /// `null` when no code was ever issued.
    pub issued_at_ms: Option<u64>,
    /// Set only when the status is `revoked`; `null` otherwise.
    pub revoked_at_ms: Option<u64>,
}

// ---------------------------------------------------------------------------------------------
// Projects, menus and results

/// The project as staff see it in the results: every field of the project, and its id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffProject {
    pub id: Uuid,
    #[serde(flatten)]
    pub fields: ProjectFields,
}

/// The project as a resident sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidentProject {
    pub id: Uuid,
    pub name: String,
    pub kind: RenovationKind,
    /// The survey (意见征询) is open from the start of `survey_opens` to the end of `survey_closes`.
    pub survey_opens: Date,
    pub survey_closes: Date,
    pub grace_days: u32,
    pub show_running_results: bool,
}

impl ResidentProject {
    /// The survey's phase at `now_ms`, by the same rule as the project's (R4).
    pub fn survey_status(&self, now_ms: u64) -> crate::renovation::SurveyStatus {
        crate::renovation::survey_status(
            self.survey_opens,
            self.survey_closes,
            self.grace_days,
            now_ms,
        )
    }

    pub fn new(id: Uuid, p: &ProjectFields) -> ResidentProject {
        ResidentProject {
            id,
            name: p.name.clone(),
            kind: p.kind,
            survey_opens: p.survey_opens,
            survey_closes: p.survey_closes,
            grace_days: p.grace_days,
            show_running_results: p.show_running_results,
        }
    }
}

/// An item of a project's menu (改造菜单), with its id. Options are sent as `null`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MenuEntry {
    pub id: Uuid,
    pub name: String,
    /// The English name staff gave a local item; empty when none (omitted from the JSON then).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_en: String,
    pub class: ItemClass,
    /// R2 catalogue id, `null` for a local item.
    pub catalogue: Option<String>,
    pub description: String,
    pub cost_yuan: f64,
    /// The share of one household where residents co-pay (居民出资); `null` otherwise.
    pub share_per_household_yuan: Option<f64>,
    /// An owners' joint decision under Civil Code art. 278 (业主共同决定事项, R9).
    pub owners_decision: bool,
    pub matter: Matter,
    pub position: u32,
    /// Who decides the item (the whole compound, or a building or unit of it).
    #[serde(default)]
    pub electorate: Electorate,
}

impl MenuEntry {
    pub fn new(item: &crate::renovation::MenuItem) -> MenuEntry {
        let f = &item.fields;
        MenuEntry {
            id: item.id,
            name: f.name.clone(),
            name_en: f.name_en.clone(),
            class: f.class,
            catalogue: f.catalogue.clone(),
            description: f.description.clone(),
            cost_yuan: f.cost_yuan,
            share_per_household_yuan: f.share_per_household_yuan,
            owners_decision: f.owners_decision,
            matter: f.matter,
            position: f.position,
            electorate: f.electorate,
        }
    }

    /// The item's name in `lang`: in English, the English name staff gave it; else a catalogue item (R2)
    /// that keeps its catalogue name shows the catalogue's English name; else the Chinese name.
    pub fn display_name(&self, lang: crate::Lang) -> String {
        if lang == crate::Lang::En && !self.name_en.trim().is_empty() {
            return self.name_en.clone();
        }
        if lang == crate::Lang::En
            && let Some(c) = &self.catalogue
            && let Some(en) = crate::renovation::project::catalogue_english(c, &self.name)
        {
            return en.to_string();
        }
        self.name.clone()
    }
}

/// The aggregate results of a project: the core's tally (its fields at the top level), the number of
/// households, and the project and menu that label it. No household data.
/// `P` is [`StaffProject`] for staff and [`ResidentProject`] for residents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results<P> {
    #[serde(flatten)]
    pub tally: Tally,
    pub households_total: u64,
    pub project: P,
    pub menu: Vec<MenuEntry>,
}

/// `GET /api/projects/{id}/results`.
pub type ProjectResults = Results<StaffProject>;
/// `GET /api/vote/results`.
pub type VoteResults = Results<ResidentProject>;

impl<P> Results<P> {
    pub fn new(tally: &Tally, project: P, menu: Vec<MenuEntry>) -> Results<P> {
        Results {
            tally: tally.clone(),
            households_total: tally.coverage.total,
            project,
            menu,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Residents: `/api/vote/*`

/// `POST /api/vote/login`: the code as typed or scanned.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeLogin {
    pub code: String,
}

/// The compound (小区) of the resident's project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompoundRef {
    pub id: Uuid,
    pub name: String,
}

/// The resident's household (户), with the names of its building and unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidentHousehold {
    pub id: Uuid,
    pub building: String,
    pub unit: String,
    pub door: String,
    pub area_m2: f64,
}

/// The household's latest ballot in the project: the one that counts (R4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MyBallot {
    pub id: Uuid,
    pub agree: bool,
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
    pub channel: BallotChannel,
    /// Always `true`: the server has it.
    pub received: bool,
}

/// What a resident's login shows: the project, the household, the menu, whether the survey is open,
/// and the household's own ballot (`null` before the first one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResidentView {
    pub project: ResidentProject,
    pub compound: CompoundRef,
    pub household: ResidentHousehold,
    pub menu: Vec<MenuEntry>,
    pub open: bool,
    pub my_ballot: Option<MyBallot>,
}

/// `POST /api/vote/login` → the token (scoped to one household of one project) and the view.
///
/// The view's fields are at the top level. They are read through [`ViewWire`], a plain struct: serde's
/// `flatten` reads through a buffer of every value, about 50 KB of Wasm in the resident's entry
/// (issue 8), for the same JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "ViewWire")]
pub struct VoteLoginResponse {
    pub token: String,
    pub expires_at: u64,
    #[serde(flatten)]
    pub view: ResidentView,
}

/// `GET /api/vote/me` → the view, without the token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "ViewWire")]
pub struct VoteMeResponse {
    pub expires_at: u64,
    #[serde(flatten)]
    pub view: ResidentView,
}

/// The JSON of [`VoteLoginResponse`] and [`VoteMeResponse`] as it is read: the view's fields beside the
/// token (the login's answer only) and the expiry.
#[derive(Deserialize)]
struct ViewWire {
    #[serde(default)]
    token: Option<String>,
    expires_at: u64,
    project: ResidentProject,
    compound: CompoundRef,
    household: ResidentHousehold,
    menu: Vec<MenuEntry>,
    open: bool,
    my_ballot: Option<MyBallot>,
}

impl ViewWire {
    fn split(self) -> (Option<String>, u64, ResidentView) {
        let view = ResidentView {
            project: self.project,
            compound: self.compound,
            household: self.household,
            menu: self.menu,
            open: self.open,
            my_ballot: self.my_ballot,
        };
        (self.token, self.expires_at, view)
    }
}

impl TryFrom<ViewWire> for VoteLoginResponse {
    type Error = &'static str;
    fn try_from(w: ViewWire) -> Result<Self, Self::Error> {
        let (token, expires_at, view) = w.split();
        Ok(VoteLoginResponse {
            token: token.ok_or("missing field `token`")?,
            expires_at,
            view,
        })
    }
}

impl From<ViewWire> for VoteMeResponse {
    fn from(w: ViewWire) -> Self {
        let (_, expires_at, view) = w.split();
        VoteMeResponse { expires_at, view }
    }
}

/// `POST /api/vote/ballot`: the resident's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteBallot {
    /// UUIDv7 made by the phone: the operation's id, so a re-send is answered `duplicate`.
    pub id: Uuid,
    pub agree: bool,
    #[serde(default)]
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
}

/// The answer to `POST /api/vote/ballot` (HTTP 200 in all three cases):
/// `{"status":"accepted"|"duplicate","receipt":{…}}` or `{"status":"rejected","code","message","field?"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BallotAnswer {
    pub status: OpStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The field of the resident's request at fault (`cast_at_ms`, `items[0]`, `id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt: Option<Receipt>,
}

impl BallotAnswer {
    /// An accepted or duplicate ballot, with its receipt.
    pub fn received(status: OpStatus, receipt: Receipt) -> BallotAnswer {
        BallotAnswer {
            status,
            code: None,
            message: None,
            field: None,
            receipt: Some(receipt),
        }
    }

    /// A refused ballot, with the rule's code, its message in the request's language, and the field.
    pub fn rejected(code: String, message: String, field: Option<String>) -> BallotAnswer {
        BallotAnswer {
            status: OpStatus::Rejected,
            code: Some(code),
            message: Some(message),
            field,
            receipt: None,
        }
    }
}

/// What the server stored (for a duplicate: the first send) — 回执.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    pub ballot_id: Uuid,
    pub door: String,
    pub agree: bool,
    pub items: Vec<Uuid>,
    pub cast_at_ms: u64,
    pub received_at_ms: u64,
}

/// A ballot's short reference (回执号), for a resident to quote to staff: the last 8 hex digits of its id
/// (random bits of the UUIDv7), upper case, as `XXXX-XXXX`.
pub fn receipt_reference(ballot_id: Uuid) -> String {
    let hex = ballot_id.simple().to_string().to_ascii_uppercase();
    format!("{}-{}", &hex[24..28], &hex[28..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::renovation::{Ballot, CastAt, TallyInput, VoterHousehold};

    #[test]
    fn catalogue_items_have_their_english_name_and_local_names_stay() {
        let mut e = MenuEntry {
            id: Uuid::nil(),
            name: "路面".into(),
            name_en: String::new(),
            class: ItemClass::Basic,
            catalogue: Some("road".into()),
            description: String::new(),
            cost_yuan: 1.0,
            share_per_household_yuan: None,
            owners_decision: false,
            matter: Matter::Ordinary,
            position: 0,
            electorate: Electorate::default(),
        };
        assert_eq!(e.display_name(crate::Lang::En), "Road surface");
        assert_eq!(e.display_name(crate::Lang::Zh), "路面");
        e.name = "路面硬化（东区）".into();
        assert_eq!(e.display_name(crate::Lang::En), "路面硬化（东区）");
        // Issue 9: a local item staff gave an English name shows it in English, and only there.
        e.name_en = "Road resurfacing (east)".into();
        assert_eq!(e.display_name(crate::Lang::En), "Road resurfacing (east)");
        assert_eq!(e.display_name(crate::Lang::Zh), "路面硬化（东区）");
    }

    #[test]
    fn a_receipt_reference_is_the_ids_last_eight_hex_digits() {
        let id: Uuid = "0190f3a2-7c4e-7b21-9a3f-5d6e7f80a1b2".parse().unwrap();
        assert_eq!(receipt_reference(id), "7F80-A1B2");
    }
    use crate::rules::RuleSet;
    use serde_json::{Value, json};

    fn tally() -> Tally {
        let input = TallyInput {
            households: vec![
                VoterHousehold {
                    id: "a".into(),
                    area_m2: 80.0,
                    owners: 1,
                },
                VoterHousehold {
                    id: "b".into(),
                    area_m2: 60.0,
                    owners: 2,
                },
                VoterHousehold {
                    id: "c".into(),
                    area_m2: 100.0,
                    owners: 1,
                },
            ],
            ballots: vec![
                Ballot {
                    household_id: "a".into(),
                    agree: true,
                    items: vec!["i1".into()],
                    cast_at: CastAt::Ms(1),
                },
                Ballot {
                    household_id: "b".into(),
                    agree: false,
                    items: vec![],
                    cast_at: CastAt::Ms(2),
                },
            ],
            items: vec!["i1".into(), "i2".into()],
            matter: Matter::Special,
            item_matters: Default::default(),
            item_electorates: Default::default(),
        };
        input.tally(&RuleSet::default().renovation).unwrap()
    }

    /// The tally reads back exactly as it was sent.
    #[test]
    fn tally_round_trips() {
        let t = tally();
        let back: Tally = serde_json::from_value(serde_json::to_value(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn results_flatten_the_tally_and_round_trip() {
        let t = tally();
        let id = Uuid::from_u128(1);
        let p = ResidentProject {
            id,
            name: "综合整治".into(),
            kind: RenovationKind::Comprehensive,
            survey_opens: Date::parse("2025-05-01").unwrap(),
            survey_closes: Date::parse("2025-05-31").unwrap(),
            grace_days: 2,
            show_running_results: false,
        };
        let r = VoteResults::new(&t, p, vec![]);
        let v = serde_json::to_value(&r).unwrap();
        let mut expected = serde_json::to_value(&t).unwrap();
        let m = expected.as_object_mut().unwrap();
        m.insert("households_total".into(), json!(3));
        m.insert(
            "project".into(),
            json!({
                "id": id, "name": "综合整治", "kind": "comprehensive", "survey_opens": "2025-05-01",
                "survey_closes": "2025-05-31", "grace_days": 2, "show_running_results": false,
            }),
        );
        m.insert("menu".into(), json!([]));
        assert_eq!(v, expected);
        assert_eq!(v["coverage"]["ratio"], json!(2.0 / 3.0));
        let back: VoteResults = serde_json::from_value(v).unwrap();
        assert_eq!(back, r);
    }

    #[test]
    fn staff_project_is_the_fields_and_the_id() {
        let fields: ProjectFields = serde_json::from_value(json!({
            "compound_id": Uuid::from_u128(2), "name": "P", "kind": "demolish_rebuild",
            "survey_opens": "2025-05-01", "survey_closes": "2025-05-31",
        }))
        .unwrap();
        let p = StaffProject {
            id: Uuid::from_u128(3),
            fields: fields.clone(),
        };
        let v = serde_json::to_value(&p).unwrap();
        let mut expected = serde_json::to_value(&fields).unwrap();
        expected["id"] = json!(Uuid::from_u128(3));
        assert_eq!(v, expected);
        assert_eq!(v["year_built"], Value::Null, "None is sent as null");
        assert_eq!(serde_json::from_value::<StaffProject>(v).unwrap(), p);
    }

    #[test]
    fn ballot_answers_leave_out_what_they_do_not_have() {
        let ok = BallotAnswer::received(
            OpStatus::Duplicate,
            Receipt {
                ballot_id: Uuid::from_u128(4),
                door: "101".into(),
                agree: true,
                items: vec![],
                cast_at_ms: 5,
                received_at_ms: 6,
            },
        );
        assert_eq!(
            serde_json::to_value(&ok).unwrap(),
            json!({"status": "duplicate", "receipt": {"ballot_id": Uuid::from_u128(4), "door": "101",
                "agree": true, "items": [], "cast_at_ms": 5, "received_at_ms": 6}})
        );
        let no = BallotAnswer::rejected("survey_closed".into(), "closed".into(), None);
        let v = serde_json::to_value(&no).unwrap();
        assert_eq!(
            v,
            json!({"status": "rejected", "code": "survey_closed", "message": "closed"})
        );
        assert_eq!(serde_json::from_value::<BallotAnswer>(v).unwrap(), no);
    }

    #[test]
    fn resident_view_sends_null_for_no_ballot() {
        let view = ResidentView {
            project: ResidentProject {
                id: Uuid::from_u128(1),
                name: "P".into(),
                kind: RenovationKind::Comprehensive,
                survey_opens: Date::parse("2025-05-01").unwrap(),
                survey_closes: Date::parse("2025-05-31").unwrap(),
                grace_days: 0,
                show_running_results: true,
            },
            compound: CompoundRef {
                id: Uuid::from_u128(2),
                name: "幸福里".into(),
            },
            household: ResidentHousehold {
                id: Uuid::from_u128(3),
                building: "1号楼".into(),
                unit: "1单元".into(),
                door: "101".into(),
                area_m2: 80.0,
            },
            menu: vec![],
            open: true,
            my_ballot: None,
        };
        let me = VoteMeResponse {
            expires_at: 7,
            view,
        };
        let v = serde_json::to_value(&me).unwrap();
        assert_eq!(v["my_ballot"], Value::Null);
        assert!(v.as_object().unwrap().contains_key("my_ballot"));
        assert!(v.get("token").is_none());
        assert_eq!(v["household"]["area_m2"].to_string(), "80.0");
        assert_eq!(
            serde_json::from_value::<VoteMeResponse>(v.clone()).unwrap(),
            me
        );
        // The login's answer is the same JSON with the token; read through the plain `ViewWire`.
        let login = VoteLoginResponse {
            token: "t-1".into(),
            expires_at: 7,
            view: me.view.clone(),
        };
        let lv = serde_json::to_value(&login).unwrap();
        assert_eq!(lv["token"], "t-1");
        assert_eq!(lv["household"], v["household"]);
        assert_eq!(
            serde_json::from_value::<VoteLoginResponse>(lv).unwrap(),
            login
        );
        let no_token = serde_json::from_value::<VoteLoginResponse>(v);
        assert!(
            no_token
                .unwrap_err()
                .to_string()
                .contains("missing field `token`")
        );
        let status = CodeStatus {
            household_id: Uuid::from_u128(3),
            building: "1号楼".into(),
            unit: "1单元".into(),
            door: "101".into(),
            status: CodeState::None,
            issued_at_ms: None,
            revoked_at_ms: None,
        };
        let v = serde_json::to_value(&status).unwrap();
        assert_eq!(v["status"], "none");
        assert_eq!(v["issued_at_ms"], Value::Null);
        assert_eq!(serde_json::from_value::<CodeStatus>(v).unwrap(), status);
    }
}
