//! The sync network a database belongs to, changed only on purpose:
//! creating one (once, at the district office), seeing where a database
//! and a folder stand, leaving a network to join another, and putting back
//! a folder's network file that Syncthing replaced. A plain sync never
//! creates a network ([`super::session::run`] refuses a folder without
//! one when the database belongs to none).
//!
//! A folder's `network.wsn` can be replaced when a station writes another
//! network's file into the folder before Syncthing brought the district's
//! (an older build created one there). Syncthing then keeps the newer file
//! and renames the other `network.sync-conflict-<date>-<time>-<device>.wsn`.
//! [`inspect`] finds such copies; [`restore`] puts this database's network
//! back from what the database remembers (the network id and the key's
//! fingerprint), keeping the file it replaces beside it as
//! `network.other-<id>.wsn`. It does so only when a Syncthing copy of
//! this database's network file is in the folder: the one sign that the
//! folder was this network's. The file it sets aside is no such sign, so
//! a station of the other network cannot undo it in turn; it leaves its
//! network and syncs again, joining the folder's.

mod inspect;
mod restore;

use std::io::Read;
use std::path::{Path, PathBuf};

use super::bundle::{BundleError, HEADER_LEN, NetworkId, NetworkKey, parse_file_name, read_header};
use super::folder::{self, Network, SyncError};
use super::session::FINGERPRINT;
use crate::domain::access::Act;
use crate::i18n::{Lang, Localized};
use crate::store::{About, AuditAction, FOLDER, NETWORK, PASSPHRASE, Store, StoreError};
use crate::t;

pub use inspect::{
    CopyKind, FolderView, InFolder, Inspection, Membership, NetworkCopy, Verdict, copies, inspect,
};
pub use restore::{Restored, restore};

/// Why creating, leaving or restoring a network was refused.
#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("the folder {0} already has a sync network: stations join it by syncing")]
    Exists(PathBuf),
    #[error(
        "the folder {path} holds {files} sync file(s) but no network file: it is in use, not new; waystation network show {path} says more"
    )]
    InUse { path: PathBuf, files: usize },
    #[error(
        "the folder {path} holds {copy}, a copy of a network file: it has had a network; waystation network show {path} says more"
    )]
    HasCopy { path: PathBuf, copy: String },
    #[error(
        "this database already belongs to a sync network (a sync writes it onto an empty folder); to create another, leave it first: waystation network leave"
    )]
    Member,
    #[error("this database belongs to no sync network")]
    NotMember,
    #[error(
        "{0} change(s) made at this station have not been written to its network yet: sync first; or leave with --unsynced (they go to the network it joins next)"
    )]
    Unsynced(i64),
    #[error("the folder {0} already has this database's sync network: nothing to restore")]
    NothingToRestore(PathBuf),
    #[error(
        "the folder {path} belongs to the sync network {found} and holds no copy of this database's network file: nothing shows it was this network's folder"
    )]
    NoCopy { path: PathBuf, found: String },
    #[error(
        "this database does not remember its network's key fingerprint or passphrase: sync once, then try again"
    )]
    NoFingerprint,
    #[error(transparent)]
    Sync(#[from] SyncError),
}

impl From<StoreError> for NetworkError {
    fn from(e: StoreError) -> Self {
        NetworkError::Sync(SyncError::Store(e))
    }
}

impl From<BundleError> for NetworkError {
    fn from(e: BundleError) -> Self {
        NetworkError::Sync(SyncError::Bundle(e))
    }
}

impl Localized for NetworkError {
    fn localized(&self, lang: Lang) -> String {
        use NetworkError as E;
        match self {
            E::Exists(p) => t!(lang, "errors.network.exists", path = p.display()),
            E::InUse { path, files } => t!(
                lang,
                "errors.network.in_use",
                path = path.display(),
                files = files
            ),
            E::HasCopy { path, copy } => t!(
                lang,
                "errors.network.has_copy",
                path = path.display(),
                copy = copy
            ),
            E::Member => t!(lang, "errors.network.member").to_owned(),
            E::NotMember => t!(lang, "errors.network.not_member").to_owned(),
            E::Unsynced(n) => t!(lang, "errors.network.unsynced", n = n),
            E::NothingToRestore(p) => {
                t!(
                    lang,
                    "errors.network.nothing_to_restore",
                    path = p.display()
                )
            }
            E::NoCopy { path, found } => t!(
                lang,
                "errors.network.no_copy",
                path = path.display(),
                found = found
            ),
            E::NoFingerprint => t!(lang, "errors.network.no_fingerprint").to_owned(),
            E::Sync(e) => e.localized(lang),
        }
    }
}

