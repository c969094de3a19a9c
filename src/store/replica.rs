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

/// Where a database file is: the machine (its id), the full path, and the
/// hardware addresses of the machine's own network interfaces. A cloned
/// disk image keeps the first two; booted on another computer it does not
/// keep the third.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Place {
    machine: String,
    path: String,
    hardware: std::collections::BTreeSet<String>,
}

impl Place {
    /// This file, here.
    fn of(path: &Path) -> Place {
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        let machine = std::fs::read_to_string("/etc/machine-id")
            .ok()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .or_else(|| std::env::var("COMPUTERNAME").ok())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_default();
        Place {
            machine,
            path: full.display().to_string(),
            hardware: hardware_addresses(Path::new("/sys/class/net")),
        }
    }

    /// As kept in the settings: machine and path on a line each, then the
    /// addresses on one (none in what earlier versions kept).
    fn encode(&self) -> String {
        let mut out = format!("{}\n{}", self.machine, self.path);
        if !self.hardware.is_empty() {
            out.push_str("\nhw");
            for a in &self.hardware {
                out.push(' ');
                out.push_str(a);
            }
        }
        out
    }

    fn decode(text: &str) -> Place {
        let mut lines = text.split('\n');
        let machine = lines.next().unwrap_or_default().to_owned();
        let path = lines.next().unwrap_or_default().to_owned();
        let hardware = lines
            .next()
            .and_then(|l| l.strip_prefix("hw"))
            .map(|l| l.split_whitespace().map(str::to_owned).collect())
            .unwrap_or_default();
        Place {
            machine,
            path,
            hardware,
        }
    }

    /// Whether `other` is the same place: the same machine id and path,
    /// and — where both know the machine's interfaces — at least one of
    /// them in common (a network card added or replaced is not a move; a
    /// clone on another computer shares none).
    fn same(&self, other: &Place) -> bool {
        self.machine == other.machine
            && self.path == other.path
            && (self.hardware.is_empty()
                || other.hardware.is_empty()
                || !self.hardware.is_disjoint(&other.hardware))
    }
}

/// The hardware addresses of the machine's own network interfaces, as
/// Linux lists them under `net` (`/sys/class/net`): those of a device (not
/// virtual), not plugged in by USB (a dock, a phone sharing its
/// connection), and not all zeros. Empty elsewhere.
fn hardware_addresses(net: &Path) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    let Ok(entries) = std::fs::read_dir(net) else {
        return out;
    };
    for e in entries.flatten() {
        let dir = e.path();
        let Ok(device) = std::fs::read_link(dir.join("device/subsystem")) else {
            continue;
        };
        if device.file_name().is_some_and(|n| n == "usb") {
            continue;
        }
        let Ok(addr) = std::fs::read_to_string(dir.join("address")) else {
            continue;
        };
        let addr = addr.trim().to_ascii_lowercase();
        if !addr.is_empty() && addr.bytes().any(|b| b != b'0' && b != b':') {
            out.insert(addr);
        }
    }
    out
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
        let place = Place::of(path);
        let here = place.encode();
        let known = self.setting(IDENTITY)?;
        let moved = known
            .as_ref()
            .is_some_and(|k| !Place::decode(k).same(&place));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn place(machine: &str, path: &str, hw: &[&str]) -> Place {
        Place {
            machine: machine.into(),
            path: path.into(),
            hardware: hw.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn a_clone_on_other_hardware_is_another_place_a_new_card_is_not() {
        let here = place("m1", "/srv/ws.db", &["52:54:00:aa:bb:01"]);
        assert!(here.same(&Place::decode(&here.encode())));
        // What earlier versions kept: machine and path only.
        assert!(Place::decode("m1\n/srv/ws.db").same(&here));
        // A card added, or one of two replaced.
        assert!(here.same(&place(
            "m1",
            "/srv/ws.db",
            &["52:54:00:aa:bb:01", "52:54:00:aa:bb:02"]
        )));
        // The same disk image on another computer.
        assert!(!here.same(&place("m1", "/srv/ws.db", &["52:54:00:cc:dd:01"])));
        // Another machine id or path, as before.
        assert!(!here.same(&place("m2", "/srv/ws.db", &["52:54:00:aa:bb:01"])));
        assert!(!here.same(&place("m1", "/srv/ws2.db", &["52:54:00:aa:bb:01"])));
    }

    #[cfg(unix)]
    #[test]
    fn interfaces_of_a_device_count_usb_and_virtual_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let net = dir.path().join("net");
        let bus = dir.path().join("bus");
        for b in ["pci", "usb", "virtio"] {
            std::fs::create_dir_all(bus.join(b)).unwrap();
        }
        let iface = |name: &str, addr: &str, subsystem: Option<&str>| {
            let d = net.join(name);
            std::fs::create_dir_all(d.join("device")).unwrap();
            std::fs::write(d.join("address"), format!("{addr}\n")).unwrap();
            if let Some(s) = subsystem {
                std::os::unix::fs::symlink(bus.join(s), d.join("device/subsystem")).unwrap();
            }
        };
        iface("eth0", "52:54:00:AA:BB:01", Some("pci"));
        iface("ens3", "52:54:00:aa:bb:03", Some("virtio"));
        iface("usb0", "02:00:00:00:00:09", Some("usb"));
        iface("lo", "00:00:00:00:00:00", None);
        iface("docker0", "02:42:ac:11:00:01", None);
        let got: Vec<String> = hardware_addresses(&net).into_iter().collect();
        assert_eq!(got, ["52:54:00:aa:bb:01", "52:54:00:aa:bb:03"]);
        assert!(hardware_addresses(&dir.path().join("none")).is_empty());
    }
}
