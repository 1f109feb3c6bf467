//! The registry: the one closed list of record kinds and operation bodies, and the dispatch from each to its feature.
//!
//! Adding a kind of record is one line in [`EntityKind`], one in [`Body`] and one in each `match` below
//! (and one arm in `check.rs`'s state dispatch); everything else (fields, checks, views, words) lives in the
//! feature's folder. The generic op log (`sync.rs`) knows features only through this file, which knows
//! nothing of the replica.

use crate::error::RuleError;
use crate::renovation::{BallotFields, MenuItemFields, ProjectFields};
use crate::roster;
use crate::roster::{BuildingFields, CompoundFields, HouseholdFields, PersonFields, UnitFields};
use crate::rules::RuleSet;
use crate::standards::StandardEntryFields;
use crate::standards::logs::LogEntryFields;
use crate::surveys::{
    FormVersionFields, ResponseReviewFields, SurveyAssignmentFields, SurveyResponseFields,
    VisitFields,
};
use crate::volunteers::{
    ActivityFields, AttendanceFields, EntryReviewFields, PairFields, ServiceEntryFields,
    SignUpFields, TeamFields, VolunteerFields, VolunteerStatusFields,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

/// The kinds of record (the `entity.kind` of an operation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// 小区/院 (roster, H1)
    Compound,
    /// 楼栋 (roster)
    Building,
    /// 单元 (roster)
    Unit,
    /// 户 (roster)
    Household,
    /// 改造项目 (renovation, RULES §2)
    Project,
    /// 改造菜单项目 (renovation, R2)
    MenuItem,
    /// 住户答卷 (renovation, R4); append-only
    Ballot,
    /// 居民 (roster, H1/H4): a person of a household
    Person,
    /// 志愿者 (volunteers, V1); community-level
    Volunteer,
    /// 服务队 (volunteers, V2); community-level
    Team,
    /// 志愿活动 (volunteers); community-level
    Activity,
    /// 报名 (volunteers); append-only
    SignUp,
    /// 签到/签退 (volunteers); append-only
    Attendance,
    /// 服务记录 (volunteers, V6); append-only
    ServiceEntry,
    /// 服务记录审核 (volunteers, V6); append-only
    EntryReview,
    /// 结对 (volunteers, V5)
    Pair,
    /// 问卷版本 (surveys); community-level, append-only
    FormVersion,
    /// 楼栋走访分工 (surveys)
    SurveyAssignment,
    /// 入户走访 (surveys, S4); append-only
    Visit,
    /// 问卷答卷 (surveys, S1); append-only
    SurveyResponse,
    /// 答卷审核 (surveys); append-only
    ResponseReview,
    /// 自评录入 (standards, E1–E7): a manual or checklist row's value; community-level, append-only
    StandardEntry,
    /// 活动台账/会议记录 (standards, issue 14): an activity or meeting held; community-level
    LogEntry,
}

