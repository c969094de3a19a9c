//! Days and periods named in words: `今天`, `下周一`, `3天后`, `下月15号`,
//! `本季度` (and in English, see [`super::english`]).

use chrono::Weekday;

use super::read::num;
use super::spec::{Relative, Spec, YearRef};

/// Words that name a day or a period whole, English in lower case with
/// single spaces.
pub(super) const KEYWORDS: &[(&str, Spec)] = &[
    ("今天", days_n(0)),
    ("今日", days_n(0)),
    ("今", days_n(0)),
    ("today", days_n(0)),
    ("明天", days_n(1)),
    ("明日", days_n(1)),
    ("tomorrow", days_n(1)),
    ("后天", days_n(2)),
    ("day after tomorrow", days_n(2)),
    ("the day after tomorrow", days_n(2)),
    ("大后天", days_n(3)),
    ("昨天", days_n(-1)),
    ("昨日", days_n(-1)),
    ("yesterday", days_n(-1)),
    ("前天", days_n(-2)),
    ("day before yesterday", days_n(-2)),
    ("the day before yesterday", days_n(-2)),
    ("大前天", days_n(-3)),
    ("本周", week_n(0)),
    ("这周", week_n(0)),
    ("本星期", week_n(0)),
    ("这星期", week_n(0)),
    ("这个星期", week_n(0)),
    ("本礼拜", week_n(0)),
    ("这礼拜", week_n(0)),
    ("这个礼拜", week_n(0)),
    ("this week", week_n(0)),
    ("上周", week_n(-1)),
    ("上星期", week_n(-1)),
    ("上个星期", week_n(-1)),
    ("上礼拜", week_n(-1)),
    ("上个礼拜", week_n(-1)),
    ("last week", week_n(-1)),
    ("下周", week_n(1)),
    ("下星期", week_n(1)),
    ("下个星期", week_n(1)),
    ("下礼拜", week_n(1)),
    ("下个礼拜", week_n(1)),
    ("next week", week_n(1)),
    ("本月", month_n(0)),
    ("这个月", month_n(0)),
    ("这月", month_n(0)),
    ("this month", month_n(0)),
    ("上月", month_n(-1)),
    ("上个月", month_n(-1)),
    ("last month", month_n(-1)),
    ("下月", month_n(1)),
    ("下个月", month_n(1)),
    ("next month", month_n(1)),
    ("本季度", quarter_n(0)),
    ("本季", quarter_n(0)),
    ("这季度", quarter_n(0)),
    ("这个季度", quarter_n(0)),
    ("this quarter", quarter_n(0)),
    ("上季度", quarter_n(-1)),
    ("上季", quarter_n(-1)),
    ("上个季度", quarter_n(-1)),
    ("last quarter", quarter_n(-1)),
    ("下季度", quarter_n(1)),
    ("下季", quarter_n(1)),
    ("下个季度", quarter_n(1)),
    ("next quarter", quarter_n(1)),
    ("今年", year_n(0)),
    ("本年", year_n(0)),
    ("this year", year_n(0)),
    ("去年", year_n(-1)),
    ("last year", year_n(-1)),
    ("前年", year_n(-2)),
    ("明年", year_n(1)),
    ("next year", year_n(1)),
    ("后年", year_n(2)),
];

const fn days_n(n: i64) -> Spec {
    Spec::Relative(Relative::Days(n))
}
const fn week_n(n: i64) -> Spec {
    Spec::Relative(Relative::Week(n))
}
const fn month_n(n: i64) -> Spec {
    Spec::Relative(Relative::Month(n))
}
const fn quarter_n(n: i64) -> Spec {
    Spec::Relative(Relative::Quarter(n))
}
const fn year_n(n: i64) -> Spec {
    Spec::Relative(Relative::Year(n))
}

/// The whole of `s` as a keyword.
pub(super) fn keyword(s: &str) -> Option<Spec> {
    KEYWORDS
        .iter()
        .find(|(k, _)| *k == s)
        .map(|&(_, spec)| spec)
}

/// Chinese words with a number or a weekday in them, `s` without spaces:
/// `周五`, `下周一`, `3天后`, `两周前`, `一个月后`, `下月15号`.
pub(super) fn chinese(s: &str) -> Option<Spec> {
    weekday(s)
        .or_else(|| count(s))
        .map(Spec::Relative)
        .or_else(|| day_of_month(s))
}

/// `周五`, `星期五`, `礼拜五` (the next Friday, today if it is one);
/// `本周五`/`这周五`, `上周五`, `下周五` (the Friday of that week).
fn weekday(s: &str) -> Option<Relative> {
    const WEEKS: [(&str, i64); 7] = [
        ("这个", 0),
        ("本", 0),
        ("这", 0),
        ("上个", -1),
        ("上", -1),
        ("下个", 1),
        ("下", 1),
    ];
    let (week, rest) = WEEKS
        .iter()
        .find_map(|&(p, w)| s.strip_prefix(p).map(|r| (Some(w), r)))
        .unwrap_or((None, s));
    let rest = ["星期", "礼拜", "周"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))?;
    let day = match rest {
        "一" | "1" => Weekday::Mon,
        "二" | "2" => Weekday::Tue,
        "三" | "3" => Weekday::Wed,
        "四" | "4" => Weekday::Thu,
        "五" | "5" => Weekday::Fri,
        "六" | "6" => Weekday::Sat,
        "日" | "天" | "7" => Weekday::Sun,
        _ => return None,
    };
    Some(Relative::Weekday(week, day))
}

