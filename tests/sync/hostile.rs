//! Nothing in a sync folder can stop a sync, make it wait, fill the memory
//! or make it believe something unauthenticated: named pipes, folders,
//! devices, links out of the folder, unreadable files, a gibibyte of junk,
//! a file deleted while the folder is read, junk named with the station's
//! own replica id; a second sync of one database at once; old temporary
//! files.

use crate::common::{self, cli};

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use common::{add_person, station_db};
use waystation::domain::ids::ReplicaId;
use waystation::store::Store;
use waystation::sync::bundle::{
    HEADER_LEN, KdfParams, NetworkId, NetworkKey, file_name, unique_temp_name,
};
use waystation::sync::folder::{
    self, Found, NETWORK_FILE, REDACTED_FILE, SyncReport, create_network, scan,
};
use waystation::sync::intake::{Refusal, Special};
use waystation::sync::session;

const PASS: &str = "一街一月两次";
/// A replica sub-folder no station writes.
const STRANGER: &str = "0123456789abcdef0123456789abcdef";

fn test_net() -> (NetworkId, NetworkKey) {
    let id = NetworkId::new();
    let key = NetworkKey::derive_with_params(PASS, id, KdfParams::FAST_INSECURE).unwrap();
    (id, key)
}

fn new_folder(dir: &Path, name: &str, net: &(NetworkId, NetworkKey)) -> PathBuf {
    let p = dir.join(name);
    std::fs::create_dir_all(&p).unwrap();
    create_network(&p, net.0, &net.1).unwrap();
    p
}

fn sync_in(store: &mut Store, folder: &Path, net: &(NetworkId, NetworkKey)) -> SyncReport {
    folder::sync(store, folder, net.0, &net.1, &mut |_, _, _| {}).unwrap()
}

/// Whether this process may read any file whatever its permissions.
fn is_root() -> bool {
    #[cfg(unix)]
    {
        // SAFETY: geteuid has no preconditions and cannot fail.
        unsafe { libc::geteuid() == 0 }
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Runs `f` on a thread of its own, and fails if it has not ended within a
/// minute: a sync that waits for a writer on a pipe never ends.
fn within_a_minute<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the sync did not end within a minute: it is waiting on something in the folder")
}

fn holds_all_of(to: &Store, from: &Store) -> bool {
    let o = from.replica_id();
    let last = from.knowledge().unwrap()[&o].highest;
    to.ops_range(o, 1, last).unwrap() == from.ops_range(o, 1, last).unwrap()
}

fn file_of(folder: &Path, origin: ReplicaId) -> Found {
    scan(folder)
        .unwrap()
        .into_iter()
        .find(|f| f.origin == origin)
        .unwrap()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0, "mkfifo");
}

