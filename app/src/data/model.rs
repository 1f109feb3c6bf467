//! The device's state as plain types: the confirmed replica, the outbox, and the local view built from both.
//!
//! No signals and no I/O here: `store.rs` persists these types, `state.rs` holds them for the UI.

use linli_core::protocol::Role;
use linli_core::sync::{Body, EntityRef, OP_FORMAT_VERSION, Operation, Replica};
use linli_core::{Clock, Lang};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// The logged-in staff member, as stored in `meta` so the app starts offline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Session {
    pub token: String,
    /// Milliseconds since the Unix epoch.
    pub expires_at: u64,
    pub username: String,
    pub role: Role,
    pub community: String,
    pub community_name: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Not yet answered by the server.
    Pending,
    /// Refused by the server; kept, visible with its reason, until a person discards it.
    Rejected,
}

/// One queued change, as stored in the `outbox` object store (key: the operation id).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub op: Operation,
    pub status: OutboxStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub queued_at_ms: u64,
}

impl OutboxEntry {
    pub fn pending(op: Operation, now_ms: u64) -> Self {
        OutboxEntry {
            op,
            status: OutboxStatus::Pending,
            code: None,
            message: None,
            field: None,
            queued_at_ms: now_ms,
        }
    }
}

/// How a record shows in the roster.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RowStatus {
    Synced,
    Pending,
    /// Refused, with the server's reason.
    Refused(String),
}

impl RowStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            RowStatus::Synced => "synced",
            RowStatus::Pending => "pending",
            RowStatus::Refused(_) => "refused",
        }
    }
}

/// Everything the device knows. `view` is always `confirmed` with every outbox operation applied on top.
#[derive(Clone, Debug, Default)]
pub struct Local {
    pub device_id: Uuid,
    pub session: Option<Session>,
    /// The server said the token is no longer good (or it is past `expires_at`).
    pub session_expired: bool,
    /// The server's sequence number up to which `confirmed` holds every operation.
    pub cursor: i64,
    pub clock: Clock,
    pub lang: Lang,
    pub last_sync_ms: Option<u64>,
    /// Whether the browser promised to keep the storage (`navigator.storage.persist()`).
    pub persisted: Option<bool>,
    /// Ids of the operations last saved to a file (logging out is allowed once all unsent ones are there).
    pub exported: BTreeSet<Uuid>,
    pub confirmed: Replica,
    pub view: Replica,
    /// Ordered by HLC, then id.
    pub outbox: Vec<OutboxEntry>,
}

/// The live records of `kind` whose parent field (e.g. `unit_id`) is `parent`, in natural order of `order_by`.
/// Filters on the stored parent id before decoding, so a unit's households cost little even among thousands.
pub fn children<T: serde::de::DeserializeOwned>(
    replica: &Replica,
    kind: linli_core::EntityKind,
    parent: Uuid,
    order_by: impl Fn(&T) -> &str,
) -> Vec<(Uuid, T)> {
    let Some((_, field)) = kind.parent() else {
        return Vec::new();
    };
    let parent = parent.to_string();
    let mut v: Vec<(Uuid, T)> = replica
        .records()
        .filter(|(k, r)| k.kind == kind && r.is_live())
        .filter(|(_, r)| {
            r.fields.get(field).and_then(|f| f.value.as_str()) == Some(parent.as_str())
        })
        .filter_map(|(k, r)| {
            let map: serde_json::Map<String, serde_json::Value> = r
                .fields
                .iter()
                .map(|(name, reg)| (name.clone(), reg.value.clone()))
                .collect();
            Some((
                k.id,
                serde_json::from_value(serde_json::Value::Object(map)).ok()?,
            ))
        })
        .collect();
    v.sort_by(|a, b| linli_core::places::natural_cmp(order_by(&a.1), order_by(&b.1)));
    v
}

