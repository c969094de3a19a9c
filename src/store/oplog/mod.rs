//! The operation log and the one write path that goes through it.
//!
//! Every change is an operation: origin replica, per-origin sequence number,
//! hybrid logical clock, actor, entity kind and id, and a JSON object of the
//! fields it sets. A record's row is the fold of its operations: per field,
//! of the setters no other setter knew, the one with the greatest `(hlc,
//! origin)` wins (`causal.rs`). A local write is made knowing every
//! operation of the record, so it is applied directly; applying another
//! replica's operations later uses the same fold.

pub mod causal;
pub mod conflicts;
pub mod hlc;

pub use causal::fold;

use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{OptionalExtension, Transaction, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{Result, StoreError};
use crate::domain::ids::{ReplicaId, StaffId};
use hlc::Hlc;

/// The kinds of record. The numbers are stored in the log: never reuse one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Entity {
    Station = 1,
    Staff = 2,
    Person = 3,
    Visit = 4,
    Case = 5,
    Claimant = 6,
    Note = 7,
    Counsellor = 8,
    Rule = 9,
    Exception = 10,
    Appointment = 11,
    Waitlist = 12,
    /// Append-only: who exported (later viewed, unmasked) what, when.
    Audit = 13,
    /// Two people staff judged to be two workers, not one: the pair no
    /// longer listed as duplicates (`store/duplicates.rs`).
    Distinct = 14,
    /// A referral, escalation or hand-over of a case (`store/handoffs.rs`).
    Handoff = 15,
    /// An employer or other party claims are against (`store/respondents.rs`).
    Respondent = 16,
}

/// How a field is stored in its table and written in the log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    /// TEXT column, JSON string.
    Text,
    /// INTEGER column, JSON integer.
    Int,
    /// INTEGER 0/1 column, JSON boolean.
    Bool,
    /// 16-byte BLOB column, JSON UUID string.
    Id,
}

/// A record table: its name and its fields (besides `id`).
#[derive(Debug)]
pub struct Table {
    pub entity: Entity,
    pub name: &'static str,
    pub cols: &'static [(&'static str, Ty)],
}

use Ty::{Bool, Id, Int, Text};

