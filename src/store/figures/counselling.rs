//! The counselling figures: sessions by status and counsellor kind, and
//! the waitlist.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::Result;
use crate::domain::schedule::{AppointmentStatus, CounsellorKind, monday_of};
use crate::store::figures::{CounsellingFigures, SessionCounts};

/// Sessions dated in a period, by status and counsellor: covering, so that
/// no session row (and no note) is ever read.
pub(super) const SESSIONS: &str = "SELECT status, counsellor_id, count(*)
     FROM appointments INDEXED BY appointments_by_date_status
     WHERE date >= ?1 AND date <= ?2 GROUP BY status, counsellor_id";

/// The waiting entries for weeks from ?1 to ?2, by kind: the waiting range
/// of `waitlist_by_status` (its rows hold no session notes).
pub(super) const WAITING: &str = "SELECT kind, count(*) FROM waitlist INDEXED BY waitlist_by_status
     WHERE status = 'waiting' AND week >= ?1 AND week <= ?2 GROUP BY kind";

pub(super) const KIND: &str = "SELECT kind FROM counsellors WHERE id = ?1";

/// Sessions dated `from..=to` and the waiting entries of the weeks that
/// overlap it, from the covering `appointments_by_date_status` (never a
/// session row) and the waiting range of `waitlist_by_status`.
pub(super) fn figures(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<CounsellingFigures> {
    let mut stmt = conn.prepare_cached(SESSIONS)?;
    let groups: Vec<(String, Vec<u8>, i64)> = stmt
        .query_map(params![from.to_string(), to.to_string()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut kinds: HashMap<Vec<u8>, Option<CounsellorKind>> = HashMap::new();
    let mut all = SessionCounts::default();
    let mut by_kind: Vec<(CounsellorKind, SessionCounts)> = CounsellorKind::ALL
        .iter()
        .map(|k| (*k, SessionCounts::default()))
        .collect();
    for (status, counsellor, n) in groups {
        let n = u64::try_from(n).unwrap_or(0);
        let kind = match kinds.get(&counsellor) {
            Some(k) => *k,
            None => {
                let k = counsellor_kind(conn, &counsellor)?;
                kinds.insert(counsellor, k);
                k
            }
        };
        let status = AppointmentStatus::from_code(&status);
        add_sessions(&mut all, status, n);
        if let Some(row) = by_kind.iter_mut().find(|(k, _)| Some(*k) == kind) {
            add_sessions(&mut row.1, status, n);
        }
    }
    let mut stmt = conn.prepare_cached(WAITING)?;
    let weeks = params![monday_of(from).to_string(), to.to_string()];
    let waiting: Vec<(String, i64)> = stmt
        .query_map(weeks, |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let waiting_by_kind: Vec<(CounsellorKind, u64)> = CounsellorKind::ALL
        .iter()
        .map(|k| {
            let n = waiting
                .iter()
                .filter(|(c, _)| c == k.code())
                .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
                .sum();
            (*k, n)
        })
        .collect();
    Ok(CounsellingFigures {
        all,
        by_kind,
        waiting: waiting
            .iter()
            .map(|(_, n)| u64::try_from(*n).unwrap_or(0))
            .sum(),
        waiting_by_kind,
        station_scoped: false,
    })
}

fn counsellor_kind(conn: &Connection, id: &[u8]) -> Result<Option<CounsellorKind>> {
    let kind: Option<String> = conn
        .prepare_cached(KIND)?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(kind.and_then(|k| CounsellorKind::from_code(&k)))
}

/// Unknown statuses (from a newer version) count as pending.
fn add_sessions(c: &mut SessionCounts, status: Option<AppointmentStatus>, n: u64) {
    c.booked += n;
    match status {
        Some(AppointmentStatus::Done) => c.held += n,
        Some(AppointmentStatus::NoShow) => c.no_shows += n,
        Some(AppointmentStatus::Cancelled) => c.cancelled += n,
        _ => c.pending += n,
    }
}
