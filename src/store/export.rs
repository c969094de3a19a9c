//! Reading whole tables for `waystation export`, a row at a time.
//!
//! Each read is one statement, so it sees one snapshot of the database
//! (WAL), and hands its rows to a callback as it steps: a district's ten
//! million visits go to the file without ever being held in memory. The
//! small tables a row refers to (stations, staff, counsellors) are read
//! once into maps; a person's name is a scalar subquery (one primary-key
//! look-up per row).
//!
//! Nothing here reads a case note or an appointment's session notes:
//! counselling content never leaves through an export.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rusqlite::params;

use super::visits::counted;
use super::{Result, Store, StoreError};
use crate::domain::case::{CaseNumber, CaseStatus, CaseType, CloseReason, HardshipKind, Outcome};
use crate::domain::ids::StationId;
use crate::domain::money::Fen;
use crate::domain::person::Trade;
use crate::domain::schedule::{AppointmentStatus, CounsellorKind};
use crate::domain::station::Station;
use crate::domain::visit::Services;

/// Which records an export covers. Days are local days of this station's
/// time zone, both ends included; `None` leaves that end open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Only the records of this station (visits, cases).
    pub station: Option<StationId>,
}

/// A registered worker. Mobile and ID number are as stored (full):
/// whoever writes them out masks them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonExportRow {
    pub name: String,
    pub mobile: Option<String>,
    pub resident_id: Option<String>,
    pub trade: Trade,
    pub employer: Option<String>,
    pub union_member: bool,
    pub union_joined: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
}

/// A visit: a named worker, or an anonymous tally (no name, a headcount).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitExportRow {
    /// The code of the station, if it is known here.
    pub station: Option<String>,
    pub arrived_at: DateTime<Utc>,
    pub left_at: Option<DateTime<Utc>>,
    /// The worker's name; `None` for an anonymous tally.
    pub name: Option<String>,
    pub trade: Trade,
    pub headcount: i64,
    pub services: Services,
}

/// A case, without its summary and notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseExportRow {
    pub number: CaseNumber,
    pub station: Option<String>,
    pub case_type: Option<CaseType>,
    pub hardship_kind: Option<HardshipKind>,
    pub status: Option<CaseStatus>,
    pub respondent: Option<String>,
    /// Current claimants (removed ones not counted).
    pub claimants: i64,
    pub claimed: Fen,
    pub recovered: Fen,
    /// The handler's name.
    pub handler: Option<String>,
    pub follow_up: Option<NaiveDate>,
    pub referral: Option<crate::domain::case::Referral>,
    pub outcome: Option<Outcome>,
    pub close_reason: Option<CloseReason>,
    pub opened_at: DateTime<Utc>,
    pub concluded_at: Option<DateTime<Utc>>,
}

/// A counselling or legal session, without its notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppointmentExportRow {
    pub date: NaiveDate,
    pub start: Option<NaiveTime>,
    pub end: Option<NaiveTime>,
    pub counsellor: Option<String>,
    pub kind: Option<CounsellorKind>,
    /// The worker's name.
    pub person: Option<String>,
    pub status: Option<AppointmentStatus>,
    pub follow_up: Option<NaiveDate>,
}

fn time(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok())
}

