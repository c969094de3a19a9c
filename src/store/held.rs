//! Operations held apart: another replica's operations dated further ahead
//! of this computer's clock than the bound (`hlc::AHEAD_MILLIS`, 30 days).
//!
//! One operation dated at the end of time (an insider with the passphrase,
//! a faulty build, a station whose clock reads the year 2100) must not
//! drag this replica's clock there, nor stand over every edit made here
//! since. So `apply_remote` keeps such an operation in `held_ops`, as it
//! came: not in the log, not folded into any record, not passed on to
//! others, and listed for staff ([`Store::held_apart`]: "N operations from
//! station X dated …"). It is applied, through the same path as any
//! received operation,
//!
//! - when the clock reaches it: every `apply_remote` (every file a sync
//!   reads) first applies the held operations that are no longer too far
//!   ahead, and [`Store::release_due`] does just that;
//! - when staff accept it ([`Store::accept_held`]: `waystation conflicts
//!   accept KEY`, `a` in F5). Accepting does not move this replica's clock
//!   past the bound either; an edit made here after seeing it still wins
//!   (`oplog::causal`).
//!
//! An erasure reaches held operations too: a held operation of an erased
//! person is redacted, as one in the log is.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::apply::Applied;
use super::erase::redact_fields;
use super::oplog::hlc::Hlc;
use super::oplog::{Entity, LoggedOp, encode_refs, read_op};
use super::{Result, Store, StoreError};
use crate::domain::access::Act;
use crate::domain::ids::ReplicaId;

/// The columns `read_op` reads, from `held_ops h` joined with `origins o`.
const HELD_COLUMNS: &str =
    "o.replica_id, h.seq, h.hlc, h.actor, h.entity, h.id, h.kind, h.payload, h.after";

/// The operations of one station held apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldApart {
    /// Names them for `waystation conflicts accept`: the first 8 hex
    /// digits of the origin's replica id.
    pub key: String,
    pub origin: ReplicaId,
    /// The station that made them, when this database knows it.
    pub station: Option<String>,
    pub count: usize,
    /// The dates of the earliest and the latest.
    pub first: DateTime<Utc>,
    pub last: DateTime<Utc>,
}

/// The key of an origin's held operations.
pub fn held_key(origin: ReplicaId) -> String {
    origin.0.as_simple().to_string()[..8].to_owned()
}

/// Keeps `op` of the origin numbered `origin` apart, with `fields` as its
/// payload. False when the log holds it already (a duplicate).
pub(crate) fn hold(
    conn: &Connection,
    origin: i64,
    op: &LoggedOp,
    fields: &Map<String, Value>,
    redacted: bool,
    now_ms: u64,
) -> Result<bool> {
    // ops primary key (origin, seq).
    let logged: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM ops WHERE origin = ?1 AND seq = ?2)")?
        .query_row(params![origin, op.seq], |r| r.get(0))?;
    if logged {
        return Ok(false);
    }
    let payload = serde_json::to_string(fields)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
    conn.prepare_cached(
        "INSERT OR IGNORE INTO held_ops
             (origin, seq, hlc, actor, entity, id, kind, payload, after, redacted, held_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?
    .execute(params![
        origin,
        op.seq,
        op.hlc.as_i64(),
        op.actor.as_ref().map(|a| a.as_bytes().as_slice()),
        op.entity.code(),
        op.id.as_bytes().as_slice(),
        op.kind,
        payload,
        encode_refs(&op.after),
        redacted,
        i64::try_from(now_ms).unwrap_or(i64::MAX),
    ])?;
    Ok(true)
}

/// Removes a held operation (it went into the log, or the log had it).
pub(crate) fn forget(conn: &Connection, origin: i64, seq: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM held_ops WHERE origin = ?1 AND seq = ?2")?
        .execute(params![origin, seq])?;
    Ok(())
}

/// The held operations no further ahead than `limit`: the clock has
/// reached them. Readings past [`Hlc::MAX`] are stored negative and never
/// due.
pub(crate) fn due(conn: &Connection, limit: Hlc) -> Result<Vec<LoggedOp>> {
    read(
        conn,
        &format!(
            "SELECT {HELD_COLUMNS} FROM held_ops h JOIN origins o ON o.idx = h.origin
             WHERE h.hlc BETWEEN 0 AND ?1 ORDER BY h.origin, h.seq"
        ),
        params![limit.as_i64()],
    )
}

fn read(conn: &Connection, sql: &str, args: impl rusqlite::Params) -> Result<Vec<LoggedOp>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(args, read_op)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r??);
    }
    Ok(out)
}