const TABLES: &[Table] = &[
    Table {
        entity: Entity::Station,
        name: "stations",
        cols: &[("code", Text), ("name", Text), ("time_zone", Text)],
    },
    Table {
        entity: Entity::Staff,
        name: "staff",
        cols: &[
            ("name", Text),
            ("role", Text),
            ("active", Bool),
            ("pin", Text),
        ],
    },
    Table {
        entity: Entity::Person,
        name: "people",
        cols: &[
            ("name", Text),
            ("mobile", Text),
            ("resident_id", Text),
            ("trade", Text),
            ("employer", Text),
            ("union_member", Bool),
            ("union_joined", Text),
            ("created_at", Int),
            ("erased", Bool),
            ("merged_into", Id),
        ],
    },
    Table {
        entity: Entity::Visit,
        name: "visits",
        cols: &[
            ("station_id", Id),
            ("person_id", Id),
            ("headcount", Int),
            ("trade", Text),
            ("services", Int),
            ("arrived_at", Int),
            ("left_at", Int),
        ],
    },
    Table {
        entity: Entity::Case,
        name: "cases",
        cols: &[
            ("code", Text),
            ("year", Int),
            ("seq", Int),
            ("station_id", Id),
            ("case_type", Text),
            ("hardship_kind", Text),
            ("status", Text),
            ("summary", Text),
            ("respondent", Text),
            ("claimed", Int),
            ("recovered", Int),
            ("handler", Id),
            ("follow_up", Text),
            ("referral", Text),
            ("outcome", Text),
            ("close_reason", Text),
            ("opened_at", Int),
            ("concluded_at", Int),
            ("respondent_id", Id),
            ("infringed_on", Text),
        ],
    },
    Table {
        entity: Entity::Claimant,
        name: "case_claimants",
        cols: &[
            ("case_id", Id),
            ("person_id", Id),
            ("removed", Bool),
            ("claimed", Int),
            ("recovered", Int),
        ],
    },
    Table {
        entity: Entity::Note,
        name: "case_notes",
        cols: &[("case_id", Id), ("body", Text)],
    },
    Table {
        entity: Entity::Counsellor,
        name: "counsellors",
        cols: &[("name", Text), ("kind", Text), ("active", Bool)],
    },
    Table {
        entity: Entity::Rule,
        name: "availability_rules",
        cols: &[
            ("counsellor_id", Id),
            ("weekday", Int),
            ("weeks", Int),
            ("start", Text),
            ("end", Text),
            ("slot_minutes", Int),
            ("valid_from", Text),
            ("valid_until", Text),
            ("active", Bool),
        ],
    },
    Table {
        entity: Entity::Exception,
        name: "availability_exceptions",
        cols: &[
            ("counsellor_id", Id),
            ("date", Text),
            ("kind", Text),
            ("start", Text),
            ("end", Text),
            ("slot_minutes", Int),
            ("active", Bool),
        ],
    },
    Table {
        entity: Entity::Appointment,
        name: "appointments",
        cols: &[
            ("counsellor_id", Id),
            ("person_id", Id),
            ("date", Text),
            ("start", Text),
            ("end", Text),
            ("status", Text),
            ("follow_up", Text),
            ("notes", Text),
            ("booked_at", Int),
        ],
    },
    Table {
        entity: Entity::Waitlist,
        name: "waitlist",
        cols: &[
            ("person_id", Id),
            ("counsellor_id", Id),
            ("kind", Text),
            ("week", Text),
            ("note", Text),
            ("status", Text),
            ("added_at", Int),
        ],
    },
    Table {
        entity: Entity::Audit,
        name: "audit_log",
        cols: &[
            ("at", Int),
            ("station_id", Id),
            ("actor", Id),
            ("action", Text),
            ("subject", Text),
            ("detail", Text),
        ],
    },
    Table {
        entity: Entity::Distinct,
        name: "distinct_pairs",
        cols: &[("first", Id), ("second", Id), ("dismissed", Bool)],
    },
    Table {
        entity: Entity::Handoff,
        name: "handoffs",
        cols: &[
            ("case_id", Id),
            ("kind", Text),
            ("target", Text),
            ("from_station", Id),
            ("to_station", Id),
            ("agency", Text),
            ("reference", Text),
            ("asked", Text),
            ("sent_on", Text),
            ("due", Text),
            ("status", Text),
            ("reason", Text),
            ("outcome", Text),
            ("result", Text),
            ("accepted_on", Text),
            ("concluded_on", Text),
        ],
    },
    Table {
        entity: Entity::Respondent,
        name: "respondents",
        cols: &[
            ("name", Text),
            ("credit_code", Text),
            ("platform", Text),
            ("address", Text),
            ("contact", Text),
            ("merged_into", Id),
        ],
    },
];

impl Entity {
    /// Every kind, in the order the digest reads them.
    pub const ALL: [Entity; 16] = [
        Entity::Station,
        Entity::Staff,
        Entity::Person,
        Entity::Visit,
        Entity::Case,
        Entity::Claimant,
        Entity::Note,
        Entity::Counsellor,
        Entity::Rule,
        Entity::Exception,
        Entity::Appointment,
        Entity::Waitlist,
        Entity::Audit,
        Entity::Distinct,
        Entity::Handoff,
        Entity::Respondent,
    ];

    /// The stored number.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// Reads a stored number.
    pub fn from_code(code: i64) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.code() == code)
    }

    /// The name of the kind in subjects (`person:<id>`) and in the
    /// catalogue (`record.kind.person`).
    pub fn name(self) -> &'static str {
        match self {
            Entity::Station => "station",
            Entity::Staff => "staff",
            Entity::Person => "person",
            Entity::Visit => "visit",
            Entity::Case => "case",
            Entity::Claimant => "claimant",
            Entity::Note => "note",
            Entity::Counsellor => "counsellor",
            Entity::Rule => "rule",
            Entity::Exception => "exception",
            Entity::Appointment => "appointment",
            Entity::Waitlist => "waitlist",
            Entity::Audit => "audit",
            Entity::Distinct => "distinct",
            Entity::Handoff => "handoff",
            Entity::Respondent => "respondent",
        }
    }

    /// The kind in words, from the catalogue (`record.kind.<name>`).
    pub fn words(self, lang: crate::i18n::Lang) -> &'static str {
        crate::i18n::catalogue::lookup(lang, &format!("record.kind.{}", self.name()))
            .unwrap_or(self.name())
    }

    /// The table that holds records of this kind.
    pub fn table(self) -> &'static Table {
        // TABLES is listed in the order of ALL, which `tables_match` tests.
        &TABLES[self as usize - 1]
    }
}

