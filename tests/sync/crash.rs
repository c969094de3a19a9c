//! `waystation sync` imports a folder of bundle files and is killed with
//! SIGKILL at random moments, many times. A file is applied in slices (one
//! transaction each, `store/apply.rs`), so after each kill the database
//! holds of each origin an unbroken run of its files' operations from the
//! oldest file on (whole files, then at most one file's first operations),
//! passes `check`, never holds less than before the kill, and every bundle
//! its export wrote is whole; a rerun completes and ends where an
//! uninterrupted sync ends. A temporary file left by a cut-off export is
//! never taken for a bundle.
//!
//! Unix only: it tells a killed child from a finished one by its signal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![cfg(unix)]

use crate::common::cli;

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use waystation::domain::ids::ReplicaId;
use waystation::store::Held;
use waystation::store::Store;
use waystation::sync::bundle::{NetworkId, NetworkKey, file_name, read_bundle, temp_file_name};
use waystation::sync::folder::{Found, NETWORK_FILE, read_network, scan};

const PASSPHRASE: &str = "一街一月两次";
const SIGKILL: i32 = 9;
/// Kills, spread over the time an uninterrupted sync takes.
const KILLS: usize = 20;

/// The binary from `home` (see `common::cli`), on `db`, in English, with the
/// sync passphrase.
fn waystation(home: &Path, db: &Path) -> Command {
    let mut cmd = cli::waystation(home);
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", "en"])
        .env("WAYSTATION_SYNC_PASSPHRASE", PASSPHRASE);
    cmd
}

/// Runs to the end; it must succeed.
fn run_ok(mut cmd: Command) {
    cli::ok(cli::output(&mut cmd));
}

/// Adds demo records to `db` (a station `code` when it has none yet).
fn demo(home: &Path, db: &Path, code: &str, seed: u64, visits: u32) {
    let mut cmd = waystation(home, db);
    cmd.args(["demo", "--code", code, "--today", "2026-11-30"])
        .args(["--seed", &seed.to_string()])
        .args(["--visits", &visits.to_string()])
        .args(["--people", &(visits / 10).to_string()])
        .args(["--cases", &(visits / 50).to_string()]);
    run_ok(cmd);
}

/// Creates the sync network in `folder`, `db` (a demo station) its first
/// member: as its admin, with the demo PIN.
fn create_network(home: &Path, db: &Path, folder: &Path) {
    let admin = Store::open(db)
        .unwrap()
        .staff()
        .unwrap()
        .into_iter()
        .find(|s| s.role == waystation::domain::staff::Role::Admin && s.active)
        .unwrap()
        .name;
    let mut cmd = waystation(home, db);
    cmd.args(["network", "create"])
        .arg(folder)
        .args(["--as", &admin])
        .env("WAYSTATION_PIN", "1234");
    run_ok(cmd);
}

fn sync(home: &Path, db: &Path, folder: &Path) {
    let mut cmd = waystation(home, db);
    cmd.arg("sync").arg(folder);
    run_ok(cmd);
}

fn with_suffix(db: &Path, suffix: &str) -> PathBuf {
    PathBuf::from(format!("{}{suffix}", db.display()))
}

/// Puts back a copy of a database that no process has open, at the path
/// the database had (anywhere else it would be a copy: a new replica).
fn restore_db(copy: &Path, db: &Path) {
    assert!(!with_suffix(copy, "-wal").exists());
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(with_suffix(db, suffix));
    }
    std::fs::copy(copy, db).unwrap();
}

/// Copies a sync folder (the network file and the replicas' folders).
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

fn name(f: &Found) -> String {
    f.path.file_name().unwrap().to_string_lossy().into_owned()
}

fn size(f: &Found) -> i64 {
    f.last - f.first + 1
}

/// The receiver: its replica id, and what it holds of the origins that
/// have no file in the folder (its own, and one it got elsewhere).
struct Receiver {
    id: ReplicaId,
    elsewhere: BTreeMap<ReplicaId, Held>,
}

