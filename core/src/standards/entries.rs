//! What staff enter for the rows Linli cannot compute (自评录入, RULES E1–E7): a value or yes/no for a
//! manual or checklist row — or for a computed row whose register Linli does not keep yet (meetings,
//! activities: the dates they were held) — with a note and the evidence it rests on (a document's
//! reference) and the photos taken as evidence (照片佐证: ids made on the phone, the images themselves
//! uploaded apart to `PUT /api/standards/evidence/{id}`). An entry is
//! never changed: a correction is a new entry, the latest by stamp counts, and the history stays.

use super::Input;
use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use crate::roster::check_text;
use crate::sync::{EntityKind, Replica, Stamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// Longest note and evidence reference.
pub const NOTE_MAX: usize = 500;
pub const EVIDENCE_MAX: usize = 200;
/// Most photos one entry names (照片佐证).
pub const PHOTOS_MAX: usize = 6;
/// Largest photo the server keeps, in bytes (the phone shrinks its photos below it).
pub const PHOTO_MAX_BYTES: usize = 200 * 1024;

/// `standard_entry.add`: one entry for one indicator.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandardEntryFields {
    /// The indicator's id as in STANDARDS.md (`ZZ-STAR-CIV-1`).
    pub indicator_id: String,
    /// The input as the embedding API's `standards.evaluate` takes it: `{"done":true}`, `{"value":x}`,
    /// `{"num":n,"den":d}` or `{"dates":[…]}`, by the row's kind.
    pub input: Value,
    #[serde(default)]
    pub note: String,
    /// Where the evidence is (台账第 3 册, a photo's name, a document number).
    #[serde(default)]
    pub evidence: String,
    /// Who entered it (the staff member's username).
    pub entered_by: String,
    pub at_ms: u64,
    /// The photos taken as evidence (照片), by the ids the phone gave them (UUIDv7), at most
    /// [`PHOTOS_MAX`], none twice. Absent when empty, so an entry without photos reads as before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<Uuid>,
}

impl StandardEntryFields {
    /// The row exists and is not one Linli computes (`inputs::COMPUTED_BY_LINLI`); the input fits its
    /// kind; the texts are bounded.
    pub fn check(&self) -> Result<(), RuleError> {
        let Some(kind) = super::catalogue::kind_of(&self.indicator_id) else {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "indicator_id")
                .with_detail(format!("{} is not an indicator", self.indicator_id)));
        };
        if super::inputs::COMPUTED_BY_LINLI.contains(&self.indicator_id.as_str()) {
            return Err(RuleError::field(ErrorCode::InvalidRequest, "indicator_id")
                .with_detail("computed from Linli's data, not entered"));
        }
        if Input::from_json(kind, &self.input, "input")?.is_none() {
            return Err(RuleError::field(ErrorCode::Required, "input"));
        }
        check_text(&self.note, "note", NOTE_MAX, false)?;
        check_text(&self.evidence, "evidence", EVIDENCE_MAX, false)?;
        check_photos(&self.photos)?;
        check_text(&self.entered_by, "entered_by", 64, true)
    }
}

/// An entry's photos: at most [`PHOTOS_MAX`], each a UUIDv7 named once.
pub fn check_photos(photos: &[Uuid]) -> Result<(), RuleError> {
    if photos.len() > PHOTOS_MAX {
        return Err(RuleError::field(ErrorCode::OutOfRange, "photos")
            .with_detail(format!("at most {PHOTOS_MAX} photos")));
    }
    for (i, p) in photos.iter().enumerate() {
        if p.get_version_num() != 7 {
            return Err(RuleError::field(
                ErrorCode::InvalidId,
                format!("photos[{i}]"),
            ));
        }
        if photos[..i].contains(p) {
            return Err(
                RuleError::field(ErrorCode::InvalidRequest, format!("photos[{i}]"))
                    .with_detail("the same photo twice"),
            );
        }
    }
    Ok(())
}

/// Which image a photo's bytes are, by their first bytes (magic numbers): JPEG, PNG or WebP — the only
/// kinds kept as evidence. `None` for anything else (a text, a PDF, a truncated file).
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// One entry as the history shows it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StandardEntry {
    pub id: Uuid,
    pub stamp: Stamp,
    pub fields: StandardEntryFields,
}

impl Replica {
    /// Every entry of the community, by indicator, oldest first (the last is the one in force).
    pub fn standard_entries(&self, community: &str) -> HashMap<String, Vec<StandardEntry>> {
        let mut out: HashMap<String, Vec<StandardEntry>> = HashMap::new();
        for (id, r) in self.root_records(community, EntityKind::StandardEntry) {
            let (Some(stamp), Some(fields)) = (r.written(), r.get::<StandardEntryFields>()) else {
                continue;
            };
            out.entry(fields.indicator_id.clone())
                .or_default()
                .push(StandardEntry { id, stamp, fields });
        }
        for v in out.values_mut() {
            v.sort_by_key(|e| e.stamp);
        }
        out
    }

    /// The inputs in force on `as_of` from the entries: each indicator's latest entered on or before
    /// that day (China time), so a month's standing is what was known at its end.
    pub fn entered_inputs(&self, community: &str, as_of: Date) -> HashMap<String, Input> {
        self.standard_entries(community)
            .into_iter()
            .filter_map(|(id, list)| {
                let last = list
                    .iter()
                    .rev()
                    .find(|e| Date::from_unix_ms_cst(e.fields.at_ms as i64) <= as_of)?;
                let kind = super::catalogue::kind_of(&id)?;
                let input = Input::from_json(kind, &last.fields.input, "input").ok()??;
                Some((id, input))
            })
            .collect()
    }
}
