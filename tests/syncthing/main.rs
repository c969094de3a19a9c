//! Sync over real Syncthing daemons: three stations, each with its own
//! Syncthing sharing one folder with the others over 127.0.0.1, run by the
//! real binary's `waystation sync`. `.ci/run` installs Debian's
//! `syncthing`; where it is not installed these tests say so on one line
//! and pass without running.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../common/mod.rs"]
mod common;
mod daemon;

use std::path::{Path, PathBuf};

use common::cli::run_env;
use daemon::{Daemon, wait_settled};
use waystation::domain::person::Trade;
use waystation::domain::visit::Services;
use waystation::store::Store;

const PASS: &str = "一街一月两次 district key";

/// Says why nothing ran, where the daemon is missing.
fn skip() -> bool {
    if daemon::available() {
        return false;
    }
    println!("SKIPPED: Debian's syncthing is not installed here (.ci/run installs it)");
    eprintln!("SKIPPED: Debian's syncthing is not installed here (.ci/run installs it)");
    true
}

/// One station: its database, its home and the folder its Syncthing shares.
struct Station {
    home: PathBuf,
    db: PathBuf,
    folder: PathBuf,
}

impl Station {
    fn new(dir: &Path, code: &str) -> Station {
        let home = dir.join(code);
        let folder = dir.join(format!("folder-{code}"));
        std::fs::create_dir_all(&home).unwrap();
        std::fs::create_dir_all(&folder).unwrap();
        let db = home.join("station.db");
        let mut s = Store::open(&db).unwrap();
        s.init_station(code, &format!("{code} 驿站"), "Asia/Shanghai")
            .unwrap();
        Station { home, db, folder }
    }

    /// Registers `n` people and checks each in.
    fn work(&self, tag: &str, n: usize) {
        let mut s = Store::open(&self.db).unwrap();
        let mut w = s.begin(None).unwrap();
        for i in 0..n {
            let d = common::details(
                &format!("{tag}{}", common::numbered("工", i)),
                "",
                Trade::ALL[i % Trade::ALL.len()],
            );
            let p = w.add_person(&d).unwrap();
            w.check_in(p, Services::EMPTY, chrono::Utc::now()).unwrap();
        }
        w.commit().unwrap();
    }

    /// `waystation ARGS… FOLDER` on this station's database.
    fn run(&self, args: &[&str]) -> common::cli::Run {
        let mut all = vec!["--db", self.db.to_str().unwrap(), "--lang", "en"];
        all.extend_from_slice(args);
        all.push(self.folder.to_str().unwrap());
        run_env(&self.home, &all, &[("WAYSTATION_SYNC_PASSPHRASE", PASS)])
    }

    fn sync(&self) -> common::cli::Run {
        let r = self.run(&["sync"]);
        assert_eq!(r.code, 0, "{}\n{}\n{}", r.args, r.out, r.err);
        r
    }

    fn store(&self) -> Store {
        Store::open(&self.db).unwrap()
    }
}

/// Files and bytes in a folder, its subfolders included.
fn size_of(folder: &Path) -> (usize, u64) {
    let mut files = 0;
    let mut bytes = 0;
    let mut stack = vec![folder.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                files += 1;
                bytes += m.len();
            }
        }
    }
    (files, bytes)
}

/// Three daemons that know each other, each sharing its station's folder.
fn network(dir: &Path, stations: &[Station]) -> Vec<Daemon> {
    let names = ["a", "b", "c"];
    let ds: Vec<Daemon> = names.iter().map(|n| Daemon::start(n, dir)).collect();
    for (i, d) in ds.iter().enumerate() {
        let others: Vec<&Daemon> = ds.iter().filter(|o| o.id != d.id).collect();
        for o in &others {
            d.add_device(o);
        }
        d.share(&stations[i].folder, &others);
    }
    ds
}

