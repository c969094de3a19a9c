//! Times of day as staff type them: `14:30`, `1430`, `9:05`, `14点30分`,
//! `下午2点半`, `2:30pm`.

use chrono::NaiveTime;

use super::read::{fold, num};
use super::{DateError, quoted};

/// Which half of the day a time was said in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    /// Nothing said: a 24-hour clock.
    Plain,
    /// `凌晨` (small hours): 0–6.
    Night,
    /// `上午`, `早上`, `早晨`: 0–12 as they are.
    Morning,
    /// `中午`: 11 and 12 as they are, 1–3 in the afternoon.
    Noon,
    /// `下午`, `pm`: 1–11 in the afternoon, 12 noon, 13–23 as they are.
    Afternoon,
    /// `傍晚`, `晚上`: 1–11 in the evening, 13–23 as they are.
    Evening,
    /// `am`: 12 is midnight, 1–11 as they are.
    Am,
}

/// Reads a time of day as staff type it.
///
/// Accepted: `14:30`, `9:05`, `1430`, `930` (a 24-hour clock, the colon
/// full-width or not); `14点`, `14点30`, `14点30分`, `14点半`, `14时30分`;
/// any of these after `上午`/`早上`/`早晨`, `中午`, `下午`, `傍晚`/`晚上` or
/// `凌晨` (`下午2点半` is 14:30); `2pm`, `2:30 pm`, `9am`, `12am` (midnight),
/// `12pm` (noon), also written `p.m.`/`a.m.`.
///
/// Refused with the reason: blank ([`DateError::NoTime`]), an hour or
/// minute the clock or the half of the day does not have
/// ([`DateError::NoSuchTime`]: `25:00`, `14:60`, `下午14点` is fine but
/// `上午14点` is not), and anything else ([`DateError::NotATime`]: `7.30`,
/// `14`, `两点`).
pub fn parse_time(text: &str) -> Result<NaiveTime, DateError> {
    let typed = text.trim();
    if typed.is_empty() {
        return Err(DateError::NoTime);
    }
    let s: String = typed
        .chars()
        .map(fold)
        .filter(|c| !c.is_whitespace())
        .collect();
    let (said, clock) = said(&s);
    let (hour, minute) =
        clock_of(clock, said != Said::Plain).ok_or_else(|| DateError::NotATime(quoted(typed)))?;
    let hour = on_the_clock(said, hour).ok_or_else(|| DateError::NoSuchTime(quoted(typed)))?;
    NaiveTime::from_hms_opt(hour, minute, 0).ok_or_else(|| DateError::NoSuchTime(quoted(typed)))
}

/// Reads a moment as staff type it: a time of day, or a day and a time —
/// `23:50` (today), `昨天 23:50`, `昨天23:50`, `yesterday 11:50pm`,
/// `12-05 23:50`, `2026-12-05 下午3点`. The day is read as
/// [`super::parse_date`] reads it against `today`; a day alone is refused
/// ([`DateError::NoTime`]).
pub fn parse_day_time(
    text: &str,
    today: chrono::NaiveDate,
) -> Result<(chrono::NaiveDate, NaiveTime), DateError> {
    let typed = text.trim();
    if let Ok(t) = parse_time(typed) {
        return Ok((today, t));
    }
    // A day, then a time: split at the last space, or where the first
    // digit follows a day word (`昨天23:50`).
    let split = typed
        .rsplit_once(char::is_whitespace)
        .map(|(d, t)| (d.trim(), t.trim()))
        .or_else(|| {
            let i = typed.find(|c: char| c.is_ascii_digit())?;
            let (d, t) = typed.split_at(i);
            (!d.is_empty() && !d.chars().any(|c| c.is_ascii_digit())).then_some((d, t))
        });
    match split {
        Some((day, time)) if !day.is_empty() => {
            let day = super::parse_date(day, today)?;
            Ok((day, parse_time(time)?))
        }
        _ => parse_time(typed).map(|t| (today, t)),
    }
}

/// The half of the day said before or after the clock, and the clock.
fn said(s: &str) -> (Said, &str) {
    const BEFORE: [(&str, Said); 8] = [
        ("凌晨", Said::Night),
        ("上午", Said::Morning),
        ("早上", Said::Morning),
        ("早晨", Said::Morning),
        ("中午", Said::Noon),
        ("下午", Said::Afternoon),
        ("傍晚", Said::Evening),
        ("晚上", Said::Evening),
    ];
    const AFTER: [(&str, Said); 4] = [
        ("a.m.", Said::Am),
        ("am", Said::Am),
        ("p.m.", Said::Afternoon),
        ("pm", Said::Afternoon),
    ];
    BEFORE
        .iter()
        .find_map(|&(w, said)| s.strip_prefix(w).map(|c| (said, c)))
        .or_else(|| {
            AFTER
                .iter()
                .find_map(|&(w, said)| s.strip_suffix(w).map(|c| (said, c)))
        })
        .unwrap_or((Said::Plain, s))
}

/// The hour and minute of a clock: `14:30`, `1430`, `930`, `14点30分`,
/// `2点半`; a bare hour (`2`) only when the half of the day was said.
fn clock_of(s: &str, half_said: bool) -> Option<(u32, u32)> {
    if let Some((h, m)) = s.split_once(':') {
        return Some((num(h, 1, 2)?, num(m, 2, 2)?));
    }
    if let Some((h, m)) = s.split_once('点').or_else(|| s.split_once('时')) {
        let minute = match m {
            "" | "整" => 0,
            "半" => 30,
            m => num(m.strip_suffix('分').unwrap_or(m), 1, 2)?,
        };
        return Some((num(h, 1, 2)?, minute));
    }
    match s.len() {
        1 | 2 if half_said => Some((num(s, 1, 2)?, 0)),
        3 | 4 => {
            let n = num(s, 3, 4)?;
            Some((n / 100, n % 100))
        }
        _ => None,
    }
}

/// The hour on a 24-hour clock, or `None` if the half of the day said
/// has no such hour.
fn on_the_clock(said: Said, hour: u32) -> Option<u32> {
    match (said, hour) {
        (Said::Plain, 0..=23)
        | (Said::Night, 0..=6)
        | (Said::Morning, 0..=12)
        | (Said::Noon, 11..=12)
        | (Said::Afternoon, 12..=23)
        | (Said::Evening, 13..=23)
        | (Said::Am, 1..=11) => Some(hour),
        (Said::Noon, 1..=3) | (Said::Afternoon | Said::Evening, 1..=11) => Some(hour + 12),
        (Said::Am, 12) => Some(0),
        _ => None,
    }
}