impl crate::i18n::Localized for Entity {
    /// The kind of record in words ("case", "claimant" …), from the one
    /// vocabulary of `locales/records.toml`, the same in F5, F6, the audit
    /// log and the conflicts list.
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        self.words(lang).to_owned()
    }
}

impl Table {
    /// The type of a field, if the table has it.
    pub fn ty(&self, field: &str) -> Option<Ty> {
        self.cols.iter().find(|(n, _)| *n == field).map(|(_, t)| *t)
    }
}

/// Op kinds as stored.
pub const OP_CREATE: i64 = 0;
pub const OP_UPDATE: i64 = 1;

/// Converts a logged value into the column value.
pub fn to_sql(ty: Ty, v: &Value) -> Result<SqlValue> {
    let bad = || StoreError::Corrupt(format!("value {v} does not fit a {ty:?} field"));
    Ok(match (ty, v) {
        (_, Value::Null) => SqlValue::Null,
        (Ty::Text, Value::String(s)) => SqlValue::Text(s.clone()),
        (Ty::Int, Value::Number(n)) => SqlValue::Integer(n.as_i64().ok_or_else(bad)?),
        (Ty::Bool, Value::Bool(b)) => SqlValue::Integer(i64::from(*b)),
        (Ty::Id, Value::String(s)) => {
            SqlValue::Blob(Uuid::parse_str(s).map_err(|_| bad())?.as_bytes().to_vec())
        }
        _ => return Err(bad()),
    })
}

/// Converts a column value back into its logged form.
pub fn from_sql(ty: Ty, v: ValueRef<'_>) -> Value {
    match (ty, v) {
        (_, ValueRef::Null) => Value::Null,
        (Ty::Bool, ValueRef::Integer(i)) => Value::Bool(i != 0),
        (_, ValueRef::Integer(i)) => Value::from(i),
        (Ty::Id, ValueRef::Blob(b)) => Uuid::from_slice(b)
            .map(|u| Value::String(u.to_string()))
            .unwrap_or(Value::Null),
        (_, ValueRef::Text(t)) => Value::String(String::from_utf8_lossy(t).into_owned()),
        (_, ValueRef::Real(r)) => Value::from(r),
        (_, ValueRef::Blob(b)) => Value::String(format!("{b:02x?}")),
    }
}

/// The JSON form of an id.
pub fn id_value(id: &Uuid) -> Value {
    Value::String(id.to_string())
}

