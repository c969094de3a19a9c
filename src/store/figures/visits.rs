//! The visit figures: one pass over each station's range of
//! `visits_by_station_time`, in arrival order. Stations are taken from a
//! shared counter, so that two connections can share the work.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, Timelike};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};

use super::{HOUR_MS, Period, Result};
use crate::domain::person::Trade;
use crate::domain::station::Station;
use crate::domain::visit::Service;
use crate::store::figures::VisitFigures;
use crate::store::visits::counted;

/// The visits of one station arrived in a period, covering (no row read):
/// `person_id IS NULL` is computed from the person id in the entry.
/// An undone tally counts for no one (`counted!`, tested on the entry).
pub(super) const VISITS: &str = concat!(
    "SELECT arrived_at, headcount, trade, services, person_id IS NULL, person_id
     FROM visits INDEXED BY visits_by_station_time
     WHERE station_id = ?1 AND arrived_at >= ?2 AND arrived_at < ?3 AND ",
    counted!()
);

/// Headcount by service mask, trade, local hour and local day, for the
/// stations read so far; the service figures are summed from the masks at
/// the end. And the workers among the named visitors: each person as the
/// one they are shown as (merged people, `store/merge.rs`), once, once per
/// trade they were recorded with, and once per station they visited.
pub(super) struct Tally {
    by_mask: Vec<u64>,
    by_trade: Vec<u64>,
    by_hour: [u64; 24],
    daily: Vec<u64>,
    named: u64,
    anonymous: u64,
    workers: HashSet<[u8; 16]>,
    workers_by_trade: HashSet<(usize, [u8; 16])>,
    /// Distinct workers of each station of the figures, by its place in
    /// the list read: a station is read whole by one tally, so its count
    /// is final when its range is done (the other tallies hold 0 there).
    workers_by_station: Vec<u64>,
}

/// Each merged person and the one they are shown as.
pub(super) type Survivors = HashMap<[u8; 16], [u8; 16]>;

/// The survivors table, read once per figures.
pub(super) fn survivors(conn: &Connection) -> Result<Survivors> {
    let mut stmt = conn.prepare_cached("SELECT id, survivor FROM person_survivor")?;
    let rows = stmt.query_map([], |r| {
        Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Vec<u8>>(1)?))
    })?;
    let mut out = HashMap::new();
    for row in rows {
        let (a, b) = row?;
        if let (Ok(a), Ok(b)) = (<[u8; 16]>::try_from(a), <[u8; 16]>::try_from(b)) {
            out.insert(a, b);
        }
    }
    Ok(out)
}

impl Tally {
    /// An empty tally of `p` over `stations` stations.
    pub(super) fn new(p: &Period, stations: usize) -> Tally {
        Tally {
            by_mask: vec![0; 1 << Service::ALL.len()],
            by_trade: vec![0; Trade::ALL.len()],
            by_hour: [0; 24],
            daily: vec![0; p.uniform.len()],
            named: 0,
            anonymous: 0,
            workers: HashSet::new(),
            workers_by_trade: HashSet::new(),
            workers_by_station: vec![0; stations],
        }
    }

