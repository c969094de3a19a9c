//! Applying operations that other replicas made: the receiving half of sync.
//!
//! Operations are stored as they come (a duplicate is skipped by its origin
//! and sequence number), then every record they touch is rebuilt from all
//! of its operations with the same fold as local writes use. So the order
//! and grouping of deliveries does not matter. A record whose operations
//! refer to one not yet received (a visit before its person) waits in
//! `unresolved` and is built when the other arrives.

use std::collections::BTreeSet;

use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::claimants::{case_of_claimant, derive_totals, ever_owed};
use super::erase::{
    erased_in, flush_wal, redact_fields, redact_log, restore_zeroing, zero_freed_space,
};
use super::oplog::{
    Entity, LoggedOp, OP_COLUMNS, encode_refs, fold, ops_of, origin_index, read_op, to_sql,
};
use super::search::{case_terms, flush_pending_terms, person_terms, reindex};
use super::{Result, Store, StoreError};
use crate::domain::ids::ReplicaId;
use crate::store::oplog::hlc::Hlc;

/// What one application did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Applied {
    /// Operations new to this database.
    pub new_ops: usize,
    /// Operations it already had.
    pub duplicates: usize,
    /// Records still waiting for a record they refer to.
    pub waiting: usize,
}

impl Store {
    /// Every operation in the log, by origin and sequence number: what this
    /// database can pass on (its own and those it relays).
    pub fn all_ops(&self) -> Result<Vec<LoggedOp>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {OP_COLUMNS}
             FROM ops JOIN origins o ON o.idx = ops.origin ORDER BY o.replica_id, ops.seq"
        ))?;
        let rows = stmt.query_map([], read_op)?;
        let mut out = Vec::new();
        for r in rows {
            out.push(r??);
        }
        Ok(out)
    }

    /// Applies operations received from other replicas, in one transaction.
    pub fn apply_remote(&mut self, ops: &[LoggedOp]) -> Result<Applied> {
        let own = self.replica_id();
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut applied = Applied::default();
        let mut touched: BTreeSet<(Entity, Uuid)> = BTreeSet::new();
        let mut newest = Hlc::default();
        // A file holds one origin's operations: its local number is looked
        // up once, not once per operation.
        let mut origins: std::collections::HashMap<ReplicaId, i64> = Default::default();
        // Erasure wins: an operation of an erased person (erased here, or
        // by an operation of this batch) is redacted before it is stored,
        // so no old or concurrent personal value lands in the log.
        let erased = erased_in(&tx, ops)?;
        let zeroing = if erased.is_empty() {
            None
        } else {
            Some(zero_freed_space(&tx)?)
        };
        let mut redacted = false;
        for op in ops {
            if op.origin == own {
                applied.duplicates += 1;
                continue;
            }
            let origin = match origins.get(&op.origin) {
                Some(i) => *i,
                None => {
                    let i = origin_index(&tx, op.origin)?;
                    origins.insert(op.origin, i);
                    i
                }
            };
            let stored = if op.entity == Entity::Person && erased.contains(&op.id) {
                let mut fields = op.fields.clone();
                let redacted = redact_fields(&mut fields);
                store_op(&tx, origin, op, &fields, redacted)?
            } else {
                store_op(&tx, origin, op, &op.fields, false)?
            };
            if !stored {
                applied.duplicates += 1;
                continue;
            }
            applied.new_ops += 1;
            newest = newest.max(op.hlc);
            touched.insert((op.entity, op.id));
        }
        tx.execute(
            "UPDATE replica SET last_hlc = max(last_hlc, ?1)",
            [newest.as_i64()],
        )?;
        // An erasure that arrived now reaches the person's operations
        // already in the log; the person is rebuilt from the redacted
        // ones (wiped row, no lookup terms, no conflicts of old values).
        for id in &erased {
            if redact_log(&tx, id)? > 0 {
                touched.insert((Entity::Person, *id));
                redacted = true;
            }
        }
        // Records that waited for one of these may be buildable now.
        {
            let mut stmt = tx.prepare("SELECT entity, id FROM unresolved")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))?;
            for row in rows {
                let (e, id) = row?;
                if let (Some(e), Ok(id)) = (Entity::from_code(e), Uuid::from_slice(&id)) {
                    touched.insert((e, id));
                }
            }
        }
        // While nothing is listed, a record without conflicts has nothing
        // to clear.
        let listed: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM conflicts)", [], |r| r.get(0))?;
        // Entity order is dependency order (people before visits …); repeat
        // while records that waited become buildable.
        let mut pending: Vec<(Entity, Uuid)> = touched.into_iter().collect();
        loop {
            let mut waiting = Vec::new();
            for (entity, id) in &pending {
                if !rebuild(&tx, *entity, id, listed)? {
                    waiting.push((*entity, *id));
                }
            }
            if waiting.is_empty() || waiting.len() == pending.len() {
                pending = waiting;
                break;
            }
            pending = waiting;
        }
        tx.execute("DELETE FROM unresolved", [])?;
        for (entity, id) in &pending {
            tx.execute(
                "INSERT INTO unresolved (id, entity) VALUES (?1, ?2)",
                params![id.as_bytes(), entity.code()],
            )?;
        }
        applied.waiting = pending.len();
        flush_pending_terms(&tx)?;
        if let Some(was) = zeroing {
            restore_zeroing(&tx, was)?;
        }
        tx.commit()?;
        if redacted {
            flush_wal(&self.conn);
        }
        Ok(applied)
    }
}

