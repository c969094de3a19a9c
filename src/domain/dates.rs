//! Periods and dates as staff type them.
//!
//! Staff choose what a report covers by typing a date or a period the way
//! they write it on paper or say it at the counter: `2026-11-01`, `11/1`,
//! `2026年11月1日`, `今天`, `本月`, `2026-11-01 至 2026-11-30`. Everything
//! relative (`今天`, `本周`, a year left out) is read against `today`, which
//! the caller passes in, so the rules are tested without a clock.
//!
//! Before reading, full-width characters from an IME (`２０２６－１１－０１`,
//! `／`, `．`, `～`, the ideographic space) count as their ASCII forms, and
//! English words are matched without regard to case.

use std::fmt;

use chrono::{Datelike, Days, NaiveDate};

use crate::i18n::{Lang, Localized};

/// Years a typed date may name, as for dates in records
/// ([`crate::domain::parse_date`]): a year outside is a typo.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// The longest part of the input a message quotes back, in characters.
const QUOTE_MAX: usize = 40;

/// Why typed text is not a date or a period; the message quotes what was
/// typed (or the side of a range that is wrong).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing typed where a date was wanted.
    #[error("no date was typed (e.g. 2026-11-01, 11/1, today)")]
    NoDate,
    /// Nothing typed where a period was wanted.
    #[error("no period was typed (e.g. this month, 2026-11, 2026-11-01..2026-11-30)")]
    NoPeriod,
    /// Not in any form of date.
    #[error("'{0}' is not a date (e.g. 2026-11-01, 2026/11/1, 11-01, 2026年11月1日, today)")]
    NotADate(String),
    /// Not in any form of period.
    #[error(
        "'{0}' is not a period (e.g. this month, last month, 2026-11, 2026, 2026-11-01..2026-11-30)"
    )]
    NotAPeriod(String),
    /// A month outside 1–12.
    #[error("'{text}': there is no month {month} (months run from 1 to 12)")]
    NoSuchMonth { text: String, month: u32 },
    /// A day the month does not have; `last` is the month's last day.
    #[error("'{text}': {}", no_such_day_en(*.year, *.month, *.day, *.last))]
    NoSuchDay {
        text: String,
        year: i32,
        month: u32,
        day: u32,
        last: u32,
    },
    /// A typed year outside 2000–2100.
    #[error("'{text}': the year {year} is not between 2000 and 2100")]
    YearOutOfRange { text: String, year: i32 },
    /// A range with nothing on one side of its separator.
    #[error("'{0}' needs a date on both sides (e.g. 2026-11-01..2026-11-30)")]
    HalfRange(String),
    /// A period that would end before it starts.
    #[error("the period ends ({to}) before it starts ({from})")]
    EndBeforeStart { from: NaiveDate, to: NaiveDate },
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn no_such_day_en(year: i32, month: u32, day: u32, last: u32) -> String {
    if day == 0 {
        return "there is no day 0".into();
    }
    let name = month
        .checked_sub(1)
        .and_then(|i| MONTHS_EN.get(i as usize))
        .copied()
        .unwrap_or("this month");
    format!("{name} {year} has only {last} days")
}

