//! The staff login limit: failed logins per username within a window; the next attempt gets 429.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failed logins allowed per username within [`FAILURE_WINDOW_MS`]; the next attempt gets 429.
pub const MAX_FAILURES: usize = 10;
pub const FAILURE_WINDOW_MS: u64 = 5 * 60 * 1000;
/// Most usernames remembered at once: beyond it the expired ones go, then the oldest (a flood of made-up
/// names cannot grow the table without bound).
pub const MAX_TRACKED: usize = 20_000;

/// Failed logins per username, for the limit of [`MAX_FAILURES`] in [`FAILURE_WINDOW_MS`]. In memory:
/// a restart forgets them, which is acceptable for a limit meant to slow down guessing.
#[derive(Default)]
pub struct LoginLimiter {
    failures: Mutex<HashMap<String, VecDeque<u64>>>,
}

impl LoginLimiter {
    /// Whether `username` may try now.
    pub fn allowed(&self, username: &str, now: u64) -> bool {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(q) = m.get_mut(username) else {
            return true;
        };
        while q.front().is_some_and(|t| t + FAILURE_WINDOW_MS <= now) {
            q.pop_front();
        }
        q.len() < MAX_FAILURES
    }
    pub fn failed(&self, username: &str, now: u64) {
        let mut m = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() >= MAX_TRACKED && !m.contains_key(username) {
            m.retain(|_, q| q.back().is_some_and(|t| t + FAILURE_WINDOW_MS > now));
            if m.len() >= MAX_TRACKED {
                // Still full of live entries: forget the one whose last failure is oldest.
                if let Some(oldest) = m
                    .iter()
                    .min_by_key(|(_, q)| q.back().copied())
                    .map(|(k, _)| k.clone())
                {
                    m.remove(&oldest);
                }
            }
        }
        let q = m.entry(username.to_string()).or_default();
        q.push_back(now);
        // Only the last MAX_FAILURES matter.
        while q.len() > MAX_FAILURES {
            q.pop_front();
        }
    }
    pub fn succeeded(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(username);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_window() {
        let l = LoginLimiter::default();
        for i in 0..MAX_FAILURES as u64 {
            assert!(l.allowed("a", i));
            l.failed("a", i);
        }
        assert!(!l.allowed("a", 100));
        assert!(l.allowed("b", 100));
        assert!(l.allowed("a", FAILURE_WINDOW_MS + 5));
    }

    #[test]
    fn the_table_stays_bounded_under_a_flood_of_names() {
        let l = LoginLimiter::default();
        for i in 0..(MAX_TRACKED as u64 + 500) {
            l.failed(&format!("made-up-{i}"), 1_000 + i);
        }
        assert_eq!(l.failures.lock().unwrap().len(), MAX_TRACKED);
        for _ in 0..50 {
            l.failed("a", 10);
        }
        assert_eq!(l.failures.lock().unwrap()["a"].len(), MAX_FAILURES);
    }
}
