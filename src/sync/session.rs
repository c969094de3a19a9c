//! One sync as staff run it, from the command line or the console: the
//! network this database belongs to, the passphrase it keeps, a restored
//! backup noticed before it can reuse sequence numbers, station codes kept
//! unique, then the exchange itself ([`folder::sync`]). A sync joins the
//! folder's network or writes its own onto an empty folder; it never
//! creates one ([`super::network::create`] does, on purpose).

use std::path::Path;

use super::bundle::{NetworkId, NetworkKey};
use super::folder::{self, SyncError, SyncReport};
use super::network;
use crate::store::Store;
use crate::store::{FOLDER, LAST_SYNC, NETWORK, PASSPHRASE};

/// The environment variable that supplies the passphrase to scripts.
pub const PASSPHRASE_ENV: &str = "WAYSTATION_SYNC_PASSPHRASE";

/// The passphrase from the environment, if set.
pub fn env_passphrase() -> Option<String> {
    std::env::var(PASSPHRASE_ENV)
        .ok()
        .filter(|p| !p.trim().is_empty())
}

/// Settings key of the fingerprint of the kept network key.
pub(crate) const FINGERPRINT: &str = "sync.fingerprint";

/// Settings key of the id of the computer (its data folder's) that last
/// synced this database.
const INSTALL: &str = "sync.install";

/// The file in the data folder that holds the computer's install id.
const INSTALL_FILE: &str = "install-id";

/// The random id of this computer's data folder `marks`, made on first
/// use; `None` when it can be neither read nor made (nothing is then
/// compared).
fn install_id(marks: &Path) -> Option<String> {
    let file = marks.join(INSTALL_FILE);
    let valid = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Ok(text) = std::fs::read_to_string(&file) {
        let text = text.trim();
        if valid(text) {
            return Some(text.to_owned());
        }
    }
    let id = format!("{:032x}", rand::random::<u128>());
    std::fs::create_dir_all(marks).ok()?;
    match std::fs::write(&file, &id) {
        Ok(()) => Some(id),
        Err(e) => {
            tracing::warn!(file = %file.display(), "cannot note this computer's id: {e}");
            None
        }
    }
}

/// What a sync did, besides the exchange.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    pub report: SyncReport,
    /// The network was created just before this sync (the console creates
    /// and syncs in one go); a sync itself never creates one.
    pub created_network: bool,
    /// This database had not synced before: it joined the folder's network.
    pub joined: bool,
    /// The database found itself restored from a backup and took a new
    /// replica id before exchanging.
    pub new_replica: bool,
    /// The database last synced on another computer (a copy): it took a
    /// new replica id before exchanging.
    pub copied: bool,
    /// Entries on the conflicts list after the sync.
    pub conflicts: usize,
    /// On joining: files of its own that this replica had written into the
    /// folder under a network it left, removed (and written again under
    /// this one).
    pub left_files_removed: usize,
}