impl Localized for DateError {
    fn localized(&self, lang: Lang) -> String {
        use DateError as E;
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            E::NoDate => "没有填日期（例如 2026-11-01、11/1、今天）".into(),
            E::NoPeriod => "没有填时间段（例如 本月、2026-11、2026-11-01至2026-11-30）".into(),
            E::NotADate(s) => {
                format!("“{s}”不是日期（例如 2026-11-01、2026/11/1、11-01、2026年11月1日、今天）")
            }
            E::NotAPeriod(s) => {
                format!("“{s}”不是时间段（例如 本月、上月、2026-11、2026、2026-11-01至2026-11-30）")
            }
            E::NoSuchMonth { text, month } => {
                format!("“{text}”：没有{month}月（月份是1到12）")
            }
            E::NoSuchDay {
                text,
                year,
                month,
                day,
                last,
            } => {
                if *day == 0 {
                    format!("“{text}”：没有0日")
                } else {
                    format!("“{text}”：{year}年{month}月只有{last}天")
                }
            }
            E::YearOutOfRange { text, year } => {
                format!("“{text}”：年份{year}不在2000到2100之间")
            }
            E::HalfRange(s) => format!("“{s}”两边都要有日期（例如 2026-11-01至2026-11-30）"),
            E::EndBeforeStart { from, to } => {
                format!("结束日期（{to}）早于开始日期（{from}）")
            }
        }
    }
}

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
/// Periods from [`parse_period`], [`Period::new`] and [`NamedPeriod`] always
/// have `from <= to`.
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
            NamedPeriod::Today => Relative::Day(0),
            NamedPeriod::ThisWeek => Relative::Week(0),
            NamedPeriod::ThisMonth => Relative::Month(0),
            NamedPeriod::LastMonth => Relative::Month(1),
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

/// Reads a date as staff type it.
///
/// Accepted (with `today` supplying the year where none is typed):
/// `2026-11-01`, `2026/11/1`, `2026.11.1`, `20261101`; `11-01`, `11/1`,
/// `11.1` (this year); `2026年11月1日`, `11月1日` (also with `号`, or with
/// nothing after the day); `今天`/`今日`/`today`, `昨天`/`昨日`/`yesterday`,
/// `前天`, `明天`/`明日`/`tomorrow`.
///
/// Refused with the reason: blank ([`DateError::NoDate`]), a month outside
/// 1–12, a day the month does not have (`2026-02-30`, `02-29` in a common
/// year), a typed year outside 2000–2100, and anything else, including a
/// month or a period such as `本月` ([`DateError::NotADate`]).
pub fn parse_date(text: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(DateError::NoDate);
    }
    match spec(typed) {
        Some(s @ (Spec::Day { .. } | Spec::Relative(Relative::Day(_)))) => {
            Ok(resolve(typed, check(typed, s)?, today.year(), today)?.from)
        }
        _ => Err(DateError::NotADate(quoted(typed))),
    }
}

/// Reads a period as staff type it.
///
/// Accepted: any date [`parse_date`] reads (one day); `本周`/`this week`
/// and `上周`/`last week` (Monday to Sunday), `本月`/`this month`,
/// `上月`/`上个月`/`last month`, `今年`/`this year`, `去年`/`last year`;
/// a month `2026-11`, `2026/11`, `2026.11`, `2026年11月`, `11月` (this
/// year); a year `2026`, `2026年`; and a range `FROM..TO`, `FROM 至 TO`,
/// `FROM 到 TO`, `FROM~TO`, `FROM—TO`, `FROM - TO` (spaces around the
/// hyphen, which dates use themselves, unless it follows `日` as in
/// `11月1日-11月30日`) or `FROM to TO`, with any of the
/// above on either side (`2026-11..2026-12` is November and December;
/// `2026-11-01至今` runs to today).
///
/// In a range, a side typed without a year takes the other side's year
/// (`2025-12-01..12-31` is December 2025); with no year on either side,
/// both are this year. A range that then runs backwards is refused rather
/// than guessed at: `2025-12-01..01-31` asks for the year on the right.
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
        Split::One => {
            let s = spec(typed).ok_or_else(|| DateError::NotAPeriod(quoted(typed)))?;
            resolve(typed, check(typed, s)?, today.year(), today)
        }
        Split::Two(a, b) => range(typed, a.trim(), b.trim(), today),
        Split::Many => Err(DateError::NotAPeriod(quoted(typed))),
    }
}

