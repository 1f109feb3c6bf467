//! Household voting codes (投票码): generation, the printed form, reading what a person typed, the stored
//! hash, the device id of a code's ballots, and the rate limit on wrong codes (`CodeLimiter`).
//!
//! A code is 16 characters of Crockford base32 (80 random bits), printed as `XXXX-XXXX-XXXX-XXXX`. Only
//! its SHA-256 is stored.

use crate::http::extract::address_key;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
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

/// Wrong codes allowed from one address within [`CODE_FAILURE_WINDOW_MS`]; the next attempt gets 429.
pub const CODE_MAX_FAILURES_PER_IP: usize = 10;
/// Wrong codes allowed from all addresses together within the window (a ceiling on distributed guessing).
pub const CODE_MAX_FAILURES_GLOBAL: usize = 2_000;
pub const CODE_FAILURE_WINDOW_MS: u64 = 10 * 60 * 1000;

/// Failed code logins per address and in total. In memory, like the staff login limiter. IPv6
/// addresses count per /64, since one subscriber usually holds a whole /64.
#[derive(Default)]
pub struct CodeLimiter {
    inner: Mutex<LimiterInner>,
}

#[derive(Default)]
struct LimiterInner {
    per_ip: HashMap<IpAddr, VecDeque<u64>>,
    global: VecDeque<u64>,
}

fn expire(q: &mut VecDeque<u64>, now: u64) {
    while q.front().is_some_and(|t| t + CODE_FAILURE_WINDOW_MS <= now) {
        q.pop_front();
    }
}

impl CodeLimiter {
    /// Whether `ip` may try a code now. An address with no failures in the window always may, even during
    /// a flood (so an attacker cannot lock residents out); past the global ceiling, an address that has
    /// failed waits out the window.
    pub fn allowed(&self, ip: Option<IpAddr>, now: u64) -> bool {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        expire(&mut m.global, now);
        let flood = m.global.len() >= CODE_MAX_FAILURES_GLOBAL;
        match m.per_ip.get_mut(&address_key(ip)) {
            Some(q) => {
                expire(q, now);
                q.is_empty() || (!flood && q.len() < CODE_MAX_FAILURES_PER_IP)
            }
            None => true,
        }
    }

    pub fn failed(&self, ip: Option<IpAddr>, now: u64) {
        let mut m = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if m.per_ip.len() > 100_000 {
            m.per_ip
                .retain(|_, q| q.back().is_some_and(|t| t + CODE_FAILURE_WINDOW_MS > now));
        }
        m.per_ip.entry(address_key(ip)).or_default().push_back(now);
        m.global.push_back(now);
        if m.global.len() > 2 * CODE_MAX_FAILURES_GLOBAL {
            m.global.pop_front();
        }
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
        for i in 0..CODE_MAX_FAILURES_PER_IP as u64 {
            assert!(l.allowed(a, i));
            l.failed(a, i);
        }
        assert!(!l.allowed(a, 100));
        assert!(l.allowed(b, 100));
        assert!(l.allowed(a, CODE_FAILURE_WINDOW_MS + 10));
        // One /64 is one address.
        let v6a: Option<IpAddr> = Some("2001:db8::1".parse().unwrap());
        let v6b: Option<IpAddr> = Some("2001:db8::2".parse().unwrap());
        for i in 0..CODE_MAX_FAILURES_PER_IP as u64 {
            l.failed(v6a, i);
        }
        assert!(!l.allowed(v6b, 100));
        // The ceiling over all addresses.
        let g = CodeLimiter::default();
        for i in 0..CODE_MAX_FAILURES_GLOBAL as u32 {
            g.failed(Some(IpAddr::V4(std::net::Ipv4Addr::from(i))), 1);
        }
        // Hardening: the ceiling is no switch that refuses everyone. An address with no failures still tries
        // (a resident with a valid code gets in during a flood); one that failed waits out the window.
        assert!(g.allowed(b, 2));
        let flooder: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::from(7u32)));
        assert!(!g.allowed(flooder, 2));
        assert!(g.allowed(flooder, CODE_FAILURE_WINDOW_MS + 2));
    }
}