/// What an operation does. Puts carry the whole record; each field merges on its own.
///
/// Written as `{"type":"household.put", …fields}`. Read by hand ([`Body::deserialize`]), not derived: the
/// derive of an internally tagged enum buffers every body and reads each variant's fields with code of its
/// own, about 80 KB of the app's Wasm (issue 8); this reads the object once and each variant's fields with
/// the same code as [`crate::sync::Record::get`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum Body {
    #[serde(rename = "compound.put")]
    CompoundPut(CompoundFields),
    #[serde(rename = "building.put")]
    BuildingPut(BuildingFields),
    #[serde(rename = "unit.put")]
    UnitPut(UnitFields),
    #[serde(rename = "household.put")]
    HouseholdPut(HouseholdFields),
    #[serde(rename = "project.put")]
    ProjectPut(ProjectFields),
    #[serde(rename = "menu_item.put")]
    MenuItemPut(MenuItemFields),
    /// A household's answer (R4). Ballots are never changed: a new answer is a new ballot.
    #[serde(rename = "ballot.cast")]
    BallotCast(BallotFields),
    #[serde(rename = "person.put")]
    PersonPut(PersonFields),
    #[serde(rename = "volunteer.put")]
    VolunteerPut(VolunteerFields),
    /// Staff approve a volunteer or record that they left: writes the status alone.
    #[serde(rename = "volunteer.status")]
    VolunteerStatus(VolunteerStatusFields),
    #[serde(rename = "team.put")]
    TeamPut(TeamFields),
    #[serde(rename = "activity.put")]
    ActivityPut(ActivityFields),
    /// A join or a cancel; never changed.
    #[serde(rename = "sign_up.add")]
    SignUpAdd(SignUpFields),
    /// A check-in or check-out; never changed.
    #[serde(rename = "attendance.add")]
    AttendanceAdd(AttendanceFields),
    /// A service entry (V6); never changed: a correction is a new entry.
    #[serde(rename = "service_entry.add")]
    ServiceEntryAdd(ServiceEntryFields),
    /// A decision on a service entry; never changed: the latest counts.
    #[serde(rename = "entry_review.add")]
    EntryReviewAdd(EntryReviewFields),
    #[serde(rename = "pair.put")]
    PairPut(PairFields),
    /// A version of a survey form; never changed: editing publishes a new version.
    #[serde(rename = "form_version.add")]
    FormVersionAdd(FormVersionFields),
    #[serde(rename = "survey_assignment.put")]
    SurveyAssignmentPut(SurveyAssignmentFields),
    /// A visit at a door (S4); never changed.
    #[serde(rename = "visit.add")]
    VisitAdd(VisitFields),
    /// A submitted survey response; never changed: a fix is a new response.
    #[serde(rename = "survey_response.add")]
    SurveyResponseAdd(SurveyResponseFields),
    /// Staff's verdict on a response; never changed: the latest counts.
    #[serde(rename = "response_review.add")]
    ResponseReviewAdd(ResponseReviewFields),
    /// A self-check entry; never changed: the latest counts.
    #[serde(rename = "standard_entry.add")]
    StandardEntryAdd(StandardEntryFields),
    /// An activity or meeting held; corrected by a new put.
    #[serde(rename = "log_entry.put")]
    LogEntryPut(LogEntryFields),
    /// A tombstone: the record is deleted, for good.
    #[serde(rename = "delete")]
    Delete,
}

impl EntityKind {
    /// The name used in the operation JSON (`"household"`, `"menu_item"`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Compound => "compound",
            EntityKind::Building => "building",
            EntityKind::Unit => "unit",
            EntityKind::Household => "household",
            EntityKind::Project => "project",
            EntityKind::MenuItem => "menu_item",
            EntityKind::Ballot => "ballot",
            EntityKind::Person => "person",
            EntityKind::Volunteer => "volunteer",
            EntityKind::Team => "team",
            EntityKind::Activity => "activity",
            EntityKind::SignUp => "sign_up",
            EntityKind::Attendance => "attendance",
            EntityKind::ServiceEntry => "service_entry",
            EntityKind::EntryReview => "entry_review",
            EntityKind::Pair => "pair",
            EntityKind::FormVersion => "form_version",
            EntityKind::SurveyAssignment => "survey_assignment",
            EntityKind::Visit => "visit",
            EntityKind::SurveyResponse => "survey_response",
            EntityKind::ResponseReview => "response_review",
            EntityKind::StandardEntry => "standard_entry",
            EntityKind::LogEntry => "log_entry",
        }
    }

    /// The kind this one sits under, and the field that names it.
    pub fn parent(self) -> Option<(EntityKind, &'static str)> {
        match self {
            EntityKind::Compound => None,
            EntityKind::Building => Some((EntityKind::Compound, "compound_id")),
            EntityKind::Unit => Some((EntityKind::Building, "building_id")),
            EntityKind::Household => Some((EntityKind::Unit, "unit_id")),
            EntityKind::Project => Some((EntityKind::Compound, "compound_id")),
            EntityKind::MenuItem | EntityKind::Ballot => Some((EntityKind::Project, "project_id")),
            EntityKind::Person => Some((EntityKind::Household, "household_id")),
            EntityKind::Volunteer | EntityKind::Team | EntityKind::Activity => None,
            EntityKind::SignUp => Some((EntityKind::Activity, "activity_id")),
            EntityKind::Attendance | EntityKind::ServiceEntry | EntityKind::Pair => {
                Some((EntityKind::Volunteer, "volunteer_id"))
            }
            EntityKind::EntryReview => Some((EntityKind::ServiceEntry, "entry_id")),
            EntityKind::FormVersion => None,
            EntityKind::SurveyAssignment => Some((EntityKind::Building, "building_id")),
            EntityKind::Visit | EntityKind::SurveyResponse => {
                Some((EntityKind::Household, "household_id"))
            }
            EntityKind::ResponseReview => Some((EntityKind::SurveyResponse, "response_id")),
            EntityKind::StandardEntry | EntityKind::LogEntry => None,
        }
    }

    /// Whether records of this kind are append-only (never re-written nor deleted).
    pub fn append_only(self) -> bool {
        matches!(
            self,
            EntityKind::Ballot
                | EntityKind::SignUp
                | EntityKind::Attendance
                | EntityKind::ServiceEntry
                | EntityKind::EntryReview
                | EntityKind::FormVersion
                | EntityKind::Visit
                | EntityKind::SurveyResponse
                | EntityKind::ResponseReview
                | EntityKind::StandardEntry
        )
    }

    /// A key that must be unique among live records of this kind under one parent, if the feature
    /// declares one (a household's door within its unit). The replica keeps an index of it.
    pub fn unique_key(self, fields: &dyn Fn(&str) -> Option<Value>) -> Option<String> {
        match self {
            EntityKind::Household => roster::door_unique_key(fields),
            _ => None,
        }
    }
}

