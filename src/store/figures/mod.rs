//! The figures of a period (the types and what each figure counts are in
//! model.rs), and the cases behind each case figure.
//!
//! Every read is one range of an index of schema V6 (or of V1's
//! `claimants_by_case`) per station, covering (no row is read), named with
//! `INDEXED BY` so that the plan cannot drift; for all stations the same
//! ranges are read for each station the database knows. Counting happens
//! here in one pass over each range, or in SQL where the index order is
//! the grouping (the cases open now); only the sessions of a period, a
//! few rows, are sorted to be grouped.
//!
//! At district scale the visits of a month are most of the work (some
//! 700,000 index entries for 10 M visits a year): a second, read-only
//! connection reads them in a thread of its own while this one reads the
//! cases, then both share the stations left.

use chrono::{DateTime, Duration, NaiveDate, Offset, TimeZone};
use chrono_tz::Tz;
use rusqlite::{Connection, OpenFlags};
use std::sync::atomic::AtomicUsize;

use super::{Store, id_col};
use crate::domain::case::CaseType;
use crate::domain::ids::{CaseId, StationId};
use crate::domain::station::Station;

mod behind;
mod model;
pub use model::*;
mod cases;
mod counselling;
pub mod records;
mod referrals;
mod visits;

type Result<T> = std::result::Result<T, FiguresError>;

const HOUR_MS: i64 = 3_600_000;
const DAY_MS: i64 = 86_400_000;

/// A period in one time zone: the UTC milliseconds of local midnight of
/// each day `from..=to` and of the day after.
struct Period {
    from: NaiveDate,
    tz: Tz,
    midnights: Vec<i64>,
    /// Per day: 24 hours long with one UTC offset throughout, so that the
    /// local hour is the hours since midnight.
    uniform: Vec<bool>,
    /// The date overdue follow-ups are counted on.
    overdue_on: NaiveDate,
}

impl Period {
    fn new(tz: Tz, from: NaiveDate, to: NaiveDate, today: NaiveDate) -> Result<Period> {
        if to < from {
            return Err(FiguresError::Reversed { from, to });
        }
        let days = (to - from).num_days() + 1;
        if days > MAX_DAYS {
            return Err(FiguresError::TooLong {
                days,
                max: MAX_DAYS,
            });
        }
        let midnights: Vec<i64> = (0..=days)
            .map(|d| local_midnight(tz, from + Duration::days(d)))
            .collect();
        let uniform = midnights
            .windows(2)
            .map(|w| w[1] - w[0] == DAY_MS && offset_ms(tz, w[0]) == offset_ms(tz, w[1] - 1))
            .collect();
        Ok(Period {
            from,
            tz,
            midnights,
            uniform,
            overdue_on: (to + Duration::days(1)).min(today),
        })
    }

    fn start(&self) -> i64 {
        self.midnights.first().copied().unwrap_or(0)
    }

    fn end(&self) -> i64 {
        self.midnights.last().copied().unwrap_or(0)
    }

    /// The local date of a time: from the period's midnights when it lies
    /// in the period, else converted in the zone.
    fn local_date(&self, ms: i64) -> NaiveDate {
        if (self.start()..self.end()).contains(&ms) {
            let day = self
                .midnights
                .partition_point(|m| *m <= ms)
                .saturating_sub(1);
            return self.from + Duration::days(day as i64);
        }
        DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&self.tz)
            .date_naive()
    }
}

/// A read-only connection to the database at `path`, for one figures
/// read (with the key of an encrypted database).
fn reader(path: &str, key: Option<&super::crypt::DataKey>) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags)?;
    if let Some(key) = key {
        super::apply_key(&conn, key)?;
    }
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// The first instant of a local day, in UTC milliseconds.
fn local_midnight(tz: Tz, day: NaiveDate) -> i64 {
    crate::domain::day::day_start(day, tz).timestamp_millis()
}

fn offset_ms(tz: Tz, ms: i64) -> i64 {
    let t = DateTime::from_timestamp_millis(ms).unwrap_or_default();
    i64::from(
        tz.offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
    ) * 1000
}

impl Store {
    /// Every station this database knows (its own and those learned by
    /// sync), by code (then name, then id: the same order at every
    /// replica, so that figures by station compare equal).
    pub fn stations(&self) -> super::Result<Vec<Station>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT id, code, name, time_zone FROM stations ORDER BY code, name, id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Station {
                id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                code: r.get(1)?,
                name: r.get(2)?,
                time_zone: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The figures of `from..=to` (local days) for one station or, with
    /// `None`, all stations; overdue follow-ups are counted on today, by
    /// this store's clock.
    pub fn figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        station: Option<StationId>,
    ) -> Result<Figures> {
        let today = self.figures_today(station)?;
        self.figures_on(from, to, station, today)
    }

    /// Today by this store's clock, in the time zone figures of `station`
    /// (or all stations) are read in.
    pub fn figures_today(&self, station: Option<StationId>) -> Result<NaiveDate> {
        let tz = self.figures_zone(station)?;
        let now = i64::try_from((self.clock)()).unwrap_or(0);
        Ok(DateTime::from_timestamp_millis(now)
            .unwrap_or_default()
            .with_timezone(&tz)
            .date_naive())
    }