type Result<T> = std::result::Result<T, SyncError>;

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Runs one sync with `folder`. `passphrase`: typed or from the
/// environment; `None` uses the one this database keeps
/// ([`SyncError::NeedPassphrase`] when it keeps none). `marks`: a folder
/// outside the database (the data folder) where the highest exported
/// sequence number is also noted, so that a database restored from a
/// backup is noticed even when the folder at hand never saw the lost
/// operations.
pub fn run(
    store: &mut Store,
    folder: &Path,
    passphrase: Option<&str>,
    marks: Option<&Path>,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<Outcome> {
    // One sync of a database at a time; the second stops here, having
    // touched nothing.
    let _lock = super::lock::lock(store.file_path().as_deref())?;
    let own_station = store.require_station()?;
    let mut outcome = Outcome::default();
    let net = folder::read_network(folder)?;
    let kept = store.sync_settings()?;
    let remembered = kept.network;
    if net.is_none() && remembered.is_none() {
        // A station whose Syncthing has not brought the folder yet must
        // not found a network of its own there: Syncthing would keep the
        // newer file and cut the district off. Creating is deliberate.
        return Err(SyncError::NoNetwork(folder.to_owned()));
    }
    let kept = kept.passphrase;
    let pass = match passphrase.map(str::to_owned).or(kept) {
        Some(p) if !p.trim().is_empty() => p,
        _ => return Err(SyncError::NeedPassphrase),
    };
    let derive = |id: NetworkId| NetworkKey::derive(&pass, id).map_err(SyncError::Bundle);
    let (id, key) = match (net, remembered) {
        (Some(n), Some(r)) if n.id != r => return Err(SyncError::OtherNetwork(folder.to_owned())),
        (Some(n), r) => {
            let key = derive(n.id)?;
            folder::check_key(&n, &key)?;
            outcome.joined = r.is_none();
            if outcome.joined {
                outcome.left_files_removed = network::clear_left_files(store, folder, n.id);
            }
            (n.id, key)
        }
        (None, Some(r)) => {
            // A new stick for a station already in a network: the same
            // network, if the passphrase is the one it knows. In a
            // Syncthing folder that has not arrived yet, this writes the
            // file the district's already has: harmless.
            let key = derive(r)?;
            if store
                .setting(FINGERPRINT)?
                .is_some_and(|f| f != hex(&key.fingerprint()))
            {
                return Err(SyncError::WrongPassphrase);
            }
            folder::create_network(folder, r, &key)?;
            (r, key)
        }
        (None, None) => return Err(SyncError::NoNetwork(folder.to_owned())),
    };

    // The data folder of the computer syncing: one the database has not
    // synced from before means it was copied to another computer (also
    // one a machine id cannot tell apart, or a file on a shared drive
    // opened from two computers): it writes under a new replica id.
    if let Some(m) = marks {
        let here = install_id(m);
        let known = store.setting(INSTALL)?;
        if let (Some(here), Some(known)) = (&here, &known)
            && here != known
        {
            let from = store.last_seq()? + 1;
            store.take_new_replica_id(from)?;
            outcome.copied = true;
            tracing::warn!(
                "this database last synced on another computer: writing under a new replica id"
            );
        }
        if let Some(here) = here
            && known.as_ref() != Some(&here)
        {
            store.set_setting(INSTALL, Some(&here))?;
        }
    }

    // A restored backup: operations of this replica were written out
    // beyond what the database remembers. Those it wrote since may differ
    // from them under the same numbers: they move to a new replica id.
    // Only whole, authenticated files count: a file merely named with
    // this replica's id proves nothing.
    let own = store.replica_id();
    let mark_file = marks.map(|m| m.join(format!("exported-{}", own.0.as_simple())));
    let exported = store.exported_upto()?;
    let in_folder = folder::own_written_beyond(folder, own, exported, id, &key)?;
    let noted = mark_file
        .as_ref()
        .and_then(|p| std::fs::read_to_string(p).ok())
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    if in_folder.max(noted) > exported {
        let old = store.replica_id();
        store.take_new_replica_id(exported + 1)?;
        tracing::warn!(
            old = %old.0, new = %store.replica_id().0, exported, in_folder, noted,
            "restored from a backup: writing under a new replica id"
        );
        outcome.new_replica = true;
    }

    // Remember the network before anything is exchanged: from now on this
    // database refuses other networks' folders.
    store.set_setting(NETWORK, Some(&id.0.to_string()))?;
    store.set_setting(FINGERPRINT, Some(&hex(&key.fingerprint())))?;
    store.set_setting(PASSPHRASE, Some(&pass))?;
    let full = std::fs::canonicalize(folder).unwrap_or_else(|_| folder.to_owned());
    store.set_setting(FOLDER, Some(&full.to_string_lossy()))?;

    let mut report = folder::import(store, folder, id, &key, progress)?;

    // Case numbers start with the station code: two stations of one
    // network must not share it. Nothing of this station leaves until the
    // code is changed.
    if let Some(other) = store.station_with_code(&own_station.code, own_station.id)? {
        return Err(SyncError::StationCodeTaken {
            code: own_station.code,
            name: other,
        });
    }

    // Note how far this replica's own operations go out *before* writing
    // them: a sync killed after writing but before noting would otherwise
    // look like a restored backup next time. Noted but not yet written is
    // harmless: the next export writes what the folder lacks.
    let own = store.replica_id();
    let upto = store.knowledge()?.get(&own).map_or(0, |h| h.contiguous);
    store.set_exported_upto(upto)?;
    if let Some(p) = marks.map(|m| m.join(format!("exported-{}", own.0.as_simple()))) {
        // Best effort: the database's own note is the one that counts.
        if let Some(dir) = p.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = std::fs::write(&p, upto.to_string()) {
            tracing::warn!(file = %p.display(), "cannot note the exported range: {e}");
        }
    }
    folder::export(store, folder, id, &key, progress, &mut report)?;
    store.set_setting(LAST_SYNC, Some(&chrono::Utc::now().to_rfc3339()))?;
    outcome.conflicts = store.conflict_count()?;
    outcome.report = report;
    Ok(outcome)
}
