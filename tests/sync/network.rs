//! The sync network as a deliberate act: a sync into a folder without a
//! network joins and writes nothing; the district's stations go on; a
//! folder whose network file Syncthing replaced is put back, and the
//! station that made the other network leaves it and joins; leaving keeps
//! what was written out valid.

use crate::common;

use std::path::{Path, PathBuf};

use common::*;
use waystation::store::Store;
use waystation::sync::folder::{NETWORK_FILE, SyncError, read_network, scan};
use waystation::sync::network::{self, NetworkError, Verdict};
use waystation::sync::session::{self, Outcome};

const PASS: &str = "一街一月两次";

fn try_sync(store: &mut Store, folder: &Path, pass: &str) -> Result<Outcome, SyncError> {
    session::run(store, folder, Some(pass), None, &mut |_, _, _| {})
}

fn sync(store: &mut Store, folder: &Path) -> Outcome {
    try_sync(store, folder, PASS).unwrap()
}

fn folder(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// What Syncthing brings: every file of `from` into `to` (nothing removed).
fn bring(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            bring(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn entries(folder: &Path) -> usize {
    std::fs::read_dir(folder).unwrap().count()
}

#[test]
fn a_station_syncing_before_its_folder_arrived_creates_nothing_and_joins_once_it_has() {
    let dir = tempfile::tempdir().unwrap();
    let shared = folder(&dir, "shared");
    // The third station's Syncthing has accepted the folder, not pulled it.
    let not_yet = folder(&dir, "c-shared");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let (_, mut c) = station_db(&dir, "CC");
    add_person(&mut a, "张三", "13800000001");
    create_network(&mut a, &shared, PASS);
    sync(&mut a, &shared);
    let joined = sync(&mut b, &shared);
    assert!(joined.joined && !joined.created_network);
    add_person(&mut c, "李四", "13800000002");

    let before = std::fs::read_to_string(shared.join(NETWORK_FILE)).unwrap();
    let refused = try_sync(&mut c, &not_yet, PASS);
    assert!(
        matches!(refused, Err(SyncError::NoNetwork(ref p)) if p == &not_yet),
        "{refused:?}"
    );
    // No passphrase is needed to be told: nothing kept, none given.
    let refused = session::run(&mut c, &not_yet, None, None, &mut |_, _, _| {});
    assert!(
        matches!(refused, Err(SyncError::NoNetwork(_))),
        "{refused:?}"
    );
    assert_eq!(entries(&not_yet), 0, "nothing written");
    assert_eq!(
        c.sync_settings().unwrap(),
        Default::default(),
        "nothing kept"
    );
    let seen = network::inspect(&c, Some(&not_yet)).unwrap();
    assert_eq!(seen.verdict(), Verdict::Neither);

    // The district goes on.
    add_person(&mut b, "王五", "13800000003");
    sync(&mut b, &shared);
    sync(&mut a, &shared);
    assert_eq!(
        std::fs::read_to_string(shared.join(NETWORK_FILE)).unwrap(),
        before
    );

    // The folder arrives; the third station joins; everyone converges.
    bring(&shared, &not_yet);
    let out = sync(&mut c, &not_yet);
    assert!(out.joined && !out.new_replica && out.left_files_removed == 0);
    for _ in 0..2 {
        bring(&not_yet, &shared);
        sync(&mut a, &shared);
        sync(&mut b, &shared);
        bring(&shared, &not_yet);
        sync(&mut c, &not_yet);
    }
    let d = a.digest().unwrap();
    assert_eq!(b.digest().unwrap(), d);
    assert_eq!(c.digest().unwrap(), d);
    for s in [&a, &b, &c] {
        assert!(s.check().unwrap().is_ok());
    }
}

/// The scenario: a station (an older build) created a network in
/// its empty copy of the folder; Syncthing kept its newer network file
/// everywhere and renamed the district's. The district's stations are
/// refused, `network show` explains, `restore` puts the district's back;
/// the other network's station cannot undo that, leaves and joins.
#[test]
fn a_network_file_syncthing_replaced_is_put_back_and_the_other_station_joins() {
    let dir = tempfile::tempdir().unwrap();
    let shared = folder(&dir, "shared");
    let early = folder(&dir, "c-shared");
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let (_, mut c) = station_db(&dir, "CC");
    let pa = add_person(&mut a, "张三", "13800000001");
    create_network(&mut a, &shared, PASS);
    sync(&mut a, &shared);
    sync(&mut b, &shared);
    let district = read_network(&shared).unwrap().unwrap();

    let pc = add_person(&mut c, "李四", "13800000002");
    create_network(&mut c, &early, "another passphrase");
    try_sync(&mut c, &early, "another passphrase").unwrap();
    let theirs = read_network(&early).unwrap().unwrap();
    let c_files = scan(&early).unwrap().len();
    assert!(c_files > 0);

    // Syncthing: the newer network file wins, the other becomes a
    // conflict copy; C's files spread; from now on all share one folder.
    let copy = "network.sync-conflict-20261120-101010-ABCDEFG.wsn";
    std::fs::rename(shared.join(NETWORK_FILE), shared.join(copy)).unwrap();
    bring(&early, &shared);
    assert!(matches!(
        try_sync(&mut a, &shared, PASS),
        Err(SyncError::OtherNetwork(_))
    ));
    let seen = network::inspect(&a, Some(&shared)).unwrap();
    assert_eq!(seen.verdict(), Verdict::Replaced { copy: copy.into() });
    assert_eq!(
        network::inspect(&c, Some(&shared)).unwrap().verdict(),
        Verdict::Same
    );

    let done = network::restore(&mut a, &shared).unwrap();
    let aside = format!(
        "network.other-{}.wsn",
        &theirs.id.0.as_simple().to_string()[24..]
    );
    assert_eq!(done.set_aside.as_deref(), Some(aside.as_str()));
    assert_eq!(done.removed, [copy]);
    assert_eq!(read_network(&shared).unwrap(), Some(district));
    assert!(!shared.join(copy).exists());
    assert!(matches!(
        network::restore(&mut a, &shared),
        Err(NetworkError::NothingToRestore(_))
    ));

    // The district syncs again; C's files are another network's: refused.
    let out = sync(&mut a, &shared);
    assert_eq!(out.report.refused.len(), c_files, "{out:?}");
    sync(&mut b, &shared);

    // C is refused, cannot put its network back, leaves, joins.
    assert!(matches!(
        try_sync(&mut c, &shared, "another passphrase"),
        Err(SyncError::OtherNetwork(_))
    ));
    assert_eq!(
        network::inspect(&c, Some(&shared)).unwrap().verdict(),
        Verdict::SetAside { copy: aside }
    );
    assert!(matches!(
        network::restore(&mut c, &shared),
        Err(NetworkError::NoCopy { .. })
    ));
    let id = c.replica_id();
    let left = network::leave(&mut c, false).unwrap();
    assert_eq!(left.network, theirs.id);
    assert_eq!(c.replica_id(), id);
    let out = sync(&mut c, &shared);
    assert!(out.joined && !out.new_replica);
    assert_eq!(out.left_files_removed, c_files);
    assert!(out.report.files_written > 0);

    for _ in 0..2 {
        for s in [&mut a, &mut b, &mut c] {
            let out = sync(s, &shared);
            assert!(out.report.refused.is_empty(), "{out:?}");
        }
    }
    let d = a.digest().unwrap();
    assert_eq!(b.digest().unwrap(), d);
    assert_eq!(c.digest().unwrap(), d);
    assert!(b.person(pc).unwrap().is_some() && c.person(pa).unwrap().is_some());
}

#[test]
fn leaving_keeps_what_was_written_out_valid_and_another_network_is_joined() {
    let dir = tempfile::tempdir().unwrap();
    let marks = dir.path().join("data");
    let (first, second) = (folder(&dir, "first"), folder(&dir, "second"));
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    assert!(matches!(
        network::leave(&mut a, false),
        Err(NetworkError::NotMember)
    ));
    create_network(&mut a, &first, PASS);
    session::run(&mut a, &first, None, Some(&marks), &mut |_, _, _| {}).unwrap();
    let p = add_person(&mut a, "张三", "13800000001");

    // Changes not written out: leaving would strand them.
    let pending = network::unsynced(&a).unwrap();
    assert!(pending > 0);
    assert!(matches!(
        network::leave(&mut a, false),
        Err(NetworkError::Unsynced(n)) if n == pending
    ));
    session::run(&mut a, &first, None, Some(&marks), &mut |_, _, _| {}).unwrap();
    let (id, exported) = (a.replica_id(), a.exported_upto().unwrap());
    network::leave(&mut a, false).unwrap();
    assert_eq!(a.sync_settings().unwrap().network, None);
    assert_eq!(a.sync_settings().unwrap().passphrase, None);
    assert_eq!(a.sync_settings().unwrap().folder, None);
    assert_eq!(a.replica_id(), id, "the same replica");
    assert_eq!(a.exported_upto().unwrap(), exported, "the notes stay");

    // Another network: joined by syncing with its folder and passphrase;
    // nothing takes the database for a restored backup.
    create_network(&mut b, &second, "another district");
    try_sync(&mut b, &second, "another district").unwrap();
    assert!(matches!(
        network::create(&mut a, &first, PASS),
        Err(NetworkError::Exists(_))
    ));
    let out = session::run(
        &mut a,
        &second,
        Some("another district"),
        Some(&marks),
        &mut |_, _, _| {},
    )
    .unwrap();
    assert!(out.joined && !out.new_replica, "{out:?}");
    assert_eq!(a.replica_id(), id);
    try_sync(&mut b, &second, "another district").unwrap();
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "张三");
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
    // Its operations there are the same as in the first folder, under the
    // same numbers.
    let own = |f: &Path| {
        let mut r: Vec<_> = scan(f)
            .unwrap()
            .into_iter()
            .filter(|x| x.origin == id)
            .map(|x| (x.first, x.last))
            .collect();
        r.sort();
        r
    };
    assert_eq!(own(&second).first().map(|r| r.0), Some(1));
    // And one more: the audit log's entry of its leaving the first.
    assert_eq!(
        own(&first).last().map(|r| r.1 + 1),
        own(&second).last().map(|r| r.1)
    );
    // The first network refuses it now.
    assert!(matches!(
        try_sync(&mut a, &first, PASS),
        Err(SyncError::OtherNetwork(_))
    ));
}

#[test]
fn a_network_is_created_only_in_a_folder_that_never_had_one() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut a) = station_db(&dir, "AA");
    let (_, mut b) = station_db(&dir, "BB");
    let f = folder(&dir, "f");
    create_network(&mut a, &f, PASS);
    assert!(matches!(
        network::create(&mut a, &folder(&dir, "g"), PASS),
        Err(NetworkError::Member)
    ));
    assert!(matches!(
        network::create(&mut b, &f, PASS),
        Err(NetworkError::Exists(_))
    ));
    sync(&mut a, &f);

    // Sync files but no network file (it was deleted): in use, not new.
    let used = folder(&dir, "used");
    bring(&f, &used);
    std::fs::remove_file(used.join(NETWORK_FILE)).unwrap();
    let r = network::create(&mut b, &used, PASS);
    assert!(
        matches!(r, Err(NetworkError::InUse { files, .. }) if files > 0),
        "{r:?}"
    );
    // A copy of a network file: it had a network.
    let copied = folder(&dir, "copied");
    std::fs::copy(
        f.join(NETWORK_FILE),
        copied.join("network.sync-conflict-20261120-101010-ABCDEFG.wsn"),
    )
    .unwrap();
    assert!(matches!(
        network::create(&mut b, &copied, PASS),
        Err(NetworkError::HasCopy { .. })
    ));
    assert!(matches!(
        network::create(&mut b, &dir.path().join("absent"), PASS),
        Err(NetworkError::Sync(SyncError::NoFolder(_)))
    ));
    assert_eq!(b.sync_settings().unwrap().network, None);
    // A member that finds an empty folder (a new stick) writes its own
    // network there: the same one.
    let stick = folder(&dir, "stick");
    sync(&mut a, &stick);
    assert_eq!(read_network(&stick).unwrap(), read_network(&f).unwrap());
}
