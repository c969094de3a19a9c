//! A folder that heals: a range that no whole file of the folder holds is
//! written again by whichever replica holds it — once, at its origin's
//! sub-folder, the same bytes whoever writes it — and a replica's own
//! damaged files are written again in place. Shown over copies of one
//! folder kept alike as Syncthing keeps them, and by random damage
//! between random syncs.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use proptest::prelude::*;
use waystation::domain::ids::ReplicaId;
use waystation::store::Store;
use waystation::sync::bundle::{KdfParams, NetworkId, NetworkKey, read_bundle};
use waystation::sync::folder::{self, Found, SyncReport, create_network, scan};

use common::{add_person, numbered, station_db};

const STRANGER: &str = "0123456789abcdef0123456789abcdef";

fn net() -> &'static (NetworkId, NetworkKey) {
    static NET: std::sync::OnceLock<(NetworkId, NetworkKey)> = std::sync::OnceLock::new();
    NET.get_or_init(|| {
        let id = NetworkId::new();
        let key =
            NetworkKey::derive_with_params("一街一月两次", id, KdfParams::FAST_INSECURE).unwrap();
        (id, key)
    })
}

fn new_folder(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(&p).unwrap();
    create_network(&p, net().0, &net().1).unwrap();
    p
}

fn sync_in(store: &mut Store, folder: &Path) -> SyncReport {
    folder::sync(store, folder, net().0, &net().1, &mut |_, _, _| {}).unwrap()
}

fn hex(r: ReplicaId) -> String {
    r.0.as_simple().to_string()
}

/// Every ordinary file of a folder copy (temporary files aside), by its
/// path inside the copy.
fn files(copy: &Path) -> BTreeMap<PathBuf, PathBuf> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![copy.to_owned()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                dirs.push(e.path());
            } else if t.is_file() && !e.file_name().to_string_lossy().starts_with('.') {
                out.insert(e.path().strip_prefix(copy).unwrap().to_owned(), e.path());
            }
        }
    }
    out
}

/// Brings copies of one folder to the same files, as Syncthing does once
/// its machines see each other: per path, the most recently changed
/// version goes everywhere. `last` is what every copy held after the
/// previous spread. Two copies that both changed one path since, to
/// different bytes, would be a conflict: Syncthing keeps one and renames
/// the other `.sync-conflict-…`. Returns how many such paths it found
/// (identical bytes are no conflict: Syncthing takes them as one).
fn spread(copies: &[&Path], last: &mut BTreeMap<PathBuf, Vec<u8>>) -> usize {
    let mut all: BTreeMap<PathBuf, Vec<(SystemTime, Vec<u8>)>> = BTreeMap::new();
    for c in copies {
        for (rel, path) in files(c) {
            let when = std::fs::metadata(&path).unwrap().modified().unwrap();
            all.entry(rel)
                .or_default()
                .push((when, std::fs::read(&path).unwrap()));
        }
    }
    let mut conflicts = 0;
    for (rel, versions) in all {
        let before = last.get(&rel);
        let mut changed: Vec<&Vec<u8>> = versions
            .iter()
            .map(|(_, b)| b)
            .filter(|b| Some(*b) != before)
            .collect();
        changed.dedup();
        if changed.len() > 1 {
            conflicts += 1;
        }
        let (newest, bytes) = versions.iter().max_by_key(|(t, _)| *t).unwrap().clone();
        for c in copies {
            let target = c.join(&rel);
            if std::fs::read(&target).ok().as_deref() != Some(&bytes[..]) {
                std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                std::fs::write(&target, &bytes).unwrap();
                std::fs::File::options()
                    .write(true)
                    .open(&target)
                    .unwrap()
                    .set_modified(newest)
                    .unwrap();
            }
        }
        last.insert(rel, bytes);
    }
    conflicts
}

fn holds_all_of(to: &Store, from: &Store) -> bool {
    let o = from.replica_id();
    let last = from.knowledge().unwrap()[&o].highest;
    to.ops_range(o, 1, last).unwrap() == from.ops_range(o, 1, last).unwrap()
}

fn of_origin(folder: &Path, origin: ReplicaId) -> Vec<Found> {
    scan(folder)
        .unwrap()
        .into_iter()
        .filter(|f| f.origin == origin)
        .collect()
}

/// Three machines with a copy each of a Syncthing folder.
struct Three {
    _dir: tempfile::TempDir,
    copies: Vec<PathBuf>,
    stores: Vec<Store>,
    /// What every copy held after the last spread.
    last: BTreeMap<PathBuf, Vec<u8>>,
}

