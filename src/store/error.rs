//! What can go wrong with a database, in the words of the person at the
//! keyboard (English in `Display`, both languages through [`Localized`]).

use std::path::PathBuf;

use crate::domain::ValidationError;
use crate::domain::access::Act;
use crate::i18n::{Lang, Localized};
use crate::t;

/// What can go wrong with a database, worded for the person at the keyboard.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("{0} is a folder, not a database file")]
    IsFolder(PathBuf),
    /// An encrypted database opened without its key.
    #[error("{0} is encrypted: it opens with its station passphrase")]
    Encrypted(PathBuf),
    /// An encrypted database opened with another key than its own.
    #[error("{0} does not open with this key: the key file beside it belongs to another database")]
    WrongKey(PathBuf),
    #[error("{0}")]
    Crypt(#[from] super::crypt::CryptError),
    /// A command that reads or changes records was given a database file
    /// that does not exist (a mistyped `--db`): nothing is created.
    #[error(
        "there is no database at {0}: check the name given with --db (a new station is set up with waystation init)"
    )]
    NoDatabase(PathBuf),
    /// The schema version the file says it is at is one no waystation ever
    /// wrote (below 0, or 0 with tables in it).
    #[error(
        "this database says it is at schema version {0}, which no waystation writes: the file was altered or damaged; restore a backup"
    )]
    ImpossibleVersion(i64),
    /// The file's tables do not match the schema version it says it is at:
    /// a migration from it failed (the details are in the log).
    #[error(
        "this database's tables do not match its schema version {0}: the file was altered or damaged; nothing was changed; restore a backup"
    )]
    SchemaMismatch(i64),
    /// The disk (or the file system's quota) is full: nothing was saved.
    #[error("the disk is full: nothing was saved; free some space on it and try again")]
    DiskFull,
    /// A write to the disk failed for another reason than a full disk
    /// (a stick pulled out, a failing disk): nothing was saved.
    #[error(
        "the database could not be written to the disk (removed, read-only or failing?): nothing was saved"
    )]
    DiskWrite,
    #[error("{0} is not a database file (damaged, or another kind of file)")]
    NotADatabase(PathBuf),
    #[error("cannot open {0}: it is unreadable, read-only, or its folder cannot be written")]
    CannotOpen(PathBuf),
    #[error("this is an SQLite database of another program, not a waystation database")]
    Foreign,
    #[error(
        "this database was written by a newer waystation (schema {found}; this version knows up to {supported}); please update waystation"
    )]
    TooNew { found: i64, supported: i64 },
    #[error(
        "this database has no station yet; set one with: waystation init --code CODE --name NAME"
    )]
    NoStation,
    #[error("the station is already set up as {0}")]
    StationExists(String),
    #[error("{0}")]
    Invalid(#[from] ValidationError),
    #[error("no such {0}")]
    NotFound(&'static str),
    #[error("{}", .0.needs(crate::i18n::Lang::En))]
    NotAllowed(Act),
    #[error("the database is inconsistent: {0}")]
    Corrupt(String),
    #[error(
        "{0} is the last admin who can sign in: one must stay, or nobody could manage staff or read the audit log"
    )]
    LastAdmin(String),
    #[error(
        "the {} '{code}' was written by a newer version of waystation: upgrade this station to read it; the record is left as it is",
        what[1]
    )]
    Newer {
        what: [&'static str; 2],
        code: String,
    },
    /// Another connection (a sync, another console, a command) held the
    /// write lock for longer than the busy timeout: nothing was written.
    #[error(
        "the database is busy: another program (a sync?) has been writing to it for more than {} s; nothing was saved",
        BUSY_SECS
    )]
    Busy,
    /// The wall clock (milliseconds since the epoch) reads past what the
    /// log's clock can record, or this replica's clock has no next
    /// reading: nothing was written.
    #[error(
        "this computer's clock reads {}, too far ahead for the log: set the clock right; nothing was saved",
        clock_date(*.0)
    )]
    Clock(u64),
    /// A merge of two records that are one person already (or of a
    /// person into themself).
    #[error("these records are one person already")]
    SamePerson,
    /// An undo of a merge on a person that was not merged.
    #[error("this person was not merged into anyone")]
    NotMerged,
    #[error("database error: {0}")]
    Sqlite(rusqlite::Error),
}

/// Seconds a write waits for another connection's write to end (the busy
/// timeout of every connection, `Store::setup`).
pub const BUSY_SECS: u64 = 5;

/// A wall-clock reading as a date, as far as it is one.
fn clock_date(ms: u64) -> String {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .map_or_else(|| format!("{ms} ms"), |d| d.format("%Y-%m-%d").to_string())
}

