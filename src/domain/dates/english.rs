//! Days and periods named in English words: `friday`, `next monday`,
//! `in 3 days`, `2 weeks ago`, `dec 15`, `15 december 2026`, `q1 2026`,
//! `first half of last year`. (Whole phrases such as `next month` are
//! keywords: see [`super::words::KEYWORDS`].)

use chrono::Weekday;

use super::read::num;
use super::spec::{Relative, Spec, YearRef};
use super::words::{Unit, half, quarter};

/// The words of folded text: a number parted from letters after it
/// (`15th` → `15 th`, `2026q1` → `2026 q1`), `-` and `,` as spaces, `of`
/// and `the` left out, and an ordinal's `st`/`nd`/`rd`/`th` dropped.
pub(super) fn tokens(folded: &str) -> Vec<String> {
    let mut spaced = String::with_capacity(folded.len() + 4);
    let mut prev_digit = false;
    for c in folded.chars() {
        if prev_digit && c.is_ascii_alphabetic() {
            spaced.push(' ');
        }
        prev_digit = c.is_ascii_digit();
        spaced.push(if matches!(c, '-' | ',') { ' ' } else { c });
    }
    let mut out: Vec<String> = Vec::new();
    for w in spaced.split_whitespace() {
        let ordinal = matches!(w, "st" | "nd" | "rd" | "th")
            && out
                .last()
                .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()));
        if !ordinal && w != "of" && w != "the" {
            out.push(w.to_owned());
        }
    }
    out
}

/// What the words name, or `None`.
pub(super) fn spec(tokens: &[String]) -> Option<Spec> {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    if !t.iter().any(|w| w.bytes().any(|b| b.is_ascii_alphabetic())) {
        return None;
    }
    weekday(&t)
        .or_else(|| count(&t))
        .map(Spec::Relative)
        .or_else(|| month_name_date(&t))
        .or_else(|| part_of_year(&t))
}

/// `friday`/`fri` (the next Friday, today if it is one); `this friday`,
/// `last friday`, `next friday` (the Friday of that week).
fn weekday(t: &[&str]) -> Option<Relative> {
    let (week, name) = match t {
        [name] => (None, name),
        ["this", name] => (Some(0), name),
        ["last", name] => (Some(-1), name),
        ["next", name] => (Some(1), name),
        _ => return None,
    };
    Some(Relative::Weekday(week, weekday_name(name)?))
}

fn weekday_name(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" | "mon" => Weekday::Mon,
        "tuesday" | "tue" | "tues" => Weekday::Tue,
        "wednesday" | "wed" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" => Weekday::Thu,
        "friday" | "fri" => Weekday::Fri,
        "saturday" | "sat" => Weekday::Sat,
        "sunday" | "sun" => Weekday::Sun,
        _ => return None,
    })
}

/// `in 3 days`, `3 days later`, `3 days from now`, `2 weeks ago`,
/// `in a month`.
fn count(t: &[&str]) -> Option<Relative> {
    let (n, unit, sign) = match t {
        ["in", n, unit] | [n, unit, "later"] | [n, unit, "from", "now"] => (n, unit, 1),
        [n, unit, "ago"] => (n, unit, -1),
        _ => return None,
    };
    let n = match *n {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        n => i64::from(num(n, 1, 4)?),
    };
    let unit = match *unit {
        "day" | "days" => Unit::Day,
        "week" | "weeks" => Unit::Week,
        "month" | "months" => Unit::Month,
        _ => return None,
    };
    Some(unit.relative(sign * n))
}

/// `december`, `dec 2026`, `dec 15`, `15 dec`, `december 15, 2026`,
/// `15th of december 2026`.
fn month_name_date(t: &[&str]) -> Option<Spec> {
    let year = |y: &str| num(y, 4, 4).map(|y| YearRef::Typed(y as i32));
    let day = |d: &str| num(d, 1, 2);
    Some(match *t {
        [m] => Spec::Month {
            year: YearRef::Unsaid,
            month: month_name(m)?,
        },
        [m, y] if y.len() == 4 && month_name(m).is_some() => Spec::Month {
            year: year(y)?,
            month: month_name(m)?,
        },
        [m, d] | [d, m] if month_name(m).is_some() => Spec::Day {
            year: YearRef::Unsaid,
            month: month_name(m)?,
            day: day(d)?,
        },
        [m, d, y] | [d, m, y] if month_name(m).is_some() => Spec::Day {
            year: year(y)?,
            month: month_name(m)?,
            day: day(d)?,
        },
        _ => return None,
    })
}

fn month_name(w: &str) -> Option<u32> {
    Some(match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    })
}

/// A quarter or a half, with a year before or after it or none:
/// `q1`, `2026 q1`, `q1 2026`, `first half`, `h2 of last year`,
/// `third quarter of 2026`.
fn part_of_year(t: &[&str]) -> Option<Spec> {
    let (part, rest) = part(t).or_else(|| {
        // The year first: one word (2026) or two (last year).
        (1..=2).find_map(|n| {
            let (y, p) = t.split_at_checked(n)?;
            let (part, after) = part(p)?;
            after.is_empty().then_some((part, y))
        })
    })?;
    let year = match rest {
        [] => YearRef::Unsaid,
        [y] => YearRef::Typed(num(y, 4, 4)? as i32),
        ["this", "year"] => YearRef::Near(0),
        ["last", "year"] => YearRef::Near(-1),
        ["next", "year"] => YearRef::Near(1),
        _ => return None,
    };
    Some(match part {
        Part::Quarter(quarter) => Spec::Quarter { year, quarter },
        Part::Half(half) => Spec::Half { year, half },
    })
}

enum Part {
    Quarter(u32),
    Half(u32),
}

/// A part of a year at the start of `t`, and the words after it.
fn part<'a, 'b>(t: &'a [&'b str]) -> Option<(Part, &'a [&'b str])> {
    let ordinal = |w: &str| match w {
        // `1st` is `1` by now: see [`tokens`].
        "first" | "1" => Some(1),
        "second" | "2" => Some(2),
        "third" | "3" => Some(3),
        "fourth" | "4" => Some(4),
        _ => None,
    };
    match t {
        [w, rest @ ..] if quarter(w).is_some() => Some((Part::Quarter(quarter(w)?), rest)),
        [w, rest @ ..] if half(w).is_some() => Some((Part::Half(half(w)?), rest)),
        [n, "quarter", rest @ ..] => Some((Part::Quarter(ordinal(n)?), rest)),
        [n, "half", rest @ ..] if ordinal(n)? <= 2 => Some((Part::Half(ordinal(n)?), rest)),
        _ => None,
    }
}
