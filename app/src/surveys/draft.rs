//! Drafts (草稿): the answers of a form being filled at a door, kept in IndexedDB's `drafts` store and
//! written there as each answer is given, so a killed tab, a dead battery or a reload loses nothing and
//! the form reopens where it stopped. A draft names the exact form version it started under and is
//! finished under it, whatever is published since. Submitting queues the response and deletes the draft
//! in one transaction.

use crate::data::state::{self, SaveError};
use linli_core::EntityKind;
use linli_core::surveys::SurveyResponseFields;
use linli_core::sync::{Body, EntityRef};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// One unfinished response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub id: Uuid,
    pub community: String,
    pub collector: String,
    pub form_id: Uuid,
    pub form_version: u32,
    pub form_version_id: Uuid,
    pub household_id: Uuid,
    #[serde(default)]
    pub person_id: Option<Uuid>,
    pub answers: BTreeMap<String, Value>,
    /// Questions whose answer came from what is already known (S6), to be confirmed at the door.
    #[serde(default)]
    pub prefilled: BTreeSet<String>,
    /// The household's responses this device held when the form was started (S6 conflicts).
    #[serde(default)]
    pub seen: Vec<Uuid>,
    #[serde(default)]
    pub fixes: Option<Uuid>,
    pub started_at_ms: u64,
}

/// Starts a draft of form version `version_id` for `household`: the answers already known (S6) filled in
/// for confirmation, stored before it is returned.
pub async fn start(
    version_id: Uuid,
    household: Uuid,
    fixes: Option<Uuid>,
) -> Result<Draft, SaveError> {
    let community = state::community();
    let draft = state::with(|l| {
        let v = l.view.form_version(&community, version_id)?;
        let known = l.view.bound_values(&community, household, None);
        let mut answers = BTreeMap::new();
        let mut prefilled = BTreeSet::new();
        for q in &v.questions {
            if let Some(value) = q.binds.and_then(|b| known.get(&b)) {
                answers.insert(q.id.clone(), value.clone());
                prefilled.insert(q.id.clone());
            }
        }
        // A fix starts from the answers it corrects.
        if let Some(old) = fixes.and_then(|f| l.view.survey_response(&community, f)) {
            answers = old.answers;
        }
        Some(Draft {
            id: Uuid::now_v7(),
            community: community.clone(),
            collector: state::username(),
            form_id: v.form_id,
            form_version: v.version,
            form_version_id: version_id,
            household_id: household,
            person_id: None,
            answers,
            prefilled,
            seen: l
                .view
                .household_responses(household)
                .iter()
                .map(|r| r.id)
                .collect(),
            fixes,
            started_at_ms: state::now_ms(),
        })
    })
    .ok_or(SaveError::Rule(linli_core::RuleError::field(
        linli_core::ErrorCode::NotFound,
        "form_version_id",
    )))?;
    put(&draft).await?;
    Ok(draft)
}

/// Writes the draft (strict durability: on disk when this returns).
pub async fn put(draft: &Draft) -> Result<(), SaveError> {
    let db = state::db().ok_or(SaveError::NoSession)?;
    db.put_draft(&draft.id, draft)
        .await
        .map_err(|e| SaveError::Store(e.0))
}

/// A draft by id.
pub async fn get(id: Uuid) -> Option<Draft> {
    state::db()?.draft(&id).await.ok().flatten()
}

/// This collector's drafts in this community, oldest first.
pub async fn mine() -> Vec<Draft> {
    let Some(db) = state::db() else { return vec![] };
    let (community, me) = (state::community(), state::username());
    let mut v: Vec<Draft> = db.drafts().await.unwrap_or_default();
    v.retain(|d| d.community == community && d.collector == me);
    v.sort_by_key(|d| d.started_at_ms);
    v
}

/// Discards a draft.
pub async fn discard(id: Uuid) -> Result<(), SaveError> {
    let db = state::db().ok_or(SaveError::NoSession)?;
    db.delete_draft(&id)
        .await
        .map_err(|e| SaveError::Store(e.0))
}

/// Submits the draft: the core checks the response against its own version (nothing is stored when it
/// refuses); queued and the draft deleted in one transaction. Returns the response's id.
pub async fn submit(d: &Draft) -> Result<Uuid, SaveError> {
    let device = state::with(|l| l.device_id);
    let body = Body::SurveyResponseAdd(SurveyResponseFields {
        form_id: d.form_id,
        form_version: d.form_version,
        form_version_id: d.form_version_id,
        household_id: d.household_id,
        person_id: d.person_id,
        answers: d.answers.clone(),
        collector: d.collector.clone(),
        device,
        started_at_ms: d.started_at_ms,
        submitted_at_ms: state::now_ms().max(d.started_at_ms),
        fixes: d.fixes,
        seen: d.seen.clone(),
    });
    let entity = EntityRef {
        kind: EntityKind::SurveyResponse,
        id: Uuid::now_v7(),
    };
    state::save_dropping_draft(entity, body, Some(d.id)).await?;
    Ok(entity.id)
}