/// Fields of one operation: name and new value.
pub type Fields<'a> = &'a [(&'static str, Value)];

/// A transaction whose every change is logged. Dropping it without
/// [`Writer::commit`] rolls everything back.
pub struct Writer<'c> {
    tx: Transaction<'c>,
    origin: i64,
    seq: i64,
    hlc: Hlc,
    actor: Option<StaffId>,
    clock: fn() -> u64,
    /// This station, read once per write when first needed.
    pub(crate) station: Option<crate::domain::station::Station>,
    /// Inside a [`super::Store::bulk_load`]: lookup terms are sorted in at
    /// its end.
    pub(crate) bulk: bool,
    /// Whether this write sets up a database where nobody could sign in
    /// when it first changed staff (see `store/staff.rs`).
    pub(crate) staff_setup: Option<bool>,
}

impl<'c> Writer<'c> {
    pub(crate) fn new(
        tx: Transaction<'c>,
        origin: i64,
        seq: i64,
        hlc: Hlc,
        actor: Option<StaffId>,
        clock: fn() -> u64,
    ) -> Self {
        Writer {
            tx,
            origin,
            seq,
            hlc,
            actor,
            clock,
            station: None,
            staff_setup: None,
            bulk: false,
        }
    }

    /// The transaction, for reads inside the write.
    pub(crate) fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }

    /// The staff member this write is made by (none before sign-in).
    pub fn actor(&self) -> Option<StaffId> {
        self.actor
    }

    /// The clock reading the last operation of this write got.
    pub fn hlc(&self) -> Hlc {
        self.hlc
    }

    /// The wall clock this write reads (the store's, see
    /// `Store::set_clock`), for times a record keeps of its own making.
    pub(crate) fn now(&self) -> chrono::DateTime<chrono::Utc> {
        i64::try_from((self.clock)())
            .ok()
            .and_then(chrono::DateTime::from_timestamp_millis)
            .unwrap_or_default()
    }

    /// Logs and applies the creation of a record.
    pub fn create(&mut self, entity: Entity, id: &Uuid, fields: Fields<'_>) -> Result<()> {
        self.log(entity, id, OP_CREATE, fields, &[])?;
        let table = entity.table();
        let mut sql = format!("INSERT INTO {} (id", table.name);
        for (name, _) in fields {
            sql.push_str(", ");
            sql.push_str(name);
        }
        sql.push_str(") VALUES (?1");
        for i in 0..fields.len() {
            sql.push_str(&format!(", ?{}", i + 2));
        }
        sql.push(')');
        let mut values = Vec::with_capacity(fields.len() + 1);
        values.push(SqlValue::Blob(id.as_bytes().to_vec()));
        for (name, v) in fields {
            values.push(to_sql(field_ty(table, name)?, v)?);
        }
        self.tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    /// Logs and applies a change of some fields of an existing record.
    pub fn update(&mut self, entity: Entity, id: &Uuid, fields: Fields<'_>) -> Result<()> {
        if fields.is_empty() {
            return Ok(());
        }
        // An erased person takes no personal value again (a form left open
        // while an admin erased them, a sync that brought the erasure):
        // to the console, that person is gone.
        if entity == Entity::Person
            && super::erase::sets_personal(fields)
            && super::erase::is_erased(&self.tx, id)?
        {
            return Err(StoreError::NotFound("person"));
        }
        let table = entity.table();
        let mut sql = format!("UPDATE {} SET ", table.name);
        let mut values = Vec::with_capacity(fields.len() + 1);
        for (i, (name, v)) in fields.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("{name} = ?{}", i + 1));
            values.push(to_sql(field_ty(table, name)?, v)?);
        }
        sql.push_str(&format!(" WHERE id = ?{}", fields.len() + 1));
        values.push(SqlValue::Blob(id.as_bytes().to_vec()));
        let changed = self
            .tx
            .prepare_cached(&sql)?
            .execute(rusqlite::params_from_iter(values))?;
        if changed != 1 {
            return Err(StoreError::NotFound("record"));
        }
        if self.bulk {
            // A bulk load writes a fresh database: no other origin's
            // operations, nothing listed.
            return self.log(entity, id, OP_UPDATE, fields, &[]);
        }
        let seen = seen_of(&self.tx, self.origin, id)?;
        self.log(entity, id, OP_UPDATE, fields, &seen)?;
        super::conflicts::refresh_after_local_edit(&self.tx, entity, id)
    }

    fn log(
        &mut self,
        entity: Entity,
        id: &Uuid,
        kind: i64,
        fields: Fields<'_>,
        after: &[OpRef],
    ) -> Result<()> {
        self.seq += 1;
        let wall = (self.clock)();
        self.hlc = match self.hlc.tick(wall) {
            Some(next) => next,
            // The clock is at its last reading (it took an accepted
            // operation dated at the end of time while the wall clock was
            // near it): it goes on from the wall clock. This origin's
            // operations are ordered by their sequence numbers, and an
            // edit by what it was made knowing (`causal.rs`).
            None => {
                let from = Hlc::from_millis(wall).ok_or(StoreError::Clock(wall))?;
                tracing::warn!(
                    clock = self.hlc.0,
                    "the clock is at its end: going on from the wall clock"
                );
                from
            }
        };
        let payload = serde_json::to_string(&Payload(fields))
            .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
        self.tx
            .prepare_cached(
                "INSERT INTO ops (origin, seq, hlc, actor, entity, id, kind, payload, after)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                self.origin,
                self.seq,
                self.hlc.as_i64(),
                self.actor.as_ref().map(|a| a.as_bytes().as_slice()),
                entity.code(),
                id.as_bytes().as_slice(),
                kind,
                payload,
                encode_refs(after),
            ])?;
        Ok(())
    }

    /// Commits every change and its operations together.
    pub fn commit(self) -> Result<()> {
        self.tx.execute(
            "UPDATE replica SET last_seq = ?1, last_hlc = ?2",
            params![self.seq, self.hlc.as_i64()],
        )?;
        self.tx.commit()?;
        Ok(())
    }
}

