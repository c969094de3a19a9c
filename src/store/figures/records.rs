//! The visits and sessions behind the visit and counselling figures of a
//! period, newest first, a page at most (a district month holds hundreds
//! of thousands of visits): what the figures pane lists when a figure is
//! chosen. Session notes are never read.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use rusqlite::types::ValueRef;
use rusqlite::{OptionalExtension, params};

use super::{Period, Result};
use crate::domain::ids::{PersonId, StationId};
use crate::domain::person::Trade;
use crate::domain::schedule::{AppointmentStatus, CounsellorKind};
use crate::domain::visit::Service;
use crate::store::figures::Figures;
use crate::store::visits::counted;
use crate::store::{Store, id_col};

/// Which visits of the period a visit figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitFilter {
    All,
    Named,
    Anonymous,
    Trade(Trade),
    Service(Service),
    /// Arrived in this local hour (0–23).
    Hour(u32),
    /// Arrived on this local day.
    Day(NaiveDate),
    /// At this station (one of the figures').
    Station(StationId),
}

/// One visit behind a visit figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitLine {
    pub arrived_at: DateTime<Utc>,
    /// The code of the station visited.
    pub station: String,
    /// The person and their name; `None` for an anonymous tally.
    pub person: Option<(PersonId, String)>,
    pub headcount: u32,
    pub trade: Option<Trade>,
    /// The service bits (`Service` order).
    pub services: u32,
}

/// Which sessions of the period a counselling figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionFilter {
    /// Every session dated in the period (booked).
    Booked,
    /// Booked or arrived, not yet done.
    Pending,
    Held,
    NoShows,
    Cancelled,
}

impl SessionFilter {
    fn takes(self, status: Option<AppointmentStatus>) -> bool {
        use AppointmentStatus as S;
        match self {
            SessionFilter::Booked => true,
            SessionFilter::Held => status == Some(S::Done),
            SessionFilter::NoShows => status == Some(S::NoShow),
            SessionFilter::Cancelled => status == Some(S::Cancelled),
            SessionFilter::Pending => !matches!(status, Some(S::Done | S::NoShow | S::Cancelled)),
        }
    }
}

/// One session behind a counselling figure: when, with whom, for whom,
/// and where it stands. Never its notes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionLine {
    pub date: NaiveDate,
    pub start: String,
    pub counsellor: String,
    pub kind: Option<CounsellorKind>,
    pub person: Option<(PersonId, String)>,
    pub status: Option<AppointmentStatus>,
}

/// A page of the records behind a figure, and how many there are in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub rows: Vec<T>,
    pub total: u64,
}

/// A station's visits of a period, newest first, from the covering index;
/// an undone tally is none (`counted!`).
const VISITS_DESC: &str = concat!(
    "SELECT arrived_at, headcount, trade, services, person_id
     FROM visits INDEXED BY visits_by_station_time
     WHERE station_id = ?1 AND arrived_at >= ?2 AND arrived_at < ?3 AND ",
    counted!(),
    " ORDER BY arrived_at DESC"
);

/// The sessions of a period (explicit columns: never `notes`).
const SESSIONS: &str = "SELECT a.date, a.start, a.status, c.name, c.kind, a.person_id, p.name
     FROM appointments a INDEXED BY appointments_by_date_status
     JOIN counsellors c ON c.id = a.counsellor_id
     LEFT JOIN people p ON p.id = a.person_id
     WHERE a.date >= ?1 AND a.date <= ?2
     ORDER BY a.date DESC, a.start DESC";

/// A visit kept for the page: arrival, station, headcount, trade,
/// services, person id.
type Kept = (i64, [u8; 16], u32, Option<Trade>, u32, Option<Vec<u8>>);

const PERSON_NAME: &str = "SELECT name FROM people WHERE id = ?1";

