//! Household voting codes (投票码): generation, the printed form, reading what a person typed, the stored
//! hash, the device id of a code's ballots, and the rate limit on wrong codes (`CodeLimiter`).
//!
//! A code is 16 characters of Crockford base32 (80 random bits), printed as `XXXX-XXXX-XXXX-XXXX`. Only
//! its SHA-256 is stored.

use crate::http::extract::address_key;
use crate::http::throttle::{Policy, Throttle};
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::net::IpAddr;
use uuid::Uuid;

// ---------------------------------------------------------------------------------------------
// Codes

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a normalised code.
pub const CODE_CHARS: usize = 16;

/// A fresh code: 80 random bits as 16 Crockford base32 characters, normalised (no dashes).
pub fn new_code() -> String {
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    let mut n = u128::from_be_bytes({
        let mut b = [0u8; 16];
        b[6..].copy_from_slice(&bytes);
        b
    });
    let mut out = [0u8; CODE_CHARS];
    for c in out.iter_mut().rev() {
        *c = CROCKFORD[(n & 31) as usize];
        n >>= 5;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A normalised code as printed: `XXXX-XXXX-XXXX-XXXX`.
pub fn format_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// What a person typed, normalised (`linli_core::renovation::canonical_code`): upper case, whitespace and
/// dashes removed, O read as 0 and I, L as 1. `None` if it cannot be a code.
pub fn normalise(input: &str) -> Option<String> {
    if input.len() > 64 {
        return None;
    }
    let out = linli_core::renovation::canonical_code(input);
    (out.len() == CODE_CHARS && out.bytes().all(|c| CROCKFORD.contains(&c))).then_some(out)
}

/// SHA-256 of a normalised code: the only form in which a code is stored.
pub fn code_hash(normalised: &str) -> [u8; 32] {
    Sha256::digest(normalised.as_bytes()).into()
}

/// The device id of a code's ballots: stable for the code, and not the code or its stored hash.
pub fn device_of(code_hash: &[u8]) -> Uuid {
    let mut h = Sha256::new();
    h.update(b"linli resident device\0");
    h.update(code_hash);
    let d: [u8; 32] = h.finalize().into();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    uuid::Builder::from_custom_bytes(b).into_uuid()
}

// ---------------------------------------------------------------------------------------------
// Rate limit

/// Wrong codes allowed from one address before delays start (1 s, 2 s, 4 s, … up to 10 minutes).
pub const CODE_FREE_FAILURES_PER_IP: u32 = 10;
/// Wrong codes from all addresses together before addresses that have failed share a delay too.
pub const CODE_FREE_FAILURES_GLOBAL: u32 = 2_000;
pub const CODE_FORGET_MS: u64 = 10 * 60 * 1000;
const GLOBAL: &str = "*";

/// Growing delays after wrong codes, per address (IPv6 per /64, since one subscriber usually holds a
/// whole /64), with a ceiling over all addresses that slows only addresses that have failed: a resident
/// whose address made no failures is never slowed, whatever the flood.
pub struct CodeLimiter {
    per_ip: Throttle,
    global: Throttle,
}

impl Default for CodeLimiter {
    fn default() -> Self {
        let policy = |free, max_keys| Policy {
            free,
            base_ms: 1_000,
            max_ms: CODE_FORGET_MS,
            forget_ms: CODE_FORGET_MS,
            max_keys,
        };
        CodeLimiter {
            per_ip: Throttle::new(policy(CODE_FREE_FAILURES_PER_IP, 100_000)),
            global: Throttle::new(policy(CODE_FREE_FAILURES_GLOBAL, 1)),
        }
    }
}

impl CodeLimiter {
    /// `Ok` if `ip` may try a code now, else the milliseconds to wait.
    pub fn check(&self, ip: Option<IpAddr>, now: u64) -> Result<(), u64> {
        let key = address_key(ip).to_string();
        self.per_ip.check_under(&key, &self.global, GLOBAL, now)
    }

    pub fn failed(&self, ip: Option<IpAddr>, now: u64) {
        self.per_ip.failed(&address_key(ip).to_string(), now);
        self.global.failed(GLOBAL, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes() {
        let c = new_code();
        assert_eq!(c.len(), CODE_CHARS);
        assert_ne!(c, new_code());
        let f = format_code(&c);
        assert_eq!(f.len(), 19);
        assert_eq!(normalise(&f).as_deref(), Some(c.as_str()));
        assert_eq!(
            normalise(" abcd-efgh-jkmn-pq0o ").as_deref(),
            Some("ABCDEFGHJKMNPQ00")
        );
        assert_eq!(
            normalise("ilIL 2345 6789 ABCD").as_deref(),
            Some("111123456789ABCD")
        );
        assert_eq!(normalise("ABCD-EFGH-JKMN-PQU0"), None, "U is not Crockford");
        assert_eq!(normalise("ABCD"), None);
        assert_eq!(normalise("ABCD-EFGH-JKMN-PQRS-T"), None);
        assert_eq!(normalise("测试"), None);
        assert_eq!(device_of(&code_hash(&c)), device_of(&code_hash(&c)));
    }

    #[test]
    fn limiter() {
        let l = CodeLimiter::default();
        let a: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let b: Option<IpAddr> = Some("10.0.0.2".parse().unwrap());
        for i in 0..CODE_FREE_FAILURES_PER_IP as u64 {
            assert_eq!(l.check(a, i), Ok(()));
            l.failed(a, i);
        }
        // The tenth failure at 9: a waits 1 s, b not at all.
        assert_eq!(l.check(a, 100), Err(909));
        assert_eq!(l.check(b, 100), Ok(()));
        assert_eq!(l.check(a, 1_009), Ok(()));
        l.failed(a, 1_009);
        assert_eq!(l.check(a, 1_009), Err(2_000));
        assert_eq!(l.check(a, CODE_FORGET_MS + 1_009), Ok(()));
        // One /64 is one address.
        let v6a: Option<IpAddr> = Some("2001:db8::1".parse().unwrap());
        let v6b: Option<IpAddr> = Some("2001:db8::2".parse().unwrap());
        for i in 0..CODE_FREE_FAILURES_PER_IP as u64 {
            l.failed(v6a, i);
        }
        assert!(l.check(v6b, 100).is_err());
        // The ceiling over all addresses: 2,000 addresses one wrong code each.
        let g = CodeLimiter::default();
        for i in 0..CODE_FREE_FAILURES_GLOBAL {
            g.failed(Some(IpAddr::V4(std::net::Ipv4Addr::from(i))), 1);
        }
        // No switch that refuses everyone: an address with no failures still tries (a resident with a
        // valid code gets in during a flood); one that failed waits, though it failed only once.
        assert_eq!(g.check(b, 2), Ok(()));
        let flooder: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::from(7u32)));
        assert_eq!(g.check(flooder, 2), Err(999));
    }
}
