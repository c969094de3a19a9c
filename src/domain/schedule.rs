//! Counsellors and volunteer lawyers, their recurring availability, and the
//! sessions booked with them.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::error::ValidationError;
use super::ids::{AppointmentId, CounsellorId, ExceptionId, PersonId, RuleId};

crate::code_enum! {
    /// What kind of help a counsellor gives.
    pub enum CounsellorKind {
        Psychological = "psychological", "心理咨询", "Psychological";
        Legal = "legal", "法律咨询", "Legal";
    }
}

crate::code_enum! {
    /// Where a booked session stands.
    pub enum AppointmentStatus {
        Booked = "booked", "已预约", "Booked";
        Arrived = "arrived", "已到达", "Arrived";
        Done = "done", "已完成", "Done";
        NoShow = "no_show", "未到", "No-show";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
}

impl AppointmentStatus {
    /// Whether the session still holds its slot.
    pub fn holds_slot(self) -> bool {
        self != AppointmentStatus::Cancelled
    }

    /// Booked → arrived → done; booked → no-show or cancelled; arrived →
    /// cancelled is refused (the person is here); a no-show may still turn
    /// up late (no-show → arrived). A mark set by mistake (arrived, done,
    /// no-show) can be undone: back to booked. A cancelled session stays
    /// cancelled (its slot may have been given to someone else).
    pub fn transition(self, to: AppointmentStatus) -> Result<AppointmentStatus, ValidationError> {
        use AppointmentStatus::*;
        let ok = matches!(
            (self, to),
            (Booked, Arrived | NoShow | Cancelled)
                | (Arrived, Done)
                | (NoShow, Arrived)
                | (Arrived | Done | NoShow, Booked)
        );
        if ok {
            Ok(to)
        } else {
            Err(ValidationError::AppointmentTransition {
                from: self.code(),
                to: to.code(),
            })
        }
    }
}

/// Arrived, done and no-show say what happened at a session, so they can be
/// set only once it has started: `starts` and `now` in station time.
pub fn check_started(
    to: AppointmentStatus,
    starts: NaiveDateTime,
    now: NaiveDateTime,
) -> Result<(), ValidationError> {
    use AppointmentStatus::*;
    if matches!(to, Arrived | Done | NoShow) && starts > now {
        Err(ValidationError::SessionNotStarted)
    } else {
        Ok(())
    }
}

crate::code_enum! {
    /// Where a waitlist entry stands.
    pub enum WaitlistStatus {
        Waiting = "waiting", "等待中", "Waiting";
        Booked = "booked", "已预约", "Booked";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

impl WaitlistStatus {
    /// Waiting → booked or withdrawn, and back to waiting (a booking that
    /// fell through, a worker who asks again); booked ⇄ withdrawn directly
    /// is refused (put the entry back to waiting first).
    pub fn transition(self, to: WaitlistStatus) -> Result<WaitlistStatus, ValidationError> {
        use WaitlistStatus::*;
        let ok = matches!(
            (self, to),
            (Waiting, Booked | Withdrawn) | (Booked | Withdrawn, Waiting)
        );
        if ok {
            Ok(to)
        } else {
            Err(ValidationError::WaitlistTransition {
                from: self.code(),
                to: to.code(),
            })
        }
    }
}

/// The Monday of the (ISO, Monday-first) week that holds `date`: the key of
/// a waitlist week.
pub fn monday_of(date: NaiveDate) -> NaiveDate {
    date - Duration::days(i64::from(date.weekday().num_days_from_monday()))
}

/// A counsellor or volunteer lawyer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counsellor {
    pub id: CounsellorId,
    pub name: String,
    pub kind: CounsellorKind,
    pub active: bool,
}

/// Which weeks of the month a monthly rule applies to: bits 0–4 are the
/// 1st to 5th occurrence of the weekday, bit 5 the last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WeeksOfMonth(u8);

impl WeeksOfMonth {
    /// The bit for "the last such weekday of the month".
    pub const LAST: u8 = 5;

    /// Builds from occurrence numbers 1–5 and `LAST`+1 = 6 meaning last.
    pub fn new(weeks: &[u8]) -> Result<WeeksOfMonth, ValidationError> {
        let mut bits = 0u8;
        for &w in weeks {
            if !(1..=6).contains(&w) {
                return Err(ValidationError::WeekOfMonth);
            }
            bits |= 1 << (w - 1);
        }
        if bits == 0 {
            return Err(ValidationError::WeekOfMonth);
        }
        Ok(WeeksOfMonth(bits))
    }
    pub fn from_bits(bits: u8) -> Result<WeeksOfMonth, ValidationError> {
        if bits == 0 || bits >= 1 << 6 {
            Err(ValidationError::WeekOfMonth)
        } else {
            Ok(WeeksOfMonth(bits))
        }
    }
    pub fn bits(self) -> u8 {
        self.0
    }
    fn matches(self, date: NaiveDate) -> bool {
        let nth = (date.day0() / 7) as u8; // 0-based occurrence of this weekday
        let is_last = (date + Duration::days(7)).month() != date.month();
        self.0 & (1 << nth) != 0 || (is_last && self.0 & (1 << Self::LAST) != 0)
    }
}

/// How often an availability repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recurrence {
    /// Every week on this day.
    Weekly(Weekday),
    /// On some occurrences of a weekday in each month (2nd and 4th Thursday).
    Monthly(Weekday, WeeksOfMonth),
}

impl Recurrence {
    pub fn matches(self, date: NaiveDate) -> bool {
        match self {
            Recurrence::Weekly(d) => date.weekday() == d,
            Recurrence::Monthly(d, w) => date.weekday() == d && w.matches(date),
        }
    }
}

/// A recurring period when a counsellor holds sessions, cut into slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityRule {
    pub id: RuleId,
    pub counsellor: CounsellorId,
    pub recurrence: Recurrence,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub slot_minutes: u32,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

impl AvailabilityRule {
    /// Checks times and slot length.
    pub fn validate(&self) -> Result<(), ValidationError> {
        check_period(self.start, self.end)?;
        let span = (self.end - self.start).num_minutes();
        if !(10..=240).contains(&self.slot_minutes) || i64::from(self.slot_minutes) > span {
            return Err(ValidationError::SlotLength);
        }
        Ok(())
    }

    /// Whether some date could get slots from both rules at overlapping
    /// times: the same weekday, overlapping hours and validity, and (for
    /// monthly rules) a week in common; "last" is taken to meet the 4th
    /// and 5th.
    pub fn overlaps(&self, other: &AvailabilityRule) -> bool {
        let (day, weeks) = recurrence_parts(self.recurrence);
        let (other_day, other_weeks) = recurrence_parts(other.recurrence);
        let widen = |bits: u8| {
            if bits & (1 << WeeksOfMonth::LAST) != 0 {
                bits | 0b1_1000
            } else {
                bits
            }
        };
        day == other_day
            && widen(weeks) & widen(other_weeks) != 0
            && self.start < other.end
            && other.start < self.end
            && self.valid_until.is_none_or(|u| other.valid_from <= u)
            && other.valid_until.is_none_or(|u| self.valid_from <= u)
    }

    fn applies(&self, date: NaiveDate) -> bool {
        date >= self.valid_from
            && self.valid_until.is_none_or(|u| date <= u)
            && self.recurrence.matches(date)
    }
}

/// The weekday of a recurrence and its weeks of the month (all of them for
/// a weekly one).
fn recurrence_parts(r: Recurrence) -> (Weekday, u8) {
    match r {
        Recurrence::Weekly(d) => (d, 0b11_1111),
        Recurrence::Monthly(d, w) => (d, w.bits()),
    }
}

/// A change to the usual availability on one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityException {
    pub id: ExceptionId,
    pub counsellor: CounsellorId,
    pub date: NaiveDate,
    pub kind: ExceptionKind,
}

