//! Putting back a folder's network file that Syncthing replaced.

use std::io::Write;
use std::path::Path;

use super::inspect::{CopyKind, InFolder, SET_ASIDE_PREFIX, SUFFIX, view};
use super::{NetworkError, Result, own_fingerprint};
use crate::store::{About, AuditAction, Store};
use crate::sync::folder::{NETWORK_FILE, Network, SyncError};

/// What [`restore`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// The name the replaced network file has now, if there was one.
    pub set_aside: Option<String>,
    /// Syncthing's copies of this network's file, removed: the file is
    /// `network.wsn` again.
    pub removed: Vec<String>,
}

/// The first free name `network.other-<tag>[-n].wsn`.
fn set_aside_name(folder: &Path, tag: &str) -> String {
    (1..)
        .map(|n| match n {
            1 => format!("{SET_ASIDE_PREFIX}{tag}{SUFFIX}"),
            n => format!("{SET_ASIDE_PREFIX}{tag}-{n}{SUFFIX}"),
        })
        .find(|name| std::fs::symlink_metadata(folder.join(name)).is_err())
        .unwrap_or_default()
}

/// Writes `net` as the folder's network file: a temporary file, flushed,
/// renamed over `network.wsn`.
fn write_network_file(folder: &Path, net: &Network) -> Result<()> {
    let path = folder.join(NETWORK_FILE);
    // A name of its own: two restores at once (two stations of one
    // network at the same folder) never write into one temporary file.
    let tmp = folder.join(crate::sync::bundle::unique_temp_name(NETWORK_FILE));
    let io = |p: &Path| {
        let p = p.to_owned();
        move |source| SyncError::Io { path: p, source }
    };
    let written = (|| {
        let mut f = std::fs::File::create_new(&tmp).map_err(io(&tmp))?;
        f.write_all(net.encode().as_bytes()).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io(&path))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    Ok(written?)
}

/// Puts this database's network file back into `folder`, from the id and
/// key fingerprint the database remembers. The file there, if any, is
/// kept beside it as `network.other-<last 8 hex digits of its id>.wsn`
/// (`network.other-unreadable.wsn` when it is not a network file), and
/// Syncthing's copies of this network's file are removed (they are
/// `network.wsn` again). When the folder's file is another network's, it
/// must hold Syncthing's copy of this one's: otherwise nothing shows the
/// folder was this network's, and it is refused.
pub fn restore(store: &mut Store, folder: &Path) -> Result<Restored> {
    let Some(id) = store.sync_settings()?.network else {
        return Err(NetworkError::NotMember);
    };
    let fingerprint = own_fingerprint(store, id)?.ok_or(NetworkError::NoFingerprint)?;
    let ours = Network { id, fingerprint };
    let seen = view(folder)?;
    let syncthing_copies: Vec<String> = seen
        .copies
        .iter()
        .filter(|c| c.kind == CopyKind::Syncthing && c.network == Some(ours))
        .map(|c| c.name.clone())
        .collect();
    let tag = match &seen.network {
        InFolder::Found(n) if *n == ours => {
            return Err(NetworkError::NothingToRestore(folder.to_owned()));
        }
        InFolder::Found(n) if syncthing_copies.is_empty() => {
            return Err(NetworkError::NoCopy {
                path: folder.to_owned(),
                found: n.id.0.to_string(),
            });
        }
        // The last digits: the first ones of a UUIDv7 are its time, the
        // same for two networks made the same minute.
        InFolder::Found(n) => Some(n.id.0.as_simple().to_string()[24..].to_owned()),
        InFolder::Unreadable => Some("unreadable".to_owned()),
        InFolder::Missing => None,
        InFolder::NoFolder => return Err(SyncError::NoFolder(folder.to_owned()).into()),
    };
    let set_aside = match tag {
        Some(tag) => {
            let name = set_aside_name(folder, &tag);
            let to = folder.join(&name);
            std::fs::rename(folder.join(NETWORK_FILE), &to)
                .map_err(|source| SyncError::Io { path: to, source })?;
            Some(name)
        }
        None => None,
    };
    write_network_file(folder, &ours)?;
    let mut removed = Vec::new();
    for name in syncthing_copies {
        match std::fs::remove_file(folder.join(&name)) {
            Ok(()) => removed.push(name),
            Err(e) => tracing::warn!(file = %name, "cannot remove a copy of the network file: {e}"),
        }
    }
    tracing::info!(network = %id.0, ?set_aside, "put the network file back");
    store.record_audit(
        AuditAction::NetworkRestore,
        About::Records("network"),
        &serde_json::json!({
            "network": id.0.to_string(),
            "folder": folder.display().to_string(),
            "set_aside": set_aside,
            "removed": removed,
        }),
    )?;
    Ok(Restored { set_aside, removed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_aside_names_never_replace_a_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            set_aside_name(dir.path(), "0190abcd"),
            "network.other-0190abcd.wsn"
        );
        std::fs::write(dir.path().join("network.other-0190abcd.wsn"), "x").unwrap();
        assert_eq!(
            set_aside_name(dir.path(), "0190abcd"),
            "network.other-0190abcd-2.wsn"
        );
    }
}
