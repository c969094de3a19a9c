//! The conflicts list: what sync found that staff should decide.
//!
//! Three things are listed:
//! - edits overwritten without being seen, and removals that hid an edit
//!   made elsewhere (`sync/conflicts.rs`; kept in the `conflicts` table,
//!   rebuilt with the record);
//! - one counsellor booked twice for overlapping times, by two stations
//!   while apart;
//! - one case number minted by two stations (two stations that used one
//!   station code before they first exchanged).
//!
//! Every decision is an ordinary edit, logged and synced: the other
//! stations see the conflict end when it reaches them.

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, Transaction, params};
use serde_json::Value;
use uuid::Uuid;

use super::apply::terms_of;
use super::oplog::{Entity, LoggedOp, OpRef, Ty, ops_of};
use super::search::reindex;
use super::{Result, Store, StoreError};
use crate::domain::ids::ReplicaId;
use crate::store::oplog::conflicts::{
    Conflict, ConflictKind, conflicts_of, removal, restore_value,
};
use crate::store::oplog::hlc::Hlc;

/// One entry of the conflicts list.
#[derive(Debug, Clone, PartialEq)]
pub struct Listed {
    /// Short and stable: names the entry on the command line.
    pub key: String,
    pub issue: Issue,
}

/// What is listed.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // a list of a few entries
pub enum Issue {
    /// An edit that lost (see [`ConflictKind`]).
    Record {
        conflict: Conflict,
        /// What the record is, for people: a name, a case number.
        record: String,
        /// The station that made each side, when known.
        winner_station: Option<String>,
        loser_station: Option<String>,
        /// The values as people read them (names for ids, yuan for money).
        winner_shown: Shown,
        loser_shown: Shown,
    },
    /// A counsellor booked twice for overlapping times.
    DoubleBooking {
        counsellor: String,
        date: String,
        /// Each session: start–end and who.
        sessions: Vec<(Uuid, String, String)>,
    },
    /// One case number held by several cases.
    SameCaseNumber { number: String, cases: Vec<Uuid> },
}

/// A value as shown: the UI words empty and yes/no in its language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shown {
    Empty,
    Yes,
    No,
    Text(String),
    /// Several fields (an edit of a removed record): field, value.
    Fields(Vec<(String, Shown)>),
    /// A value the person signed in may not read (session notes for anyone
    /// but a counsellor; a PIN hash for anyone).
    Hidden,
}

/// What staff decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The losing value becomes the value (a removed record is restored; a
    /// case number minted twice: the later case takes the next free one).
    Other,
    /// The standing value stays, and the loser is no longer listed.
    Keep,
}

/// Rebuilds the listed conflicts of one record from its operations.
/// `listed`: the list may already hold the record.
pub(crate) fn refresh(
    conn: &Connection,
    entity: Entity,
    id: &Uuid,
    ops: &[LoggedOp],
    listed: bool,
) -> Result<()> {
    let found = conflicts_of(entity, ops);
    if listed {
        conn.prepare_cached("DELETE FROM conflicts WHERE id = ?1")?
            .execute([id.as_bytes()])?;
    }
    for c in found {
        conn.prepare_cached(
            "INSERT OR REPLACE INTO conflicts (id, field, loser_origin, loser_hlc, entity, kind,
                 loser_value, winner_origin, winner_hlc, winner_value)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?
        .execute(params![
            id.as_bytes(),
            c.field,
            c.loser.origin.as_bytes(),
            c.loser.hlc.as_i64(),
            entity.code(),
            c.kind.code(),
            c.loser_value.to_string(),
            c.winner.origin.as_bytes(),
            c.winner.hlc.as_i64(),
            c.winner_value.to_string(),
        ])?;
    }
    Ok(())
}

