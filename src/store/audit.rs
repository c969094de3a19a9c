//! The audit log: who exported (later: viewed, unmasked) what, and when.
//!
//! Entries are append-only records (`Entity::Audit`): created through the
//! [`Writer`] like every record, so each is an operation in the log and
//! travels with sync; nothing ever changes or removes one. An entry names a
//! kind of record and counts, never a worker, so it holds no personal data
//! that an erasure would have to reach.

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::oplog::{Entity, id_value};
use super::station::opt_id;
use super::{Result, Store, StoreError, Writer, id_col};
use crate::domain::ids::{AuditId, StaffId, StationId};

crate::code_enum! {
    /// What an audit entry records. Codes are stored and synced: never
    /// rename one.
    pub enum AuditAction {
        /// An export with ID numbers and phones masked.
        Export = "export", "导出", "Export";
        /// An export with ID numbers and phones in full.
        ExportUnmasked = "export_unmasked", "导出（完整身份证号和手机号）", "Export (full ID numbers and phones)";
    }
}

/// Longest subject kept, in characters.
const SUBJECT_MAX: usize = 100;

/// One entry of the audit log, with the names a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: AuditId,
    pub at: DateTime<Utc>,
    pub station: StationId,
    /// The code of the station, when it is known here.
    pub station_code: Option<String>,
    /// Who did it; `None` until staff sign in.
    pub actor: Option<StaffId>,
    pub actor_name: Option<String>,
    /// The stored action code: an [`AuditAction`] code, or one of a newer
    /// version (see [`AuditEntry::action_kind`]).
    pub action: String,
    /// What it concerned, e.g. the kind of record exported.
    pub subject: String,
    /// The particulars, a JSON object (a text that is not JSON is given as
    /// a JSON string).
    pub detail: Value,
}

impl AuditEntry {
    /// The action, if this version knows its code.
    pub fn action_kind(&self) -> Option<AuditAction> {
        AuditAction::from_code(&self.action)
    }
}

impl Writer<'_> {
    /// Adds an entry to the audit log, made by this write's actor at this
    /// station, now. `detail` should be a JSON object.
    pub fn record_audit(
        &mut self,
        action: AuditAction,
        subject: &str,
        detail: &Value,
    ) -> Result<AuditId> {
        let station = self.own_station()?;
        let subject: String = subject.trim().chars().take(SUBJECT_MAX).collect();
        let id = AuditId::new();
        let at = self.now();
        let actor = self.actor();
        self.create(
            Entity::Audit,
            &id.0,
            &[
                ("at", Value::from(at.timestamp_millis())),
                ("station_id", id_value(&station.id.0)),
                ("actor", opt_id(actor.as_ref().map(|a| &a.0))),
                ("action", Value::from(action.code())),
                ("subject", Value::from(subject)),
                ("detail", Value::from(detail.to_string())),
            ],
        )?;
        Ok(id)
    }
}

const ROW: &str =
    "SELECT a.id, a.at, a.station_id, (SELECT code FROM stations WHERE id = a.station_id),
        a.actor, (SELECT name FROM staff WHERE id = a.actor), a.action, a.subject, a.detail
     FROM audit_log a";

impl Store {
    /// Records an entry in its own write (no actor until sign-in exists),
    /// committed before this returns.
    pub fn record_audit(
        &mut self,
        action: AuditAction,
        subject: &str,
        detail: &Value,
    ) -> Result<AuditId> {
        let mut w = self.begin(None)?;
        let id = w.record_audit(action, subject, detail)?;
        w.commit()?;
        Ok(id)
    }

