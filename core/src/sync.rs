//! The sync model (DESIGN.md): operations, their merge into a replica, and the checks an operation must pass.
//!
//! A replica's state is a pure function of the *set* of operations it has applied: every field is a
//! last-writer-wins register ordered by [`Stamp`], and deletion is a tombstone that wins. So two replicas
//! that have seen the same operations, in any order and with any duplicates, hold the same state.

use crate::error::{ErrorCode, RuleError};
use crate::hlc::Hlc;
use crate::places::*;
use crate::project::{BallotFields, MenuItemFields, ProjectFields};
use crate::renovation::{Ballot, CastAt, Tally, TallyInput, VoterHousehold};
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// The version of the operation JSON format this core writes and reads.
pub const OP_FORMAT_VERSION: u32 = 1;

/// Which record an operation touches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRef {
    pub kind: EntityKind,
    pub id: Uuid,
}

/// What an operation does. Puts carry the whole record; each field merges on its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// A tombstone: the record is deleted, for good.
    #[serde(rename = "delete")]
    Delete,
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
            Body::Delete => None,
        }
    }

    fn fields(&self) -> Option<serde_json::Map<String, Value>> {
        let v = match self {
            Body::CompoundPut(f) => serde_json::to_value(f),
            Body::BuildingPut(f) => serde_json::to_value(f),
            Body::UnitPut(f) => serde_json::to_value(f),
            Body::HouseholdPut(f) => serde_json::to_value(f),
            Body::ProjectPut(f) => serde_json::to_value(f),
            Body::MenuItemPut(f) => serde_json::to_value(f),
            Body::BallotCast(f) => serde_json::to_value(f),
            Body::Delete => return None,
        };
        match v {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        }
    }
}

/// One change, as stored on the device, pushed to the server and pulled by other devices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    /// Format version, [`OP_FORMAT_VERSION`].
    pub v: u32,
    /// UUIDv7 made by the device, fresh for every operation.
    pub id: Uuid,
    pub device_id: Uuid,
    /// Username of the staff member who made the change.
    pub author: String,
    pub hlc: Hlc,
    /// Community id (RULES H1): every record belongs to exactly one.
    pub community: String,
    pub entity: EntityRef,
    pub body: Body,
}

/// The total order of writes: timestamp, then device, then operation id, so ties cannot happen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Stamp {
    pub hlc: Hlc,
    pub device: Uuid,
    pub op: Uuid,
}

impl Operation {
    pub fn stamp(&self) -> Stamp {
        Stamp {
            hlc: self.hlc,
            device: self.device_id,
            op: self.id,
        }
    }
}

/// A last-writer-wins register.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Register {
    pub value: Value,
    pub at: Stamp,
}

/// The merged state of one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub kind: EntityKind,
    pub fields: BTreeMap<String, Register>,
    pub deleted: Option<Stamp>,
}

impl Record {
    fn new(kind: EntityKind) -> Self {
        Record {
            kind,
            fields: BTreeMap::new(),
            deleted: None,
        }
    }

    pub fn is_live(&self) -> bool {
        self.deleted.is_none() && !self.fields.is_empty()
    }

    fn get<T: for<'de> Deserialize<'de>>(&self) -> Option<T> {
        if !self.is_live() {
            return None;
        }
        let map: serde_json::Map<String, Value> = self
            .fields
            .iter()
            .map(|(k, r)| (k.clone(), r.value.clone()))
            .collect();
        serde_json::from_value(Value::Object(map)).ok()
    }

    fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(|r| r.value.as_str())
    }

    fn parent_id(&self) -> Option<Uuid> {
        let (_, field) = self.kind.parent()?;
        self.str_field(field).and_then(|s| Uuid::parse_str(s).ok())
    }
}

/// Identifies a record across communities.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RecordKey {
    pub community: String,
    pub kind: EntityKind,
    pub id: Uuid,
}

