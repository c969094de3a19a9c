//! Dates, periods and times of day as staff type them: the one reading of
//! every date field of the console and every date option of the command
//! line.
//!
//! Staff type a date or a period the way they write it on paper or say it
//! at the counter. Everything relative (`今天`, `下周一`, `本月`, a year left
//! out) is read against `today`, which the caller passes in, so the rules
//! are tested without a clock. What a field allows beyond being a date (a
//! follow-up not in the past, an end not before its start) is the
//! caller's to check.
//!
//! **One day** ([`parse_date`]):
//! - written in numbers: `2026-12-15`, `2026/12/15`, `2026.12.15`,
//!   `20261215`; without the year `12-15`, `12/15`, `12.15`;
//! - in Chinese: `2026年12月15日`, `12月15日`, `12月15号`, `12月15`, and
//!   `去年`/`今年`/`明年` for the year (`明年1月5日`);
//! - in English: `dec 15`, `15 december`, `december 15, 2026`,
//!   `15th of dec 2026`;
//! - near today: `今天`/`today`, `明天`/`tomorrow`, `后天`, `大后天`,
//!   `昨天`/`yesterday`, `前天`, `大前天`; `3天后`, `十天以后`, `两周后`,
//!   `3天前`, `一个月后` (the same day of the month, or its last day),
//!   `in 3 days`, `2 weeks ago`, `in a month`;
//! - by weekday: `周五`/`星期五`/`礼拜五`/`friday`/`fri` is **the next
//!   Friday, today itself if today is a Friday**; `本周五`/`这周五`/`this
//!   friday`, `下周五`/`next friday`, `上周五`/`last friday` are the Friday
//!   of this, next and last week (weeks run Monday to Sunday, so `本周一`
//!   may be behind today);
//! - a day of a month near today's: `本月20日`, `下月15号`, `上个月1日`;
//! - `下月`/`下个月`/`next month`, where one day is wanted, is **the first
//!   day of next month**. Every other period is refused there, with a word
//!   on typing one day (`本月`, `下周`, `2026-12`: which day?).
//!
//! **A period** ([`parse_period`]): any day above, or
//! - a week, Monday to Sunday: `本周`/`this week`, `上周`/`last week`,
//!   `下周`/`next week` (also with `星期`, `礼拜`);
//! - a month: `本月`, `上月`, `下月` (and `…个月`, `this/last/next
//!   month`), `2026-12`, `2026/12`, `2026年12月`, `12月`, `去年12月`,
//!   `december`, `dec 2026`;
//! - a quarter: `本季度`, `上季度`, `下季度` (`this/last/next quarter`),
//!   `第一季度`/`一季度`/`Q1`, `2026年第一季度`, `去年四季度`, `2026Q1`,
//!   `Q1 2026`, `first quarter of 2026`;
//! - a half year: `上半年`/`first half`/`H1` (January to June of this
//!   year), `下半年`/`second half`/`H2`, `2026年上半年`, `去年下半年`,
//!   `first half of last year`;
//! - a year: `今年`/`this year`, `去年`/`last year`, `前年`, `明年`/`next
//!   year`, `后年`, `2026`, `2026年`;
//! - a range of any two of these: `FROM..TO`, `FROM 至 TO`, `FROM 到 TO`,
//!   `FROM~TO`, `FROM—TO`, `FROM - TO`, `FROM to TO` (see
//!   [`parse_period`]), or the two typed apart ([`parse_ends`]).
//!
//! A year left out is this year's, except in a range, where it is the
//! other side's: `2025-11-01..11-30` and `--from 2025-11-01 --to 11-30`
//! are November 2025, not thirteen months. A range that then runs
//! backwards is refused, never moved to another year.
//!
//! **A time of day**: see [`parse_time`].
//!
//! Before reading, full-width characters from an IME (`２０２６－１２－１５`,
//! `／`, `：`, `～`, the ideographic space) count as their ASCII forms, and
//! English words are matched without regard to case.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use crate::i18n::{Lang, Localized};

mod english;
mod error;
mod range;
mod read;
mod spec;
mod time;
mod words;

pub use error::DateError;
pub use time::{parse_day_time, parse_time};

use range::{Side, Split, join, one, split_range};
use spec::{Relative, resolve};

/// Years a typed date may name: a year outside is a typo.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The longest part of the input a message quotes back, in characters.
const QUOTE_MAX: usize = 40;

