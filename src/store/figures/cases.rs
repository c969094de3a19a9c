//! The case figures (report/figures.rs defines each one), read per
//! station from the ranges of the three `cases_by_station_*` indexes.
//!
//! The cases open now, the bulk of the entries read, are counted in SQL
//! (`GROUP BY` in index order: no sort) and never brought into Rust; the
//! cases opened and concluded in the period are read one entry each.

use std::collections::{HashMap, HashSet};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, Row, params};

use super::{Period, Result};
use crate::domain::case::{CaseStatus, CaseType, Outcome};
use crate::domain::money::Fen;
use crate::store::figures::{
    AGREEMENT_OUTCOMES, CaseFigures, CaseTypeFigures, MEDIATED_TYPES, MedianDays,
};

/// Cases opened in the period (their ids are wanted for the group cases).
pub(super) const OPENED: &str = "SELECT id, case_type, claimed, opened_at
     FROM cases INDEXED BY cases_by_station_opened
     WHERE station_id = ?1 AND opened_at >= ?2 AND opened_at < ?3";

/// Cases whose last conclusion lies in the period (any status: the
/// caller keeps the concluded ones).
pub(super) const CONCLUDED: &str =
    "SELECT id, case_type, status, outcome, recovered, opened_at, concluded_at
     FROM cases INDEXED BY cases_by_station_concluded
     WHERE station_id = ?1 AND concluded_at >= ?2 AND concluded_at < ?3";

/// The cases open now, by status and type: those opened before the
/// period's end, and the overdue ones.
pub(super) const OPEN_NOW: &str = "SELECT status, case_type,
            count(CASE WHEN opened_at < ?2 THEN 1 END), count(CASE WHEN follow_up < ?3 THEN 1 END)
     FROM cases INDEXED BY cases_by_station_status
     WHERE station_id = ?1 AND status IN ('new', 'in_progress', 'waiting')
     GROUP BY status, case_type";

/// Cases opened before the period's end and concluded at or after it.
pub(super) const CONCLUDED_AFTER: &str = "SELECT id, case_type, opened_at
     FROM cases INDEXED BY cases_by_station_concluded
     WHERE station_id = ?1 AND concluded_at >= ?2 AND opened_at < ?2
       AND status IN ('resolved', 'closed')";

/// The claimants (not removed) of one station's cases opened in the
/// period: a seek into `claimants_by_case` per case.
pub(super) const CLAIMANTS_OF_STATION: &str = "SELECT c.id, k.person_id
     FROM cases c INDEXED BY cases_by_station_opened
     JOIN case_claimants k INDEXED BY claimants_by_case ON k.case_id = c.id AND k.removed = 0
     WHERE c.station_id = ?1 AND c.opened_at >= ?2 AND c.opened_at < ?3";

/// The claimants (not removed) of the cases in a range of case ids.
pub(super) const CLAIMANTS_BETWEEN: &str = "SELECT case_id, person_id
     FROM case_claimants INDEXED BY claimants_by_case
     WHERE case_id >= ?1 AND case_id <= ?2 AND removed = 0";

/// A text column read in place (no copy): `None` when NULL or not text.
fn text<'r>(r: &'r Row<'_>, i: usize) -> rusqlite::Result<Option<&'r str>> {
    Ok(match r.get_ref(i)? {
        ValueRef::Text(t) => std::str::from_utf8(t).ok(),
        _ => None,
    })
}

pub(super) fn case_type(r: &Row<'_>, i: usize) -> rusqlite::Result<CaseType> {
    Ok(text(r, i)?
        .and_then(CaseType::from_code)
        .unwrap_or(CaseType::Other))
}

pub(super) fn status(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<CaseStatus>> {
    Ok(text(r, i)?.and_then(CaseStatus::from_code))
}

pub(super) fn outcome(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Outcome>> {
    Ok(text(r, i)?.and_then(Outcome::from_code))
}

fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

/// A 16-byte id column, read in place.
pub(super) fn id16(r: &Row<'_>, i: usize) -> rusqlite::Result<[u8; 16]> {
    match r.get_ref(i)? {
        ValueRef::Blob(b) => b.try_into().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Blob, "id".into())
        }),
        v => Err(rusqlite::Error::InvalidColumnType(
            i,
            "id".into(),
            v.data_type(),
        )),
    }
}