/// The state of one replica (a device, or the server's view of a community).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replica {
    records: BTreeMap<RecordKey, Record>,
    /// Live households by (community, unit, door key): an index for the door-uniqueness check.
    doors: HashMap<(String, Uuid, String), BTreeSet<Uuid>>,
}

impl Replica {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn record(&self, community: &str, entity: EntityRef) -> Option<&Record> {
        self.records.get(&RecordKey {
            community: community.to_string(),
            kind: entity.kind,
            id: entity.id,
        })
    }

    /// All records, in key order (for comparison and persistence).
    pub fn records(&self) -> impl Iterator<Item = (&RecordKey, &Record)> {
        self.records.iter()
    }

    /// Puts back a record saved earlier with [`Replica::records`].
    pub fn insert_record(&mut self, key: RecordKey, record: Record) {
        self.unindex(&key);
        self.records.insert(key.clone(), record);
        self.index(&key);
    }

    fn door_of(&self, key: &RecordKey) -> Option<(String, Uuid, String)> {
        let rec = self.records.get(key)?;
        if key.kind != EntityKind::Household || !rec.is_live() {
            return None;
        }
        let unit = rec.parent_id()?;
        let door = HouseholdFields::door_key(rec.str_field("door")?);
        Some((key.community.clone(), unit, door))
    }

    fn unindex(&mut self, key: &RecordKey) {
        if let Some(k) = self.door_of(key)
            && let Some(set) = self.doors.get_mut(&k)
        {
            set.remove(&key.id);
            if set.is_empty() {
                self.doors.remove(&k);
            }
        }
    }

    fn index(&mut self, key: &RecordKey) {
        if let Some(k) = self.door_of(key) {
            self.doors.entry(k).or_default().insert(key.id);
        }
    }

    /// Merges an operation. Commutative, associative and idempotent; never fails (checks are [`Replica::check`]).
    pub fn apply(&mut self, op: &Operation) {
        let key = RecordKey {
            community: op.community.clone(),
            kind: op.entity.kind,
            id: op.entity.id,
        };
        // A body of another kind than the entity would corrupt the record; such an operation is ignored
        // here and refused by `check`.
        if op.body.kind().is_some_and(|k| k != op.entity.kind) {
            return;
        }
        self.unindex(&key);
        let stamp = op.stamp();
        let rec = self
            .records
            .entry(key.clone())
            .or_insert_with(|| Record::new(op.entity.kind));
        match op.body.fields() {
            None => rec.deleted = rec.deleted.max(Some(stamp)),
            Some(fields) => {
                for (name, value) in fields {
                    match rec.fields.get_mut(&name) {
                        Some(reg) if reg.at >= stamp => {}
                        Some(reg) => *reg = Register { value, at: stamp },
                        None => {
                            rec.fields.insert(name, Register { value, at: stamp });
                        }
                    }
                }
            }
        }
        self.index(&key);
    }

    fn live(&self, community: &str, kind: EntityKind, id: Uuid) -> Option<&Record> {
        self.record(community, EntityRef { kind, id })
            .filter(|r| r.is_live())
    }

