//! The figures of a period against an independent count: demo databases of
//! two stations (one in a zone with summer time), synced into one; every
//! figure is counted again here from all the rows, read plainly and
//! aggregated in Rust with the definitions of report/figures.rs, and
//! compared exactly, money to the fen. Also the cases behind each case
//! figure, the errors, and that no figure carries a session's notes.

use crate::common;
mod model;

use std::collections::{BTreeSet, HashSet};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use model::{expected, expected_cases, read_rows};
use rusqlite::Connection;
use waystation::demo::{DemoSpec, generate};
use waystation::domain::case::CaseType;
use waystation::domain::ids::{AppointmentId, CaseId, PersonId, StationId};
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::domain::schedule::CounsellorKind;
use waystation::store::Store;
use waystation::store::figures::{
    CaseFigure, CounsellingFigures, FiguresError, Mediation, SessionCounts,
};

const SECRET: &str = "机密会谈记录 SECRET-NOTE";

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub fn today() -> NaiveDate {
    day(2026, 11, 22)
}

fn spec(code: &str, people: u32, visits: u32, cases: u32, seed: u64) -> DemoSpec {
    DemoSpec {
        code: code.into(),
        name: None,
        people,
        visits,
        cases,
        seed,
        today: today(),
    }
}

struct World {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    store: Store,
    /// The database's own station (Asia/Shanghai) and the one learned by
    /// sync (Europe/Berlin).
    a: StationId,
    b: StationId,
}

