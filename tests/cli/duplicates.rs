//! Through the real binary: two stations register one worker apart, sync
//! to the district, the district sees the pair and merges it, syncs back;
//! both stations then show one worker with both stations' visits, the
//! district's report counts him once, and an undo at a station makes two
//! again everywhere.

use crate::common;

use std::path::Path;

use common::cli::{ok, run_env};

const PASS: &str = "district passphrase 2026";

fn ws(home: &Path, db: &str, args: &[&str]) -> common::cli::Run {
    let mut all = vec!["--db", db, "--lang", "en"];
    all.extend_from_slice(args);
    run_env(home, &all, &[("WAYSTATION_SYNC_PASSPHRASE", PASS)])
}

fn sync_all(home: &Path, dbs: &[&str]) {
    for db in dbs {
        ok(ws(home, db, &["sync", "folder"]));
    }
}

#[test]
fn one_worker_registered_at_two_stations_is_merged_at_the_district_and_shown_once_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let h = dir.path();
    std::fs::create_dir(h.join("folder")).unwrap();
    for (db, code) in [("office.db", "QU"), ("ft.db", "FT"), ("ns.db", "NS")] {
        ok(ws(
            h,
            db,
            &["init", "--no-passphrase", "--code", code, "--name", code],
        ));
    }
    ok(ws(h, "office.db", &["network", "create", "folder"]));
    std::fs::write(
        h.join("ft.csv"),
        "姓名,手机,职业\n王小二,13900000002,外卖\n李四,13900000004,快递\n",
    )
    .unwrap();
    std::fs::write(
        h.join("ns.csv"),
        "姓名,手机,职业\n王晓二,13900000002,外卖\n张伟,13700000007,环卫\n",
    )
    .unwrap();
    ok(ws(h, "ft.db", &["import", "roster", "ft.csv", "--yes"]));
    ok(ws(h, "ns.db", &["import", "roster", "ns.csv", "--yes"]));
    // He comes in at each station (checked in as the console does).
    for (db, name) in [("ft.db", "王小二"), ("ns.db", "王晓二")] {
        let mut store = waystation::store::Store::open(&h.join(db)).unwrap();
        let hit = store.lookup(name, 5).unwrap();
        let Some(waystation::store::Hit::Person(p)) = hit.first() else {
            panic!("{hit:?}")
        };
        let mut w = store.begin(None).unwrap();
        w.check_in(
            p.id,
            waystation::domain::visit::Services::EMPTY,
            chrono::Utc::now(),
        )
        .unwrap();
        w.commit().unwrap();
    }
    sync_all(h, &["office.db", "ft.db", "ns.db", "office.db"]);
    // Before the merge the district counts two workers.
    let workers = |db: &str| -> String {
        let day = |d: i64| {
            (chrono::Utc::now() + chrono::Duration::days(d))
                .format("%Y-%m-%d")
                .to_string()
        };
        let (from, to) = (day(-2), day(2));
        let r = ok(ws(h, db, &["report", "--from", &from, "--to", &to]));
        r.out
            .lines()
            .find(|l| l.trim_start().starts_with("Workers (each once)") && !l.contains(" by "))
            .unwrap_or_else(|| panic!("{}", r.out))
            .to_owned()
    };
    assert!(
        workers("office.db").ends_with(" 2"),
        "{}",
        workers("office.db")
    );

    let list = ok(ws(h, "office.db", &["duplicates"]));
    let first = list.out.lines().next().unwrap();
    assert!(
        first.contains("same mobile, name reads the same, same trade"),
        "{}",
        list.out
    );
    assert_eq!(list.out.matches("score").count(), 1, "{}", list.out);
    let key = first.split_whitespace().next().unwrap().to_owned();
    let merged = ok(ws(h, "office.db", &["duplicates", "merge", &key]));
    assert!(
        merged.out.contains("Merged 王晓二 into 王小二"),
        "{}",
        merged.out
    );
    let again = ok(ws(h, "office.db", &["duplicates"]));
    assert!(
        again.out.contains("Nobody looks registered twice"),
        "{}",
        again.out
    );
    sync_all(h, &["office.db", "ft.db", "ns.db", "office.db"]);

    // One worker with both stations' visits, counted once.
    assert!(
        workers("office.db").ends_with(" 1"),
        "{}",
        workers("office.db")
    );
    for db in ["ft.db", "ns.db", "office.db"] {
        let r = ok(ws(h, db, &["lookup", "王晓二"]));
        let person = r.out.lines().find(|l| l.starts_with("person")).unwrap();
        assert!(person.contains("王小二"), "{db}: {}", r.out);
        for q in ["13900000002", "王晓二", "wxe"] {
            let found = ok(ws(h, db, &["lookup", q]));
            let people: Vec<&str> = found
                .out
                .lines()
                .filter(|l| l.starts_with("person"))
                .collect();
            assert_eq!(people.len(), 1, "{db} {q}: {}", found.out);
            assert!(people[0].contains("王小二"), "{db} {q}: {}", found.out);
        }
    }
    let digests: Vec<String> = ["office.db", "ft.db", "ns.db"]
        .iter()
        .map(|db| ok(ws(h, db, &["check"])).out)
        .collect();
    assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");

    // Undone at a station: two people again, everywhere.
    let undone = ok(ws(h, "ns.db", &["duplicates", "undo", &key]));
    assert!(
        undone.out.contains("Undid the merge of 王晓二"),
        "{}",
        undone.out
    );
    sync_all(h, &["ns.db", "office.db", "ft.db"]);
    let found = ok(ws(h, "ft.db", &["lookup", "13900000002"]));
    assert_eq!(
        found
            .out
            .lines()
            .filter(|l| l.starts_with("person"))
            .count(),
        2,
        "{}",
        found.out
    );

    // Two workers after all, says a station: listed nowhere once synced;
    // taken back, listed again.
    let dismissed = ok(ws(h, "ft.db", &["duplicates", "dismiss", &key]));
    assert!(
        dismissed.out.contains("are two workers"),
        "{}",
        dismissed.out
    );
    sync_all(h, &["ft.db", "office.db", "ns.db"]);
    for db in ["office.db", "ns.db"] {
        let list = ok(ws(h, db, &["duplicates"]));
        assert!(
            list.out.contains("Nobody looks registered twice"),
            "{db}: {}",
            list.out
        );
    }
    ok(ws(h, "office.db", &["duplicates", "undismiss", &key]));
    sync_all(h, &["office.db", "ns.db"]);
    let list = ok(ws(h, "ns.db", &["duplicates"]));
    assert!(list.out.starts_with(&key), "{}", list.out);
    let r = ws(h, "ns.db", &["duplicates", "undismiss", &key]);
    assert!(r.err.contains("was not marked as two workers"), "{}", r.err);

    // A key that names nobody, or nothing like a key: said plainly.
    let r = ws(
        h,
        "office.db",
        &["duplicates", "merge", "00000000:11111111"],
    );
    assert_ne!(r.code, 0);
    assert!(
        r.err.contains("Nobody's id ends with 00000000"),
        "{}",
        r.err
    );
    let r = ws(h, "office.db", &["duplicates", "merge", "zhang"]);
    assert!(r.err.contains("is not a pair's key"), "{}", r.err);
}
