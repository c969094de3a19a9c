//! Hybrid logical clock: wall-clock milliseconds in the high 48 bits and a
//! counter in the low 16, so that timestamps stay close to real time and
//! never go backwards on one replica.
//!
//! Nothing here saturates or wraps: a reading that cannot be made is
//! `None`, and the caller says why. Readings are stored in SQLite as the
//! same 64 bits (`as_i64` / `from_i64`), so every reading a file can carry
//! round-trips; a replica's own clock never goes past [`Hlc::MAX`], the
//! greatest reading stored as a non-negative integer (the year 6429).
//!
//! What orders an edit made after seeing another after it is not the clock
//! but what the edit was made knowing (`oplog::causal`): a clock far ahead
//! cannot make an edit that saw it lose.

use chrono::{DateTime, Utc};

/// A hybrid logical clock reading. Total order; ties between replicas are
/// broken by origin id where it matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Hlc(pub u64);

const COUNTER_BITS: u32 = 16;

/// How far ahead of this computer's clock another replica's operation may
/// be dated and still be applied: further ahead, it is held apart until
/// staff accept it or the clock reaches it (`store/held.rs`). Also how far
/// ahead of its wall clock a replica's own clock may run.
pub const AHEAD_MILLIS: u64 = 30 * 24 * 60 * 60 * 1000;

impl Hlc {
    /// The greatest reading a replica's own clock takes: the greatest that
    /// SQLite stores as a non-negative integer.
    pub const MAX: Hlc = Hlc(i64::MAX as u64);

    /// The milliseconds of [`Hlc::MAX`].
    pub const MAX_MILLIS: u64 = Hlc::MAX.0 >> COUNTER_BITS;

    /// The first reading of the millisecond `wall_ms` since the epoch;
    /// `None` past [`Hlc::MAX_MILLIS`].
    pub fn from_millis(wall_ms: u64) -> Option<Hlc> {
        (wall_ms <= Hlc::MAX_MILLIS).then_some(Hlc(wall_ms << COUNTER_BITS))
    }

    /// Milliseconds since the epoch of the physical part.
    pub fn millis(self) -> u64 {
        self.0 >> COUNTER_BITS
    }

    /// The wall time of the physical part.
    pub fn to_datetime(self) -> DateTime<Utc> {
        // 48 bits of milliseconds (up to the year 10889) are well inside
        // chrono's range, so this is never the default (a test covers
        // u64::MAX).
        DateTime::from_timestamp_millis(self.millis() as i64).unwrap_or_default()
    }

    /// The next reading for a local event: later than `self` and not behind
    /// the wall clock. `None` when there is none up to [`Hlc::MAX`], or the
    /// wall clock reads past [`Hlc::MAX_MILLIS`].
    pub fn tick(self, wall_ms: u64) -> Option<Hlc> {
        let next = Hlc(self.0.checked_add(1)?).max(Hlc::from_millis(wall_ms)?);
        (next <= Hlc::MAX).then_some(next)
    }

    /// Folds in a reading received from another replica, so that the next
    /// local event is ordered after it.
    pub fn observe(self, remote: Hlc) -> Hlc {
        self.max(remote)
    }

    /// The latest reading of another replica applied when the wall clock
    /// reads `wall_ms`, and the furthest this replica's own clock runs:
    /// [`AHEAD_MILLIS`] past it, or [`Hlc::MAX`] when that is further.
    pub fn limit(wall_ms: u64) -> Hlc {
        wall_ms
            .checked_add(AHEAD_MILLIS)
            .and_then(Hlc::from_millis)
            .map_or(Hlc::MAX, |h| h.min(Hlc::MAX))
    }

    /// Stored form: the same 64 bits as a signed integer (readings past
    /// [`Hlc::MAX`], which only a file can carry, are negative).
    pub fn as_i64(self) -> i64 {
        i64::from_ne_bytes(self.0.to_ne_bytes())
    }

    /// Reads the stored form.
    pub fn from_i64(v: i64) -> Hlc {
        Hlc(u64::from_ne_bytes(v.to_ne_bytes()))
    }
}

/// Milliseconds since the epoch, now (0 before the epoch).
pub fn wall_millis() -> u64 {
    u64::try_from(Utc::now().timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ms(wall: u64) -> Hlc {
        Hlc::from_millis(wall).unwrap()
    }

    #[test]
    fn follows_wall_clock_when_it_moves() {
        let a = Hlc::default().tick(1_000).unwrap();
        assert_eq!(a.millis(), 1_000);
        let b = a.tick(2_000).unwrap();
        assert_eq!(b, ms(2_000));
    }

    #[test]
    fn never_goes_back_when_clock_does() {
        let a = ms(5_000);
        let b = a.tick(1_000).unwrap();
        assert!(b > a);
        assert_eq!(b.millis(), 5_000);
    }

    #[test]
    fn an_edit_after_seeing_a_skewed_one_wins() {
        // Station B's clock runs days ahead; A sees B's edit, then edits.
        let b_edit = ms(10_000_000_000);
        let a = ms(1_000).observe(b_edit).tick(2_000).unwrap();
        assert!(a > b_edit);
    }

    #[test]
    fn nothing_wraps_or_saturates_at_the_ends() {
        // The last reading has no next one, whatever the wall clock says.
        assert_eq!(Hlc::MAX.tick(0), None);
        assert_eq!(Hlc::MAX.tick(Hlc::MAX_MILLIS), None);
        assert_eq!(Hlc(u64::MAX).tick(0), None);
        // The one before it has.
        assert_eq!(Hlc(Hlc::MAX.0 - 1).tick(0), Some(Hlc::MAX));
        // A wall clock past the last millisecond is no reading.
        assert_eq!(Hlc::from_millis(Hlc::MAX_MILLIS + 1), None);
        assert_eq!(Hlc::from_millis(u64::MAX), None);
        assert_eq!(Hlc::default().tick(Hlc::MAX_MILLIS + 1), None);
        assert_eq!(
            Hlc::default().tick(Hlc::MAX_MILLIS),
            Some(Hlc(Hlc::MAX_MILLIS << COUNTER_BITS))
        );
        // The bound past the wall clock stops at the end.
        assert_eq!(Hlc::limit(u64::MAX), Hlc::MAX);
        assert_eq!(Hlc::limit(Hlc::MAX_MILLIS), Hlc::MAX);
        assert_eq!(Hlc::limit(0), ms(AHEAD_MILLIS));
        // Every reading a file can carry has a date and a stored form.
        for h in [0, 1, Hlc::MAX.0, Hlc::MAX.0 + 1, u64::MAX] {
            let h = Hlc(h);
            assert_eq!(Hlc::from_i64(h.as_i64()), h);
            assert!(h.to_datetime().timestamp_millis() as u64 == h.millis());
        }
        assert!(Hlc(u64::MAX).as_i64() < 0, "stored as the same bits");
    }

    proptest! {
        #[test]
        fn ticks_are_strictly_increasing(start in 0u64..1u64 << 40, walls in prop::collection::vec(0u64..1u64 << 40, 1..50)) {
            let mut h = ms(start);
            for w in walls {
                let n = h.tick(w).unwrap();
                prop_assert!(n > h);
                prop_assert!(n.millis() >= w);
                h = n;
            }
        }

        #[test]
        fn stored_form_round_trips(h in any::<u64>()) {
            prop_assert_eq!(Hlc::from_i64(Hlc(h).as_i64()), Hlc(h));
        }
    }
}