impl Three {
    fn new() -> Three {
        let dir = tempfile::tempdir().unwrap();
        let copies: Vec<PathBuf> = ["a", "b", "c"]
            .iter()
            .map(|n| new_folder(dir.path(), n))
            .collect();
        let stores = ["AA", "BB", "CC"]
            .iter()
            .map(|code| station_db(&dir, code).1)
            .collect();
        Three {
            _dir: dir,
            copies,
            stores,
            last: BTreeMap::new(),
        }
    }

    fn sync(&mut self, r: usize) -> SyncReport {
        sync_in(&mut self.stores[r], &self.copies[r])
    }

    /// Syncthing brings the copies together; no conflicting copies.
    fn spread(&mut self) {
        let copies: Vec<&Path> = self.copies.iter().map(PathBuf::as_path).collect();
        assert_eq!(
            spread(&copies, &mut self.last),
            0,
            "two machines wrote different bytes under one name"
        );
    }

    fn digests(&self) -> Vec<String> {
        self.stores.iter().map(|s| s.digest().unwrap()).collect()
    }
}

/// A bundle cut in half at one machine, spread by Syncthing to all: its
/// writer writes it again in place, another station holding it writes
/// the same bytes at the same path, and the station that never read it
/// gets it: every replica converges.
#[test]
fn a_truncated_file_at_one_replica_heals_and_everyone_converges() {
    let mut w = Three::new();
    for i in 0..5 {
        add_person(
            &mut w.stores[0],
            &numbered("甲", i),
            &format!("1390000{i:04}"),
        );
        add_person(
            &mut w.stores[1],
            &numbered("乙", i),
            &format!("1380000{i:04}"),
        );
    }
    for _ in 0..2 {
        w.sync(0);
        w.sync(1);
        w.spread();
    }
    let a = w.stores[0].replica_id();
    let a_files = of_origin(&w.copies[1], a);
    assert_eq!(a_files.len(), 1);
    let cut = &a_files[0].path;
    let len = std::fs::metadata(cut).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(cut)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    w.spread();

    // C, new, cannot read it: said, and the sync is incomplete.
    let first = w.sync(2);
    assert_eq!(first.refused.len(), 1, "{first:?}");
    assert!(first.incomplete());
    w.spread();

    // One round: A writes its file again, B the same bytes at the same
    // place; C reads it the round after.
    let mut rounds = 0;
    while w.digests().iter().any(|d| *d != w.digests()[0]) {
        rounds += 1;
        assert!(rounds <= 2, "no convergence in two rounds");
        for r in 0..3 {
            w.sync(r);
        }
        w.spread();
    }
    for r in 0..3 {
        let again = w.sync(r);
        assert!(again.refused.is_empty(), "{r}: {again:?}");
        assert_eq!(again.files_written, 0);
    }
    for s in &w.stores {
        assert!(holds_all_of(s, &w.stores[0]) && holds_all_of(s, &w.stores[1]));
        assert!(s.check().unwrap().is_ok());
    }
    // Still one file of A's range, where A put it.
    for c in &w.copies {
        let now = of_origin(c, a);
        assert_eq!(now.len(), 1, "{now:?}");
        assert!(now[0].path.starts_with(c.join(hex(a))));
        read_bundle(&net().1, net().0, &std::fs::read(&now[0].path).unwrap()).unwrap();
    }
}

