//! Sync benchmarks at district scale: importing another station's
//! operations into a district database, against bare INSERTs of the same
//! rows; exporting them as bundle files; and the bytes a bundle spends per
//! visit.
//!
//! Run: `cargo bench --bench sync`. The district database is the one of
//! `benches/store.rs` (1,000,000 visits, 1.7 M operations); the operations
//! imported are the first 1,000,000 of a second demo station, `NS` (50,000
//! people, 900,000 visits, 5,000 cases), another replica, built once into
//! `target/bench-data/` and reused. `WAYSTATION_BENCH_SCALE=small` uses the
//! 10,000-visit database and 20,000 operations for a quick look;
//! `WAYSTATION_SYNC_ROUNDS=N` sets how often the one-shot runs are repeated
//! (default 2).
//!
//! The big runs take tens of seconds each, so they are timed once per round
//! with `Instant` on fresh copies of the databases and printed as a table:
//!
//! - export: `folder::sync` from the station (holding exactly the imported
//!   operations) into an empty folder: reads the log, encodes, compresses,
//!   encrypts and writes one file per 50,000 operations, each flushed to the
//!   device;
//! - `apply_remote`: the same operations, in the same 50,000-operation
//!   chunks, one call (one transaction) each, on a copy of the district
//!   database; only the calls are timed, not reading the chunks;
//! - bare INSERTs: on another copy, in the same chunks, one `BEGIN
//!   IMMEDIATE … COMMIT` each, prepared statements with values converted
//!   beforehand: every operation's row into `ops`; for a creation, the
//!   record's row into its table (an `UPDATE` by id for a later change);
//!   for a person or a case, its lookup terms into `search_terms` (the rows
//!   the `apply_remote` run wrote). The rows an import adds, nothing else;
//! - sync import: `folder::sync` of a third copy with that folder, until it
//!   has read and applied every file (its export of the district's own log,
//!   in the same call, is timed apart).
//!
//! Criterion then times encoding and decoding one bundle of 50,000 visit
//! creations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OpenFlags};
use waystation::demo::DemoSpec;
use waystation::domain::ids::ReplicaId;
use waystation::store::Store;
use waystation::store::{Entity, LoggedOp, OP_CREATE, to_sql};
use waystation::sync::bundle::{
    KdfParams, NetworkId, NetworkKey, parse_file_name, read_bundle, write_bundle,
};
use waystation::sync::folder::{self, OPS_PER_FILE};

const PASSPHRASE: &str = "bench passphrase";

fn small() -> bool {
    std::env::var("WAYSTATION_BENCH_SCALE").as_deref() == Ok("small")
}