/// What an error quotes of the input: all of it, unless it is very long.
fn quoted(s: &str) -> String {
    if s.chars().count() <= QUOTE_MAX {
        return s.to_owned();
    }
    let mut q: String = s.chars().take(QUOTE_MAX).collect();
    q.push('…');
    q
}

/// The days from `from` to `to`, both included.
///
/// Periods from [`parse_period`], [`parse_ends`], [`parse_from_to`],
/// [`Period::new`] and [`NamedPeriod`] always have `from <= to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    /// The first day.
    pub from: NaiveDate,
    /// The last day (included).
    pub to: NaiveDate,
}

impl Period {
    /// The days from `from` to `to`, refused if `to` is before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period, DateError> {
        if to < from {
            return Err(DateError::EndBeforeStart { from, to });
        }
        Ok(Period { from, to })
    }

    /// One day.
    pub fn day(d: NaiveDate) -> Period {
        Period { from: d, to: d }
    }

    /// Whether `d` lies in the period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// How many days the period covers (1 for a single day).
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// `2026-11-01` for one day, `2026-11-01..2026-11-30` otherwise: a form
/// [`parse_period`] reads back.
impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            write!(f, "{}", self.from)
        } else {
            write!(f, "{}..{}", self.from, self.to)
        }
    }
}

/// The periods the figures pane offers by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedPeriod {
    Today,
    ThisWeek,
    ThisMonth,
    LastMonth,
    ThisYear,
}

impl NamedPeriod {
    /// Every named period, in the order the pane offers them.
    pub const ALL: [NamedPeriod; 5] = [
        NamedPeriod::Today,
        NamedPeriod::ThisWeek,
        NamedPeriod::ThisMonth,
        NamedPeriod::LastMonth,
        NamedPeriod::ThisYear,
    ];

    /// The label shown to users.
    pub fn label(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            NamedPeriod::Today => ("今天", "Today"),
            NamedPeriod::ThisWeek => ("本周", "This week"),
            NamedPeriod::ThisMonth => ("本月", "This month"),
            NamedPeriod::LastMonth => ("上月", "Last month"),
            NamedPeriod::ThisYear => ("今年", "This year"),
        };
        lang.pick(zh, en)
    }

    /// The days it covers, seen from `today`. A week runs Monday to Sunday.
    /// (At the very ends of the calendar it is cut short, never a panic.)
    pub fn period(self, today: NaiveDate) -> Period {
        let relative = match self {
            NamedPeriod::Today => Relative::Days(0),
            NamedPeriod::ThisWeek => Relative::Week(0),
            NamedPeriod::ThisMonth => Relative::Month(0),
            NamedPeriod::LastMonth => Relative::Month(-1),
            NamedPeriod::ThisYear => Relative::Year(0),
        };
        relative.period(today)
    }

    /// The named period that is exactly `period` as seen from `today`, if
    /// any (so the pane can highlight it when a period was typed).
    pub fn matching(period: Period, today: NaiveDate) -> Option<NamedPeriod> {
        NamedPeriod::ALL
            .into_iter()
            .find(|n| n.period(today) == period)
    }
}

impl Localized for NamedPeriod {
    fn localized(&self, lang: Lang) -> String {
        self.label(lang).to_owned()
    }
}

/// Reads one day as staff type it: the forms in the [module
/// documentation](self), a year left out being `today`'s.
///
/// Refused with the reason: blank ([`DateError::NoDate`]), a month outside
/// 1–12, a day the month does not have (`2026-02-30`, `02-29` in a common
/// year, `下月31日` before a short month), a typed year outside
/// 2000–2100, a period other than `下月` ([`DateError::NotOneDay`]), and
/// anything else ([`DateError::NotADate`]).
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(DateError::NoDate);
    }
    let spec = match split_range(typed) {
        Split::One => read::spec(typed),
        Split::Two(..) | Split::Many => None,
    };
    let Some(spec) = spec else {
        return Err(if parse_period(typed, today).is_ok() {
            DateError::NotOneDay(quoted(typed))
        } else {
            DateError::NotADate(quoted(typed))
        });
    };
    if !spec.one_day() {
        // `1101` is no year, `2026-13` no month: not a period either.
        return Err(match spec::check(typed, spec) {
            Ok(_) => DateError::NotOneDay(quoted(typed)),
            Err(_) => DateError::NotADate(quoted(typed)),
        });
    }
    let spec = spec::check(typed, spec)?;
    Ok(resolve(typed, spec, today.year(), today)?.from)
}

