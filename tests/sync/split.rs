//! Two copies of one database writing under one replica id — a cloned disk
//! image at the same path on a machine with the same identity — through a
//! folder shared the way Syncthing shares it: a file both copies wrote
//! under one name is kept once and the other becomes a `.sync-conflict-`
//! copy. Every record either copy made reaches every station, the
//! stations end with equal records and equal conflicts lists, and the
//! copies say what happened.

use crate::common;
use crate::heal;

use std::path::{Path, PathBuf};

use common::*;
use proptest::prelude::*;
use waystation::domain::ids::PersonId;
use waystation::domain::person::Trade;
use waystation::store::Store;
use waystation::sync::session::{self, Outcome};

const PASS: &str = "一街一月两次";

fn sync(store: &mut Store, folder: &Path) -> Outcome {
    session::run(store, folder, Some(PASS), None, &mut |_, _, _| {}).unwrap()
}

/// One database file and a copy of it that share one path, as two
/// machines with one disk image do: whichever is in use sits at the path,
/// the other is parked beside it.
struct Twins {
    path: PathBuf,
    parked: [PathBuf; 2],
    active: usize,
}

impl Twins {
    /// Makes the twin of the database at `path` (closed).
    fn of(path: &Path) -> Twins {
        let parked = [path.with_extension("a"), path.with_extension("b")];
        std::fs::copy(path, &parked[1]).unwrap();
        Twins {
            path: path.to_owned(),
            parked,
            active: 0,
        }
    }

    /// Opens copy `i` at the shared path.
    fn open(&mut self, i: usize) -> Store {
        if i != self.active {
            std::fs::rename(&self.path, &self.parked[self.active]).unwrap();
            std::fs::rename(&self.parked[i], &self.path).unwrap();
            self.active = i;
        }
        Store::open(&self.path).unwrap()
    }
}

/// A folder as Syncthing keeps it for a machine that is apart from the
/// others for a while: its own copy, merged back later.
fn fork_folder(folder: &Path, to: &Path) {
    copy_tree(folder, to);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Merges `apart` back into `folder` as Syncthing does: new files arrive;
/// a file both changed keeps one content under its name and the other as
/// `<stem>.sync-conflict-<date>-<time>-<device>.<ext>`.
fn merge_folder(apart: &Path, folder: &Path, device: &str) {
    for e in std::fs::read_dir(apart).unwrap() {
        let e = e.unwrap();
        let target = folder.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            merge_folder(&e.path(), &target, device);
            continue;
        }
        let bytes = std::fs::read(e.path()).unwrap();
        // Something else under the name (a folder, a pipe): left alone.
        if std::fs::symlink_metadata(&target).is_ok_and(|m| !m.is_file()) {
            continue;
        }
        match std::fs::read(&target) {
            Err(_) => std::fs::write(&target, bytes).unwrap(),
            Ok(have) if have == bytes => {}
            Ok(_) => {
                let name = e.file_name().to_string_lossy().into_owned();
                let (stem, ext) = name.rsplit_once('.').unwrap();
                let copy = format!("{stem}.sync-conflict-20261207-101500-{device}.{ext}");
                std::fs::write(folder.join(copy), bytes).unwrap();
            }
        }
    }
}

fn people(s: &Store, ids: &[PersonId]) -> Vec<Option<String>> {
    ids.iter()
        .map(|p| s.person(*p).unwrap().map(|x| x.details.name))
        .collect()
}

fn conflict_lines(s: &Store) -> Vec<String> {
    conflicts_as_read(s)
}

/// The office, a station and the station's clone, all synced once before
/// the clone is made.
struct District {
    _dir: tempfile::TempDir,
    folder: PathBuf,
    office: Store,
    twins: Twins,
    dir: PathBuf,
}