/// Syncs every station and lets Syncthing carry the files, until every
/// database has every record (equal digests); the rounds it took.
fn rounds_to_convergence(stations: &[Station], ds: &[&Daemon], max: usize) -> usize {
    for round in 1..=max {
        for s in stations {
            s.sync();
        }
        wait_settled(ds);
        // What arrived is applied, and nothing new is written.
        for s in stations {
            s.sync();
        }
        let digests: Vec<String> = stations
            .iter()
            .map(|s| s.store().digest().unwrap())
            .collect();
        if digests.iter().all(|d| *d == digests[0]) {
            return round;
        }
        wait_settled(ds);
    }
    panic!("no convergence in {max} rounds");
}

/// Every station holds the same records, the same conflicts, every
/// operation any of them committed, and passes its own check.
fn assert_converged(stations: &[Station]) {
    let stores: Vec<Store> = stations.iter().map(Station::store).collect();
    let digests: Vec<String> = stores.iter().map(|s| s.digest().unwrap()).collect();
    assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
    let conflicts: Vec<_> = stores
        .iter()
        .map(|s| s.record_conflicts().unwrap())
        .collect();
    assert!(
        conflicts.iter().all(|c| *c == conflicts[0]),
        "{conflicts:?}"
    );
    let ops: Vec<Vec<(String, i64)>> = stores
        .iter()
        .map(|s| {
            let mut v: Vec<(String, i64)> = s
                .all_ops()
                .unwrap()
                .into_iter()
                .map(|o| (o.origin.0.to_string(), o.seq))
                .collect();
            v.sort();
            v
        })
        .collect();
    assert!(ops.iter().all(|o| *o == ops[0]), "operations differ");
    for s in &stores {
        let report = s.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
    }
}

#[test]
fn three_stations_converge_over_real_syncthing_also_with_a_daemon_paused() {
    if skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let stations: Vec<Station> = ["FT", "NS", "ZB"]
        .iter()
        .map(|c| Station::new(dir.path(), c))
        .collect();
    let ds = network(dir.path(), &stations);
    let all: Vec<&Daemon> = ds.iter().collect();

    // The district office makes the network; a station whose folder has
    // not arrived yet (its daemon paused) syncs: it joins nothing, writes
    // nothing, and says to wait.
    ds[1].pause(true);
    let r = stations[0].run(&["network", "create"]);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    stations[0].work("福田", 5);
    stations[0].sync();
    let early = stations[1].run(&["sync"]);
    assert_eq!(early.code, 1, "{}\n{}", early.out, early.err);
    assert!(early.err.contains("no sync network"), "{}", early.err);
    // Only Syncthing's own folder marker is there.
    let written: Vec<String> = std::fs::read_dir(&stations[1].folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with(".st"))
        .collect();
    assert!(written.is_empty(), "nothing written: {written:?}");
    ds[1].pause(false);
    wait_settled(&all);
    stations[1].work("南山", 4);
    stations[2].work("坂田", 3);
    let started = std::time::Instant::now();
    let rounds = rounds_to_convergence(&stations, &all, 4);
    let secs = started.elapsed().as_secs_f64();
    assert_converged(&stations);
    let (files, bytes) = size_of(&stations[0].folder);
    println!(
        "three stations: converged in {rounds} round(s), {secs:.1} s; \
         the folder holds {files} files, {bytes} bytes"
    );

    // A daemon paused while its station writes and syncs: nothing is
    // lost, and it catches up once resumed.
    ds[2].pause(true);
    stations[2].work("暂停", 4);
    stations[2].sync();
    stations[0].work("福田二", 2);
    stations[0].sync();
    ds[2].pause(false);
    let rounds = rounds_to_convergence(&stations, &all, 4);
    assert_converged(&stations);
    let people = stations[1].store().check().unwrap().counts[2].1;
    assert_eq!(
        people,
        5 + 4 + 3 + 4 + 2,
        "every person registered anywhere"
    );
    println!("after a paused daemon: converged in {rounds} round(s)");
}

