//! One sync per database at a time. A second `waystation sync` (or F5)
//! on a database that is syncing says so and stops before it touches
//! anything, instead of racing the first one for the same files.
//!
//! The lock is the system's advisory lock on a file beside the database,
//! `<database>.sync-lock`, held for the whole sync. The system lets go of
//! it when the process ends, however it ends, so a killed sync never
//! leaves a database locked. The file itself stays (it holds nothing).

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};

use super::folder::SyncError;

/// Held while a sync runs; dropping it lets the next sync in.
#[derive(Debug)]
pub struct SyncLock {
    _file: Option<File>,
}

/// The lock file of the database at `db`.
pub fn lock_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(".sync-lock");
    PathBuf::from(name)
}

/// Takes the sync lock of the database at `db` (`None`: a database in
/// memory, which nothing else can sync). [`SyncError::Busy`] when another
/// sync holds it. Where the file system has no locks (some network
/// shares), the sync goes on unlocked, as before there was a lock.
pub fn lock(db: Option<&Path>) -> Result<SyncLock, SyncError> {
    let Some(db) = db else {
        return Ok(SyncLock { _file: None });
    };
    let path = lock_path(db);
    let file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|source| SyncError::Io {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => Ok(SyncLock { _file: Some(file) }),
        Err(TryLockError::WouldBlock) => Err(SyncError::Busy),
        Err(TryLockError::Error(e)) => {
            tracing::warn!(file = %path.display(), "cannot lock, syncing unlocked: {e}");
            Ok(SyncLock { _file: None })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_is_refused_until_the_first_is_let_go() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("ft.db");
        let first = lock(Some(&db)).unwrap();
        assert!(matches!(lock(Some(&db)), Err(SyncError::Busy)));
        let other = dir.path().join("ns.db");
        let _unrelated = lock(Some(&other)).unwrap();
        drop(first);
        let _again = lock(Some(&db)).unwrap();
        assert!(lock(None).is_ok());
        assert_eq!(lock_path(&db), dir.path().join("ft.db.sync-lock"));
    }
}
