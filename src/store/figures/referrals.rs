//! The referral figures (`model.rs` says what each counts), read from the
//! range of `handoffs_by_sent` the period covers.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;

use super::Result;
use crate::domain::case::Referral;
use crate::domain::handoff::{HandoffKind, HandoffOutcome, HandoffStatus};
use crate::store::figures::{Destination, MedianDays, ReferralFigures, ReferralLine};

/// The handoffs sent in the period (by any station; the caller keeps the
/// station's).
const SENT: &str = "SELECT kind, target, status, outcome, accepted_on, concluded_on, sent_on,
            from_station
     FROM handoffs INDEXED BY handoffs_by_sent
     WHERE sent_on >= ?1 AND sent_on <= ?2";

fn day(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
}

pub(super) fn figures(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    station: Option<&[u8; 16]>,
) -> Result<ReferralFigures> {
    let mut lines: HashMap<Destination, (ReferralLine, Vec<u64>)> = Destination::all()
        .into_iter()
        .map(|d| {
            (
                d,
                (
                    ReferralLine {
                        to: d,
                        sent: 0,
                        accepted: 0,
                        rejected: 0,
                        open: 0,
                        done: 0,
                        withdrawn: 0,
                        median_days: None,
                    },
                    Vec::new(),
                ),
            )
        })
        .collect();
    let mut outcomes: HashMap<HandoffOutcome, u64> = HashMap::new();
    let mut stmt = conn.prepare_cached(SENT)?;
    let mut rows = stmt.query(rusqlite::params![from.to_string(), to.to_string()])?;
    while let Some(r) = rows.next()? {
        let from_station: Vec<u8> = r.get(7)?;
        if station.is_some_and(|s| s.as_slice() != from_station.as_slice()) {
            continue;
        }
        // A code this build does not know is no figure of its own.
        let Some(kind) = r
            .get::<_, String>(0)
            .ok()
            .and_then(|k| HandoffKind::from_code(&k))
        else {
            continue;
        };
        let Some(status) = r
            .get::<_, String>(2)
            .ok()
            .and_then(|s| HandoffStatus::from_code(&s))
        else {
            continue;
        };
        let to = match kind {
            HandoffKind::Referral => Destination::Body(
                r.get::<_, Option<String>>(1)?
                    .and_then(|t| Referral::from_code(&t))
                    .unwrap_or(Referral::Other),
            ),
            HandoffKind::Escalation => Destination::Escalation,
            HandoffKind::Transfer => Destination::Transfer,
        };
        let Some((line, days)) = lines.get_mut(&to) else {
            continue;
        };
        line.sent += 1;
        let accepted_on = day(r.get(4)?);
        if accepted_on.is_some() && status != HandoffStatus::Rejected {
            line.accepted += 1;
        }
        match status {
            HandoffStatus::Rejected => line.rejected += 1,
            HandoffStatus::Done => line.done += 1,
            HandoffStatus::Withdrawn => line.withdrawn += 1,
            _ => line.open += 1,
        }
        if status == HandoffStatus::Done
            && let Some(o) = r
                .get::<_, Option<String>>(3)?
                .and_then(|o| HandoffOutcome::from_code(&o))
        {
            *outcomes.entry(o).or_default() += 1;
        }
        if !status.is_open()
            && let (Some(sent), Some(done)) = (day(r.get(6)?), day(r.get(5)?))
        {
            days.push(u64::try_from((done - sent).num_days()).unwrap_or(0));
        }
    }
    let mut out: Vec<ReferralLine> = Destination::all()
        .into_iter()
        .filter_map(|d| lines.remove(&d))
        .map(|(mut l, days)| {
            l.median_days = MedianDays::of(days);
            l
        })
        .collect();
    out.sort_by_key(|l| Destination::all().iter().position(|d| *d == l.to));
    Ok(ReferralFigures {
        lines: out,
        outcomes: HandoffOutcome::ALL
            .iter()
            .map(|o| (*o, outcomes.get(o).copied().unwrap_or(0)))
            .collect(),
        respondents_at_several_stations: 0,
    })
}
