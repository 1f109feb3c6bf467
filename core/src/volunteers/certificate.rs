//! The certificate of service record (志愿服务记录证明, V6 and 民政部令第67号): what it says, its canonical
//! bytes, the compact QR payload, and the offline check of its Ed25519 signature.
//!
//! The server fills a [`Certificate`] from the merged state, signs [`canonical`] bytes with the
//! community's key and hands out [`qr_payload`]: `LV1.<base64url(payload)>.<base64url(signature)>`
//! (no padding). A `/verify` page, a kiosk or a portal holding only the community's public key calls
//! [`verify_qr`] (or [`verify`] on the parts): the signature is checked on the exact bytes carried, and
//! only then are they read, so no verifier ever has to re-serialise JSON the same way.
//!
//! The signed payload holds the hours per year and a SHA-256 of the service list ([`services_digest`]);
//! the list itself is printed beside it (a year of weekly visits would not fit in a QR code), and
//! [`services_match`] checks a list against the digest. Verification needs no randomness and no clock:
//! it is pure, like the rest of the core, and compiles to wasm32.

use crate::date::Date;
use crate::error::{ErrorCode, RuleError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The format version of the signed payload.
pub const CERTIFICATE_VERSION: u32 = 1;
/// The first part of a QR payload: Linli, volunteer certificate, version 1.
pub const QR_PREFIX: &str = "LV1";

/// The kind of identity document named on the certificate (证件类型).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证
    ResidentId,
    /// No ID number on record.
    None,
}

/// One year of a volunteer's confirmed service (V6: actual service time, corrected entries replaced).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearHours {
    pub year: i32,
    pub minutes: u64,
    /// How many service entries make it up.
    pub services: u32,
}

/// One service on the printed list (服务记录): date, place, content, minutes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceLine {
    pub date: Date,
    pub place: String,
    pub content: String,
    pub minutes: u32,
}

/// 志愿服务记录证明: what the issuing community certifies. Field order is the canonical order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// [`CERTIFICATE_VERSION`].
    pub v: u32,
    /// 证明编号: `YYYY-NNNN`, consecutive per community and year, never reused.
    pub number: String,
    /// 出具日期 (China time).
    pub issued_on: Date,
    /// 出具单位: the community's id and name.
    pub community: String,
    pub community_name: String,
    /// 负责人
    pub person_in_charge: String,
    /// 经办人
    pub clerk: String,
    /// 联系方式 of the issuer.
    pub contact: String,
    pub volunteer_id: Uuid,
    /// 志愿者编号: the national system's number when staff give it, else the record's id.
    pub volunteer_number: String,
    /// 姓名
    pub name: String,
    pub id_type: IdType,
    /// 证件号码, masked (`4101**********1234`): a certificate travels, the whole number does not.
    pub id_number_masked: String,
    /// Confirmed hours per year, oldest first.
    pub years: Vec<YearHours>,
    pub total_minutes: u64,
    /// SHA-256 (lower-case hex) of the canonical JSON of the service list ([`services_digest`]).
    pub services_sha256: String,
}

/// The bytes that are signed: the certificate's compact JSON, fields in declared order, integers only.
pub fn canonical(c: &Certificate) -> Vec<u8> {
    serde_json::to_vec(c).unwrap_or_default()
}

/// SHA-256 (hex) of the service list's compact JSON.
pub fn services_digest(services: &[ServiceLine]) -> String {
    let bytes = serde_json::to_vec(services).unwrap_or_default();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether a printed service list is the one the certificate was signed with.
pub fn services_match(c: &Certificate, services: &[ServiceLine]) -> bool {
    services_digest(services) == c.services_sha256
}

/// base64url without padding, as the QR payload and the public key are written.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(s: &str, field: &str) -> Result<Vec<u8>, RuleError> {
    URL_SAFE_NO_PAD
        .decode(s.trim())
        .map_err(|_| invalid(field, "base64url"))
}

fn invalid(field: &str, detail: &str) -> RuleError {
    RuleError::field(ErrorCode::InvalidCertificate, field).with_detail(detail)
}

/// The QR payload: `LV1.<base64url(payload)>.<base64url(signature)>`.
pub fn qr_payload(payload: &[u8], signature: &[u8]) -> String {
    format!("{QR_PREFIX}.{}.{}", b64(payload), b64(signature))
}

/// The payload and signature a QR payload carries. The QR itself is a link to the verify page with the
/// payload after its `#` (`https://…/verify#LV1.…`), so a phone's camera opens the check: what follows the
/// last `#` is read.
pub fn parse_qr(qr: &str) -> Result<(Vec<u8>, Vec<u8>), RuleError> {
    let qr = qr.rsplit('#').next().unwrap_or(qr);
    let mut parts = qr.trim().split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(QR_PREFIX), Some(p), Some(s), None) => Ok((unb64(p, "qr")?, unb64(s, "qr")?)),
        _ => Err(invalid("qr", "LV1.payload.signature")),
    }
}

