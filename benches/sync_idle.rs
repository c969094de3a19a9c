//! A sync with nothing new, over a folder of a station's whole history,
//! and the one sync after which every file has been compared with the log
//! (each bundle file is read once to catch two copies of one database
//! writing under one replica id; after that a sync reads its 102-byte
//! header). A station of 20,000 people and 300,000 visits, its whole log
//! in the folder (7 files), imported by a second station.
//!
//! `cargo bench --bench sync_idle` (about a minute once the station is
//! built); figures in docs/performance.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use waystation::demo::DemoSpec;
use waystation::store::Store;
use waystation::sync::bundle::{NetworkId, NetworkKey};
use waystation::sync::folder;

fn sync(store: &mut Store, dir: &Path, id: NetworkId, key: &NetworkKey) -> (Duration, usize) {
    let t = Instant::now();
    let r = folder::sync(store, dir, id, key, &mut |_, _, _| {}).unwrap();
    assert!(r.refused.is_empty(), "{:?}", r.refused);
    (t.elapsed(), r.ops_applied)
}

fn main() {
    let spec = DemoSpec {
        code: "NS".into(),
        name: None,
        people: 20_000,
        visits: 300_000,
        cases: 2_000,
        seed: 2,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    let source_db = common::built("station-NS-20000-300000-2000.db", &spec);
    let dir = tempfile::tempdir().unwrap();
    let copy = |name: &str| {
        let p = dir.path().join(name);
        std::fs::copy(&source_db, &p).unwrap();
        p
    };
    let folder_dir = dir.path().join("folder");
    std::fs::create_dir_all(&folder_dir).unwrap();
    let id = NetworkId::new();
    let key = NetworkKey::derive("bench passphrase", id).unwrap();
    folder::create_network(&folder_dir, id, &key).unwrap();
    let mut source = Store::open(&copy("source.db")).unwrap();
    let (took, _) = sync(&mut source, &folder_dir, id, &key);
    let ops = source.all_ops().unwrap().len();
    let files: usize = std::fs::read_dir(&folder_dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| std::fs::read_dir(e.path()).unwrap().count())
        .sum();
    println!(
        "export: {ops} operations in {files} files, {:.2} s",
        took.as_secs_f64()
    );

    // A second station reads it all.
    let other_path = dir.path().join("other.db");
    let mut other = Store::open(&other_path).unwrap();
    other
        .init_station("FT", "福田驿站", "Asia/Shanghai")
        .unwrap();
    let (took, applied) = sync(&mut other, &folder_dir, id, &key);
    println!(
        "first import: {applied} operations, {:.2} s",
        took.as_secs_f64()
    );

    // The station's own files, and the other's: every file compared once.
    for (name, store) in [("source", &mut source), ("other", &mut other)] {
        let (first, _) = sync(store, &folder_dir, id, &key);
        let mut idle = Vec::new();
        for _ in 0..5 {
            idle.push(sync(store, &folder_dir, id, &key).0);
        }
        idle.sort();
        println!(
            "{name}: the sync that compares every file not read yet {:.2} s; \
             idle syncs after it: median {:.3} s, slowest {:.3} s",
            first.as_secs_f64(),
            idle[2].as_secs_f64(),
            idle[4].as_secs_f64()
        );
    }
}
