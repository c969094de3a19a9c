//! Exchanging operations through a folder: relay, idempotence, gaps, bad
//! files, and one writer per path.

use crate::common;

use std::path::Path;

use common::{add_person, station_db};
use waystation::store::Store;
use waystation::sync::bundle::{KdfParams, NetworkId, NetworkKey};
use waystation::sync::folder::{
    SyncError, SyncReport, check_key, create_network, read_network, scan, sync,
};

/// An empty folder `name` in `dir`.
fn folder(dir: &tempfile::TempDir, name: &str) -> std::path::PathBuf {
    let p = dir.path().join(name);
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn key(net: NetworkId, pass: &str) -> NetworkKey {
    NetworkKey::derive_with_params(pass, net, KdfParams::FAST_INSECURE).unwrap()
}

/// Joins (or creates) the folder's network with `pass` and syncs.
fn run(store: &mut Store, folder: &Path, pass: &str) -> Result<SyncReport, SyncError> {
    let net = match read_network(folder)? {
        Some(n) => {
            let k = key(n.id, pass);
            check_key(&n, &k)?;
            n
        }
        None => {
            let id = NetworkId::new();
            create_network(folder, id, &key(id, pass))?
        }
    };
    sync(store, folder, net.id, &key(net.id, pass), &mut |_, _, _| {})
}

/// The records of `from`'s station as `to` sees them: every operation of
/// `from` is in `to`.
fn holds_all_of(to: &Store, from: &Store) -> bool {
    let o = from.replica_id();
    let last = from.knowledge().unwrap()[&o].highest;
    to.ops_range(o, 1, last).unwrap() == from.ops_range(o, 1, last).unwrap()
}

#[test]
fn a_to_stick_to_office_to_stick_to_b_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let (stick1, stick2) = (folder(&dir, "stick1"), folder(&dir, "stick2"));
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut office) = station_db(&dir, "QU");
    let (_, mut b) = station_db(&dir, "BB");
    add_person(&mut a, "甲站工人", "13900000001");
    add_person(&mut b, "乙站工人", "13900000002");

    // A → stick 1 → office → stick 2 → B, and B's back the same way.
    run(&mut a, &stick1, "一街一月两次").unwrap();
    run(&mut office, &stick1, "一街一月两次").unwrap();
    run(&mut office, &stick2, "一街一月两次").unwrap();
    run(&mut b, &stick2, "一街一月两次").unwrap();
    run(&mut office, &stick2, "一街一月两次").unwrap();
    run(&mut office, &stick1, "一街一月两次").unwrap();
    run(&mut a, &stick1, "一街一月两次").unwrap();

    assert!(
        holds_all_of(&b, &a),
        "A's records reached B through the office"
    );
    assert!(
        holds_all_of(&a, &b),
        "B's records reached A through the office"
    );
    assert!(holds_all_of(&office, &a) && holds_all_of(&office, &b));
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    assert_eq!(a.digest().unwrap(), office.digest().unwrap());
    assert_eq!(b.lookup("甲站工人", 5).unwrap().len(), 1);
    assert!(a.check().unwrap().is_ok());
}

#[test]
fn syncing_twice_changes_nothing_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let share = folder(&dir, "share");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    add_person(&mut a, "张三", "13900000003");
    run(&mut a, &share, "pass").unwrap();
    let first = run(&mut b, &share, "pass").unwrap();
    assert_eq!(first.files_read, 1);
    assert!(first.ops_applied > 0);
    let digest = b.digest().unwrap();
    let files = scan(&share).unwrap().len();
    let again = run(&mut b, &share, "pass").unwrap();
    assert_eq!(
        (again.files_read, again.ops_applied, again.files_written),
        (0, 0, 0)
    );
    assert_eq!(b.digest().unwrap(), digest);
    assert_eq!(scan(&share).unwrap().len(), files);
}

#[test]
fn each_replica_writes_only_in_its_own_folder() {
    let dir = tempfile::tempdir().unwrap();
    let share = folder(&dir, "share");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    run(&mut a, &share, "pass").unwrap();
    run(&mut b, &share, "pass").unwrap();
    for f in scan(&share).unwrap() {
        let writer = f
            .path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let writers = [a.replica_id(), b.replica_id()].map(|r| r.0.as_simple().to_string());
        assert!(writers.contains(&writer));
    }
    // B relays nothing of A's that the folder already has.
    let b_dir = share.join(b.replica_id().0.as_simple().to_string());
    for f in std::fs::read_dir(b_dir).unwrap() {
        let name = f.unwrap().file_name().into_string().unwrap();
        assert!(
            name.contains(&b.replica_id().0.as_simple().to_string()),
            "{name}"
        );
    }
}