#[cfg(unix)]
fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A pipe, a folder, an unreadable file, links out of the folder and to
/// nothing, an unlistable replica folder — each under a bundle's name: the
/// sync neither waits nor stops, reads every other file, lists each once
/// with why, and fails only for those whose records it lacks.
#[cfg(unix)]
#[test]
fn special_files_with_a_bundle_name_are_skipped_and_everything_else_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let net = test_net();
    let share = new_folder(dir.path(), "share", &net);
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let (_, c) = station_db(&dir, "CC");
    add_person(&mut a, "张三", "13900000001");
    add_person(&mut b, "李四", "13900000002");
    sync_in(&mut a, &share, &net);
    sync_in(&mut b, &share, &net);

    let stranger = share.join(STRANGER);
    std::fs::create_dir(&stranger).unwrap();
    // An origin nobody has: its records are needed and never arrive.
    let phantom = ReplicaId::new();
    let at = |first: i64, last: i64| stranger.join(file_name(phantom, first, last));
    let a_file = file_of(&share, a.replica_id());
    let a_name = a_file.path.file_name().unwrap().to_owned();
    let outside = dir.path().join("outside.wsb");
    std::fs::copy(&a_file.path, &outside).unwrap();

    let fifo = at(1, 5);
    mkfifo(&fifo);
    let folder_named = at(6, 9);
    std::fs::create_dir(&folder_named).unwrap();
    let unreadable = at(10, 12);
    std::fs::write(&unreadable, b"WSBUNDLE and more").unwrap();
    chmod(&unreadable, 0o000);
    let out_link = at(13, 20);
    std::os::unix::fs::symlink(&outside, &out_link).unwrap();
    let dangling = at(21, 22);
    std::os::unix::fs::symlink(dir.path().join("nothing-here"), &dangling).unwrap();
    // A pipe named like a file whose records are read from A's own copy.
    let fifo_dup = stranger.join(&a_name);
    mkfifo(&fifo_dup);
    // A replica folder that cannot be listed.
    let locked = share.join("fedcba9876543210fedcba9876543210");
    std::fs::create_dir(&locked).unwrap();
    std::fs::copy(&a_file.path, locked.join(&a_name)).unwrap();
    chmod(&locked, 0o000);

    let share2 = share.clone();
    let (c, report) = within_a_minute(move || {
        let mut c = c;
        let r = sync_in(&mut c, &share2, &net);
        (c, r)
    });
    chmod(&locked, 0o755);
    chmod(&unreadable, 0o644);

    assert_eq!(report.files_read, 2, "A's and B's files: {report:?}");
    assert!(holds_all_of(&c, &a) && holds_all_of(&c, &b));
    let why = |p: &Path| {
        let listed: Vec<_> = report.refused.iter().filter(|r| r.path == p).collect();
        assert_eq!(listed.len(), 1, "{} listed once: {report:?}", p.display());
        (listed[0].why.clone(), listed[0].needed)
    };
    assert_eq!(why(&fifo), (Refusal::NotAFile(Special::Fifo), true));
    assert_eq!(
        why(&folder_named),
        (Refusal::NotAFile(Special::Folder), true)
    );
    assert_eq!(why(&out_link), (Refusal::Outside, true));
    assert_eq!(why(&dangling), (Refusal::Dangling, true));
    assert_eq!(
        why(&fifo_dup),
        (Refusal::NotAFile(Special::Fifo), false),
        "its records came from A's copy"
    );
    if is_root() {
        eprintln!(
            "running as root: every file and folder is readable, so the unreadable file and folder are not checked"
        );
    } else {
        assert!(matches!(why(&unreadable), (Refusal::Unreadable(_), true)));
        assert!(matches!(why(&locked), (Refusal::Unreadable(_), false)));
    }
    assert!(report.incomplete(), "the phantom's records are missing");
    // C wrote its own records, and nothing for what it cannot read.
    assert_eq!(report.files_written, 1);
    assert!(!share.join(phantom.0.as_simple().to_string()).exists());
}

/// The peak resident memory of a child, in bytes, and how it ended: the
/// child is waited for with `wait4`, which reports its own usage only.
#[cfg(target_os = "linux")]
fn run_measured(mut cmd: std::process::Command) -> (cli::Run, u64) {
    use std::io::Read;
    use std::os::unix::process::CommandExt;
    use std::process::Stdio;
    let args = format!("{:?}", cmd.get_args().collect::<Vec<_>>());
    // At most 4 GiB of address space: a build that read a link to
    // /dev/zero to its end fails there instead of filling the machine.
    // SAFETY: setrlimit is async-signal-safe; nothing else runs here.
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 4 << 30,
                rlim_max: 4 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &limit);
            Ok(())
        });
    }
    // Waited for below with wait4, which std does not know of.
    #[allow(clippy::zombie_processes)]
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut stdout = String::new();
    let _ = out.read_to_string(&mut stdout);
    let stderr = reader.join().unwrap();
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value to be filled in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    // SAFETY: the child is ours and not yet waited for.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(waited, pid, "wait4");
    let code = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -1
    };
    let peak = u64::try_from(usage.ru_maxrss).unwrap() * 1024;
    (
        cli::Run {
            args,
            code,
            out: stdout,
            err: stderr,
        },
        peak,
    )
}

/// A folder with a network of `PASS` (the production key, as the binary
/// derives it).
fn cli_folder(dir: &Path) -> PathBuf {
    let share = dir.join("share");
    std::fs::create_dir(&share).unwrap();
    let id = NetworkId::new();
    create_network(&share, id, &NetworkKey::derive(PASS, id).unwrap()).unwrap();
    share
}

