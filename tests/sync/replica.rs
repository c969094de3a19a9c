//! A database copied to a second place, or restored from a backup, never
//! writes different operations under sequence numbers it already gave out.

use crate::common;

use std::path::Path;

use common::*;
use waystation::domain::ids::PersonId;
use waystation::store::Store;
use waystation::sync::session::{self, Outcome};

const PASS: &str = "一街一月两次";

fn sync(store: &mut Store, folder: &Path, marks: Option<&Path>) -> Outcome {
    session::run(store, folder, Some(PASS), marks, &mut |_, _, _| {}).unwrap()
}

fn names(s: &Store, ids: &[PersonId]) -> Vec<String> {
    ids.iter()
        .map(|p| {
            s.person(*p)
                .unwrap()
                .map(|x| x.details.name)
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn a_copy_opened_elsewhere_takes_a_new_replica_id_and_keeps_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut a) = station_db(&dir, "FT");
    let p = add_person(&mut a, "张三", "13800000001");
    let id = a.replica_id();
    let digest = a.digest().unwrap();
    drop(a);
    // Reopened where it was: the same replica.
    assert_eq!(Store::open(&path).unwrap().replica_id(), id);
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).unwrap();
    let mut c = Store::open(&copy).unwrap();
    assert_ne!(c.replica_id(), id, "a copy writes under its own id");
    assert_eq!(c.digest().unwrap(), digest, "with every record");
    let known = c.knowledge().unwrap();
    assert_eq!(
        known[&id].contiguous, 2,
        "the history stays credited to the original"
    );
    // It goes on working: new operations start at 1 under the new id.
    let q = add_person(&mut c, "李四", "13800000002");
    assert_eq!(c.knowledge().unwrap()[&c.replica_id()].contiguous, 1);
    assert!(c.check().unwrap().is_ok());
    assert_eq!(names(&c, &[p, q]), ["张三", "李四"]);
    // And opened again, the copy stays the copy.
    let again = c.replica_id();
    drop(c);
    assert_eq!(Store::open(&copy).unwrap().replica_id(), again);
}

#[test]
fn a_restored_backup_moves_what_it_wrote_since_to_a_new_id_and_recovers_what_was_lost() {
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let (path, mut a) = station_db(&dir, "FT");
    let (_, mut b) = station_db(&dir, "NS");
    let p1 = add_person(&mut a, "张三", "13800000001");
    create_network(&mut a, &stick, PASS);
    sync(&mut a, &stick, None);
    drop(a);
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();

    // After the backup: more work, written out to the stick.
    let mut a = Store::open(&path).unwrap();
    let id = a.replica_id();
    let lost = add_person(&mut a, "李四", "13800000002");
    sync(&mut a, &stick, None);
    drop(a);

    // The disk dies; the backup comes back to the same place, and the
    // station keeps working before its next sync.
    std::fs::copy(&backup, &path).unwrap();
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let _ = std::fs::remove_file(path.with_extension("db-shm"));
    let mut a = Store::open(&path).unwrap();
    assert_eq!(a.replica_id(), id, "same place: not a copy");
    let since = add_person(&mut a, "王五", "13800000003");
    let out = sync(&mut a, &stick, None);
    assert!(out.new_replica, "the restore is noticed");
    assert_ne!(a.replica_id(), id);
    // Nothing is lost: what was written out before the disk died comes back
    // from the stick, and what was written since is kept.
    assert_eq!(names(&a, &[p1, lost, since]), ["张三", "李四", "王五"]);
    assert!(a.check().unwrap().is_ok());

    // Another station sees the same.
    sync(&mut b, &stick, None);
    assert_eq!(names(&b, &[p1, lost, since]), ["张三", "李四", "王五"]);
    sync(&mut a, &stick, None);
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());
}