    /// As [`Store::figures`], with overdue follow-ups counted on `today`.
    pub fn figures_on(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        station: Option<StationId>,
        today: NaiveDate,
    ) -> Result<Figures> {
        let p = Period::new(self.figures_zone(station)?, from, to, today)?;
        let listed = self.scope_stations(station)?;
        let stations: Vec<[u8; 16]> = listed.iter().map(|s| *s.id.as_bytes()).collect();
        let n = stations.len();
        let conn = self.conn();
        // The visits, the bulk of the work, are read on a second connection
        // in a thread of their own while the cases are read here; then this
        // connection takes its share of the stations not read yet. (A file
        // database only; the two reads may see states a write apart.)
        let next = AtomicUsize::new(0);
        let survivors = visits::survivors(conn)?;
        let read = |conn: &Connection| -> Result<visits::Tally> {
            let mut t = visits::Tally::new(&p, n);
            t.read(conn, &stations, &next, &p, &survivors)?;
            Ok(t)
        };
        let period = &p;
        let key = self.key.as_ref();
        let (theirs, cases, mine, referrals) = std::thread::scope(|s| {
            let theirs = conn.path().filter(|f| !f.is_empty()).and_then(|path| {
                let work = move || match reader(path, key) {
                    Ok(c) => read(&c),
                    // This connection reads them all.
                    Err(_) => Ok(visits::Tally::new(period, n)),
                };
                let thread = std::thread::Builder::new().name("figures".into());
                thread.spawn_scoped(s, work).ok()
            });
            let cases = cases::figures(conn, &stations, &p);
            // The referrals and the respondents at several stations here
            // too, while the thread reads visits: it takes more stations.
            let referrals = cases
                .as_ref()
                .ok()
                .map(|_| self.referral_figures(from, to, station));
            let mine = cases.is_ok().then(|| read(conn));
            let theirs = theirs.map(|t| t.join().unwrap_or(Err(FiguresError::Interrupted)));
            (theirs, cases, mine, referrals)
        });
        let cases = cases?;
        let referrals = referrals.unwrap_or_else(|| self.referral_figures(from, to, station))?;
        let mut tally = visits::Tally::new(&p, n);
        for t in [theirs, mine].into_iter().flatten() {
            tally.merge(t?);
        }
        let visits = tally.figures(&p, listed);
        let counselling = counselling::figures(conn, from, to)?;
        Ok(Figures {
            referrals,
            from,
            to,
            station,
            today,
            visits,
            cases,
            counselling,
        })
    }

    /// The referral figures of `from..=to` for one station or all.
    fn referral_figures(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        station: Option<StationId>,
    ) -> Result<ReferralFigures> {
        let own = station.map(|s| *s.as_bytes());
        let mut r = referrals::figures(self.conn(), from, to, own.as_ref())?;
        r.respondents_at_several_stations = self.count_respondents_at_several_stations(station)?;
        Ok(r)
    }

    /// The cases behind a case figure of `f` (of one case type, or all),
    /// oldest opened first: exactly the cases the figure counts.
    pub fn cases_for(
        &self,
        f: &Figures,
        figure: CaseFigure,
        case_type: Option<CaseType>,
    ) -> Result<Vec<CaseId>> {
        let p = Period::new(self.figures_zone(f.station)?, f.from, f.to, f.today)?;
        let stations = self.scope(f.station)?;
        let reads = behind::read(self.conn(), &stations, &p, figure)?;
        let mut out: Vec<(i64, &[u8; 16])> = reads
            .iter()
            .filter(|c| case_type.is_none_or(|t| c.case_type == t) && c.counts_in(figure))
            .map(|c| (c.opened_at, &c.id))
            .collect();
        out.sort_unstable();
        Ok(out
            .into_iter()
            .map(|(_, id)| CaseId(uuid::Uuid::from_bytes(*id)))
            .collect())
    }

    /// The time zone a period is read in: the station's, or this
    /// database's own for all stations.
    fn figures_zone(&self, station: Option<StationId>) -> Result<Tz> {
        match station {
            None => Ok(self.time_zone()?),
            Some(id) => {
                let s = self.station_by_id(id)?.ok_or(FiguresError::NoSuchStation)?;
                Ok(s.time_zone.parse().unwrap_or(chrono_tz::Asia::Shanghai))
            }
        }
    }

    /// The ids of the stations read: one, or every one known.
    fn scope(&self, station: Option<StationId>) -> Result<Vec<[u8; 16]>> {
        Ok(match station {
            Some(s) => vec![*s.as_bytes()],
            None => self.stations()?.iter().map(|s| *s.id.as_bytes()).collect(),
        })
    }

    /// The stations read: the one asked for, or every one known, by code.
    fn scope_stations(&self, station: Option<StationId>) -> Result<Vec<Station>> {
        Ok(match station {
            Some(id) => vec![self.station_by_id(id)?.ok_or(FiguresError::NoSuchStation)?],
            None => self.stations()?,
        })
    }
}

#[cfg(test)]
mod tests;
