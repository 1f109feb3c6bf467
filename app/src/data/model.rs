//! The device's state as plain types: the confirmed replica, the outbox, and the local view built from both.
//!
//! No signals and no I/O here: `store.rs` persists these types, `state.rs` holds them for the UI.

use linli_core::sync::{Body, EntityRef, OP_FORMAT_VERSION, Operation, Replica};
use linli_core::{Clock, Lang};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// The logged-in staff member, as stored in `meta` so the app starts offline: the login's answer itself.
pub type Session = linli_core::protocol::LoginResponse;

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
    /// The rule set the server checks with (`GET /api/rules`), once fetched; the national defaults before.
    pub rules: Option<linli_core::RuleSet>,
    pub confirmed: Replica,
    /// How many operations the store's pages hold (what [`crate::data::store::Db::compact`] would fold).
    pub stored_ops: usize,
    pub view: Replica,
    /// Ordered by HLC, then id.
    pub outbox: Vec<OutboxEntry>,
}

impl Local {
    /// Rebuilds the view from the confirmed replica and the outbox (refused changes included, so they stay visible).
    pub fn rebuild_view(&mut self) {
        self.outbox.sort_by_key(|e| (e.op.hlc, e.op.id));
        let mut view = self.confirmed.clone();
        for e in &self.outbox {
            view.apply(&e.op);
        }
        self.view = view;
    }

    /// The state results are counted from: what the server confirmed, plus the changes waiting to be sent
    /// that are not ballots (a project or menu made on this phone). So results, coverage and exports
    /// count only ballots the server accepted; a refused change counts nowhere.
    pub fn counted(&self) -> Replica {
        let mut r = self.confirmed.clone();
        for e in &self.outbox {
            if e.status == OutboxStatus::Pending
                && e.op.entity.kind != linli_core::EntityKind::Ballot
            {
                r.apply(&e.op);
            }
        }
        r
    }

    /// Ballots of `project` recorded on this phone and waiting to be sent (shown apart, not counted).
    pub fn waiting_ballots(&self, project: Uuid) -> u64 {
        self.outbox
            .iter()
            .filter(|e| e.status == OutboxStatus::Pending)
            .filter(|e| matches!(&e.op.body, Body::BallotCast(b) if b.project_id == project))
            .count() as u64
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
    use linli_core::roster::CompoundFields;

    fn local() -> Local {
        Local {
            session: Some(Session {
                token: "t".into(),
                expires_at: u64::MAX,
                username: "amy".into(),
                role: linli_core::protocol::Role::Staff,
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

    /// Results count only ballots the server accepted: a waiting ballot is shown apart, a refused one
    /// nowhere, while a project made on this phone and not yet sent is still there to count against.
    #[test]
    fn only_accepted_ballots_are_counted() {
        use linli_core::renovation::{BallotChannel, BallotFields, ProjectFields, RenovationKind};
        use linli_core::roster::{BuildingFields, HouseholdFields, UnitFields};
        let mut l = local();
        let (c, b, u, p) = (
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
            Uuid::now_v7(),
        );
        let hh: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let mut t = 1000;
        let mut op = |l: &mut Local, kind, id, body| {
            t += 1;
            l.new_op(Uuid::now_v7(), t, EntityRef { kind, id }, body)
                .unwrap()
        };
        let date = |s| linli_core::date::Date::parse(s).unwrap();
        let mut confirmed = vec![
            op(
                &mut l,
                EntityKind::Compound,
                c,
                Body::CompoundPut(CompoundFields {
                    name: "A".into(),
                    address: String::new(),
                    year_built: None,
                }),
            ),
            op(
                &mut l,
                EntityKind::Building,
                b,
                Body::BuildingPut(BuildingFields {
                    compound_id: c,
                    name: "1".into(),
                }),
            ),
            op(
                &mut l,
                EntityKind::Unit,
                u,
                Body::UnitPut(UnitFields {
                    building_id: b,
                    name: "1".into(),
                }),
            ),
        ];
        for (i, h) in hh.iter().enumerate() {
            confirmed.push(op(
                &mut l,
                EntityKind::Household,
                *h,
                Body::HouseholdPut(HouseholdFields {
                    unit_id: u,
                    door: format!("10{i}"),
                    area_m2: 60.0,
                    owners: 1,
                }),
            ));
        }
        let project = op(
            &mut l,
            EntityKind::Project,
            p,
            Body::ProjectPut(ProjectFields {
                compound_id: c,
                name: "P".into(),
                kind: RenovationKind::Comprehensive,
                year_built: None,
                dangerous_c: 0,
                dangerous_d: 0,
                survey_opens: date("2026-01-01"),
                survey_closes: date("2026-12-31"),
                grace_days: 0,
                show_running_results: false,
                notice_posted: None,
                design_notice_posted: None,
                consultation_rounds: vec![],
                representative_meeting: None,
                return_rate_pct: None,
            }),
        );
        let ballot = |l: &mut Local,
                      op: &mut dyn FnMut(&mut Local, EntityKind, Uuid, Body) -> Operation,
                      h: Uuid| {
            op(
                l,
                EntityKind::Ballot,
                Uuid::now_v7(),
                Body::BallotCast(BallotFields {
                    project_id: p,
                    household_id: h,
                    agree: true,
                    items: vec![],
                    cast_at_ms: 1_780_000_000_000,
                    channel: BallotChannel::Staff,
                }),
            )
        };
        let accepted = ballot(&mut l, &mut op, hh[0]);
        let waiting = ballot(&mut l, &mut op, hh[1]);
        let refused = ballot(&mut l, &mut op, hh[2]);
        for o in confirmed.iter().chain([&accepted]) {
            l.confirmed.apply(o);
        }
        l.outbox.push(OutboxEntry::pending(project, t));
        l.outbox.push(OutboxEntry::pending(waiting, t));
        let mut e = OutboxEntry::pending(refused, t);
        e.status = OutboxStatus::Rejected;
        l.outbox.push(e);
        l.rebuild_view();
        let rules = linli_core::RuleSet::default();
        // The phone's view shows all three answers; only the accepted one is counted.
        assert_eq!(l.view.tally("c1", p, &rules).unwrap().coverage.responded, 3);
        let counted = l.counted().tally("c1", p, &rules).unwrap();
        assert_eq!((counted.coverage.responded, counted.coverage.total), (1, 3));
        assert_eq!(l.waiting_ballots(p), 1);
    }
}
