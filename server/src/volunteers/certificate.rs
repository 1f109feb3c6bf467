//! Certificates of service record (志愿服务记录证明, V6 and 民政部令第67号): issuing one from the merged
//! state, reading one back by number, and the public keys that check them.
//!
//! What is certified is `linli_core::volunteers::certificate::Certificate` (its canonical bytes, the
//! `LV1.…` QR payload and the offline check are the core's); the number, the signature and the key are
//! the server's (`repo.rs`). Hours are the confirmed entries that count (corrected ones replaced,
//! declined and pending ones left out), dated up to the day of issue.

use crate::AppState;
use crate::auth::{AuthUser, Login, VolunteerLogin};
use crate::clock::now_ms;
use crate::http::{ApiError, JsonBody, PathParams};
use crate::renovation::qr::qr_svg;
use crate::volunteers::repo::{self, Registered};
use crate::volunteers::staff::{not_found, today, volunteer_id};
use axum::Json;
use axum::extract::{RawQuery, State};
use linli_core::Replica;
use linli_core::date::Date;
use linli_core::personal::mask_id_number;
use linli_core::roster::check_text;
use linli_core::volunteers::EntryStatus;
use linli_core::volunteers::api::{
    CertificateRequest, IssuedCertificate, MyCertificates, PublicKey, PublicKeys,
};
use linli_core::volunteers::certificate::{
    CERTIFICATE_VERSION, Certificate, IdType, ServiceLine, YearHours,
};
use uuid::Uuid;

/// Longest text of the issuer's fields (a name, a telephone number with its office).
const ISSUER_TEXT_MAX: usize = 60;

/// The certificate of a volunteer of `community` on `issued_on` (number and digest filled in when it
/// is registered), and its service list by date; `None` when there is no such volunteer.
pub fn build(
    r: &Replica,
    community: &str,
    community_name: &str,
    id: Uuid,
    issued_on: Date,
    req: &CertificateRequest,
) -> Option<(Certificate, Vec<ServiceLine>)> {
    let v = r.volunteer(community, id)?;
    let mut services: Vec<ServiceLine> = r
        .volunteer_entries(community, id)
        .into_iter()
        .filter(|e| e.counts && e.status == EntryStatus::Confirmed && e.fields.date <= issued_on)
        .map(|e| ServiceLine {
            date: e.fields.date,
            place: e.fields.place,
            content: e.fields.content,
            minutes: e.fields.minutes,
        })
        .collect();
    services.sort_by_key(|s| s.date);
    let mut years: Vec<YearHours> = Vec::new();
    for s in &services {
        match years.last_mut() {
            Some(y) if y.year == s.date.year() => {
                y.minutes += s.minutes as u64;
                y.services += 1;
            }
            _ => years.push(YearHours {
                year: s.date.year(),
                minutes: s.minutes as u64,
                services: 1,
            }),
        }
    }
    let number = req
        .volunteer_number
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map_or_else(|| id.to_string(), str::to_string);
    let c = Certificate {
        v: CERTIFICATE_VERSION,
        number: String::new(),
        issued_on,
        community: community.to_string(),
        community_name: community_name.to_string(),
        person_in_charge: req.person_in_charge.trim().to_string(),
        clerk: req.clerk.trim().to_string(),
        contact: req.contact.trim().to_string(),
        volunteer_id: id,
        volunteer_number: number,
        id_type: if v.fields.id_number.is_empty() {
            IdType::None
        } else {
            IdType::ResidentId
        },
        id_number_masked: mask_id_number(&v.fields.id_number),
        name: v.fields.name,
        total_minutes: years.iter().map(|y| y.minutes).sum(),
        years,
        services_sha256: String::new(),
    };
    Some((c, services))
}

/// The answer for a registered certificate; its QR code is a link to `origin`'s verify page.
fn answer(reg: Registered, origin: &str) -> Result<IssuedCertificate, ApiError> {
    let qr = reg.qr()?;
    let verify_url = format!("{origin}/verify#{qr}");
    let svg = qr_svg(&verify_url)?;
    Ok(IssuedCertificate {
        certificate: reg.certificate,
        services: reg.services,
        payload: reg.payload,
        signature: reg.signature,
        public_key: reg.public_key,
        qr,
        verify_url,
        qr_svg: svg,
    })
}

