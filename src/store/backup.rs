//! Copies of the database file: a backup (SQLite's online backup API, a
//! consistent copy while the console and the kiosk go on writing), and
//! the encrypted copy of a clear database that `waystation encrypt` puts
//! in its place. Both are checked by reading them back.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::crypt::DataKey;
use super::{Result, Store, StoreError, apply_key};

/// What a copy holds, to compare it with its source: the records' digest
/// and the rows of every table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contents {
    pub digest: String,
    pub rows: Vec<(String, i64)>,
}

impl Store {
    /// What this database holds now ([`Contents`]).
    pub fn contents(&self) -> Result<Contents> {
        contents_of(&self.conn)
    }

    /// Copies the database to `dest` (a new file), as it is at one moment
    /// while other connections go on writing, encrypted with this
    /// database's key (clear if it is clear). Gives what the copy holds,
    /// read from the source in the same moment.
    pub fn backup_to(&self, dest: &Path) -> Result<Contents> {
        if dest.exists() {
            return Err(StoreError::Corrupt(format!(
                "{} exists already",
                dest.display()
            )));
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
            self.contents()
        })();
        let _ = self.conn.execute_batch("COMMIT");
        // A backup is one file: no write-ahead log beside it.
        out.query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()))?;
        drop(out);
        copied
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
fn contents_of(conn: &Connection) -> Result<Contents> {
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
        digest: super::check::digest_of(conn)?,
        rows,
    })
}

/// Reads a copy of a database (a backup, an encrypted copy) back to check
/// it, read-only (opening it as a station would write to it): it opens
/// with `key`, its pages are whole (`quick_check`), it is a waystation
/// database of this version; gives what it holds.
pub fn verify_copy(path: &Path, key: Option<&DataKey>) -> Result<Contents> {
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
    contents_of(&conn)
}