fn local(tz: Tz, d: NaiveDate, h: u32) -> DateTime<Utc> {
    tz.from_local_datetime(&d.and_hms_opt(h, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn any_person(path: &std::path::Path, n: usize) -> PersonId {
    let conn = Connection::open(path).unwrap();
    let ids: Vec<Vec<u8>> = conn
        .prepare("SELECT id FROM people ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    PersonId::from_slice(&ids[n % ids.len()]).unwrap()
}

/// Station A (FT) with a year of demo records and a few made here (an
/// undone tally, a group case that lost a claimant, waitlist entries,
/// session notes); station B (NS, Europe/Berlin) with its own, synced into A.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let mut a = Store::open(&path).unwrap();
    generate(&mut a, &spec("FT", 400, 8_000, 400, 1), &mut |_, _, _| {}).unwrap();
    let mut b = Store::open(&dir.path().join("b.db")).unwrap();
    b.init_station("NS", "南山驿站", "Europe/Berlin").unwrap();
    generate(&mut b, &spec("NS", 150, 3_000, 150, 2), &mut |_, _, _| {}).unwrap();

    let shanghai: Tz = "Asia/Shanghai".parse().unwrap();
    let p: Vec<PersonId> = (0..4).map(|i| any_person(&path, i * 7)).collect();
    let appointment: Vec<u8> = Connection::open(&path)
        .unwrap()
        .query_row("SELECT id FROM appointments ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let counsellor = a
        .counsellors()
        .unwrap()
        .into_iter()
        .find(|c| c.kind == CounsellorKind::Legal)
        .unwrap();
    let mut w = a.begin(None).unwrap();
    let tally = w
        .tally(Trade::Courier, 3, local(shanghai, day(2026, 11, 21), 10))
        .unwrap();
    w.undo_tally(tally).unwrap();
    let mut case = common::new_case(vec![p[0], p[1]], local(shanghai, day(2026, 11, 3), 9));
    case.case_type = CaseType::WageArrears;
    case.claimed = Fen(1_234_567);
    let (shrunk, _) = w.open_case(&case).unwrap();
    w.remove_claimant(shrunk, p[1]).unwrap();
    case.claimants = vec![p[1].into(), p[2].into(), p[3].into()];
    w.open_case(&case).unwrap();
    for (i, (kind, week)) in [
        (CounsellorKind::Legal, day(2026, 11, 23)),
        (CounsellorKind::Psychological, day(2026, 11, 4)),
        (CounsellorKind::Psychological, day(2026, 12, 7)),
        (CounsellorKind::Legal, day(2026, 10, 28)),
    ]
    .into_iter()
    .enumerate()
    {
        let c = (kind == CounsellorKind::Legal && i == 0).then_some(counsellor.id);
        w.add_to_waitlist(p[i], c, kind, week, None).unwrap();
    }
    w.set_appointment_notes(AppointmentId::from_slice(&appointment).unwrap(), SECRET)
        .unwrap();
    w.commit().unwrap();

    a.apply_remote(&b.all_ops().unwrap()).unwrap();
    // One worker registered three times, merged in a chain; one of the
    // other station's people merged into one of this one's.
    let q: Vec<PersonId> = (0..3).map(|i| any_person(&path, 100 + i * 11)).collect();
    let theirs = b.all_ops().unwrap().into_iter().find(|o| {
        o.entity == waystation::store::Entity::Person && o.kind == waystation::store::OP_CREATE
    });
    let mut w = a.begin(None).unwrap();
    w.merge_person(q[0], q[1], None).unwrap();
    w.merge_person(q[1], q[2], None).unwrap();
    if let Some(o) = theirs {
        w.merge_person(PersonId(o.id), q[2], None).unwrap();
    }
    w.commit().unwrap();
    assert_eq!(a.merged_people(q[2]).unwrap().len(), 3);
    let (sa, sb) = (
        a.station_id().unwrap().unwrap(),
        b.station_id().unwrap().unwrap(),
    );
    World {
        _dir: dir,
        path,
        store: a,
        a: sa,
        b: sb,
    }
}

fn periods() -> Vec<(&'static str, NaiveDate, NaiveDate)> {
    vec![
        ("a day", day(2026, 11, 21), day(2026, 11, 21)),
        ("today", today(), today()),
        ("this month", day(2026, 11, 1), day(2026, 11, 30)),
        ("last month", day(2026, 10, 1), day(2026, 10, 31)),
        ("the summer-time change", day(2026, 3, 29), day(2026, 3, 29)),
        ("this year", day(2026, 1, 1), day(2026, 12, 31)),
        ("a year back", day(2025, 11, 23), today()),
        ("empty", day(2020, 1, 1), day(2020, 1, 31)),
    ]
}

#[test]
fn every_figure_matches_an_independent_count() {
    let w = world();
    let rows = read_rows(&w.path);
    let mut nonzero = HashSet::new();
    for (name, from, to) in periods() {
        for station in [None, Some(w.a), Some(w.b)] {
            let got = w.store.figures_on(from, to, station, today()).unwrap();
            let want = expected(&rows, w.a, from, to, station);
            assert_eq!(got, want, "{name}, station {station:?}");
            // Each worker once at every station he visited: the stations
            // together count him once or more, one station never more.
            let by_station: Vec<u64> = got.visits.workers_by_station.iter().map(|x| x.1).collect();
            assert_eq!(by_station.len(), if station.is_some() { 1 } else { 2 });
            assert!(by_station.iter().sum::<u64>() >= got.visits.workers);
            assert!(by_station.iter().all(|n| *n <= got.visits.workers));
            if got.visits.headcount > 0 {
                nonzero.insert("visits");
            }
            for (f, n) in [
                ("named", got.visits.named),
                ("anonymous", got.visits.anonymous),
                ("resolved", got.cases.resolved),
                ("closed", got.cases.closed),
                ("group", got.cases.group_workers),
                ("agreed", got.cases.mediation.agreed),
                ("overdue", got.cases.overdue),
                ("held", got.counselling.all.held),
                ("no-shows", got.counselling.all.no_shows),
                ("cancelled", got.counselling.all.cancelled),
                ("waiting", got.counselling.waiting),
                ("recovered", got.cases.recovered.0 as u64),
            ] {
                if n > 0 {
                    nonzero.insert(f);
                }
            }
        }
    }
    // The data exercise every figure somewhere.
    assert_eq!(nonzero.len(), 13, "{nonzero:?}");
}

#[test]
fn one_station_and_all_of_them() {
    let w = world();
    let (from, to) = (day(2026, 11, 1), day(2026, 11, 30));
    let all = w.store.figures_on(from, to, None, today()).unwrap();
    let a = w.store.figures_on(from, to, Some(w.a), today()).unwrap();
    let b = w.store.figures_on(from, to, Some(w.b), today()).unwrap();
    assert!(a.cases.opened > 0 && b.cases.opened > 0);
    assert!(a.visits.headcount > 0 && b.visits.headcount > 0);
    // All stations hold more than one; the exact counts (each station's
    // period in its own zone) are checked against the model above.
    assert!(all.visits.headcount > a.visits.headcount);
    assert!(all.cases.opened > a.cases.opened);
    let stations = w.store.stations().unwrap();
    assert_eq!(
        stations.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(),
        ["FT", "NS"]
    );
    assert_eq!(stations[0].id, w.a);
    assert_eq!(stations[1].time_zone, "Europe/Berlin");
    // Counselling belongs to no station in the records: the same for all.
    assert_eq!(a.counselling, all.counselling);
    assert_eq!(b.counselling, all.counselling);
    assert!(!all.counselling.station_scoped);
    // An unknown station is refused.
    let e = w
        .store
        .figures_on(from, to, Some(StationId::new()), today())
        .unwrap_err();
    assert!(matches!(e, FiguresError::NoSuchStation), "{e}");
}

/// One worker registered at two stations (FT and NS), each record seen at
/// FT, the second also at NS, then merged: once at each station and once
/// in all, under the one trade; before the merge, two workers.
#[test]
fn a_worker_registered_at_two_stations_and_merged_counts_once_at_each() {
    use waystation::domain::visit::Services;
    let dir = tempfile::tempdir().unwrap();
    let (_, mut ft) = common::station_db(&dir, "FT");
    let (_, mut ns) = common::station_db(&dir, "NS");
    let here = common::add_person(&mut ft, "王小明", "13800138000");
    let there = common::add_person(&mut ns, "王小明", "13800138000");
    let someone = common::add_person(&mut ns, "李四", "13900139000");
    let mut w = ns.begin(None).unwrap();
    w.check_in(there, Services::EMPTY, common::at(2026, 11, 20, 2))
        .unwrap();
    w.check_in(someone, Services::EMPTY, common::at(2026, 11, 20, 3))
        .unwrap();
    w.commit().unwrap();
    ft.apply_remote(&ns.all_ops().unwrap()).unwrap();
    let mut w = ft.begin(None).unwrap();
    w.check_in(here, Services::EMPTY, common::at(2026, 11, 18, 2))
        .unwrap();
    w.check_in(there, Services::EMPTY, common::at(2026, 11, 21, 2))
        .unwrap();
    w.commit().unwrap();
    let (a, b) = (
        ft.station_id().unwrap().unwrap(),
        ns.station_id().unwrap().unwrap(),
    );
    let (from, to) = (day(2026, 11, 1), day(2026, 11, 30));
    let figures = |s: &Store, station| s.figures_on(from, to, station, today()).unwrap();
    let by_station = |f: &waystation::store::figures::Figures| -> Vec<(String, u64)> {
        f.visits
            .workers_by_station
            .iter()
            .map(|(s, n)| (s.code.clone(), *n))
            .collect()
    };
    let trade = |f: &waystation::store::figures::Figures| {
        f.visits
            .workers_by_trade
            .iter()
            .find(|(t, _)| *t == Trade::FoodDelivery)
            .unwrap()
            .1
    };
    let f = figures(&ft, None);
    assert_eq!((f.visits.named, f.visits.workers), (4, 3));
    assert_eq!(by_station(&f), [("FT".into(), 2), ("NS".into(), 2)]);
    assert_eq!(trade(&f), 3);

    let mut w = ft.begin(None).unwrap();
    w.merge_person(there, here, None).unwrap();
    w.commit().unwrap();
    let f = figures(&ft, None);
    assert_eq!((f.visits.named, f.visits.workers), (4, 2));
    assert_eq!(by_station(&f), [("FT".into(), 1), ("NS".into(), 2)]);
    assert_eq!(trade(&f), 2);
    assert_eq!(f.visits.workers_by_station[0].0.id, a);
    let ns_only = figures(&ft, Some(b));
    assert_eq!(ns_only.visits.workers, 2);
    assert_eq!(by_station(&ns_only), [("NS".into(), 2)]);
    let ft_only = figures(&ft, Some(a));
    assert_eq!(ft_only.visits.workers, 1);
    assert_eq!(by_station(&ft_only), [("FT".into(), 1)]);

    // The merge reaches NS, which then counts the same.
    ns.apply_remote(&ft.all_ops().unwrap()).unwrap();
    assert_eq!(figures(&ns, None), f);
}

#[test]
fn the_cases_behind_each_case_figure() {
    let w = world();
    let rows = read_rows(&w.path);
    for (name, from, to) in periods() {
        for station in [None, Some(w.a), Some(w.b)] {
            let f = w.store.figures_on(from, to, station, today()).unwrap();
            let want = expected_cases(&rows, &f, w.a);
            for figure in CaseFigure::ALL {
                let got = w.store.cases_for(&f, *figure, None).unwrap();
                let set: BTreeSet<Vec<u8>> = got.iter().map(|c| c.as_bytes().to_vec()).collect();
                assert_eq!(set.len(), got.len(), "no case twice");
                assert_eq!(
                    set,
                    want.get(figure).cloned().unwrap_or_default(),
                    "{name} {station:?} {figure:?}"
                );
                assert_eq!(Some(got.len() as u64), figure.count(&f.cases, None));
                for t in CaseType::ALL {
                    let of_type = w.store.cases_for(&f, *figure, Some(*t)).unwrap();
                    if let Some(n) = figure.count(&f.cases, Some(*t)) {
                        assert_eq!(of_type.len() as u64, n, "{name} {figure:?} {t:?}");
                    }
                    assert!(of_type.iter().all(|c| got.contains(c)));
                }
                // Oldest opened first.
                let opened: Vec<i64> = got
                    .iter()
                    .map(|c| {
                        w.store
                            .case(*c)
                            .unwrap()
                            .unwrap()
                            .opened_at
                            .timestamp_millis()
                    })
                    .collect();
                assert!(opened.is_sorted(), "{figure:?}");
            }
        }
    }
}

#[test]
fn overdue_follow_ups_are_counted_on_today_or_the_period_end() {
    let w = world();
    let rows = read_rows(&w.path);
    let (from, to) = (day(2026, 10, 1), day(2026, 10, 31));
    for today in [day(2026, 10, 20), day(2026, 11, 22), day(2027, 1, 5)] {
        let f = w.store.figures_on(from, to, None, today).unwrap();
        let on = (to + Duration::days(1)).min(today);
        let want = rows
            .cases
            .iter()
            .filter(|c| c.status.is_open() && c.follow_up.is_some_and(|d| d < on))
            .count() as u64;
        assert_eq!(f.cases.overdue, want, "{today}");
        let ids: Vec<CaseId> = w.store.cases_for(&f, CaseFigure::Overdue, None).unwrap();
        assert_eq!(ids.len() as u64, want);
    }
}

#[test]
fn today_comes_from_the_store_clock() {
    let mut w = world();
    fn noon_22_nov_2026() -> u64 {
        // 2026-11-22 12:00 in Shanghai.
        1_795_320_000_000
    }
    w.store.set_clock(noon_22_nov_2026);
    let (from, to) = (day(2026, 11, 1), day(2026, 11, 30));
    let f = w.store.figures(from, to, None).unwrap();
    assert_eq!(f.today, today());
    assert_eq!(f, w.store.figures_on(from, to, None, today()).unwrap());
}

#[test]
fn a_reversed_or_endless_period_is_refused() {
    let w = world();
    let e = w
        .store
        .figures_on(day(2026, 11, 30), day(2026, 11, 1), None, today())
        .unwrap_err();
    assert!(matches!(e, FiguresError::Reversed { .. }), "{e}");
    let e = w
        .store
        .figures_on(day(1900, 1, 1), day(2026, 11, 1), None, today())
        .unwrap_err();
    assert!(matches!(e, FiguresError::TooLong { .. }), "{e}");
    use waystation::i18n::{Lang, Localized};
    assert!(e.localized(Lang::ZhCn).contains("太长"));
}

#[test]
fn figures_never_carry_session_notes() {
    let w = world();
    let notes: i64 = Connection::open(&w.path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM appointments WHERE notes = ?1",
            [SECRET],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(notes, 1, "the notes are there to be left out");
    let f = w
        .store
        .figures_on(day(2025, 11, 23), today(), None, today())
        .unwrap();
    let shown = format!("{f:?}");
    assert!(!shown.contains("SECRET") && !shown.contains("机密"));
    assert!(!shown.to_lowercase().contains("note"));
    // Counts only: spelled out field by field, so that a field added to
    // the counselling figures has to be looked at here.
    let CounsellingFigures {
        all,
        by_kind,
        waiting,
        waiting_by_kind,
        station_scoped,
    } = f.counselling;
    let SessionCounts {
        booked,
        pending,
        held,
        no_shows,
        cancelled,
    } = all;
    assert_eq!(booked, pending + held + no_shows + cancelled);
    assert!(booked > 0);
    assert_eq!(by_kind.len(), CounsellorKind::ALL.len());
    assert_eq!(waiting, waiting_by_kind.iter().map(|(_, n)| n).sum::<u64>());
    assert!(!station_scoped);
}

#[test]
fn rates_and_medians_read_as_staff_expect() {
    let w = world();
    let f = w
        .store
        .figures_on(day(2026, 1, 1), day(2026, 12, 31), None, today())
        .unwrap();
    let Mediation { agreed, concluded } = f.cases.mediation;
    assert!(agreed > 0 && agreed < concluded);
    let permille = f.cases.mediation.permille().unwrap();
    assert_eq!(permille, (agreed * 2000 + concluded) / (concluded * 2));
    let median = f.cases.median_days_to_resolve.unwrap();
    assert!(median.halves > 0, "{median}");
    assert_eq!(f.visits.daily.len(), 365);
    assert_eq!(
        f.visits.daily.iter().map(|(_, n)| n).sum::<u64>(),
        f.visits.headcount
    );
    assert_eq!(f.visits.by_hour.iter().sum::<u64>(), f.visits.headcount);
    assert_eq!(
        f.visits.by_trade.iter().map(|(_, n)| n).sum::<u64>(),
        f.visits.headcount
    );
    let busiest = f.visits.busiest_hours(3);
    assert_eq!(busiest.len(), 3);
    assert!(busiest[0].1 >= busiest[1].1 && busiest[1].1 >= busiest[2].1);
}
