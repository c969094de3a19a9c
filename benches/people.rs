//! One worker, one record: the figures of issue 15's targets as they stand.
//!
//! - the whole-database duplicate scan of a database of 1,000,000 people
//!   (built once by `demo` into `target/bench-data/`), its time and the
//!   process's peak memory;
//! - what F1 checks while a phone or a name is typed (people with this
//!   mobile, people of this name), p50/p99 over 1,000 of each;
//! - merging a person who has 1,000 visits and 20 cases, and applying that
//!   merge at another copy of the database.
//!
//! `cargo bench --bench people` (the first run builds the database: a few
//! minutes); `WAYSTATION_BENCH_SCALE=small` uses 20,000 people.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::{percentile, timed};
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rusqlite::Connection;
use waystation::demo::DemoSpec;
use waystation::domain::Mobile;
use waystation::domain::ids::PersonId;
use waystation::domain::person::Trade;
use waystation::domain::visit::Services;
use waystation::store::Store;

fn peak_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

fn main() {
    let small = std::env::var("WAYSTATION_BENCH_SCALE").as_deref() == Ok("small");
    let people = if small { 20_000 } else { 1_000_000 };
    let spec = DemoSpec {
        code: "QU".into(),
        name: None,
        people,
        visits: people,
        cases: people / 100,
        seed: 9,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    };
    let built = common::built(&format!("people-{people}.db"), &spec);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("district.db");
    std::fs::copy(&built, &path).unwrap();
    let before = peak_mib();

    // The scan.
    let store = Store::open(&path).unwrap();
    let t = Instant::now();
    let pairs = store.duplicate_candidates(100).unwrap();
    let scan = t.elapsed();
    println!(
        "duplicate scan of {people} people: {:.1} s, {} pairs in the top 100 (best score {}); peak memory {:.0} MiB (before the scan {:.0} MiB)",
        scan.as_secs_f64(),
        pairs.len(),
        pairs.first().map_or(0, |p| p.score),
        peak_mib(),
        before
    );

    // What F1 reads while a phone or a name is typed.
    let conn = Connection::open(&path).unwrap();
    let mut rows: Vec<(Option<String>, String)> = conn
        .prepare("SELECT mobile, name FROM people ORDER BY random() LIMIT 1000")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    rows.shuffle(&mut rand_chacha::ChaCha8Rng::seed_from_u64(1));
    let mobiles: Vec<Mobile> = rows
        .iter()
        .filter_map(|(m, _)| m.as_deref().and_then(|m| Mobile::parse(m).ok()))
        .collect();
    let t = timed(mobiles.len(), 1, |i| {
        store.people_by_mobile(&mobiles[i]).unwrap();
    });
    println!(
        "people with a typed mobile: p50 {:?}, p99 {:?} ({} numbers)",
        percentile(&t, 0.5),
        percentile(&t, 0.99),
        mobiles.len()
    );
    let t = timed(rows.len(), 1, |i| {
        store.people_named(&rows[i].1, 3).unwrap();
    });
    println!(
        "people of a typed name: p50 {:?}, p99 {:?}",
        percentile(&t, 0.5),
        percentile(&t, 0.99)
    );
    // The intake check as F1 runs it when a field is left: everything of
    // a person typed again (every probe reads), and the same with another
    // phone (the name, trade and employer probes find them).
    let typed: Vec<waystation::store::Typed> = conn
        .prepare("SELECT name, mobile, trade, employer FROM people ORDER BY random() LIMIT 1000")
        .unwrap()
        .query_map([], |r| {
            Ok(waystation::store::Typed {
                name: r.get(0)?,
                mobile: r.get(1)?,
                resident_id: None,
                trade: Trade::ALL.iter().copied().find(|t| {
                    Some(t.code()) == r.get::<_, Option<String>>(2).ok().flatten().as_deref()
                }),
                employer: r.get(3)?,
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let t = timed(typed.len(), 1, |i| {
        store.likely_same(&typed[i], 1).unwrap();
    });
    println!(
        "intake check, a registered person typed again: p50 {:?}, p99 {:?}",
        percentile(&t, 0.5),
        percentile(&t, 0.99)
    );
    let other_phone: Vec<waystation::store::Typed> = typed
        .iter()
        .map(|t| waystation::store::Typed {
            mobile: Some("19999999999".into()),
            ..t.clone()
        })
        .collect();
    let t = timed(other_phone.len(), 1, |i| {
        store.likely_same(&other_phone[i], 1).unwrap();
    });
    println!(
        "intake check, the same with another phone: p50 {:?}, p99 {:?}",
        percentile(&t, 0.5),
        percentile(&t, 0.99)
    );
    drop(store);
    // Every connection closed, so that the file copied below is whole.
    drop(conn);

    // A person with 1,000 visits and 20 cases, merged into another; the
    // merge applied at a copy.
    let mut store = Store::open(&path).unwrap();
    let (a, b) = {
        let mut w = store.begin(None).unwrap();
        let d = waystation::domain::person::PersonDetails::newcomer(
            "王小二",
            Mobile::parse("13900009999").ok(),
            None,
            Some(Trade::FoodDelivery),
        );
        let a = w.add_person(&d).unwrap();
        let b = w.add_person(&d).unwrap();
        let start = chrono::Utc::now() - chrono::Duration::days(400);
        for i in 0..1_000 {
            w.check_in(b, Services::EMPTY, start + chrono::Duration::hours(i))
                .unwrap();
        }
        for i in 0..20 {
            w.open_case(&test_case(b, start + chrono::Duration::days(i)))
                .unwrap();
        }
        w.commit().unwrap();
        (a, b)
    };
    let copy = dir.path().join("copy.db");
    drop(store);
    std::fs::copy(&path, &copy).unwrap();
    // The copy on the disk before anything is timed: a sync's first
    // checkpoint would otherwise wait for the system to write out the
    // whole freshly copied file.
    std::fs::File::open(&copy).unwrap().sync_all().unwrap();
    let mut store = Store::open(&path).unwrap();
    let mut other = Store::open(&copy).unwrap();
    let t = Instant::now();
    let mut w = store.begin(None).unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();
    let merge = t.elapsed();
    assert_eq!(store.survivor(b).unwrap(), a, "merged here");
    let op = store
        .all_ops()
        .unwrap()
        .into_iter()
        .rfind(|o| o.id == b.0)
        .unwrap();
    let t = Instant::now();
    other.apply_remote(&[]).unwrap();
    let empty = t.elapsed();
    let t = Instant::now();
    let got = other.apply_remote(std::slice::from_ref(&op)).unwrap();
    let apply = t.elapsed();
    assert_eq!(got.new_ops, 1, "{got:?} {op:?}");
    assert_eq!(other.merged_into(b).unwrap(), Some(a), "{got:?}");
    assert_eq!(other.survivor(b).unwrap(), a);
    assert_eq!(other.visits_of(a, 10_000).unwrap().len(), 1_000);
    println!(
        "merging a person with 1,000 visits and 20 cases: {:.1} ms; applying it at another copy: {:.1} ms (an empty application before it: {:.1} ms)",
        ms(merge),
        ms(apply),
        ms(empty)
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn test_case(p: PersonId, at: chrono::DateTime<chrono::Utc>) -> waystation::store::NewCase {
    waystation::store::NewCase {
        case_type: waystation::domain::case::CaseType::WageArrears,
        hardship_kind: None,
        claimants: vec![p.into()],
        respondent: None,
        summary: None,
        claimed: waystation::domain::money::Fen(0),
        handler: None,
        follow_up: None,
        opened_at: at,
    }
}