/// Checks `signature` (64 bytes) over `payload` with `public_key` (32 bytes, Ed25519, strict: no
/// malleable or small-order forms), then reads the certificate from the bytes that were signed.
/// Refused: `invalid_certificate` for a key, signature or payload of the wrong form;
/// `bad_signature` when the content was changed or another key signed it.
pub fn verify(
    payload: &[u8],
    signature: &[u8],
    public_key: &[u8],
) -> Result<Certificate, RuleError> {
    use ed25519_dalek::{Signature, VerifyingKey};
    let key: [u8; 32] = public_key
        .try_into()
        .map_err(|_| invalid("public_key", "32 bytes"))?;
    let key = VerifyingKey::from_bytes(&key).map_err(|_| invalid("public_key", "Ed25519"))?;
    let sig: [u8; 64] = signature
        .try_into()
        .map_err(|_| invalid("signature", "64 bytes"))?;
    key.verify_strict(payload, &Signature::from_bytes(&sig))
        .map_err(|_| RuleError::field(ErrorCode::BadSignature, "signature"))?;
    let c: Certificate = serde_json::from_slice(payload).map_err(|_| invalid("payload", "JSON"))?;
    if c.v != CERTIFICATE_VERSION {
        return Err(invalid("payload", "v"));
    }
    Ok(c)
}

/// [`verify`] of a QR payload, with the public key as base64url (as `GET /api/certificates/public-key`
/// serves it).
pub fn verify_qr(qr: &str, public_key_b64: &str) -> Result<Certificate, RuleError> {
    let (payload, sig) = parse_qr(qr)?;
    verify(&payload, &sig, &unb64(public_key_b64, "public_key")?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert() -> Certificate {
        let services = vec![ServiceLine {
            date: Date::parse("2026-03-01").unwrap(),
            place: "幸福里".into(),
            content: "探访".into(),
            minutes: 90,
        }];
        Certificate {
            v: 1,
            number: "2026-0001".into(),
            issued_on: Date::parse("2026-05-01").unwrap(),
            community: "c1".into(),
            community_name: "社区".into(),
            person_in_charge: "李主任".into(),
            clerk: "王".into(),
            contact: "0371-65123456".into(),
            volunteer_id: Uuid::from_u128(7),
            volunteer_number: "V-7".into(),
            name: "张三".into(),
            id_type: IdType::ResidentId,
            id_number_masked: "4101**********1239".into(),
            years: vec![YearHours {
                year: 2026,
                minutes: 90,
                services: 1,
            }],
            total_minutes: 90,
            services_sha256: services_digest(&services),
        }
    }

    /// RFC 8032's first test key (secret 9d61…7f60), so the test needs no randomness.
    fn key() -> ed25519_dalek::SigningKey {
        let mut secret = [0u8; 32];
        let hex = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
        for (i, b) in secret.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        ed25519_dalek::SigningKey::from_bytes(&secret)
    }

    #[test]
    fn signed_certificate_verifies_and_a_changed_one_does_not() {
        use ed25519_dalek::Signer;
        let k = key();
        let public = b64(k.verifying_key().as_bytes());
        let c = cert();
        let payload = canonical(&c);
        let sig = k.sign(&payload).to_bytes();
        let qr = qr_payload(&payload, &sig);
        assert!(qr.starts_with("LV1.") && qr.len() < 1_200, "{}", qr.len());
        assert_eq!(verify_qr(&qr, &public).unwrap(), c);
        // The QR code holds a link to the verify page: the payload after its `#` is what is checked.
        let link = format!("https://linli.example/verify#{qr}");
        assert_eq!(verify_qr(&link, &public).unwrap(), c);
        // V6: hours changed after signing → refused.
        let text = String::from_utf8(payload.clone()).unwrap();
        let forged = text.replace("\"minutes\":90", "\"minutes\":900");
        assert_ne!(forged, text);
        let e = verify(forged.as_bytes(), &sig, k.verifying_key().as_bytes()).unwrap_err();
        assert_eq!(e.code, ErrorCode::BadSignature);
        assert_eq!(
            verify_qr(&qr_payload(forged.as_bytes(), &sig), &public)
                .unwrap_err()
                .code,
            ErrorCode::BadSignature
        );
        // Malformed parts name what is wrong.
        for bad in ["", "LV1.x", "LV2.a.b", "LV1.***.AA", "LV1.AA.BB.CC"] {
            let e = verify_qr(bad, &public).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidCertificate, "{bad}");
        }
        assert_eq!(
            verify_qr(&qr, "AAAA").unwrap_err().field.as_deref(),
            Some("public_key")
        );
        // The printed list is bound by its digest.
        let mut list = vec![ServiceLine {
            date: Date::parse("2026-03-01").unwrap(),
            place: "幸福里".into(),
            content: "探访".into(),
            minutes: 90,
        }];
        assert!(services_match(&c, &list));
        list[0].minutes = 120;
        assert!(!services_match(&c, &list));
    }
}
