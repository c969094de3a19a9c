//! From typed text to what it names ([`Spec`]): words first, then dates
//! written in numbers.

use super::spec::{Spec, YearRef};
use super::{english, words};

/// Full-width forms as ASCII, ASCII letters in lower case: one character
/// for one, so positions in the folded text are positions in the typed.
pub(super) fn fold(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{301C}' => '~',
        _ => c,
    }
    .to_ascii_lowercase()
}

/// What one date or period names, or `None` if it is in no known form.
/// Not yet checked: see [`super::spec::check`].
pub(super) fn spec(typed: &str) -> Option<Spec> {
    let folded: String = typed.chars().map(fold).collect();
    let spaced = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let joined: String = spaced.split(' ').collect();
    let tokens = english::tokens(&folded);
    if let Some(s) = words::keyword(&spaced)
        .or_else(|| words::keyword(&joined))
        .or_else(|| words::keyword(&tokens.join(" ")))
    {
        return Some(s);
    }
    // A space between two digits parts two numbers: `2026 1101` is not
    // `20261101`, `1 2天后` not `12天后`.
    let compact = squeeze(&folded);
    compact
        .as_deref()
        .and_then(words::chinese)
        .or_else(|| english::spec(&tokens))
        .or_else(|| {
            let compact = compact.as_deref()?;
            chinese(compact).or_else(|| numeric(compact))
        })
}

/// The text without spaces, or `None` if a space parts two digits.
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
pub(super) fn num(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `2026-11-01`, `2026/11/1`, `2026.11.1`, `20261101`, `11-01`, `2026-11`,
/// `2026`: one kind of separator throughout.
fn numeric(s: &str) -> Option<Spec> {
    let year = |y: &str| num(y, 4, 4).map(|y| YearRef::Typed(y as i32));
    let parts: Vec<&str> = match s.chars().find(|c| matches!(c, '-' | '/' | '.')) {
        Some(sep) => s.split(sep).collect(),
        None => vec![s],
    };
    match parts.as_slice() {
        [ymd] if ymd.len() == 8 => Some(Spec::Day {
            year: year(ymd.get(..4)?)?,
            month: num(ymd.get(4..6)?, 2, 2)?,
            day: num(ymd.get(6..)?, 2, 2)?,
        }),
        [y] => Some(Spec::Year(year(y)?)),
        [y, m] if y.len() == 4 => Some(Spec::Month {
            year: year(y)?,
            month: num(m, 1, 2)?,
        }),
        [m, d] => Some(Spec::Day {
            year: YearRef::Unsaid,
            month: num(m, 1, 2)?,
            day: num(d, 1, 2)?,
        }),
        [y, m, d] => Some(Spec::Day {
            year: year(y)?,
            month: num(m, 1, 2)?,
            day: num(d, 1, 2)?,
        }),
        _ => None,
    }
}

/// `2026年11月1日`, `11月1日` (`号` for `日`, or nothing after the day),
/// `2026年11月`, `11月`, `2026年`, a year as `今年`/`去年`/`明年` in place of
/// `2026年` (`去年11月`), and parts of a year: `上半年`, `2026年下半年`,
/// `第一季度`, `去年四季度`, `2026年Q1`.
fn chinese(s: &str) -> Option<Spec> {
    let (year, rest) = words::year_prefix(s);
    if rest.is_empty() {
        return (year != YearRef::Unsaid).then_some(Spec::Year(year));
    }
    if let Some(half) = words::half(rest) {
        return Some(Spec::Half { year, half });
    }
    if let Some(quarter) = words::quarter(rest) {
        return Some(Spec::Quarter { year, quarter });
    }
    let (m, rest) = rest.split_once('月')?;
    let month = num(m, 1, 2)?;
    if rest.is_empty() {
        return Some(Spec::Month { year, month });
    }
    let digits = rest
        .strip_suffix('日')
        .or_else(|| rest.strip_suffix('号'))
        .unwrap_or(rest);
    Some(Spec::Day {
        year,
        month,
        day: num(digits, 1, 2)?,
    })
}
