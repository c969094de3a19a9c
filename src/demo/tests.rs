use chrono::{Duration, NaiveDate, TimeZone, Utc};

use super::texts::unpaid;
use super::{DemoSpec, DemoSummary, NOW_HOUR, generate};
use crate::domain::ResidentId;
use crate::domain::case::{CaseStatus, CaseType};
use crate::domain::ids::CaseId;
use crate::store::{Entity, Store};

fn spec(seed: u64) -> DemoSpec {
    DemoSpec {
        code: "FT".into(),
        name: None,
        people: 300,
        visits: 3_000,
        cases: 120,
        seed,
        today: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
    }
}

fn run(store: &mut Store, s: &DemoSpec) -> DemoSummary {
    generate(store, s, &mut |_, _, _| {}).unwrap()
}

/// Two fresh databases with the same replica id (a station's id is its
/// database's replica id, which `open` draws at random). A copy takes a
/// new id when it notices it is one: without the note of where the file
/// was, it cannot.
fn twin_stores(dir: &std::path::Path) -> (Store, Store) {
    let a = dir.join("a.db");
    let b = dir.join("b.db");
    let mut first = Store::open(&a).unwrap();
    first.set_setting("identity", None).unwrap();
    drop(first);
    std::fs::copy(&a, &b).unwrap();
    (Store::open(&a).unwrap(), Store::open(&b).unwrap())
}

#[test]
fn same_seed_same_records_other_seed_other_records() {
    let dir = tempfile::tempdir().unwrap();
    let (mut a, mut b) = twin_stores(dir.path());
    let sa = run(&mut a, &spec(7));
    let sb = run(&mut b, &spec(7));
    assert_eq!(sa, sb);
    assert_eq!(a.digest().unwrap(), b.digest().unwrap());

    let dir = tempfile::tempdir().unwrap();
    let (mut c, mut d) = twin_stores(dir.path());
    run(&mut c, &spec(7));
    run(&mut d, &spec(8));
    assert_ne!(c.digest().unwrap(), d.digest().unwrap());
}

#[test]
fn same_seed_same_ids_in_memory() {
    // In memory the station ids differ, but every generated id agrees.
    let ids = |s: &Store| -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for t in [
            "people",
            "visits",
            "cases",
            "case_notes",
            "staff",
            "appointments",
        ] {
            let mut stmt = s
                .conn()
                .prepare(&format!("SELECT id FROM {t} ORDER BY id"))
                .unwrap();
            let rows = stmt.query_map([], |r| r.get::<_, Vec<u8>>(0)).unwrap();
            out.extend(rows.map(|r| r.unwrap()));
        }
        out
    };
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    // `init` then `demo` gives what `demo` alone gives.
    b.init_station("ft", "福田 爱心驿站", "Asia/Shanghai")
        .unwrap();
    run(&mut a, &spec(3));
    run(&mut b, &spec(3));
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(
        b.station().unwrap().unwrap().name,
        "福田 爱心驿站",
        "its name wins"
    );
}

#[test]
fn records_validate_and_counts_match() {
    let mut store = Store::open_in_memory().unwrap();
    let s = spec(1);
    let mut stages = Vec::new();
    let summary = generate(&mut store, &s, &mut |stage, done, total| {
        assert!(done <= total);
        stages.push(stage.to_owned());
    })
    .unwrap();
    assert!(stages.iter().any(|x| x == "visits"));
    assert_eq!(summary.people, s.people);
    assert_eq!(summary.visits, s.visits);
    assert_eq!(summary.cases, s.cases);
    assert_eq!(summary.counsellors, 4);
    assert!((4..=6).contains(&summary.staff));
    assert!(summary.appointments > 10, "{summary:?}");
    let report = store.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    let count = |e: Entity| report.counts.iter().find(|(x, _)| *x == e).unwrap().1;
    assert_eq!(count(Entity::Person), u64::from(s.people));
    assert_eq!(count(Entity::Visit), u64::from(s.visits));
    assert_eq!(count(Entity::Case), u64::from(s.cases));
    assert_eq!(count(Entity::Appointment), u64::from(summary.appointments));
    assert_eq!(
        report.ops, summary.ops,
        "a fresh database logs only the demo"
    );
    let station = store.station().unwrap().unwrap();
    assert_eq!(station.name, "福田区总工会 爱心驿站");

    // Generating again adds new records instead of colliding.
    let again = run(
        &mut store,
        &DemoSpec {
            people: 20,
            visits: 50,
            cases: 5,
            ..s
        },
    );
    assert_eq!(again.people, 20);
    assert!(store.check().unwrap().is_ok());
}

