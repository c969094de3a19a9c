//! Days and "here now" as a station lives them: one rule each, used by the
//! store, the console, the kiosk and the command line alike.

use chrono::{DateTime, NaiveDate, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// The first instant of a local calendar day in `tz`: its midnight; where
/// midnight is repeated (clocks turned back at midnight), the first one;
/// where the zone skips midnight (clocks put forward at midnight, as in
/// some zones at the start of summer time), the instant the gap ends, which
/// is the instant midnight would have been at the offset in force before.
pub fn day_start(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(NaiveTime::MIN);
    if let Some(t) = tz.from_local_datetime(&midnight).earliest() {
        return t.with_timezone(&Utc);
    }
    // Skipped: read midnight with the offset of the evening before.
    let before = midnight - chrono::Duration::hours(12);
    let offset = tz
        .offset_from_local_datetime(&before)
        .earliest()
        .map_or(0, |o| o.fix().local_minus_utc());
    Utc.from_utc_datetime(&(midnight - chrono::Duration::seconds(i64::from(offset))))
}

/// The instants a local day starts (included) and ends (excluded).
pub fn day_bounds(day: NaiveDate, tz: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
    let next = day.succ_opt().unwrap_or(day);
    (day_start(day, tz), day_start(next, tz))
}

/// The local calendar day of an instant.
pub fn local_day(at: DateTime<Utc>, tz: Tz) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// How long a visitor who did not sign out counts as "here now" in the
/// station's day: long enough for a day's shift of rests.
pub const PRESENT_HOURS: i64 = 12;

/// How long an arrival of the evening before still counts as "here now"
/// after midnight: long enough for a night at a drivers' station (in at
/// 23:00, asleep at 05:00), short enough that the afternoon's visitors
/// nobody marked leaving are gone at night.
pub const OVERNIGHT_HOURS: i64 = 6;

/// The earliest arrival that still counts as "here now" at `now` in the
/// station's zone `tz`: a visit with no leaving time is here when it
/// arrived at or after this instant. That is the last 12 hours, but not
/// across midnight further back than 6 hours: at 20:00 everyone since
/// 08:00; at 02:15 those who came after 20:15, not the 15:00 visitor
/// nobody marked leaving.
pub fn present_since(now: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let day = day_start(local_day(now, tz), tz);
    let overnight = now - chrono::Duration::hours(OVERNIGHT_HOURS);
    (now - chrono::Duration::hours(PRESENT_HOURS)).max(day.min(overnight))
}

/// Whether a visit that arrived at `arrived` and left at `left` (if it has)
/// counts as here at `now`: not left, and arrived at or after
/// [`present_since`]. The store's reads of who is here use the same rule.
pub fn is_here(
    arrived: DateTime<Utc>,
    left: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    tz: Tz,
) -> bool {
    left.is_none() && arrived >= present_since(now, tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_day_in_shanghai_starts_at_local_midnight() {
        let tz = chrono_tz::Asia::Shanghai;
        let s = day_start(d(2026, 11, 23), tz);
        assert_eq!(s.to_rfc3339(), "2026-11-22T16:00:00+00:00");
        let (a, b) = day_bounds(d(2026, 11, 23), tz);
        assert_eq!((b - a).num_hours(), 24);
    }

    #[test]
    fn a_zone_that_skips_midnight_starts_the_day_at_the_gap_end() {
        // Chile: on 2026-09-06 clocks go from 00:00 -04 straight to 01:00 -03.
        let tz = chrono_tz::America::Santiago;
        let s = day_start(d(2026, 9, 6), tz);
        assert_eq!(s.to_rfc3339(), "2026-09-06T04:00:00+00:00");
        assert_eq!(s.with_timezone(&tz).date_naive(), d(2026, 9, 6));
        assert_eq!(
            s.with_timezone(&tz).time(),
            NaiveTime::from_hms_opt(1, 0, 0).unwrap()
        );
        // The instant before belongs to the day before: no gap, no overlap.
        let before = s - chrono::Duration::seconds(1);
        assert_eq!(before.with_timezone(&tz).date_naive(), d(2026, 9, 5));
        // That day has 23 hours.
        let (a, b) = day_bounds(d(2026, 9, 6), tz);
        assert_eq!((b - a).num_hours(), 23);
    }

    #[test]
    fn a_repeated_midnight_starts_the_day_at_the_first() {
        // Chile, 2026-04-05: 00:00 -03 goes back to 23:00 -04 on the 4th,
        // so midnight of the 5th... is not repeated; the 4th's 23:00 is.
        // Cuba turns back at 01:00. Pick a zone turning back at midnight:
        // America/Asuncion 2024-03-24 (00:00 -03 -> 23:00 -04 on the 23rd).
        let tz = chrono_tz::America::Asuncion;
        for day in [d(2024, 3, 23), d(2024, 3, 24)] {
            let s = day_start(day, tz);
            assert_eq!(s.with_timezone(&tz).date_naive(), day);
            let before = s - chrono::Duration::seconds(1);
            assert!(before.with_timezone(&tz).date_naive() < day);
        }
    }

    #[test]
    fn here_now_counts_from_twelve_hours_back_inclusive() {
        let tz = chrono_tz::Asia::Shanghai;
        // 20:00 in Shanghai.
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 12, 0, 0).unwrap();
        let edge = present_since(now, tz);
        assert_eq!((now - edge).num_hours(), 12);
        assert!(is_here(edge, None, now, tz));
        assert!(!is_here(edge - chrono::Duration::seconds(1), None, now, tz));
        assert!(!is_here(now, Some(now), now, tz));
    }

    #[test]
    fn at_night_the_afternoon_is_gone_and_the_evening_stays() {
        let tz = chrono_tz::Asia::Shanghai;
        let local = |d: u32, h: u32, m: u32| {
            tz.with_ymd_and_hms(2026, 11, d, h, m, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        // 02:15: the 15:00 visitor nobody marked leaving is not here; the
        // 23:50 arrival is.
        let now = local(24, 2, 15);
        assert!(!is_here(local(23, 15, 0), None, now, tz));
        assert!(is_here(local(23, 23, 50), None, now, tz));
        assert_eq!(present_since(now, tz), local(23, 20, 15));
        // 05:00: a driver in at 23:00 sleeps on.
        assert!(is_here(local(23, 23, 0), None, local(24, 5, 0), tz));
        // 10:00: last night's arrivals are gone; this morning's are here.
        let now = local(24, 10, 0);
        assert_eq!(present_since(now, tz), local(24, 0, 0));
        assert!(!is_here(local(23, 23, 0), None, now, tz));
    }
}