/// After a local edit of a record that has listed conflicts: the edit knew
/// everything, so it may have settled some.
pub(crate) fn refresh_after_local_edit(
    tx: &Transaction<'_>,
    entity: Entity,
    id: &Uuid,
) -> Result<()> {
    let listed: Option<i64> = tx
        .prepare_cached("SELECT 1 FROM conflicts WHERE id = ?1 LIMIT 1")?
        .query_row([id.as_bytes()], |r| r.get(0))
        .optional()?;
    if listed.is_some() {
        let ops = ops_of(tx, id)?;
        refresh(tx, entity, id, &ops, true)?;
    }
    Ok(())
}

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<Conflict>> {
    let id: Vec<u8> = r.get(0)?;
    let loser_origin: Vec<u8> = r.get(2)?;
    let winner_origin: Vec<u8> = r.get(7)?;
    let json = |s: String| serde_json::from_str::<Value>(&s).unwrap_or(Value::Null);
    Ok((|| {
        Some(Conflict {
            id: Uuid::from_slice(&id).ok()?,
            field: r.get(1).ok()?,
            loser: OpRef {
                origin: ReplicaId::from_slice(&loser_origin)?,
                hlc: Hlc::from_i64(r.get(3).ok()?),
            },
            entity: Entity::from_code(r.get(4).ok()?)?,
            kind: ConflictKind::from_code(r.get(5).ok()?)?,
            loser_value: json(r.get(6).ok()?),
            winner: OpRef {
                origin: ReplicaId::from_slice(&winner_origin)?,
                hlc: Hlc::from_i64(r.get(8).ok()?),
            },
            winner_value: json(r.get(9).ok()?),
        })
    })())
}

/// A short key from some parts: 8 hex digits of their BLAKE3 hash.
fn key_of(parts: &[&[u8]]) -> String {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.finalize().to_hex()[..8].to_owned()
}

