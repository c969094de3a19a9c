//! Integrity check and content digest.
//!
//! The digest hashes the canonical content of every record table (not the
//! log, not this replica's identity): two databases have equal digests
//! exactly when their records are equal, whatever order the changes arrived
//! in.

use crate::store::claimants::derived_totals;
use rusqlite::types::ValueRef;
use serde_json::Value;
use uuid::Uuid;

use super::oplog::{Entity, LoggedOp, OP_COLUMNS, fold, from_sql, read_op};
use super::search::{case_terms, person_terms};
use super::{Result, Store};

/// What `check` found.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckReport {
    /// Records per kind.
    pub counts: Vec<(Entity, u64)>,
    /// Operations in the log.
    pub ops: u64,
    /// Records received from another replica that wait for a record they
    /// refer to (not a problem: they are built when it arrives).
    pub waiting: u64,
    /// Hex digest of the records.
    pub digest: String,
    /// Everything found wrong; empty when the database is sound.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// At most this many problems of one sort are listed.
const MAX_LISTED: usize = 20;

impl Store {
    /// Verifies the database: SQLite's integrity check, foreign keys, this
    /// replica's log sequence, and that every record is exactly what its
    /// operations say. Reads everything: this is not for a hot path.
    pub fn check(&self) -> Result<CheckReport> {
        let conn = self.conn();
        let mut problems = Vec::new();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let row = row?;
            if row != "ok" {
                problems.push(format!("integrity: {row}"));
            }
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let fk = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(2)?)))?;
        for (i, row) in fk.enumerate() {
            let (table, parent) = row?;
            if i < MAX_LISTED {
                problems.push(format!(
                    "a row of {table} refers to a missing {parent} record"
                ));
            }
        }

        let (count, max, last): (i64, Option<i64>, i64) = conn.query_row(
            "SELECT count(*), max(seq), (SELECT last_seq FROM replica) FROM ops WHERE origin = ?1",
            [self.origin_idx],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        if count != max.unwrap_or(0) || count != last {
            problems.push(format!(
                "this station's log has {count} operations numbered up to {} (expected {last})",
                max.unwrap_or(0)
            ));
        }

        let mut counts = Vec::new();
        for e in Entity::ALL {
            let n: i64 = conn.query_row(
                &format!("SELECT count(*) FROM {}", e.table().name),
                [],
                |r| r.get(0),
            )?;
            counts.push((e, n as u64));
        }
        let ops: i64 = conn.query_row("SELECT count(*) FROM ops", [], |r| r.get(0))?;
        self.check_log_against_tables(&counts, &mut problems)?;
        self.check_search_terms(&mut problems)?;
        problems.extend(super::merge::survivor_problems(conn)?);

        let waiting: i64 = conn.query_row("SELECT count(*) FROM unresolved", [], |r| r.get(0))?;
        Ok(CheckReport {
            counts,
            ops: ops as u64,
            waiting: waiting as u64,
            digest: self.digest()?,
            problems,
        })
    }

    fn check_log_against_tables(
        &self,
        counts: &[(Entity, u64)],
        problems: &mut Vec<String>,
    ) -> Result<()> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {OP_COLUMNS}
             FROM ops JOIN origins o ON o.idx = ops.origin ORDER BY ops.id, ops.hlc"
        ))?;
        let mut rows = stmt.query([])?;
        let waiting: std::collections::HashSet<Vec<u8>> = {
            let mut stmt = conn.prepare("SELECT id FROM unresolved")?;
            let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        };
        let mut group: Vec<LoggedOp> = Vec::new();
        let mut folded = vec![0u64; Entity::ALL.len()];
        let mut mismatches = 0usize;
        let mut conflicts = Vec::new();
        loop {
            let next = match rows.next()? {
                Some(r) => Some(read_op(r)??),
                None => None,
            };
            let boundary = match (&next, group.first()) {
                (Some(n), Some(g)) => n.id != g.id,
                (None, Some(_)) => true,
                _ => false,
            };
            if boundary {
                let entity = group[0].entity;
                let waits = waiting.contains(group[0].id.as_bytes().as_slice());
                if let Some(mut f) = fold(&group).filter(|_| !waits) {
                    folded[entity as usize - 1] += 1;
                    if entity == Entity::Case {
                        // The total its claimants call for (claimants.rs).
                        let (c, r) = derived_totals(conn, group[0].id.as_bytes())?;
                        if let Some(c) = c {
                            f.insert("claimed".into(), Value::from(c));
                        }
                        if let Some(r) = r {
                            f.insert("recovered".into(), Value::from(r));
                        }
                    }
                    conflicts.extend(crate::store::oplog::conflicts::conflicts_of(entity, &group));
                    if let Some(why) = self.compare_row(entity, &group[0].id, &f)? {
                        mismatches += 1;
                        if mismatches <= MAX_LISTED {
                            problems.push(why);
                        }
                    }
                }
                group.clear();
            }
            match next {
                Some(op) => group.push(op),
                None => break,
            }
        }
        if mismatches > MAX_LISTED {
            problems.push(format!(
                "… and {} more records that differ from the log",
                mismatches - MAX_LISTED
            ));
        }
        // A record that waits may keep the row it had before the operation
        // it cannot take yet (one that refers to a record not received),
        // and the conflicts listed with it.
        let mut stmt = conn.prepare("SELECT id, entity FROM unresolved")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (id, code) = row?;
            let Some(e) = Entity::from_code(code) else {
                continue;
            };
            let kept: bool = conn
                .prepare_cached(&format!(
                    "SELECT EXISTS (SELECT 1 FROM {} WHERE id = ?1)",
                    e.table().name
                ))?
                .query_row([id], |r| r.get(0))?;
            if kept {
                folded[e as usize - 1] += 1;
            }
        }
        // The conflicts list is what the log says too.
        let key = |c: &crate::store::oplog::conflicts::Conflict| (c.id, c.field.clone(), c.loser);
        let mut listed = self.record_conflicts()?;
        listed.retain(|c| !waiting.contains(c.id.as_bytes().as_slice()));
        listed.sort_by_key(key);
        conflicts.sort_by_key(key);
        if listed != conflicts {
            problems.push(format!(
                "the conflicts list holds {} entries but the log calls for {}",
                listed.len(),
                conflicts.len()
            ));
        }
        for (e, n) in counts {
            let f = folded[*e as usize - 1];
            if f != *n {
                problems.push(format!(
                    "{} holds {n} records but the log creates {f}",
                    e.table().name
                ));
            }
        }
        Ok(())
    }

    /// Compares the lookup terms with the terms the records call for, as
    /// order-independent sums of hashes (one pass over each table).
    fn check_search_terms(&self, problems: &mut Vec<String>) -> Result<()> {
        let conn = self.conn();
        let mut want = TermSet::default();
        let mut stmt = conn.prepare("SELECT id, name, mobile, resident_id FROM people")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let name: String = r.get(1)?;
            let mobile: Option<String> = r.get(2)?;
            let rid: Option<String> = r.get(3)?;
            for (k, t) in person_terms(&name, mobile.as_deref(), rid.as_deref()) {
                want.add(k, &t, &id);
            }
        }
        let mut stmt = conn.prepare("SELECT id, respondent FROM cases")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let respondent: Option<String> = r.get(1)?;
            for (k, t) in case_terms(respondent.as_deref()) {
                want.add(k, &t, &id);
            }
        }
        let mut stmt = conn.prepare("SELECT id, name, credit_code FROM respondents")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let id: Vec<u8> = r.get(0)?;
            let name: String = r.get(1)?;
            let code: Option<String> = r.get(2)?;
            for (k, t) in super::respondents::respondent_terms(&name, code.as_deref()) {
                want.add(k, &t, &id);
            }
        }
        let mut have = TermSet::default();
        let mut stmt = conn.prepare("SELECT kind, term, id FROM search_terms")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let term: String = r.get(1)?;
            let id: Vec<u8> = r.get(2)?;
            have.add(r.get(0)?, &term, &id);
        }
        if want != have {
            problems.push(format!(
                "the lookup index holds {} terms where the records call for {}, or other ones",
                have.count, want.count
            ));
        }
        Ok(())
    }

    fn compare_row(
        &self,
        entity: Entity,
        id: &Uuid,
        folded: &std::collections::BTreeMap<String, Value>,
    ) -> Result<Option<String>> {
        let table = entity.table();
        let cols: Vec<&str> = table.cols.iter().map(|(n, _)| *n).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE id = ?1",
            cols.join(", "),
            table.name
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let mut rows = stmt.query([id.as_bytes()])?;
        let Some(row) = rows.next()? else {
            return Ok(Some(format!(
                "{} {id} is in the log but not in the table",
                table.name
            )));
        };
        for (i, (name, ty)) in table.cols.iter().enumerate() {
            let have = from_sql(*ty, row.get_ref(i)?);
            let want = folded.get(*name).cloned().unwrap_or(Value::Null);
            if have != want {
                return Ok(Some(format!(
                    "{} {id}: field {name} is {have} but the log says {want}",
                    table.name
                )));
            }
        }
        Ok(None)
    }

    /// Hex BLAKE3 digest of the canonical content of every record table.
    pub fn digest(&self) -> Result<String> {
        digest_of(self.conn())
    }
}