#[test]
fn a_wrong_passphrase_is_refused_before_anything_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let share = folder(&dir, "share");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    add_person(&mut a, "张三", "13900000003");
    run(&mut a, &share, "right").unwrap();
    let digest = b.digest().unwrap();
    assert!(matches!(
        run(&mut b, &share, "wrong"),
        Err(SyncError::WrongPassphrase)
    ));
    assert_eq!(b.digest().unwrap(), digest);
}

#[test]
fn a_damaged_file_is_refused_alone_and_the_rest_still_applies() {
    let dir = tempfile::tempdir().unwrap();
    let share = folder(&dir, "share");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut c) = station_db(&dir, "CC");
    let (_, mut b) = station_db(&dir, "BB");
    add_person(&mut a, "张三", "13900000003");
    add_person(&mut c, "李四", "13900000004");
    run(&mut a, &share, "pass").unwrap();
    run(&mut c, &share, "pass").unwrap();
    // Truncate A's file, as a stick pulled out too early would.
    let a_file = scan(&share)
        .unwrap()
        .into_iter()
        .find(|f| f.origin == a.replica_id())
        .unwrap();
    let bytes = std::fs::read(&a_file.path).unwrap();
    std::fs::write(&a_file.path, &bytes[..bytes.len() / 2]).unwrap();
    // Syncthing's leftovers and strangers are ignored.
    std::fs::write(share.join("notes.txt"), "hello").unwrap();
    let c_dir = a_file.path.parent().unwrap().to_owned();
    std::fs::write(c_dir.join("ws-x.sync-conflict-20261122.wsb"), "x").unwrap();

    let report = run(&mut b, &share, "pass").unwrap();
    assert_eq!(report.refused.len(), 1);
    assert_eq!(report.refused[0].path, a_file.path);
    assert!(holds_all_of(&b, &c), "C's file still applied");
    assert!(
        !b.knowledge().unwrap().contains_key(&a.replica_id()),
        "nothing of A applied"
    );
    assert_eq!(b.lookup("张三", 5).unwrap().len(), 0);
    assert_eq!(b.lookup("李四", 5).unwrap().len(), 1);
}

#[test]
fn a_missing_middle_file_is_never_skipped_and_closes_on_arrival() {
    let dir = tempfile::tempdir().unwrap();
    let (f1, f2) = (folder(&dir, "f1"), folder(&dir, "f2"));
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    // A's log 1..n goes to stick 1, its later part to stick 2.
    add_person(&mut a, "一", "13900000011");
    run(&mut a, &f1, "pass").unwrap();
    let net = read_network(&f1).unwrap().unwrap();
    std::fs::copy(f1.join("network.wsn"), f2.join("network.wsn")).unwrap();
    add_person(&mut a, "二", "13900000012");
    let k = key(net.id, "pass");
    // Stick 2 gets only the new part: copy the first file's range in as if
    // the folder had it, then remove it again after A writes.
    let first = scan(&f1).unwrap();
    let own = f2.join(a.replica_id().0.as_simple().to_string());
    std::fs::create_dir_all(&own).unwrap();
    for f in &first {
        std::fs::copy(&f.path, own.join(f.path.file_name().unwrap())).unwrap();
    }
    sync(&mut a, &f2, net.id, &k, &mut |_, _, _| {}).unwrap();
    for f in &first {
        std::fs::remove_file(own.join(f.path.file_name().unwrap())).unwrap();
    }
    // B sees the later part first: applied, but A is not known past the gap.
    sync(&mut b, &f2, net.id, &k, &mut |_, _, _| {}).unwrap();
    let held = b.knowledge().unwrap()[&a.replica_id()];
    assert_eq!(held.contiguous, 0);
    assert!(held.has_gap());
    // B writes nothing of A past the gap into a folder.
    assert!(
        scan(&f2)
            .unwrap()
            .iter()
            .filter(|f| f.origin == a.replica_id())
            .all(|f| f.path.starts_with(&own))
    );
    // The first part arrives: the gap closes.
    sync(&mut b, &f1, net.id, &k, &mut |_, _, _| {}).unwrap();
    assert!(holds_all_of(&b, &a));
    assert!(!b.knowledge().unwrap()[&a.replica_id()].has_gap());
}
