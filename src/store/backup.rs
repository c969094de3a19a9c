//! Copies of the database file: a backup (SQLite's online backup API, a
//! consistent copy while the console and the kiosk go on writing), and
//! the encrypted copy of a clear database that `waystation encrypt` puts
//! in its place. Both are checked by reading them back.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::crypt::DataKey;
use super::{Result, Store, StoreError, apply_key};

/// How a backup was made and checked ([`Store::backup_to`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    /// The file's bytes, frozen, read back and hashed.
    File,
    /// Page by page (SQLite's backup API), read back and counted.
    Pages,
}

/// What a copy holds, to compare it with its source: the rows of every
/// table, and the records' digest when it was asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub digest: Option<String>,
    pub rows: Vec<(String, i64)>,
}

impl Store {
    /// What this database holds now ([`Contents`]).
    pub fn contents(&self) -> Result<Contents> {
        contents_of(&self.conn, true)
    }

    /// Copies the database to `dest` (a new file), as it is at one moment
    /// while other connections go on writing, encrypted with this
    /// database's key (clear if it is clear), and reads the copy back to
    /// check it. Two ways, the first where it can be had:
    ///
    /// - **the file's bytes**: everything is checkpointed into the file and
    ///   the write-ahead log emptied, then a read transaction begins that
    ///   sees the file alone. While it lasts, no checkpoint may write to the
    ///   file (SQLite's read lock 0), so the file is one moment's database
    ///   while others go on writing to the log. Its bytes are copied as they
    ///   are (an encrypted file stays encrypted: no page is decrypted) and
    ///   hashed on the way; the copy is read back and hashed again, then
    ///   opened with the key. As fast as copying the file.
    /// - **page by page**, SQLite's backup API, when the log cannot be
    ///   emptied (another connection is reading): each page decrypted and
    ///   encrypted again, then the copy read back (`quick_check`, which
    ///   checks every page's HMAC) and its rows counted against the
    ///   source's at the same moment.
    pub fn backup_to(&self, dest: &Path) -> Result<Copied> {
        if dest.exists() {
            return Err(StoreError::Corrupt(format!(
                "{} exists already",
                dest.display()
            )));
        }
        if let Some(copied) = self.copy_file(dest)? {
            return Ok(copied);
        }
        let mut out = Connection::open_with_flags(
            dest,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )?;
        if let Some(key) = &self.key {
            apply_key(&out, key)?;
        }
        // One read transaction: the pages copied and the contents counted
        // are of the same moment.
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let copied = (|| {
            self.conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            {
                let backup = rusqlite::backup::Backup::new(&self.conn, &mut out)?;
                backup.step(-1)?;
            }
            contents_of(&self.conn, false)
        })();
        let _ = self.conn.execute_batch("COMMIT");
        // A backup is one file: no write-ahead log beside it.
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        drop(out);
        let copied = copied?;
        let read_back = verify_copy(dest, self.key.as_ref(), false)?;
        if read_back != copied {
            return Err(StoreError::Corrupt(format!(
                "{}: the copy does not read back as the database",
                dest.display()
            )));
        }
        Ok(Copied::Pages)
    }

    /// The copy of the file's bytes of [`Store::backup_to`]; `None` where
    /// the write-ahead log could not be emptied (nothing is written then).
    fn copy_file(&self, dest: &Path) -> Result<Option<Copied>> {
        use std::io::{Read, Write};
        let Some(src) = self.file_path() else {
            return Ok(None);
        };
        let mut wal = src.as_os_str().to_owned();
        wal.push("-wal");
        let wal = std::path::PathBuf::from(wal);
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Ok(None);
        }
        self.conn.execute_batch("BEGIN DEFERRED")?;
        let copied = (|| -> Result<Option<blake3::Hash>> {
            self.conn
                .query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))?;
            // Another connection may have written between the checkpoint
            // and this read: then this reader sees the log, and the file
            // is not frozen.
            if std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0) != 0 {
                return Ok(None);
            }
            let io = |e: std::io::Error| StoreError::Corrupt(format!("{}: {e}", dest.display()));
            let write = |e: std::io::Error| {
                if super::error::is_full(&e) {
                    StoreError::DiskFull
                } else {
                    io(e)
                }
            };
            let mut from = std::fs::File::open(&src).map_err(io)?;
            let mut to = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(dest)
                .map_err(write)?;
            let mut hash = blake3::Hasher::new();
            let mut buf = vec![0u8; 1 << 20];
            loop {
                let n = from.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                hash.update(&buf[..n]);
                to.write_all(&buf[..n]).map_err(write)?;
            }
            to.sync_all().map_err(write)?;
            Ok(Some(hash.finalize()))
        })();
        let _ = self.conn.execute_batch("COMMIT");
        let Some(written) = copied? else {
            return Ok(None);
        };
        // Read back from the disk, hashed again: the bytes written.
        let mut back = blake3::Hasher::new();
        back.update_reader(
            std::fs::File::open(dest)
                .map_err(|e| StoreError::Corrupt(format!("{}: {e}", dest.display())))?,
        )
        .map_err(|e| StoreError::Corrupt(format!("{}: {e}", dest.display())))?;
        if back.finalize() != written {
            return Err(StoreError::Corrupt(format!(
                "{}: the copy does not read back as written",
                dest.display()
            )));
        }
        // It opens with the key, as a waystation database of this version,
        // and is one file (no write-ahead log beside it).
        let out = Connection::open(dest)?;
        if let Some(key) = &self.key {
            apply_key(&out, key)?;
        }
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        let version: i64 = out.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != super::schema::SCHEMA_VERSION {
            return Err(StoreError::Corrupt(format!(
                "{}: schema {version}",
                dest.display()
            )));
        }
        Ok(Some(Copied::File))
    }

    /// Whether this is the only connection to the database: leaving the
    /// write-ahead log for a rollback journal needs every other one closed
    /// (a console, a kiosk, a sync). When it is alone, the database stays
    /// that way (one file, no log beside it) for what follows.
    pub fn alone(&self) -> Result<bool> {
        match self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            }) {
            Ok(mode) => Ok(mode.eq_ignore_ascii_case("delete")),
            Err(e)
                if matches!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
                ) =>
            {
                Ok(false)
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Writes this clear database, encrypted with `key`, to `dest` (a new
    /// file): every table, index and setting, and the schema version.
    pub fn export_encrypted(&self, dest: &Path, key: &DataKey) -> Result<()> {
        if self.key.is_some() {
            return Err(StoreError::Corrupt(
                "the database is encrypted already".into(),
            ));
        }
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        let app_id: i64 = self
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))?;
        let pragma = key.pragma();
        self.conn.execute(
            "ATTACH DATABASE ?1 AS encrypted KEY ?2",
            rusqlite::params![dest.to_string_lossy(), pragma.as_str()],
        )?;
        let exported = (|| {
            self.conn
                .query_row("SELECT sqlcipher_export('encrypted')", [], |_| Ok(()))?;
            self.conn.execute_batch(&format!(
                "PRAGMA encrypted.user_version = {version};
                 PRAGMA encrypted.application_id = {app_id};"
            ))
        })();
        let detached = self.conn.execute_batch("DETACH DATABASE encrypted");
        exported?;
        detached?;
        Ok(())
    }
}