/// Redacts the held operations of person `id` (just erased) that still
/// hold a personal value.
pub(crate) fn redact_held(conn: &Connection, id: &Uuid) -> Result<usize> {
    let found: Vec<(i64, i64, String)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT origin, seq, payload FROM held_ops WHERE id = ?1 AND entity = ?2",
        )?;
        let rows = stmt.query_map(params![id.as_bytes(), Entity::Person.code()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut n = 0;
    for (origin, seq, payload) in found {
        let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(&payload) else {
            return Err(StoreError::Corrupt(format!(
                "held operation {seq} of a person has a bad payload"
            )));
        };
        if redact_fields(&mut fields) {
            conn.prepare_cached(
                "UPDATE held_ops SET payload = ?3, redacted = 1 WHERE origin = ?1 AND seq = ?2",
            )?
            .execute(params![origin, seq, Value::Object(fields).to_string()])?;
            n += 1;
        }
    }
    Ok(n)
}

impl Store {
    /// The operations held apart, one entry per station that made them,
    /// earliest first.
    pub fn held_apart(&self) -> Result<Vec<HeldApart>> {
        // Readings past Hlc::MAX are stored negative: as readings they
        // come after every non-negative one, and among themselves in the
        // order of their stored form.
        let groups: Vec<(Vec<u8>, i64, i64, i64)> = {
            let mut stmt = self.conn().prepare(
                "SELECT o.replica_id, count(*),
                        coalesce(min(CASE WHEN h.hlc >= 0 THEN h.hlc END), min(h.hlc)),
                        coalesce(max(CASE WHEN h.hlc < 0 THEN h.hlc END), max(h.hlc))
                 FROM held_ops h JOIN origins o ON o.idx = h.origin GROUP BY h.origin",
            )?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut out = Vec::new();
        for (origin, count, first, last) in groups {
            let origin = ReplicaId::from_slice(&origin)
                .ok_or_else(|| StoreError::Corrupt("origin with a bad id".into()))?;
            out.push(HeldApart {
                key: held_key(origin),
                origin,
                station: self.origin_station(origin)?,
                count: usize::try_from(count).unwrap_or(0),
                first: Hlc::from_i64(first).to_datetime(),
                last: Hlc::from_i64(last).to_datetime(),
            });
        }
        out.sort_by_key(|h| (h.first, h.origin));
        Ok(out)
    }

    /// Applies the held operations the clock has reached (`apply_remote`
    /// does this first at every call; a sync that reads no file can call
    /// this).
    pub fn release_due(&mut self) -> Result<Applied> {
        self.apply_remote(&[])
    }

    /// Applies the held operations of the station whose entry has `key`
    /// (see [`HeldApart::key`]), or all of them when `key` is `None`,
    /// whatever their dates. Needs the right to sync when someone is
    /// signed in. `StoreError::NotFound` when nothing is held under `key`.
    pub fn accept_held(&mut self, key: Option<&str>) -> Result<Applied> {
        if let Some(s) = self.session()
            && !s.may(Act::Sync)
        {
            return Err(StoreError::NotAllowed(Act::Sync));
        }
        let mut ops = read(
            self.conn(),
            &format!(
                "SELECT {HELD_COLUMNS} FROM held_ops h JOIN origins o ON o.idx = h.origin
                 ORDER BY h.origin, h.seq"
            ),
            [],
        )?;
        if let Some(key) = key {
            let key = key.trim().to_ascii_lowercase();
            ops.retain(|o| held_key(o.origin) == key);
        }
        if ops.is_empty() {
            return Err(StoreError::NotFound("held operations"));
        }
        self.apply_released(&ops)
    }

    /// [`Store::accept_held`] as staff do it: what was accepted is noted
    /// in the audit log, one entry per station whose operations they were.
    /// A computer whose clock cannot write (set years ahead) still
    /// accepts, and the log file says why it cannot note it.
    pub fn accept_held_noted(&mut self, key: Option<&str>) -> Result<Applied> {
        let before = self.held_apart()?;
        let applied = self.accept_held(key)?;
        let after = self.held_apart()?;
        for h in before {
            let left = after
                .iter()
                .find(|a| a.origin == h.origin)
                .map_or(0, |a| a.count);
            if left >= h.count {
                continue;
            }
            if let Err(e) = self.record_audit(
                super::audit::AuditAction::HeldAccept,
                super::audit::About::Records("network"),
                &serde_json::json!({
                    "origin": h.origin.0.to_string(),
                    "station": h.station,
                    "count": h.count - left,
                }),
            ) {
                tracing::warn!("accepted operations held apart, but cannot note it: {e}");
            }
        }
        Ok(applied)
    }
}
