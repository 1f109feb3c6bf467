//! All of the volunteers feature's SQL (migration 0005): each community's certificate signing key
//! (`certificate_keys`) and the numbered register of certificates (`volunteer_certificates`). The
//! volunteers' records themselves are operations, read from the merged state, never from here.
//!
//! The secret key is read only inside [`sign_and_register`], on a blocking thread, and never leaves
//! this file: no function returns it, nothing logs it.

use crate::db::Db;
use crate::http::ApiError;
use ed25519_dalek::{Signer, SigningKey};
use linli_core::volunteers::api::CertificateRef;
use linli_core::volunteers::certificate::{
    Certificate, ServiceLine, b64, canonical, qr_payload, services_digest,
};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, Transaction, params};
use uuid::Uuid;

/// A certificate as registered: the certificate, its service list, the exact signed text, the
/// signature and the public key (base64url).
#[derive(Clone, Debug)]
pub struct Registered {
    pub certificate: Certificate,
    pub services: Vec<ServiceLine>,
    pub payload: String,
    pub signature: String,
    pub public_key: String,
}

impl Registered {
    /// The QR payload (`LV1.…`).
    pub fn qr(&self) -> Result<String, ApiError> {
        let sig = base64_decode(&self.signature)?;
        Ok(qr_payload(self.payload.as_bytes(), &sig))
    }
}

fn base64_decode(s: &str) -> Result<Vec<u8>, ApiError> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(s)
        .map_err(ApiError::internal)
}

/// The community's signing key, made (32 random bytes from the operating system's generator, through
/// `rand`'s thread generator as the session tokens are) and stored on first use, in the caller's
/// transaction. Answers the key; the caller drops it when done.
fn signing_key(tx: &Transaction<'_>, community: &str, now: u64) -> rusqlite::Result<SigningKey> {
    let found: Option<Vec<u8>> = tx
        .prepare_cached("SELECT secret_key FROM certificate_keys WHERE community = ?1")?
        .query_row([community], |r| r.get(0))
        .optional()?;
    if let Some(secret) = found {
        let secret: [u8; 32] = secret.as_slice().try_into().map_err(|_| {
            rusqlite::Error::InvalidColumnType(0, "secret_key".into(), rusqlite::types::Type::Blob)
        })?;
        return Ok(SigningKey::from_bytes(&secret));
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let key = SigningKey::from_bytes(&secret);
    secret.fill(0);
    tx.execute(
        "INSERT INTO certificate_keys (id, community, algorithm, secret_key, public_key, created_at_ms)
         VALUES (?1, ?2, 'Ed25519', ?3, ?4, ?5)",
        params![
            Uuid::now_v7().to_string(),
            community,
            &key.to_bytes()[..],
            &key.verifying_key().to_bytes()[..],
            now as i64
        ],
    )?;
    Ok(key)
}

/// Gives the certificate the next number of its community and year (`YYYY-NNNN`: one more than the
/// largest ever given, so a number is never reused, across restarts too), signs its canonical bytes
/// with the community's key and stores it — one transaction on the writer connection, so two issues
/// at once get consecutive numbers.
pub async fn sign_and_register(
    db: &Db,
    mut certificate: Certificate,
    services: Vec<ServiceLine>,
    issued_by: String,
    now: u64,
) -> Result<Registered, ApiError> {
    db.blocking(move |db| {
        let mut w = db.writer();
        let tx = w.transaction()?;
        let community = certificate.community.clone();
        let year = certificate.issued_on.year();
        let seq: i64 = tx
            .prepare_cached(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM volunteer_certificates
                 WHERE community = ?1 AND year = ?2",
            )?
            .query_row(params![community, year], |r| r.get(0))?;
        certificate.number = format!("{year:04}-{seq:04}");
        certificate.services_sha256 = services_digest(&services);
        let key = signing_key(&tx, &community, now)?;
        let payload = canonical(&certificate);
        let signature = b64(&key.sign(&payload).to_bytes());
        let public_key = b64(key.verifying_key().as_bytes());
        drop(key);
        let payload = String::from_utf8(payload).map_err(|_| {
            rusqlite::Error::InvalidColumnType(0, "payload".into(), rusqlite::types::Type::Text)
        })?;
        let services_json = serde_json::to_string(&services).unwrap_or_default();
        tx.execute(
            "INSERT INTO volunteer_certificates (id, community, year, seq, number, volunteer_id,
                 issued_on, issued_by, issued_at_ms, payload, services, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            params![
                Uuid::now_v7().to_string(),
                community,
                year,
                seq,
                certificate.number,
                certificate.volunteer_id.to_string(),
                certificate.issued_on.to_string(),
                issued_by,
                now as i64,
                payload,
                services_json,
                signature
            ],
        )?;
        tx.commit()?;
        Ok(Registered {
            certificate,
            services,
            payload,
            signature,
            public_key,
        })
    })
    .await
}

/// A certificate of `community` by its number, as registered.
pub async fn certificate(
    db: &Db,
    community: String,
    number: String,
) -> Result<Option<Registered>, ApiError> {
    let row = db
        .blocking(move |db| {
            db.read(|c| {
                c.prepare_cached(
                    "SELECT v.payload, v.services, v.signature, k.public_key
                     FROM volunteer_certificates v
                     JOIN certificate_keys k ON k.community = v.community
                     WHERE v.community = ?1 AND v.number = ?2",
                )?
                .query_row(params![community, number], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, Vec<u8>>(3)?,
                    ))
                })
                .optional()
            })
        })
        .await?;
    let Some((payload, services, signature, public_key)) = row else {
        return Ok(None);
    };
    Ok(Some(Registered {
        certificate: serde_json::from_str(&payload).map_err(ApiError::internal)?,
        services: serde_json::from_str(&services).map_err(ApiError::internal)?,
        payload,
        signature,
        public_key: b64(&public_key),
    }))
}

/// The certificates issued for one volunteer, oldest first.
pub fn certificates_of(
    c: &Connection,
    community: &str,
    volunteer: Uuid,
) -> rusqlite::Result<Vec<CertificateRef>> {
    c.prepare_cached(
        "SELECT number, issued_on FROM volunteer_certificates
         WHERE community = ?1 AND volunteer_id = ?2 ORDER BY issued_at_ms, number",
    )?
    .query_map(params![community, volunteer.to_string()], |r| {
        Ok(CertificateRef {
            number: r.get(0)?,
            issued_on: r.get(1)?,
        })
    })?
    .collect()
}

/// The public halves of the certificate keys (community, base64url), of one community or of all.
pub fn public_keys(
    c: &Connection,
    community: Option<&str>,
) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = c.prepare_cached(
        "SELECT community, public_key FROM certificate_keys
         WHERE ?1 IS NULL OR community = ?1 ORDER BY community",
    )?;
    stmt.query_map([community], |r| {
        Ok((r.get::<_, String>(0)?, b64(&r.get::<_, Vec<u8>>(1)?)))
    })?
    .collect()
}