/// Every path under `folder` whose name has Syncthing's conflict mark.
fn conflict_copies(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().contains(".sync-conflict-") {
                out.push(p);
            }
        }
    }
    out
}

/// The bundle files under `folder` (not Syncthing's copies).
fn bundles(folder: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(folder).unwrap().flatten() {
        if e.path().is_dir() && !e.file_name().to_string_lossy().starts_with('.') {
            for f in std::fs::read_dir(e.path()).unwrap().flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.ends_with(".wsb") && !name.contains(".sync-conflict-") {
                    out.push(f.path());
                }
            }
        }
    }
    out.sort();
    out
}

/// What staff would compare: the records and the conflicts as they read.
fn content(s: &Store) -> (String, Vec<String>) {
    (s.digest().unwrap(), common::conflicts_as_read(s))
}

/// `rounds` rounds of every station syncing and Syncthing carrying the
/// files; then every machine's folder holds `name` with the bytes `whole`.
fn sync_until_whole(
    image: &mut Image,
    stations: &[Station],
    all: &[&Daemon],
    rounds: usize,
    name: &Path,
    whole: &[u8],
) {
    for _ in 0..rounds {
        image.every(stations, |s| {
            s.sync();
        });
        wait_settled(all);
    }
    for s in stations {
        assert_eq!(
            std::fs::read(s.folder.join(name)).unwrap(),
            whole,
            "{}",
            s.folder.display()
        );
    }
}

/// A station's disk image on two machines: one database path, whichever
/// copy works sits at it, the other parked beside it.
struct Image {
    db: PathBuf,
    parked: [PathBuf; 2],
    active: usize,
}

impl Image {
    /// Puts copy `i` at the path.
    fn at(&mut self, i: usize) {
        if i != self.active {
            std::fs::rename(&self.db, &self.parked[self.active]).unwrap();
            std::fs::rename(&self.parked[i], &self.db).unwrap();
            self.active = i;
        }
    }

    /// `f` of each station in turn: the office, then the image's two
    /// copies (stations 1 and 2), each put at the path first.
    fn every<T>(&mut self, stations: &[Station], mut f: impl FnMut(&Station) -> T) -> Vec<T> {
        stations
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if i > 0 {
                    self.at(i - 1);
                }
                f(s)
            })
            .collect()
    }
}