fn district() -> District {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir_all(&folder).unwrap();
    let (_, mut office) = station_db(&dir, "QU");
    create_network(&mut office, &folder, PASS);
    sync(&mut office, &folder);
    let (path, mut station) = station_db(&dir, "FT");
    add_person(&mut station, "张三", "13800000001");
    sync(&mut station, &folder);
    sync(&mut office, &folder);
    drop(station);
    let twins = Twins::of(&path);
    District {
        folder,
        office,
        twins,
        dir: dir.path().to_owned(),
        _dir: dir,
    }
}

#[test]
fn two_copies_writing_one_file_name_each_keep_their_records_everywhere() {
    let mut d = district();
    let apart = d.dir.join("apart");
    fork_folder(&d.folder, &apart);

    // Both copies, under one replica id, register one person each and
    // sync at once, each into its machine's folder: one file name, two
    // contents.
    let mut a = d.twins.open(0);
    let shared = a.replica_id();
    let pa = add_person(&mut a, "王小二", "13900000002");
    sync(&mut a, &d.folder);
    drop(a);
    let mut b = d.twins.open(1);
    assert_eq!(b.replica_id(), shared, "a clone keeps the replica id");
    let pb = add_person(&mut b, "李四", "13900000004");
    sync(&mut b, &apart);
    drop(b);
    merge_folder(&apart, &d.folder, "BBBBBBB");
    let copies = std::fs::read_dir(d.folder.join(shared.0.as_simple().to_string()))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".sync-conflict-")
        })
        .count();
    assert_eq!(copies, 1, "Syncthing kept the other content apart");

    // Rounds: every one syncs.
    let mut said = Vec::new();
    for _ in 0..3 {
        let o = sync(&mut d.office, &d.folder);
        said.extend(o.report.splits.clone());
        let mut a = d.twins.open(0);
        let o = sync(&mut a, &d.folder);
        said.extend(o.report.splits.clone());
        drop(a);
        let mut b = d.twins.open(1);
        let o = sync(&mut b, &d.folder);
        said.extend(o.report.splits.clone());
        drop(b);
    }
    assert!(
        said.iter().filter(|s| s.own).count() >= 1,
        "a copy says it was one: {said:?}"
    );
    assert!(said.iter().all(|s| s.origin == shared));
    let listed = d.office.recent_splits().unwrap();
    assert_eq!(listed.len(), 1, "listed for staff: {listed:?}");
    assert_eq!(listed[0].origin, shared);

    let a = d.twins.open(0);
    let a_id = a.replica_id();
    let (a_digest, a_conflicts) = (a.digest().unwrap(), conflict_lines(&a));
    assert!(a.check().unwrap().is_ok());
    drop(a);
    let b = d.twins.open(1);
    assert!(b.check().unwrap().is_ok());
    assert_ne!(a_id, shared, "copy 0 writes under a new id");
    assert_ne!(b.replica_id(), shared, "copy 1 writes under a new id");
    assert_ne!(a_id, b.replica_id());
    for s in [&d.office, &b] {
        assert_eq!(
            people(s, &[pa, pb]),
            [Some("王小二".into()), Some("李四".into())]
        );
    }
    assert_eq!(d.office.digest().unwrap(), a_digest);
    assert_eq!(b.digest().unwrap(), a_digest);
    assert_eq!(conflict_lines(&d.office), a_conflicts);
    assert_eq!(conflict_lines(&b), a_conflicts);
    assert!(d.office.check().unwrap().is_ok());
}

#[test]
fn a_copy_that_wrote_further_than_the_other_is_caught_by_what_it_wrote() {
    // Different ranges, so no Syncthing conflict copy: one copy wrote two
    // people, the other one, both from the same number on.
    let mut d = district();
    let apart = d.dir.join("apart");
    fork_folder(&d.folder, &apart);
    let mut a = d.twins.open(0);
    let a1 = add_person(&mut a, "王小二", "13900000002");
    let a2 = add_person(&mut a, "王小三", "13900000003");
    sync(&mut a, &d.folder);
    drop(a);
    let mut b = d.twins.open(1);
    let b1 = add_person(&mut b, "李四", "13900000004");
    sync(&mut b, &apart);
    drop(b);
    merge_folder(&apart, &d.folder, "BBBBBBB");
    for _ in 0..3 {
        let mut b = d.twins.open(1);
        sync(&mut b, &d.folder);
        drop(b);
        sync(&mut d.office, &d.folder);
        let mut a = d.twins.open(0);
        sync(&mut a, &d.folder);
        drop(a);
    }
    let want = d.office.digest().unwrap();
    assert_eq!(
        people(&d.office, &[a1, a2, b1]),
        [
            Some("王小二".into()),
            Some("王小三".into()),
            Some("李四".into())
        ]
    );
    for i in 0..2 {
        let s = d.twins.open(i);
        assert_eq!(s.digest().unwrap(), want, "copy {i}");
        assert!(s.check().unwrap().is_ok());
    }
}