/// [`Contents`] of any connection to a waystation database.
fn contents_of(conn: &Connection, digest: bool) -> Result<Contents> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut rows = Vec::with_capacity(tables.len());
    for t in tables {
        let n: i64 = conn.query_row(
            &format!("SELECT count(*) FROM \"{}\"", t.replace('"', "\"\"")),
            [],
            |r| r.get(0),
        )?;
        rows.push((t, n));
    }
    Ok(Contents {
        digest: digest.then(|| super::check::digest_of(conn)).transpose()?,
        rows,
    })
}

/// Reads a copy of a database (a backup, an encrypted copy) back to check
/// it, read-only (opening it as a station would write to it): it opens
/// with `key`, its pages are whole (`quick_check`, which reads every page:
/// on an encrypted copy each page's HMAC is checked as it is read), it is
/// a waystation database of this version; gives what it holds (with the
/// records' digest if `digest`).
pub fn verify_copy(path: &Path, key: Option<&DataKey>, digest: bool) -> Result<Contents> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if let Some(key) = key {
        apply_key(&conn, key)?;
    }
    let check: String = conn.query_row("PRAGMA quick_check", [], |r| r.get(0))?;
    if check != "ok" {
        return Err(StoreError::Corrupt(format!("{}: {check}", path.display())));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let app: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    if version != super::schema::SCHEMA_VERSION || app != super::schema::APPLICATION_ID {
        return Err(StoreError::Corrupt(format!(
            "{}: schema {version}, not {}",
            path.display(),
            super::schema::SCHEMA_VERSION
        )));
    }
    contents_of(&conn, digest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::crypt::Secret;

    /// Both ways give a copy that opens with the key and holds the same
    /// records: the file's bytes when nothing else reads, page by page
    /// while another connection is in the middle of a read.
    #[test]
    fn a_backup_is_the_database_either_way() {
        let dir = tempfile::tempdir().unwrap();
        let key = Secret::random().data_key();
        let db = dir.path().join("s.db");
        let mut store = Store::open_with(&db, Some(&key)).unwrap();
        store
            .init_station("FT", "丰台驿站", "Asia/Shanghai")
            .unwrap();
        let digest = store.digest().unwrap();

        let first = dir.path().join("a.db");
        assert_eq!(store.backup_to(&first).unwrap(), Copied::File);

        let other = Store::open_with(&db, Some(&key)).unwrap();
        other.conn.execute_batch("BEGIN").unwrap();
        other
            .conn
            .query_row("SELECT count(*) FROM stations", [], |_| Ok(()))
            .unwrap();
        // A write after the other's read began: the log cannot be emptied.
        store.set_setting("test.marker", Some("1")).unwrap();
        let second = dir.path().join("b.db");
        assert_eq!(store.backup_to(&second).unwrap(), Copied::Pages);
        other.conn.execute_batch("COMMIT").unwrap();

        for copy in [&first, &second] {
            assert!(
                crate::store::crypt::is_encrypted(copy),
                "{}",
                copy.display()
            );
            let back = Store::open_with(copy, Some(&key)).unwrap();
            assert_eq!(back.digest().unwrap(), digest);
            // Not readable without the key.
            let bare = Connection::open(copy).unwrap();
            assert!(
                bare.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
                    .is_err()
            );
        }
        assert!(store.backup_to(&first).is_err(), "an existing file is kept");
    }
}
