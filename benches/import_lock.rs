//! How long an import holds the database's write lock, and how long a
//! count typed at the console meanwhile waits (issue 14, finding 9).
//!
//! Run: `cargo bench --bench import_lock`. The operations imported are the
//! first 200,000 of the demo station `NS` of `benches/sync.rs` (50,000
//! people, then visits), in four calls of 50,000 as a sync reads files,
//! into a copy of the district database of `benches/store.rs` (1,000,000
//! visits); both are built once into `target/bench-data/` and reused.
//! `WAYSTATION_BENCH_SCALE=small` imports 20,000 operations into the
//! 10,000-visit database for a quick look.
//!
//! Each run is timed once with `Instant`, three times: as the machine is
//! with no other writer, then with counts written meanwhile, as the machine
//! is and with the importer's connection slowed (`Store::set_slowdown`: 100 µs
//! every 1,000 steps of SQLite's machine, about half its speed), as on a
//! loaded machine. Meanwhile a second connection writes one anonymous
//! count every 10 ms, as the console does, and each count's time from
//! `BEGIN` to `COMMIT` is noted. The table gives the import's slices, the
//! longest a slice held the lock (`Applied::longest_hold`) and the counts'
//! times: what they take with no import running, and during it.
//!
//! Criterion then times one slice's worth of work: applying 1,000 visit
//! creations in one call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use rusqlite::Connection;
use waystation::demo::DemoSpec;
use waystation::domain::ids::ReplicaId;
use waystation::domain::person::Trade;
use waystation::domain::visit::{Service, Services};
use waystation::store::{Entity, LoggedOp, OP_CREATE, Store};

fn small() -> bool {
    std::env::var("WAYSTATION_BENCH_SCALE").as_deref() == Ok("small")
}

/// The station whose operations are imported (that of `benches/sync.rs`),
/// and how many of them.
fn source_spec() -> (DemoSpec, i64) {
    let (people, visits, cases, n) = if small() {
        (1_000, 18_000, 100, 20_000)
    } else {
        (50_000, 900_000, 5_000, 200_000)
    };
    let spec = DemoSpec {
        code: "NS".into(),
        name: None,
        people,
        visits,
        cases,
        seed: 2,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    (spec, n)
}

fn copy_db(from: &Path, to: &Path) {
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(to.with_extension(ext));
    }
    std::fs::copy(from, to).unwrap();
}

fn remove_db(path: &Path) {
    let _ = std::fs::remove_file(path);
    for ext in ["db-wal", "db-shm"] {
        let _ = std::fs::remove_file(path.with_extension(ext));
    }
}

/// The replica whose log a database holds: the origin of most of its
/// operations (opened at another path than where `demo` built it, the
/// database took a new replica id for what it writes next).
fn log_origin(path: &Path) -> ReplicaId {
    let conn = Connection::open(path).unwrap();
    let id: Vec<u8> = conn
        .query_row(
            "SELECT o.replica_id FROM ops JOIN origins o ON o.idx = ops.origin
             GROUP BY ops.origin ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    ReplicaId::from_slice(&id).unwrap()
}

fn tally(store: &mut Store) -> Duration {
    let services: Services = [Service::Rest, Service::Water].into_iter().collect();
    let t = Instant::now();
    let mut w = store.begin(None).unwrap();
    w.tally_with(Trade::Courier, 1, services, Utc::now())
        .unwrap();
    w.commit().unwrap();
    t.elapsed()
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn quantiles(mut t: Vec<Duration>) -> String {
    t.sort();
    format!(
        "{} / {} / {} ({} counts)",
        ms(common::percentile(&t, 0.5)),
        ms(common::percentile(&t, 0.99)),
        ms(*t.last().unwrap()),
        t.len()
    )
}

/// One import into a fresh copy, with counts written meanwhile.
fn run(
    target: &Path,
    path: &Path,
    chunks: &[Vec<LoggedOp>],
    slow: Option<Duration>,
    counts: bool,
) -> [String; 6] {
    copy_db(target, path);
    // Counts with nothing else writing, for comparison.
    let mut counter = Store::open(path).unwrap();
    let alone: Vec<Duration> = (0..200).map(|_| tally(&mut counter)).collect();
    let done = Arc::new(AtomicBool::new(false));
    let probe = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut during = Vec::new();
            while counts && !done.load(Ordering::SeqCst) {
                during.push(tally(&mut counter));
                std::thread::sleep(Duration::from_millis(10));
            }
            during
        })
    };
    let mut store = Store::open(path).unwrap();
    store.set_slowdown(slow).unwrap();
    let t = Instant::now();
    let (mut slices, mut longest, mut n) = (0, Duration::ZERO, 0);
    for chunk in chunks {
        let got = store.apply_remote(chunk).unwrap();
        slices += got.slices;
        longest = longest.max(got.longest_hold);
        n += got.new_ops;
        assert_eq!(got.waiting, 0);
    }
    let took = t.elapsed();
    done.store(true, Ordering::SeqCst);
    let during = probe.join().unwrap();
    assert_eq!(n, chunks.iter().map(Vec::len).sum::<usize>());
    drop(store);
    remove_db(path);
    [
        match (slow, counts) {
            (None, false) => "as the machine is, no counts".to_owned(),
            (None, true) => "as the machine is".to_owned(),
            (Some(p), _) => format!("slowed ({} µs / 1,000 steps)", p.as_micros()),
        },
        format!(
            "{:.1} s ({:.0}/s)",
            took.as_secs_f64(),
            n as f64 / took.as_secs_f64()
        ),
        slices.to_string(),
        ms(longest),
        quantiles(alone),
        if during.is_empty() {
            "-".to_owned()
        } else {
            quantiles(during)
        },
    ]
}

