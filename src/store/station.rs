//! The station of a database, and its staff.

use rusqlite::{OptionalExtension, params};
use serde_json::Value;

use super::oplog::{Entity, id_value};
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::ids::{StaffId, StationId};
use crate::domain::staff::{Role, Staff};
use crate::domain::station::{Station, parse_station_code, parse_station_name, parse_time_zone};

impl Store {
    /// Sets up the station of a new database. The station's id is this
    /// database's replica id. Refused when a station is already set.
    pub fn init_station(&mut self, code: &str, name: &str, time_zone: &str) -> Result<Station> {
        let code = parse_station_code(code)?;
        let name = parse_station_name(name)?;
        let tz = parse_time_zone(time_zone)?;
        if let Some(existing) = self.station()? {
            return Err(StoreError::StationExists(format!(
                "{} {}",
                existing.code, existing.name
            )));
        }
        let station = Station {
            id: StationId(self.replica_id().0),
            code,
            name,
            time_zone: tz.name().to_owned(),
        };
        let mut w = self.begin_unchecked(None)?;
        w.create(
            Entity::Station,
            &station.id.0,
            &[
                ("code", Value::from(station.code.as_str())),
                ("name", Value::from(station.name.as_str())),
                ("time_zone", Value::from(station.time_zone.as_str())),
            ],
        )?;
        w.tx().execute(
            "UPDATE replica SET station_id = ?1",
            [station.id.as_bytes()],
        )?;
        w.commit()?;
        Ok(station)
    }

    /// Changes this station's code (and, with `name`, its name). Cases
    /// opened from now on carry the new code; the numbers already given
    /// stay.
    pub fn update_station(&mut self, code: &str, name: Option<&str>) -> Result<Station> {
        let mut station = self.require_station()?;
        station.code = parse_station_code(code)?;
        if let Some(n) = name {
            station.name = parse_station_name(n)?;
        }
        let mut w = self.begin(None)?;
        w.update(
            Entity::Station,
            &station.id.0,
            &[
                ("code", Value::from(station.code.as_str())),
                ("name", Value::from(station.name.as_str())),
            ],
        )?;
        w.commit()?;
        Ok(station)
    }

    /// The name of another station (not `except`) that uses `code`.
    pub fn station_with_code(&self, code: &str, except: StationId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT name FROM stations WHERE code = ?1 AND id <> ?2 LIMIT 1")?
            .query_row(params![code, except.as_bytes()], |r| r.get(0))
            .optional()?)
    }

    /// This database's own station.
    pub fn station(&self) -> Result<Option<Station>> {
        let Some(id) = self.station_id()? else {
            return Ok(None);
        };
        self.station_by_id(id)
    }

    /// This database's own station, or the error that says how to set one.
    pub fn require_station(&self) -> Result<Station> {
        self.station()?.ok_or(StoreError::NoStation)
    }

    /// Any station known to this database (its own, or learned by sync).
    pub fn station_by_id(&self, id: StationId) -> Result<Option<Station>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT code, name, time_zone FROM stations WHERE id = ?1")?
            .query_row([id.as_bytes()], |r| {
                Ok(Station {
                    id,
                    code: r.get(0)?,
                    name: r.get(1)?,
                    time_zone: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// The station's time zone (Asia/Shanghai when none is set).
    pub fn time_zone(&self) -> Result<chrono_tz::Tz> {
        let name = self.station()?.map(|s| s.time_zone);
        Ok(name
            .and_then(|n| n.parse().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai))
    }

    /// All staff members, by name.
    pub fn staff(&self) -> Result<Vec<Staff>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT id, name, role, active FROM staff ORDER BY name")?;
        let rows = stmt.query_map([], |r| {
            Ok(Staff {
                id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
                name: r.get(1)?,
                role: r.get::<_, Role>(2)?,
                active: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The name of a staff member.
    pub fn staff_name(&self, id: StaffId) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT name FROM staff WHERE id = ?1",
                params![id.as_bytes()],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl Writer<'_> {
    /// This station, as seen inside the write.
    pub(crate) fn own_station(&mut self) -> Result<Station> {
        if let Some(s) = &self.station {
            return Ok(s.clone());
        }
        let row: Option<(Vec<u8>, String, String, String)> = self
            .tx()
            .query_row(
                "SELECT s.id, s.code, s.name, s.time_zone FROM replica r
                 JOIN stations s ON s.id = r.station_id",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let (id, code, name, time_zone) = row.ok_or(StoreError::NoStation)?;
        let station = Station {
            id: id_col(&id)?,
            code,
            name,
            time_zone,
        };
        self.station = Some(station.clone());
        Ok(station)
    }
}

/// The JSON form of an optional id.
pub(crate) fn opt_id(id: Option<&uuid::Uuid>) -> Value {
    id.map_or(Value::Null, id_value)
}