fn rounds() -> usize {
    std::env::var("WAYSTATION_SYNC_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2)
        .max(1)
}

/// The station whose operations are imported, and how many of them.
fn source_spec() -> (DemoSpec, i64) {
    let (people, visits, cases, n) = if small() {
        (1_000, 18_000, 100, 20_000)
    } else {
        (50_000, 900_000, 5_000, 1_000_000)
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

/// The source station's database, built by `demo` on first use.
fn source_database(spec: &DemoSpec) -> PathBuf {
    common::built(
        &format!(
            "station-{}-{}-{}-{}.db",
            spec.code, spec.people, spec.visits, spec.cases
        ),
        spec,
    )
}

/// A copy of a database (never the original: runs write into it).
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

/// The replica whose log a database holds: read before the store opens it
/// (a copy opened at another path takes a new replica id for what it writes
/// next; its log stays under this one).
fn log_origin(path: &Path) -> ReplicaId {
    let conn = Connection::open(path).unwrap();
    let id: Vec<u8> = conn
        .query_row("SELECT replica_id FROM replica", [], |r| r.get(0))
        .unwrap();
    ReplicaId::from_slice(&id).unwrap()
}

/// The size of every bundle file in a folder, by its range.
fn bundle_sizes(folder: &Path) -> HashMap<(i64, i64), u64> {
    let mut out = HashMap::new();
    for dir in std::fs::read_dir(folder).unwrap() {
        let dir = dir.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap();
            if let Some((_, first, last)) = f.file_name().to_str().and_then(parse_file_name) {
                out.insert((first, last), f.metadata().unwrap().len());
            }
        }
    }
    out
}

/// `1..=n` in bundle-sized ranges, as a sync writes and reads them.
fn chunks(n: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut first = 1;
    while first <= n {
        let last = (first + OPS_PER_FILE - 1).min(n);
        out.push((first, last));
        first = last + 1;
    }
    out
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

fn rate(ops: i64, d: Duration) -> f64 {
    ops as f64 / d.as_secs_f64()
}

/// What the station's operations are, per record kind.
#[derive(Default)]
struct Mix {
    creations: BTreeMap<String, i64>,
    updates: BTreeMap<String, i64>,
    /// Ranges whose every operation is a visit creation.
    visit_chunks: HashSet<(i64, i64)>,
    /// The people and cases created: their lookup terms are rows too.
    with_terms: HashSet<[u8; 16]>,
}

fn mix(source: &Store, origin: ReplicaId, n: i64) -> Mix {
    let mut m = Mix::default();
    for (first, last) in chunks(n) {
        let ops = source.ops_range(origin, first, last).unwrap();
        assert_eq!(ops.len() as i64, last - first + 1);
        let mut all_visits = true;
        for op in &ops {
            let name = format!("{:?}", op.entity);
            let creation = op.kind == OP_CREATE;
            *if creation {
                m.creations.entry(name)
            } else {
                m.updates.entry(name)
            }
            .or_default() += 1;
            all_visits &= creation && op.entity == Entity::Visit;
            if creation && matches!(op.entity, Entity::Person | Entity::Case) {
                m.with_terms.insert(*op.id.as_bytes());
            }
        }
        if all_visits {
            m.visit_chunks.insert((first, last));
        }
    }
    m
}

/// The store's connection settings, for the bare baseline.
fn bare_connection(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
         PRAGMA cache_size = -16384; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    conn.set_prepared_statement_cache_capacity(256);
    conn
}

/// The bare statements that write the rows of `ops`: (SQL, values).
fn bare_statements(
    ops: &[LoggedOp],
    origin_idx: i64,
    terms: &HashMap<[u8; 16], Vec<(i64, String)>>,
) -> Vec<(String, Vec<SqlValue>)> {
    let mut out = Vec::with_capacity(ops.len() * 2);
    for op in ops {
        let id = SqlValue::Blob(op.id.as_bytes().to_vec());
        out.push((
            "INSERT INTO ops (origin, seq, hlc, actor, entity, id, kind, payload)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                .to_owned(),
            vec![
                SqlValue::Integer(origin_idx),
                SqlValue::Integer(op.seq),
                SqlValue::Integer(op.hlc.as_i64()),
                op.actor
                    .map_or(SqlValue::Null, |a| SqlValue::Blob(a.as_bytes().to_vec())),
                SqlValue::Integer(op.entity.code()),
                id.clone(),
                SqlValue::Integer(op.kind),
                SqlValue::Text(serde_json::to_string(&op.fields).unwrap()),
            ],
        ));
        let table = op.entity.table();
        let names: Vec<&str> = op.fields.keys().map(String::as_str).collect();
        let mut values: Vec<SqlValue> = op
            .fields
            .iter()
            .map(|(k, v)| to_sql(table.ty(k).unwrap(), v).unwrap())
            .collect();
        if op.kind == OP_CREATE {
            let marks: Vec<String> = (2..=names.len() + 1).map(|i| format!("?{i}")).collect();
            values.insert(0, id.clone());
            out.push((
                format!(
                    "INSERT INTO {} (id, {}) VALUES (?1, {})",
                    table.name,
                    names.join(", "),
                    marks.join(", ")
                ),
                values,
            ));
            for (kind, term) in terms.get(op.id.as_bytes()).into_iter().flatten() {
                out.push((
                    "INSERT INTO search_terms (kind, term, id) VALUES (?1, ?2, ?3)".to_owned(),
                    vec![
                        SqlValue::Integer(*kind),
                        SqlValue::Text(term.clone()),
                        id.clone(),
                    ],
                ));
            }
        } else if !names.is_empty() {
            let sets: Vec<String> = names
                .iter()
                .enumerate()
                .map(|(i, n)| format!("{n} = ?{}", i + 1))
                .collect();
            values.push(id);
            out.push((
                format!(
                    "UPDATE {} SET {} WHERE id = ?{}",
                    table.name,
                    sets.join(", "),
                    names.len() + 1
                ),
                values,
            ));
        }
    }
    out
}

/// The lookup terms an import wrote for `ids`.
fn terms_of(path: &Path, ids: &HashSet<[u8; 16]>) -> HashMap<[u8; 16], Vec<(i64, String)>> {
    let conn = Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT kind, term, id FROM search_terms")
        .unwrap();
    let mut rows = stmt.query([]).unwrap();
    let mut out: HashMap<[u8; 16], Vec<(i64, String)>> = HashMap::new();
    while let Some(r) = rows.next().unwrap() {
        let id: Vec<u8> = r.get(2).unwrap();
        if let Ok(id) = <[u8; 16]>::try_from(id.as_slice())
            && ids.contains(&id)
        {
            out.entry(id)
                .or_default()
                .push((r.get(0).unwrap(), r.get(1).unwrap()));
        }
    }
    out
}

/// One round's timings.
#[derive(Default)]
struct Round {
    export: Duration,
    files: usize,
    bytes: u64,
    apply: Duration,
    apply_slowest: Duration,
    apply_fastest: Duration,
    bare: Duration,
    bare_rows: usize,
    sync_import: Duration,
    sync_export: Duration,
    sync_exported: usize,
}

struct Setup {
    dir: tempfile::TempDir,
    district: PathBuf,
    source: Store,
    origin: ReplicaId,
    n: i64,
    network: NetworkId,
    key: NetworkKey,
    visits_before: i64,
    visits_added: i64,
}

/// Export: `folder::sync` of the station into a new, empty folder.
fn export(s: &Setup, source: &mut Store, folder: &Path, r: &mut Round) {
    std::fs::create_dir_all(folder).unwrap();
    folder::create_network(folder, s.network, &s.key).unwrap();
    let t = Instant::now();
    let report = folder::sync(source, folder, s.network, &s.key, &mut |_, _, _| {}).unwrap();
    r.export = t.elapsed();
    assert_eq!(report.ops_written as i64, s.n);
    r.files = report.files_written;
    r.bytes = bundle_sizes(folder).values().sum();
}

/// `apply_remote` of the chunks on a copy of the district database.
fn apply(s: &Setup, path: &Path, r: &mut Round) {
    copy_db(&s.district, path);
    let mut store = Store::open(path).unwrap();
    let mut total = Duration::ZERO;
    let (mut slowest, mut fastest) = (Duration::ZERO, Duration::MAX);
    let mut new_ops = 0;
    let mut waiting = 0;
    for (first, last) in chunks(s.n) {
        let ops = s.source.ops_range(s.origin, first, last).unwrap();
        let t = Instant::now();
        let applied = store.apply_remote(&ops).unwrap();
        let d = t.elapsed();
        total += d;
        slowest = slowest.max(d);
        fastest = fastest.min(d);
        new_ops += applied.new_ops;
        waiting = applied.waiting;
    }
    drop(store);
    assert_eq!(new_ops as i64, s.n);
    assert_eq!(waiting, 0, "records left waiting");
    let conn = Connection::open(path).unwrap();
    assert_eq!(
        count(&conn, "SELECT count(*) FROM visits"),
        s.visits_before + s.visits_added
    );
    r.apply = total;
    r.apply_slowest = slowest;
    r.apply_fastest = fastest;
}

/// Bare INSERTs of the same rows, in the same chunks.
fn bare(s: &Setup, path: &Path, terms: &HashMap<[u8; 16], Vec<(i64, String)>>, r: &mut Round) {
    copy_db(&s.district, path);
    // The store brings the copy's schema up to date, as for the others.
    drop(Store::open(path).unwrap());
    let conn = bare_connection(path);
    conn.execute(
        "INSERT INTO origins (replica_id) VALUES (?1)",
        [s.origin.as_bytes()],
    )
    .unwrap();
    let origin_idx = conn.last_insert_rowid();
    let mut total = Duration::ZERO;
    let mut rows = 0;
    for (first, last) in chunks(s.n) {
        let ops = s.source.ops_range(s.origin, first, last).unwrap();
        let stmts = bare_statements(&ops, origin_idx, terms);
        drop(ops);
        let t = Instant::now();
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        for (sql, values) in &stmts {
            let n = conn
                .prepare_cached(sql)
                .unwrap()
                .execute(rusqlite::params_from_iter(values))
                .unwrap();
            assert_eq!(n, 1, "{sql}");
        }
        conn.execute_batch("COMMIT").unwrap();
        total += t.elapsed();
        rows += stmts.len();
    }
    assert_eq!(
        count(&conn, "SELECT count(*) FROM visits"),
        s.visits_before + s.visits_added
    );
    r.bare = total;
    r.bare_rows = rows;
}

/// `folder::sync` of a copy of the district database with the folder.
fn sync_import(s: &Setup, path: &Path, folder: &Path, r: &mut Round) {
    copy_db(&s.district, path);
    let mut store = Store::open(path).unwrap();
    let mut read_done = None;
    let t = Instant::now();
    let report = folder::sync(
        &mut store,
        folder,
        s.network,
        &s.key,
        &mut |stage, done, total| {
            if stage == "read" && done == total && read_done.is_none() {
                read_done = Some(Instant::now());
            }
        },
    )
    .unwrap();
    let end = Instant::now();
    let read_done = read_done.unwrap();
    assert!(report.refused.is_empty(), "{:?}", report.refused);
    assert_eq!(report.ops_applied as i64, s.n);
    assert_eq!(report.waiting, 0);
    r.sync_import = read_done - t;
    r.sync_export = end - read_done;
    r.sync_exported = report.ops_written;
    // What it wrote, so that the folder is as before for the next round.
    let own = folder.join(store.replica_id().0.as_simple().to_string());
    let _ = std::fs::remove_dir_all(own);
}

fn import_export(_c: &mut Criterion) {
    let district = common::database();
    let (spec, n) = source_spec();
    let source_path = source_database(&spec);
    let dir = tempfile::tempdir().unwrap();

    // The station, holding exactly the operations to import: a copy whose
    // log is cut after the n-th (its records are not read, only its log).
    let cut = dir.path().join("station.db");
    copy_db(&source_path, &cut);
    {
        let conn = Connection::open(&cut).unwrap();
        let total = count(&conn, "SELECT last_seq FROM replica");
        assert!(total >= n, "the station has only {total} operations");
        conn.execute(
            "DELETE FROM ops WHERE origin = (SELECT idx FROM origins
               WHERE replica_id = (SELECT replica_id FROM replica)) AND seq > ?1",
            [n],
        )
        .unwrap();
        conn.execute("UPDATE replica SET last_seq = ?1", [n])
            .unwrap();
    }
    let origin = log_origin(&cut);
    let source = Store::open(&cut).unwrap();
    let m = mix(&source, origin, n);
    let network = NetworkId::new();
    let key =
        NetworkKey::derive_with_params(PASSPHRASE, network, KdfParams::FAST_INSECURE).unwrap();
    let (visits_before, district_ops) = {
        // Read only: the original is never written.
        let conn =
            Connection::open_with_flags(&district, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        (
            count(&conn, "SELECT count(*) FROM visits"),
            count(&conn, "SELECT count(*) FROM ops"),
        )
    };
    let visits_added = m.creations.get("Visit").copied().unwrap_or(0);
    let s = Setup {
        dir,
        district,
        source,
        origin,
        n,
        network,
        key,
        visits_before,
        visits_added,
    };

    println!(
        "\nimport of {n} operations of station {} into {} ({visits_before} visits, {district_ops} operations)",
        spec.code,
        s.district.file_name().unwrap().to_string_lossy(),
    );
    let line = |what: &BTreeMap<String, i64>| {
        what.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  creations: {}", line(&m.creations));
    println!("  updates:   {}", line(&m.updates));

    let mut source_store = Store::open(&s.dir.path().join("station.db")).unwrap();
    let mut terms = None;
    let mut results = Vec::new();
    let mut visit_bytes: Vec<(f64, i64)> = Vec::new();
    for round in 0..rounds() {
        let mut r = Round::default();
        let folder = s.dir.path().join(format!("folder-{round}"));
        export(&s, &mut source_store, &folder, &mut r);
        if round == 0 {
            let sizes = bundle_sizes(&folder);
            for range in &m.visit_chunks {
                let ops = range.1 - range.0 + 1;
                visit_bytes.push((sizes[range] as f64 / ops as f64, ops));
            }
        }
        let a = s.dir.path().join("apply.db");
        apply(&s, &a, &mut r);
        let terms = terms.get_or_insert_with(|| terms_of(&a, &m.with_terms));
        remove_db(&a);
        let b = s.dir.path().join("bare.db");
        bare(&s, &b, terms, &mut r);
        remove_db(&b);
        let c = s.dir.path().join("sync.db");
        sync_import(&s, &c, &folder, &mut r);
        remove_db(&c);
        let _ = std::fs::remove_dir_all(&folder);
        println!(
            "  round {}: export {:.1} s, apply_remote {:.1} s, bare {:.1} s, sync import {:.1} s",
            round + 1,
            r.export.as_secs_f64(),
            r.apply.as_secs_f64(),
            r.bare.as_secs_f64(),
            r.sync_import.as_secs_f64()
        );
        results.push(r);
    }

    println!();
    print!("{:<62}", "");
    for i in 0..results.len() {
        print!(" {:>20}", format!("round {}", i + 1));
    }
    println!();
    let row = |what: String, cell: &dyn Fn(&Round) -> String| {
        print!("{what:<62}");
        for r in &results {
            print!(" {:>20}", cell(r));
        }
        println!();
    };
    let timed = |d: Duration, ops: i64| format!("{:.1} s {:>8.0}/s", d.as_secs_f64(), rate(ops, d));
    let r0 = &results[0];
    row(
        format!(
            "export: folder::sync, {} files, {:.1} MB",
            r0.files,
            r0.bytes as f64 / 1e6
        ),
        &|r| timed(r.export, n),
    );
    row(
        format!(
            "apply_remote, {} calls of ≤{OPS_PER_FILE} ops",
            chunks(n).len()
        ),
        &|r| timed(r.apply, n),
    );
    let chunk_ops = OPS_PER_FILE.min(n);
    row("  one call: fastest, slowest (ops/s)".into(), &|r| {
        format!(
            "{:.0}, {:.0}",
            rate(chunk_ops, r.apply_fastest),
            rate(chunk_ops, r.apply_slowest)
        )
    });
    row(
        format!("bare INSERTs, same chunks, {} rows", r0.bare_rows),
        &|r| timed(r.bare, n),
    );
    row("apply_remote ÷ bare INSERTs".into(), &|r| {
        format!("{:.2}×", r.apply.as_secs_f64() / r.bare.as_secs_f64())
    });
    row(
        format!("sync import: folder::sync reading the {} files", r0.files),
        &|r| timed(r.sync_import, n),
    );
    let exported = r0.sync_exported as i64;
    row(
        format!("  same call: export of the district's own {exported} ops"),
        &|r| timed(r.sync_export, exported),
    );
    println!(
        "bundle bytes per operation, all {n}: {:.1}",
        r0.bytes as f64 / n as f64
    );
    if !visit_bytes.is_empty() {
        let ops: i64 = visit_bytes.iter().map(|(_, n)| n).sum();
        let bytes: f64 = visit_bytes.iter().map(|(b, n)| b * *n as f64).sum();
        let lo = visit_bytes.iter().map(|(b, _)| *b).fold(f64::MAX, f64::min);
        let hi = visit_bytes.iter().map(|(b, _)| *b).fold(0.0, f64::max);
        println!(
            "bundle bytes per visit creation ({} files of visits only, {ops} ops): {:.1} (files {lo:.1}–{hi:.1})",
            visit_bytes.len(),
            bytes / ops as f64
        );
    }
}

fn bundles(c: &mut Criterion) {
    let (spec, _) = source_spec();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("station.db");
    copy_db(&source_database(&spec), &path);
    let origin = log_origin(&path);
    let source = Store::open(&path).unwrap();
    // A range of visit creations only: the first full chunk after the people.
    let people = i64::from(spec.people);
    let n = OPS_PER_FILE.min(i64::from(spec.visits) - 200);
    let ops = source
        .ops_range(origin, people + 100, people + 99 + n)
        .unwrap();
    assert!(
        ops.iter()
            .all(|o| o.entity == Entity::Visit && o.kind == OP_CREATE)
    );
    let network = NetworkId::new();
    let key =
        NetworkKey::derive_with_params(PASSPHRASE, network, KdfParams::FAST_INSECURE).unwrap();
    let bytes = write_bundle(&key, network, origin, &ops).unwrap();
    let mut group = c.benchmark_group("bundle");
    group.throughput(Throughput::Elements(ops.len() as u64));
    group.bench_function("write_visits", |b| {
        b.iter(|| write_bundle(&key, network, origin, &ops).unwrap())
    });
    group.bench_function("read_visits", |b| {
        b.iter(|| read_bundle(&key, network, &bytes).unwrap())
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10).measurement_time(Duration::from_secs(5));
    targets = import_export, bundles
}
criterion_main!(benches);