/// [`Store::digest`] of any connection to a waystation database (a copy
/// being checked, opened without a `Store`, which would write to it).
pub(crate) fn digest_of(conn: &rusqlite::Connection) -> Result<String> {
    {
        let mut h = blake3::Hasher::new();
        for e in Entity::ALL {
            let table = e.table();
            h.update(table.name.as_bytes());
            h.update(&[0]);
            let cols: Vec<&str> = table.cols.iter().map(|(n, _)| *n).collect();
            let sql = format!(
                "SELECT id, {} FROM {} ORDER BY id",
                cols.join(", "),
                table.name
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                for i in 0..=cols.len() {
                    hash_value(&mut h, row.get_ref(i)?);
                }
            }
            h.update(&[0xff]);
        }
        Ok(h.finalize().to_hex().to_string())
    }
}

/// A multiset of lookup terms, kept as a count and a wrapping sum of hashes.
#[derive(Default, PartialEq, Eq)]
struct TermSet {
    count: u64,
    sum: u128,
}

impl TermSet {
    fn add(&mut self, kind: i64, term: &str, id: &[u8]) {
        let mut h = blake3::Hasher::new();
        h.update(&kind.to_le_bytes());
        h.update(&(term.len() as u64).to_le_bytes());
        h.update(term.as_bytes());
        h.update(id);
        let bytes = h.finalize();
        let mut first = [0u8; 16];
        first.copy_from_slice(&bytes.as_bytes()[..16]);
        self.count += 1;
        self.sum = self.sum.wrapping_add(u128::from_le_bytes(first));
    }
}

fn hash_value(h: &mut blake3::Hasher, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => {
            h.update(&[0]);
        }
        ValueRef::Integer(i) => {
            h.update(&[1]);
            h.update(&i.to_le_bytes());
        }
        ValueRef::Real(r) => {
            h.update(&[2]);
            h.update(&r.to_bits().to_le_bytes());
        }
        ValueRef::Text(t) => {
            h.update(&[3]);
            h.update(&(t.len() as u64).to_le_bytes());
            h.update(t);
        }
        ValueRef::Blob(b) => {
            h.update(&[4]);
            h.update(&(b.len() as u64).to_le_bytes());
            h.update(b);
        }
    }
}
