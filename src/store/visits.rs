//! Visits: check-in, leaving, anonymous tallies, who is here now; and
//! the one rule of every read that lists or counts visits ([`counted`]).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

use super::oplog::Entity;
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::ValidationError;
use crate::domain::ids::{PersonId, StationId, VisitId};
use crate::domain::person::Trade;
use crate::domain::visit::{Services, Visit, check_left};

/// The condition every read that lists or counts visits puts on them: a
/// visit is one when its headcount is above 0. Undoing a tally
/// ([`Writer::undo_tally`]) sets its headcount to 0, since the log has no
/// deletion and the undo must travel with sync like any edit; the row
/// stays for the log, `check`, the digest and conflicts, and this keeps it
/// out of everything people read as visits: the here-now list, today's
/// count, a person's visits, the figures and the records behind them, and
/// `export visits`. A named visit always counts 1, so reads by person
/// (the lookup's last visit) need it only where they read rows anyway.
///
/// `counted!()` names the column bare, `counted!("v")` as `v.headcount`;
/// both are literals, for `concat!` in the statements' constants.
macro_rules! counted {
    () => {
        "headcount > 0"
    };
    ($table:literal) => {
        concat!($table, ".headcount > 0")
    };
}
pub(crate) use counted;

/// Someone in the station now, with the name to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentRow {
    pub visit: VisitId,
    pub person: Option<PersonId>,
    pub name: Option<String>,
    pub trade: Trade,
    pub headcount: u32,
    pub services: Services,
    pub arrived_at: DateTime<Utc>,
}

impl Writer<'_> {
    /// Records a visit (a named check-in or an anonymous tally) after
    /// checking it.
    pub fn record_visit(&mut self, v: &Visit) -> Result<()> {
        v.validate()?;
        self.create(
            Entity::Visit,
            &v.id.0,
            &[
                ("station_id", opt_id(Some(&v.station.0))),
                ("person_id", opt_id(v.person.as_ref().map(|p| &p.0))),
                ("headcount", Value::from(v.headcount)),
                ("trade", Value::from(v.trade.code())),
                ("services", Value::from(v.services.bits())),
                ("arrived_at", Value::from(v.arrived_at.timestamp_millis())),
                (
                    "left_at",
                    v.left_at
                        .map_or(Value::Null, |t| t.timestamp_millis().into()),
                ),
            ],
        )
    }

    /// Checks a registered person in at this station now.
    pub fn check_in(
        &mut self,
        person: PersonId,
        services: Services,
        arrived_at: DateTime<Utc>,
    ) -> Result<VisitId> {
        let station = self.own_station()?;
        let trade: Option<Trade> = self
            .tx()
            .prepare_cached("SELECT trade FROM people WHERE id = ?1")?
            .query_row([person.as_bytes()], |r| r.get(0))
            .optional()?;
        let trade = trade.ok_or(StoreError::NotFound("person"))?;
        let v = Visit::check_in(station.id, person, trade, services, arrived_at);
        self.record_visit(&v)?;
        Ok(v.id)
    }

    /// Adds an anonymous headcount of one trade who rested and drank
    /// water.
    pub fn tally(&mut self, trade: Trade, headcount: u32, at: DateTime<Utc>) -> Result<VisitId> {
        self.tally_with(trade, headcount, Services::tally_default(), at)
    }

    /// Adds an anonymous headcount of one trade who used `services`.
    pub fn tally_with(
        &mut self,
        trade: Trade,
        headcount: u32,
        services: Services,
        at: DateTime<Utc>,
    ) -> Result<VisitId> {
        let station = self.own_station()?;
        let v = Visit::tally_with(station.id, trade, headcount, services, at)?;
        self.record_visit(&v)?;
        Ok(v.id)
    }

    /// Marks a visitor as gone.
    pub fn mark_left(&mut self, visit: VisitId, at: DateTime<Utc>) -> Result<()> {
        let v = read_visit(self.tx(), visit)?.ok_or(StoreError::NotFound("visit"))?;
        check_left(v.arrived_at, Some(at))?;
        self.update(
            Entity::Visit,
            &visit.0,
            &[("left_at", Value::from(at.timestamp_millis()))],
        )
    }

    /// Takes back a leaving marked by mistake: the visitor is present
    /// again (`left_at` becomes null, as an operation like any other). A
    /// visit not marked left, or a tally (which leaves as it arrives),
    /// changes nothing.
    pub fn clear_left(&mut self, visit: VisitId) -> Result<()> {
        let v = read_visit(self.tx(), visit)?.ok_or(StoreError::NotFound("visit"))?;
        if v.is_tally() || v.left_at.is_none() {
            return Ok(());
        }
        self.update(Entity::Visit, &visit.0, &[("left_at", Value::Null)])
    }

    /// Undoes an anonymous headcount (a key pressed once too often): its
    /// headcount becomes 0, so it counts for no one, and the change is an
    /// operation like any other. A named visit is refused; undoing a tally
    /// twice changes nothing the second time.
    pub fn undo_tally(&mut self, visit: VisitId) -> Result<()> {
        let v = read_visit(self.tx(), visit)?.ok_or(StoreError::NotFound("visit"))?;
        if !v.is_tally() {
            return Err(ValidationError::NotATally.into());
        }
        if v.headcount == 0 {
            return Ok(());
        }
        self.update(Entity::Visit, &visit.0, &[("headcount", Value::from(0))])
    }

    /// Changes the services of a visit.
    pub fn set_services(&mut self, visit: VisitId, services: Services) -> Result<()> {
        self.update(
            Entity::Visit,
            &visit.0,
            &[("services", Value::from(services.bits()))],
        )
    }
}

impl Store {
    /// A visit by id, as stored: an undone tally too (headcount 0).
    pub fn visit(&self, id: VisitId) -> Result<Option<Visit>> {
        read_visit(self.conn(), id)
    }

