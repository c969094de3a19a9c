use chrono::NaiveDate;
use rusqlite::StatementStatus;

use super::{behind, cases, counselling, visits};
use crate::demo::{DemoSpec, generate};
use crate::store::Store;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
}

fn spec() -> DemoSpec {
    DemoSpec {
        code: "FT".into(),
        name: None,
        people: 200,
        visits: 3_000,
        cases: 150,
        seed: 3,
        today: day(11, 22),
    }
}

/// Each statement, with the index its plan must read (covering: no row)
/// and whether it may sort (a `GROUP BY` the index order does not give).
fn statements() -> Vec<(&'static str, &'static [&'static str], bool)> {
    vec![
        (visits::VISITS, &["visits_by_station_time"], false),
        (cases::OPENED, &["cases_by_station_opened"], false),
        (cases::CONCLUDED, &["cases_by_station_concluded"], false),
        (cases::OPEN_NOW, &["cases_by_station_status"], false),
        (
            cases::CONCLUDED_AFTER,
            &["cases_by_station_concluded"],
            false,
        ),
        (
            cases::CLAIMANTS_OF_STATION,
            &["cases_by_station_opened", "claimants_by_case"],
            false,
        ),
        (cases::CLAIMANTS_BETWEEN, &["claimants_by_case"], false),
        (behind::OPEN_NOW_ROWS, &["cases_by_station_status"], false),
        (
            counselling::SESSIONS,
            &["appointments_by_date_status"],
            true,
        ),
    ]
}

fn plan(store: &Store, sql: &str) -> String {
    let mut stmt = store
        .conn()
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap();
    // The plan does not depend on the values bound (left unbound here).
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next().unwrap() {
        out.push(r.get::<_, String>(3).unwrap());
    }
    out.join("; ")
}

/// Every figures read is a search of a covering index, and only the
/// sessions' `GROUP BY` sorts; the waitlist reads the waiting range of its
/// index, and the counsellor's kind is a lookup by id.
#[test]
fn every_figures_read_is_an_index_range() {
    let store = Store::open_in_memory().unwrap();
    for (sql, indexes, may_sort) in statements() {
        let p = plan(&store, sql);
        assert!(!p.contains("SCAN"), "{sql}\n{p}");
        for index in indexes {
            let covering = format!("USING COVERING INDEX {index} (");
            assert!(p.contains(&covering), "{sql}\n{p}");
        }
        assert_eq!(p.contains("TEMP B-TREE"), may_sort, "{sql}\n{p}");
    }
    let p = plan(&store, counselling::WAITING);
    assert!(p.starts_with("SEARCH waitlist USING INDEX waitlist_by_status (status=?)"));
    let p = plan(&store, counselling::KIND);
    assert!(p.starts_with("SEARCH counsellors USING PRIMARY KEY"), "{p}");
}

/// Figures read again for other periods and stations reuse the prepared
/// statements: none is prepared again for a new binding.
#[test]
fn figures_statements_are_not_re_prepared() {
    let mut store = Store::open_in_memory().unwrap();
    generate(&mut store, &spec(), &mut |_, _, _| {}).unwrap();
    let own = store.station_id().unwrap();
    for (from, to) in [(day(11, 1), day(11, 30)), (day(3, 2), day(3, 2))] {
        for station in [None, own] {
            store.figures_on(from, to, station, day(11, 22)).unwrap();
        }
    }
    for (sql, _, _) in statements() {
        let stmt = store.conn().prepare_cached(sql).unwrap();
        assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "{sql}");
    }
}

/// A database in memory is read on its one connection; a file with a
/// second one in a thread: the same records give the same figures.
#[test]
fn one_connection_or_two_give_the_same_figures() {
    let mut memory = Store::open_in_memory().unwrap();
    generate(&mut memory, &spec(), &mut |_, _, _| {}).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut file = Store::open(&dir.path().join("ft.db")).unwrap();
    generate(&mut file, &spec(), &mut |_, _, _| {}).unwrap();
    // And an encrypted file: the thread's connection is given the key.
    let key = crate::store::crypt::Secret::random().data_key();
    let mut encrypted = Store::open_with(&dir.path().join("enc.db"), Some(&key)).unwrap();
    generate(&mut encrypted, &spec(), &mut |_, _, _| {}).unwrap();
    for (from, to) in [(day(11, 1), day(11, 30)), (day(1, 1), day(12, 31))] {
        let a = memory.figures_on(from, to, None, day(11, 22)).unwrap();
        let mut c = encrypted.figures_on(from, to, None, day(11, 22)).unwrap();
        for ((x, _), (y, _)) in a
            .visits
            .workers_by_station
            .iter()
            .zip(&mut c.visits.workers_by_station)
        {
            y.id = x.id;
        }
        assert_eq!(a, c, "encrypted");
        let mut b = file.figures_on(from, to, None, day(11, 22)).unwrap();
        // Two databases, two station ids: the same station otherwise.
        for ((x, _), (y, _)) in a
            .visits
            .workers_by_station
            .iter()
            .zip(&mut b.visits.workers_by_station)
        {
            assert_ne!(x.id, y.id);
            y.id = x.id;
        }
        assert_eq!(a, b);
        assert_eq!(a.visits.workers_by_station.len(), 1);
        assert_eq!(a.visits.workers_by_station[0].1, a.visits.workers);
        assert!(a.visits.headcount > 0 && a.cases.opened > 0);
    }
}
