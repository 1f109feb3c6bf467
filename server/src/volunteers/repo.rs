//! All of the volunteers feature's SQL (migration 0005): each community's certificate signing key
//! (`certificate_keys`) and the numbered register of certificates (`volunteer_certificates`). The
//! volunteers' records themselves are operations, read from the merged state, never from here.
//!
//! The secret key is read only inside [`sign_and_register`], on a blocking thread, and never leaves
//! this file: no function returns it, nothing logs it.

use crate::args;
use crate::db::{Conn, Db, DbError, DbResult};
use crate::http::ApiError;
use ed25519_dalek::{Signer, SigningKey};
use linli_core::volunteers::api::CertificateRef;
use linli_core::volunteers::certificate::{
    Certificate, ServiceLine, b64, canonical, qr_payload, services_digest,
};
use rand::RngCore;
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
fn signing_key(tx: &mut Conn<'_>, community: &str, now: u64) -> DbResult<SigningKey> {
    loop {
        let found = tx.query_opt(
            "SELECT secret_key FROM certificate_keys WHERE community = ?1",
            args![community],
        )?;
        if let Some(row) = found {
            let secret: [u8; 32] = row
                .blob(0)?
                .as_slice()
                .try_into()
                .map_err(|_| DbError::Column(0, "secret_key is not 32 bytes".into()))?;
            return Ok(SigningKey::from_bytes(&secret));
        }
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        let key = SigningKey::from_bytes(&secret);
        secret.fill(0);
        // Two server processes making the first key at once (PostgreSQL): one insert wins, the other
        // does nothing and reads the winner's key.
        let made = tx.execute(
            "INSERT INTO certificate_keys (id, community, algorithm, secret_key, public_key, created_at_ms)
             VALUES (?1, ?2, 'Ed25519', ?3, ?4, ?5) ON CONFLICT DO NOTHING",
            args![
                &Uuid::now_v7().to_string(),
                community,
                &key.to_bytes()[..],
                &key.verifying_key().to_bytes()[..],
                now as i64
            ],
        )?;
        if made == 1 {
            return Ok(key);
        }
    }
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
        db.transaction(|tx| {
            let community = certificate.community.clone();
            let year = certificate.issued_on.year();
            // The community's key row, made or locked first: two issues at once (on two server processes,
            // too) take their numbers one after the other.
            let key = signing_key(tx, &community, now)?;
            if tx.backend() == crate::db::Backend::Postgres {
                tx.execute(
                    "SELECT 1 FROM certificate_keys WHERE community = ?1 FOR UPDATE",
                    args![&community],
                )?;
            }
            let seq: i64 = tx
                .query_one(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM volunteer_certificates
                 WHERE community = ?1 AND year = ?2",
                    args![&community, year as i64],
                )?
                .int(0)?;
            certificate.number = format!("{year:04}-{seq:04}");
            certificate.services_sha256 = services_digest(&services);
            let payload = canonical(&certificate);
            let signature = b64(&key.sign(&payload).to_bytes());
            let public_key = b64(key.verifying_key().as_bytes());
            drop(key);
            let payload = String::from_utf8(payload)
                .map_err(|_| DbError::Column(0, "the payload is not UTF-8".into()))?;
            let services_json = serde_json::to_string(&services).unwrap_or_default();
            tx.execute(
            "INSERT INTO volunteer_certificates (id, community, year, seq, number, volunteer_id,
                 issued_on, issued_by, issued_at_ms, payload, services, signature)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
            args![
                &Uuid::now_v7().to_string(),
                &community,
                year as i64,
                seq,
                &certificate.number,
                &certificate.volunteer_id.to_string(),
                &certificate.issued_on.to_string(),
                &issued_by,
                now as i64,
                &payload,
                &services_json,
                &signature
            ],
        )?;
            Ok(Ok::<_, std::convert::Infallible>(Registered {
                certificate: certificate.clone(),
                services: services.clone(),
                payload,
                signature,
                public_key,
            }))
        })
    })
    .await
    .map(|r| match r {
        Ok(v) => v,
        Err(never) => match never {},
    })
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
                c.query_opt(
                    "SELECT v.payload, v.services, v.signature, k.public_key
                     FROM volunteer_certificates v
                     JOIN certificate_keys k ON k.community = v.community
                     WHERE v.community = ?1 AND v.number = ?2",
                    args![&community, &number],
                )?
                .map(|r| Ok((r.text(0)?, r.text(1)?, r.text(2)?, r.blob(3)?)))
                .transpose()
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
    c: &mut Conn<'_>,
    community: &str,
    volunteer: Uuid,
) -> DbResult<Vec<CertificateRef>> {
    c.query(
        "SELECT number, issued_on FROM volunteer_certificates
         WHERE community = ?1 AND volunteer_id = ?2 ORDER BY issued_at_ms, number",
        args![community, &volunteer.to_string()],
    )?
    .iter()
    .map(|r| {
        Ok(CertificateRef {
            number: r.text(0)?,
            issued_on: r.text(1)?,
        })
    })
    .collect()
}

/// The public halves of the certificate keys (community, base64url), of one community or of all.
pub fn public_keys(c: &mut Conn<'_>, community: Option<&str>) -> DbResult<Vec<(String, String)>> {
    c.query(
        "SELECT community, public_key FROM certificate_keys
         WHERE community = ?1 OR ?1 IS NULL ORDER BY community",
        args![community],
    )?
    .iter()
    .map(|r| Ok((r.text(0)?, b64(&r.blob(1)?))))
    .collect()
}
