//! Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a
//! counter in the low 16, so that timestamps stay close to real time, never
//! go backwards on one replica, and order an edit made after seeing another
//! edit after it even when the two stations' clocks disagree.

use chrono::{DateTime, Utc};

/// A hybrid logical clock reading. Total order; ties between replicas are
/// broken by origin id where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc(pub u64);

const COUNTER_BITS: u32 = 16;

impl Hlc {
    /// The first reading at or after `wall_ms` milliseconds since the epoch.
    pub fn from_millis(wall_ms: u64) -> Hlc {
        Hlc(wall_ms << COUNTER_BITS)
    }

    /// Milliseconds since the epoch of the physical part.
    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The wall time of the physical part.
    pub fn to_datetime(self) -> DateTime<Utc> {
        let ms = i64::try_from(self.millis()).unwrap_or(i64::MAX);
        DateTime::from_timestamp_millis(ms).unwrap_or_default()
    }

    /// The next reading for a local event: later than `self` and not behind
    /// the wall clock.
    pub fn tick(self, wall_ms: u64) -> Hlc {
        let wall = Hlc::from_millis(wall_ms);
        if wall > self {
            wall
        } else {
            Hlc(self.0.saturating_add(1))
        }
    }

    /// Folds in a reading received from another replica, so that the next
    /// local event is ordered after it.
    pub fn observe(self, remote: Hlc) -> Hlc {
        self.max(remote)
    }

    /// Stored form (SQLite integers are signed).
    pub fn as_i64(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }

    /// Reads the stored form.
    pub fn from_i64(v: i64) -> Hlc {
        Hlc(u64::try_from(v).unwrap_or(0))
    }
}

/// Milliseconds since the epoch, now.
pub fn wall_millis() -> u64 {
    u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn follows_wall_clock_when_it_moves() {
        let a = Hlc::default().tick(1_000);
        assert_eq!(a.millis(), 1_000);
        let b = a.tick(2_000);
        assert_eq!(b, Hlc::from_millis(2_000));
    }

    #[test]
    fn never_goes_back_when_clock_does() {
        let a = Hlc::from_millis(5_000);
        let b = a.tick(1_000);
        assert!(b > a);
        assert_eq!(b.millis(), 5_000);
    }

    #[test]
    fn an_edit_after_seeing_a_skewed_one_wins() {
        // Station B's clock runs days ahead; A sees B's edit, then edits.
        let b_edit = Hlc::from_millis(10_000_000_000);
        let a = Hlc::from_millis(1_000).observe(b_edit).tick(2_000);
        assert!(a > b_edit);
    }

    proptest! {
        #[test]
        fn ticks_are_strictly_increasing(start in 0u64..1u64 << 40, walls in prop::collection::vec(0u64..1u64 << 40, 1..50)) {
            let mut h = Hlc::from_millis(start);
            for w in walls {
                let n = h.tick(w);
                prop_assert!(n > h);
                prop_assert!(n.millis() >= w);
                h = n;
            }
        }
    }
}
