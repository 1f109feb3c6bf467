//! The staff login limit: growing delays after failed logins, per account *and* client address, so
//! guessing from one address slows that address only and the owner still logs in from another.
//!
//! Two [`Throttle`]s: one keyed `address|username` (the guesser's own delays), and one keyed by the
//! username alone (a ceiling on guessing one account from many addresses). The account's delay applies
//! only to addresses that have failed for that account themselves; an address with no failures is never
//! slowed, so no amount of guessing locks the owner out.

//!
//! On PostgreSQL the failures are shared by every server process through the table `login_failures`
//! ([`LoginLimiter::load_shared`] before a check, [`LoginLimiter::failed_shared`] and
//! [`LoginLimiter::succeeded_shared`] after), so a guesser gains nothing by spreading his tries over the
//! processes behind a load balancer. On SQLite (one process) they stay in memory only.

use crate::args;
use crate::db::{Backend, Db, DbResult};
use crate::http::throttle::{Policy, Throttle};

/// Failed logins per address and account before delays start; then 1 s, 2 s, 4 s, … up to 15 minutes.
pub const FREE_FAILURES: u32 = 10;
/// Failed logins for one account from all addresses together before the account's own delays start.
pub const ACCOUNT_FREE_FAILURES: u32 = 100;
const FORGET_MS: u64 = 30 * 60 * 1000;
/// Most keys remembered at once (a flood of made-up names cannot grow the tables without bound).
pub const MAX_TRACKED: usize = 20_000;

pub struct LoginLimiter {
    pair: Throttle,
    account: Throttle,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        let policy = |free| Policy {
            free,
            base_ms: 1_000,
            max_ms: 15 * 60 * 1000,
            forget_ms: FORGET_MS,
            max_keys: MAX_TRACKED,
        };
        LoginLimiter {
            pair: Throttle::new(policy(FREE_FAILURES)),
            account: Throttle::new(policy(ACCOUNT_FREE_FAILURES)),
        }
    }
}

fn pair_key(address: &str, username: &str) -> String {
    format!("{address}|{username}")
}

impl LoginLimiter {
    /// `Ok` if a login for `username` from `address` (see `http::extract::address_key`) may be tried
    /// now, else the milliseconds to wait.
    pub fn check(&self, address: &str, username: &str, now: u64) -> Result<(), u64> {
        self.pair
            .check_under(&pair_key(address, username), &self.account, username, now)
    }

    pub fn failed(&self, address: &str, username: &str, now: u64) {
        self.pair.failed(&pair_key(address, username), now);
        self.account.failed(username, now);
    }

    /// A successful login forgets this address's failures for the account (not other addresses').
    pub fn succeeded(&self, address: &str, username: &str) {
        self.pair.succeeded(&pair_key(address, username));
    }
}

/// The rows of `login_failures` for an address and account: (the pair's key, the account's key).
fn shared_keys(address: &str, username: &str) -> (String, String) {
    (
        format!("pair:{}", pair_key(address, username)),
        format!("account:{username}"),
    )
}

impl LoginLimiter {
    /// PostgreSQL: reads the failures every process has counted for this address and account into
    /// this process's tables, before [`LoginLimiter::check`] (blocking). Nothing on SQLite.
    pub fn load_shared(&self, db: &Db, address: &str, username: &str) -> DbResult<()> {
        if db.backend() != Backend::Postgres {
            return Ok(());
        }
        let (pk, ak) = shared_keys(address, username);
        let rows = db.read(|c| {
            c.query(
                "SELECT key, failures, last_ms FROM login_failures WHERE key = ?1 OR key = ?2",
                args![&pk, &ak],
            )
        })?;
        let (mut pair, mut account) = (None, None);
        for r in rows {
            let v = (
                r.int(1)?.clamp(0, u32::MAX as i64) as u32,
                r.int(2)?.max(0) as u64,
            );
            if r.text(0)? == pk {
                pair = Some(v);
            } else {
                account = Some(v);
            }
        }
        let local = pair_key(address, username);
        match pair {
            Some((f, at)) => self.pair.set(&local, f, at),
            None => self.pair.succeeded(&local),
        }
        match account {
            Some((f, at)) => self.account.set(username, f, at),
            None => self.account.succeeded(username),
        }
        Ok(())
    }

    /// PostgreSQL: counts a failure in `login_failures` for every process (blocking). Rows older than
    /// the forget window are dropped on the way, so the table stays small.
    pub fn failed_shared(&self, db: &Db, address: &str, username: &str, now: u64) -> DbResult<()> {
        if db.backend() != Backend::Postgres {
            return Ok(());
        }
        let (pk, ak) = shared_keys(address, username);
        let (now, forget) = (now as i64, FORGET_MS as i64);
        db.write(|c| {
            for key in [&pk, &ak] {
                c.execute(
                    "INSERT INTO login_failures (key, failures, last_ms) VALUES (?1, 1, ?2)
                     ON CONFLICT (key) DO UPDATE SET
                         failures = CASE WHEN login_failures.last_ms + ?3 > ?2
                                         THEN login_failures.failures + 1 ELSE 1 END,
                         last_ms = ?2",
                    args![key, now, forget],
                )?;
            }
            c.execute(
                "DELETE FROM login_failures WHERE last_ms < ?1",
                args![now - forget],
            )?;
            Ok(())
        })
    }

    /// PostgreSQL: a successful login forgets this address's failures for the account everywhere.
    pub fn succeeded_shared(&self, db: &Db, address: &str, username: &str) -> DbResult<()> {
        if db.backend() != Backend::Postgres {
            return Ok(());
        }
        let (pk, _) = shared_keys(address, username);
        db.write(|c| c.execute("DELETE FROM login_failures WHERE key = ?1", args![&pk]))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_for_the_guessing_address_only() {
        let l = LoginLimiter::default();
        for i in 0..FREE_FAILURES as u64 {
            assert_eq!(l.check("a", "admin", i), Ok(()));
            l.failed("a", "admin", i);
        }
        // Tenth failure at 9: waits 1 s. Another address, and another account, are not slowed.
        assert_eq!(l.check("a", "admin", 9), Err(1_000));
        assert_eq!(l.check("b", "admin", 9), Ok(()));
        assert_eq!(l.check("a", "alice", 9), Ok(()));
        l.failed("a", "admin", 1_009);
        assert_eq!(l.check("a", "admin", 1_009), Err(2_000));
        l.succeeded("a", "admin");
        assert_eq!(l.check("a", "admin", 1_010), Ok(()));
    }

    #[test]
    fn many_addresses_share_the_account_ceiling_but_a_clean_address_is_never_slowed() {
        let l = LoginLimiter::default();
        // 100 addresses, one failure each: the account has 100 failures; its delay (1 s) now applies to
        // every address that failed, although each has failed only once.
        for i in 0..ACCOUNT_FREE_FAILURES as u64 {
            l.failed(&format!("10.0.0.{i}"), "admin", 5);
        }
        assert_eq!(l.check("10.0.0.1", "admin", 5), Err(1_000));
        assert_eq!(l.check("192.0.2.9", "admin", 5), Ok(()), "the owner");
    }

    #[test]
    fn the_tables_stay_bounded_under_a_flood_of_names() {
        let l = LoginLimiter::default();
        for i in 0..(MAX_TRACKED as u64 + 500) {
            l.failed("a", &format!("made-up-{i}"), 1_000 + i);
        }
        assert_eq!(l.pair.len(), MAX_TRACKED);
        assert_eq!(l.account.len(), MAX_TRACKED);
    }
}