impl Store {
    /// The record conflicts as stored (no labels): for tests and digests.
    pub fn record_conflicts(&self) -> Result<Vec<Conflict>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, field, loser_origin, loser_hlc, entity, kind, loser_value,
                    winner_origin, winner_hlc, winner_value
             FROM conflicts ORDER BY id, field, loser_hlc, loser_origin",
        )?;
        let rows = stmt.query_map([], stored)?;
        let mut out = Vec::new();
        for r in rows {
            if let Some(c) = r? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// The whole conflicts list, records first (oldest loser first), then
    /// double bookings by date, then case numbers.
    pub fn conflicts(&self) -> Result<Vec<Listed>> {
        let mut out = Vec::new();
        let mut records = self.record_conflicts()?;
        records.sort_by_key(|c| (c.loser, c.id));
        for mut c in records {
            let key = key_of(&[
                c.id.as_bytes(),
                c.field.as_bytes(),
                c.loser.origin.as_bytes(),
                &c.loser.hlc.0.to_le_bytes(),
            ]);
            let winner_shown = self.shown(c.entity, &c.field, &c.winner_value)?;
            let loser_shown = match (&c.kind, &c.loser_value) {
                (ConflictKind::DeletedWhileEdited, Value::Object(m)) => {
                    let mut fields = Vec::new();
                    for (k, v) in m {
                        fields.push((k.clone(), self.shown(c.entity, k, v)?));
                    }
                    Shown::Fields(fields)
                }
                _ => self.shown(c.entity, &c.field, &c.loser_value)?,
            };
            // What may not be read is not handed out raw either.
            if winner_shown == Shown::Hidden {
                c.winner_value = Value::Null;
            }
            match (&loser_shown, &mut c.loser_value) {
                (Shown::Hidden, v) => *v = Value::Null,
                (Shown::Fields(fs), Value::Object(m)) => {
                    for (k, s) in fs {
                        if *s == Shown::Hidden {
                            m.insert(k.clone(), Value::Null);
                        }
                    }
                }
                _ => {}
            }
            out.push(Listed {
                key,
                issue: Issue::Record {
                    record: self.record_label(c.entity, &c.id)?,
                    winner_station: self.origin_station(c.winner.origin)?,
                    loser_station: self.origin_station(c.loser.origin)?,
                    winner_shown,
                    loser_shown,
                    conflict: c,
                },
            });
        }
        out.extend(self.double_bookings()?);
        out.extend(self.same_case_numbers()?);
        Ok(out)
    }

    /// How many entries the conflicts list has (the console's tab badge).
    pub fn conflict_count(&self) -> Result<usize> {
        Ok(self.conflicts()?.len())
    }

    fn double_bookings(&self) -> Result<Vec<Listed>> {
        // appointments_by_counsellor: pairs in one counsellor's day. Times
        // are "HH:MM" text, so they compare as times.
        let mut stmt = self.conn().prepare(
            "SELECT a.id, b.id, c.name, a.date
             FROM appointments a
             JOIN appointments b ON b.counsellor_id = a.counsellor_id AND b.date = a.date
                  AND b.id > a.id AND b.start < a.end AND b.end > a.start
             JOIN counsellors c ON c.id = a.counsellor_id
             WHERE a.status <> 'cancelled' AND b.status <> 'cancelled'
             ORDER BY a.date, c.name, a.start",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Vec<u8>>(0)?,
                r.get::<_, Vec<u8>>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        // Group overlapping pairs by counsellor and date.
        let mut groups: BTreeMap<(String, String), Vec<Vec<u8>>> = BTreeMap::new();
        for row in rows {
            let (a, b, name, date) = row?;
            let g = groups.entry((date, name)).or_default();
            for id in [a, b] {
                if !g.contains(&id) {
                    g.push(id);
                }
            }
        }
        let mut out = Vec::new();
        for ((date, counsellor), ids) in groups {
            let mut sessions = Vec::new();
            for id in &ids {
                let (start, end, who): (String, String, Option<String>) = self.conn().query_row(
                    "SELECT a.start, a.end, p.name FROM appointments a
                     LEFT JOIN people p ON p.id = a.person_id WHERE a.id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )?;
                let id = Uuid::from_slice(id).map_err(|_| StoreError::Corrupt("bad id".into()))?;
                sessions.push((id, format!("{start}–{end}"), who.unwrap_or_default()));
            }
            sessions.sort_by(|a, b| (&a.1, a.0).cmp(&(&b.1, b.0)));
            let parts: Vec<&[u8]> = ids.iter().map(Vec::as_slice).collect();
            out.push(Listed {
                key: key_of(&parts),
                issue: Issue::DoubleBooking {
                    counsellor,
                    date,
                    sessions,
                },
            });
        }
        Ok(out)
    }

    fn same_case_numbers(&self) -> Result<Vec<Listed>> {
        // cases_by_number, read whole (covering): a few thousand entries a
        // year.
        let mut stmt = self.conn().prepare(
            "SELECT code, year, seq FROM cases GROUP BY code, year, seq HAVING count(*) > 1
             ORDER BY code, year, seq",
        )?;
        let dups: Vec<(String, i64, i64)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::new();
        for (code, year, seq) in dups {
            let mut stmt = self.conn().prepare_cached(
                "SELECT id FROM cases WHERE code = ?1 AND year = ?2 AND seq = ?3
                 ORDER BY opened_at, id",
            )?;
            let cases: Vec<Uuid> = stmt
                .query_map(params![code, year, seq], |r| r.get::<_, Vec<u8>>(0))?
                .filter_map(|r| r.ok().and_then(|b| Uuid::from_slice(&b).ok()))
                .collect();
            let number = format!("{code}-{year}-{seq:04}");
            out.push(Listed {
                key: key_of(&[number.as_bytes()]),
                issue: Issue::SameCaseNumber { number, cases },
            });
        }
        Ok(out)
    }

    /// Decides the entry `key` of the conflicts list. Refused for a double
    /// booking: one of the sessions is cancelled or moved in the schedule.
    pub fn resolve_conflict(&mut self, key: &str, choice: Choice) -> Result<Listed> {
        let listed = self
            .conflicts()?
            .into_iter()
            .find(|l| l.key.eq_ignore_ascii_case(key.trim()))
            .ok_or(StoreError::NotFound("conflict"))?;
        match &listed.issue {
            Issue::Record { conflict: c, .. } => {
                let table = c.entity.table();
                let field = table
                    .cols
                    .iter()
                    .map(|(n, _)| *n)
                    .find(|n| *n == c.field)
                    .ok_or_else(|| StoreError::Corrupt(format!("no field {}", c.field)))?;
                let value = match (c.kind, choice) {
                    (ConflictKind::Field, Choice::Other) => c.loser_value.clone(),
                    (ConflictKind::Field, Choice::Keep) => c.winner_value.clone(),
                    (ConflictKind::DeletedWhileEdited, Choice::Other) => {
                        let ops = ops_of(self.conn(), &c.id)?;
                        restore_value(c.entity, &ops)
                            .ok_or_else(|| StoreError::Corrupt("cannot restore".into()))?
                    }
                    (ConflictKind::DeletedWhileEdited, Choice::Keep) => removal(c.entity)
                        .map(|(_, gone, _)| gone)
                        .ok_or_else(|| StoreError::Corrupt("cannot remove".into()))?,
                };
                let mut w = self.begin(None)?;
                let before = terms_of(w.tx(), c.entity, &c.id)?;
                w.update(c.entity, &c.id, &[(field, value)])?;
                // A name or a respondent is also what lookup finds.
                let after = terms_of(w.tx(), c.entity, &c.id)?;
                reindex(w.tx(), &c.id, &before, &after, false)?;
                w.commit()?;
            }
            Issue::DoubleBooking { .. } => return Err(StoreError::NotFound("conflict")),
            Issue::SameCaseNumber { cases, .. } => {
                if choice == Choice::Keep {
                    return Err(StoreError::NotFound("conflict"));
                }
                // The first opened keeps the number; the others take the
                // next free numbers of their code and year.
                let mut w = self.begin(None)?;
                for id in cases.iter().skip(1) {
                    let (code, year): (String, i64) = w.tx().query_row(
                        "SELECT code, year FROM cases WHERE id = ?1",
                        [id.as_bytes()],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )?;
                    let seq: i64 = w.tx().query_row(
                        "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE code = ?1 AND year = ?2",
                        params![code, year],
                        |r| r.get(0),
                    )?;
                    w.update(Entity::Case, id, &[("seq", Value::from(seq))])?;
                }
                w.commit()?;
            }
        }
        Ok(listed)
    }

    /// The station whose database made the operations of `origin`: the one
    /// that created its station record.
    pub fn origin_station(&self, origin: ReplicaId) -> Result<Option<String>> {
        // This database writes for its own station, also under a replica
        // id taken after a copy or a restore.
        if origin == self.replica_id() {
            return Ok(self.station()?.map(|s| s.name));
        }
        // ops primary key (origin, seq): the station is among its first
        // operations.
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT s.name FROM origins o JOIN ops ON ops.origin = o.idx
                 JOIN stations s ON s.id = ops.id
                 WHERE o.replica_id = ?1 AND ops.entity = ?2 LIMIT 1",
            )?
            .query_row(params![origin.as_bytes(), Entity::Station.code()], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// What a record is, for people.
    pub fn record_label(&self, entity: Entity, id: &Uuid) -> Result<String> {
        let q = |sql: &str| -> Result<Option<String>> {
            Ok(self
                .conn()
                .prepare_cached(sql)?
                .query_row([id.as_bytes()], |r| r.get::<_, Option<String>>(0))
                .optional()?
                .flatten())
        };
        const CASE_NO: &str = "c.code || '-' || c.year || '-' || substr('000' || c.seq, -4, 4)";
        let label = match entity {
            Entity::Station => q("SELECT name FROM stations WHERE id = ?1")?,
            Entity::Staff => q("SELECT name FROM staff WHERE id = ?1")?,
            // An erased person has no name: shown by the start of the id.
            Entity::Person => q("SELECT nullif(name, '') FROM people WHERE id = ?1")?,
            Entity::Visit => q("SELECT coalesce(nullif(p.name, ''), v.trade) || ' ' ||
                   strftime('%Y-%m-%d %H:%M', v.arrived_at / 1000, 'unixepoch', 'localtime')
                 FROM visits v LEFT JOIN people p ON p.id = v.person_id WHERE v.id = ?1")?,
            Entity::Case => q(&format!("SELECT {CASE_NO} FROM cases c WHERE c.id = ?1"))?,
            Entity::Claimant => q(&format!(
                "SELECT {CASE_NO} || ' ' || p.name FROM case_claimants x
                 JOIN cases c ON c.id = x.case_id JOIN people p ON p.id = x.person_id
                 WHERE x.id = ?1"
            ))?,
            Entity::Note => q(&format!(
                "SELECT {CASE_NO} FROM case_notes n JOIN cases c ON c.id = n.case_id WHERE n.id = ?1"
            ))?,
            Entity::Counsellor => q("SELECT name FROM counsellors WHERE id = ?1")?,
            Entity::Rule => q("SELECT c.name FROM availability_rules r
                 JOIN counsellors c ON c.id = r.counsellor_id WHERE r.id = ?1")?,
            Entity::Exception => q(
                "SELECT c.name || ' ' || e.date FROM availability_exceptions e
                 JOIN counsellors c ON c.id = e.counsellor_id WHERE e.id = ?1",
            )?,
            Entity::Appointment => q("SELECT c.name || ' ' || a.date || ' ' || a.start || ' ' ||
                    coalesce(p.name, '')
                 FROM appointments a JOIN counsellors c ON c.id = a.counsellor_id
                 LEFT JOIN people p ON p.id = a.person_id WHERE a.id = ?1")?,
            Entity::Waitlist => q("SELECT p.name FROM waitlist w
                 JOIN people p ON p.id = w.person_id WHERE w.id = ?1")?,
            Entity::Distinct => q("SELECT coalesce(nullif(a.name, ''), '?') || ' / ' ||
                    coalesce(nullif(b.name, ''), '?')
                 FROM distinct_pairs d LEFT JOIN people a ON a.id = d.first
                 LEFT JOIN people b ON b.id = d.second WHERE d.id = ?1")?,
            Entity::Handoff => q(&format!(
                "SELECT {CASE_NO} || ' ' || h.kind FROM handoffs h
                 JOIN cases c ON c.id = h.case_id WHERE h.id = ?1"
            ))?,
            Entity::Respondent => q("SELECT name FROM respondents WHERE id = ?1")?,
            Entity::Audit => q("SELECT a.action || ' ' || a.subject || ' ' ||
                    strftime('%Y-%m-%d %H:%M', a.at / 1000, 'unixepoch', 'localtime')
                 FROM audit_log a WHERE a.id = ?1")?,
        };
        Ok(label.unwrap_or_else(|| id.to_string()[..8].to_owned()))
    }

    /// A logged value as people read it.
    fn shown(&self, entity: Entity, field: &str, v: &Value) -> Result<Shown> {
        let ty = entity.table().ty(field);
        let may_read_notes = self
            .session()
            .is_some_and(|s| s.may(crate::domain::access::Act::SessionNotes));
        Ok(match (entity, field, v) {
            (_, _, Value::Null) => Shown::Empty,
            (Entity::Staff, "pin", _) => Shown::Hidden,
            (Entity::Appointment, "notes", _) if !may_read_notes => Shown::Hidden,
            // Numbers show masked here as in every list.
            (Entity::Person, "mobile", Value::String(s)) => Shown::Text(
                crate::domain::Mobile::parse(s).map_or_else(|_| "***".to_owned(), |m| m.masked()),
            ),
            (Entity::Person, "resident_id", Value::String(s)) => Shown::Text(
                crate::domain::ResidentId::parse(s)
                    .map_or_else(|_| "***".to_owned(), |r| r.masked()),
            ),
            _ => self.shown_plain(entity, field, ty, v)?,
        })
    }

    fn shown_plain(
        &self,
        _entity: Entity,
        field: &str,
        ty: Option<Ty>,
        v: &Value,
    ) -> Result<Shown> {
        Ok(match (ty, v) {
            (_, Value::Null) => Shown::Empty,
            (_, Value::Bool(true)) => Shown::Yes,
            (_, Value::Bool(false)) => Shown::No,
            (Some(Ty::Id), Value::String(s)) => {
                let id = Uuid::parse_str(s).ok();
                let target = match field {
                    "handler" | "actor" => Some(Entity::Staff),
                    "person_id" => Some(Entity::Person),
                    "counsellor_id" => Some(Entity::Counsellor),
                    "station_id" => Some(Entity::Station),
                    "case_id" => Some(Entity::Case),
                    _ => None,
                };
                match (id, target) {
                    (Some(id), Some(t)) => Shown::Text(self.record_label(t, &id)?),
                    _ => Shown::Text(s.clone()),
                }
            }
            (_, Value::Number(n)) if matches!(field, "claimed" | "recovered") => {
                Shown::Text(crate::domain::money::Fen(n.as_i64().unwrap_or(0)).yuan_string())
            }
            (_, Value::Number(n)) if field.ends_with("_at") => Shown::Text(
                n.as_i64()
                    .and_then(chrono::DateTime::from_timestamp_millis)
                    .map(|t| {
                        let tz = self.time_zone().unwrap_or(chrono_tz::Asia::Shanghai);
                        t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
                    })
                    .unwrap_or_else(|| n.to_string()),
            ),
            (_, Value::String(s)) => Shown::Text(s.clone()),
            (_, other) => Shown::Text(other.to_string()),
        })
    }
}