/// What an exception does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionKind {
    /// Not available: the whole day (`None`) or one period.
    Unavailable(Option<(NaiveTime, NaiveTime)>),
    /// Extra sessions in this period, cut into slots of this length.
    Extra(NaiveTime, NaiveTime, u32),
}

/// One bookable slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slot {
    pub start: NaiveTime,
    pub end: NaiveTime,
}

/// The bookable slots of one counsellor on one date, sorted, without
/// duplicates: the slots of every rule that applies, plus extra periods,
/// less anything an unavailability overlaps.
pub fn slots_on(
    rules: &[AvailabilityRule],
    exceptions: &[AvailabilityException],
    date: NaiveDate,
) -> Vec<Slot> {
    let mut slots = Vec::new();
    for r in rules.iter().filter(|r| r.applies(date)) {
        cut(r.start, r.end, r.slot_minutes, &mut slots);
    }
    for e in exceptions.iter().filter(|e| e.date == date) {
        if let ExceptionKind::Extra(s, t, m) = e.kind {
            cut(s, t, m, &mut slots);
        }
    }
    for e in exceptions.iter().filter(|e| e.date == date) {
        match e.kind {
            ExceptionKind::Unavailable(None) => slots.clear(),
            ExceptionKind::Unavailable(Some((s, t))) => {
                slots.retain(|x| x.end <= s || x.start >= t);
            }
            ExceptionKind::Extra(..) => {}
        }
    }
    slots.sort();
    slots.dedup();
    slots
}