/// Serialises fields as a JSON object without copying them into a map.
struct Payload<'a>(Fields<'a>);

impl serde::Serialize for Payload<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

fn field_ty(table: &Table, name: &str) -> Result<Ty> {
    table
        .ty(name)
        .ok_or_else(|| StoreError::Corrupt(format!("{} has no field {name}", table.name)))
}

/// What a local edit of record `id` is made knowing, besides this
/// replica's own earlier operations: the latest operation of the record
/// from each other origin (by sequence number: knowing it is knowing the
/// origin's earlier ones, whatever their clocks).
fn seen_of(tx: &Transaction<'_>, own: i64, id: &Uuid) -> Result<Vec<OpRef>> {
    // ops_by_entity: the record's operations, a handful. SQLite takes the
    // bare column `hlc` from the row of max(seq).
    let mut stmt = tx.prepare_cached(
        "SELECT o.replica_id, ops.hlc, max(ops.seq) FROM ops JOIN origins o ON o.idx = ops.origin
         WHERE ops.id = ?1 AND ops.origin <> ?2 GROUP BY ops.origin",
    )?;
    let rows = stmt.query_map(params![id.as_bytes(), own], |r| {
        Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (origin, hlc) = row?;
        let origin = ReplicaId::from_slice(&origin)
            .ok_or_else(|| StoreError::Corrupt("origin with a bad id".into()))?;
        out.push(OpRef {
            hlc: Hlc::from_i64(hlc),
            origin,
        });
    }
    out.sort();
    Ok(out)
}

/// The local number of a replica id, registering it on first sight.
pub(crate) fn origin_index(conn: &rusqlite::Connection, replica: ReplicaId) -> Result<i64> {
    let found: Option<i64> = conn
        .query_row(
            "SELECT idx FROM origins WHERE replica_id = ?1",
            [replica.as_bytes()],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(i) = found {
        return Ok(i);
    }
    conn.execute(
        "INSERT INTO origins (replica_id) VALUES (?1)",
        [replica.as_bytes()],
    )?;
    Ok(conn.last_insert_rowid())
}

/// One logged operation as read back.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedOp {
    pub origin: ReplicaId,
    pub seq: i64,
    pub hlc: Hlc,
    pub actor: Option<StaffId>,
    pub entity: Entity,
    pub id: Uuid,
    pub kind: i64,
    pub fields: Map<String, Value>,
    /// Operations of the same record, by other origins, that the writer had
    /// seen (the latest of each such origin when it wrote): with the
    /// earlier operations of its own origin, which it always saw, they say
    /// what this operation was made knowing. Empty for a creation.
    pub after: Vec<OpRef>,
}

impl LoggedOp {
    /// This operation's place in the order of the log.
    pub fn stamp(&self) -> OpRef {
        OpRef {
            hlc: self.hlc,
            origin: self.origin,
        }
    }
}

/// Names one operation: its clock reading and its origin. Unique (one
/// origin never gives two operations the same reading), and ordered as the
/// fold orders operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OpRef {
    pub hlc: Hlc,
    pub origin: ReplicaId,
}

/// Bytes of one [`OpRef`] as stored: hlc (8, big-endian) then origin (16).
pub const OP_REF_LEN: usize = 24;

/// The stored form of a list of references: `None` when empty.
pub fn encode_refs(refs: &[OpRef]) -> Option<Vec<u8>> {
    if refs.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(refs.len() * OP_REF_LEN);
    for r in refs {
        out.extend_from_slice(&r.hlc.0.to_be_bytes());
        out.extend_from_slice(r.origin.as_bytes());
    }
    Some(out)
}

/// Reads the stored form of a list of references.
pub fn decode_refs(bytes: &[u8]) -> Option<Vec<OpRef>> {
    if !bytes.len().is_multiple_of(OP_REF_LEN) {
        return None;
    }
    bytes
        .chunks_exact(OP_REF_LEN)
        .map(|c| {
            let hlc = Hlc(u64::from_be_bytes(c[..8].try_into().ok()?));
            let origin = ReplicaId::from_slice(&c[8..])?;
            Some(OpRef { hlc, origin })
        })
        .collect()
}