/// Every body's `type`, as [`Body`]'s `rename`s spell them (unknown ones are refused naming these).
const BODY_TYPES: &[&str] = &[
    "compound.put",
    "building.put",
    "unit.put",
    "household.put",
    "project.put",
    "menu_item.put",
    "ballot.cast",
    "person.put",
    "volunteer.put",
    "volunteer.status",
    "team.put",
    "activity.put",
    "sign_up.add",
    "attendance.add",
    "service_entry.add",
    "entry_review.add",
    "pair.put",
    "form_version.add",
    "survey_assignment.put",
    "visit.add",
    "survey_response.add",
    "response_review.add",
    "standard_entry.add",
    "log_entry.put",
    "delete",
];

impl<'de> Deserialize<'de> for Body {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[cfg(not(target_arch = "wasm32"))]
        return d.deserialize_map(BodyVisitor);
        #[cfg(target_arch = "wasm32")]
        Body::from_map(serde_json::Map::<String, Value>::deserialize(d)?)
    }
}

/// Calls `$read!(Variant)` for each kind of body, by its `type`, or answers `$other` (a macro, so the
/// two readers below share one list).
macro_rules! body_of_type {
    ($ty:expr, $read:ident, $other:expr) => {
        match $ty {
            "compound.put" => $read!(CompoundPut),
            "building.put" => $read!(BuildingPut),
            "unit.put" => $read!(UnitPut),
            "household.put" => $read!(HouseholdPut),
            "project.put" => $read!(ProjectPut),
            "menu_item.put" => $read!(MenuItemPut),
            "ballot.cast" => $read!(BallotCast),
            "person.put" => $read!(PersonPut),
            "volunteer.put" => $read!(VolunteerPut),
            "volunteer.status" => $read!(VolunteerStatus),
            "team.put" => $read!(TeamPut),
            "activity.put" => $read!(ActivityPut),
            "sign_up.add" => $read!(SignUpAdd),
            "attendance.add" => $read!(AttendanceAdd),
            "service_entry.add" => $read!(ServiceEntryAdd),
            "entry_review.add" => $read!(EntryReviewAdd),
            "pair.put" => $read!(PairPut),
            "form_version.add" => $read!(FormVersionAdd),
            "survey_assignment.put" => $read!(SurveyAssignmentPut),
            "visit.add" => $read!(VisitAdd),
            "survey_response.add" => $read!(SurveyResponseAdd),
            "response_review.add" => $read!(ResponseReviewAdd),
            "standard_entry.add" => $read!(StandardEntryAdd),
            "log_entry.put" => $read!(LogEntryPut),
            "delete" => Body::Delete,
            other => return Err($other(other)),
        }
    };
}

impl Body {
    /// A body from its object read whole (the app's one reader, and the server's when `type` is not
    /// the first key).
    fn from_map<E: serde::de::Error>(map: serde_json::Map<String, Value>) -> Result<Body, E> {
        let ty = match map.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(_) => return Err(E::custom("type: not a string")),
            None => return Err(E::missing_field("type")),
        };
        // The fields, read in place as a record's registers are (`Record::get`).
        fn read<'a, T: Deserialize<'a>, E: serde::de::Error>(
            map: &'a serde_json::Map<String, Value>,
        ) -> Result<T, E> {
            let fields = map
                .iter()
                .filter(|(k, _)| *k != "type")
                .map(|(k, v)| (k.as_str(), v));
            T::deserialize(serde::de::value::MapDeserializer::<_, serde_json::Error>::new(fields))
                .map_err(E::custom)
        }
        macro_rules! buffered {
            ($v:ident) => {
                Body::$v(read(&map)?)
            };
        }
        Ok(body_of_type!(ty, buffered, |t| E::unknown_variant(
            t, BODY_TYPES
        )))
    }
}

