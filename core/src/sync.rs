//! The sync model (DESIGN.md): operations, their merge into a replica, and the checks an operation must pass.
//!
//! A replica's state is a pure function of the *set* of operations it has applied: every field is a
//! last-writer-wins register ordered by [`Stamp`], and deletion is a tombstone that wins. So two replicas
//! that have seen the same operations, in any order and with any duplicates, hold the same state.

use crate::hlc::Hlc;
pub use crate::registry::{Body, EntityKind};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
/// A seeded fast hash (foldhash): about twice SipHash's speed on these short keys, which the server's
/// writer hashes several times per operation; seeded per process, so keys cannot be chosen to collide.
type HashMap<K, V> = foldhash::HashMap<K, V>;
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

/// A feature's typed fields read from (name, value) pairs in place. The one reader of every fields type:
/// records' registers (`Record::get`) and operations' bodies (`Body`'s `Deserialize`) both come here, so
/// the app's Wasm holds one copy of each type's reading code, not one per caller (issue 8).
pub fn read_fields<'a, T: Deserialize<'a>>(
    fields: &mut dyn Iterator<Item = (&'a str, &'a serde_json::Value)>,
) -> Result<T, serde_json::Error> {
    T::deserialize(serde::de::value::MapDeserializer::<_, serde_json::Error>::new(fields))
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

    /// The record as its feature's typed fields, if it is live.
    pub fn get<T: for<'de> Deserialize<'de>>(&self) -> Option<T> {
        if !self.is_live() {
            return None;
        }
        // Read from the registers in place: no copy of the record's values into a JSON object first
        // (views read every household of a compound through here).
        read_fields(&mut self.fields.iter().map(|(k, r)| (k.as_str(), &r.value))).ok()
    }

    pub fn str_field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(|r| r.value.as_str())
    }

    /// The stamp of its latest write: for an append-only record, the one operation that made it.
    pub fn written(&self) -> Option<Stamp> {
        self.fields.values().map(|r| r.at).max()
    }

    /// The record it sits under (`EntityKind::parent`), if any.
    pub fn parent_id(&self) -> Option<Uuid> {
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

/// Index key of a unique key a feature declares: (community, kind, parent, key).
type UniqueKey = (String, EntityKind, Uuid, String);

/// The state of one replica (a device, or the server's view of a community).
///
/// The records are hashed by key, so a lookup costs the same in a community of 300,000 records as in
/// one of 30. Besides them it keeps three indexes, all over live records only: children by parent (so
/// a view lists a unit's households without scanning every record), the records of kinds without a
/// parent (compounds: [`Replica::live_of`] lists them without a scan), and the unique keys features
/// declare through [`EntityKind::unique_key`] (a household's door within its unit).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replica {
    records: HashMap<RecordKey, Record>,
    /// (parent kind, parent id) → its live children.
    children: HashMap<(EntityKind, Uuid), BTreeSet<RecordKey>>,
    /// Live records of the kinds without a parent.
    roots: BTreeSet<RecordKey>,
    unique: HashMap<UniqueKey, BTreeSet<Uuid>>,
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
        let mut all: Vec<_> = self.records.iter().collect();
        all.sort_unstable_by(|a, b| a.0.cmp(b.0));
        all.into_iter()
    }

    /// Puts back a record saved earlier with [`Replica::records`].
    pub fn insert_record(&mut self, key: RecordKey, record: Record) {
        self.unindex(&key);
        self.records.insert(key.clone(), record);
        self.index(&key);
    }

    fn unique_key_of(key: &RecordKey, rec: &Record) -> Option<UniqueKey> {
        let parent = rec.parent_id()?;
        let k = key
            .kind
            .unique_key(&|name| rec.fields.get(name).map(|r| r.value.clone()))?;
        Some((key.community.clone(), key.kind, parent, k))
    }

    fn unindex(&mut self, key: &RecordKey) {
        let Some(rec) = self.records.get(key).filter(|r| r.is_live()) else {
            return;
        };
        let parent = key.kind.parent().zip(rec.parent_id());
        let unique = Self::unique_key_of(key, rec);
        if let Some(((pk, _), pid)) = parent
            && let Some(set) = self.children.get_mut(&(pk, pid))
        {
            set.remove(key);
            if set.is_empty() {
                self.children.remove(&(pk, pid));
            }
        }
        if key.kind.parent().is_none() {
            self.roots.remove(key);
        }
        if let Some(u) = unique
            && let Some(set) = self.unique.get_mut(&u)
        {
            set.remove(&key.id);
            if set.is_empty() {
                self.unique.remove(&u);
            }
        }
    }

    fn index(&mut self, key: &RecordKey) {
        let Some(rec) = self.records.get(key).filter(|r| r.is_live()) else {
            return;
        };
        if let Some(((pk, _), pid)) = key.kind.parent().zip(rec.parent_id()) {
            self.children
                .entry((pk, pid))
                .or_default()
                .insert(key.clone());
        }
        if key.kind.parent().is_none() {
            self.roots.insert(key.clone());
        }
        if let Some(u) = Self::unique_key_of(key, rec) {
            self.unique.entry(u).or_default().insert(key.id);
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

    /// The live record of `kind` and `id`, if any.
    pub fn live(&self, community: &str, kind: EntityKind, id: Uuid) -> Option<&Record> {
        self.record(community, EntityRef { kind, id })
            .filter(|r| r.is_live())
    }

    /// A live record as its feature's typed fields.
    pub fn get<T: for<'de> Deserialize<'de>>(
        &self,
        community: &str,
        kind: EntityKind,
        id: Uuid,
    ) -> Option<T> {
        self.live(community, kind, id)?.get()
    }

    /// Live records of `kind` under the record `parent` (of `kind`'s parent kind), from the index.
    pub fn child_records(
        &self,
        kind: EntityKind,
        parent: Uuid,
    ) -> impl Iterator<Item = (Uuid, &Record)> + '_ {
        let parent_kind = kind.parent().map(|(k, _)| k);
        parent_kind
            .and_then(|pk| self.children.get(&(pk, parent)))
            .into_iter()
            .flatten()
            .filter(move |k| k.kind == kind)
            .filter_map(|k| Some((k.id, self.records.get(k)?)))
    }

    /// As [`Replica::child_records`], typed.
    pub fn children<T: for<'de> Deserialize<'de>>(
        &self,
        kind: EntityKind,
        parent: Uuid,
    ) -> impl Iterator<Item = (Uuid, T)> + '_ {
        self.child_records(kind, parent)
            .filter_map(|(id, r)| Some((id, r.get::<T>()?)))
    }

    /// Every live record of `kind`, typed, in key order. From an index for kinds without a parent
    /// (compounds); any other kind costs a pass over every record (list those with [`Replica::children`]).
    pub fn live_of<T: for<'de> Deserialize<'de>>(
        &self,
        kind: EntityKind,
    ) -> impl Iterator<Item = (Uuid, T)> + '_ {
        let keys: Vec<&RecordKey> = if kind.parent().is_none() {
            self.roots.iter().filter(|k| k.kind == kind).collect()
        } else {
            let mut v: Vec<_> = self.records.keys().filter(|k| k.kind == kind).collect();
            v.sort_unstable();
            v
        };
        keys.into_iter()
            .filter_map(|k| Some((k.id, self.records.get(k)?.get::<T>()?)))
    }

    /// The live records of a kind without a parent in one community, in key order, from the index (the
    /// records of a community-level kind — volunteers, teams, activities — without a scan).
    pub fn root_records<'a>(
        &'a self,
        community: &'a str,
        kind: EntityKind,
    ) -> impl Iterator<Item = (Uuid, &'a Record)> + 'a {
        self.roots
            .iter()
            .filter(move |k| k.kind == kind && k.community == community)
            .filter_map(|k| Some((k.id, self.records.get(k)?)))
    }

    /// Live records of `kind` under `parent` whose declared unique key is `key`.
    pub fn with_unique_key(
        &self,
        community: &str,
        kind: EntityKind,
        parent: Uuid,
        key: &str,
    ) -> impl Iterator<Item = Uuid> + '_ {
        self.unique
            .get(&(community.to_string(), kind, parent, key.to_string()))
            .into_iter()
            .flatten()
            .copied()
    }

    pub(crate) fn has_live_children(&self, community: &str, kind: EntityKind, id: Uuid) -> bool {
        self.children
            .get(&(kind, id))
            .is_some_and(|s| s.iter().any(|k| k.community == community))
    }
}