#[test]
fn a_copy_used_once_and_thrown_away_loses_nothing() {
    // The clone syncs once and is never seen again: what it wrote is kept
    // by the station that carries on, and reaches a station that joins
    // later.
    let mut d = district();
    let apart = d.dir.join("apart");
    fork_folder(&d.folder, &apart);
    let mut b = d.twins.open(1);
    let b1 = add_person(&mut b, "李四", "13900000004");
    sync(&mut b, &apart);
    drop(b);
    let mut a = d.twins.open(0);
    let a1 = add_person(&mut a, "王小二", "13900000002");
    sync(&mut a, &d.folder);
    drop(a);
    merge_folder(&apart, &d.folder, "BBBBBBB");
    for _ in 0..2 {
        let mut a = d.twins.open(0);
        sync(&mut a, &d.folder);
        drop(a);
        sync(&mut d.office, &d.folder);
    }
    // Syncthing's conflict copies cleaned away by hand.
    for e in walk(&d.folder) {
        if e.to_string_lossy().contains(".sync-conflict-") {
            std::fs::remove_file(e).unwrap();
        }
    }
    let (_, mut late) = station_db_in(&d.dir, "NS");
    for _ in 0..2 {
        sync(&mut late, &d.folder);
        sync(&mut d.office, &d.folder);
        let mut a = d.twins.open(0);
        sync(&mut a, &d.folder);
    }
    let a = d.twins.open(0);
    let want = a.digest().unwrap();
    for s in [&d.office, &late, &a] {
        assert_eq!(
            people(s, &[a1, b1]),
            [Some("王小二".into()), Some("李四".into())]
        );
        assert_eq!(s.digest().unwrap(), want);
        assert!(s.check().unwrap().is_ok());
    }
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn station_db_in(dir: &Path, code: &str) -> (PathBuf, Store) {
    let path = dir.join(format!("{code}.db"));
    let mut store = Store::open(&path).unwrap();
    store
        .init_station(code, "测试驿站", "Asia/Shanghai")
        .unwrap();
    (path, store)
}

/// What one machine does in a step of the property test.
#[derive(Debug, Clone)]
enum Step {
    /// Machine `who` (0, 1: the twins; 2: the office; 3: another station)
    /// registers someone or changes the mobile of person `n` of those it
    /// knows.
    Edit {
        who: usize,
        person: usize,
        add: bool,
    },
    /// Machine `who` syncs into the shared folder, or into the folder apart
    /// (twin 1 only: its machine is cut off).
    Sync { who: usize, apart: bool },
    /// The machine apart comes back: its folder merges into the shared one.
    Merge,
    /// Something happens to a file of the shared folder.
    Damage(heal::Damage, usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0usize..4, 0usize..6, any::<bool>()).prop_map(|(who, person, add)| Step::Edit {
            who,
            person,
            add
        }),
        3 => (0usize..4, any::<bool>()).prop_map(|(who, apart)| Step::Sync {
            who,
            apart: apart && who == 1
        }),
        1 => Just(Step::Merge),
        1 => (heal::damage(), any::<usize>()).prop_map(|(d, i)| Step::Damage(d, i)),
    ]
}