impl StoreError {
    /// A stored code (a status, a role, a kind) this build does not know:
    /// written by a newer station. The record is left as it is.
    pub fn newer(what: [&'static str; 2], code: impl ToString) -> StoreError {
        StoreError::Newer {
            what,
            code: code.to_string(),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    /// A stored code this build does not know, met while reading a row,
    /// becomes [`StoreError::Newer`]; anything else stays a database error.
    fn from(e: rusqlite::Error) -> StoreError {
        if let rusqlite::Error::FromSqlConversionFailure(_, _, inner) = &e
            && let Some(n) = inner.downcast_ref::<super::codes::NewerCode>()
        {
            return StoreError::Newer {
                what: n.what,
                code: n.code.clone(),
            };
        }
        if matches!(
            e.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
        ) {
            return StoreError::Busy;
        }
        if let Some(full) = disk_error(&e) {
            return full;
        }
        StoreError::Sqlite(e)
    }
}

/// A failed write to the disk in words: SQLite says `SQLITE_FULL` for a
/// full disk it noticed itself, and a write, sync or truncate I/O error
/// where the system said "no space" (the thread's last error, set by the
/// call that failed) or it did not say.
fn disk_error(e: &rusqlite::Error) -> Option<StoreError> {
    let rusqlite::Error::SqliteFailure(f, _) = e else {
        return None;
    };
    if f.code == rusqlite::ErrorCode::DiskFull {
        return Some(StoreError::DiskFull);
    }
    if f.code != rusqlite::ErrorCode::SystemIoFailure {
        return None;
    }
    use rusqlite::ffi as io;
    let writing = [
        io::SQLITE_IOERR_WRITE,
        io::SQLITE_IOERR_FSYNC,
        io::SQLITE_IOERR_DIR_FSYNC,
        io::SQLITE_IOERR_TRUNCATE,
        io::SQLITE_IOERR_SHMSIZE,
        io::SQLITE_IOERR_SHMMAP,
    ];
    if !writing.contains(&f.extended_code) {
        return None;
    }
    if is_full(&std::io::Error::last_os_error()) {
        Some(StoreError::DiskFull)
    } else {
        Some(StoreError::DiskWrite)
    }
}

/// Whether an I/O error says the disk (or the user's quota) is full.
pub fn is_full(e: &std::io::Error) -> bool {
    if e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded
    {
        return true;
    }
    #[cfg(unix)]
    if matches!(e.raw_os_error(), Some(libc::ENOSPC | libc::EDQUOT)) {
        return true;
    }
    false
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            StoreError::Invalid(v) => v.localized(lang),
            StoreError::NotAllowed(act) => act.needs(lang),
            StoreError::NotFound(what) => t!(lang, "errors.store.not_found", what = what),
            StoreError::NoStation => t!(lang, "errors.store.no_station").to_owned(),
            StoreError::NotADatabase(p) => {
                t!(lang, "errors.store.not_a_database", path = p.display())
            }
            StoreError::NoFolder(p) => t!(lang, "errors.store.no_folder", path = p.display()),
            StoreError::CannotOpen(p) => t!(lang, "errors.store.cannot_open", path = p.display()),
            StoreError::IsFolder(p) => t!(lang, "errors.store.is_folder", path = p.display()),
            StoreError::Encrypted(p) => t!(lang, "errors.store.encrypted", path = p.display()),
            StoreError::WrongKey(p) => t!(lang, "errors.store.wrong_key", path = p.display()),
            StoreError::Crypt(e) => e.localized(lang),
            StoreError::NoDatabase(p) => t!(lang, "errors.store.no_database", path = p.display()),
            StoreError::ImpossibleVersion(v) => {
                t!(lang, "errors.store.impossible_version", version = v)
            }
            StoreError::SchemaMismatch(v) => t!(lang, "errors.store.schema_mismatch", version = v),
            StoreError::DiskFull => t!(lang, "errors.store.disk_full").to_owned(),
            StoreError::DiskWrite => t!(lang, "errors.store.disk_write").to_owned(),
            StoreError::StationExists(s) => t!(lang, "errors.store.station_exists", station = s),
            StoreError::Foreign => t!(lang, "errors.store.foreign").to_owned(),
            StoreError::TooNew { found, supported } => t!(
                lang,
                "errors.store.too_new",
                found = found,
                supported = supported
            ),
            StoreError::LastAdmin(name) => t!(lang, "admin.last_admin", name = name),
            StoreError::Newer { what, code } => {
                let what = match lang {
                    Lang::ZhCn => what[0],
                    Lang::En => what[1],
                };
                t!(lang, "errors.store.newer", what = what, code = code)
            }
            StoreError::Corrupt(m) => t!(lang, "errors.store.corrupt", what = m),
            StoreError::Busy => t!(lang, "errors.store.busy", secs = BUSY_SECS),
            StoreError::Clock(ms) => t!(lang, "errors.store.clock", at = clock_date(*ms)),
            StoreError::SamePerson => t!(lang, "errors.store.same_person").to_owned(),
            StoreError::NotMerged => t!(lang, "errors.store.not_merged").to_owned(),
            StoreError::Sqlite(e) => t!(lang, "errors.store.sqlite", error = e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the catalogue is the English of `Display`, but where
    /// the catalogue words it for staff (the last admin).
    #[test]
    fn english_words_are_the_display() {
        let p = || PathBuf::from("/data/station.db");
        let errors = [
            StoreError::NoFolder(p()),
            StoreError::IsFolder(p()),
            StoreError::NoDatabase(p()),
            StoreError::Encrypted(p()),
            StoreError::WrongKey(p()),
            StoreError::ImpossibleVersion(-1),
            StoreError::SchemaMismatch(7),
            StoreError::DiskFull,
            StoreError::DiskWrite,
            StoreError::NotADatabase(p()),
            StoreError::CannotOpen(p()),
            StoreError::Foreign,
            StoreError::TooNew {
                found: 9,
                supported: 4,
            },
            StoreError::NoStation,
            StoreError::StationExists("FT".into()),
            StoreError::NotFound("person"),
            StoreError::NotAllowed(Act::Audit),
            StoreError::Corrupt("two stations".into()),
            StoreError::newer(["案件状态", "case status"], "escalated"),
            StoreError::Busy,
            StoreError::Clock(u64::MAX),
            StoreError::Clock(1_800_000_000_000),
            StoreError::Sqlite(rusqlite::Error::InvalidQuery),
        ];
        for e in errors {
            assert_eq!(e.localized(Lang::En), e.to_string());
            assert!(!e.localized(Lang::ZhCn).contains('{'), "{e:?}");
        }
    }
}