/// A file deleted at every machine is written again by each station that
/// holds it, each on its own copy before Syncthing brings them together:
/// at one place, with the same bytes — one file, not one per station.
#[test]
fn a_range_deleted_everywhere_is_written_again_once_whoever_writes_it() {
    let mut w = Three::new();
    for (r, stem) in ["甲", "乙", "丙"].iter().enumerate() {
        add_person(
            &mut w.stores[r],
            &numbered(stem, 1),
            &format!("13{r}00000001"),
        );
    }
    for _ in 0..2 {
        for r in 0..3 {
            w.sync(r);
        }
        w.spread();
    }
    let a = w.stores[0].replica_id();
    let lost = of_origin(&w.copies[0], a);
    assert_eq!(lost.len(), 1);
    let rel = lost[0].path.strip_prefix(&w.copies[0]).unwrap().to_owned();
    for c in &w.copies {
        std::fs::remove_file(c.join(&rel)).unwrap();
    }
    // Each station on its own copy, Syncthing not yet between them.
    for r in 0..3 {
        let rep = w.sync(r);
        assert_eq!(rep.files_written, 1, "station {r} writes the lost range");
    }
    let written: Vec<Vec<u8>> = w
        .copies
        .iter()
        .map(|c| {
            let of_a = of_origin(c, a);
            assert_eq!(of_a.len(), 1, "{of_a:?}");
            assert_eq!(
                of_a[0].path,
                c.join(&rel),
                "at the place its writer gave it"
            );
            std::fs::read(&of_a[0].path).unwrap()
        })
        .collect();
    assert!(
        written.windows(2).all(|p| p[0] == p[1]),
        "the same bytes from every station"
    );
    w.spread();
    for r in 0..3 {
        let again = w.sync(r);
        assert_eq!((again.files_written, again.refused.len()), (0, 0));
    }
    assert_eq!(of_origin(&w.copies[0], a).len(), 1);
    let d = w.digests();
    assert!(d.iter().all(|x| *x == d[0]));
}

/// A station's own file garbled in place is written again there; a
/// folder put where a file was is left alone and its range written around
/// it, so a newcomer still gets everything.
#[test]
fn own_damaged_files_are_rewritten_and_a_folder_in_the_way_is_written_around() {
    let dir = tempfile::tempdir().unwrap();
    let share = new_folder(dir.path(), "share");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let (_, mut c) = station_db(&dir, "CC");
    for i in 0..4 {
        add_person(&mut a, &numbered("甲", i), &format!("1390000{i:04}"));
    }
    sync_in(&mut a, &share);
    sync_in(&mut b, &share);
    let a_file = of_origin(&share, a.replica_id()).remove(0);
    std::fs::write(&a_file.path, b"garbled by a bad stick").unwrap();

    let fixed = sync_in(&mut a, &share);
    assert_eq!(fixed.files_repaired, 1);
    assert!(fixed.refused.is_empty(), "{fixed:?}");
    read_bundle(&net().1, net().0, &std::fs::read(&a_file.path).unwrap()).unwrap();

    std::fs::remove_file(&a_file.path).unwrap();
    std::fs::create_dir(&a_file.path).unwrap();
    let around = sync_in(&mut b, &share);
    assert_eq!(
        around.files_written, 2,
        "the range in two halves: {around:?}"
    );
    assert!(!around.incomplete());
    let got = sync_in(&mut c, &share);
    assert!(holds_all_of(&c, &a));
    assert_eq!(got.refused.len(), 1, "the folder is said: {got:?}");
    assert!(!got.incomplete(), "but its records are here");
    sync_in(&mut a, &share);
    sync_in(&mut b, &share);
    assert_eq!(c.digest().unwrap(), a.digest().unwrap());
    assert_eq!(b.digest().unwrap(), a.digest().unwrap());
}

// ---------------------------------------------------------------------------
// Random damage between random syncs.

#[derive(Debug, Clone)]
pub(crate) enum Damage {
    /// Cut to `n`/256 of its length.
    Truncate(u8),
    Delete,
    /// Copied into another replica's sub-folder (0: a stranger's).
    Duplicate(u8),
    /// Random bytes under its name in a stranger's sub-folder.
    Junk(Vec<u8>),
    /// Random bytes in its place.
    Garble(Vec<u8>),
    /// A folder in its place.
    Folder,
    /// A named pipe under its name in a stranger's sub-folder.
    Pipe,
    /// Syncthing's conflict copy of it beside it, with its bytes as they
    /// are (`<stem>.sync-conflict-<date>-<time>-<device>.wsb`).
    ConflictCopy,
}

#[derive(Debug, Clone)]
enum Step {
    Edit(usize),
    Sync(usize),
    Damage(Damage, usize),
}

pub(crate) fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::Delete),
        any::<u8>().prop_map(Damage::Truncate),
        (0..4u8).prop_map(Damage::Duplicate),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(Damage::Junk),
        prop::collection::vec(any::<u8>(), 0..200).prop_map(Damage::Garble),
        Just(Damage::Folder),
        Just(Damage::Pipe),
        Just(Damage::ConflictCopy),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..3usize).prop_map(Step::Edit),
        3 => (0..3usize).prop_map(Step::Sync),
        3 => (damage(), any::<usize>()).prop_map(|(d, i)| Step::Damage(d, i)),
    ]
}