    /// Reads the stations `next` hands out until none is left.
    pub(super) fn read(
        &mut self,
        conn: &Connection,
        stations: &[[u8; 16]],
        next: &AtomicUsize,
        p: &Period,
        survivors: &Survivors,
    ) -> Result<()> {
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(station) = stations.get(i) else {
                break;
            };
            let workers = self.station(conn, station, p, survivors)?;
            if let Some(n) = self.workers_by_station.get_mut(i) {
                *n = workers;
            }
        }
        Ok(())
    }

    /// Reads one station's visits; returns how many distinct workers
    /// visited it.
    fn station(
        &mut self,
        conn: &Connection,
        station: &[u8; 16],
        p: &Period,
        survivors: &Survivors,
    ) -> Result<u64> {
        let mask = self.by_mask.len() - 1;
        let other = Trade::ALL
            .iter()
            .position(|t| *t == Trade::Other)
            .unwrap_or(0);
        let mut stmt = conn.prepare_cached(VISITS)?;
        let mut rows = stmt.query(params![&station[..], p.start(), p.end()])?;
        let mut day = 0usize;
        let mut here: HashSet<[u8; 16]> = HashSet::new();
        while let Some(r) = rows.next()? {
            let at: i64 = r.get(0)?;
            let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
            let trade = match r.get_ref(2)? {
                ValueRef::Text(t) => Trade::ALL.iter().position(|x| x.code().as_bytes() == t),
                _ => None,
            };
            let bits = usize::try_from(r.get::<_, i64>(3)?).unwrap_or(0) & mask;
            let anon: bool = r.get(4)?;
            // A station's rows come in arrival order.
            while day + 1 < self.daily.len() && at >= p.midnights[day + 1] {
                day += 1;
            }
            let hour = if p.uniform[day] {
                ((at - p.midnights[day]) / HOUR_MS).clamp(0, 23) as usize
            } else {
                let t = DateTime::from_timestamp_millis(at).unwrap_or_default();
                t.with_timezone(&p.tz).hour() as usize
            };
            // Unknown codes count as other.
            let trade = trade.unwrap_or(other);
            if anon {
                self.anonymous += n;
            } else {
                self.named += n;
                if n > 0
                    && let ValueRef::Blob(b) = r.get_ref(5)?
                    && let Ok(person) = <[u8; 16]>::try_from(b)
                {
                    let shown = survivors.get(&person).copied().unwrap_or(person);
                    self.workers.insert(shown);
                    self.workers_by_trade.insert((trade, shown));
                    here.insert(shown);
                }
            }
            self.by_trade[trade] += n;
            self.by_mask[bits] += n;
            self.by_hour[hour] += n;
            self.daily[day] += n;
        }
        Ok(here.len() as u64)
    }

    /// Adds another tally of the same period.
    pub(super) fn merge(&mut self, o: Tally) {
        let add = |a: &mut [u64], b: &[u64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.by_mask, &o.by_mask);
        add(&mut self.by_trade, &o.by_trade);
        add(&mut self.by_hour, &o.by_hour);
        add(&mut self.daily, &o.daily);
        add(&mut self.workers_by_station, &o.workers_by_station);
        self.named += o.named;
        self.anonymous += o.anonymous;
        self.workers.extend(o.workers);
        self.workers_by_trade.extend(o.workers_by_trade);
    }

    /// The figures of the tally; `stations` are those it read, in the
    /// order of the ids it was given.
    pub(super) fn figures(self, p: &Period, stations: Vec<Station>) -> VisitFigures {
        let by_service = (0..)
            .zip(Service::ALL)
            .map(|(i, s)| {
                let n = (0..)
                    .zip(&self.by_mask)
                    .filter(|(m, _)| m & (1 << i) != 0)
                    .map(|(_, n)| n)
                    .sum();
                (*s, n)
            })
            .collect();
        let mut workers_by_trade = vec![0u64; Trade::ALL.len()];
        for (t, _) in &self.workers_by_trade {
            workers_by_trade[*t] += 1;
        }
        VisitFigures {
            headcount: self.named + self.anonymous,
            named: self.named,
            anonymous: self.anonymous,
            workers: self.workers.len() as u64,
            workers_by_trade: Trade::ALL.iter().copied().zip(workers_by_trade).collect(),
            workers_by_station: stations.into_iter().zip(self.workers_by_station).collect(),
            by_trade: Trade::ALL.iter().copied().zip(self.by_trade).collect(),
            by_service,
            by_hour: self.by_hour,
            daily: (0..)
                .map(|d| p.from + Duration::days(d))
                .zip(self.daily)
                .collect(),
        }
    }
}