fn clock(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// A statement's error as a store error (then converted by `?`).
fn db<T>(r: rusqlite::Result<T>) -> Result<T> {
    Ok(r?)
}

/// Steps through `rows`, decoding each with `read` and handing it to
/// `each`; the number of rows.
fn stream<T, E: From<StoreError>>(
    mut rows: rusqlite::Rows<'_>,
    mut read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    mut each: impl FnMut(T) -> Result<(), E>,
) -> Result<u64, E> {
    let mut n = 0;
    while let Some(r) = rows.next().map_err(StoreError::from)? {
        each(read(r).map_err(StoreError::from)?)?;
        n += 1;
    }
    Ok(n)
}

impl Store {
    /// Every station this database knows (its own and those learned by
    /// sync), by code.
    pub fn export_stations(&self) -> Result<Vec<Station>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, code, name, time_zone FROM stations ORDER BY code")?;
        let rows = stmt.query_map([], |r| {
            Ok(Station {
                id: super::id_col(&r.get::<_, Vec<u8>>(0)?)?,
                code: r.get(1)?,
                name: r.get(2)?,
                time_zone: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The bounds (milliseconds UTC, end excluded) of a filter's days.
    fn export_bounds(&self, f: &ExportFilter) -> Result<(i64, i64)> {
        let from = match f.from {
            Some(d) => self.day_bounds(d)?.0,
            None => i64::MIN,
        };
        let to = match f.to {
            Some(d) => self.day_bounds(d)?.1,
            None => i64::MAX,
        };
        Ok((from, to))
    }

    fn names_of(&self, table: &str) -> Result<HashMap<Vec<u8>, (String, String)>> {
        let second = match table {
            "stations" => "code",
            "counsellors" => "kind",
            _ => "''",
        };
        let mut stmt = self
            .conn()
            .prepare(&format!("SELECT id, name, {second} FROM {table}"))?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Every registered worker, in the order of registration (the id
    /// order; the table is read in key order, without sorting).
    pub fn export_people<E: From<StoreError>>(
        &self,
        each: impl FnMut(PersonExportRow) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut stmt = db(self.conn().prepare(PEOPLE_SQL))?;
        let rows = db(stmt.query([]))?;
        stream(
            rows,
            |r| {
                Ok(PersonExportRow {
                    name: r.get(0)?,
                    mobile: r.get(1)?,
                    resident_id: r.get(2)?,
                    trade: r.get::<_, Trade>(3)?,
                    employer: r.get(4)?,
                    union_member: r.get(5)?,
                    union_joined: date(r.get(6)?),
                    created_at: time(r.get(7)?),
                })
            },
            each,
        )
    }

    /// The visits that arrived in the filter's days (of its station, or
    /// all), by time of arrival: one range of `visits_by_time`, or of
    /// `visits_by_station_time` for one station, read in order.
    pub fn export_visits<E: From<StoreError>>(
        &self,
        filter: &ExportFilter,
        each: impl FnMut(VisitExportRow) -> Result<(), E>,
    ) -> Result<u64, E> {
        let stations = self.names_of("stations")?;
        let (from, to) = self.export_bounds(filter)?;
        let mut stmt;
        let rows = match filter.station {
            Some(s) => {
                stmt = db(self
                    .conn()
                    .prepare(&format!("{VISITS_SQL} {VISITS_STATION}")))?;
                db(stmt.query(params![from, to, s.as_bytes()]))?
            }
            None => {
                stmt = db(self.conn().prepare(&format!("{VISITS_SQL} {VISITS_ALL}")))?;
                db(stmt.query(params![from, to]))?
            }
        };
        stream(
            rows,
            |r| {
                let station: Vec<u8> = r.get(0)?;
                Ok(VisitExportRow {
                    station: stations.get(&station).map(|(_, code)| code.clone()),
                    arrived_at: time(r.get(1)?),
                    left_at: r.get::<_, Option<i64>>(2)?.map(time),
                    name: r.get(3)?,
                    trade: r.get::<_, Trade>(4)?,
                    headcount: r.get(5)?,
                    services: Services::from_bits(r.get(6)?),
                })
            },
            each,
        )
    }

    /// The cases opened in the filter's days (of its station, or all), by
    /// time of opening.
    pub fn export_cases<E: From<StoreError>>(
        &self,
        filter: &ExportFilter,
        each: impl FnMut(CaseExportRow) -> Result<(), E>,
    ) -> Result<u64, E> {
        let stations = self.names_of("stations")?;
        let staff = self.names_of("staff")?;
        let (from, to) = self.export_bounds(filter)?;
        let mut stmt;
        let rows = match filter.station {
            Some(s) => {
                stmt = db(self.conn().prepare(&format!("{CASES_SQL} {CASES_STATION}")))?;
                db(stmt.query(params![from, to, s.as_bytes()]))?
            }
            None => {
                stmt = db(self.conn().prepare(&format!("{CASES_SQL} {CASES_ALL}")))?;
                db(stmt.query(params![from, to]))?
            }
        };
        stream(
            rows,
            |r| {
                let station: Vec<u8> = r.get(3)?;
                let handler: Option<Vec<u8>> = r.get(11)?;
                let code = |i: usize| r.get::<_, Option<String>>(i);
                Ok(CaseExportRow {
                    number: CaseNumber {
                        code: r.get(0)?,
                        year: r.get(1)?,
                        seq: r.get(2)?,
                    },
                    station: stations.get(&station).map(|(_, c)| c.clone()),
                    case_type: code(4)?.as_deref().and_then(CaseType::from_code),
                    hardship_kind: code(5)?.as_deref().and_then(HardshipKind::from_code),
                    status: code(6)?.as_deref().and_then(CaseStatus::from_code),
                    respondent: r.get(7)?,
                    claimants: r.get(8)?,
                    claimed: Fen(r.get(9)?),
                    recovered: Fen(r.get(10)?),
                    handler: handler.and_then(|h| staff.get(&h).map(|(n, _)| n.clone())),
                    follow_up: date(r.get(12)?),
                    referral: code(13)?
                        .as_deref()
                        .and_then(crate::domain::case::Referral::from_code),
                    outcome: code(14)?.as_deref().and_then(Outcome::from_code),
                    close_reason: code(15)?.as_deref().and_then(CloseReason::from_code),
                    opened_at: time(r.get(16)?),
                    concluded_at: r.get::<_, Option<i64>>(17)?.map(time),
                })
            },
            each,
        )
    }

    /// The counselling and legal sessions on the filter's days, by date and
    /// time: one range of `appointments_by_date`. Never their notes.
    pub fn export_appointments<E: From<StoreError>>(
        &self,
        filter: &ExportFilter,
        each: impl FnMut(AppointmentExportRow) -> Result<(), E>,
    ) -> Result<u64, E> {
        let counsellors = self.names_of("counsellors")?;
        let from = filter.from.map_or_else(String::new, |d| d.to_string());
        let to = filter.to.map_or_else(|| "~".to_owned(), |d| d.to_string());
        let mut stmt = db(self.conn().prepare(APPOINTMENTS_SQL))?;
        let rows = db(stmt.query(params![from, to]))?;
        stream(
            rows,
            |r| {
                let counsellor: Vec<u8> = r.get(3)?;
                let c = counsellors.get(&counsellor);
                let status: String = r.get(5)?;
                Ok(AppointmentExportRow {
                    date: date(r.get(0)?).unwrap_or_default(),
                    start: clock(&r.get::<_, String>(1)?),
                    end: clock(&r.get::<_, String>(2)?),
                    counsellor: c.map(|(n, _)| n.clone()),
                    kind: c.and_then(|(_, k)| CounsellorKind::from_code(k)),
                    person: r.get(4)?,
                    status: AppointmentStatus::from_code(&status),
                    follow_up: date(r.get(6)?),
                })
            },
            each,
        )
    }
}

const PEOPLE_SQL: &str = "SELECT name, mobile, resident_id, trade, employer, union_member,
        union_joined, created_at
     FROM people ORDER BY id";

// Names are scalar subqueries, not LEFT JOINs (see store/search.rs).
const VISITS_SQL: &str = "SELECT v.station_id, v.arrived_at, v.left_at,
        (SELECT name FROM people WHERE id = coalesce((SELECT survivor FROM person_survivor WHERE id = v.person_id), v.person_id)), v.trade, v.headcount, v.services
     FROM visits v";
// An undone tally is no visit (`counted!`).
const VISITS_ALL: &str = concat!(
    "WHERE v.arrived_at >= ?1 AND v.arrived_at < ?2 AND ",
    counted!("v"),
    " ORDER BY v.arrived_at"
);
const VISITS_STATION: &str = concat!(
    "WHERE v.station_id = ?3 AND v.arrived_at >= ?1 AND v.arrived_at < ?2 AND ",
    counted!("v"),
    " ORDER BY v.arrived_at"
);

const CASES_SQL: &str = "SELECT c.code, c.year, c.seq, c.station_id, c.case_type,
        c.hardship_kind, c.status, c.respondent,
        (SELECT count(*) FROM case_claimants k WHERE k.case_id = c.id AND k.removed = 0),
        c.claimed, c.recovered, c.handler, c.follow_up, c.referral, c.outcome, c.close_reason,
        c.opened_at, c.concluded_at
     FROM cases c";
const CASES_ALL: &str = "WHERE c.opened_at >= ?1 AND c.opened_at < ?2 ORDER BY c.opened_at, c.id";
const CASES_STATION: &str = "WHERE c.station_id = ?3 AND c.opened_at >= ?1 AND c.opened_at < ?2
     ORDER BY c.opened_at";

// The empty string and '~' sort before and after every ISO date.
const APPOINTMENTS_SQL: &str = "SELECT a.date, a.start, a.end, a.counsellor_id,
        (SELECT name FROM people WHERE id = coalesce((SELECT survivor FROM person_survivor WHERE id = a.person_id), a.person_id)), a.status, a.follow_up
     FROM appointments a WHERE a.date >= ?1 AND a.date <= ?2
     ORDER BY a.date, a.start, a.counsellor_id";

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(store: &Store, sql: &str) -> String {
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let nulls = vec![rusqlite::types::Value::Null; stmt.parameter_count()];
        let rows: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        rows.join("; ")
    }

    /// The big tables are read in index order: nothing is sorted, so the
    /// first row comes at once and memory stays flat.
    #[test]
    fn visits_and_people_stream_without_sorting() {
        let store = Store::open_in_memory().unwrap();
        for sql in [
            format!("{VISITS_SQL} {VISITS_ALL}"),
            format!("{VISITS_SQL} {VISITS_STATION}"),
            format!("{CASES_SQL} {CASES_STATION}"),
            PEOPLE_SQL.to_owned(),
        ] {
            let p = plan(&store, &sql);
            assert!(!p.contains("TEMP B-TREE"), "{sql}: {p}");
            assert!(!p.contains("SCAN v "), "{sql}: {p}");
        }
        let p = plan(&store, &format!("{VISITS_SQL} {VISITS_STATION}"));
        assert!(p.contains("visits_by_station_time"), "{p}");
        let p = plan(&store, APPOINTMENTS_SQL);
        assert!(p.contains("appointments_by_date"), "{p}");
    }

    /// No export statement so much as names the columns that hold
    /// counselling content or case notes.
    #[test]
    fn no_statement_reads_notes_or_summaries() {
        for sql in [
            PEOPLE_SQL,
            VISITS_SQL,
            CASES_SQL,
            APPOINTMENTS_SQL,
            VISITS_ALL,
            VISITS_STATION,
            CASES_ALL,
            CASES_STATION,
        ] {
            for banned in ["notes", "note", "body", "summary"] {
                assert!(
                    !sql.split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == banned),
                    "{banned} in {sql}"
                );
            }
        }
    }

    #[test]
    fn filters_pick_local_days() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .init_station("FT", "测试驿站", "Asia/Shanghai")
            .unwrap();
        let at = |d, h| {
            chrono::TimeZone::with_ymd_and_hms(&chrono_tz::Asia::Shanghai, 2026, 11, d, h, 0, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        let mut w = store.begin(None).unwrap();
        // 00:30 local on the 2nd is still the 1st in UTC.
        w.tally(Trade::Courier, 3, at(2, 0)).unwrap();
        w.tally(Trade::Courier, 1, at(1, 23)).unwrap();
        w.tally(Trade::Courier, 2, at(3, 9)).unwrap();
        w.commit().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let mut got = Vec::new();
        let filter = ExportFilter {
            from: Some(day),
            to: Some(day),
            station: None,
        };
        let n = store
            .export_visits::<StoreError>(&filter, |v| {
                got.push(v.headcount);
                Ok(())
            })
            .unwrap();
        assert_eq!((n, got), (1, vec![3]));
        let all = store
            .export_visits::<StoreError>(&ExportFilter::default(), |_| Ok(()))
            .unwrap();
        assert_eq!(all, 3);
        let other = ExportFilter {
            station: Some(StationId::new()),
            ..ExportFilter::default()
        };
        assert_eq!(
            store
                .export_visits::<StoreError>(&other, |_| Ok(()))
                .unwrap(),
            0
        );
    }
}