/// How many operations of each of `files` (sorted, of other origins, none
/// overlapping another of its origin) the receiver holds. `check` passes;
/// of each file it holds its first operations, in order (a slice commits
/// them together); an origin's files are held oldest first, whole but for
/// the last one begun; nothing is held of an origin but these; the rest is
/// as it was.
fn held_files(store: &Store, files: &[Found], recv: &Receiver, at: &str) -> Vec<i64> {
    assert_eq!(
        store.replica_id(),
        recv.id,
        "{at}: the receiver took a new replica id, as if it were a copy or a restored backup"
    );
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{at}: check failed: {:?}", report.problems);
    let held: Vec<i64> = files
        .iter()
        .map(|f| {
            let seqs: Vec<i64> = store
                .ops_range(f.origin, f.first, f.last)
                .unwrap()
                .iter()
                .map(|o| o.seq)
                .collect();
            let n = seqs.len() as i64;
            assert!(
                seqs.iter().copied().eq(f.first..f.first + n),
                "{at}: the database holds {n} of the {} operations of {}, not its first ones",
                size(f),
                name(f)
            );
            n
        })
        .collect();
    let knowledge = store.knowledge().unwrap();
    for (origin, h) in &recv.elsewhere {
        assert_eq!(knowledge.get(origin), Some(h), "{at}: {origin:?} changed");
    }
    for (&origin, h) in knowledge
        .iter()
        .filter(|(o, _)| !recv.elsewhere.contains_key(o))
    {
        let of: Vec<(&Found, i64)> = files
            .iter()
            .zip(held.iter().copied())
            .filter(|(f, _)| f.origin == origin)
            .collect();
        let sum: i64 = of.iter().map(|(_, n)| n).sum();
        assert_eq!(
            h.count, sum,
            "{at}: origin {origin:?} holds {h:?}, not operations of the folder's files"
        );
        let whole = of.iter().take_while(|(f, n)| *n == size(f)).count();
        assert!(
            of.iter().skip(whole + 1).all(|(_, n)| *n == 0),
            "{at}: a file of {origin:?} is begun, an older one is not whole"
        );
        assert_eq!((h.contiguous, h.highest), (sum, sum), "{at}: {origin:?}");
    }
    held
}

/// Whether every file is held whole.
fn all_whole(files: &[Found], held: &[i64]) -> bool {
    files.iter().zip(held).all(|(f, n)| *n == size(f))
}

/// Nothing hidden in the folder is taken for a bundle; every bundle in
/// `dir` (the receiver's own folder: only it writes there) reads whole and
/// holds what the database holds. Returns whether an export of the
/// receiver's was cut off: a temporary file other than [`PLANTED`].
fn check_own_folder(store: &Store, dir: &Path, net: NetworkId, key: &NetworkKey, at: &str) -> bool {
    let mut cut_off = false;
    for f in scan(dir.parent().unwrap()).unwrap() {
        assert!(
            !name(&f).starts_with('.'),
            "{at}: {} taken for a bundle",
            name(&f)
        );
        if f.path.parent() != Some(dir) {
            continue;
        }
        let bytes = std::fs::read(&f.path).unwrap();
        let (header, ops) = read_bundle(key, net, &bytes)
            .unwrap_or_else(|e| panic!("{at}: {} written half: {e}", name(&f)));
        assert_eq!((header.first, header.last), (f.first, f.last), "{at}");
        assert!(
            ops == store.ops_range(f.origin, f.first, f.last).unwrap(),
            "{at}: {} does not hold the database's operations",
            name(&f)
        );
    }
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let n = entry.unwrap().file_name().to_string_lossy().into_owned();
        if n.starts_with('.') && n.ends_with(".tmp") {
            let bytes = std::fs::read(dir.join(&n)).unwrap();
            cut_off |= bytes != PLANTED;
        }
    }
    cut_off
}

/// What a killed export left earlier: planted under the temporary name the
/// receiver's next export uses.
const PLANTED: &[u8] = b"WSBUNDLE half a file";

