//! Exchanging operations through a folder: a USB stick, a network share or
//! a Syncthing folder.
//!
//! Layout, safe for sticks and for Syncthing:
//!
//! ```text
//! FOLDER/
//!   network.wsn                 the network's id and key fingerprint (written
//!                               once, by the station that created it)
//!   <replica id, 32 hex>/       one folder per replica: only that replica
//!     ws-<origin>-<first>-<last>.wsb   writes in it, so every path has one
//!                               writer; bundles of its own and relayed ops
//!     redacted.wsr              how far its erasures are reflected there
//! ```
//!
//! A file is written under a hidden temporary name of its own, flushed,
//! then renamed. A bundle holding an origin's operations is written at
//! that origin's sub-folder by whichever replica writes it, and its bytes
//! depend only on its operations, so two replicas writing it write the
//! same file (see `heal.rs`); older folders also hold bundles relayed into
//! the relaying replica's own sub-folder, which are read the same way. A
//! bundle is written again with the same operations once an erasure
//! redacted some of them (see [`REDACTED_FILE`]), or when it is found
//! damaged. Nothing else is ever deleted but waystation's own temporary
//! files older than a day. Anything else in the folder (Syncthing's
//! temporary and `.sync-conflict-` files, a half-copied file, a folder or a
//! pipe with a bundle's name) is ignored or refused on its own, without
//! stopping the rest (see `intake.rs`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::bundle::{
    BundleError, NetworkId, NetworkKey, file_name, parse_bundle_name, unique_temp_name,
    write_bundle,
};
use super::heal;
use super::intake::{Claim, Refusal, Root, read_bundle_file, read_bundle_head, read_small};
use crate::domain::ids::ReplicaId;
use crate::i18n::{Lang, Localized};
use crate::store::{SplitNoted, Store, StoreError};
use crate::t;

/// The file that names the network of a folder.
pub const NETWORK_FILE: &str = "network.wsn";

/// At most this many operations in one bundle file.
pub const OPS_PER_FILE: i64 = 50_000;

/// What stops a sync as a whole (a single bad file does not: it is listed
/// in [`SyncReport::refused`]).
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("the sync folder {0} does not exist")]
    NoFolder(PathBuf),
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0} is not a waystation network file")]
    BadNetworkFile(PathBuf),
    #[error("the sync passphrase does not match this folder's network")]
    WrongPassphrase,
    #[error("this database belongs to another sync network than the folder {0}")]
    OtherNetwork(PathBuf),
    /// Neither the folder nor this database has a network: a sync joins
    /// nothing and writes nothing (creating one is `network::create`).
    #[error(
        "the folder {0} has no sync network: nothing was joined or written. Wait until the folder has arrived (Syncthing), then sync again; the district office creates one, once: waystation network create {0}"
    )]
    NoNetwork(PathBuf),
    #[error("a sync passphrase is needed")]
    NeedPassphrase,
    #[error("station {name} already uses the station code {code} in this network")]
    StationCodeTaken { code: String, name: String },
    /// Another sync of the same database holds its sync lock.
    #[error("another sync of this database is running: wait for it to finish, then sync again")]
    Busy,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Bundle(#[from] BundleError),
}

/// A sync error in the user's language.
impl Localized for SyncError {
    fn localized(&self, lang: Lang) -> String {
        use SyncError as E;
        match self {
            E::Store(s) => s.localized(lang),
            E::Bundle(b) => b.localized(lang),
            E::WrongPassphrase => t!(lang, "errors.sync.wrong_passphrase").to_owned(),
            E::NoFolder(p) => t!(lang, "errors.sync.no_folder", path = p.display()),
            E::BadNetworkFile(p) => t!(lang, "errors.sync.bad_network_file", path = p.display()),
            E::Io { path, source } => t!(
                lang,
                "errors.sync.io",
                path = path.display(),
                error = source
            ),
            E::OtherNetwork(p) => t!(lang, "errors.sync.other_network", path = p.display()),
            E::NoNetwork(p) => t!(lang, "errors.sync.no_network", path = p.display()),
            E::NeedPassphrase => t!(lang, "errors.sync.need_passphrase").to_owned(),
            E::Busy => t!(lang, "errors.sync.busy").to_owned(),
            E::StationCodeTaken { code, name } => t!(
                lang,
                "errors.sync.station_code_taken",
                name = name,
                code = code
            ),
        }
    }
}