/// The server's reader of a body (not in the app's Wasm, where one reader of each type is smaller):
/// when `type` comes first, as every writer of operations puts it, the fields are read straight into
/// their type, without the object in between (a third of reading a push of 50 households); otherwise
/// the object is read whole, as [`Body::from_map`] does.
#[cfg(not(target_arch = "wasm32"))]
struct BodyVisitor;

#[cfg(not(target_arch = "wasm32"))]
impl<'de> serde::de::Visitor<'de> for BodyVisitor {
    type Value = Body;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        // As `serde_json::Map`, the app's reader, words it.
        f.write_str("a map")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Body, A::Error> {
        use serde::de::Error;
        use serde::de::value::MapAccessDeserializer;
        let first: Option<std::borrow::Cow<'de, str>> = access.next_key()?;
        if first.as_deref() == Some("type") {
            let ty: std::borrow::Cow<'de, str> = access.next_value()?;
            if ty == "delete" {
                while access
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                return Ok(Body::Delete);
            }
            macro_rules! direct {
                ($v:ident) => {
                    Body::$v(Deserialize::deserialize(MapAccessDeserializer::new(
                        access,
                    ))?)
                };
            }
            return Ok(body_of_type!(ty.as_ref(), direct, |t| {
                A::Error::unknown_variant(t, BODY_TYPES)
            }));
        }
        let mut map = serde_json::Map::new();
        if let Some(key) = first {
            map.insert(key.into_owned(), access.next_value()?);
            while let Some((k, v)) = access.next_entry::<String, Value>()? {
                map.insert(k, v);
            }
        }
        Body::from_map(map)
    }
}

impl Body {
    /// The kind of record this body writes, or `None` for a delete (which fits any kind).
    pub fn kind(&self) -> Option<EntityKind> {
        match self {
            Body::CompoundPut(_) => Some(EntityKind::Compound),
            Body::BuildingPut(_) => Some(EntityKind::Building),
            Body::UnitPut(_) => Some(EntityKind::Unit),
            Body::HouseholdPut(_) => Some(EntityKind::Household),
            Body::ProjectPut(_) => Some(EntityKind::Project),
            Body::MenuItemPut(_) => Some(EntityKind::MenuItem),
            Body::BallotCast(_) => Some(EntityKind::Ballot),
            Body::PersonPut(_) => Some(EntityKind::Person),
            Body::VolunteerPut(_) | Body::VolunteerStatus(_) => Some(EntityKind::Volunteer),
            Body::TeamPut(_) => Some(EntityKind::Team),
            Body::ActivityPut(_) => Some(EntityKind::Activity),
            Body::SignUpAdd(_) => Some(EntityKind::SignUp),
            Body::AttendanceAdd(_) => Some(EntityKind::Attendance),
            Body::ServiceEntryAdd(_) => Some(EntityKind::ServiceEntry),
            Body::EntryReviewAdd(_) => Some(EntityKind::EntryReview),
            Body::PairPut(_) => Some(EntityKind::Pair),
            Body::FormVersionAdd(_) => Some(EntityKind::FormVersion),
            Body::SurveyAssignmentPut(_) => Some(EntityKind::SurveyAssignment),
            Body::VisitAdd(_) => Some(EntityKind::Visit),
            Body::SurveyResponseAdd(_) => Some(EntityKind::SurveyResponse),
            Body::ResponseReviewAdd(_) => Some(EntityKind::ResponseReview),
            Body::StandardEntryAdd(_) => Some(EntityKind::StandardEntry),
            Body::LogEntryPut(_) => Some(EntityKind::LogEntry),
            Body::Delete => None,
        }
    }