fn lock_hold(_c: &mut Criterion) {
    let target = if small() {
        common::small_database()
    } else {
        common::database()
    };
    let (spec, n) = source_spec();
    let source_path = common::built(
        &format!(
            "station-{}-{}-{}-{}.db",
            spec.code, spec.people, spec.visits, spec.cases
        ),
        &spec,
    );
    let origin = log_origin(&source_path);
    let source = Store::open(&source_path).unwrap();
    // As a sync reads them: a file of at most 50,000 operations a call.
    let size = 50_000.min(n);
    let chunks: Vec<Vec<LoggedOp>> = (0..n / size)
        .map(|i| {
            source
                .ops_range(origin, i * size + 1, (i + 1) * size)
                .unwrap()
        })
        .collect();
    drop(source);
    assert_eq!(chunks.iter().map(Vec::len).sum::<usize>() as i64, n);
    let path: PathBuf = target.with_file_name("import-lock.db");
    println!(
        "\nimport of {n} operations ({} calls) into {}; a count every 10 ms meanwhile\n",
        chunks.len(),
        target.file_name().unwrap().to_string_lossy()
    );
    println!(
        "| importer | import | slices | longest lock held | a count alone: p50 / p99 / max | a count during the import: p50 / p99 / max |"
    );
    println!("|---|---|---|---|---|---|");
    for (slow, counts) in [
        (None, false),
        (None, true),
        (Some(Duration::from_micros(100)), true),
    ] {
        let row = run(&target, &path, &chunks, slow, counts);
        println!("| {} |", row.join(" | "));
    }
    println!();
}

/// One slice's worth: 1,000 visit creations of another station in one
/// call, into the station-scale database.
fn slice(c: &mut Criterion) {
    let db = common::small_database();
    let path = db.with_file_name("import-lock-slice.db");
    copy_db(&db, &path);
    let mut store = Store::open(&path).unwrap();
    // A template: another station's station record and one count.
    let mut other = Store::open_in_memory().unwrap();
    other
        .init_station("NS", "南山驿站", "Asia/Shanghai")
        .unwrap();
    let mut w = other.begin(None).unwrap();
    w.tally_with(Trade::Courier, 1, Services::EMPTY, Utc::now())
        .unwrap();
    w.commit().unwrap();
    let mut ops = other.all_ops().unwrap();
    let template = ops.pop().unwrap();
    assert_eq!((template.entity, template.kind), (Entity::Visit, OP_CREATE));
    store.apply_remote(&ops).unwrap();
    let mut seq = template.seq;
    let mut group = c.benchmark_group("import_lock");
    group.throughput(Throughput::Elements(1_000));
    group.bench_function("apply_1000_visits", |b| {
        b.iter_batched(
            || {
                (0..1_000)
                    .map(|_| {
                        let mut op = template.clone();
                        op.id = uuid::Uuid::now_v7();
                        op.seq = seq;
                        op.hlc = waystation::store::Hlc(template.hlc.0 + seq as u64);
                        seq += 1;
                        op
                    })
                    .collect::<Vec<_>>()
            },
            |batch| store.apply_remote(&batch).unwrap(),
            BatchSize::LargeInput,
        )
    });
    group.finish();
    drop(store);
    remove_db(&path);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(5));
    targets = lock_hold, slice
}
criterion_main!(benches);