#[test]
fn a_cloned_station_a_cut_file_and_a_deleted_one_over_real_syncthing() {
    if skip() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let office = Station::new(dir.path(), "FT");
    let ns = Station::new(dir.path(), "NS");
    // The clone's machine: its own home and Syncthing folder, the same
    // database path (a disk image), the same machine id.
    let zb_home = dir.path().join("ZB");
    let zb_folder = dir.path().join("folder-ZB");
    std::fs::create_dir_all(&zb_home).unwrap();
    std::fs::create_dir_all(&zb_folder).unwrap();
    let clone = Station {
        home: zb_home.clone(),
        db: ns.db.clone(),
        folder: zb_folder,
    };
    let stations = [office, ns, clone];
    let ds = network(dir.path(), &stations);
    let all: Vec<&Daemon> = ds.iter().collect();
    let r = stations[0].run(&["network", "create"]);
    assert_eq!(r.code, 0, "{}\n{}", r.out, r.err);
    stations[0].work("福田", 3);
    stations[0].sync();
    wait_settled(&all);
    stations[1].work("南山", 2);
    stations[1].sync();
    wait_settled(&all);
    stations[0].sync();

    // The disk image is cloned: both copies sit at one path, on machines
    // with one identity; whichever works is at the path.
    let parked = [
        ns_parked(&stations[1].db, "a"),
        ns_parked(&stations[1].db, "b"),
    ];
    std::fs::copy(&stations[1].db, &parked[1]).unwrap();
    // The data folder (`XDG_DATA_HOME` of the station's home) is on the
    // image too.
    copy_dir(
        &stations[1].home.join("data"),
        &stations[2].home.join("data"),
    );
    let mut image = Image {
        db: stations[1].db.clone(),
        parked,
        active: 0,
    };
    let shared = stations[1].store().replica_id();

    // Both machines offline from each other; each copy registers three
    // people and syncs: one file name, two contents.
    ds[1].pause(true);
    ds[2].pause(true);
    image.at(0);
    stations[1].work("南山二", 3);
    stations[1].sync();
    image.at(1);
    assert_eq!(stations[2].store().replica_id(), shared);
    stations[2].work("克隆", 3);
    stations[2].sync();
    ds[1].pause(false);
    ds[2].pause(false);
    wait_settled(&all);
    let copies: usize = stations
        .iter()
        .map(|s| conflict_copies(&s.folder).len())
        .sum();
    assert!(
        copies > 0,
        "Syncthing kept one content and renamed the other"
    );

    // Rounds until every machine holds the same records.
    let started = std::time::Instant::now();
    let mut said = Vec::new();
    let mut converged = None;
    for round in 1..=4 {
        said.extend(image.every(&stations, |s| s.sync().out));
        wait_settled(&all);
        let seen = image.every(&stations, |s| {
            s.sync();
            content(&s.store())
        });
        if seen.iter().all(|c| *c == seen[0]) {
            converged = Some(round);
            break;
        }
        wait_settled(&all);
    }
    let rounds = converged.expect("the copies and the office converge");
    assert!(said.iter().any(|o| o.contains("a copy of it")), "{said:?}");
    let ids = image.every(&stations, |s| {
        let store = s.store();
        assert!(store.check().unwrap().is_ok());
        assert_eq!(
            store.check().unwrap().counts[2].1,
            3 + 2 + 3 + 3,
            "every person"
        );
        store.replica_id()
    });
    assert!(
        ids[1] != shared && ids[2] != shared && ids[1] != ids[2],
        "{ids:?}"
    );
    println!(
        "a cloned station: converged in {rounds} round(s), {:.1} s",
        started.elapsed().as_secs_f64()
    );

    // A bundle cut in half at one machine reaches every machine; the
    // stations write it whole again, and every sync meanwhile succeeds.
    let victim = bundles(&stations[1].folder)[0].clone();
    let name = victim.strip_prefix(&stations[1].folder).unwrap().to_owned();
    let whole = std::fs::read(&victim).unwrap();
    std::fs::write(&victim, &whole[..whole.len() / 2]).unwrap();
    wait_settled(&all);
    let cut_everywhere = stations.iter().all(|s| {
        std::fs::metadata(s.folder.join(&name))
            .map(|m| m.len())
            .ok()
            == Some((whole.len() / 2) as u64)
    });
    println!("the cut file reached every machine: {cut_everywhere}");
    sync_until_whole(&mut image, &stations, &all, 3, &name, &whole);

    // A bundle deleted at one machine is deleted everywhere by Syncthing;
    // the stations write it again, the same bytes, under its one name.
    let victim = bundles(&stations[2].folder).last().unwrap().clone();
    let name = victim.strip_prefix(&stations[2].folder).unwrap().to_owned();
    let whole = std::fs::read(&victim).unwrap();
    std::fs::remove_file(&victim).unwrap();
    wait_settled(&all);
    let before = conflict_copies(&stations[0].folder).len();
    sync_until_whole(&mut image, &stations, &all, 2, &name, &whole);
    assert_eq!(
        conflict_copies(&stations[0].folder).len(),
        before,
        "written again by several stations, yet one file"
    );
    let seen = image.every(&stations, |s| content(&s.store()));
    assert!(seen.iter().all(|c| *c == seen[0]));
}

/// Where a copy of the station database waits while the other is in use.
fn ns_parked(db: &Path, tag: &str) -> PathBuf {
    db.with_extension(tag)
}

/// Copies a folder and everything in it.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_dir(&p, &to.join(e.file_name()));
        } else {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}