#[test]
fn cases_in_every_state_and_a_group_case() {
    let mut store = Store::open_in_memory().unwrap();
    run(&mut store, &spec(2));
    let conn = store.conn();
    for st in CaseStatus::ALL {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM cases WHERE status = ?1",
                [st.code()],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n > 0, "no case is {}", st.code());
    }
    let (case, n): (Vec<u8>, i64) = conn
        .query_row(
            "SELECT case_id, count(*) AS n FROM case_claimants GROUP BY case_id ORDER BY n DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(n >= 7, "largest case has {n} claimants");
    let case = store
        .case(CaseId::from_slice(&case).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(case.case_type, CaseType::WageArrears);
    assert!(case.claimed.0 >= 7 * 300_000, "{:?}", case.claimed);
    let reopened: i64 = conn
        .query_row(
            "SELECT count(DISTINCT id) FROM ops WHERE entity = 5 AND payload LIKE '%\"status\":\"in_progress\"%'
             AND id IN (SELECT id FROM ops WHERE entity = 5 AND payload LIKE '%\"concluded_at\":null%')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reopened > 0, "some case was reopened");
    let bad: i64 = conn
        .query_row(
            "SELECT count(*) FROM cases WHERE recovered > claimed",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0);
    let today = spec(2).today;
    let n_overdue: i64 = conn
        .query_row(
            "SELECT count(*) FROM cases WHERE status IN ('new','in_progress','waiting') AND follow_up < ?1",
            [today.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(n_overdue > 0);
    // No follow-up lies before its case's opening day (Shanghai, +8 h).
    let before_opening: i64 = conn
        .query_row(
            "SELECT count(*) FROM cases WHERE follow_up IS NOT NULL
             AND follow_up < date(opened_at / 1000 + 8 * 3600, 'unixepoch')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(before_opening, 0);
}

#[test]
fn some_visitors_are_here_now() {
    let mut store = Store::open_in_memory().unwrap();
    let s = spec(4);
    run(&mut store, &s);
    let tz = store.time_zone().unwrap();
    let now = tz
        .from_local_datetime(&s.today.and_hms_opt(NOW_HOUR, 0, 0).unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let present = store.present_since(now - Duration::hours(2)).unwrap();
    assert!((4..=12).contains(&present.len()), "{}", present.len());
    assert!(
        present
            .iter()
            .all(|v| v.person.is_some() && v.arrived_at <= now)
    );
    assert!(store.headcount_on(s.today).unwrap() > 0);
    let future: i64 = store
        .conn()
        .query_row(
            "SELECT count(*) FROM visits WHERE arrived_at > ?1 OR left_at > ?1",
            [now.timestamp_millis()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(future, 0, "nothing happens after now");
}

#[test]
fn people_look_real() {
    let mut store = Store::open_in_memory().unwrap();
    run(&mut store, &spec(5));
    let conn = store.conn();
    let q = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let n = q("SELECT count(*) FROM people");
    let mobiles = q("SELECT count(*) FROM people WHERE mobile IS NOT NULL");
    let distinct = q("SELECT count(DISTINCT mobile) FROM people WHERE mobile IS NOT NULL");
    let ids = q("SELECT count(*) FROM people WHERE resident_id IS NOT NULL");
    let members = q("SELECT count(*) FROM people WHERE union_member = 1");
    assert!(
        mobiles * 100 > n * 55 && mobiles * 100 < n * 85,
        "{mobiles}/{n}"
    );
    assert_eq!(mobiles, distinct);
    assert!(ids * 100 > n * 15 && ids * 100 < n * 35, "{ids}/{n}");
    assert!(
        members * 100 > n * 18 && members * 100 < n * 42,
        "{members}/{n}"
    );
    let mut stmt = conn
        .prepare("SELECT name, resident_id FROM people")
        .unwrap();
    let rows = stmt
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })
        .unwrap();
    for row in rows {
        let (name, rid) = row.unwrap();
        assert!((2..=4).contains(&name.chars().count()), "{name}");
        if let Some(r) = rid {
            assert!(ResidentId::parse(&r).is_ok(), "{r}");
        }
    }
}

#[test]
fn sessions_never_share_a_slot() {
    let mut store = Store::open_in_memory().unwrap();
    run(&mut store, &spec(6));
    let conn = store.conn();
    let clash: i64 = conn
        .query_row(
            "SELECT count(*) FROM (SELECT 1 FROM appointments WHERE status <> 'cancelled'
             GROUP BY counsellor_id, date, start HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(clash, 0);
    for st in ["booked", "done", "no_show"] {
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM appointments WHERE status = ?1",
                [st],
                |r| r.get(0),
            )
            .unwrap();
        assert!(n > 0, "no session is {st}");
    }
    let c = &store.counsellors().unwrap()[0];
    let next_week = spec(6).today + Duration::days(7);
    assert!(store.free_slots(c.id, next_week).is_ok());
}

#[test]
fn unpaid_months_read_naturally() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(unpaid(d(2026, 11, 22), 1), "2026年10月");
    assert_eq!(unpaid(d(2026, 6, 20), 3), "2026年3月至5月");
    assert_eq!(unpaid(d(2026, 2, 10), 3), "2025年11月至2026年1月");
}

/// Full district scale; run with
/// `cargo test --release --lib demo::tests::district_scale -- --ignored --nocapture`.
#[test]
#[ignore]
fn district_scale() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("district.db")).unwrap();
    let s = DemoSpec {
        people: 200_000,
        visits: 1_000_000,
        cases: 50_000,
        ..spec(1)
    };
    let t = std::time::Instant::now();
    let mut last = std::time::Instant::now();
    let summary = generate(&mut store, &s, &mut |stage, done, total| {
        eprintln!(
            "{:>6.1}s (+{:.1}s) {stage} {done}/{total}",
            t.elapsed().as_secs_f64(),
            last.elapsed().as_secs_f64()
        );
        last = std::time::Instant::now();
    })
    .unwrap();
    eprintln!("{summary:?} in {:.1} s", t.elapsed().as_secs_f64());
}