    /// Named visitors who arrived since `since` and have not left, newest
    /// first. (A tally leaves as it arrives; one recorded without a leaving
    /// time is not a visitor either.)
    pub fn present_since(&self, since: DateTime<Utc>) -> Result<Vec<Visit>> {
        // Visits synced from other stations are not here.
        let station = self.station_id()?.map(|s| s.as_bytes().to_vec());
        let mut stmt = self.conn().prepare_cached(concat!(
            "SELECT id, station_id, person_id, headcount, trade, services, arrived_at, left_at
             FROM visits WHERE left_at IS NULL AND arrived_at >= ?1 AND person_id IS NOT NULL
                AND station_id = ?2 AND ",
            counted!(),
            " ORDER BY arrived_at DESC"
        ))?;
        let rows = stmt.query_map(params![since.timestamp_millis(), station], row_to_visit)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Who is in the station now, with names: as [`Store::present_since`],
    /// at most `limit` rows, newest first; a merged person as the one they
    /// were merged into. Reads the range of `visits_present` backwards and
    /// stops at `limit`.
    pub fn present_now(&self, since: DateTime<Utc>, limit: usize) -> Result<Vec<PresentRow>> {
        // Visits synced from other stations are not here.
        let station = self.station_id()?.map(|s| s.as_bytes().to_vec());
        let mut stmt = self.conn().prepare_cached(concat!(
            "SELECT v.id,
                    coalesce((SELECT survivor FROM person_survivor WHERE id = v.person_id),
                             v.person_id),
                    (SELECT name FROM people WHERE id =
                        coalesce((SELECT survivor FROM person_survivor WHERE id = v.person_id),
                                 v.person_id)),
                    v.trade, v.headcount, v.services, v.arrived_at
             FROM visits v WHERE v.left_at IS NULL AND v.arrived_at >= ?1
                AND v.person_id IS NOT NULL AND v.station_id = ?2 AND ",
            counted!("v"),
            " ORDER BY v.arrived_at DESC"
        ))?;
        // No bound LIMIT: SQLite would re-prepare the statement at each call.
        let rows = stmt.query_map(params![since.timestamp_millis(), station], |r| {
            Ok(PresentRow {
                visit: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                person: match r.get::<_, Option<Vec<u8>>>(1)? {
                    Some(b) => Some(id_col(&b)?),
                    None => None,
                },
                name: r.get(2)?,
                trade: r.get::<_, Trade>(3)?,
                headcount: r.get(4)?,
                services: Services::from_bits(r.get(5)?),
                arrived_at: DateTime::from_timestamp_millis(r.get(6)?).unwrap_or_default(),
            })
        })?;
        Ok(rows.take(limit).collect::<rusqlite::Result<_>>()?)
    }

    /// Headcount of this station's visits that arrived on `day` in its zone
    /// (named visits count 1, tallies their headcount).
    pub fn headcount_on(&self, day: NaiveDate) -> Result<u64> {
        let (from, to) = self.day_bounds(day)?;
        let station = self.station_id()?.map(|s| s.as_bytes().to_vec());
        Ok(self
            .conn()
            .prepare_cached(concat!(
                "SELECT coalesce(sum(headcount), 0) FROM visits
             WHERE arrived_at >= ?1 AND arrived_at < ?2 AND station_id = ?3 AND ",
                counted!()
            ))?
            .query_row(params![from, to, station], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The visits of one person, newest first.
    pub fn visits_of(&self, person: PersonId, limit: usize) -> Result<Vec<Visit>> {
        let mut stmt = self.conn().prepare_cached(VISITS_OF)?;
        // No bound LIMIT: SQLite would re-prepare the statement at each call.
        let rows = stmt.query_map(params![person.as_bytes()], row_to_visit)?;
        Ok(rows.take(limit).collect::<rusqlite::Result<_>>()?)
    }

    /// Start and end (milliseconds UTC) of a local calendar day.
    pub fn day_bounds(&self, day: NaiveDate) -> Result<(i64, i64)> {
        let (a, b) = crate::domain::day::day_bounds(day, self.time_zone()?);
        Ok((a.timestamp_millis(), b.timestamp_millis()))
    }
}

/// A person's visits, newest first: theirs and those of the people merged
/// into them (`store/merge.rs`).
pub(super) const VISITS_OF: &str = concat!(
    "SELECT id, station_id, person_id, headcount, trade, services, arrived_at, left_at
     FROM visits WHERE person_id IN
         (SELECT ?1 UNION ALL SELECT id FROM person_survivor WHERE survivor = ?1) AND ",
    counted!(),
    " ORDER BY arrived_at DESC"
);

/// One visit by id, whatever its headcount: the writes read it (undoing a
/// tally twice changes nothing the second time).
fn read_visit(conn: &Connection, id: VisitId) -> Result<Option<Visit>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, station_id, person_id, headcount, trade, services, arrived_at, left_at
             FROM visits WHERE id = ?1",
        )?
        .query_row([id.as_bytes()], row_to_visit)
        .optional()?)
}

fn row_to_visit(r: &rusqlite::Row<'_>) -> rusqlite::Result<Visit> {
    let time = |ms: i64| DateTime::from_timestamp_millis(ms).unwrap_or_default();
    Ok(Visit {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        station: id_col::<StationId>(&r.get::<_, Vec<u8>>(1)?)?,
        person: match r.get::<_, Option<Vec<u8>>>(2)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
        headcount: r.get(3)?,
        trade: r.get::<_, Trade>(4)?,
        services: Services::from_bits(r.get(5)?),
        arrived_at: time(r.get(6)?),
        left_at: r.get::<_, Option<i64>>(7)?.map(time),
    })
}