/// The two sides of a range, each resolved, a side without a year taking
/// the other side's.
fn range(typed: &str, a: &str, b: &str, today: NaiveDate) -> Result<Period, DateError> {
    if a.is_empty() || b.is_empty() {
        return Err(DateError::HalfRange(quoted(typed)));
    }
    let side = |s: &str| match spec(s) {
        Some(spec) => check(s, spec),
        None => Err(DateError::NotADate(quoted(s))),
    };
    let (sa, sb) = (side(a)?, side(b)?);
    let this_year = today.year();
    let (pa, pb) = match (sa.yearless(), sb.yearless()) {
        (false, true) => {
            let pa = resolve(a, sa, this_year, today)?;
            (pa, resolve(b, sb, pa.from.year(), today)?)
        }
        (true, false) => {
            let pb = resolve(b, sb, this_year, today)?;
            (resolve(a, sa, pb.to.year(), today)?, pb)
        }
        _ => (
            resolve(a, sa, this_year, today)?,
            resolve(b, sb, this_year, today)?,
        ),
    };
    Period::new(pa.from, pb.to)
}

/// What one date or period names, before a missing year is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spec {
    Day {
        year: Option<i32>,
        month: u32,
        day: u32,
    },
    Month {
        year: Option<i32>,
        month: u32,
    },
    Year(i32),
    Relative(Relative),
}

impl Spec {
    fn yearless(self) -> bool {
        matches!(
            self,
            Spec::Day { year: None, .. } | Spec::Month { year: None, .. }
        )
    }
}

/// A period named relative to today: a day `n` days away, or the week,
/// month or year `n` back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Relative {
    Day(i8),
    Week(u8),
    Month(u8),
    Year(u8),
}

/// The words for relative periods, English in lower case.
const KEYWORDS: &[(&str, Relative)] = &[
    ("今天", Relative::Day(0)),
    ("今日", Relative::Day(0)),
    ("今", Relative::Day(0)),
    ("today", Relative::Day(0)),
    ("昨天", Relative::Day(-1)),
    ("昨日", Relative::Day(-1)),
    ("yesterday", Relative::Day(-1)),
    ("前天", Relative::Day(-2)),
    ("明天", Relative::Day(1)),
    ("明日", Relative::Day(1)),
    ("tomorrow", Relative::Day(1)),
    ("本周", Relative::Week(0)),
    ("这周", Relative::Week(0)),
    ("本星期", Relative::Week(0)),
    ("这星期", Relative::Week(0)),
    ("这个星期", Relative::Week(0)),
    ("this week", Relative::Week(0)),
    ("上周", Relative::Week(1)),
    ("上星期", Relative::Week(1)),
    ("上个星期", Relative::Week(1)),
    ("last week", Relative::Week(1)),
    ("本月", Relative::Month(0)),
    ("这个月", Relative::Month(0)),
    ("this month", Relative::Month(0)),
    ("上月", Relative::Month(1)),
    ("上个月", Relative::Month(1)),
    ("last month", Relative::Month(1)),
    ("今年", Relative::Year(0)),
    ("本年", Relative::Year(0)),
    ("this year", Relative::Year(0)),
    ("去年", Relative::Year(1)),
    ("last year", Relative::Year(1)),
];

impl Relative {
    /// The days it covers, cut short at the ends of the calendar.
    fn period(self, today: NaiveDate) -> Period {
        match self {
            Relative::Day(n) => Period::day(shift(today, i64::from(n))),
            Relative::Week(back) => {
                let since_monday = i64::from(today.weekday().num_days_from_monday());
                let monday = shift(today, -(since_monday + 7 * i64::from(back)));
                Period {
                    from: monday,
                    to: shift(monday, 6),
                }
            }
            Relative::Month(back) => {
                let n = i64::from(today.year()) * 12 + i64::from(today.month0()) - i64::from(back);
                month_period(n.div_euclid(12), n.rem_euclid(12) as u32 + 1)
            }
            Relative::Year(back) => year_period(i64::from(today.year()) - i64::from(back)),
        }
    }
}

