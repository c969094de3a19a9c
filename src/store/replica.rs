//! This database as a replica: its own settings, and taking a new replica
//! id when the file turns out to be a copy or a restored backup.
//!
//! Two files that write operations under one replica id would give
//! different operations the same sequence numbers, and every other replica
//! would keep whichever it saw first. So a database that finds itself
//! opened on another machine or at another path (a copy), or whose own
//! operations appear in a sync folder beyond what it remembers exporting
//! (a restored backup), takes a new replica id; its operations that others
//! may not have seen as they are move to the new id (renumbered from 1,
//! unchanged otherwise).

use std::path::Path;

use rusqlite::{OptionalExtension, TransactionBehavior, params};
use uuid::Uuid;

use super::oplog::{Entity, OpRef, decode_refs, encode_refs, origin_index};
use super::{Result, Store, StoreError};
use crate::domain::ids::ReplicaId;
use crate::store::oplog::hlc::Hlc;

/// Settings keys.
pub const NETWORK: &str = "sync.network";
pub const PASSPHRASE: &str = "sync.passphrase";
pub const FOLDER: &str = "sync.folder";
/// When the last sync ended (RFC 3339, UTC).
pub const LAST_SYNC: &str = "sync.last";
const IDENTITY: &str = "identity";

fn exported_key(r: ReplicaId) -> String {
    format!("sync.exported.{}", r.0.as_simple())
}

/// Where this file is: its full path and the machine.
fn identity_of(path: &Path) -> String {
    let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let machine = std::fs::read_to_string("/etc/machine-id")
        .ok()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_default();
    format!("{machine}\n{}", full.display())
}

/// What this database keeps about its sync, read in one place for the
/// console, the command line and the sync itself. Blank values count as
/// none; an unreadable network id or time as none (they are rewritten by
/// the next sync).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncSettings {
    /// The network this database belongs to, once it has synced.
    pub network: Option<crate::domain::ids::NetworkId>,
    /// The passphrase, kept after the first sync.
    pub passphrase: Option<String>,
    /// The folder of the last sync, as a full path.
    pub folder: Option<String>,
    /// When the last sync ended.
    pub last_sync: Option<chrono::DateTime<chrono::Utc>>,
}

impl Store {
    /// The sync settings of this database.
    pub fn sync_settings(&self) -> Result<SyncSettings> {
        let get = |key| -> Result<Option<String>> {
            Ok(self.setting(key)?.filter(|v| !v.trim().is_empty()))
        };
        Ok(SyncSettings {
            network: get(NETWORK)?
                .and_then(|s| Uuid::parse_str(&s).ok())
                .map(crate::domain::ids::NetworkId),
            passphrase: get(PASSPHRASE)?,
            folder: get(FOLDER)?,
            last_sync: get(LAST_SYNC)?
                .and_then(|v| chrono::DateTime::parse_from_rfc3339(&v).ok())
                .map(|t| t.with_timezone(&chrono::Utc)),
        })
    }