    /// The newest `limit` entries of the audit log (of every station this
    /// database holds), newest first. Reads `audit_by_time` backwards.
    pub fn audit_entries(&self, limit: usize) -> Result<Vec<AuditEntry>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut stmt = self
            .conn()
            .prepare_cached(&format!("{ROW} ORDER BY a.at DESC, a.id DESC LIMIT ?1"))?;
        let rows = stmt.query_map([limit], read_row)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One entry of the audit log.
    pub fn audit_entry(&self, id: AuditId) -> Result<AuditEntry> {
        use rusqlite::OptionalExtension;
        self.conn()
            .prepare_cached(&format!("{ROW} WHERE a.id = ?1"))?
            .query_row([id.as_bytes()], read_row)
            .optional()?
            .ok_or(StoreError::NotFound("audit entry"))
    }
}

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    let detail: String = r.get(8)?;
    Ok(AuditEntry {
        id: id_col(&r.get::<_, Vec<u8>>(0)?)?,
        at: DateTime::from_timestamp_millis(r.get(1)?).unwrap_or_default(),
        station: id_col(&r.get::<_, Vec<u8>>(2)?)?,
        station_code: r.get(3)?,
        actor: match r.get::<_, Option<Vec<u8>>>(4)? {
            Some(b) => Some(id_col(&b)?),
            None => None,
        },
        actor_name: r.get(5)?,
        action: r.get(6)?,
        subject: r.get(7)?,
        detail: serde_json::from_str(&detail).unwrap_or(Value::String(detail)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store() -> Store {
        let mut s = Store::open_in_memory().unwrap();
        s.init_station("FT", "测试驿站", "Asia/Shanghai").unwrap();
        s
    }

    static NOW: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

    fn fixed_clock() -> u64 {
        NOW.load(std::sync::atomic::Ordering::SeqCst)
    }

    #[test]
    fn entries_are_logged_and_listed_newest_first() {
        let mut s = store();
        let a = s
            .record_audit(
                AuditAction::Export,
                "visits",
                &serde_json::json!({"rows": 3}),
            )
            .unwrap();
        let b = s
            .record_audit(
                AuditAction::ExportUnmasked,
                "people",
                &serde_json::json!({"rows": 2, "masked": false}),
            )
            .unwrap();
        let list = s.audit_entries(10).unwrap();
        assert_eq!(
            list.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![b, a],
            "newest first"
        );
        assert_eq!(list[0].action_kind(), Some(AuditAction::ExportUnmasked));
        assert_eq!(list[0].subject, "people");
        assert_eq!(list[0].detail["masked"], false);
        assert_eq!(list[0].station_code.as_deref(), Some("FT"));
        assert_eq!(list[0].actor, None);
        assert_eq!(s.audit_entries(1).unwrap().len(), 1);
        assert_eq!(s.audit_entry(a).unwrap().detail["rows"], 3);
        // Each entry is one creation in the operation log.
        let ops = super::super::oplog::ops_of(s.conn(), &a.0).unwrap();
        assert_eq!(ops.len(), 1);
        assert_eq!(ops[0].entity, Entity::Audit);
        assert!(s.check().unwrap().is_ok());
    }

    /// Entries made in one millisecond still come out in a fixed order.
    #[test]
    fn ties_in_time_are_broken_by_id() {
        let mut s = store();
        NOW.store(1_795_000_000_000, std::sync::atomic::Ordering::SeqCst);
        s.set_clock(fixed_clock);
        let ids: Vec<AuditId> = (0..3)
            .map(|_| {
                s.record_audit(AuditAction::Export, "cases", &Value::Null)
                    .unwrap()
            })
            .collect();
        let listed: Vec<AuditId> = s.audit_entries(10).unwrap().iter().map(|e| e.id).collect();
        let mut want = ids.clone();
        want.sort();
        want.reverse();
        assert_eq!(listed, want);
    }

    #[test]
    fn refused_without_a_station() {
        let mut s = Store::open_in_memory().unwrap();
        assert!(matches!(
            s.record_audit(AuditAction::Export, "people", &Value::Null),
            Err(StoreError::NoStation)
        ));
    }

    /// The newest-first list is a backwards range of `audit_by_time`.
    #[test]
    fn the_list_reads_the_index_without_sorting() {
        let s = store();
        let sql = format!("EXPLAIN QUERY PLAN {ROW} ORDER BY a.at DESC, a.id DESC LIMIT 5");
        let mut stmt = s.conn().prepare(&sql).unwrap();
        let plan: Vec<String> = stmt
            .query_map([], |r| r.get(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join("; ");
        assert!(plan.contains("audit_by_time"), "{plan}");
        assert!(!plan.contains("TEMP B-TREE"), "{plan}");
    }
}
