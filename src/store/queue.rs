//! The case queue: cases filtered by status, type, handler and overdue
//! follow-up, sorted by due date, age, amount or case number; and the
//! counts of its header.
//!
//! Each status is read on its own, as one range of an index that leads with
//! the status (or the handler, then the status) and holds the sort key
//! (schema V4), stopped after `limit` rows; the ranges are merged here, and
//! the display fields (claimant count, first claimant, handler name) are
//! read for the rows that are kept only. As in `search.rs`: no bound
//! `LIMIT`, no parameter inside a `LEFT JOIN`, no parameter against a
//! partial index — SQLite would re-prepare the statement at every call.

use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store, id_col};
use crate::domain::case::{CaseNumber, CaseStatus, CaseType};
use crate::domain::ids::{CaseId, StaffId};
use crate::domain::money::Fen;

/// Which statuses the queue shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// New, in progress and waiting.
    Open,
    /// One status.
    Is(CaseStatus),
}

/// The order of the queue. Ties are broken by case id (time of creation),
/// so a queue never reorders between two reads of the same data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum QueueSort {
    /// Next follow-up date first; cases without one last.
    #[default]
    FollowUp,
    /// Oldest opened first.
    Age,
    /// Largest amount claimed first.
    Amount,
    /// Newest case number first (year, then sequence, descending).
    Number,
}

/// What the queue shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    /// `None`: every status.
    pub status: Option<StatusFilter>,
    pub case_type: Option<CaseType>,
    /// `Some(None)`: unassigned cases only.
    pub handler: Option<Option<StaffId>>,
    /// Only open cases whose follow-up date is before this date.
    pub overdue_on: Option<NaiveDate>,
    pub sort: QueueSort,
    /// Rows returned at most.
    pub limit: usize,
}

impl Default for CaseQuery {
    /// Open cases by due date, 100 rows.
    fn default() -> Self {
        CaseQuery {
            status: Some(StatusFilter::Open),
            case_type: None,
            handler: None,
            overdue_on: None,
            sort: QueueSort::FollowUp,
            limit: 100,
        }
    }
}

/// One line of the queue.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueRow {
    pub id: CaseId,
    pub number: CaseNumber,
    pub case_type: CaseType,
    pub status: CaseStatus,
    /// The claimant who stands for the group: the first one registered (as
    /// in `Store::claimants` and the lookup).
    pub first_claimant: Option<String>,
    /// Current (not removed) claimants.
    pub claimants: u32,
    pub respondent: Option<String>,
    pub claimed: Fen,
    pub recovered: Fen,
    /// The handler's name.
    pub handler: Option<String>,
    pub follow_up: Option<NaiveDate>,
    pub opened_at: DateTime<Utc>,
}

/// The counts of the queue header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct QueueCounts {
    pub new: u64,
    pub in_progress: u64,
    pub waiting: u64,
    /// Open cases whose follow-up date has passed.
    pub overdue: u64,
    /// Open cases nobody handles.
    pub unassigned: u64,
}

impl QueueCounts {
    /// New, in progress and waiting together.
    pub fn open(&self) -> u64 {
        self.new + self.in_progress + self.waiting
    }
}

/// A case id with its sort key, as one index range gives it.
#[derive(Debug)]
struct Keyed {
    id: Vec<u8>,
    /// The follow-up date (by due date).
    date: Option<String>,
    /// opened_at, claimed, or year (by number).
    a: i64,
    /// seq (by number).
    b: i64,
}

/// The order of [`QueueSort`], as the statements of [`range_sql`] give it.
fn compare(sort: QueueSort, x: &Keyed, y: &Keyed) -> Ordering {
    match sort {
        QueueSort::FollowUp => {
            (x.date.is_none(), &x.date, &x.id).cmp(&(y.date.is_none(), &y.date, &y.id))
        }
        QueueSort::Age => (x.a, &x.id).cmp(&(y.a, &y.id)),
        QueueSort::Amount => (y.a, &y.id).cmp(&(x.a, &x.id)),
        QueueSort::Number => (y.a, y.b, &y.id).cmp(&(x.a, x.b, &x.id)),
    }
}

/// The statuses a query reads, one range each.
fn statuses(q: &CaseQuery) -> Vec<CaseStatus> {
    CaseStatus::ALL
        .iter()
        .copied()
        .filter(|s| match q.status {
            None => true,
            Some(StatusFilter::Open) => s.is_open(),
            Some(StatusFilter::Is(x)) => x == *s,
        })
        .filter(|s| q.overdue_on.is_none() || s.is_open())
        .collect()
}