fn cli_sync(home: &Path, db: &Path, folder: &Path) -> std::process::Command {
    let mut cmd = cli::waystation(home);
    cmd.arg("--db")
        .arg(db)
        .args(["--lang", "en", "sync"])
        .arg(folder)
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS);
    cmd
}

/// The most a sync may take, whatever is in the folder.
const MEMORY_BOUND: u64 = 256 << 20;

/// A gibibyte of junk, a real header on a gibibyte, a forged header that
/// announces a gibibyte, and a link to /dev/zero, each named like a bundle:
/// the real binary reads the good file, refuses these by their first 102
/// bytes (or their type), and its peak memory stays far below the bound.
#[cfg(target_os = "linux")]
#[test]
fn a_gib_of_junk_or_a_link_to_dev_zero_costs_no_memory() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let share = cli_folder(h);
    let (a_db, mut a) = station_db(&home, "AA");
    let (b_db, b) = station_db(&home, "BB");
    drop(b);
    for i in 0..20 {
        add_person(&mut a, &common::numbered("工人", i), &format!("139{i:08}"));
    }
    drop(a);
    cli::ok(cli::output(&mut cli_sync(h, &a_db, &share)));
    let a = Store::open(&a_db).unwrap();
    let a_file = file_of(&share, a.replica_id());
    let stranger = share.join(STRANGER);
    std::fs::create_dir(&stranger).unwrap();
    let phantom = ReplicaId::new();
    let at = |first: i64, last: i64| stranger.join(file_name(phantom, first, last));
    let gib = 1u64 << 30;

    let zeros = at(1, 10);
    std::fs::File::create(&zeros).unwrap().set_len(gib).unwrap();
    let real_head = at(11, 20);
    std::fs::copy(&a_file.path, &real_head).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&real_head)
        .unwrap()
        .set_len(gib)
        .unwrap();
    // A header forged to announce a gibibyte, checksum and all, on a file
    // of that size.
    let forged = at(21, 30);
    let mut head = std::fs::read(&a_file.path).unwrap()[..HEADER_LEN].to_vec();
    head[62..70].copy_from_slice(&(gib - HEADER_LEN as u64).to_le_bytes());
    let sum = blake3::hash(&head[..94]);
    head[94..].copy_from_slice(&sum.as_bytes()[..8]);
    std::fs::write(&forged, &head).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&forged)
        .unwrap()
        .set_len(gib)
        .unwrap();
    let zero_link = at(31, 40);
    std::os::unix::fs::symlink("/dev/zero", &zero_link).unwrap();

    let (r, peak) = run_measured(cli_sync(h, &b_db, &share));
    eprintln!(
        "peak resident memory of the sync: {:.1} MiB (bound {} MiB)",
        peak as f64 / f64::from(1 << 20),
        MEMORY_BOUND >> 20
    );
    assert_eq!(
        r.code, 1,
        "the phantom's records are missing\n{}\n{}",
        r.out, r.err
    );
    assert!(r.err.is_empty(), "{}", r.err);
    assert!(r.out.contains("read 1 file(s), "), "{}", r.out);
    for (p, why) in [
        (&zeros, "not a waystation sync file"),
        (&real_head, "extra bytes after the end"),
        (&forged, "larger than a sync file can be"),
        (&zero_link, "a link to something outside the sync folder"),
    ] {
        let line = r
            .out
            .lines()
            .find(|l| l.contains(&*p.to_string_lossy()))
            .unwrap_or_else(|| panic!("{} not named:\n{}", p.display(), r.out));
        assert!(line.starts_with("refused ") && line.contains(why), "{line}");
    }
    let b = Store::open(&b_db).unwrap();
    assert!(holds_all_of(&b, &a), "A's records were read");
    assert!(
        peak < MEMORY_BOUND,
        "the sync took {peak} bytes at its peak: more than {MEMORY_BOUND}"
    );
}