type Result<T> = std::result::Result<T, SyncError>;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| SyncError::Io {
        path: path.to_owned(),
        source,
    }
}

/// A folder's network: its id and the fingerprint of its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    pub id: NetworkId,
    pub fingerprint: [u8; 16],
}

impl Network {
    /// The text of a network file.
    pub(crate) fn encode(&self) -> String {
        let fp: String = self
            .fingerprint
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!(
            "waystation-network 1\nid {}\nkey {fp}\n",
            self.id.0.as_hyphenated()
        )
    }

    /// A network file's text read back; `None` for anything else.
    pub(crate) fn decode(text: &str) -> Option<Network> {
        let mut lines = text.lines();
        if lines.next()? != "waystation-network 1" {
            return None;
        }
        let id = NetworkId(Uuid::try_parse(lines.next()?.strip_prefix("id ")?).ok()?);
        let hex = lines.next()?.strip_prefix("key ")?;
        if hex.len() != 32 {
            return None;
        }
        let mut fingerprint = [0u8; 16];
        for (i, b) in fingerprint.iter_mut().enumerate() {
            *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Network { id, fingerprint })
    }
}

/// Reads the folder's network file; `None` when the folder has none yet.
pub fn read_network(folder: &Path) -> Result<Option<Network>> {
    if !folder.is_dir() {
        return Err(SyncError::NoFolder(folder.to_owned()));
    }
    let path = folder.join(NETWORK_FILE);
    let root = Root::new(folder).map_err(io(folder))?;
    // Read with the care of a bundle: a pipe or a huge file of that name
    // is a bad network file, not a sync that waits or fills the memory.
    match read_small(&root, &path, 4096) {
        Ok(Some(bytes)) => std::str::from_utf8(&bytes)
            .ok()
            .and_then(Network::decode)
            .map(Some)
            .ok_or(SyncError::BadNetworkFile(path)),
        Ok(None) => Ok(None),
        Err(Refusal::Unreadable(e)) => Err(io(&path)(std::io::Error::other(e))),
        Err(_) => Err(SyncError::BadNetworkFile(path)),
    }
}

/// Creates the network of an empty folder (the first sync into it).
pub fn create_network(folder: &Path, id: NetworkId, key: &NetworkKey) -> Result<Network> {
    let net = Network {
        id,
        fingerprint: key.fingerprint(),
    };
    write_new(folder, NETWORK_FILE, net.encode().as_bytes())?;
    Ok(net)
}

/// Checks that `key` is the key of the folder's network.
pub fn check_key(net: &Network, key: &NetworkKey) -> Result<()> {
    if key.fingerprint() == net.fingerprint {
        Ok(())
    } else {
        Err(SyncError::WrongPassphrase)
    }
}

