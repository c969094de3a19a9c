//! What the benchmarks share: the demo databases they run on, and timing
//! helpers for percentile tables.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use waystation::demo::{DemoSpec, generate};
use waystation::store::Store;

pub struct Scale {
    pub people: u32,
    pub visits: u32,
    pub cases: u32,
}

pub fn scale() -> Scale {
    if std::env::var("WAYSTATION_BENCH_SCALE").as_deref() == Ok("small") {
        Scale {
            people: 2_000,
            visits: 10_000,
            cases: 500,
        }
    } else {
        Scale {
            people: 200_000,
            visits: 1_000_000,
            cases: 50_000,
        }
    }
}

/// The benchmark database, built by `demo` on first use.
pub fn database() -> PathBuf {
    database_of(&scale())
}

/// The station-scale database (10,000 visits), for comparisons.
pub fn small_database() -> PathBuf {
    database_of(&Scale {
        people: 2_000,
        visits: 10_000,
        cases: 500,
    })
}

/// A demo database of this size, built on first use.
pub fn database_of(s: &Scale) -> PathBuf {
    let spec = DemoSpec {
        code: "FT".into(),
        name: None,
        people: s.people,
        visits: s.visits,
        cases: s.cases,
        seed: 1,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    built(
        &format!("district-{}-{}-{}.db", s.people, s.visits, s.cases),
        &spec,
    )
}

/// `target/bench-data/<name>`, filled by `demo` with `spec` on first use
/// (under a temporary name, so a cut-off build is never taken for one).
pub fn built(name: &str, spec: &DemoSpec) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    if !path.exists() {
        let tmp = path.with_extension("building");
        let _ = std::fs::remove_file(&tmp);
        let mut store = Store::open(&tmp).unwrap();
        let t = Instant::now();
        let summary = generate(&mut store, spec, &mut |_, _, _| {}).unwrap();
        println!(
            "demo {}: {} people, {} visits, {} cases, {} operations in {:.1} s",
            spec.code,
            summary.people,
            summary.visits,
            summary.cases,
            summary.ops,
            t.elapsed().as_secs_f64()
        );
        drop(store);
        for ext in ["building-wal", "building-shm"] {
            let _ = std::fs::remove_file(path.with_extension(ext));
        }
        std::fs::rename(&tmp, &path).unwrap();
    }
    path
}

/// The `p` quantile of sorted timings.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// `rounds` passes of `n` single timed calls, sorted.
pub fn timed<F: FnMut(usize)>(n: usize, rounds: usize, mut f: F) -> Vec<Duration> {
    let mut t = Vec::with_capacity(n * rounds);
    for _ in 0..rounds {
        for i in 0..n {
            let s = Instant::now();
            f(i);
            t.push(s.elapsed());
        }
    }
    t.sort();
    t
}