#[test]
fn a_killed_import_leaves_a_run_of_each_origin_and_a_rerun_completes() {
    let started = Instant::now();
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let (stick, other_stick) = (h.join("stick"), h.join("other-stick"));
    std::fs::create_dir(&stick).unwrap();
    std::fs::create_dir(&other_stick).unwrap();
    let db = |code: &str| h.join(format!("{code}.db"));
    let (a, b, c, r) = (db("aa"), db("bb"), db("cc"), db("rr"));

    // Two stations fill the stick in turns, 700 to 1,000 operations a
    // file. The receiver R synced with it once early on (it holds A's first
    // file, the stick holds R's first), has since brought C's records from
    // another stick, and has written records of its own: its next sync
    // imports six files, then writes its own new operations and relays C's.
    demo(h, &a, "AA", 1, 800);
    demo(h, &r, "RR", 2, 600);
    create_network(h, &a, &stick);
    sync(h, &a, &stick);
    sync(h, &r, &stick);
    for (seed, (db, code)) in (3..).zip([(&a, "AA"), (&b, "BB")].repeat(3)) {
        demo(h, db, code, seed, 600);
        sync(h, db, &stick);
    }
    demo(h, &c, "CC", 9, 1000);
    std::fs::copy(stick.join(NETWORK_FILE), other_stick.join(NETWORK_FILE)).unwrap();
    sync(h, &c, &other_stick);
    sync(h, &r, &other_stick);
    demo(h, &r, "RR", 10, 500);
    let setup = started.elapsed();

    // R as it is now, to start each round from.
    let pristine = h.join("rr-before.db");
    let (r_id, r_knows) = {
        let store = Store::open(&r).unwrap();
        (store.replica_id(), store.knowledge().unwrap())
    };
    std::fs::copy(&r, &pristine).unwrap();
    let net = read_network(&stick).unwrap().unwrap().id;
    let key = NetworkKey::derive(PASSPHRASE, net).unwrap();
    let r_dir = r_id.0.as_simple().to_string();
    let all = scan(&stick).unwrap();
    let mut files: Vec<Found> = all.iter().filter(|f| f.origin != r_id).cloned().collect();
    files.sort_by_key(|f| (f.origin, f.first));
    let recv = Receiver {
        id: r_id,
        elsewhere: r_knows
            .iter()
            .filter(|(o, _)| !files.iter().any(|f| f.origin == **o))
            .map(|(o, h)| (*o, *h))
            .collect(),
    };
    assert_eq!(recv.elsewhere.len(), 2, "R's own log and C's");
    let origins: BTreeMap<ReplicaId, usize> = files.iter().fold(BTreeMap::new(), |mut m, f| {
        *m.entry(f.origin).or_default() += 1;
        m
    });
    assert_eq!(origins.len(), 2, "{files:?}");
    assert!(origins.values().all(|&n| n >= 3), "{files:?}");
    assert!(files.iter().all(|f| size(f) >= 700), "{files:?}");
    for w in files.windows(2) {
        assert!(
            w[0].origin != w[1].origin || w[0].last < w[1].first,
            "{w:?}"
        );
    }
    // R's export will write its operations since its first sync; a killed
    // export of them was cut off before the test starts.
    let r_first = all.iter().find(|f| f.origin == r_id).unwrap();
    let r_next = (r_first.last + 1, r_knows[&r_id].highest);
    assert_eq!(r_first.first, 1);
    assert!(r_next.1 > r_next.0);
    std::fs::write(
        stick
            .join(&r_dir)
            .join(temp_file_name(r_id, r_next.0, r_next.1)),
        PLANTED,
    )
    .unwrap();
    // Another station's export was cut off, for a range no file has: half
    // of its last file under the temporary name of the next.
    let last = files.iter().rfind(|f| f.origin == files[0].origin).unwrap();
    let stale = last
        .path
        .strip_prefix(&stick)
        .unwrap()
        .with_file_name(temp_file_name(last.origin, last.last + 1, last.last + 700));
    let bytes = std::fs::read(&last.path).unwrap();
    std::fs::write(stick.join(&stale), &bytes[..bytes.len() / 2]).unwrap();

    // Each round starts from R as it was, with a copy of the stick and a
    // data folder of its own: nothing remembers how far an earlier round
    // got, so nothing takes the restored file for a restored backup.
    let start_round = |n: usize| -> PathBuf {
        let dir = h.join(format!("round-{n}"));
        std::fs::create_dir(&dir).unwrap();
        copy_folder(&stick, &dir.join("stick"));
        restore_db(&pristine, &r);
        // The same computer: its data folder's id, not its notes.
        let id = h.join("data/waystation/install-id");
        let to = dir.join("data/waystation");
        std::fs::create_dir_all(&to).unwrap();
        std::fs::copy(&id, to.join("install-id")).unwrap();
        dir
    };

    // One uninterrupted sync: where every run must end, and how long it
    // takes; then a sync with nothing to do: how long until the import
    // starts.
    let dir = start_round(0);
    let t = Instant::now();
    sync(&dir, &r, &dir.join("stick"));
    let full = t.elapsed();
    let t = Instant::now();
    sync(&dir, &r, &dir.join("stick"));
    let idle = t.elapsed();
    let (ref_digest, ref_knowledge) = {
        let store = Store::open(&r).unwrap();
        let held = held_files(&store, &files, &recv, "uninterrupted sync");
        assert!(all_whole(&files, &held));
        (store.digest().unwrap(), store.knowledge().unwrap())
    };
    let before_all = {
        restore_db(&pristine, &r);
        let store = Store::open(&r).unwrap();
        held_files(&store, &files, &recv, "before")
    };
    let lo = idle.mul_f64(0.9);
    let hi = full.mul_f64(1.05).max(lo + Duration::from_millis(50));

    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut round = 0;
    let mut dir = PathBuf::new();
    let mut before = Vec::new();
    let (mut partial, mut cut_off, mut completed) = (0, 0, 0);
    for kill in 0..KILLS {
        if before.is_empty() {
            round += 1;
            dir = start_round(round);
            before.clone_from(&before_all);
        }
        let folder = dir.join("stick");
        let mut child = waystation(&dir, &r)
            .arg("sync")
            .arg(&folder)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(rng.random_range(lo..hi));
        child.kill().unwrap(); // SIGKILL
        let out = child.wait_with_output().unwrap();
        let killed = out.status.signal() == Some(SIGKILL);
        assert!(
            killed || out.status.success(),
            "kill {kill}: the sync failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );

        let at = if killed {
            format!("kill {kill} (round {round}, killed)")
        } else {
            let said = String::from_utf8_lossy(&out.stdout);
            format!("kill {kill} (round {round}, finished: {})", said.trim())
        };
        let store = Store::open(&r).unwrap();
        let held = held_files(&store, &files, &recv, &at);
        for (f, (was, is)) in files.iter().zip(before.iter().zip(&held)) {
            assert!(
                was <= is,
                "{at}: {was} operations of {} were held, now {is}",
                name(f)
            );
        }
        let own_dir = folder.join(&r_dir);
        cut_off += usize::from(check_own_folder(&store, &own_dir, net, &key, &at));
        // Killed with some of the operations applied and some not.
        let done: i64 = held.iter().sum();
        if killed && done > before.iter().sum() && !all_whole(&files, &held) {
            partial += 1;
        }
        before = held;
        if !killed {
            // The rerun completed: as far as an uninterrupted sync.
            assert!(all_whole(&files, &before), "{at}");
            assert_eq!(store.digest().unwrap(), ref_digest, "{at}");
            assert_eq!(store.knowledge().unwrap(), ref_knowledge, "{at}");
            assert!(
                own_dir.join(file_name(r_id, r_next.0, r_next.1)).exists(),
                "{at}"
            );
            completed += 1;
            before.clear();
        }
    }

    // A last rerun without a kill completes, and the receiver holds what
    // the stations wrote: once they have synced too, all hold the same.
    let folder = dir.join("stick");
    sync(&dir, &r, &folder);
    let store = Store::open(&r).unwrap();
    let held = held_files(&store, &files, &recv, "last rerun");
    assert!(all_whole(&files, &held));
    check_own_folder(&store, &folder.join(&r_dir), net, &key, "last rerun");
    assert_eq!(store.digest().unwrap(), ref_digest);
    assert!(
        folder.join(&stale).exists(),
        "nothing in the folder is ever deleted"
    );
    for station in [&a, &b, &c] {
        let source = Store::open(station).unwrap();
        let o = source.replica_id();
        let last = source.knowledge().unwrap()[&o].highest;
        assert!(
            store.ops_range(o, 1, last).unwrap() == source.ops_range(o, 1, last).unwrap(),
            "the receiver holds {}'s operations as it wrote them",
            station.display()
        );
        drop(source);
        sync(h, station, &folder);
        assert_eq!(Store::open(station).unwrap().digest().unwrap(), ref_digest);
    }

    eprintln!(
        "{KILLS} kills in {round} rounds: {partial} mid-import, {cut_off} with a cut-off export's \
         temporary file, {completed} runs finished; sync {full:?}, start {idle:?}; setup {setup:?}, all {:?}",
        started.elapsed()
    );
    assert!(
        partial >= 3,
        "only {partial} of {KILLS} kills landed inside an import: the kills are mistimed"
    );
}