type Result<T> = std::result::Result<T, NetworkError>;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A key fingerprint as people compare it: eight groups of four.
pub fn fingerprint_words(fp: &[u8; 16]) -> String {
    let h = hex(fp);
    let groups: Vec<&str> = (0..8).filter_map(|i| h.get(4 * i..4 * i + 4)).collect();
    groups.join(" ")
}

/// Creating or leaving a network is an admin's act; a database nobody can
/// sign in to yet (set up from the command line) lets whoever runs it.
fn require(store: &Store, act: Act) -> Result<()> {
    if store.has_sign_in()? && !store.session().is_some_and(|s| s.may(act)) {
        return Err(StoreError::NotAllowed(act).into());
    }
    Ok(())
}

/// Whether the person signed in may create or leave a network (the
/// console asks before offering it; [`create`] and [`leave`] decide).
pub fn may_change(store: &Store) -> bool {
    require(store, Act::Network).is_ok()
}

/// Remembers `id` as this database's network, with its key's fingerprint,
/// the passphrase and the folder (as a sync does).
fn remember(
    store: &mut Store,
    folder: &Path,
    id: NetworkId,
    key: &NetworkKey,
    passphrase: &str,
) -> Result<()> {
    store.set_setting(NETWORK, Some(&id.0.to_string()))?;
    store.set_setting(FINGERPRINT, Some(&hex(&key.fingerprint())))?;
    store.set_setting(PASSPHRASE, Some(passphrase))?;
    let full = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    store.set_setting(FOLDER, Some(&full.to_string_lossy()))?;
    Ok(())
}

/// Creates a sync network in `folder` (once, at the district office) with
/// `passphrase`, and makes this database its first member. Refused when
/// this database already belongs to a network, and for a folder that has
/// a network file, a copy of one, or sync files: a folder in use is
/// never given a second network.
pub fn create(store: &mut Store, folder: &Path, passphrase: &str) -> Result<Network> {
    store.require_station()?;
    require(store, Act::Network)?;
    can_create(store, folder)?;
    if passphrase.trim().is_empty() {
        return Err(SyncError::NeedPassphrase.into());
    }
    let id = NetworkId::new();
    let key = NetworkKey::derive(passphrase, id)?;
    // The file first: a file without a member is simply joined by the
    // next sync.
    let net = folder::create_network(folder, id, &key)?;
    remember(store, folder, id, &key, passphrase)?;
    tracing::info!(network = %id.0, folder = %folder.display(), "created a sync network");
    store.record_audit(
        AuditAction::NetworkCreate,
        About::Records("network"),
        &serde_json::json!({
            "network": id.0.to_string(),
            "folder": folder.display().to_string(),
        }),
    )?;
    Ok(net)
}

/// Whether a network may be created in `folder` by this database (who is
/// signed in aside): [`create`]'s checks, for asking before the
/// passphrase.
pub fn can_create(store: &Store, folder: &Path) -> Result<()> {
    if store.sync_settings()?.network.is_some() {
        return Err(NetworkError::Member);
    }
    if folder::read_network(folder)?.is_some() {
        return Err(NetworkError::Exists(folder.to_owned()));
    }
    if let Some(copy) = copies(folder)?.into_iter().next() {
        return Err(NetworkError::HasCopy {
            path: folder.to_owned(),
            copy: copy.name,
        });
    }
    let files = folder::scan(folder)?.len();
    if files > 0 {
        return Err(NetworkError::InUse {
            path: folder.to_owned(),
            files,
        });
    }
    Ok(())
}

/// Operations of this replica not yet written into a sync folder.
pub fn unsynced(store: &Store) -> Result<i64> {
    Ok((store.last_seq()? - store.exported_upto()?).max(0))
}

/// What [`leave`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Left {
    /// The network left.
    pub network: NetworkId,
    /// Changes made here that had not reached it (left with `unsynced`).
    pub unsynced: i64,
}