    /// Whether `op` may be applied on top of this state: its shape, its fields against the rule set,
    /// the records it refers to, and its timestamp against `now_ms` (the checker's wall clock).
    pub fn check(&self, op: &Operation, rules: &RuleSet, now_ms: u64) -> Result<(), RuleError> {
        check_shape(op, rules, now_ms)?;
        let existing = self.record(&op.community, op.entity);
        if existing.is_some_and(|r| r.deleted.is_some()) {
            return Err(RuleError::new(ErrorCode::Deleted));
        }
        match &op.body {
            Body::Delete => {
                if op.entity.kind == EntityKind::Ballot {
                    return Err(RuleError::field(ErrorCode::InvalidRequest, "entity.kind")
                        .with_detail("ballots are never deleted; a new answer replaces the old one"));
                }
                if !existing.is_some_and(Record::is_live) {
                    return Err(RuleError::field(ErrorCode::NotFound, "entity.id"));
                }
                let has_children = self.records.iter().any(|(k, r)| {
                    k.community == op.community
                        && r.is_live()
                        && r.kind.parent().map(|(p, _)| p) == Some(op.entity.kind)
                        && r.parent_id() == Some(op.entity.id)
                });
                if has_children {
                    return Err(RuleError::new(ErrorCode::HasChildren));
                }
            }
            body => {
                if let Some((parent_kind, field)) = op.entity.kind.parent() {
                    let parent = match body {
                        Body::BuildingPut(f) => f.compound_id,
                        Body::UnitPut(f) => f.building_id,
                        Body::HouseholdPut(f) => f.unit_id,
                        Body::ProjectPut(f) => f.compound_id,
                        Body::MenuItemPut(f) => f.project_id,
                        Body::BallotCast(f) => f.project_id,
                        _ => unreachable!("kind checked in check_shape"),
                    };
                    if self.live(&op.community, parent_kind, parent).is_none() {
                        return Err(RuleError::field(
                            ErrorCode::NotFound,
                            format!("body.{field}"),
                        ));
                    }
                }
                if let Body::BallotCast(f) = body {
                    self.check_ballot(op, f, now_ms)?;
                }
                if let Body::ProjectPut(f) = body
                    && existing.is_some_and(Record::is_live)
                    && self.project(&op.community, op.entity.id).is_some_and(|p| p.compound_id != f.compound_id)
                {
                    return Err(RuleError::field(ErrorCode::InvalidRequest, "body.compound_id")
                        .with_detail("a project cannot move to another compound"));
                }
                if let Body::HouseholdPut(f) = body {
                    let k = (
                        op.community.clone(),
                        f.unit_id,
                        HouseholdFields::door_key(&f.door),
                    );
                    if self
                        .doors
                        .get(&k)
                        .is_some_and(|ids| ids.iter().any(|id| *id != op.entity.id))
                    {
                        return Err(RuleError::field(ErrorCode::DoorTaken, "body.door")
                            .with_detail(f.door.trim()));
                    }
                }
            }
        }
        Ok(())
    }