/// Stores one operation of the origin numbered `origin` here, with
/// `fields` as its payload (its own, or redacted ones); false when the log
/// already has it.
fn store_op(
    conn: &Connection,
    origin: i64,
    op: &LoggedOp,
    fields: &Map<String, Value>,
    redacted: bool,
) -> Result<bool> {
    let payload = serde_json::to_string(fields)
        .map_err(|e| StoreError::Corrupt(format!("cannot encode an operation: {e}")))?;
    let n = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO ops
                 (origin, seq, hlc, actor, entity, id, kind, payload, after, redacted)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
        ])?;
    Ok(n == 1)
}

/// Rebuilds one record from all of its operations, and its listed
/// conflicts; its new lookup terms wait in `pending_terms` until the caller
/// runs `flush_pending_terms`. False when it cannot be built yet: it refers to a record this
/// database does not have. `listed`: the conflicts list may hold the record.
pub(crate) fn rebuild(conn: &Connection, entity: Entity, id: &Uuid, listed: bool) -> Result<bool> {
    let ops = ops_of(conn, id)?;
    let Some(fields) = fold(&ops) else {
        return Ok(true); // no creation yet: nothing to build, nothing waits
    };
    let table = entity.table();
    let old_terms = terms_of(conn, entity, id)?;
    let mut values = Vec::with_capacity(table.cols.len() + 1);
    values.push(SqlValue::Blob(id.as_bytes().to_vec()));
    for (name, ty) in table.cols {
        values.push(to_sql(*ty, fields.get(*name).unwrap_or(&Value::Null))?);
    }
    conn.execute("SAVEPOINT rebuild", [])?;
    match conn
        .prepare_cached(upsert_sql(entity))?
        .execute(rusqlite::params_from_iter(values))
    {
        Ok(_) => {}
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
            conn.execute("ROLLBACK TO rebuild", [])?;
            conn.execute("RELEASE rebuild", [])?;
            return Ok(false);
        }
        Err(e) => return Err(StoreError::Sqlite(e)),
    }
    conn.execute("RELEASE rebuild", [])?;
    // A case's total follows its claimants' amounts, whichever station
    // wrote which of them (claimants.rs).
    match entity {
        Entity::Case => derive_totals(conn, id.as_bytes(), Some(&fields))?,
        Entity::Claimant if ever_owed(&ops) => {
            if let Some(case) = case_of_claimant(conn, id.as_bytes())? {
                derive_totals(conn, &case, None)?;
            }
        }
        _ => {}
    }
    let new_terms = terms_of(conn, entity, id)?;
    // New terms wait in pending_terms and are sorted in by the caller
    // (flush_pending_terms): one pass instead of random inserts.
    reindex(conn, id, &old_terms, &new_terms, true)?;
    super::conflicts::refresh(conn, entity, id, &ops, listed)?;
    Ok(true)
}

/// The statement that writes a record's whole row, made once per kind.
fn upsert_sql(entity: Entity) -> &'static str {
    static SQL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let all = SQL.get_or_init(|| {
        Entity::ALL
            .iter()
            .map(|e| {
                let table = e.table();
                let cols: Vec<&str> = table.cols.iter().map(|(n, _)| *n).collect();
                let marks: Vec<String> = (2..=cols.len() + 1).map(|i| format!("?{i}")).collect();
                let updates: Vec<String> =
                    cols.iter().map(|c| format!("{c} = excluded.{c}")).collect();
                format!(
                    "INSERT INTO {} (id, {}) VALUES (?1, {}) ON CONFLICT (id) DO UPDATE SET {}",
                    table.name,
                    cols.join(", "),
                    marks.join(", "),
                    updates.join(", ")
                )
            })
            .collect()
    });
    // ALL is in code order from 1.
    &all[entity as usize - 1]
}

/// The lookup terms of a record as it stands.
pub(crate) fn terms_of(conn: &Connection, entity: Entity, id: &Uuid) -> Result<Vec<(i64, String)>> {
    Ok(match entity {
        Entity::Person => conn
            .query_row(
                "SELECT name, mobile, resident_id FROM people WHERE id = ?1",
                [id.as_bytes()],
                |r| {
                    Ok(person_terms(
                        &r.get::<_, String>(0)?,
                        r.get::<_, Option<String>>(1)?.as_deref(),
                        r.get::<_, Option<String>>(2)?.as_deref(),
                    ))
                },
            )
            .optional()?
            .unwrap_or_default(),
        Entity::Case => conn
            .query_row(
                "SELECT respondent FROM cases WHERE id = ?1",
                [id.as_bytes()],
                |r| Ok(case_terms(r.get::<_, Option<String>>(0)?.as_deref())),
            )
            .optional()?
            .unwrap_or_default(),
        _ => Vec::new(),
    })
}