impl Store {
    /// The visits of `f`'s period and station(s) that `filter` selects,
    /// newest first, `limit` at most, with how many match in all.
    pub fn visits_for(
        &self,
        f: &Figures,
        filter: VisitFilter,
        limit: usize,
    ) -> Result<Page<VisitLine>> {
        let p = Period::new(self.figures_zone(f.station)?, f.from, f.to, f.today)?;
        let codes: HashMap<[u8; 16], String> = self
            .stations()?
            .into_iter()
            .map(|s| (*s.id.as_bytes(), s.code))
            .collect();
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(VISITS_DESC)?;
        let mut kept: Vec<Kept> = Vec::new();
        let mut total = 0u64;
        for station in self.scope(f.station)? {
            if let VisitFilter::Station(only) = filter
                && *only.as_bytes() != station
            {
                continue;
            }
            let mut rows = stmt.query(params![&station[..], p.start(), p.end()])?;
            let mut taken = 0usize;
            while let Some(r) = rows.next()? {
                let at: i64 = r.get(0)?;
                let headcount = u32::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
                let trade = match r.get_ref(2)? {
                    ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(Trade::from_code),
                    _ => None,
                };
                let services = u32::try_from(r.get::<_, i64>(3)?).unwrap_or(0);
                let person: Option<Vec<u8>> = r.get(4)?;
                if !visit_matches(filter, &p, at, person.is_some(), trade, services) {
                    continue;
                }
                total += 1;
                // Each station's newest `limit` are enough for the page.
                if taken < limit {
                    taken += 1;
                    kept.push((at, station, headcount, trade, services, person));
                }
            }
        }
        kept.sort_by_key(|k| std::cmp::Reverse(k.0));
        kept.truncate(limit);
        let mut name = conn.prepare_cached(PERSON_NAME)?;
        let mut out = Vec::with_capacity(kept.len());
        for (at, station, headcount, trade, services, person) in kept {
            let person = match person {
                Some(id) => {
                    let n: Option<String> = name.query_row([&id], |r| r.get(0)).optional()?;
                    Some((id_col(&id)?, n.unwrap_or_default()))
                }
                None => None,
            };
            out.push(VisitLine {
                arrived_at: DateTime::from_timestamp_millis(at).unwrap_or_default(),
                station: codes.get(&station).cloned().unwrap_or_default(),
                person,
                headcount,
                trade,
                services,
            });
        }
        Ok(Page { rows: out, total })
    }

    /// The sessions dated in `f`'s period that `filter` selects (of one
    /// counsellor kind, or all), newest first, `limit` at most, with how
    /// many match in all. Like the counselling figures, of every station.
    pub fn sessions_for(
        &self,
        f: &Figures,
        filter: SessionFilter,
        kind: Option<CounsellorKind>,
        limit: usize,
    ) -> Result<Page<SessionLine>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(SESSIONS)?;
        let mut rows = stmt.query(params![f.from.to_string(), f.to.to_string()])?;
        let mut out = Vec::new();
        let mut total = 0u64;
        while let Some(r) = rows.next()? {
            let status = AppointmentStatus::from_code(&r.get::<_, String>(2)?);
            let k = CounsellorKind::from_code(&r.get::<_, String>(4)?);
            if !filter.takes(status) || kind.is_some_and(|want| k != Some(want)) {
                continue;
            }
            total += 1;
            if out.len() >= limit {
                continue;
            }
            let date: String = r.get(0)?;
            let person = match r.get::<_, Option<Vec<u8>>>(5)? {
                Some(id) => Some((
                    id_col(&id)?,
                    r.get::<_, Option<String>>(6)?.unwrap_or_default(),
                )),
                None => None,
            };
            out.push(SessionLine {
                date: date.parse().unwrap_or(f.from),
                start: r.get(1)?,
                counsellor: r.get(3)?,
                kind: k,
                person,
                status,
            });
        }
        Ok(Page { rows: out, total })
    }
}

fn visit_matches(
    filter: VisitFilter,
    p: &Period,
    at: i64,
    named: bool,
    trade: Option<Trade>,
    services: u32,
) -> bool {
    match filter {
        VisitFilter::All => true,
        VisitFilter::Named => named,
        VisitFilter::Anonymous => !named,
        // Unknown codes count as other, as in the figures.
        VisitFilter::Trade(t) => trade.unwrap_or(Trade::Other) == t,
        VisitFilter::Service(s) => Service::ALL
            .iter()
            .position(|x| *x == s)
            .is_some_and(|i| services & (1 << i) != 0),
        VisitFilter::Hour(h) => {
            let t = DateTime::from_timestamp_millis(at).unwrap_or_default();
            t.with_timezone(&p.tz).hour() == h
        }
        VisitFilter::Day(d) => p.local_date(at) == d,
        // Only that station's range is read (`visits_for`).
        VisitFilter::Station(_) => true,
    }
}
