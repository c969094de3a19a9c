//! Ranges: one text with a separator (`2026-11-01..11-30`, `12月1日至15日`)
//! or two fields (`--from`, `--to`), each side a date or a period.

use chrono::{Datelike, NaiveDate};

use super::read::{fold, spec};
use super::spec::{Spec, check, resolve};
use super::{DateError, End, Period, quoted};

/// One side of a range as read, before a year left out is filled in.
#[derive(Debug, Clone, Copy)]
pub(super) enum Side {
    /// A date or period by itself.
    One(Spec),
    /// A range already (one field may hold `2026-11-01..11-15`).
    Range(Period),
}

impl Side {
    fn yearless(self) -> bool {
        matches!(self, Side::One(s) if s.yearless())
    }

    /// The days it covers, `year` standing for a year left out.
    pub(super) fn resolve(
        self,
        typed: &str,
        year: i32,
        today: NaiveDate,
    ) -> Result<Period, DateError> {
        match self {
            Side::One(s) => resolve(typed, s, year, today),
            Side::Range(p) => Ok(p),
        }
    }
}

/// A date or period by itself, checked, its year not yet filled in;
/// `unknown` words the refusal of text in no known form.
pub(super) fn one(typed: &str, unknown: fn(String) -> DateError) -> Result<Spec, DateError> {
    let s = spec(typed).ok_or_else(|| unknown(quoted(typed)))?;
    check(typed, s)
}

/// The two sides of a range, each resolved; a side typed without a year
/// takes the other side's (the year of the other's first day for the end,
/// of its last day for the start). With no year on either side, both are
/// today's year. Whether the range runs forwards is for the caller.
pub(super) fn join(
    (a, sa): (&str, Side),
    (b, sb): (&str, Side),
    today: NaiveDate,
) -> Result<(Period, Period), (End, DateError)> {
    let this_year = today.year();
    let from = |year| sa.resolve(a, year, today).map_err(|e| (End::From, e));
    let to = |year| sb.resolve(b, year, today).map_err(|e| (End::To, e));
    Ok(match (sa.yearless(), sb.yearless()) {
        (false, true) => {
            let pa = from(this_year)?;
            (pa, to(pa.from.year())?)
        }
        (true, false) => {
            let pb = to(this_year)?;
            (from(pb.to.year())?, pb)
        }
        _ => (from(this_year)?, to(this_year)?),
    })
}

/// Where a period splits into the two sides of a range.
pub(super) enum Split<'a> {
    One,
    Two(&'a str, &'a str),
    Many,
}

/// Finds the range separator: `..` (or more dots), `至`, `到`, a run of
/// `~`/`～`/`〜`/`—`/`–`/`―`, a hyphen with spaces on both sides or after
/// `年`/`月`/`日`/`号`, or `to` between spaces.
pub(super) fn split_range(typed: &str) -> Split<'_> {
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
