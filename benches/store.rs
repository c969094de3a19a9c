//! Station-core benchmarks at district scale: lookup per query kind against a
//! bare indexed SQLite query for the same key, a check-in write against a bare
//! INSERT of the same row, and the time `demo` takes to build the database.
//!
//! Run: `cargo bench --bench store` (full size: 200,000 people, 1,000,000
//! visits, 50,000 cases; the database is built once into
//! `target/bench-data/` and reused). `WAYSTATION_BENCH_SCALE=small` uses a
//! 10,000-visit database for a quick look.
//!
//! Besides criterion's timings, it prints p50/p99 per query kind from a
//! separate pass of single timed lookups, and the ratio to the bare query.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::Duration;

use common::{database, percentile, timed};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rusqlite::{Connection, params};
use waystation::domain::Mobile;
use waystation::domain::ids::{PersonId, VisitId};
use waystation::domain::visit::{Service, Services};
use waystation::store::Store;

/// A query of one kind, with the bare SQL that finds the same key.
struct Kind {
    name: &'static str,
    queries: Vec<String>,
    bare: &'static str,
    bare_args: Vec<Vec<String>>,
}

fn sample(conn: &Connection, sql: &str) -> Vec<Vec<String>> {
    let mut stmt = conn.prepare(sql).unwrap();
    let n = stmt.column_count();
    let rows = stmt
        .query_map([], |r| {
            (0..n)
                .map(|i| {
                    let v: rusqlite::types::Value = r.get(i)?;
                    Ok(match v {
                        rusqlite::types::Value::Integer(i) => i.to_string(),
                        rusqlite::types::Value::Text(t) => t,
                        _ => String::new(),
                    })
                })
                .collect::<rusqlite::Result<Vec<String>>>()
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn kinds(conn: &Connection) -> Vec<Kind> {
    let n = 300;
    let cases = sample(
        conn,
        &format!("SELECT code, year, seq FROM cases ORDER BY random() LIMIT {n}"),
    );
    let mobiles = sample(
        conn,
        &format!("SELECT mobile FROM people WHERE mobile IS NOT NULL ORDER BY random() LIMIT {n}"),
    );
    let names = sample(
        conn,
        &format!("SELECT name FROM people ORDER BY random() LIMIT {n}"),
    );
    let ids = sample(
        conn,
        &format!(
            "SELECT resident_id FROM people WHERE resident_id IS NOT NULL ORDER BY random() LIMIT {n}"
        ),
    );
    let initials = sample(
        conn,
        &format!("SELECT term FROM search_terms WHERE kind = 5 ORDER BY random() LIMIT {n}"),
    );
    let rev = |s: &str| s.chars().rev().collect::<String>();
    let tail = |s: &str, k: usize| s[s.len() - k..].to_owned();
    vec![
        Kind {
            name: "case_number",
            queries: cases
                .iter()
                .map(|c| format!("{}-{}-{:0>4}", c[0], c[1], c[2]))
                .collect(),
            bare: "SELECT id FROM cases WHERE code = ?1 AND year = ?2 AND seq = ?3",
            bare_args: cases.clone(),
        },
        Kind {
            name: "case_tail",
            queries: cases.iter().map(|c| c[2].clone()).collect(),
            bare: "SELECT id FROM cases WHERE seq = ?1 ORDER BY year DESC LIMIT 40",
            bare_args: cases.iter().map(|c| vec![c[2].clone()]).collect(),
        },
        Kind {
            name: "mobile",
            queries: mobiles.iter().map(|m| m[0].clone()).collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 7 AND term = ?1",
            bare_args: mobiles.clone(),
        },
        Kind {
            name: "mobile_last4",
            queries: mobiles.iter().map(|m| tail(&m[0], 4)).collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 8 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: mobiles.iter().map(|m| vec![rev(&tail(&m[0], 4))]).collect(),
        },
        Kind {
            name: "name",
            queries: names.iter().map(|m| m[0].clone()).collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 1 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: names.clone(),
        },
        Kind {
            name: "name_part",
            queries: names
                .iter()
                .map(|m| m[0].chars().skip(1).collect())
                .collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 2 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: names
                .iter()
                .map(|m| vec![m[0].chars().skip(1).collect()])
                .collect(),
        },
        Kind {
            name: "surname_only",
            queries: names
                .iter()
                .map(|m| m[0].chars().take(1).collect())
                .collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 1 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: names
                .iter()
                .map(|m| vec![m[0].chars().take(1).collect()])
                .collect(),
        },
        Kind {
            name: "initials",
            queries: initials.iter().map(|m| m[0].clone()).collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 5 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: initials.clone(),
        },
        Kind {
            name: "resident_id_last4",
            queries: ids.iter().map(|m| tail(&m[0], 4)).collect(),
            bare: "SELECT id FROM search_terms WHERE kind = 9 AND term >= ?1 AND term < ?1 || char(1114111) LIMIT 40",
            bare_args: ids.iter().map(|m| vec![rev(&tail(&m[0], 4))]).collect(),
        },
    ]
}

fn lookups(c: &mut Criterion) {
    let path = database();
    let store = Store::open(&path).unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("PRAGMA cache_size = -16384;").unwrap();
    let kinds = kinds(&conn);

    println!("\nlookup latency (single timed calls, 5 rounds over each sample):");
    println!(
        "{:<20} {:>5} {:>6} {:>10} {:>10} {:>12} {:>12} {:>9}",
        "kind", "n", "hits", "p50", "p99", "bare p50", "bare p99", "p99/bare"
    );
    for k in &kinds {
        if k.queries.is_empty() {
            continue;
        }
        for q in &k.queries {
            store.lookup(q, 20).unwrap(); // warm the cache
        }
        let hits: usize = k
            .queries
            .iter()
            .map(|q| store.lookup(q, 20).unwrap().len())
            .sum();
        let ours = timed(k.queries.len(), 5, |i| {
            std::hint::black_box(store.lookup(&k.queries[i], 20).unwrap());
        });
        let mut stmt = conn.prepare_cached(k.bare).unwrap();
        let bare = timed(k.bare_args.len(), 5, |i| {
            let rows: Vec<Vec<u8>> = stmt
                .query_map(rusqlite::params_from_iter(&k.bare_args[i]), |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            std::hint::black_box(rows);
        });
        let (p50, p99) = (percentile(&ours, 0.5), percentile(&ours, 0.99));
        let (b50, b99) = (percentile(&bare, 0.5), percentile(&bare, 0.99));
        println!(
            "{:<20} {:>5} {:>6.1} {:>10.1?} {:>10.1?} {:>12.1?} {:>12.1?} {:>8.1}×",
            k.name,
            k.queries.len(),
            hits as f64 / k.queries.len() as f64,
            p50,
            p99,
            b50,
            b99,
            p99.as_secs_f64() / b99.as_secs_f64().max(1e-9)
        );
    }

    // The check-in's shared-phone check and same-name hint: every holder
    // of a whole number, the count and first two of a whole name; and
    // what a picker reads per person found to say who shares their phone.
    let sample_of = |name: &str| {
        kinds
            .iter()
            .find(|k| k.name == name)
            .map(|k| k.queries.clone())
            .unwrap_or_default()
    };
    let mobiles: Vec<Mobile> = sample_of("mobile")
        .iter()
        .filter_map(|m| Mobile::parse(m).ok())
        .collect();
    let names = sample_of("name");
    let holders: Vec<(PersonId, Mobile)> = mobiles
        .iter()
        .filter_map(|m| {
            let p = store.people_by_mobile(m).ok()?.into_iter().next()?;
            Some((p.id, m.clone()))
        })
        .collect();
    for (what, times) in [
        (
            "people_by_mobile",
            timed(mobiles.len(), 5, |i| {
                std::hint::black_box(store.people_by_mobile(&mobiles[i]).unwrap());
            }),
        ),
        (
            "people_named",
            timed(names.len(), 5, |i| {
                std::hint::black_box(store.people_named(&names[i], 2).unwrap());
            }),
        ),
        (
            "mobile_sharers",
            timed(holders.len(), 5, |i| {
                let (id, m) = &holders[i];
                std::hint::black_box(store.mobile_sharers(*id, m).unwrap());
            }),
        ),
    ] {
        println!(
            "{:<20} {:>5} {:>6} {:>10.1?} {:>10.1?}",
            what,
            times.len() / 5,
            "",
            percentile(&times, 0.5),
            percentile(&times, 0.99)
        );
    }

    let mut group = c.benchmark_group("lookup");
    for k in &kinds {
        if k.queries.is_empty() {
            continue;
        }
        group.bench_with_input(
            BenchmarkId::new("waystation", k.name),
            &k.queries,
            |b, qs| {
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % qs.len();
                    store.lookup(&qs[i], 20).unwrap()
                })
            },
        );
        group.bench_with_input(
            BenchmarkId::new("bare_sql", k.name),
            &k.bare_args,
            |b, args| {
                let mut stmt = conn.prepare_cached(k.bare).unwrap();
                let mut i = 0;
                b.iter(|| {
                    i = (i + 1) % args.len();
                    stmt.query_map(rusqlite::params_from_iter(&args[i]), |r| {
                        r.get::<_, Vec<u8>>(0)
                    })
                    .unwrap()
                    .count()
                })
            },
        );
    }
    group.finish();
}

fn writes(c: &mut Criterion) {
    let src = database();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("writes.db");
    std::fs::copy(&src, &path).unwrap();
    let mut store = Store::open(&path).unwrap();
    // The bare connection gets the store's own settings, so that the two
    // differ only in what the store does on top of the INSERT.
    let conn = Connection::open(&path).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.execute_batch(
        "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -16384; PRAGMA foreign_keys = ON;",
    )
    .unwrap();
    let people: Vec<PersonId> = sample(
        &conn,
        "SELECT hex(id) FROM people ORDER BY random() LIMIT 1000",
    )
    .into_iter()
    .map(|r| PersonId(uuid::Uuid::parse_str(&r[0]).unwrap()))
    .collect();
    let station: Vec<u8> = conn
        .query_row("SELECT station_id FROM replica", [], |r| r.get(0))
        .unwrap();
    let services: Services = [Service::Rest, Service::Water, Service::Charging]
        .into_iter()
        .collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(3);
    let mut shuffled = people.clone();
    shuffled.shuffle(&mut rng);

    let mut group = c.benchmark_group("write");
    group.bench_function("check_in_with_log", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % shuffled.len();
            let mut w = store.begin(None).unwrap();
            w.check_in(shuffled[i], services, chrono::Utc::now())
                .unwrap();
            w.commit().unwrap();
        })
    });
    group.bench_function("bare_insert_visit", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % shuffled.len();
            let id = VisitId::new();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            conn.prepare_cached(
                "INSERT INTO visits (id, station_id, person_id, headcount, trade, services, arrived_at, left_at)
                 VALUES (?1, ?2, ?3, 1, 'courier', ?4, ?5, NULL)",
            )
            .unwrap()
            .execute(params![
                id.as_bytes().as_slice(),
                station,
                shuffled[i].as_bytes().as_slice(),
                services.bits(),
                chrono::Utc::now().timestamp_millis() + rng.random_range(0..1000)
            ])
            .unwrap();
            conn.execute_batch("COMMIT").unwrap();
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(50).measurement_time(Duration::from_secs(4));
    targets = lookups, writes
}
criterion_main!(benches);