/// `POST /api/volunteers/{id}/certificate` `{"person_in_charge","clerk","contact","volunteer_number"?}`
/// → `{certificate, services, payload, signature, public_key, qr, qr_svg}`: a new number of the
/// community's register for this year, the date of today (China time), signed.
pub async fn issue(
    State(state): State<AppState>,
    user: AuthUser,
    PathParams(id): PathParams<String>,
    JsonBody(req): JsonBody<CertificateRequest>,
) -> Result<Json<IssuedCertificate>, ApiError> {
    let id = volunteer_id(&id)?;
    for (field, value, required) in [
        ("person_in_charge", &req.person_in_charge, true),
        ("clerk", &req.clerk, true),
        ("contact", &req.contact, true),
        (
            "volunteer_number",
            req.volunteer_number.as_ref().unwrap_or(&String::new()),
            false,
        ),
    ] {
        check_text(value, field, ISSUER_TEXT_MAX, required)?;
    }
    let community = user.community.clone();
    let name = user.community_name.clone();
    let issued_on = today();
    let (certificate, services) = state
        .writer
        .read(user.community.clone(), move |r| {
            build(r, &community, &name, id, issued_on, &req)
        })
        .await?
        .ok_or_else(not_found)?;
    let reg = repo::sign_and_register(
        &state.db,
        certificate,
        services,
        user.username.clone(),
        now_ms(),
    )
    .await?;
    let origin = state.public_url();
    Ok(Json(
        tokio::task::spawn_blocking(move || answer(reg, &origin))
            .await
            .map_err(ApiError::internal)??,
    ))
}

/// `GET /api/volunteers/certificates/{number}` (`2026-0001`) → the certificate as issued, of the
/// caller's community only.
pub async fn get(
    State(state): State<AppState>,
    login: Login,
    PathParams(number): PathParams<String>,
) -> Result<Json<IssuedCertificate>, ApiError> {
    let not_found = || ApiError::RecordNotFound {
        field: "number".into(),
    };
    let reg = repo::certificate(&state.db, login.community().to_string(), number)
        .await?
        .ok_or_else(not_found)?;
    // A volunteer's own phone reads their own certificates only.
    if let Login::Volunteer(v) = &login
        && reg.certificate.volunteer_id != v.volunteer_id
    {
        return Err(not_found());
    }
    Ok(Json(answer(reg, &state.public_url())?))
}

/// `GET /api/volunteers/me/certificates` (a volunteer's own phone) → `{"certificates":[{number,
/// issued_on}]}`, oldest first: what staff issued for them, to open and print.
pub async fn mine(
    State(state): State<AppState>,
    login: VolunteerLogin,
) -> Result<Json<MyCertificates>, ApiError> {
    let certificates = state
        .db
        .blocking(move |db| {
            db.read(|c| repo::certificates_of(c, &login.community, login.volunteer_id))
        })
        .await?;
    Ok(Json(MyCertificates { certificates }))
}

/// `GET /api/certificates/public-key[?community=ID]` (public, no login) → `{"keys":[{community,
/// algorithm: "Ed25519", public_key}]}`: every community's key that has signed a certificate, or the
/// one asked for (an empty list when it has none yet). A `/verify` page keeps them and checks a QR
/// payload offline (`linli_core::volunteers::certificate::verify_qr`).
pub async fn public_keys(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<PublicKeys>, ApiError> {
    let community = q
        .as_deref()
        .unwrap_or("")
        .split('&')
        .find_map(|p| p.strip_prefix("community=").map(str::to_string));
    let keys = state
        .db
        .blocking(move |db| db.read(|c| repo::public_keys(c, community.as_deref())))
        .await?;
    Ok(Json(PublicKeys {
        keys: keys
            .into_iter()
            .map(|(community, public_key)| PublicKey {
                community,
                algorithm: "Ed25519".into(),
                public_key,
            })
            .collect(),
    }))
}

impl crate::http::Payload for CertificateRequest {}