    /// The fields a put writes, as the registers of the merged record; `None` for a delete.
    pub fn fields(&self) -> Option<serde_json::Map<String, Value>> {
        let v = match self {
            Body::CompoundPut(f) => serde_json::to_value(f),
            Body::BuildingPut(f) => serde_json::to_value(f),
            Body::UnitPut(f) => serde_json::to_value(f),
            Body::HouseholdPut(f) => serde_json::to_value(f),
            Body::ProjectPut(f) => serde_json::to_value(f),
            Body::MenuItemPut(f) => serde_json::to_value(f),
            Body::BallotCast(f) => serde_json::to_value(f),
            Body::PersonPut(f) => serde_json::to_value(f),
            Body::VolunteerPut(f) => serde_json::to_value(f),
            Body::VolunteerStatus(f) => serde_json::to_value(f),
            Body::TeamPut(f) => serde_json::to_value(f),
            Body::ActivityPut(f) => serde_json::to_value(f),
            Body::SignUpAdd(f) => serde_json::to_value(f),
            Body::AttendanceAdd(f) => serde_json::to_value(f),
            Body::ServiceEntryAdd(f) => serde_json::to_value(f),
            Body::EntryReviewAdd(f) => serde_json::to_value(f),
            Body::PairPut(f) => serde_json::to_value(f),
            Body::FormVersionAdd(f) => serde_json::to_value(f),
            Body::SurveyAssignmentPut(f) => serde_json::to_value(f),
            Body::VisitAdd(f) => serde_json::to_value(f),
            Body::SurveyResponseAdd(f) => serde_json::to_value(f),
            Body::ResponseReviewAdd(f) => serde_json::to_value(f),
            Body::StandardEntryAdd(f) => serde_json::to_value(f),
            Body::LogEntryPut(f) => serde_json::to_value(f),
            Body::Delete => return None,
        };
        match v {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        }
    }

    /// The record a put names as its parent (its kind is `EntityKind::parent`).
    pub fn parent_id(&self) -> Option<Uuid> {
        match self {
            Body::CompoundPut(_)
            | Body::VolunteerPut(_)
            | Body::VolunteerStatus(_)
            | Body::TeamPut(_)
            | Body::ActivityPut(_)
            | Body::FormVersionAdd(_)
            | Body::StandardEntryAdd(_)
            | Body::LogEntryPut(_)
            | Body::Delete => None,
            Body::BuildingPut(f) => Some(f.compound_id),
            Body::UnitPut(f) => Some(f.building_id),
            Body::HouseholdPut(f) => Some(f.unit_id),
            Body::ProjectPut(f) => Some(f.compound_id),
            Body::MenuItemPut(f) => Some(f.project_id),
            Body::BallotCast(f) => Some(f.project_id),
            Body::PersonPut(f) => Some(f.household_id),
            Body::SignUpAdd(f) => Some(f.activity_id),
            Body::AttendanceAdd(f) => Some(f.volunteer_id),
            Body::ServiceEntryAdd(f) => Some(f.volunteer_id),
            Body::EntryReviewAdd(f) => Some(f.entry_id),
            Body::PairPut(f) => Some(f.volunteer_id),
            Body::SurveyAssignmentPut(f) => Some(f.building_id),
            Body::VisitAdd(f) => Some(f.household_id),
            Body::SurveyResponseAdd(f) => Some(f.household_id),
            Body::ResponseReviewAdd(f) => Some(f.response_id),
        }
    }