/// The index a range is read from, named in the statement (`INDEXED BY`)
/// so that the plan cannot drift: a handler's cases of one status (few;
/// sorted after reading unless by due date); else one status in the order
/// asked, read until `limit` entries pass the type and overdue filters,
/// which the index holds (by due date, overdue is a range of it).
fn range_index(q: &CaseQuery) -> &'static str {
    if q.handler.is_some() {
        return "cases_by_handler";
    }
    match q.sort {
        QueueSort::FollowUp => "cases_by_status",
        QueueSort::Age => "cases_by_status_age",
        QueueSort::Amount => "cases_by_status_amount",
        QueueSort::Number => "cases_by_status_number",
    }
}

/// The statement that reads one status's range of the queue, in order.
/// By due date a status is read in two parts: the cases with a follow-up
/// date (`undated` false), then, if the first part was short, those
/// without. The text depends only on which filters are set, so a handful
/// of statements serve every query.
fn range_sql(q: &CaseQuery, undated: bool) -> String {
    let mut sql = String::from("SELECT c.id, ");
    sql.push_str(match q.sort {
        QueueSort::FollowUp => "c.follow_up, 0, 0",
        QueueSort::Age => "NULL, c.opened_at, 0",
        QueueSort::Amount => "NULL, c.claimed, 0",
        QueueSort::Number => "NULL, c.year, c.seq",
    });
    sql.push_str(" FROM cases c INDEXED BY ");
    sql.push_str(range_index(q));
    sql.push_str(" WHERE c.status = :status");
    if q.case_type.is_some() {
        sql.push_str(" AND c.case_type = :case_type");
    }
    match q.handler {
        Some(Some(_)) => sql.push_str(" AND c.handler = :handler"),
        Some(None) => sql.push_str(" AND c.handler IS NULL"),
        None => {}
    }
    if q.overdue_on.is_some() {
        sql.push_str(" AND c.follow_up < :due");
    }
    sql.push_str(match (q.sort, undated) {
        (QueueSort::FollowUp, false) => " AND c.follow_up IS NOT NULL ORDER BY c.follow_up, c.id",
        (QueueSort::FollowUp, true) => " AND c.follow_up IS NULL ORDER BY c.id",
        (QueueSort::Age, _) => " ORDER BY c.opened_at, c.id",
        (QueueSort::Amount, _) => " ORDER BY c.claimed DESC, c.id DESC",
        (QueueSort::Number, _) => " ORDER BY c.year DESC, c.seq DESC, c.id DESC",
    });
    sql
}

impl Store {
    /// The case queue: the cases `q` selects, in its order, at most
    /// `q.limit` of them. Each status is one index range read in order and
    /// stopped after `limit` rows (a handler filter reads that handler's
    /// range); the display fields are read for the rows returned only.
    pub fn case_queue(&self, q: &CaseQuery) -> Result<Vec<QueueRow>> {
        if q.limit == 0 {
            return Ok(Vec::new());
        }
        let conn = self.conn();
        let case_type = q.case_type.map(|t| t.code());
        let handler = match q.handler {
            Some(Some(h)) => Some(*h.as_bytes()),
            _ => None,
        };
        let due = q.overdue_on.map(|d| d.to_string());
        let mut keyed: Vec<Keyed> = Vec::new();
        for status in statuses(q) {
            let code = status.code();
            let mut params: Vec<(&str, &dyn ToSql)> = vec![(":status", &code)];
            if let Some(t) = &case_type {
                params.push((":case_type", t));
            }
            if let Some(h) = &handler {
                params.push((":handler", h));
            }
            if let Some(d) = &due {
                params.push((":due", d));
            }
            let mut got = read_range(conn, &range_sql(q, false), &params, q.limit)?;
            if q.sort == QueueSort::FollowUp && q.overdue_on.is_none() && got.len() < q.limit {
                let rest = q.limit - got.len();
                got.extend(read_range(conn, &range_sql(q, true), &params, rest)?);
            }
            keyed.extend(got);
        }
        keyed.sort_by(|x, y| compare(q.sort, x, y));
        keyed.truncate(q.limit);
        let mut out = Vec::with_capacity(keyed.len());
        for k in keyed {
            out.extend(queue_row(conn, &k.id)?);
        }
        Ok(out)
    }