/// Does `d` to the `pick`th bundle of `share`; `replicas` are the
/// stations whose sub-folders a duplicate may land in.
pub(crate) fn apply(share: &Path, d: &Damage, pick: usize, replicas: &[ReplicaId]) {
    let found = scan(share).unwrap();
    if found.is_empty() {
        return;
    }
    let f = &found[pick % found.len()];
    let name = f.path.file_name().unwrap();
    let stranger = share.join(STRANGER);
    std::fs::create_dir_all(&stranger).unwrap();
    let is_file = std::fs::symlink_metadata(&f.path).is_ok_and(|m| m.is_file());
    match d {
        Damage::Truncate(n) if is_file => {
            let len = std::fs::metadata(&f.path).unwrap().len();
            std::fs::File::options()
                .write(true)
                .open(&f.path)
                .unwrap()
                .set_len(len * u64::from(*n) / 256)
                .unwrap();
        }
        Damage::Delete if is_file => std::fs::remove_file(&f.path).unwrap(),
        Damage::Delete => {
            let _ = std::fs::remove_dir(&f.path);
            let _ = std::fs::remove_file(&f.path);
        }
        Damage::Duplicate(to) if is_file => {
            let dir = match *to as usize {
                0 => stranger,
                r => share.join(hex(replicas[(r - 1) % replicas.len()])),
            };
            std::fs::create_dir_all(&dir).unwrap();
            if !dir.join(name).exists() {
                std::fs::copy(&f.path, dir.join(name)).unwrap();
            }
        }
        Damage::Junk(bytes) if !stranger.join(name).exists() => {
            std::fs::write(stranger.join(name), bytes).unwrap();
        }
        Damage::Garble(bytes) if is_file => std::fs::write(&f.path, bytes).unwrap(),
        Damage::ConflictCopy if is_file => {
            let name = name.to_string_lossy();
            let stem = name.trim_end_matches(".wsb");
            let stem = stem.split(".sync-conflict-").next().unwrap_or(stem);
            let copy = f
                .path
                .with_file_name(format!("{stem}.sync-conflict-20261207-101500-CCCCCCC.wsb"));
            if !copy.exists() {
                std::fs::copy(&f.path, copy).unwrap();
            }
        }
        Damage::Folder if is_file => {
            std::fs::remove_file(&f.path).unwrap();
            std::fs::create_dir(&f.path).unwrap();
        }
        #[cfg(unix)]
        Damage::Pipe => {
            let at = stranger.join(name);
            if !at.exists() {
                use std::os::unix::ffi::OsStrExt;
                let c = std::ffi::CString::new(at.as_os_str().as_bytes()).unwrap();
                // SAFETY: a valid NUL-terminated path.
                assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    })]

    /// Truncated, deleted, duplicated, garbled files, junk, folders,
    /// pipes and Syncthing's conflict copies under bundles' names, between
    /// random edits and syncs of three
    /// stations on one shared folder: once the damage stops and everyone
    /// has synced twice, all hold the same records and no operation any
    /// of them committed is missing anywhere.
    #[test]
    fn random_damage_between_syncs_heals_and_loses_nothing(
        steps in prop::collection::vec(step(), 1..40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let share = new_folder(dir.path(), "share");
        let mut stores: Vec<Store> = ["AA", "BB", "CC"]
            .iter()
            .map(|code| {
                let mut s = Store::open_in_memory().unwrap();
                s.init_station(code, "测试驿站", "Asia/Shanghai").unwrap();
                s
            })
            .collect();
        let mut n = 0;
        for s in &steps {
            match s {
                Step::Edit(r) => {
                    n += 1;
                    add_person(&mut stores[*r], &numbered("工人", n), &format!("139{n:08}"));
                }
                Step::Sync(r) => {
                    sync_in(&mut stores[*r], &share);
                }
                Step::Damage(d, pick) => {
                    let ids: Vec<ReplicaId> = stores.iter().map(Store::replica_id).collect();
                    apply(&share, d, *pick, &ids)
                }
            }
        }
        for _ in 0..2 {
            for s in stores.iter_mut() {
                sync_in(s, &share);
            }
        }
        let digest = stores[0].digest().unwrap();
        for (r, s) in stores.iter().enumerate() {
            prop_assert_eq!(&s.digest().unwrap(), &digest, "station {}", r);
            prop_assert!(s.check().unwrap().is_ok());
            for other in &stores {
                prop_assert!(holds_all_of(s, other), "station {} lacks operations", r);
            }
        }
    }
}