/// `d` moved by `n` days, stopping at the ends of the calendar.
fn shift(d: NaiveDate, n: i64) -> NaiveDate {
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
    if year < i64::from(NaiveDate::MIN.year()) {
        return Period::day(NaiveDate::MIN);
    }
    if year > i64::from(NaiveDate::MAX.year()) {
        return Period::day(NaiveDate::MAX);
    }
    // In the calendar's range now, so it fits an i32.
    let y = year as i32;
    Period {
        from: NaiveDate::from_ymd_opt(y, month, 1).unwrap_or(NaiveDate::MIN),
        to: NaiveDate::from_ymd_opt(y, month, days_in_month(y, month)).unwrap_or(NaiveDate::MAX),
    }
}

/// A whole year, cut short at the ends of the calendar.
fn year_period(year: i64) -> Period {
    Period {
        from: month_period(year, 1).from,
        to: month_period(year, 12).to,
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Fills in `year` where none was typed; checks the day against its month.
fn resolve(typed: &str, spec: Spec, year: i32, today: NaiveDate) -> Result<Period, DateError> {
    match spec {
        Spec::Day {
            year: y,
            month,
            day,
        } => {
            let y = y.unwrap_or(year);
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
        Spec::Month { year: y, month } => Ok(month_period(i64::from(y.unwrap_or(year)), month)),
        Spec::Year(y) => Ok(year_period(i64::from(y))),
        Spec::Relative(r) => Ok(r.period(today)),
    }
}

/// Full-width forms as ASCII, ASCII letters in lower case: one character
/// for one, so positions in the folded text are positions in the typed.
fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{301C}' => '~',
        _ => c,
    }
    .to_ascii_lowercase()
}

/// What one date or period names, or `None` if it is in no known form.
/// Not yet checked: see [`check`].
fn spec(typed: &str) -> Option<Spec> {
    let folded: String = typed.chars().map(fold).collect();
    let words: Vec<&str> = folded.split_whitespace().collect();
    let spaced = words.join(" ");
    let joined = words.concat();
    if let Some(&(_, r)) = KEYWORDS.iter().find(|(k, _)| *k == spaced || *k == joined) {
        return Some(Spec::Relative(r));
    }
    let compact = squeeze(&folded)?;
    if compact.contains(['年', '月', '日', '号']) {
        chinese(&compact)
    } else {
        numeric(&compact)
    }
}

/// The text without spaces, or `None` if a space parts two digits
/// (`2026 1101` is not `20261101`).
fn squeeze(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut gap = false;
    for c in s.chars() {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && c.is_ascii_digit() && out.ends_with(|p: char| p.is_ascii_digit()) {
            return None;
        }
        gap = false;
        out.push(c);
    }
    Some(out)
}

/// ASCII digits, between `min` and `max` of them.
fn num(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2026-11-01`, `2026/11/1`, `2026.11.1`, `20261101`, `11-01`, `2026-11`,
/// `2026`: one kind of separator throughout.
fn numeric(s: &str) -> Option<Spec> {
    let year = |y: &str| num(y, 4, 4).map(|y| y as i32);
    let parts: Vec<&str> = match s.chars().find(|c| matches!(c, '-' | '/' | '.')) {
        Some(sep) => s.split(sep).collect(),
        None => vec![s],
    };
    match parts.as_slice() {
        [ymd] if ymd.len() == 8 => Some(Spec::Day {
            year: Some(year(ymd.get(..4)?)?),
            month: num(ymd.get(4..6)?, 2, 2)?,
            day: num(ymd.get(6..)?, 2, 2)?,
        }),
        [y] => Some(Spec::Year(year(y)?)),
        [y, m] if y.len() == 4 => Some(Spec::Month {
            year: Some(year(y)?),
            month: num(m, 1, 2)?,
        }),
        [m, d] => Some(Spec::Day {
            year: None,
            month: num(m, 1, 2)?,
            day: num(d, 1, 2)?,
        }),
        [y, m, d] => Some(Spec::Day {
            year: Some(year(y)?),
            month: num(m, 1, 2)?,
            day: num(d, 1, 2)?,
        }),
        _ => None,
    }
}

/// `2026年11月1日`, `11月1日` (`号` for `日`, or nothing after the day),
/// `2026年11月`, `11月`, `2026年`.
fn chinese(s: &str) -> Option<Spec> {
    let (year, rest) = match s.split_once('年') {
        Some((y, rest)) => (Some(num(y, 4, 4)? as i32), rest),
        None => (None, s),
    };
    let (month, rest) = match rest.split_once('月') {
        Some((m, rest)) => (Some(num(m, 1, 2)?), rest),
        None => (None, rest),
    };
    let day = if rest.is_empty() {
        None
    } else {
        let digits = rest
            .strip_suffix('日')
            .or_else(|| rest.strip_suffix('号'))
            .unwrap_or(rest);
        Some(num(digits, 1, 2)?)
    };
    match (year, month, day) {
        (Some(y), None, None) => Some(Spec::Year(y)),
        (year, Some(month), None) => Some(Spec::Month { year, month }),
        (year, Some(month), Some(day)) => Some(Spec::Day { year, month, day }),
        _ => None,
    }
}

/// Refuses a typed year outside 2000–2100 and a month outside 1–12.
fn check(typed: &str, spec: Spec) -> Result<Spec, DateError> {
    let (year, month) = match spec {
        Spec::Day { year, month, .. } | Spec::Month { year, month } => (year, Some(month)),
        Spec::Year(y) => (Some(y), None),
        Spec::Relative(_) => (None, None),
    };
    if let Some(year) = year.filter(|y| !YEARS.contains(y)) {
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

/// Where a period splits into the two sides of a range.
enum Split<'a> {
    One,
    Two(&'a str, &'a str),
    Many,
}

/// Finds the range separator: `..` (or more dots), `至`, `到`, a run of
/// `~`/`～`/`〜`/`—`/`–`/`―`, a hyphen with spaces on both sides or after
/// `年`/`月`/`日`/`号`, or `to` between spaces.
fn split_range(typed: &str) -> Split<'_> {
    let chars: Vec<(usize, char)> = typed.char_indices().map(|(i, c)| (i, fold(c))).collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let space_at = |i: Option<usize>| i.and_then(at).is_some_and(char::is_whitespace);
    let run = |i: usize, p: fn(char) -> bool| chars[i..].iter().take_while(|&&(_, c)| p(c)).count();
    let mut seps = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let before = i.checked_sub(1);
        let len = match c {
            '.' => Some(run(i, |c| c == '.')).filter(|&n| n >= 2),
            '~' | '—' | '–' | '―' => Some(run(i, |c| matches!(c, '~' | '—' | '–' | '―'))),
            '至' | '到' => Some(1),
            '-' if space_at(before) && space_at(Some(i + 1)) => Some(1),
            '-' if chars[..i]
                .iter()
                .rev()
                .find(|(_, c)| !c.is_whitespace())
                .is_some_and(|(_, c)| matches!(c, '年' | '月' | '日' | '号')) =>
            {
                Some(1)
            }
            't' if at(i + 1) == Some('o') && space_at(before) && space_at(Some(i + 2)) => Some(2),
            _ => None,
        };
        match len {
            Some(n) => {
                seps.push((i, i + n));
                i += n;
            }
            None => i += 1,
        }
    }
    let byte = |i: usize| chars.get(i).map_or(typed.len(), |&(b, _)| b);
    match seps.as_slice() {
        [] => Split::One,
        [(start, end)] => match (typed.get(..byte(*start)), typed.get(byte(*end)..)) {
            (Some(a), Some(b)) => Split::Two(a, b),
            _ => Split::Many,
        },
        _ => Split::Many,
    }
}

#[cfg(test)]
mod tests;