/// Writes `bytes` as `dir/name` through a hidden temporary file whose name
/// no other write uses (two syncs at once never share one): flushed to the
/// device, then renamed, so no reader ever sees half a file. A temporary
/// file left by a failed write is removed.
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(unique_temp_name(name));
    let path = dir.join(name);
    let written = (|| {
        let mut f = std::fs::File::create_new(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
        drop(f);
        std::fs::rename(&tmp, &path).map_err(io(&path))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// One bundle file found in the folder: where, and what its name claims
/// (origin and range), which nothing has checked yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub origin: ReplicaId,
    pub first: i64,
    pub last: i64,
}

impl Found {
    fn claim(&self) -> Claim {
        Claim {
            origin: self.origin,
            first: self.first,
            last: self.last,
        }
    }
}

/// Every name of a bundle in the replicas' folders, by origin and range,
/// whatever is under it (a file, a folder, a pipe …).
pub fn scan(folder: &Path) -> Result<Vec<Found>> {
    Ok(survey(folder)?.0)
}

/// Replica sub-folders that cannot be listed, with why.
type Unlisted = Vec<(PathBuf, Refusal)>;

/// [`scan`], and the replicas' sub-folders that cannot be listed (skipped,
/// with why).
fn survey(folder: &Path) -> Result<(Vec<Found>, Unlisted)> {
    let mut out = Vec::new();
    let mut unlisted = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io(folder))? {
        let entry = entry.map_err(io(folder))?;
        let dir = entry.path();
        let is_replica_dir = entry
            .file_name()
            .to_str()
            .is_some_and(|n| heal::is_replica_dir_name(n) && dir.is_dir());
        if !is_replica_dir {
            continue;
        }
        let files = match std::fs::read_dir(&dir) {
            Ok(files) => files,
            Err(e) => {
                tracing::warn!(dir = %dir.display(), "cannot list: {e}");
                unlisted.push((dir, Refusal::Unreadable(e.to_string())));
                continue;
            }
        };
        for file in files {
            let Ok(file) = file else {
                continue;
            };
            let Some(name) = file.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if let Some((origin, first, last)) = parse_bundle_name(&name) {
                out.push(Found {
                    path: file.path(),
                    origin,
                    first,
                    last,
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.origin, a.first, a.last, &a.path).cmp(&(b.origin, b.first, b.last, &b.path))
    });
    Ok((out, unlisted))
}

/// A file of the folder that a sync skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub path: PathBuf,
    pub why: Refusal,
    /// Its name says it holds operations this database still lacks: the
    /// sync is incomplete until another copy of them arrives. Files
    /// whose operations are here anyway (a damaged duplicate, junk named
    /// after a range already read) are listed but do not fail the sync.
    pub needed: bool,
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files read and applied.
    pub files_read: usize,
    /// Operations new to this database.
    pub ops_applied: usize,
    /// Files written into the folder, and the operations in them.
    pub files_written: usize,
    pub ops_written: usize,
    /// Files skipped, with why; nothing of them was applied.
    pub refused: Vec<Refused>,
    /// Records still waiting for a record they refer to.
    pub waiting: usize,
    /// Files of this replica's folder written again without the values
    /// an erasure removed.
    pub files_rewritten: usize,
    /// Damaged files replaced by whole ones of the same name (its own, or
    /// the home of a range no whole file held).
    pub files_repaired: usize,
    /// Leftover temporary files of waystation's (older than a day)
    /// removed from the folder.
    pub temp_removed: usize,
    /// Origins found split: two copies of one database wrote different
    /// operations under one replica id (`store/split.rs`). Both are kept.
    pub splits: Vec<SplitNoted>,
    /// Operations of a split origin kept in this database's carrier.
    pub ops_carried: usize,
}

impl SyncReport {
    /// Something this database needs could not be read: a file refused
    /// whose operations are not here from another copy either.
    pub fn incomplete(&self) -> bool {
        self.refused.iter().any(|r| r.needed)
    }

    /// Notes a split found, once an origin (from its earliest fork).
    fn note_split(&mut self, noted: SplitNoted) {
        match self.splits.iter_mut().find(|s| s.origin == noted.origin) {
            Some(s) => {
                s.from = s.from.min(noted.from);
                s.own |= noted.own;
                s.carried += noted.carried;
            }
            None => self.splits.push(noted),
        }
    }

    /// Notes a skipped file, once.
    fn refuse(&mut self, path: PathBuf, why: Refusal) {
        if !self.refused.iter().any(|r| r.path == path) {
            tracing::warn!(file = %path.display(), "sync file skipped: {why}");
            self.refused.push(Refused {
                path,
                why,
                needed: false,
            });
        }
    }

    /// Notes which skipped files hold operations this database lacks.
    fn mark_needed(&mut self, store: &Store) -> Result<()> {
        if self.refused.is_empty() {
            return Ok(());
        }
        let knowledge = store.knowledge()?;
        let splits = store.splits()?;
        let own = store.replica_id();
        for r in &mut self.refused {
            let claim = r
                .path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(parse_bundle_name);
            // Of a split origin, only what lies before the fork is needed
            // from its files: the rest arrives in carriers.
            r.needed = claim.is_some_and(|(origin, first, last)| {
                let last = splits.get(&origin).map_or(last, |s| last.min(s.from - 1));
                origin != own
                    && first <= last
                    && knowledge.get(&origin).map_or(0, |h| h.contiguous) < last
            });
        }
        Ok(())
    }
}

/// Applies from `folder` what this database lacks, then writes into the
/// folder what it lacks of what this database knows (its own operations
/// and those it relays or heals). `network` and `key` must be the
/// folder's (see [`read_network`], [`check_key`]).
pub fn sync(
    store: &mut Store,
    folder: &Path,
    network: NetworkId,
    key: &NetworkKey,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<SyncReport> {
    let mut report = import(store, folder, network, key, progress)?;
    export(store, folder, network, key, progress, &mut report)?;
    Ok(report)
}

/// The first half of [`sync`]: applies every file of the folder whose
/// operations this database does not hold yet, and compares the others
/// with what it holds, once per file (its nonce, a keyed hash of its
/// contents, is noted): two different operations under one origin and
/// sequence number (two copies of one database, Syncthing's
/// `.sync-conflict-` copy of a bundle among them) mark the origin split
/// and keep both (`store/split.rs`). A file that cannot be read or is
/// refused is listed in the report and the others are read.
pub fn import(
    store: &mut Store,
    folder: &Path,
    network: NetworkId,
    key: &NetworkKey,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let root = Root::new(folder).map_err(io(folder))?;
    let (found, unlisted) = survey(folder)?;
    for (path, why) in unlisted {
        report.refuse(path, why);
    }

    // Import, oldest range of each origin first, so a gap closes in order.
    // What is known is read once (it walks the log) and kept up to date
    // as files apply: in this order a file extends an origin's unbroken
    // run exactly when it starts inside or right after it.
    let mut known: BTreeMap<ReplicaId, i64> = store
        .knowledge()?
        .into_iter()
        .map(|(o, h)| (o, h.contiguous))
        .collect();
    let total = found.len();
    for (i, f) in found.iter().enumerate() {
        progress("read", i, total);
        // A file read here before agrees with the log: only its header
        // (102 bytes) is read again. One that cannot even be read so is
        // left to the export, which says why.
        let head = match read_bundle_head(&root, &f.path, f.claim(), network) {
            Ok(head) => head,
            Err(e) => {
                if f.last > known.get(&f.origin).copied().unwrap_or(0) {
                    report.refuse(f.path.clone(), e);
                }
                continue;
            }
        };
        if store.bundle_seen(&head.nonce)? {
            continue;
        }
        let opened = match read_bundle_file(&root, &f.path, f.claim(), network, key) {
            Ok(opened) => opened,
            Err(e) => {
                report.refuse(f.path.clone(), e);
                continue;
            }
        };
        let nonce = opened.header.nonce;
        let ops = match opened.operations() {
            Ok(ops) => ops,
            Err(e) => {
                report.refuse(f.path.clone(), e.into());
                continue;
            }
        };
        // The same numbers, other operations: the origin's history forked.
        if let Some(at) = store.first_difference(&ops)? {
            let noted = store.note_split(f.origin, at)?;
            report.note_split(noted);
            known.insert(f.origin, at - 1);
        }
        let (carried, rest) = store.carry(&ops)?;
        let run = known.get(&f.origin).copied().unwrap_or(0);
        let own = store.replica_id();
        let mut took = carried > 0;
        report.ops_carried += carried;
        if f.origin != own && rest.iter().any(|o| o.seq > run) {
            let applied = store.apply_remote(&rest)?;
            report.ops_applied += applied.new_ops;
            report.waiting = applied.waiting;
            took = true;
        }
        let top = rest.iter().map(|o| o.seq).max().unwrap_or(0);
        if f.first <= run + 1 && top > run {
            known.insert(f.origin, top);
        }
        if took {
            report.files_read += 1;
        }
        store.note_bundle_seen(&nonce)?;
    }
    progress("read", total, total);
    report.mark_needed(store)?;
    Ok(report)
}

/// The highest sequence number of `own`'s operations beyond `beyond` that
/// a whole, authenticated file of the folder holds (0 if none): how a
/// restored backup is noticed. A file only named so — junk, a damaged or
/// foreign file — counts for nothing.
pub fn own_written_beyond(
    folder: &Path,
    own: ReplicaId,
    beyond: i64,
    network: NetworkId,
    key: &NetworkKey,
) -> Result<i64> {
    let root = Root::new(folder).map_err(io(folder))?;
    let mut claims: Vec<Found> = survey(folder)?
        .0
        .into_iter()
        .filter(|f| f.origin == own && f.last > beyond)
        .collect();
    claims.sort_by_key(|f| std::cmp::Reverse(f.last));
    Ok(claims
        .iter()
        .find(|f| read_bundle_file(&root, &f.path, f.claim(), network, key).is_ok())
        .map_or(0, |f| f.last))
}

/// The second half of [`sync`]: writes into the folder what it lacks of
/// what this database knows. Every file is checked (its header, then its
/// authentication): only whole files count as holding their range. Then:
///
/// - this replica's own damaged files whose operations it holds are
///   written again in place;
/// - its files holding values an erasure removed since are written again;
/// - every range it holds that no whole file holds is written at its
///   origin's sub-folder (see `heal.rs`), replacing a damaged file of the
///   same name.
pub fn export(
    store: &mut Store,
    folder: &Path,
    network: NetworkId,
    key: &NetworkKey,
    progress: &mut dyn FnMut(&str, usize, usize),
    report: &mut SyncReport,
) -> Result<()> {
    let root = Root::new(folder).map_err(io(folder))?;
    report.temp_removed += heal::tidy(folder, heal::TEMP_MAX_AGE);
    let (found, unlisted) = survey(folder)?;
    for (path, why) in unlisted {
        report.refuse(path, why);
    }
    let own_dir = folder.join(store.replica_id().0.as_simple().to_string());
    let mut intact = Vec::new();
    let mut damaged = Vec::new();
    for f in &found {
        let refused = report
            .refused
            .iter()
            .find(|r| r.path == f.path)
            .map(|r| r.why.clone());
        let why = match refused {
            Some(why) => Some(why),
            None => read_bundle_file(&root, &f.path, f.claim(), network, key).err(),
        };
        match why {
            None => intact.push(f),
            Some(why) => {
                report.refuse(f.path.clone(), why.clone());
                damaged.push((f, why));
            }
        }
    }

    // Own damaged files first: once whole again they hold their range.
    for (f, why) in &damaged {
        if f.path.parent() != Some(own_dir.as_path()) || *why == Refusal::Vanished {
            continue;
        }
        let ops = store.ops_range(f.origin, f.first, f.last)?;
        if usize::try_from(f.last - f.first + 1).ok() != Some(ops.len()) {
            continue;
        }
        // An empty folder under the name of a file of its own is cleared;
        // one with something in it is left alone.
        if !why.replaceable() && std::fs::remove_dir(&f.path).is_err() {
            continue;
        }
        let bytes = match write_bundle(key, network, f.origin, &ops) {
            Ok(b) => b,
            Err(BundleError::TooLarge) => continue,
            Err(e) => return Err(e.into()),
        };
        if let Err(e) = write_new(&own_dir, &file_name(f.origin, f.first, f.last), &bytes) {
            // Left listed; the next sync tries again.
            tracing::warn!("cannot replace a damaged file of its own: {e}");
            continue;
        }
        tracing::info!(file = %f.path.display(), "own damaged file written again ({why})");
        report.refused.retain(|r| r.path != f.path);
        report.files_repaired += 1;
        intact.push(f);
    }
    let damaged: Vec<&Found> = damaged
        .iter()
        .filter(|(f, _)| !intact.contains(f))
        .map(|(f, _)| *f)
        .collect();

    rewrite_redacted(store, folder, &own_dir, &intact, network, key, report)?;
    let plan = heal::plan(&store.knowledge()?, &intact, &damaged);
    let total = plan.len();
    for (i, (origin, first, last)) in plan.into_iter().enumerate() {
        progress("write", i, total);
        let home = folder.join(origin.0.as_simple().to_string());
        if !heal::home_usable(&root, &home) {
            tracing::warn!(dir = %home.display(), "not a folder: range {first}..={last} not written");
            continue;
        }
        write_range(
            store,
            &home,
            &own_dir,
            origin,
            (first, last),
            network,
            key,
            report,
        )?;
    }
    progress("write", total, total);
    report.mark_needed(store)?;
    Ok(())
}

/// Writes `origin`'s operations `range` into `dir` as one file, or as
/// several if one would exceed what a bundle may hold. A damaged file of
/// the same name is replaced; a folder of that name is left alone (the
/// range is cut around it).
#[allow(clippy::too_many_arguments)]
fn write_range(
    store: &Store,
    dir: &Path,
    own_dir: &Path,
    origin: ReplicaId,
    range: (i64, i64),
    network: NetworkId,
    key: &NetworkKey,
    report: &mut SyncReport,
) -> Result<()> {
    let mut todo = vec![range];
    while let Some((first, last)) = todo.pop() {
        let ops = store.ops_range(origin, first, last)?;
        let bytes = match write_bundle(key, network, origin, &ops) {
            Ok(b) => b,
            Err(BundleError::TooLarge) if last > first => {
                let mid = first + (last - first) / 2;
                todo.push((mid + 1, last));
                todo.push((first, mid));
                continue;
            }
            Err(e) => return Err(e.into()),
        };
        let name = file_name(origin, first, last);
        let mut dir = dir;
        let mut path = dir.join(&name);
        let replaced = match std::fs::symlink_metadata(&path) {
            // A folder of that name cannot be replaced: every replica cuts
            // the range in two instead (the same two files whoever writes
            // them), or, for one operation, writes it in its own folder.
            Ok(m) if m.file_type().is_dir() && last > first => {
                let mid = first + (last - first) / 2;
                todo.push((mid + 1, last));
                todo.push((first, mid));
                continue;
            }
            Ok(m) if m.file_type().is_dir() => {
                dir = own_dir;
                path = dir.join(&name);
                std::fs::symlink_metadata(&path).is_ok()
            }
            Ok(_) => true,
            Err(_) => false,
        };
        if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_dir()) {
            tracing::warn!(file = %path.display(), "a folder has the name: not written");
            continue;
        }
        match write_new(dir, &name, &bytes) {
            Ok(()) => {}
            // Replacing what is there may be refused (a file another
            // program holds open on some systems): the damaged file stays
            // listed, and the next sync tries again.
            Err(e) if replaced => {
                tracing::warn!("cannot replace a damaged file: {e}");
                continue;
            }
            Err(e) => return Err(e),
        }
        if replaced {
            report.refused.retain(|r| r.path != path);
            report.files_repaired += 1;
        }
        report.files_written += 1;
        report.ops_written += ops.len();
    }
    Ok(())
}

/// The file in a replica's own folder that says how far the journal of
/// redactions of its database (`Store::redactions_after`) is reflected in
/// the files there. Not a bundle name: other replicas ignore it.
pub const REDACTED_FILE: &str = "redacted.wsr";

fn redacted_upto(own_dir: &Path) -> u64 {
    // A missing or unreadable note means: look at every redaction again
    // (rewriting a file twice is harmless).
    Root::new(own_dir)
        .ok()
        .and_then(|root| read_small(&root, &own_dir.join(REDACTED_FILE), 4096).ok())
        .flatten()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let mut lines = text.lines();
            (lines.next()? == "waystation-redacted 1")
                .then(|| lines.next()?.strip_prefix("upto ")?.parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

/// Writes again, under the same names, the whole files that hold
/// operations an erasure redacted since they were written — those of this
/// replica's own folder, and those at the home of their origin (which any
/// replica may write: the same operations give the same bytes) — with the
/// redacted payloads, through a temporary file renamed over the old one,
/// so a reader sees the old file or the new one, never half of one. Files
/// other replicas relayed into their own folders are theirs to rewrite.
fn rewrite_redacted(
    store: &Store,
    folder: &Path,
    own_dir: &Path,
    intact: &[&Found],
    network: NetworkId,
    key: &NetworkKey,
    report: &mut SyncReport,
) -> Result<()> {
    let done = redacted_upto(own_dir);
    let redacted = store.redactions_after(done)?;
    if redacted.upto == done {
        return Ok(());
    }
    for f in intact {
        let Some(dir) = f.path.parent() else {
            continue;
        };
        let home = folder.join(f.origin.0.as_simple().to_string());
        if (dir != own_dir && dir != home) || !redacted.touches(f.origin, f.first, f.last) {
            continue;
        }
        let ops = store.ops_range(f.origin, f.first, f.last)?;
        if usize::try_from(f.last - f.first + 1).ok() != Some(ops.len()) {
            // Never replace a file by less than it held.
            tracing::warn!(file = %f.path.display(), "cannot rewrite: operations missing here");
            continue;
        }
        let bytes = write_bundle(key, network, f.origin, &ops)?;
        write_new(dir, &file_name(f.origin, f.first, f.last), &bytes)?;
        report.files_rewritten += 1;
    }
    // Noted last: a sync cut off before this rewrites the files again.
    let note = format!("waystation-redacted 1\nupto {}\n", redacted.upto);
    write_new(own_dir, REDACTED_FILE, note.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The English of the catalogue is the English of `Display`, but where
    /// it says more (another network, a station code taken).
    #[test]
    fn english_words_are_the_display() {
        let p = || PathBuf::from("/media/stick/sync");
        let errors = [
            SyncError::NoFolder(p()),
            SyncError::Io {
                path: p(),
                source: std::io::Error::other("no space left"),
            },
            SyncError::BadNetworkFile(p()),
            SyncError::NoNetwork(p()),
            SyncError::WrongPassphrase,
            SyncError::NeedPassphrase,
            SyncError::Busy,
            SyncError::Store(StoreError::Foreign),
            SyncError::Bundle(BundleError::Damaged),
        ];
        for e in errors {
            assert_eq!(e.localized(Lang::En), e.to_string());
            assert!(!e.localized(Lang::ZhCn).contains('{'), "{e:?}");
        }
        let taken = SyncError::StationCodeTaken {
            code: "FT".into(),
            name: "福田驿站".into(),
        };
        assert!(
            taken
                .localized(Lang::En)
                .starts_with("\"福田驿站\" already uses")
        );
        assert!(
            taken
                .localized(Lang::ZhCn)
                .contains("“福田驿站”已经在用站点编号 FT")
        );
    }

    #[test]
    fn the_redaction_note_is_read_back_and_anything_else_means_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(redacted_upto(dir.path()), 0, "no note yet");
        write_new(
            dir.path(),
            REDACTED_FILE,
            b"waystation-redacted 1\nupto 12\n",
        )
        .unwrap();
        assert_eq!(redacted_upto(dir.path()), 12);
        for other in [
            "",
            "upto 12\n",
            "waystation-redacted 2\nupto 12\n",
            "waystation-redacted 1\nupto x\n",
        ] {
            write_new(dir.path(), REDACTED_FILE, other.as_bytes()).unwrap();
            assert_eq!(redacted_upto(dir.path()), 0, "{other:?}");
        }
        assert_eq!(
            crate::sync::bundle::parse_file_name(REDACTED_FILE),
            None,
            "never taken for a bundle"
        );
    }

    #[test]
    fn network_file_round_trips_and_refuses_other_text() {
        let n = Network {
            id: NetworkId::new(),
            fingerprint: [7; 16],
        };
        assert_eq!(Network::decode(&n.encode()), Some(n));
        assert_eq!(Network::decode("hello"), None);
        assert_eq!(
            Network::decode("waystation-network 1\nid x\nkey 00\n"),
            None
        );
    }
}