/// `3天后`, `十天以后`, `两周后`, `一个星期前`, `一个月后` (the same day
/// of the month, or the month's last day).
fn count(s: &str) -> Option<Relative> {
    const WAYS: [(&str, i64); 7] = [
        ("以后", 1),
        ("之后", 1),
        ("过后", 1),
        ("后", 1),
        ("以前", -1),
        ("之前", -1),
        ("前", -1),
    ];
    const UNITS: [(&str, Unit); 7] = [
        ("个星期", Unit::Week),
        ("个礼拜", Unit::Week),
        ("星期", Unit::Week),
        ("礼拜", Unit::Week),
        ("周", Unit::Week),
        ("个月", Unit::Month),
        ("天", Unit::Day),
    ];
    let (rest, sign) = WAYS
        .iter()
        .find_map(|&(w, sign)| s.strip_suffix(w).map(|r| (r, sign)))?;
    let (n, unit) = UNITS
        .iter()
        .find_map(|&(u, unit)| rest.strip_suffix(u).map(|n| (n, unit)))?;
    let n = num(n, 1, 4).map(i64::from).or_else(|| numeral(n))?;
    Some(unit.relative(sign * n))
}

/// A unit of a count of days, weeks or months.
#[derive(Debug, Clone, Copy)]
pub(super) enum Unit {
    Day,
    Week,
    Month,
}

impl Unit {
    /// `n` of the unit from today.
    pub(super) fn relative(self, n: i64) -> Relative {
        match self {
            Unit::Day => Relative::Days(n),
            Unit::Week => Relative::Days(n * 7),
            Unit::Month => Relative::Months(n),
        }
    }
}

/// A Chinese number from 1 to 99: `三`, `两`, `十`, `十五`, `二十`, `二十一`.
fn numeral(s: &str) -> Option<i64> {
    let digit = |c: char| {
        "一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|i| i as i64 + 1)
            .or((c == '两').then_some(2))
    };
    let chars: Vec<char> = s.chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', e] => Some(10 + digit(*e)?),
        [d, '十'] => Some(digit(*d)? * 10),
        [d, '十', e] => Some(digit(*d)? * 10 + digit(*e)?),
        _ => None,
    }
}

/// `下月15号`, `本月1日`, `上个月20日`: a day of a month near today's.
fn day_of_month(s: &str) -> Option<Spec> {
    const MONTHS: [(&str, i64); 7] = [
        ("这个月", 0),
        ("本月", 0),
        ("这月", 0),
        ("上个月", -1),
        ("上月", -1),
        ("下个月", 1),
        ("下月", 1),
    ];
    let (months, rest) = MONTHS
        .iter()
        .find_map(|&(p, n)| s.strip_prefix(p).map(|r| (n, r)))?;
    let digits = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))
        .unwrap_or(rest);
    Some(Spec::DayOfMonth {
        months,
        day: num(digits, 1, 2)?,
    })
}

/// A year said before a Chinese date or part of a year: `2026年`, `今年`,
/// `去年`, `明年` …; the rest of `s` after it.
pub(super) fn year_prefix(s: &str) -> (YearRef, &str) {
    const NEAR: [(&str, i64); 6] = [
        ("今年", 0),
        ("本年", 0),
        ("去年", -1),
        ("前年", -2),
        ("明年", 1),
        ("后年", 2),
    ];
    if let Some((n, rest)) = NEAR
        .iter()
        .find_map(|&(w, n)| s.strip_prefix(w).map(|r| (n, r)))
    {
        return (YearRef::Near(n), rest);
    }
    if let Some((y, rest)) = s.split_once('年')
        && let Some(y) = num(y, 4, 4)
    {
        return (YearRef::Typed(y as i32), rest);
    }
    (YearRef::Unsaid, s)
}

/// A part of a year without its year: `上半年`/`h1` (1), `下半年`/`h2` (2).
pub(super) fn half(s: &str) -> Option<u32> {
    match s {
        "上半年" | "h1" => Some(1),
        "下半年" | "h2" => Some(2),
        _ => None,
    }
}

/// A quarter without its year: `第一季度`, `一季度`, `1季度`, `第1季`, `q1`.
pub(super) fn quarter(s: &str) -> Option<u32> {
    let n = match s.strip_prefix('q') {
        Some(n) => n,
        None => {
            let s = s.strip_prefix('第').unwrap_or(s);
            s.strip_suffix("季度").or_else(|| s.strip_suffix('季'))?
        }
    };
    let q = match n {
        "1" | "一" => 1,
        "2" | "二" => 2,
        "3" | "三" => 3,
        "4" | "四" => 4,
        _ => return None,
    };
    Some(q)
}