    /// The queue rows of `ids`, in that order (ids of no case are left
    /// out): the cases behind a figure, shown as the queue.
    pub fn queue_rows(&self, ids: &[CaseId]) -> Result<Vec<QueueRow>> {
        let conn = self.conn();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.extend(queue_row(conn, id.as_bytes())?);
        }
        Ok(out)
    }

    /// The counts of the queue header on `today` (station date): open cases
    /// by status, overdue and unassigned ones. Counted in the queue's
    /// indexes without reading a row; the cost grows with the number of
    /// open cases, not with all cases.
    pub fn case_counts(&self, today: NaiveDate) -> Result<QueueCounts> {
        let conn = self.conn();
        let today = today.to_string();
        let mut counts = QueueCounts::default();
        for status in CaseStatus::ALL.iter().filter(|s| s.is_open()) {
            let code = status.code();
            let n: i64 = conn
                .prepare_cached("SELECT count(*) FROM cases WHERE status = ?1")?
                .query_row([code], |r| r.get(0))?;
            let overdue: i64 = conn
                .prepare_cached("SELECT count(*) FROM cases WHERE status = ?1 AND follow_up < ?2")?
                .query_row(params![code, today], |r| r.get(0))?;
            let unassigned: i64 = conn
                .prepare_cached("SELECT count(*) FROM cases WHERE handler IS NULL AND status = ?1")?
                .query_row([code], |r| r.get(0))?;
            match status {
                CaseStatus::New => counts.new = n as u64,
                CaseStatus::InProgress => counts.in_progress = n as u64,
                _ => counts.waiting = n as u64,
            }
            counts.overdue += overdue as u64;
            counts.unassigned += unassigned as u64;
        }
        Ok(counts)
    }
}

/// Reads one range of the queue, at most `limit` rows (by stopping the
/// iteration: no bound `LIMIT`).
fn read_range(
    conn: &Connection,
    sql: &str,
    params: &[(&str, &dyn ToSql)],
    limit: usize,
) -> Result<Vec<Keyed>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| {
        Ok(Keyed {
            id: r.get(0)?,
            date: r.get(1)?,
            a: r.get(2)?,
            b: r.get(3)?,
        })
    })?;
    Ok(rows.take(limit).collect::<rusqlite::Result<_>>()?)
}