    /// R4 and the sync model: a ballot is new (append-only), for a household of the project's compound,
    /// chooses only items of the project's menu, and was cast while the survey was open and received
    /// (`now_ms`, the checker's clock) within the grace period.
    fn check_ballot(&self, op: &Operation, f: &BallotFields, now_ms: u64) -> Result<(), RuleError> {
        if self.record(&op.community, op.entity).is_some() {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "entity.id")
                .with_detail("a ballot is never changed; cast a new one"));
        }
        let project = self
            .project(&op.community, f.project_id)
            .ok_or_else(|| RuleError::field(ErrorCode::NotFound, "body.project_id"))?;
        if self.compound_of_household(&op.community, f.household_id) != Some(project.compound_id) {
            return Err(RuleError::field(ErrorCode::NotInProject, "body.household_id"));
        }
        let menu: BTreeSet<Uuid> = self.menu(f.project_id).into_iter().map(|m| m.id).collect();
        if let Some(i) = f.items.iter().position(|i| !menu.contains(i)) {
            return Err(RuleError::field(ErrorCode::NotInProject, format!("body.items[{i}]")));
        }
        project.check_ballot_timing(f.cast_at_ms, now_ms).map_err(|e| RuleError { field: Some("body.cast_at_ms".into()), ..e })
    }

    fn compound_of_household(&self, community: &str, household: Uuid) -> Option<Uuid> {
        let h = self.live(community, EntityKind::Household, household)?;
        let u = self.live(community, EntityKind::Unit, h.parent_id()?)?;
        let b = self.live(community, EntityKind::Building, u.parent_id()?)?;
        b.parent_id()
    }

    pub fn project(&self, community: &str, id: Uuid) -> Option<ProjectFields> {
        self.live(community, EntityKind::Project, id)?.get()
    }

    /// Renovation projects of a compound.
    pub fn projects(&self, compound_id: Uuid) -> Vec<Project> {
        let mut v: Vec<Project> = self
            .children_of(EntityKind::Project, compound_id)
            .map(|(id, fields)| Project { id, fields })
            .collect();
        v.sort_by(|a, b| b.fields.survey_opens.cmp(&a.fields.survey_opens).then_with(|| natural_cmp(&a.fields.name, &b.fields.name)));
        v
    }

    /// A project's menu, in menu order (R2).
    pub fn menu(&self, project_id: Uuid) -> Vec<MenuItem> {
        let mut v: Vec<MenuItem> = self
            .children_of(EntityKind::MenuItem, project_id)
            .map(|(id, fields)| MenuItem { id, fields })
            .collect();
        v.sort_by(|a, b| {
            (a.fields.class, a.fields.position).cmp(&(b.fields.class, b.fields.position)).then_with(|| natural_cmp(&a.fields.name, &b.fields.name))
        });
        v
    }

    /// Every ballot of a project, the history included (R4: all are kept, the latest counts).
    pub fn ballots(&self, project_id: Uuid) -> Vec<BallotRecord> {
        let mut v: Vec<BallotRecord> = self
            .records
            .iter()
            .filter(|(k, r)| k.kind == EntityKind::Ballot && r.parent_id() == Some(project_id))
            .filter_map(|(k, r)| Some((k.id, r.get::<BallotFields>()?, r.fields.values().next()?.at)))
            .filter(|(_, f, _)| f.project_id == project_id)
            .map(|(id, fields, at)| BallotRecord { id, fields, author: at.device, recorded: at.hlc })
            .collect();
        v.sort_by_key(|b| (b.fields.cast_at_ms, b.id));
        v
    }

    /// The households of a compound, with their floor area and owners (R9 weights).
    pub fn compound_households(&self, community: &str, compound_id: Uuid) -> Vec<Household> {
        let mut v: Vec<Household> = self
            .live_of(EntityKind::Household)
            .map(|(id, fields)| Household { id, fields })
            .filter(|h| self.compound_of_household(community, h.id) == Some(compound_id))
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.door, &b.fields.door));
        v
    }

    /// The tally of a project (R4, R5, R9), from the same code as `renovation.tally`.
    pub fn tally(&self, community: &str, project_id: Uuid, rules: &RuleSet) -> Option<Tally> {
        let project = self.project(community, project_id)?;
        let menu = self.menu(project_id);
        let input = TallyInput {
            households: self
                .compound_households(community, project.compound_id)
                .into_iter()
                .map(|h| VoterHousehold { id: h.id.to_string(), area_m2: h.fields.area_m2, owners: h.fields.owners })
                .collect(),
            ballots: self
                .ballots(project_id)
                .into_iter()
                .map(|b| Ballot {
                    household_id: b.fields.household_id.to_string(),
                    agree: b.fields.agree,
                    items: b.fields.items.iter().map(Uuid::to_string).collect(),
                    cast_at: CastAt::Ms(b.fields.cast_at_ms),
                })
                .collect(),
            items: menu.iter().map(|m| m.id.to_string()).collect(),
            matter: Default::default(),
            item_matters: menu.iter().map(|m| (m.id.to_string(), m.fields.matter)).collect(),
        };
        input.tally(&rules.renovation).ok()
    }

    /// Live records of `kind` whose parent is `parent`; only those are decoded (a roster of thousands of
    /// households is filtered by its parent field first).
    fn children_of<T: for<'de> Deserialize<'de>>(
        &self,
        kind: EntityKind,
        parent: Uuid,
    ) -> impl Iterator<Item = (Uuid, T)> + '_ {
        self.records
            .iter()
            .filter(move |(k, r)| k.kind == kind && r.parent_id() == Some(parent))
            .filter_map(|(k, r)| Some((k.id, r.get::<T>()?)))
    }

    fn live_of<T: for<'de> Deserialize<'de>>(
        &self,
        kind: EntityKind,
    ) -> impl Iterator<Item = (Uuid, T)> + '_ {
        self.records
            .iter()
            .filter(move |(k, _)| k.kind == kind)
            .filter_map(|(k, r)| Some((k.id, r.get::<T>()?)))
    }

    pub fn compounds(&self) -> Vec<Compound> {
        let mut v: Vec<_> = self
            .live_of(EntityKind::Compound)
            .map(|(id, fields)| Compound { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn buildings(&self, compound_id: Uuid) -> Vec<Building> {
        let mut v: Vec<Building> = self
            .children_of(EntityKind::Building, compound_id)
            .map(|(id, fields)| Building { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn units(&self, building_id: Uuid) -> Vec<Unit> {
        let mut v: Vec<Unit> = self
            .children_of(EntityKind::Unit, building_id)
            .map(|(id, fields)| Unit { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.name, &b.fields.name));
        v
    }

    pub fn households(&self, unit_id: Uuid) -> Vec<Household> {
        let mut v: Vec<Household> = self
            .children_of(EntityKind::Household, unit_id)
            .map(|(id, fields)| Household { id, fields })
            .collect();
        v.sort_by(|a, b| natural_cmp(&a.fields.door, &b.fields.door));
        v
    }

    pub fn household(&self, community: &str, id: Uuid) -> Option<Household> {
        let fields = self.live(community, EntityKind::Household, id)?.get()?;
        Some(Household { id, fields })
    }
}

/// The checks that need no state: format version, ids, sizes, kinds, fields and clock.
pub fn check_shape(op: &Operation, rules: &RuleSet, now_ms: u64) -> Result<(), RuleError> {
    if op.v != OP_FORMAT_VERSION {
        return Err(RuleError::field(ErrorCode::UnsupportedVersion, "v"));
    }
    if op.id.get_version_num() != 7 {
        return Err(RuleError::field(ErrorCode::InvalidId, "id").with_detail("UUIDv7"));
    }
    let s = &rules.sync;
    if op.author.trim().is_empty() {
        return Err(RuleError::field(ErrorCode::Required, "author"));
    }
    if op.author.chars().count() > s.author_max_chars {
        return Err(RuleError::field(ErrorCode::TooLong, "author")
            .with_detail(s.author_max_chars.to_string()));
    }
    if op.community.trim().is_empty() {
        return Err(RuleError::field(ErrorCode::Required, "community"));
    }
    if op.community.chars().count() > s.community_max_chars {
        return Err(RuleError::field(ErrorCode::TooLong, "community")
            .with_detail(s.community_max_chars.to_string()));
    }
    if op.hlc.ms > now_ms.saturating_add(s.max_clock_ahead_ms) {
        return Err(RuleError::field(ErrorCode::ClockAhead, "hlc"));
    }
    if op.body.kind().is_some_and(|k| k != op.entity.kind) {
        return Err(RuleError::field(ErrorCode::KindMismatch, "body.type"));
    }
    let r = &rules.roster;
    let prefix = |e: RuleError| RuleError {
        field: e.field.map(|f| format!("body.{f}")),
        ..e
    };
    match &op.body {
        Body::CompoundPut(f) => f.check(r),
        Body::BuildingPut(f) => f.check(r),
        Body::UnitPut(f) => f.check(r),
        Body::HouseholdPut(f) => f.check(r),
        Body::ProjectPut(f) => f.check(r, &rules.renovation),
        Body::MenuItemPut(f) => f.check(r, &rules.renovation),
        Body::BallotCast(f) => f.check(&rules.renovation),
        Body::Delete => Ok(()),
    }
    .map_err(prefix)
}