/// Every operation of `from`, by record and clock, is in `to` under some
/// origin (a split moves operations to carriers and new ids, never away).
fn holds_in_some_form(to: &Store, from: &Store) -> bool {
    let have: std::collections::BTreeSet<(uuid::Uuid, i64, i64)> = to
        .all_ops()
        .unwrap()
        .into_iter()
        .map(|o| (o.id, o.hlc.as_i64(), o.kind))
        .collect();
    from.all_ops()
        .unwrap()
        .iter()
        .all(|o| have.contains(&(o.id, o.hlc.as_i64(), o.kind)))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Whatever two copies of one database, the office and another station
    /// do, in whatever order, with the clone's machine cut off at times and
    /// the shared folder damaged (files cut, deleted, duplicated, garbled,
    /// junk, folders and pipes under bundles' names, Syncthing's conflict
    /// copies): once the damage stops, the folders merge and everyone syncs
    /// three times, all hold the same records, every person anyone
    /// registered, every operation anyone made (in some form), and the same
    /// conflicts list.
    #[test]
    fn copies_of_one_database_converge_with_the_district(steps in prop::collection::vec(step(), 1..28)) {
        let mut d = district();
        let apart = d.dir.join("apart");
        fork_folder(&d.folder, &apart);
        let (_, mut other) = station_db_in(&d.dir, "BB");
        let mut registered: Vec<PersonId> = Vec::new();
        let mut n = 0;
        for s in &steps {
            match s {
                Step::Edit { who, person, add } => {
                    let mut twin;
                    let store = match *who {
                        2 => &mut d.office,
                        3 => &mut other,
                        w => {
                            twin = d.twins.open(w);
                            &mut twin
                        }
                    };
                    let known: Vec<PersonId> = registered
                        .iter()
                        .copied()
                        .filter(|p| store.person(*p).unwrap().is_some())
                        .collect();
                    n += 1;
                    if *add || known.is_empty() {
                        registered.push(add_person(store, &numbered("工人", n), &format!("139{n:08}")));
                    } else {
                        let p = known[person % known.len()];
                        let mut w = store.begin(None).unwrap();
                        w.update_person(p, &details(&numbered("工人", n), &format!("137{n:08}"), Trade::Courier)).unwrap();
                        w.commit().unwrap();
                    }
                }
                Step::Sync { who, apart: away } => {
                    let folder = if *away { apart.clone() } else { d.folder.clone() };
                    match *who {
                        2 => { sync(&mut d.office, &folder); }
                        3 => { sync(&mut other, &folder); }
                        w => {
                            let mut s = d.twins.open(w);
                            sync(&mut s, &folder);
                        }
                    }
                }
                Step::Merge => merge_folder(&apart, &d.folder, "BBBBBBB"),
                Step::Damage(damage, pick) => {
                    let ids = vec![d.office.replica_id(), other.replica_id()];
                    heal::apply(&d.folder, damage, *pick, &ids);
                }
            }
        }
        merge_folder(&apart, &d.folder, "BBBBBBB");
        for _ in 0..3 {
            sync(&mut d.office, &d.folder);
            sync(&mut other, &d.folder);
            for i in 0..2 {
                let mut s = d.twins.open(i);
                sync(&mut s, &d.folder);
            }
        }
        let want = (d.office.digest().unwrap(), conflict_lines(&d.office));
        prop_assert!(d.office.check().unwrap().is_ok());
        prop_assert_eq!((other.digest().unwrap(), conflict_lines(&other)), want.clone(), "station BB");
        for p in &registered {
            prop_assert!(d.office.person(*p).unwrap().is_some());
        }
        prop_assert!(holds_in_some_form(&d.office, &other));
        prop_assert!(holds_in_some_form(&other, &d.office));
        for i in 0..2 {
            let s = d.twins.open(i);
            prop_assert!(s.check().unwrap().is_ok());
            prop_assert_eq!((s.digest().unwrap(), conflict_lines(&s)), want.clone(), "copy {}", i);
            prop_assert!(holds_in_some_form(&d.office, &s), "copy {} lost operations", i);
            prop_assert!(holds_in_some_form(&s, &d.office));
        }
    }
}