#[test]
fn a_restore_is_noticed_by_the_note_outside_the_database_even_on_a_fresh_stick() {
    let dir = tempfile::tempdir().unwrap();
    let marks = dir.path().join("data");
    let (first, fresh) = (dir.path().join("stick1"), dir.path().join("stick2"));
    std::fs::create_dir_all(&first).unwrap();
    std::fs::create_dir_all(&fresh).unwrap();
    let (path, mut a) = station_db(&dir, "FT");
    add_person(&mut a, "张三", "13800000001");
    // The backup knows its network (created, nothing written out yet).
    create_network(&mut a, &first, PASS);
    drop(a);
    let backup = dir.path().join("backup.db");
    std::fs::copy(&path, &backup).unwrap();
    let mut a = Store::open(&path).unwrap();
    add_person(&mut a, "李四", "13800000002");
    sync(&mut a, &first, Some(&marks));
    let id = a.replica_id();
    drop(a);
    std::fs::copy(&backup, &path).unwrap();
    let _ = std::fs::remove_file(path.with_extension("db-wal"));
    let mut a = Store::open(&path).unwrap();
    add_person(&mut a, "王五", "13800000003");
    let out = sync(&mut a, &fresh, Some(&marks));
    assert!(out.new_replica);
    assert_ne!(a.replica_id(), id);
    // Without the note, a stick that never saw the lost operations could
    // not tell.
    let (path2, mut c) = station_db(&dir, "NS");
    let _ = path2;
    let out = sync(&mut c, &fresh, Some(&marks));
    assert!(!out.new_replica, "a station that lost nothing keeps its id");
}

#[test]
fn a_second_connection_follows_a_new_replica_id_taken_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let (path, mut console) = station_db(&dir, "FT");
    add_person(&mut console, "张三", "13800000001");
    // A sync in the background, on its own connection, takes a new id.
    let mut background = Store::open(&path).unwrap();
    let new = background.take_new_replica_id(3).unwrap();
    drop(background);
    // The console's connection writes under the new id, from 1.
    let q = add_person(&mut console, "李四", "13800000002");
    assert_eq!(console.replica_id(), new);
    assert_eq!(console.knowledge().unwrap()[&new].contiguous, 1);
    assert!(console.check().unwrap().is_ok());
    assert_eq!(names(&console, &[q]), ["李四"]);
}

#[test]
fn a_database_synced_from_another_computers_data_folder_takes_a_new_replica_id() {
    // One file (on a shared drive, at one path on two computers that have
    // no machine id): each computer syncs it with its own data folder.
    let dir = tempfile::tempdir().unwrap();
    let stick = dir.path().join("stick");
    std::fs::create_dir_all(&stick).unwrap();
    let (first, second) = (dir.path().join("data-1"), dir.path().join("data-2"));
    let (_, mut a) = station_db(&dir, "FT");
    add_person(&mut a, "张三", "13800000001");
    create_network(&mut a, &stick, PASS);
    let o = sync(&mut a, &stick, Some(&first));
    assert!(!o.copied);
    let id = a.replica_id();
    // Again from the same computer: nothing changes.
    let o = sync(&mut a, &stick, Some(&first));
    assert!(!o.copied);
    assert_eq!(a.replica_id(), id);
    // From the other: a copy, caught before it writes anything.
    add_person(&mut a, "李四", "13800000002");
    let o = sync(&mut a, &stick, Some(&second));
    assert!(o.copied);
    assert_ne!(a.replica_id(), id);
    assert!(a.check().unwrap().is_ok());
    // And from then on it is that computer's.
    let o = sync(&mut a, &stick, Some(&second));
    assert!(!o.copied);
    // The computer's id is one file, made once.
    let made = std::fs::read_to_string(first.join("install-id")).unwrap();
    assert_eq!(made.len(), 32);
    sync(&mut a, &stick, Some(&first));
    assert_eq!(
        std::fs::read_to_string(first.join("install-id")).unwrap(),
        made
    );
}
