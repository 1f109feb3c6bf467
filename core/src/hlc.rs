//! Hybrid logical clock: timestamps that follow wall time but never go backwards, even when the phone's clock does.

use serde::{Deserialize, Serialize};

/// A hybrid-logical-clock timestamp: milliseconds of wall time, and a counter for events within one millisecond.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct Hlc {
    pub ms: u64,
    pub n: u32,
}

/// The clock of one replica. It is given the wall time; it never reads it (the core reads no clock).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub last: Hlc,
}

impl Clock {
    pub fn new(last: Hlc) -> Self {
        Clock { last }
    }

    /// A new timestamp for a local event at wall time `wall_ms`; strictly greater than every earlier one.
    pub fn tick(&mut self, wall_ms: u64) -> Hlc {
        self.last = if wall_ms > self.last.ms {
            Hlc { ms: wall_ms, n: 0 }
        } else {
            Hlc {
                ms: self.last.ms,
                n: self.last.n.saturating_add(1),
            }
        };
        self.last
    }

    /// Takes note of a timestamp received from another replica, so later local events sort after it.
    pub fn observe(&mut self, remote: Hlc, wall_ms: u64) {
        let top = self.last.max(remote);
        self.last = if wall_ms > top.ms {
            Hlc { ms: wall_ms, n: 0 }
        } else {
            top
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monotonic_when_wall_clock_goes_back() {
        let mut c = Clock::default();
        let a = c.tick(1000);
        let b = c.tick(900);
        let d = c.tick(1000);
        assert!(a < b && b < d);
        assert_eq!(b, Hlc { ms: 1000, n: 1 });
    }

    #[test]
    fn observe_moves_past_remote() {
        let mut c = Clock::default();
        c.tick(10);
        c.observe(Hlc { ms: 500, n: 7 }, 20);
        assert!(c.tick(30) > Hlc { ms: 500, n: 7 });
    }
}
