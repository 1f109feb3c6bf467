//! The staff login limit: failed logins per username within a window; the next attempt gets 429.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// Failed logins allowed per username within [`FAILURE_WINDOW_MS`]; the next attempt gets 429.
pub const MAX_FAILURES: usize = 10;
pub const FAILURE_WINDOW_MS: u64 = 5 * 60 * 1000;

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
        if m.len() > 100_000 {
            m.retain(|_, q| q.back().is_some_and(|t| t + FAILURE_WINDOW_MS > now));
        }
        m.entry(username.to_string()).or_default().push_back(now);
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
}