/// Forgets the network, its passphrase and its folder, so that this
/// database can join another by syncing with its folder. Refused while
/// changes made here have not been written to the network (unless
/// `unsynced`): once it has left, they reach that network only if it
/// joins again.
///
/// Everything already written out stays valid: the replica id, the log
/// and the notes of how far its own operations went out are kept. The
/// operations in the old network's folders are this replica's under
/// these sequence numbers, and never anything else; without the notes,
/// the next sync with a folder holding them would take this database for
/// a restored backup and move its operations to a new replica id.
pub fn leave(store: &mut Store, unsynced_ok: bool) -> Result<Left> {
    require(store, Act::Network)?;
    let Some(network) = store.sync_settings()?.network else {
        return Err(NetworkError::NotMember);
    };
    let pending = unsynced(store)?;
    if pending > 0 && !unsynced_ok {
        return Err(NetworkError::Unsynced(pending));
    }
    for key in [FOLDER, PASSPHRASE, FINGERPRINT, NETWORK] {
        store.set_setting(key, None)?;
    }
    tracing::info!(network = %network.0, unsynced = pending, "left the sync network");
    store.record_audit(
        AuditAction::NetworkLeave,
        About::Records("network"),
        &serde_json::json!({ "network": network.0.to_string(), "unsynced": pending }),
    )?;
    Ok(Left {
        network,
        unsynced: pending,
    })
}

/// The fingerprint of this database's network key: as remembered, or from
/// the passphrase it keeps.
pub(super) fn own_fingerprint(store: &Store, id: NetworkId) -> Result<Option<[u8; 16]>> {
    if let Some(text) = store.setting(FINGERPRINT)? {
        let mut fp = [0u8; 16];
        let ok = text.len() == 32
            && fp.iter_mut().enumerate().all(|(i, b)| {
                text.get(2 * i..2 * i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .map(|v| *b = v)
                    .is_some()
            });
        if ok {
            return Ok(Some(fp));
        }
    }
    match store.sync_settings()?.passphrase {
        Some(p) => Ok(Some(NetworkKey::derive(&p, id)?.fingerprint())),
        None => Ok(None),
    }
}

/// On joining the folder's network `network`: this replica's own files
/// there whose header names another network (written while it belonged
/// to one it has left, when the folder was that network's) can be read by
/// no station of this one, and their names would keep it from writing
/// those ranges again. Those whose operations this database holds are
/// removed; the export of the same sync writes them again under this
/// network. Best effort: a file that cannot be read or removed is left
/// (and refused by the others as before). Returns how many were removed.
pub(crate) fn clear_left_files(store: &Store, folder: &Path, network: NetworkId) -> usize {
    let own = folder.join(store.replica_id().0.as_simple().to_string());
    let Ok(entries) = std::fs::read_dir(&own) else {
        return 0;
    };
    let Ok(known) = store.knowledge() else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let Some((origin, _, last)) = entry.file_name().to_str().and_then(parse_file_name) else {
            continue;
        };
        if known.get(&origin).is_none_or(|h| h.contiguous < last) {
            continue;
        }
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut head = Vec::with_capacity(HEADER_LEN);
        let read = std::fs::File::open(&path)
            .and_then(|f| f.take(HEADER_LEN as u64).read_to_end(&mut head));
        let other = read.is_ok() && read_header(&head).is_ok_and(|h| h.network != network);
        if !other {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) => {
                tracing::warn!(file = %path.display(), "cannot remove a file of a network left: {e}")
            }
        }
    }
    if removed > 0 {
        tracing::info!(removed, "removed own files of a network left");
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the catalogue is the English of `Display`.
    #[test]
    fn english_words_are_the_display() {
        let p = || PathBuf::from("/media/stick/sync");
        let errors = [
            NetworkError::Exists(p()),
            NetworkError::InUse {
                path: p(),
                files: 3,
            },
            NetworkError::HasCopy {
                path: p(),
                copy: "network.sync-conflict-20261120-101010-ABCDEFG.wsn".into(),
            },
            NetworkError::Member,
            NetworkError::NotMember,
            NetworkError::Unsynced(12),
            NetworkError::NothingToRestore(p()),
            NetworkError::NoCopy {
                path: p(),
                found: NetworkId::new().0.to_string(),
            },
            NetworkError::NoFingerprint,
            NetworkError::Sync(SyncError::WrongPassphrase),
        ];
        for e in errors {
            assert_eq!(e.localized(Lang::En), e.to_string());
            assert!(!e.localized(Lang::ZhCn).contains('{'), "{e:?}");
        }
    }

    #[test]
    fn fingerprints_read_in_groups_of_four() {
        let fp = [
            0x3f, 0x9a, 0x1c, 0x2e, 0x77, 0xb0, 0x4d, 0x21, 0, 1, 2, 3, 4, 5, 6, 7,
        ];
        assert_eq!(
            fingerprint_words(&fp),
            "3f9a 1c2e 77b0 4d21 0001 0203 0405 0607"
        );
    }
}