/// The operations of one record, oldest first.
pub fn ops_of(conn: &rusqlite::Connection, id: &Uuid) -> Result<Vec<LoggedOp>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {OP_COLUMNS} FROM ops JOIN origins o ON o.idx = ops.origin
         WHERE ops.id = ?1 ORDER BY ops.hlc"
    ))?;
    let rows = stmt.query_map([id.as_bytes()], read_op)?;
    let mut out = Vec::new();
    for r in rows {
        out.push(r??);
    }
    out.sort_by_key(|o| (o.hlc, o.origin, o.seq));
    Ok(out)
}

/// The columns [`read_op`] reads, in its order, from `ops` joined with
/// `origins o`.
pub(crate) const OP_COLUMNS: &str = "o.replica_id, ops.seq, ops.hlc, ops.actor, ops.entity, ops.id, ops.kind, ops.payload, ops.after";

/// Reads one op row selected with [`OP_COLUMNS`].
pub(crate) fn read_op(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<LoggedOp>> {
    let origin: Vec<u8> = r.get(0)?;
    let after: Option<Vec<u8>> = r.get(8)?;
    let actor: Option<Vec<u8>> = r.get(3)?;
    let entity: i64 = r.get(4)?;
    let id: Vec<u8> = r.get(5)?;
    let payload: String = r.get(7)?;
    let seq = r.get(1)?;
    let hlc = Hlc::from_i64(r.get(2)?);
    let kind = r.get(6)?;
    Ok((|| {
        let bad = |what: &str| StoreError::Corrupt(format!("operation with bad {what}"));
        Ok(LoggedOp {
            origin: ReplicaId::from_slice(&origin).ok_or_else(|| bad("origin"))?,
            seq,
            hlc,
            actor: actor.as_deref().and_then(StaffId::from_slice),
            entity: Entity::from_code(entity).ok_or_else(|| bad("entity kind"))?,
            id: Uuid::from_slice(&id).map_err(|_| bad("id"))?,
            kind,
            fields: match serde_json::from_str(&payload) {
                Ok(Value::Object(m)) => m,
                _ => return Err(bad("payload")),
            },
            after: match after {
                None => Vec::new(),
                Some(b) => decode_refs(&b).ok_or_else(|| bad("references"))?,
            },
        })
    })())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_match() {
        for e in Entity::ALL {
            assert_eq!(e.table().entity, e);
            assert_eq!(Entity::from_code(e.code()), Some(e));
        }
        assert_eq!(Entity::from_code(99), None);
    }

    #[test]
    fn values_round_trip_through_columns() {
        let id = Uuid::now_v7();
        for (ty, v) in [
            (Ty::Text, Value::from("张三")),
            (Ty::Int, Value::from(169_740_000i64)),
            (Ty::Bool, Value::Bool(true)),
            (Ty::Id, id_value(&id)),
            (Ty::Text, Value::Null),
        ] {
            let sql = to_sql(ty, &v).unwrap();
            assert_eq!(from_sql(ty, ValueRef::from(&sql)), v);
        }
        assert!(to_sql(Ty::Int, &Value::from("x")).is_err());
        assert!(to_sql(Ty::Id, &Value::from("not-a-uuid")).is_err());
    }

    fn op(origin: ReplicaId, hlc: u64, kind: i64, f: &[(&str, Value)]) -> LoggedOp {
        LoggedOp {
            origin,
            // One origin's operations are numbered in the order of its
            // clock here.
            seq: hlc as i64,
            hlc: Hlc(hlc),
            actor: None,
            entity: Entity::Person,
            id: Uuid::nil(),
            kind,
            fields: f
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
            after: Vec::new(),
        }
    }

    #[test]
    fn fold_is_last_writer_wins_per_field() {
        let (a, b) = (ReplicaId::new(), ReplicaId::new());
        let ops = [
            op(
                a,
                1,
                OP_CREATE,
                &[("name", "张三".into()), ("employer", "顺丰".into())],
            ),
            op(b, 3, OP_UPDATE, &[("name", "张叁".into())]),
            op(
                a,
                2,
                OP_UPDATE,
                &[("name", "张珊".into()), ("employer", "京东".into())],
            ),
        ];
        let f = fold(&ops).unwrap();
        assert_eq!(f["name"], "张叁");
        assert_eq!(f["employer"], "京东");
        let mut reversed = ops.to_vec();
        reversed.reverse();
        assert_eq!(fold(&reversed), Some(f));
        assert_eq!(fold(&ops[1..]), None, "no create, no record");
    }
}
