//! What a typed date or period names ([`Spec`]), and the days that is
//! when seen from a given day.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

use super::{DateError, Period, YEARS, quoted};

/// A year as typed: a number, a word for a year near today's (`去年` is
/// `Near(-1)`), or left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum YearRef {
    Typed(i32),
    Near(i64),
    Unsaid,
}

/// What one date or period names, before a year left out is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Spec {
    Day {
        year: YearRef,
        month: u32,
        day: u32,
    },
    Month {
        year: YearRef,
        month: u32,
    },
    /// A quarter, 1–4.
    Quarter {
        year: YearRef,
        quarter: u32,
    },
    /// A half of a year: 1 January–June, 2 July–December.
    Half {
        year: YearRef,
        half: u32,
    },
    /// Never [`YearRef::Unsaid`].
    Year(YearRef),
    /// A day of a month near today's: `下月15日` is `months: 1, day: 15`.
    DayOfMonth {
        months: i64,
        day: u32,
    },
    Relative(Relative),
}

/// A day or a period named relative to today; a positive number is ahead
/// of today, a negative one behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Relative {
    /// The day `n` days away.
    Days(i64),
    /// The day `n` calendar months away: the same day of the month, or
    /// the month's last day if it is shorter.
    Months(i64),
    /// `day` of the week `n` weeks away (`下周五`: `Some(1)`); `None`:
    /// the next such day from today, today itself if it is that day.
    Weekday(Option<i64>, Weekday),
    /// The week (Monday to Sunday) `n` weeks away.
    Week(i64),
    Month(i64),
    Quarter(i64),
    Year(i64),
}

impl Spec {
    /// Whether a year was left out, to be filled in from the other side
    /// of a range or from today.
    pub(super) fn yearless(self) -> bool {
        use YearRef::Unsaid;
        matches!(
            self,
            Spec::Day { year: Unsaid, .. }
                | Spec::Month { year: Unsaid, .. }
                | Spec::Quarter { year: Unsaid, .. }
                | Spec::Half { year: Unsaid, .. }
        )
    }

    /// Whether it stands for one day where one is wanted: a day, or
    /// `下月`, read as the first day of next month.
    pub(super) fn one_day(self) -> bool {
        matches!(
            self,
            Spec::Day { .. }
                | Spec::DayOfMonth { .. }
                | Spec::Relative(
                    Relative::Days(_)
                        | Relative::Months(_)
                        | Relative::Weekday(..)
                        | Relative::Month(1)
                )
        )
    }
}

/// Refuses a typed year outside 2000–2100 and a month outside 1–12.
pub(super) fn check(typed: &str, spec: Spec) -> Result<Spec, DateError> {
    let (year, month) = match spec {
        Spec::Day { year, month, .. } | Spec::Month { year, month } => (year, Some(month)),
        Spec::Quarter { year, .. } | Spec::Half { year, .. } | Spec::Year(year) => (year, None),
        Spec::DayOfMonth { .. } | Spec::Relative(_) => (YearRef::Unsaid, None),
    };
    if let YearRef::Typed(year) = year
        && !YEARS.contains(&year)
    {
        return Err(DateError::YearOutOfRange {
            text: quoted(typed),
            year,
        });
    }
    if let Some(month) = month.filter(|m| !(1..=12).contains(m)) {
        return Err(DateError::NoSuchMonth {
            text: quoted(typed),
            month,
        });
    }
    Ok(spec)
}

/// The days `spec` names seen from `today`, `unsaid` standing for a year
/// left out; a day is checked against its month.
pub(super) fn resolve(
    typed: &str,
    spec: Spec,
    unsaid: i32,
    today: NaiveDate,
) -> Result<Period, DateError> {
    let year = |y: YearRef| match y {
        YearRef::Typed(y) => i64::from(y),
        YearRef::Near(n) => i64::from(today.year()) + n,
        YearRef::Unsaid => i64::from(unsaid),
    };
    match spec {
        Spec::Day {
            year: y,
            month,
            day,
        } => day_of(typed, year(y), month, day),
        Spec::DayOfMonth { months, day } => {
            let (y, m) = month_away(today, months);
            day_of(typed, y, m, day)
        }
        Spec::Month { year: y, month } => Ok(month_period(year(y), month)),
        Spec::Quarter { year: y, quarter } => {
            Ok(months_period(year(y), quarter.saturating_sub(1) * 3, 3))
        }
        Spec::Half { year: y, half } => Ok(months_period(year(y), half.saturating_sub(1) * 6, 6)),
        Spec::Year(y) => Ok(months_period(year(y), 0, 12)),
        Spec::Relative(r) => Ok(r.period(today)),
    }
}

