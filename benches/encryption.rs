//! What encryption at rest costs, measured against the clear database in
//! the same run, on the district database of `benches/store.rs` (200,000
//! people, 1,000,000 visits, 50,000 cases; `WAYSTATION_BENCH_SCALE=small`:
//! 10,000 visits):
//!
//! - unlocking at start (Argon2id of the passphrase, then the first read);
//! - lookup p50/p99 over name, pinyin, mobile-end and case-number queries;
//! - a check-in (visit and operation log, committed);
//! - start to the console's first frame;
//! - this month's figures;
//! - a backup (online backup API, read back) against copying the file.
//!
//! Run: `cargo bench --bench encryption`. The encrypted copy is made once
//! into `target/bench-data/` beside the clear one. Each measurement runs
//! the clear and the encrypted database alternately, so both see the same
//! machine; the ratio is printed. Figures go in docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{database, percentile};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::Connection;
use waystation::domain::ids::PersonId;
use waystation::domain::visit::{Service, Services};
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::store::crypt::{self, Cost, DataKey, Secret};
use waystation::tui::app::App;
use waystation::tui::view::draw;

const PASS: &str = "benchmark passphrase of several words";

/// The encrypted copy of `clear` (made once) and its key.
fn encrypted(clear: &Path) -> (PathBuf, DataKey) {
    let mut name = clear.file_stem().unwrap().to_owned();
    name.push("-encrypted.db");
    let path = clear.with_file_name(name);
    if !path.exists() || !crypt::key_path(&path).exists() {
        let _ = std::fs::remove_file(&path);
        let secret = Secret::random();
        let part = path.with_extension("part");
        let _ = std::fs::remove_file(&part);
        let t = Instant::now();
        Store::open(clear)
            .unwrap()
            .export_encrypted(&part, &secret.data_key())
            .unwrap();
        println!("encrypted copy made in {:.1} s", t.elapsed().as_secs_f64());
        crypt::write_key_file(&path, &secret, PASS, Cost::PRODUCTION).unwrap();
        std::fs::rename(&part, &path).unwrap();
    }
    let key = crypt::unlock(&path, PASS).unwrap().data_key();
    (path, key)
}

fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now()
}

/// Queries staff type: names, initials, mobile ends, case numbers.
fn queries(path: &Path) -> Vec<String> {
    let conn = Connection::open(path).unwrap();
    let mut q: Vec<String> = Vec::new();
    let mut take = |sql: &str| {
        let mut stmt = conn.prepare(sql).unwrap();
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        q.extend(rows);
    };
    take("SELECT substr(name, 1, 2) FROM people WHERE name <> '' ORDER BY random() LIMIT 100");
    take(
        "SELECT substr(mobile, 8, 4) FROM people WHERE mobile IS NOT NULL ORDER BY random() LIMIT 100",
    );
    take("SELECT printf('%s-%d-%04d', code, year, seq) FROM cases ORDER BY random() LIMIT 100");
    q.extend(["zhang", "wang", "li", "zw", "lj"].map(String::from));
    q
}

/// `f` timed on the clear and the encrypted store alternately, `n` times
/// each; sorted timings of each.
fn alternate<T>(
    clear: &mut T,
    enc: &mut T,
    n: usize,
    mut f: impl FnMut(&mut T, usize),
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let t = Instant::now();
        f(clear, i);
        a.push(t.elapsed());
        let t = Instant::now();
        f(enc, i);
        b.push(t.elapsed());
    }
    a.sort_unstable();
    b.sort_unstable();
    (a, b)
}

fn row(what: &str, (clear, enc): &(Vec<Duration>, Vec<Duration>)) {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let (c50, e50) = (percentile(clear, 0.5), percentile(enc, 0.5));
    let (c99, e99) = (percentile(clear, 0.99), percentile(enc, 0.99));
    println!(
        "{what:<34} clear p50 {:>8.3} ms p99 {:>8.3} ms | encrypted p50 {:>8.3} ms p99 {:>8.3} ms | ratio p50 {:.2} p99 {:.2}",
        ms(c50),
        ms(c99),
        ms(e50),
        ms(e99),
        ms(e50) / ms(c50).max(1e-9),
        ms(e99) / ms(c99).max(1e-9),
    );
}