    /// A setting of this database (not synced).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?)
    }

    /// Sets (or with `None` clears) a setting.
    pub fn set_setting(&mut self, key: &str, value: Option<&str>) -> Result<()> {
        match value {
            Some(v) => self.conn().execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![key, v],
            )?,
            None => self
                .conn()
                .execute("DELETE FROM settings WHERE key = ?1", [key])?,
        };
        Ok(())
    }

    /// The highest of its own sequence numbers this database remembers
    /// having written into a sync folder.
    pub fn exported_upto(&self) -> Result<i64> {
        Ok(self
            .setting(&exported_key(self.replica_id()))?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Remembers that its own operations up to `seq` are in a sync folder.
    pub fn set_exported_upto(&mut self, seq: i64) -> Result<()> {
        let key = exported_key(self.replica_id());
        if seq > self.exported_upto()? {
            self.set_setting(&key, Some(&seq.to_string()))?;
        }
        Ok(())
    }

    /// The last sequence number of this replica's own operations.
    pub fn last_seq(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT last_seq FROM replica", [], |r| r.get(0))?)
    }

    /// At open: a file opened on another machine or at another path than
    /// last time is a copy (or was moved): it takes a new replica id. True
    /// when it did.
    pub(crate) fn check_identity(&mut self, path: &Path) -> Result<bool> {
        let here = identity_of(path);
        let known = self.setting(IDENTITY)?;
        let moved = known.as_ref().is_some_and(|k| *k != here);
        if moved {
            // Both files hold the same operations so far; from now on each
            // writes under its own id. Nothing needs to move.
            let from = self.last_seq()? + 1;
            let old = self.replica_id();
            self.take_new_replica_id(from)?;
            tracing::warn!(
                old = %old.0, new = %self.replica_id().0,
                "this database was copied or moved: it writes under a new replica id"
            );
        }
        if known.as_deref() != Some(here.as_str()) {
            self.set_setting(IDENTITY, Some(&here))?;
        }
        Ok(moved)
    }

    /// Takes a new replica id. This replica's operations from sequence
    /// number `from` on move to it, renumbered from 1 (the others may not
    /// have them, or may have other operations under those numbers); the
    /// ones before stay where they are, as another origin's. Each moved
    /// operation also names the latest unmoved one of its record, which it
    /// was made knowing.
    pub fn take_new_replica_id(&mut self, from: i64) -> Result<ReplicaId> {
        let old = self.replica_id();
        let old_idx = self.origin_idx;
        let new = ReplicaId(Uuid::now_v7());
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let new_idx = origin_index(&tx, new)?;
        let from = from.max(1);
        let moved: Vec<(i64, Vec<u8>, Option<Vec<u8>>)> = {
            let mut stmt = tx.prepare(
                "SELECT seq, id, after FROM ops WHERE origin = ?1 AND seq >= ?2 ORDER BY seq",
            )?;
            stmt.query_map(params![old_idx, from], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<rusqlite::Result<_>>()?
        };
        let mut touched = std::collections::BTreeSet::new();
        for (i, (seq, id, after)) in moved.iter().enumerate() {
            let mut refs = match after {
                Some(b) => decode_refs(b)
                    .ok_or_else(|| StoreError::Corrupt("operation with bad references".into()))?,
                None => Vec::new(),
            };
            // The latest by sequence number (SQLite takes the bare column
            // hlc from the row of max(seq)).
            let before: Option<i64> = tx
                .prepare_cached(
                    "SELECT hlc, max(seq) FROM ops WHERE id = ?1 AND origin = ?2 AND seq < ?3",
                )?
                .query_row(params![id, old_idx, from], |r| r.get(0))?;
            if let Some(h) = before {
                refs.push(OpRef {
                    hlc: Hlc::from_i64(h),
                    origin: old,
                });
                refs.sort();
                refs.dedup();
            }
            tx.prepare_cached(
                "UPDATE ops SET origin = ?1, seq = ?2, after = ?3 WHERE origin = ?4 AND seq = ?5",
            )?
            .execute(params![
                new_idx,
                i as i64 + 1,
                encode_refs(&refs),
                old_idx,
                seq
            ])?;
            touched.insert(id.clone());
        }
        tx.execute(
            "UPDATE replica SET replica_id = ?1, last_seq = ?2",
            params![new.as_bytes(), moved.len() as i64],
        )?;
        // The fold breaks clock ties by origin: records whose operations
        // moved are folded again.
        for id in &touched {
            let entity: i64 =
                tx.query_row("SELECT entity FROM ops WHERE id = ?1 LIMIT 1", [id], |r| {
                    r.get(0)
                })?;
            if let (Some(e), Ok(id)) = (Entity::from_code(entity), Uuid::from_slice(id)) {
                super::apply::rebuild(&tx, e, &id, true)?;
            }
        }
        super::search::flush_pending_terms(&tx)?;
        tx.commit()?;
        self.replica = new;
        self.origin_idx = new_idx;
        Ok(new)
    }
}
