//! The cases behind the case figures: the same ranges as `cases::figures`,
//! read entry by entry, each case with the figures it counts in.

use std::collections::HashMap;

use rusqlite::{Connection, Row, params};

use super::cases::{
    CONCLUDED, CONCLUDED_AFTER, OPENED, case_type, claimants_of_station, id16, is_agreement,
    outcome, status,
};
use super::{Period, Result};
use crate::domain::case::{CaseStatus, CaseType};
use crate::store::figures::{CaseFigure, MEDIATED_TYPES};

/// The cases open now, one row each: opened before the period's end, and
/// overdue.
pub(super) const OPEN_NOW_ROWS: &str =
    "SELECT id, case_type, opened_at, opened_at < ?2, follow_up < ?3
     FROM cases INDEXED BY cases_by_station_status
     WHERE station_id = ?1 AND status IN ('new', 'in_progress', 'waiting')";

/// One case behind some case figure of a period.
pub(super) struct CaseEntry {
    pub(super) id: [u8; 16],
    pub(super) case_type: CaseType,
    pub(super) opened_at: i64,
    figures: Vec<CaseFigure>,
}

impl CaseEntry {
    pub(super) fn counts_in(&self, figure: CaseFigure) -> bool {
        self.figures.contains(&figure)
    }
}

/// The cases that `figure` of the period counts (with the other figures
/// read on the way), once each: only the ranges that figure needs.
pub(super) fn read(
    conn: &Connection,
    stations: &[[u8; 16]],
    p: &Period,
    figure: CaseFigure,
) -> Result<Vec<CaseEntry>> {
    use CaseFigure as F;
    let opened = matches!(figure, F::Opened | F::GroupCases);
    let concluded = matches!(
        figure,
        F::Resolved | F::Closed | F::MediationConcluded | F::MediationAgreed
    );
    let open = matches!(figure, F::OpenAtEnd | F::Overdue);
    let overdue_on = p.overdue_on.to_string();
    let mut cases: HashMap<[u8; 16], CaseEntry> = HashMap::new();
    // Columns 0, 1 and `at` are the id, the type and opened_at.
    let mut note = |r: &Row<'_>, at: usize, figure: CaseFigure| -> rusqlite::Result<()> {
        let id = id16(r, 0)?;
        let (case_type, opened_at) = (case_type(r, 1)?, r.get(at)?);
        let e = cases.entry(id).or_insert_with(|| CaseEntry {
            id,
            case_type,
            opened_at,
            figures: Vec::new(),
        });
        e.figures.push(figure);
        Ok(())
    };
    for station in stations {
        if opened {
            read_opened(conn, station, p, &mut note)?;
        }
        if concluded {
            read_concluded(conn, station, p, &mut note)?;
        }
        if open {
            read_open(conn, station, p, &overdue_on, &mut note)?;
        }
    }
    Ok(cases.into_values().collect())
}

type Note<'a> = dyn FnMut(&Row<'_>, usize, CaseFigure) -> rusqlite::Result<()> + 'a;

fn read_opened(
    conn: &Connection,
    station: &[u8; 16],
    p: &Period,
    note: &mut Note<'_>,
) -> Result<()> {
    let (st, start, end) = (&station[..], p.start(), p.end());
    let groups = claimants_of_station(conn, station, p)?;
    let mut stmt = conn.prepare_cached(OPENED)?;
    let mut rows = stmt.query(params![st, start, end])?;
    while let Some(r) = rows.next()? {
        note(r, 3, CaseFigure::Opened)?;
        if groups.get(&id16(r, 0)?).is_some_and(|c| c.len() >= 2) {
            note(r, 3, CaseFigure::GroupCases)?;
        }
    }
    Ok(())
}

fn read_concluded(
    conn: &Connection,
    station: &[u8; 16],
    p: &Period,
    note: &mut Note<'_>,
) -> Result<()> {
    let (st, start, end) = (&station[..], p.start(), p.end());
    let mut stmt = conn.prepare_cached(CONCLUDED)?;
    let mut rows = stmt.query(params![st, start, end])?;
    while let Some(r) = rows.next()? {
        let t = case_type(r, 1)?;
        let s = status(r, 2)?;
        match s {
            Some(CaseStatus::Resolved) => note(r, 5, CaseFigure::Resolved)?,
            Some(CaseStatus::Closed) => note(r, 5, CaseFigure::Closed)?,
            _ => continue,
        }
        if MEDIATED_TYPES.contains(&t) {
            note(r, 5, CaseFigure::MediationConcluded)?;
        }
        if s == Some(CaseStatus::Resolved) && is_agreement(t, outcome(r, 3)?) {
            note(r, 5, CaseFigure::MediationAgreed)?;
        }
    }
    Ok(())
}

fn read_open(
    conn: &Connection,
    station: &[u8; 16],
    p: &Period,
    overdue_on: &str,
    note: &mut Note<'_>,
) -> Result<()> {
    let (st, end) = (&station[..], p.end());
    let mut stmt = conn.prepare_cached(OPEN_NOW_ROWS)?;
    let mut rows = stmt.query(params![st, end, overdue_on])?;
    while let Some(r) = rows.next()? {
        if r.get::<_, bool>(3)? {
            note(r, 2, CaseFigure::OpenAtEnd)?;
        }
        if r.get::<_, Option<bool>>(4)?.unwrap_or(false) {
            note(r, 2, CaseFigure::Overdue)?;
        }
    }
    let mut stmt = conn.prepare_cached(CONCLUDED_AFTER)?;
    let mut rows = stmt.query(params![st, end])?;
    while let Some(r) = rows.next()? {
        note(r, 2, CaseFigure::OpenAtEnd)?;
    }
    Ok(())
}