fn bench(c: &mut Criterion) {
    let src = database();
    let (enc_src, key) = encrypted(&src);
    // Writes go to copies: the built databases stay as they are.
    let dir = tempfile::tempdir_in(src.parent().unwrap()).unwrap();
    let clear_path = dir.path().join("clear.db");
    let enc_path = dir.path().join("encrypted.db");
    std::fs::copy(&src, &clear_path).unwrap();
    std::fs::copy(&enc_src, &enc_path).unwrap();
    std::fs::copy(crypt::key_path(&enc_src), crypt::key_path(&enc_path)).unwrap();

    // Unlocking at start: the passphrase through Argon2id, the key file,
    // the first read of the schema.
    let unlock: Vec<Duration> = {
        let mut t: Vec<Duration> = (0..5)
            .map(|_| {
                let s = Instant::now();
                let k = crypt::unlock(&enc_path, PASS).unwrap().data_key();
                let store = Store::open_existing_with(&enc_path, Some(&k)).unwrap();
                store.require_station().unwrap();
                s.elapsed()
            })
            .collect();
        t.sort_unstable();
        t
    };
    println!(
        "unlock at start (Argon2id 64 MiB ×3, open, first read): p50 {:.0} ms, max {:.0} ms",
        percentile(&unlock, 0.5).as_secs_f64() * 1000.0,
        unlock.last().unwrap().as_secs_f64() * 1000.0
    );

    let mut clear = Store::open(&clear_path).unwrap();
    let mut enc = Store::open_with(&enc_path, Some(&key)).unwrap();
    let qs = queries(&clear_path);
    // Warm both caches alike.
    for q in &qs {
        clear.lookup(q, 20).unwrap();
        enc.lookup(q, 20).unwrap();
    }
    let lookups = alternate(&mut clear, &mut enc, qs.len() * 3, |s, i| {
        s.lookup(&qs[i % qs.len()], 20).unwrap();
    });
    row("lookup (20 hits)", &lookups);

    let people: Vec<PersonId> = {
        let conn = Connection::open(&clear_path).unwrap();
        let mut stmt = conn
            .prepare("SELECT hex(id) FROM people ORDER BY random() LIMIT 400")
            .unwrap();
        stmt.query_map([], |r| r.get::<_, String>(0))
            .unwrap()
            .map(|r| PersonId(uuid::Uuid::parse_str(&r.unwrap()).unwrap()))
            .collect()
    };
    let services: Services = [Service::Rest, Service::Water].into_iter().collect();
    let writes = alternate(&mut clear, &mut enc, people.len(), |s, i| {
        let mut w = s.begin(None).unwrap();
        w.check_in(people[i], services, now()).unwrap();
        w.commit().unwrap();
    });
    row("check-in (committed)", &writes);

    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
    let (from, to) = (
        chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    );
    let figures = alternate(&mut clear, &mut enc, 10, |s, _| {
        s.figures_on(from, to, None, today).unwrap();
    });
    row("figures this month", &figures);

    drop(clear);
    drop(enc);
    let mut paths = (clear_path.clone(), enc_path.clone());
    let key2 = key.clone();
    let first_frame = alternate(&mut paths.0, &mut paths.1, 10, |p, _| {
        let store = if crypt::key_path(p).exists() {
            Store::open_with(p, Some(&key2)).unwrap()
        } else {
            Store::open(p).unwrap()
        };
        let app = App::new(store, Lang::ZhCn, now);
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| draw(f, &app)).unwrap();
    });
    row("start to first frame (key given)", &first_frame);

    // A backup of the (encrypted) database against copying its file.
    let copies: Vec<Duration> = (0..3)
        .map(|i| {
            let to = dir.path().join(format!("copy-{i}.db"));
            let s = Instant::now();
            std::fs::copy(&enc_path, &to).unwrap();
            std::fs::File::open(&to).unwrap().sync_all().unwrap();
            let t = s.elapsed();
            std::fs::remove_file(&to).unwrap();
            t
        })
        .collect();
    let store = Store::open_with(&enc_path, Some(&key)).unwrap();
    let backups: Vec<Duration> = (0..3)
        .map(|i| {
            let to = dir.path().join(format!("backup-{i}.db"));
            let s = Instant::now();
            store.backup_to(&to).unwrap();
            std::fs::File::open(&to).unwrap().sync_all().unwrap();
            let t = s.elapsed();
            std::fs::remove_file(&to).unwrap();
            t
        })
        .collect();
    // Where the time goes: the copy (with the source's contents), the
    // read-back (quick_check and the copy's contents), the digest alone.
    {
        let to = dir.path().join("split.db");
        let s = Instant::now();
        store.backup_to(&to).unwrap();
        let copy = s.elapsed();
        let s = Instant::now();
        waystation::store::backup::verify_copy(&to, Some(&key), false).unwrap();
        let verify = s.elapsed();
        let s = Instant::now();
        store.digest().unwrap();
        let digest = s.elapsed();
        std::fs::remove_file(&to).unwrap();
        println!(
            "backup split: copy with the source's contents {:.2} s, read back {:.2} s, of which a digest {:.2} s",
            copy.as_secs_f64(),
            verify.as_secs_f64(),
            digest.as_secs_f64()
        );
    }
    let size = std::fs::metadata(&enc_path).unwrap().len() as f64 / 1048576.0;
    let min = |v: &[Duration]| v.iter().min().unwrap().as_secs_f64();
    println!(
        "backup of {size:.0} MiB (copy, then read back and compared): best {:.2} s; copying the file: best {:.2} s; ratio {:.2}",
        min(&backups),
        min(&copies),
        min(&backups) / min(&copies)
    );

    let mut group = c.benchmark_group("encryption");
    group.sample_size(20);
    let mut clear = Store::open(&clear_path).unwrap();
    group.bench_function("lookup_clear", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % qs.len();
            clear.lookup(&qs[i], 20).unwrap()
        })
    });
    let mut enc = Store::open_with(&enc_path, Some(&key)).unwrap();
    group.bench_function("lookup_encrypted", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % qs.len();
            enc.lookup(&qs[i], 20).unwrap()
        })
    });
    group.finish();
    let _ = (&mut clear, &mut enc);
}

criterion_group!(benches, bench);
criterion_main!(benches);