impl Local {
    /// Rebuilds the view from the confirmed replica and the outbox (refused changes included, so they stay visible).
    pub fn rebuild_view(&mut self) {
        self.outbox
            .sort_by(|a, b| (a.op.hlc, a.op.id).cmp(&(b.op.hlc, b.op.id)));
        let mut view = self.confirmed.clone();
        for e in &self.outbox {
            view.apply(&e.op);
        }
        self.view = view;
    }

    /// A new operation by the logged-in staff member, or `None` when nobody is logged in.
    /// Ticks the clock; the caller persists the clock with the outbox entry.
    pub fn new_op(
        &mut self,
        id: Uuid,
        now_ms: u64,
        entity: EntityRef,
        body: Body,
    ) -> Option<Operation> {
        let s = self.session.as_ref()?;
        Some(Operation {
            v: OP_FORMAT_VERSION,
            id,
            device_id: self.device_id,
            author: s.username.clone(),
            hlc: self.clock.tick(now_ms),
            community: s.community.clone(),
            entity,
            body,
        })
    }

    pub fn pending_count(&self) -> usize {
        self.outbox
            .iter()
            .filter(|e| e.status == OutboxStatus::Pending)
            .count()
    }

    pub fn refused(&self) -> impl Iterator<Item = &OutboxEntry> {
        self.outbox
            .iter()
            .filter(|e| e.status == OutboxStatus::Rejected)
    }

    pub fn refused_count(&self) -> usize {
        self.refused().count()
    }

    /// The status of each record that has a queued change: refused wins over pending.
    pub fn row_statuses(&self) -> HashMap<Uuid, RowStatus> {
        let mut m = HashMap::new();
        for e in &self.outbox {
            let st = match e.status {
                OutboxStatus::Pending => RowStatus::Pending,
                OutboxStatus::Rejected => RowStatus::Refused(e.message.clone().unwrap_or_default()),
            };
            match m.get(&e.op.entity.id) {
                Some(RowStatus::Refused(_)) => {}
                _ => {
                    m.insert(e.op.entity.id, st);
                }
            }
        }
        m
    }

    /// Whether queued changes by someone other than `username` would be sent under their login.
    pub fn has_foreign_changes(&self, username: &str) -> bool {
        self.outbox.iter().any(|e| e.op.author != username)
    }

    /// Logging out is allowed when nothing is unsent, or everything unsent was saved to a file.
    pub fn may_log_out(&self) -> bool {
        self.outbox.iter().all(|e| self.exported.contains(&e.op.id))
    }

    /// Whether the session can be used for the server (present, not known to be expired).
    pub fn session_usable(&self, now_ms: u64) -> bool {
        self.session
            .as_ref()
            .is_some_and(|s| !self.session_expired && s.expires_at > now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_core::EntityKind;
    use linli_core::places::CompoundFields;

    fn local() -> Local {
        Local {
            session: Some(Session {
                token: "t".into(),
                expires_at: u64::MAX,
                username: "amy".into(),
                role: Role::Staff,
                community: "c1".into(),
                community_name: "C".into(),
            }),
            ..Local::default()
        }
    }

    #[test]
    fn refused_changes_stay_in_the_view() {
        let mut l = local();
        let id = Uuid::now_v7();
        let body = Body::CompoundPut(CompoundFields {
            name: "A".into(),
            address: String::new(),
            year_built: None,
        });
        let op = l
            .new_op(
                Uuid::now_v7(),
                1000,
                EntityRef {
                    kind: EntityKind::Compound,
                    id,
                },
                body,
            )
            .unwrap();
        let mut e = OutboxEntry::pending(op, 1000);
        e.status = OutboxStatus::Rejected;
        e.message = Some("no".into());
        l.outbox.push(e);
        l.rebuild_view();
        assert_eq!(l.view.compounds().len(), 1);
        assert_eq!(
            l.row_statuses().get(&id),
            Some(&RowStatus::Refused("no".into()))
        );
        assert_eq!((l.pending_count(), l.refused_count()), (0, 1));
        assert!(!l.may_log_out());
        assert!(l.has_foreign_changes("bob"));
    }
}