/// Everything in a folder, by path: to tell that nothing was touched.
fn contents(folder: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut dirs = vec![folder.to_owned()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                out.push((p.clone(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

/// Two syncs of one database at once: the second says plainly that
/// another is running and touches nothing; many at once each either
/// complete or say so, and none fails for another reason.
#[test]
fn a_second_sync_of_one_database_says_another_is_running_and_touches_nothing() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path();
    let share = cli_folder(h);
    let (a_db, mut a) = station_db(&home, "AA");
    let (b_db, mut b) = station_db(&home, "BB");
    add_person(&mut a, "张三", "13900000001");
    add_person(&mut b, "李四", "13900000002");
    drop(a);
    let b_digest = b.digest().unwrap();
    drop(b);
    cli::ok(cli::output(&mut cli_sync(h, &a_db, &share)));

    // A sync of B is running (this test holds its lock as one would).
    let held = waystation::sync::lock::lock(Some(&b_db)).unwrap();
    let before = contents(&share);
    let r = cli::output(&mut cli_sync(h, &b_db, &share));
    assert_eq!(
        cli::refused(&r),
        "waystation: another sync of this database is running: wait for it to finish, then sync again"
    );
    assert_eq!(contents(&share), before, "nothing written to the folder");
    let b = Store::open(&b_db).unwrap();
    assert_eq!(b.digest().unwrap(), b_digest, "nothing read");
    assert_eq!(b.sync_settings().unwrap().network, None, "nothing joined");
    drop(b);
    let mut zh = cli::waystation(h);
    zh.arg("--db")
        .arg(&b_db)
        .args(["--lang", "zh", "sync"])
        .arg(&share)
        .env("WAYSTATION_SYNC_PASSPHRASE", PASS);
    let r = cli::output(&mut zh);
    assert!(cli::refused(&r).contains("另一次同步正在进行"), "{}", r.err);
    drop(held);

    // Four at once on B, four at once on A.
    let mut children = Vec::new();
    for i in 0..8 {
        let db = if i % 2 == 0 { &b_db } else { &a_db };
        let mut cmd = cli_sync(h, db, &share);
        cmd.stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        children.push(cmd.spawn().unwrap());
    }
    let (mut done, mut busy) = (0, 0);
    for child in children {
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        if out.status.success() {
            done += 1;
        } else {
            assert!(
                err.contains("another sync of this database is running"),
                "a sync failed for another reason: {err}{}",
                String::from_utf8_lossy(&out.stdout)
            );
            busy += 1;
        }
    }
    eprintln!("8 syncs at once on two databases: {done} completed, {busy} found another running");
    assert!(done >= 2, "at least the first of each database completes");
    cli::ok(cli::output(&mut cli_sync(h, &b_db, &share)));
    cli::ok(cli::output(&mut cli_sync(h, &a_db, &share)));
    let (a, b) = (Store::open(&a_db).unwrap(), Store::open(&b_db).unwrap());
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    assert!(a.check().unwrap().is_ok() && b.check().unwrap().is_ok());
}

/// A file deleted after the folder was listed and before it is read is
/// skipped with a line; the others are read, and the next syncs close the
/// gap once its writer has written it again.
#[test]
fn a_file_deleted_while_the_folder_is_read_is_skipped_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let net = test_net();
    let share = new_folder(dir.path(), "share", &net);
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let (_, mut c) = station_db(&dir, "CC");
    add_person(&mut a, "张三", "13900000001");
    add_person(&mut b, "李四", "13900000002");
    sync_in(&mut a, &share, &net);
    sync_in(&mut b, &share, &net);
    let found = scan(&share).unwrap();
    let victim = found
        .iter()
        .position(|f| f.origin == a.replica_id())
        .unwrap();
    let gone = found[victim].path.clone();
    // Deleted just before C reads it (the progress call precedes each
    // file's reading).
    let mut progress = |stage: &str, i: usize, _: usize| {
        if stage == "read" && i == victim {
            let _ = std::fs::remove_file(&gone);
        }
    };
    let mut report = folder::import(&mut c, &share, net.0, &net.1, &mut progress).unwrap();
    assert_eq!(report.refused.len(), 1, "{report:?}");
    assert_eq!(report.refused[0].path, found[victim].path);
    assert_eq!(report.refused[0].why, Refusal::Vanished);
    assert!(report.refused[0].needed);
    assert!(holds_all_of(&c, &b), "B's file was read");
    folder::export(
        &mut c,
        &share,
        net.0,
        &net.1,
        &mut |_, _, _| {},
        &mut report,
    )
    .unwrap();
    assert!(report.incomplete());
    // A writes its range again; C reads it.
    let healed = sync_in(&mut a, &share, &net);
    assert_eq!(healed.files_written, 1);
    let again = sync_in(&mut c, &share, &net);
    assert!(again.refused.is_empty(), "{again:?}");
    assert!(holds_all_of(&c, &a));
    assert_eq!(c.digest().unwrap(), a.digest().unwrap());
}

/// Waystation's own temporary files older than a day go, wherever in the
/// folder they are; newer ones, and other programs', stay.
#[test]
fn own_temporary_files_older_than_a_day_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let net = test_net();
    let share = new_folder(dir.path(), "share", &net);
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    add_person(&mut a, "张三", "13900000001");
    sync_in(&mut a, &share, &net);
    let a_dir = share.join(a.replica_id().0.as_simple().to_string());
    let a_name = file_name(a.replica_id(), 1, 99);
    let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 3600);
    let plant = |p: PathBuf, when: SystemTime| {
        std::fs::write(&p, b"WSBUNDLE half a file").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&p)
            .unwrap()
            .set_modified(when)
            .unwrap();
        p
    };
    let old = [
        plant(a_dir.join(format!(".{a_name}.tmp")), two_days_ago),
        plant(a_dir.join(unique_temp_name(&a_name)), two_days_ago),
        plant(a_dir.join(unique_temp_name(REDACTED_FILE)), two_days_ago),
        plant(share.join(format!(".{NETWORK_FILE}.tmp")), two_days_ago),
    ];
    let kept = [
        plant(a_dir.join(unique_temp_name(&a_name)), SystemTime::now()),
        plant(a_dir.join(format!(".syncthing.{a_name}.tmp")), two_days_ago),
        plant(a_dir.join("notes.txt"), two_days_ago),
    ];
    // Any station's sync tidies every sub-folder: Syncthing carries a
    // leftover to every machine.
    let report = sync_in(&mut b, &share, &net);
    assert_eq!(report.temp_removed, old.len());
    for p in &old {
        assert!(!p.exists(), "{} removed", p.display());
    }
    for p in &kept {
        assert!(p.exists(), "{} kept", p.display());
    }
    assert!(report.refused.is_empty(), "{report:?}");
    assert!(holds_all_of(&b, &a));
}