fn cut(start: NaiveTime, end: NaiveTime, minutes: u32, out: &mut Vec<Slot>) {
    if minutes == 0 {
        return;
    }
    let step = Duration::minutes(i64::from(minutes));
    let mut s = start;
    while s < end {
        let (e, wrapped) = s.overflowing_add_signed(step);
        if wrapped != 0 || e > end {
            break;
        }
        out.push(Slot { start: s, end: e });
        s = e;
    }
}

/// Checks that a period ends after it starts.
pub fn check_period(start: NaiveTime, end: NaiveTime) -> Result<(), ValidationError> {
    if end <= start {
        Err(ValidationError::EndBeforeStart)
    } else {
        Ok(())
    }
}

/// A session booked for a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appointment {
    pub id: AppointmentId,
    pub counsellor: CounsellorId,
    pub person: PersonId,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub status: AppointmentStatus,
    pub follow_up: Option<NaiveDate>,
    // The confidential notes are not here: only `Store::session_notes`
    // reads them, for counsellors.
}

/// Checks that `slot` on `date` is one the counsellor offers.
pub fn check_bookable(
    rules: &[AvailabilityRule],
    exceptions: &[AvailabilityException],
    date: NaiveDate,
    slot: Slot,
) -> Result<(), ValidationError> {
    if slots_on(rules, exceptions, date).contains(&slot) {
        Ok(())
    } else {
        Err(ValidationError::OutsideAvailability)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }
    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn rule(c: CounsellorId, r: Recurrence) -> AvailabilityRule {
        AvailabilityRule {
            id: RuleId::new(),
            counsellor: c,
            recurrence: r,
            start: t(14, 0),
            end: t(17, 0),
            slot_minutes: 60,
            valid_from: d(2026, 1, 1),
            valid_until: None,
        }
    }

    #[test]
    fn weekly_tuesday_afternoons() {
        let c = CounsellorId::new();
        let rules = [rule(c, Recurrence::Weekly(Weekday::Tue))];
        // 2026-11-24 is a Tuesday.
        let s = slots_on(&rules, &[], d(2026, 11, 24));
        assert_eq!(s.len(), 3);
        assert_eq!(
            s[0],
            Slot {
                start: t(14, 0),
                end: t(15, 0)
            }
        );
        assert!(slots_on(&rules, &[], d(2026, 11, 25)).is_empty());
        assert!(
            slots_on(&rules, &[], d(2025, 11, 25)).is_empty(),
            "before valid_from"
        );
    }

    #[test]
    fn second_and_fourth_thursday() {
        let c = CounsellorId::new();
        let w = WeeksOfMonth::new(&[2, 4]).unwrap();
        let rules = [rule(c, Recurrence::Monthly(Weekday::Thu, w))];
        // Thursdays of Nov 2026: 5, 12, 19, 26.
        let days: Vec<u32> = (1..=30)
            .filter(|&x| !slots_on(&rules, &[], d(2026, 11, x)).is_empty())
            .collect();
        assert_eq!(days, [12, 26]);
    }

    #[test]
    fn last_weekday_of_month() {
        let c = CounsellorId::new();
        let w = WeeksOfMonth::new(&[6]).unwrap();
        let rules = [rule(c, Recurrence::Monthly(Weekday::Fri, w))];
        let days: Vec<u32> = (1..=30)
            .filter(|&x| !slots_on(&rules, &[], d(2026, 11, x)).is_empty())
            .collect();
        assert_eq!(days, [27]);
        assert!(WeeksOfMonth::new(&[0]).is_err());
        assert!(WeeksOfMonth::new(&[]).is_err());
        assert!(WeeksOfMonth::from_bits(64).is_err());
    }

    #[test]
    fn exceptions_remove_and_add() {
        let c = CounsellorId::new();
        let rules = [rule(c, Recurrence::Weekly(Weekday::Tue))];
        let day = d(2026, 11, 24);
        let off = AvailabilityException {
            id: ExceptionId::new(),
            counsellor: c,
            date: day,
            kind: ExceptionKind::Unavailable(Some((t(15, 0), t(16, 0)))),
        };
        let s = slots_on(&rules, std::slice::from_ref(&off), day);
        assert_eq!(
            s.iter().map(|x| x.start).collect::<Vec<_>>(),
            [t(14, 0), t(16, 0)]
        );
        let whole = AvailabilityException {
            kind: ExceptionKind::Unavailable(None),
            ..off.clone()
        };
        assert!(slots_on(&rules, &[whole], day).is_empty());
        let extra = AvailabilityException {
            kind: ExceptionKind::Extra(t(9, 0), t(10, 30), 45),
            date: d(2026, 11, 25),
            ..off
        };
        let s = slots_on(&rules, &[extra], d(2026, 11, 25));
        assert_eq!(s.len(), 2);
        assert!(
            check_bookable(
                &rules,
                &[],
                day,
                Slot {
                    start: t(14, 0),
                    end: t(15, 0)
                }
            )
            .is_ok()
        );
        assert_eq!(
            check_bookable(
                &rules,
                &[],
                day,
                Slot {
                    start: t(14, 30),
                    end: t(15, 30)
                }
            ),
            Err(ValidationError::OutsideAvailability)
        );
    }

    #[test]
    fn rule_validation() {
        let c = CounsellorId::new();
        let mut r = rule(c, Recurrence::Weekly(Weekday::Mon));
        assert_eq!(r.validate(), Ok(()));
        r.slot_minutes = 5;
        assert_eq!(r.validate(), Err(ValidationError::SlotLength));
        r.slot_minutes = 200;
        assert_eq!(r.validate(), Err(ValidationError::SlotLength));
        r.end = r.start;
        assert_eq!(r.validate(), Err(ValidationError::EndBeforeStart));
    }

    #[test]
    fn waitlist_workflow_and_weeks() {
        use WaitlistStatus::*;
        assert_eq!(Waiting.transition(Booked), Ok(Booked));
        assert_eq!(Waiting.transition(Withdrawn), Ok(Withdrawn));
        assert_eq!(Booked.transition(Waiting), Ok(Waiting));
        assert_eq!(Withdrawn.transition(Waiting), Ok(Waiting));
        assert!(Booked.transition(Withdrawn).is_err());
        assert!(Withdrawn.transition(Booked).is_err());
        assert!(Waiting.transition(Waiting).is_err());
        // 2026-11-23 is a Monday.
        for day in 23..=29 {
            assert_eq!(monday_of(d(2026, 11, day)), d(2026, 11, 23), "{day}");
        }
        assert_eq!(monday_of(d(2026, 11, 22)), d(2026, 11, 16));
        assert_eq!(monday_of(d(2027, 1, 1)), d(2026, 12, 28), "across a year");
    }

    #[test]
    fn appointment_workflow() {
        use AppointmentStatus::*;
        assert!(Booked.transition(Arrived).is_ok());
        assert!(Arrived.transition(Done).is_ok());
        assert!(Booked.transition(NoShow).is_ok());
        assert!(NoShow.transition(Arrived).is_ok());
        assert!(Booked.transition(Cancelled).is_ok());
        assert!(Cancelled.transition(Booked).is_err());
        assert!(Done.transition(Cancelled).is_err());
        assert!(Booked.transition(Done).is_err());
        assert!(!Cancelled.holds_slot() && Booked.holds_slot());
        // A mistaken mark is undone back to booked (then cancelled, if so).
        for mark in [Arrived, Done, NoShow] {
            assert_eq!(mark.transition(Booked), Ok(Booked), "{mark:?}");
        }
        assert!(Booked.transition(Booked).is_err());
    }

    #[test]
    fn marks_wait_for_the_session_to_start() {
        use AppointmentStatus::*;
        let starts = d(2026, 11, 24).and_time(t(14, 0));
        let before = d(2026, 11, 24).and_time(t(13, 59));
        let days_before = d(2026, 11, 21).and_time(t(16, 0));
        for to in [Arrived, Done, NoShow] {
            assert_eq!(
                check_started(to, starts, days_before),
                Err(ValidationError::SessionNotStarted)
            );
            assert_eq!(
                check_started(to, starts, before),
                Err(ValidationError::SessionNotStarted)
            );
            assert_eq!(check_started(to, starts, starts), Ok(()));
        }
        assert_eq!(check_started(Cancelled, starts, days_before), Ok(()));
        assert_eq!(check_started(Booked, starts, days_before), Ok(()));
    }

    #[test]
    fn rules_that_overlap() {
        let c = CounsellorId::new();
        let tue = rule(c, Recurrence::Weekly(Weekday::Tue));
        let same = AvailabilityRule {
            id: RuleId::new(),
            ..tue.clone()
        };
        assert!(tue.overlaps(&same), "the same hours twice");
        let later = AvailabilityRule {
            start: t(16, 0),
            end: t(18, 0),
            ..same.clone()
        };
        assert!(tue.overlaps(&later) && later.overlaps(&tue));
        let after = AvailabilityRule {
            start: t(17, 0),
            end: t(19, 0),
            ..same.clone()
        };
        assert!(!tue.overlaps(&after), "back to back is fine");
        let wed = rule(c, Recurrence::Weekly(Weekday::Wed));
        assert!(!tue.overlaps(&wed));
        let ended = AvailabilityRule {
            valid_until: Some(d(2026, 6, 30)),
            ..same.clone()
        };
        let next = AvailabilityRule {
            valid_from: d(2026, 7, 1),
            ..same.clone()
        };
        assert!(!ended.overlaps(&next) && !next.overlaps(&ended));
        let monthly = |weeks: &[u8]| {
            rule(
                c,
                Recurrence::Monthly(Weekday::Tue, WeeksOfMonth::new(weeks).unwrap()),
            )
        };
        assert!(tue.overlaps(&monthly(&[2])), "every week meets the 2nd");
        assert!(!monthly(&[1, 3]).overlaps(&monthly(&[2, 4])));
        assert!(
            monthly(&[6]).overlaps(&monthly(&[4])),
            "the last may be the 4th"
        );
        assert!(!monthly(&[6]).overlaps(&monthly(&[1])));
    }
}