fn add(a: Fen, b: i64) -> Fen {
    Fen(a.0.saturating_add(b))
}

/// Whether a resolved case of this type and outcome counts as an agreement
/// for the mediation rate.
pub(super) fn is_agreement(case_type: CaseType, o: Option<Outcome>) -> bool {
    MEDIATED_TYPES.contains(&case_type) && o.is_some_and(|o| AGREEMENT_OUTCOMES.contains(&o))
}

pub(super) fn figures(conn: &Connection, stations: &[[u8; 16]], p: &Period) -> Result<CaseFigures> {
    let (start, end) = (p.start(), p.end());
    let overdue_on = p.overdue_on.to_string();
    let mut f = CaseFigures {
        by_type: CaseType::ALL
            .iter()
            .map(|t| CaseTypeFigures::zero(*t))
            .collect(),
        ..CaseFigures::default()
    };
    let index = |t: CaseType| CaseType::ALL.iter().position(|x| *x == t).unwrap_or(0);
    let mut days = Vec::new();
    let mut opened = Vec::new();
    for station in stations {
        let st = &station[..];
        let mut stmt = conn.prepare_cached(OPENED)?;
        let mut rows = stmt.query(params![st, start, end])?;
        while let Some(r) = rows.next()? {
            opened.push(id16(r, 0)?);
            let row = &mut f.by_type[index(case_type(r, 1)?)];
            row.opened += 1;
            row.claimed = add(row.claimed, r.get(2)?);
        }
        let mut stmt = conn.prepare_cached(CONCLUDED)?;
        let mut rows = stmt.query(params![st, start, end])?;
        while let Some(r) = rows.next()? {
            let t = case_type(r, 1)?;
            let row = &mut f.by_type[index(t)];
            match status(r, 2)? {
                Some(CaseStatus::Resolved) => {
                    row.resolved += 1;
                    row.recovered = add(row.recovered, r.get(4)?);
                    f.mediation.agreed += u64::from(is_agreement(t, outcome(r, 3)?));
                    let (from, to) = (p.local_date(r.get(5)?), p.local_date(r.get(6)?));
                    let d = (to - from).num_days();
                    days.push(u64::try_from(d).unwrap_or(0));
                }
                Some(CaseStatus::Closed) => row.closed += 1,
                _ => continue,
            }
            f.mediation.concluded += u64::from(MEDIATED_TYPES.contains(&t));
        }
        let mut stmt = conn.prepare_cached(OPEN_NOW)?;
        let mut rows = stmt.query(params![st, end, overdue_on])?;
        while let Some(r) = rows.next()? {
            f.by_type[index(case_type(r, 1)?)].open_at_end += count(r, 2)?;
            f.overdue += count(r, 3)?;
        }
        let mut stmt = conn.prepare_cached(CONCLUDED_AFTER)?;
        let mut rows = stmt.query(params![st, end])?;
        while let Some(r) = rows.next()? {
            f.by_type[index(case_type(r, 1)?)].open_at_end += 1;
        }
    }
    for row in &f.by_type {
        f.opened += row.opened;
        f.resolved += row.resolved;
        f.closed += row.closed;
        f.open_at_end += row.open_at_end;
        f.claimed = add(f.claimed, row.claimed.0);
        f.recovered = add(f.recovered, row.recovered.0);
    }
    let mut groups = Groups::default();
    match stations {
        [station] => group_cases_of_station(conn, station, p, &mut groups)?,
        _ => group_cases(conn, opened, &mut groups)?,
    }
    groups.flush();
    f.group_cases = groups.cases;
    f.group_workers = groups.workers.len() as u64;
    f.median_days_to_resolve = MedianDays::of(days);
    Ok(f)
}

