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
