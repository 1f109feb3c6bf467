//! Growing delays after failed attempts (logins, voting codes): a few tries are free, then each failure
//! doubles the wait before the next try, up to a ceiling. Nothing is ever locked outright, and a key that
//! has not failed is never slowed, so an attacker slows only himself.
//!
//! Used by the staff login limiter (`auth/limiter.rs`, keyed by address and account) and the voting-code
//! limiter (`renovation/codes.rs`, keyed by address). In memory, bounded in size: a restart forgets it,
//! which is acceptable for a limit meant to slow guessing.

use std::collections::HashMap;
use std::sync::Mutex;

/// How a [`Throttle`] grows its delays.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    /// Failures allowed without any wait.
    pub free: u32,
    /// The wait after the first failure beyond `free`; it doubles with each further failure.
    pub base_ms: u64,
    /// The longest wait.
    pub max_ms: u64,
    /// A key whose last failure is this old starts again from nothing.
    pub forget_ms: u64,
    /// Most keys remembered at once (the expired go first, then the oldest).
    pub max_keys: usize,
}

impl Policy {
    /// The wait after `failures` failures: 0 up to `free`, then `base_ms`, 2×, 4×, … up to `max_ms`.
    pub fn delay_ms(&self, failures: u32) -> u64 {
        if failures < self.free.max(1) {
            return 0;
        }
        let doublings = (failures - self.free.max(1)).min(40);
        self.base_ms
            .saturating_mul(1u64 << doublings)
            .min(self.max_ms)
    }
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    failures: u32,
    last_ms: u64,
}

/// Failures per key, and the time each key may try again.
pub struct Throttle {
    policy: Policy,
    entries: Mutex<HashMap<String, Entry>>,
}

impl Throttle {
    pub fn new(policy: Policy) -> Throttle {
        Throttle {
            policy,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        self.entries.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn live(&self, e: &Entry, now: u64) -> bool {
        e.last_ms.saturating_add(self.policy.forget_ms) > now
    }

    /// `Ok` if `key` may try now, else how many milliseconds it must still wait.
    pub fn check(&self, key: &str, now: u64) -> Result<(), u64> {
        let m = self.lock();
        match m.get(key) {
            Some(e) if self.live(e, now) => {
                let ready = e.last_ms.saturating_add(self.policy.delay_ms(e.failures));
                if now >= ready {
                    Ok(())
                } else {
                    Err(ready - now)
                }
            }
            _ => Ok(()),
        }
    }

    /// As [`Throttle::check`], under a ceiling shared with other keys (`ceiling` at `ceiling_key`: an
    /// account, or every address): a key that has not failed is never slowed; one that has waits the
    /// longer of its own delay and the ceiling's.
    pub fn check_under(
        &self,
        key: &str,
        ceiling: &Throttle,
        ceiling_key: &str,
        now: u64,
    ) -> Result<(), u64> {
        if !self.has_failed(key, now) {
            return Ok(());
        }
        let own = self.check(key, now).err().unwrap_or(0);
        let shared = ceiling.check(ceiling_key, now).err().unwrap_or(0);
        match own.max(shared) {
            0 => Ok(()),
            wait => Err(wait),
        }
    }

    /// Whether `key` has failed recently (within the forget window).
    pub fn has_failed(&self, key: &str, now: u64) -> bool {
        self.lock().get(key).is_some_and(|e| self.live(e, now))
    }

    /// Counts a failure; returns the failures now counted for `key`.
    pub fn failed(&self, key: &str, now: u64) -> u32 {
        let mut m = self.lock();
        if m.len() >= self.policy.max_keys && !m.contains_key(key) {
            let forget = self.policy.forget_ms;
            m.retain(|_, e| e.last_ms.saturating_add(forget) > now);
            if m.len() >= self.policy.max_keys
                && let Some(oldest) = m
                    .iter()
                    .min_by_key(|(_, e)| e.last_ms)
                    .map(|(k, _)| k.clone())
            {
                m.remove(&oldest);
            }
        }
        let live = m
            .get(key)
            .is_some_and(|e| e.last_ms.saturating_add(self.policy.forget_ms) > now);
        let e = m.entry(key.to_string()).or_insert(Entry {
            failures: 0,
            last_ms: now,
        });
        if !live {
            e.failures = 0;
        }
        e.failures = e.failures.saturating_add(1);
        e.last_ms = now;
        e.failures
    }

    /// Takes `key`'s failures as counted elsewhere (another server process, through the database).
    pub fn set(&self, key: &str, failures: u32, last_ms: u64) {
        let mut m = self.lock();
        if m.len() >= self.policy.max_keys && !m.contains_key(key) {
            return;
        }
        m.insert(key.to_string(), Entry { failures, last_ms });
    }

    /// Forgets `key`'s failures (after a success).
    pub fn succeeded(&self, key: &str) {
        self.lock().remove(key);
    }

    pub fn len(&self) -> usize {
        self.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Whole seconds to announce in `Retry-After` for a wait of `ms` (at least 1).
pub fn retry_after_s(ms: u64) -> u64 {
    ms.div_ceil(1000).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Policy = Policy {
        free: 3,
        base_ms: 1_000,
        max_ms: 60_000,
        forget_ms: 600_000,
        max_keys: 100,
    };

    #[test]
    fn delays_double_after_the_free_tries_up_to_the_ceiling() {
        // Hand-worked: 3 free failures, then 1 s, 2 s, 4 s, …, 32 s, then 60 s (the ceiling).
        let waits: Vec<u64> = (0..=11).map(|n| P.delay_ms(n)).collect();
        assert_eq!(
            waits,
            [
                0, 0, 0, 1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000
            ]
        );
        assert_eq!(P.delay_ms(u32::MAX), 60_000);
    }

    #[test]
    fn a_key_waits_its_delay_and_others_are_not_slowed() {
        let t = Throttle::new(P);
        for i in 0..3 {
            assert_eq!(t.check("a", 100 + i), Ok(()));
            t.failed("a", 100 + i);
        }
        // Third failure at 102: the next try waits 1 s, until 1,102.
        assert_eq!(t.check("a", 102), Err(1_000));
        assert_eq!(t.check("a", 700), Err(402));
        assert_eq!(t.check("a", 1_102), Ok(()));
        assert_eq!(t.check("b", 102), Ok(()), "another key is not slowed");
        assert_eq!(t.failed("a", 1_102), 4);
        assert_eq!(t.check("a", 1_103), Err(1_999));
        t.succeeded("a");
        assert_eq!(t.check("a", 1_103), Ok(()));
        // Forgotten after the window: counting starts again.
        for _ in 0..5 {
            t.failed("c", 0);
        }
        assert!(t.check("c", 10).is_err());
        assert_eq!(t.check("c", 600_000), Ok(()));
        assert_eq!(t.failed("c", 600_000), 1);
        assert_eq!(t.check("c", 600_000), Ok(()));
    }

    #[test]
    fn the_table_stays_bounded() {
        let t = Throttle::new(P);
        for i in 0..1_000u64 {
            t.failed(&format!("k{i}"), i);
        }
        assert_eq!(t.len(), 100);
        assert!(t.has_failed("k999", 999));
        assert!(!t.has_failed("k0", 999), "the oldest went first");
    }

    #[test]
    fn retry_after_rounds_up() {
        assert_eq!(retry_after_s(1), 1);
        assert_eq!(retry_after_s(1_000), 1);
        assert_eq!(retry_after_s(1_001), 2);
        assert_eq!(retry_after_s(0), 1);
    }
}
