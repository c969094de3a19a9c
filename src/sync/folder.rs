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
//! A file is written under a hidden temporary name, flushed, then renamed;
//! nothing is ever deleted, and a bundle is written again only by its
//! writer, with the same operations, once an erasure redacted some of them
//! (see [`REDACTED_FILE`]). Anything else in the folder
//! (Syncthing's temporary and `.sync-conflict-` files, a half-copied file)
//! is ignored or refused on its own, without stopping the rest.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::bundle::{
    BundleError, NetworkId, NetworkKey, file_name, parse_file_name, read_bundle, temp_file_name,
    write_bundle,
};
use crate::domain::ids::ReplicaId;
use crate::i18n::{Lang, Localized};
use crate::store::{Store, StoreError};
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
    match std::fs::read_to_string(&path) {
        Ok(text) => Network::decode(&text)
            .map(Some)
            .ok_or(SyncError::BadNetworkFile(path)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io(&path)(e)),
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

/// Writes `bytes` as `dir/name` through a hidden temporary file: flushed to
/// the device, then renamed, so no reader ever sees half a file.
fn write_new(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let tmp = dir.join(format!(".{name}.tmp"));
    let path = dir.join(name);
    {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))?;
    }
    std::fs::rename(&tmp, &path).map_err(io(&path))?;
    Ok(())
}

/// One bundle file found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    pub origin: ReplicaId,
    pub first: i64,
    pub last: i64,
}

/// Every bundle file in the replicas' folders, by origin and range.
pub fn scan(folder: &Path) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(io(folder))? {
        let entry = entry.map_err(io(folder))?;
        let dir = entry.path();
        let is_replica_dir = entry.file_name().to_str().is_some_and(|n| {
            n.len() == 32 && n.bytes().all(|b| b.is_ascii_hexdigit()) && dir.is_dir()
        });
        if !is_replica_dir {
            continue;
        }
        for file in std::fs::read_dir(&dir).map_err(io(&dir))? {
            let file = file.map_err(io(&dir))?;
            let Some(name) = file.file_name().to_str().map(str::to_owned) else {
                continue;
            };
            if let Some((origin, first, last)) = parse_file_name(&name) {
                out.push(Found {
                    path: file.path(),
                    origin,
                    first,
                    last,
                });
            }
        }
    }
    out.sort_by_key(|f| (f.origin, f.first, f.last));
    Ok(out)
}

/// The ranges of `1..=upto` that `have` (sorted ranges) does not cover.
fn missing(have: &[(i64, i64)], upto: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut next = 1;
    for &(a, b) in have {
        if next > upto {
            break;
        }
        if a > next {
            out.push((next, (a - 1).min(upto)));
        }
        next = next.max(b + 1);
    }
    if next <= upto {
        out.push((next, upto));
    }
    out
}

/// What one sync did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Files read and applied.
    pub files_read: usize,
    /// Operations new to this database.
    pub ops_applied: usize,
    /// Files written into this replica's folder, and the operations in them.
    pub files_written: usize,
    pub ops_written: usize,
    /// Files refused, with why; nothing of them was applied.
    pub refused: Vec<(PathBuf, BundleError)>,
    /// Records still waiting for a record they refer to.
    pub waiting: usize,
    /// Files of this replica's folder written again without the values
    /// an erasure removed.
    pub files_rewritten: usize,
}

/// Applies from `folder` what this database lacks, then writes into the
/// replica's own folder what the folder lacks of what it knows (its own
/// operations and those it relays). `network` and `key` must be the
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
/// range this database does not hold yet.
pub fn import(
    store: &mut Store,
    folder: &Path,
    network: NetworkId,
    key: &NetworkKey,
    progress: &mut dyn FnMut(&str, usize, usize),
) -> Result<SyncReport> {
    let mut report = SyncReport::default();
    let found = scan(folder)?;

    // Import, oldest range of each origin first, so a gap closes in order.
    // What is known is read once (it walks the log) and kept up to date
    // as files apply: in this order a file extends an origin's unbroken
    // run exactly when it starts inside or right after it.
    let mut known: BTreeMap<ReplicaId, i64> = store
        .knowledge()?
        .into_iter()
        .map(|(o, h)| (o, h.contiguous))
        .collect();
    let own = store.replica_id();
    let total = found.len();
    for (i, f) in found.iter().enumerate() {
        progress("read", i, total);
        let run = known.get(&f.origin).copied().unwrap_or(0);
        if f.last <= run || f.origin == own {
            continue;
        }
        let bytes = std::fs::read(&f.path).map_err(io(&f.path))?;
        let ops = match read_bundle(key, network, &bytes) {
            Ok((h, ops)) if h.origin == f.origin && h.first == f.first && h.last == f.last => ops,
            Ok(_) => {
                report.refused.push((
                    f.path.clone(),
                    BundleError::BadContent("the file name does not match its contents".into()),
                ));
                continue;
            }
            Err(e) => {
                tracing::warn!(file = %f.path.display(), "sync file refused: {e}");
                report.refused.push((f.path.clone(), e));
                continue;
            }
        };
        let applied = store.apply_remote(&ops)?;
        if f.first <= run + 1 {
            known.insert(f.origin, f.last);
        }
        report.files_read += 1;
        report.ops_applied += applied.new_ops;
        report.waiting = applied.waiting;
    }
    progress("read", total, total);
    Ok(report)
}