/// A file merely named with the station's own replica id — junk, or a
/// header forged to reach far — is not taken for a sign that the database
/// was restored from a backup: only authenticated files count.
#[test]
fn junk_named_with_the_own_replica_id_is_not_a_restored_backup() {
    let dir = tempfile::tempdir().unwrap();
    let share = cli_folder(dir.path());
    let (_, mut a) = station_db(&dir, "AA");
    add_person(&mut a, "张三", "13900000001");
    let run = |s: &mut Store| session::run(s, &share, Some(PASS), None, &mut |_, _, _| {}).unwrap();
    run(&mut a);
    let id = a.replica_id();
    let own_dir = share.join(id.0.as_simple().to_string());
    let real = file_of(&share, id);
    std::fs::write(
        own_dir.join(file_name(id, 1, 999_999)),
        b"junk that only has the name",
    )
    .unwrap();
    // A real header, its range and checksum forged: still not
    // authenticated.
    let mut bytes = std::fs::read(&real.path).unwrap();
    bytes[50..58].copy_from_slice(&5_000i64.to_le_bytes());
    let count = 5_000 - real.first + 1;
    bytes[58..62].copy_from_slice(&(count as u32).to_le_bytes());
    let sum = blake3::hash(&bytes[..94]);
    bytes[94..102].copy_from_slice(&sum.as_bytes()[..8]);
    std::fs::write(own_dir.join(file_name(id, real.first, 5_000)), &bytes).unwrap();
    add_person(&mut a, "李四", "13900000002");

    let out = run(&mut a);
    assert!(!out.new_replica, "junk is no restored backup");
    assert_eq!(a.replica_id(), id);
    assert_eq!(out.report.refused.len(), 2, "{:?}", out.report.refused);
    assert!(
        !out.report.incomplete(),
        "its own records are never missing"
    );
}