// Scalar subqueries, not LEFT JOINs (see `search::case_hit`); the claimant
// count and the first claimant come from the covering `claimants_by_case`.
fn queue_row(conn: &Connection, id: &[u8]) -> Result<Option<QueueRow>> {
    let date = |s: Option<String>| s.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
    Ok(conn
        .prepare_cached(
            "SELECT c.code, c.year, c.seq, c.case_type, c.status, c.respondent, c.claimed,
                    c.recovered, (SELECT name FROM staff WHERE id = c.handler), c.follow_up,
                    (SELECT count(*) FROM case_claimants k WHERE k.case_id = c.id AND k.removed = 0),
                    (SELECT p.name FROM people p WHERE p.id = coalesce(
                      (SELECT s.survivor FROM person_survivor s WHERE s.id =
                        (SELECT k.person_id FROM case_claimants k
                          WHERE k.case_id = c.id AND k.removed = 0 ORDER BY k.person_id LIMIT 1)),
                      (SELECT k.person_id FROM case_claimants k
                        WHERE k.case_id = c.id AND k.removed = 0 ORDER BY k.person_id LIMIT 1))),
                    c.opened_at
             FROM cases c WHERE c.id = ?1",
        )?
        .query_row([id], |r| {
            Ok(QueueRow {
                id: id_col(id)?,
                number: CaseNumber {
                    code: r.get(0)?,
                    year: r.get(1)?,
                    seq: r.get(2)?,
                },
                case_type: r.get::<_, CaseType>(3)?,
                status: r.get::<_, CaseStatus>(4)?,
                respondent: r.get(5)?,
                claimed: Fen(r.get(6)?),
                recovered: Fen(r.get(7)?),
                handler: r.get(8)?,
                follow_up: date(r.get(9)?),
                claimants: r.get(10)?,
                first_claimant: r.get(11)?,
                opened_at: DateTime::from_timestamp_millis(r.get(12)?).unwrap_or_default(),
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    /// Every combination of filters and order the queue can be asked for.
    fn all_queries() -> Vec<CaseQuery> {
        let staff = StaffId::new();
        let mut out = Vec::new();
        let status_filters = [
            None,
            Some(StatusFilter::Open),
            Some(StatusFilter::Is(CaseStatus::Resolved)),
        ];
        for status in status_filters {
            for case_type in [None, Some(CaseType::WageArrears)] {
                for handler in [None, Some(None), Some(Some(staff))] {
                    for overdue_on in [None, NaiveDate::from_ymd_opt(2026, 11, 22)] {
                        for sort in [
                            QueueSort::FollowUp,
                            QueueSort::Age,
                            QueueSort::Amount,
                            QueueSort::Number,
                        ] {
                            out.push(CaseQuery {
                                status,
                                case_type,
                                handler,
                                overdue_on,
                                sort,
                                limit: 50,
                            });
                        }
                    }
                }
            }
        }
        out
    }

    fn plan(store: &Store, sql: &str) -> String {
        // The plan does not depend on the values bound, only on the text.
        let bound = sql
            .replace(":status", "'new'")
            .replace(":case_type", "'other'")
            .replace(":handler", "x'00'")
            .replace(":due", "'2026-11-22'");
        let mut stmt = store
            .conn()
            .prepare(&format!("EXPLAIN QUERY PLAN {bound}"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get::<_, String>(3)).unwrap();
        rows.map(Result::unwrap).collect::<Vec<_>>().join("; ")
    }

    /// Each range is a search of the queue index chosen for it (the
    /// status, or handler and status, bound) that reads no row; the index
    /// gives the order and the read stops at `limit`, except for the cases
    /// of one handler in another order than by due date.
    #[test]
    fn every_queue_read_is_an_index_range() {
        let store = Store::open_in_memory().unwrap();
        for q in all_queries() {
            for undated in [false, true] {
                let sql = range_sql(&q, undated);
                let p = plan(&store, &sql);
                assert!(p.starts_with("SEARCH c USING "), "{sql}\n{p}");
                assert!(!p.contains("SCAN"), "{sql}\n{p}");
                let index = range_index(&q);
                assert!(
                    p.starts_with(&format!("SEARCH c USING INDEX {index} (status=?"))
                        || p.starts_with(&format!("SEARCH c USING COVERING INDEX {index} ("))
                        || p.starts_with(&format!("SEARCH c USING INDEX {index} (handler=?")),
                    "{sql}\n{p}"
                );
                // Only a handler's cases are sorted after reading, and only
                // when not by due date; the others need no row either.
                let sorted = p.contains("TEMP B-TREE");
                let may_sort = q.handler.is_some() && q.sort != QueueSort::FollowUp;
                assert_eq!(sorted, may_sort, "{sql}\n{p}");
                if q.handler.is_none() {
                    assert!(p.contains("COVERING INDEX"), "{sql}\n{p}");
                }
            }
        }
        for sql in [
            "SELECT count(*) FROM cases WHERE status = :status",
            "SELECT count(*) FROM cases WHERE status = :status AND follow_up < :due",
            "SELECT count(*) FROM cases WHERE handler IS NULL AND status = :status",
        ] {
            let p = plan(&store, sql);
            assert!(p.contains("COVERING INDEX"), "{sql}\n{p}");
        }
    }

    /// Reading the queue with other filter values reuses the prepared
    /// statements: SQLite never re-prepares them for a new binding.
    #[test]
    fn queue_statements_are_not_re_prepared() {
        let mut store = Store::open_in_memory().unwrap();
        store
            .init_station("FT", "测试驿站", "Asia/Shanghai")
            .unwrap();
        let mut w = store.begin(None).unwrap();
        let staff = w
            .add_staff("李华", crate::domain::staff::Role::Staff)
            .unwrap();
        w.commit().unwrap();
        let days = [
            NaiveDate::from_ymd_opt(2026, 11, 22),
            NaiveDate::from_ymd_opt(2026, 12, 1),
        ];
        for q in all_queries() {
            for (h, due) in [(StaffId::new(), days[0]), (staff, days[1])] {
                let q = CaseQuery {
                    handler: q.handler.map(|o| o.map(|_| h)),
                    overdue_on: q.overdue_on.and(due),
                    ..q.clone()
                };
                store.case_queue(&q).unwrap();
            }
            for undated in [false, true] {
                let stmt = store
                    .conn()
                    .prepare_cached(&range_sql(&q, undated))
                    .unwrap();
                assert_eq!(
                    stmt.get_status(StatementStatus::RePrepare),
                    0,
                    "{}",
                    range_sql(&q, undated)
                );
            }
        }
    }
}