/// Claimants (distinct, not removed) by case.
pub(super) type Claimants = HashMap<[u8; 16], HashSet<[u8; 16]>>;

/// The claimants of one station's cases opened in the period.
pub(super) fn claimants_of_station(
    conn: &Connection,
    station: &[u8; 16],
    p: &Period,
) -> Result<Claimants> {
    let mut out = Claimants::new();
    let mut stmt = conn.prepare_cached(CLAIMANTS_OF_STATION)?;
    let mut rows = stmt.query(params![&station[..], p.start(), p.end()])?;
    while let Some(r) = rows.next()? {
        out.entry(id16(r, 0)?).or_default().insert(id16(r, 1)?);
    }
    Ok(out)
}

/// The group cases and their workers, counted from (case, claimant) rows
/// in which the rows of a case come together (as both reads give them).
#[derive(Default)]
struct Groups {
    cases: u64,
    workers: HashSet<[u8; 16]>,
    case: Option<[u8; 16]>,
    people: Vec<[u8; 16]>,
}

impl Groups {
    fn push(&mut self, case: [u8; 16], person: [u8; 16]) {
        if self.case != Some(case) {
            self.flush();
            self.case = Some(case);
        }
        self.people.push(person);
    }

    /// Ends the case read so far.
    fn flush(&mut self) {
        self.people.sort_unstable();
        self.people.dedup();
        if self.people.len() >= 2 {
            self.cases += 1;
            self.workers.extend(self.people.drain(..));
        }
        self.people.clear();
        self.case = None;
    }
}

/// The group cases of one station opened in the period: a seek into
/// `claimants_by_case` per case.
fn group_cases_of_station(
    conn: &Connection,
    station: &[u8; 16],
    p: &Period,
    groups: &mut Groups,
) -> Result<()> {
    let mut stmt = conn.prepare_cached(CLAIMANTS_OF_STATION)?;
    let mut rows = stmt.query(params![&station[..], p.start(), p.end()])?;
    while let Some(r) = rows.next()? {
        groups.push(id16(r, 0)?, id16(r, 1)?);
    }
    Ok(())
}

/// Case ids further apart in time than this start a new range.
const RUN_GAP_MS: u64 = 86_400_000;

/// The group cases among `ids`, for many stations at once. Case ids are
/// UUIDv7, so the cases opened in a period were mostly created in it and
/// lie together in `claimants_by_case`: the ids, sorted, are cut into runs
/// wherever two follow each other more than a day apart, and each run is
/// one range of the index, read in order, keeping the claimants of these
/// cases. Far fewer seeks than one per case; a case created long after it
/// was opened is a run of its own.
fn group_cases(conn: &Connection, mut ids: Vec<[u8; 16]>, groups: &mut Groups) -> Result<()> {
    ids.sort_unstable();
    let wanted: HashSet<[u8; 16]> = ids.iter().copied().collect();
    let time = |id: &[u8; 16]| {
        let mut b = [0u8; 8];
        b[2..].copy_from_slice(&id[..6]);
        u64::from_be_bytes(b)
    };
    let mut stmt = conn.prepare_cached(CLAIMANTS_BETWEEN)?;
    let mut rest = &ids[..];
    while let Some(first) = rest.first() {
        let len = rest
            .windows(2)
            .position(|w| time(&w[1]).saturating_sub(time(&w[0])) > RUN_GAP_MS)
            .map_or(rest.len(), |i| i + 1);
        let last = &rest[len - 1];
        let mut rows = stmt.query(params![&first[..], &last[..]])?;
        // Rows come by case: each case is looked up once.
        let mut last: Option<([u8; 16], bool)> = None;
        while let Some(r) = rows.next()? {
            let c = id16(r, 0)?;
            let keep = match last {
                Some((case, keep)) if case == c => keep,
                _ => wanted.contains(&c),
            };
            last = Some((c, keep));
            if keep {
                groups.push(c, id16(r, 1)?);
            }
        }
        rest = &rest[len..];
    }
    Ok(())
}