/// The second half of [`sync`]: writes into this replica's own folder what
/// the folder lacks of what this database knows.
pub fn export(
    store: &mut Store,
    folder: &Path,
    network: NetworkId,
    key: &NetworkKey,
    progress: &mut dyn FnMut(&str, usize, usize),
    report: &mut SyncReport,
) -> Result<()> {
    let found = scan(folder)?;
    let mut in_folder: BTreeMap<ReplicaId, Vec<(i64, i64)>> = BTreeMap::new();
    for f in &found {
        in_folder
            .entry(f.origin)
            .or_default()
            .push((f.first, f.last));
    }
    let own_dir = folder.join(store.replica_id().0.as_simple().to_string());
    rewrite_redacted(store, &own_dir, &found, network, key, report)?;
    let knowledge = store.knowledge()?;
    let mut plan = Vec::new();
    for (origin, held) in &knowledge {
        let have = in_folder.get(origin).map_or(&[][..], Vec::as_slice);
        for (a, b) in missing(have, held.contiguous) {
            let mut start = a;
            while start <= b {
                let end = (start + OPS_PER_FILE - 1).min(b);
                plan.push((*origin, start, end));
                start = end + 1;
            }
        }
    }
    let total = plan.len();
    for (i, (origin, first, last)) in plan.into_iter().enumerate() {
        progress("write", i, total);
        let ops = store.ops_range(origin, first, last)?;
        let bytes = write_bundle(key, network, origin, &ops)?;
        let name = file_name(origin, first, last);
        debug_assert_eq!(format!(".{name}.tmp"), temp_file_name(origin, first, last));
        write_new(&own_dir, &name, &bytes)?;
        report.files_written += 1;
        report.ops_written += ops.len();
    }
    progress("write", total, total);
    Ok(())
}

/// The file in a replica's own folder that says how far the journal of
/// redactions of its database (`Store::redactions_after`) is reflected in
/// the files there. Not a bundle name: other replicas ignore it.
pub const REDACTED_FILE: &str = "redacted.wsr";

fn redacted_upto(own_dir: &Path) -> u64 {
    // A missing or unreadable note means: look at every redaction again
    // (rewriting a file twice is harmless).
    std::fs::read_to_string(own_dir.join(REDACTED_FILE))
        .ok()
        .and_then(|text| {
            let mut lines = text.lines();
            (lines.next()? == "waystation-redacted 1")
                .then(|| lines.next()?.strip_prefix("upto ")?.parse().ok())
                .flatten()
        })
        .unwrap_or(0)
}

/// Writes again, under the same names, the files of this replica's own
/// folder that hold operations an erasure redacted since they were
/// written: the same operations with the redacted payloads, through a
/// temporary file renamed over the old one, so a reader sees the old file
/// or the new one, never half of one. Other replicas' files are theirs to
/// rewrite when they sync (one writer per path).
fn rewrite_redacted(
    store: &Store,
    own_dir: &Path,
    found: &[Found],
    network: NetworkId,
    key: &NetworkKey,
    report: &mut SyncReport,
) -> Result<()> {
    let done = redacted_upto(own_dir);
    let redacted = store.redactions_after(done)?;
    if redacted.upto == done {
        return Ok(());
    }
    for f in found {
        if f.path.parent() != Some(own_dir) || !redacted.touches(f.origin, f.first, f.last) {
            continue;
        }
        let ops = store.ops_range(f.origin, f.first, f.last)?;
        if usize::try_from(f.last - f.first + 1).ok() != Some(ops.len()) {
            // Never replace a file by less than it held.
            tracing::warn!(file = %f.path.display(), "cannot rewrite: operations missing here");
            continue;
        }
        let bytes = write_bundle(key, network, f.origin, &ops)?;
        write_new(own_dir, &file_name(f.origin, f.first, f.last), &bytes)?;
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
    fn missing_ranges() {
        assert_eq!(missing(&[], 5), vec![(1, 5)]);
        assert_eq!(missing(&[(1, 5)], 5), vec![]);
        assert_eq!(missing(&[(1, 3), (6, 8)], 10), vec![(4, 5), (9, 10)]);
        assert_eq!(missing(&[(2, 3)], 3), vec![(1, 1)]);
        assert_eq!(missing(&[(1, 4), (2, 6)], 6), vec![]);
        assert_eq!(missing(&[(1, 2)], 0), vec![]);
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
            parse_file_name(REDACTED_FILE),
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
