//! Where a database and a folder stand: the network each belongs to, the
//! copies of network files in the folder, and what that comes to.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{Result, own_fingerprint, unsynced};
use crate::store::Store;
use crate::sync::bundle::NetworkId;
use crate::sync::folder::{self, Network, SyncError};

/// How Syncthing names the copy of a file it did not keep.
const CONFLICT_PREFIX: &str = "network.sync-conflict-";
/// How [`super::restore`] names the network file it sets aside.
pub(super) const SET_ASIDE_PREFIX: &str = "network.other-";
pub(super) const SUFFIX: &str = ".wsn";
/// A network file is three short lines: a longer file is not one.
const MAX_NETWORK_FILE: u64 = 4096;

/// What a database remembers of its network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub network: NetworkId,
    /// `None` only when neither the fingerprint nor the passphrase is kept.
    pub fingerprint: Option<[u8; 16]>,
    pub passphrase_kept: bool,
    /// The folder of its last sync.
    pub folder: Option<PathBuf>,
    /// Its own changes not yet written to the network.
    pub unsynced: i64,
}

impl Membership {
    /// Whether `net` is this network.
    pub fn is(&self, net: &Network) -> bool {
        net.id == self.network && self.fingerprint.is_none_or(|f| f == net.fingerprint)
    }
}

/// A folder's `network.wsn`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InFolder {
    /// The folder itself is not there (a stick not plugged in).
    NoFolder,
    Missing,
    /// Not a network file (damaged, or something else under that name).
    Unreadable,
    Found(Network),
}

/// Which kind of copy of a network file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyKind {
    /// Syncthing's copy of the version it did not keep.
    Syncthing,
    /// Set aside by [`super::restore`].
    SetAside,
}

/// A copy of a network file in a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkCopy {
    pub name: String,
    pub kind: CopyKind,
    /// `None`: not readable as a network file.
    pub network: Option<Network>,
}

/// A folder as [`inspect`] sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderView {
    pub path: PathBuf,
    pub network: InFolder,
    pub copies: Vec<NetworkCopy>,
    /// Sync files in the replicas' folders.
    pub files: usize,
}

/// Where a database and a folder stand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    pub member: Option<Membership>,
    /// `None`: no folder given and none used yet.
    pub folder: Option<FolderView>,
}

/// What an [`Inspection`] comes to, and so what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// No folder to compare with.
    NoFolder,
    /// The folder does not exist.
    FolderMissing,
    /// The folder's network is this database's: syncing works.
    Same,
    /// The folder has no network; the next sync writes this database's
    /// into it (a new stick; a Syncthing folder not arrived yet: the same
    /// network, harmless).
    WrittenBySync,
    /// This database has no network; a sync with the passphrase joins the
    /// folder's.
    JoinedBySync,
    /// Neither has a network: wait for the folder, or create one at the
    /// district office.
    Neither,
    /// The folder's network file is another network's, and Syncthing's
    /// copy of this database's is in the folder: [`restore`].
    Replaced { copy: String },
    /// The folder's network is another one, and this database's file was
    /// set aside there by a restore: this station leaves its network and
    /// joins the folder's.
    SetAside { copy: String },
    /// Another network, and nothing of this database's network in the
    /// folder: another district's folder, or the wrong network here.
    Other,
    /// The folder's network file cannot be read.
    Unreadable,
}

impl Inspection {
    pub fn verdict(&self) -> Verdict {
        let Some(f) = &self.folder else {
            return Verdict::NoFolder;
        };
        let ours = |kind: CopyKind| {
            let m = self.member.as_ref()?;
            f.copies
                .iter()
                .find(|c| c.kind == kind && c.network.as_ref().is_some_and(|n| m.is(n)))
                .map(|c| c.name.clone())
        };
        match (&f.network, &self.member) {
            (InFolder::Found(n), Some(m)) if m.is(n) => Verdict::Same,
            (InFolder::Found(_), None) => Verdict::JoinedBySync,
            (InFolder::Found(_), Some(_)) => {
                if let Some(copy) = ours(CopyKind::Syncthing) {
                    Verdict::Replaced { copy }
                } else if let Some(copy) = ours(CopyKind::SetAside) {
                    Verdict::SetAside { copy }
                } else {
                    Verdict::Other
                }
            }
            (InFolder::Missing, Some(_)) => Verdict::WrittenBySync,
            (InFolder::Missing, None) => Verdict::Neither,
            (InFolder::Unreadable, _) => Verdict::Unreadable,
            (InFolder::NoFolder, _) => Verdict::FolderMissing,
        }
    }
}

/// Reads at most [`MAX_NETWORK_FILE`] bytes of a regular file (never a
/// FIFO or a device: those are not read at all).
fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_NETWORK_FILE {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(MAX_NETWORK_FILE)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

/// The copies of network files in `folder`, by name.
pub fn copies(folder: &Path) -> Result<Vec<NetworkCopy>> {
    let io = |source| SyncError::Io {
        path: folder.to_owned(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io)? {
        let entry = entry.map_err(io)?;
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let kind = if name.starts_with(CONFLICT_PREFIX) {
            CopyKind::Syncthing
        } else if name.starts_with(SET_ASIDE_PREFIX) {
            CopyKind::SetAside
        } else {
            continue;
        };
        if !name.ends_with(SUFFIX) {
            continue;
        }
        let network = read_small(&entry.path()).and_then(|t| Network::decode(&t));
        out.push(NetworkCopy {
            name,
            kind,
            network,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub(super) fn view(folder: &Path) -> Result<FolderView> {
    if !folder.is_dir() {
        return Ok(FolderView {
            path: folder.to_owned(),
            network: InFolder::NoFolder,
            copies: Vec::new(),
            files: 0,
        });
    }
    let network = match folder::read_network(folder) {
        Ok(Some(n)) => InFolder::Found(n),
        Ok(None) => InFolder::Missing,
        Err(SyncError::BadNetworkFile(_)) => InFolder::Unreadable,
        Err(e) => return Err(e.into()),
    };
    Ok(FolderView {
        path: folder.to_owned(),
        network,
        copies: copies(folder)?,
        files: folder::scan(folder)?.len(),
    })
}

/// Where this database and `folder` (or, without one, the folder of its
/// last sync) stand. Reads the folder, changes nothing.
pub fn inspect(store: &Store, folder: Option<&Path>) -> Result<Inspection> {
    let kept = store.sync_settings()?;
    let member = match kept.network {
        Some(id) => Some(Membership {
            network: id,
            fingerprint: own_fingerprint(store, id)?,
            passphrase_kept: kept.passphrase.is_some(),
            folder: kept.folder.as_ref().map(PathBuf::from),
            unsynced: unsynced(store)?,
        }),
        None => None,
    };
    let folder = folder
        .map(Path::to_owned)
        .or_else(|| kept.folder.map(PathBuf::from));
    let folder = match folder {
        Some(f) => Some(view(&f)?),
        None => None,
    };
    Ok(Inspection { member, folder })
}