    /// The feature's checks of the fields alone, against the rule set (field names relative to `body`).
    pub fn check_fields(&self, rules: &RuleSet) -> Result<(), RuleError> {
        match self {
            Body::CompoundPut(f) => f.check(&rules.roster),
            Body::BuildingPut(f) => f.check(&rules.roster),
            Body::UnitPut(f) => f.check(&rules.roster),
            Body::HouseholdPut(f) => f.check(&rules.roster),
            Body::ProjectPut(f) => f.check(&rules.roster, &rules.renovation),
            Body::MenuItemPut(f) => f.check(&rules.roster, &rules.renovation),
            Body::BallotCast(f) => f.check(&rules.renovation),
            Body::PersonPut(f) => f.check(&rules.roster),
            Body::VolunteerPut(f) => f.check(&rules.roster, &rules.volunteers),
            Body::VolunteerStatus(_) => Ok(()),
            Body::TeamPut(f) => f.check(&rules.roster, &rules.volunteers),
            Body::ActivityPut(f) => f.check(&rules.roster, &rules.volunteers),
            Body::SignUpAdd(f) => f.check(),
            Body::AttendanceAdd(f) => f.check(),
            Body::ServiceEntryAdd(f) => f.check(&rules.roster, &rules.volunteers),
            Body::EntryReviewAdd(f) => f.check(&rules.roster, &rules.volunteers),
            Body::PairPut(f) => f.check(),
            Body::FormVersionAdd(f) => f.check(&rules.surveys),
            Body::SurveyAssignmentPut(f) => f.check(&rules.roster),
            Body::VisitAdd(f) => f.check(&rules.roster, &rules.surveys),
            Body::SurveyResponseAdd(f) => f.check(&rules.roster, &rules.surveys),
            Body::ResponseReviewAdd(f) => f.check(&rules.roster, &rules.surveys),
            Body::StandardEntryAdd(f) => f.check(),
            Body::LogEntryPut(f) => f.check(),
            Body::Delete => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The hand-written reading of a body is the derive's writing, read back: every `type` the enum
    /// writes is one it reads, and a body's fields survive the trip.
    #[test]
    fn bodies_read_what_they_write() {
        let team: Body =
            serde_json::from_value(json!({"type":"team.put","name":"银发护河队"})).unwrap();
        assert_eq!(
            serde_json::to_value(&team).unwrap(),
            json!({"type":"team.put","name":"银发护河队","description":""})
        );
        let delete: Body = serde_json::from_str(r#"{"type":"delete"}"#).unwrap();
        assert_eq!(delete, Body::Delete);
        assert_eq!(
            serde_json::to_string(&Body::Delete).unwrap(),
            r#"{"type":"delete"}"#
        );
        for ty in BODY_TYPES {
            // Each known type gets past the tag: an empty body fails on a missing field, never on the type.
            if let Err(e) = serde_json::from_value::<Body>(json!({ "type": ty })) {
                assert!(!e.to_string().contains("unknown variant"), "{ty}: {e}");
            }
        }
    }

    /// Bad bodies are refused naming what is wrong.
    #[test]
    fn a_body_reads_the_same_with_type_first_or_not() {
        // `type` first (as written): read straight into the fields' type; elsewhere: read whole first.
        // Both give the same body, and a `delete` ignores whatever else it carries.
        let first = r#"{"type":"unit.put","building_id":"0190a4b2-0000-7000-8000-000000000001","name":"1单元"}"#;
        let last = r#"{"building_id":"0190a4b2-0000-7000-8000-000000000001","name":"1单元","type":"unit.put"}"#;
        let a: Body = serde_json::from_str(first).unwrap();
        let b: Body = serde_json::from_str(last).unwrap();
        assert_eq!(a, b);
        match &a {
            Body::UnitPut(u) => assert_eq!(u.name, "1单元"),
            other => panic!("{other:?}"),
        }
        assert_eq!(serde_json::to_string(&a).unwrap(), first);
        let delete: Body = serde_json::from_str(r#"{"type":"delete","x":[1,{"y":2}]}"#).unwrap();
        assert_eq!(delete, Body::Delete);
        let delete: Body = serde_json::from_str(r#"{"x":1,"type":"delete"}"#).unwrap();
        assert_eq!(delete, Body::Delete);
    }

    #[test]
    fn bad_bodies_name_the_fault() {
        let unknown = serde_json::from_value::<Body>(json!({"type":"house.put"})).unwrap_err();
        assert!(
            unknown
                .to_string()
                .starts_with("unknown variant `house.put`, expected one of `compound.put`"),
            "{unknown}"
        );
        let missing = serde_json::from_value::<Body>(json!({"name":"x"})).unwrap_err();
        assert_eq!(missing.to_string(), "missing field `type`");
        let wrong =
            serde_json::from_value::<Body>(json!({"type":"team.put","name":7})).unwrap_err();
        assert!(wrong.to_string().contains("expected a string"), "{wrong}");
        // The same faults with `type` first, as operations are written (the server's direct reader).
        let wrong = serde_json::from_str::<Body>(r#"{"type":"team.put","name":7}"#).unwrap_err();
        assert!(wrong.to_string().contains("expected a string"), "{wrong}");
        let unknown = serde_json::from_str::<Body>(r#"{"type":"house.put","a":1}"#).unwrap_err();
        assert!(
            unknown
                .to_string()
                .starts_with("unknown variant `house.put`"),
            "{unknown}"
        );
        let not_string = serde_json::from_str::<Body>(r#"{"type":7}"#).unwrap_err();
        assert!(
            not_string.to_string().contains("expected a string"),
            "{not_string}"
        );
        let not_object = serde_json::from_value::<Body>(json!("team.put")).unwrap_err();
        assert!(
            not_object.to_string().contains("expected a map"),
            "{not_object}"
        );
    }
}