/// Reads a period as staff type it: the forms in the [module
/// documentation](self).
///
/// A range is `FROM..TO`, `FROM 至 TO`, `FROM 到 TO`, `FROM~TO`, `FROM—TO`,
/// `FROM - TO` (spaces around the hyphen, which dates use themselves,
/// unless it follows `日` as in `11月1日-11月30日`) or `FROM to TO`, with
/// any day or period on either side (`2026-11..2026-12` is November and
/// December; `2026-11-01至今` runs to today). A side typed without a year
/// takes the other side's (`2025-12-01..12-31` is December 2025); with no
/// year on either side, both are this year. A range that then runs
/// backwards is refused rather than guessed at: `2025-12-01..01-31` asks
/// for the year on the right.
///
/// Refused with the reason: blank ([`DateError::NoPeriod`]), a range that
/// ends before it starts, a range missing one side, a bad date on either
/// side (quoted alone), and anything else ([`DateError::NotAPeriod`]).
pub fn parse_period(text: &str, today: NaiveDate) -> Result<Period, DateError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(DateError::NoPeriod);
    }
    match split_range(typed) {
        Split::One => resolve(
            typed,
            one(typed, DateError::NotAPeriod)?,
            today.year(),
            today,
        ),
        Split::Two(a, b) => {
            let (a, b) = (a.trim(), b.trim());
            if a.is_empty() || b.is_empty() {
                return Err(DateError::HalfRange(quoted(typed)));
            }
            let sa = Side::One(one(a, DateError::NotADate)?);
            let sb = Side::One(one(b, DateError::NotADate)?);
            let (pa, pb) = join((a, sa), (b, sb), today).map_err(|(_, e)| e)?;
            Period::new(pa.from, pb.to)
        }
        Split::Many => Err(DateError::NotAPeriod(quoted(typed))),
    }
}

/// Which of the two ends of a period typed apart a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum End {
    /// The start: the first field, `--from`.
    From,
    /// The end: the second field, `--to`.
    To,
}

/// Reads the two ends of a period typed apart (two fields of a form,
/// `--from` and `--to`), each a day, a period or a range as
/// [`parse_period`] reads them, and returns the period each names.
///
/// They are read together, as the two sides of a range: an end typed
/// without a year takes the other end's (`--from 2025-11-01 --to 11-30`
/// is November 2025), and the end may not come before the start
/// ([`DateError::EndBeforeStart`], about [`End::To`]). An end not given
/// is `None`; one given but blank is refused ([`DateError::NoPeriod`]).
pub fn parse_ends(
    from: Option<&str>,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<(Option<Period>, Option<Period>), (End, DateError)> {
    fn side(text: &str, end: End, today: NaiveDate) -> Result<(&str, Side), (End, DateError)> {
        let typed = text.trim();
        let side = if typed.is_empty() {
            Err(DateError::NoPeriod)
        } else {
            match split_range(typed) {
                Split::One => one(typed, DateError::NotAPeriod).map(Side::One),
                Split::Two(..) | Split::Many => parse_period(typed, today).map(Side::Range),
            }
        };
        side.map(|s| (typed, s)).map_err(|e| (end, e))
    }
    let from = from.map(|t| side(t, End::From, today)).transpose()?;
    let to = to.map(|t| side(t, End::To, today)).transpose()?;
    let alone =
        |(typed, s): (&str, Side), end| s.resolve(typed, today.year(), today).map_err(|e| (end, e));
    match (from, to) {
        (Some(a), Some(b)) => {
            let (pa, pb) = join(a, b, today)?;
            Period::new(pa.from, pb.to).map_err(|e| (End::To, e))?;
            Ok((Some(pa), Some(pb)))
        }
        (a, b) => Ok((
            a.map(|a| alone(a, End::From)).transpose()?,
            b.map(|b| alone(b, End::To)).transpose()?,
        )),
    }
}

/// The period from the start of `from`'s to the end of `to`'s, read as
/// [`parse_ends`] reads them; without `to`, `from`'s whole period.
pub fn parse_from_to(
    from: &str,
    to: Option<&str>,
    today: NaiveDate,
) -> Result<Period, (End, DateError)> {
    match parse_ends(Some(from), to, today)? {
        (Some(a), Some(b)) => Ok(Period {
            from: a.from,
            to: b.to,
        }),
        (Some(a), None) => Ok(a),
        (None, _) => Err((End::From, DateError::NoPeriod)),
    }
}

#[cfg(test)]
mod tests;