/// Day `day` of `month` (1–12) of `year`, refused if the month has no
/// such day or the year is beyond the calendar.
fn day_of(typed: &str, year: i64, month: u32, day: u32) -> Result<Period, DateError> {
    let y = year.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let last = days_in_month(y, month);
    if day == 0 || day > last {
        return Err(DateError::NoSuchDay {
            text: quoted(typed),
            year: y,
            month,
            day,
            last,
        });
    }
    NaiveDate::from_ymd_opt(y, month, day)
        .map(Period::day)
        .ok_or_else(|| DateError::YearOutOfRange {
            text: quoted(typed),
            year: y,
        })
}

impl Relative {
    /// The days it covers, cut short at the ends of the calendar.
    pub(super) fn period(self, today: NaiveDate) -> Period {
        match self {
            Relative::Days(n) => Period::day(shift(today, n)),
            Relative::Months(n) => {
                let moved = if n >= 0 {
                    u32::try_from(n)
                        .ok()
                        .and_then(|n| today.checked_add_months(Months::new(n)))
                        .unwrap_or(NaiveDate::MAX)
                } else {
                    u32::try_from(n.unsigned_abs())
                        .ok()
                        .and_then(|n| today.checked_sub_months(Months::new(n)))
                        .unwrap_or(NaiveDate::MIN)
                };
                Period::day(moved)
            }
            Relative::Weekday(None, day) => {
                let ahead = (i64::from(day.num_days_from_monday())
                    - i64::from(today.weekday().num_days_from_monday()))
                .rem_euclid(7);
                Period::day(shift(today, ahead))
            }
            Relative::Weekday(Some(weeks), day) => Period::day(shift(
                monday(today, weeks),
                i64::from(day.num_days_from_monday()),
            )),
            Relative::Week(n) => {
                let from = monday(today, n);
                Period {
                    from,
                    to: shift(from, 6),
                }
            }
            Relative::Month(n) => {
                let (y, m) = month_away(today, n);
                month_period(y, m)
            }
            Relative::Quarter(n) => {
                let first = i64::from(today.month0() / 3 * 3) + 3 * n;
                months_period(
                    i64::from(today.year()) + first.div_euclid(12),
                    first.rem_euclid(12) as u32,
                    3,
                )
            }
            Relative::Year(n) => months_period(i64::from(today.year()) + n, 0, 12),
        }
    }
}

/// The Monday of the week `weeks` weeks from today's.
fn monday(today: NaiveDate, weeks: i64) -> NaiveDate {
    let since_monday = i64::from(today.weekday().num_days_from_monday());
    shift(today, weeks.saturating_mul(7).saturating_sub(since_monday))
}

/// The year and month (1–12) `n` months from today's.
fn month_away(today: NaiveDate, n: i64) -> (i64, u32) {
    let index = i64::from(today.year()) * 12 + i64::from(today.month0()) + n;
    (index.div_euclid(12), index.rem_euclid(12) as u32 + 1)
}

/// `d` moved by `n` days, stopping at the ends of the calendar.
pub(super) fn shift(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MAX)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs()))
            .unwrap_or(NaiveDate::MIN)
    }
}

/// A whole month (`month` in 1–12), cut short at the ends of the calendar.
fn month_period(year: i64, month: u32) -> Period {
    months_period(year, month.saturating_sub(1), 1)
}

/// `count` whole months from month `first0` (0–11) of `year`, cut short
/// at the ends of the calendar (`first0 + count` is at most 12).
fn months_period(year: i64, first0: u32, count: u32) -> Period {
    if year < i64::from(NaiveDate::MIN.year()) {
        return Period::day(NaiveDate::MIN);
    }
    if year > i64::from(NaiveDate::MAX.year()) {
        return Period::day(NaiveDate::MAX);
    }
    // In the calendar's range now, so it fits an i32.
    let y = year as i32;
    let last = first0 + count;
    Period {
        from: NaiveDate::from_ymd_opt(y, first0 + 1, 1).unwrap_or(NaiveDate::MIN),
        to: NaiveDate::from_ymd_opt(y, last, days_in_month(y, last)).unwrap_or(NaiveDate::MAX),
    }
}

pub(super) fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}
