//! Figures at district scale: a database of 300 stations and 10,000,000
//! visits (plus 90,000 cases), as the district office holds after syncing
//! with every station for a year.
//!
//! - this month's figures of all stations (the target: ≤ 200 ms),
//!   of one station, and this year's of all stations;
//! - the figures pane's first frame on that database: the pane is drawn
//!   before any figure is counted.
//!
//! Run: `cargo bench --bench figures`. The database is built once into
//! `target/bench-data/district-300-10m.db` (a few minutes, ~3 GB): the
//! station-scale demo database (`demo`, 2,000 people, 10,000 visits, 500
//! cases, seed 1, up to 2026-11-22) is copied, 299 more stations are
//! added, then 10,000,000 visits from 1 January to 22 November 2026 —
//! day by day, every station ~100 a day at hours weighted to meal times,
//! 60 % of them named (one of the 2,000 people), the rest anonymous
//! tallies of 1–5, random trades and services, time-ordered ids as the
//! real ones — and 300 cases per station over two years in every status,
//! against 5,000 respondents, a quarter of them referred, escalated or
//! handed over, written straight into the record tables with SQL (the operation log is
//! not read by figures, so it is not filled). Figures go in
//! docs/performance.md.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{NaiveDate, TimeZone, Utc};
use common::{percentile, small_database, timed};
use criterion::{Criterion, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use rusqlite::{Connection, params};
use waystation::domain::case::{CaseStatus, CaseType, Outcome};
use waystation::domain::person::Trade;
use waystation::i18n::Lang;
use waystation::store::Store;
use waystation::tui::action::PaneId;
use waystation::tui::app::App;
use waystation::tui::view::draw;

const STATIONS: usize = 300;
const VISITS: u64 = 10_000_000;
const CASES_PER_STATION: u32 = 300;
const HOUR_MS: i64 = 3_600_000;

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
}

/// Local midnight in Shanghai (UTC+8, no daylight saving) in UTC ms.
fn midnight(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis() - 8 * HOUR_MS
}

/// A time-ordered id (as UUIDv7): the milliseconds first, then random.
fn id_at(ms: i64, rng: &mut ChaCha8Rng) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[..6].copy_from_slice(&ms.to_be_bytes()[2..]);
    rng.fill(&mut b[6..]);
    b[6] = (b[6] & 0x0f) | 0x70;
    b[8] = (b[8] & 0x3f) | 0x80;
    b
}

/// Hours people arrive, weighted to the meal breaks of outdoor workers.
const HOURS: [(u32, u32); 16] = [
    (6, 2),
    (7, 4),
    (8, 5),
    (9, 4),
    (10, 5),
    (11, 9),
    (12, 12),
    (13, 9),
    (14, 6),
    (15, 5),
    (16, 5),
    (17, 7),
    (18, 9),
    (19, 6),
    (20, 4),
    (21, 2),
];

fn hour(rng: &mut ChaCha8Rng) -> u32 {
    let total: u32 = HOURS.iter().map(|h| h.1).sum();
    let mut x = rng.random_range(0..total);
    for (h, w) in HOURS {
        if x < w {
            return h;
        }
        x -= w;
    }
    12
}

/// The district database, built on first use.
fn district() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data");
    let path = dir.join("district-300-10m.db");
    if path.exists() {
        return path;
    }
    let base = small_database();
    drop(Store::open(&base).unwrap()); // checkpoint its WAL
    let tmp = path.with_extension("building");
    let _ = std::fs::remove_file(&tmp);
    std::fs::copy(&base, &tmp).unwrap();
    let t = Instant::now();
    fill(&tmp);
    // Migrations, checks and the covering indexes as the store keeps them.
    drop(Store::open(&tmp).unwrap());
    std::fs::rename(&tmp, &path).unwrap();
    println!(
        "built {} in {:.0} s ({:.2} GB)",
        path.display(),
        t.elapsed().as_secs_f64(),
        std::fs::metadata(&path).unwrap().len() as f64 / 1e9
    );
    path
}

fn fill(path: &Path) {
    let mut conn = Connection::open(path).unwrap();
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; PRAGMA cache_size = -1000000;",
    )
    .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(300);
    let people: Vec<Vec<u8>> = conn
        .prepare("SELECT id FROM people")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let own: Vec<u8> = conn
        .query_row("SELECT id FROM stations", [], |r| r.get(0))
        .unwrap();
    let tx = conn.transaction().unwrap();
    let mut stations: Vec<(Vec<u8>, String)> = vec![(own, "FT".into())];
    {
        let mut ins = tx
            .prepare("INSERT INTO stations (id, code, name, time_zone) VALUES (?1, ?2, ?3, 'Asia/Shanghai')")
            .unwrap();
        for n in 1..STATIONS {
            let id = id_at(midnight(first_day()), &mut rng).to_vec();
            let code = format!("S{n:03}");
            ins.execute(params![id, code, format!("第{n}驿站")])
                .unwrap();
            stations.push((id, code));
        }
    }
    let days = (today() - first_day()).num_days() + 1;
    let per_day = VISITS / (days as u64 * STATIONS as u64);
    let mut extra = VISITS - per_day * days as u64 * STATIONS as u64;
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO visits (id, station_id, person_id, headcount, trade, services, arrived_at, left_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .unwrap();
        for d in 0..days {
            let day = first_day() + chrono::Duration::days(d);
            let start = midnight(day);
            for (sid, _) in &stations {
                let mut n = per_day;
                if extra > 0 {
                    n += 1;
                    extra -= 1;
                }
                let mut times: Vec<i64> = (0..n)
                    .map(|_| {
                        start + i64::from(hour(&mut rng)) * HOUR_MS + rng.random_range(0..HOUR_MS)
                    })
                    .collect();
                times.sort_unstable();
                for at in times {
                    let named = rng.random_bool(0.6);
                    let person = named.then(|| &people[rng.random_range(0..people.len())]);
                    let headcount = if named { 1 } else { rng.random_range(1..=5) };
                    let trade = Trade::ALL[rng.random_range(0..Trade::ALL.len())].code();
                    let services: i64 = rng.random_range(1..32);
                    let left = named.then(|| at + rng.random_range(600_000..3 * HOUR_MS));
                    ins.execute(params![
                        id_at(at, &mut rng).to_vec(),
                        sid,
                        person,
                        headcount,
                        trade,
                        services,
                        at,
                        left
                    ])
                    .unwrap();
                }
            }
        }
    }
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO cases (id, code, year, seq, station_id, case_type, status, respondent,
                    claimed, recovered, follow_up, outcome, opened_at, concluded_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '某建筑劳务公司', ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .unwrap();
        let span = midnight(today()) - midnight(NaiveDate::from_ymd_opt(2024, 12, 1).unwrap());
        for (sid, code) in stations.iter().skip(1) {
            let mut opened: Vec<i64> = (0..CASES_PER_STATION)
                .map(|_| midnight(today()) - rng.random_range(0..span))
                .collect();
            opened.sort_unstable();
            let mut seq_of_year = std::collections::HashMap::new();
            for at in opened {
                let year = Utc
                    .timestamp_millis_opt(at)
                    .unwrap()
                    .format("%Y")
                    .to_string();
                let year: i64 = year.parse().unwrap();
                let seq = seq_of_year.entry(year).or_insert(0i64);
                *seq += 1;
                let t = CaseType::ALL[rng.random_range(0..CaseType::ALL.len())];
                let status = CaseStatus::ALL[rng.random_range(0..CaseStatus::ALL.len())];
                let claimed: i64 = rng.random_range(0..50_000_000);
                let concluded = matches!(status, CaseStatus::Resolved | CaseStatus::Closed)
                    .then(|| (at + rng.random_range(0..120 * 24 * HOUR_MS)).min(midnight(today())));
                let resolved = status == CaseStatus::Resolved;
                let recovered = if resolved { claimed / 2 } else { 0 };
                let outcome =
                    resolved.then(|| Outcome::ALL[rng.random_range(0..Outcome::ALL.len())].code());
                let follow = status.is_open().then(|| {
                    (today() + chrono::Duration::days(rng.random_range(-20..30))).to_string()
                });
                ins.execute(params![
                    id_at(at, &mut rng).to_vec(),
                    code,
                    year,
                    *seq,
                    sid,
                    t.code(),
                    status.code(),
                    claimed,
                    recovered,
                    follow,
                    outcome,
                    at,
                    concluded
                ])
                .unwrap();
            }
        }
    }
    referrals(&tx, &stations);
    tx.commit().unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;")
        .unwrap();
}

/// The register of respondents and the referrals: 5,000 employers, every
/// case of the 299 stations against one of them (skewed, so that a few
/// have open cases at many stations), and a quarter of those cases
/// referred to an outside body (70 %), escalated to the district office
/// (20 %) or handed to another station (10 %), in every status. Its own
/// random stream: the visits and cases stay as they were.
fn referrals(tx: &rusqlite::Transaction<'_>, stations: &[(Vec<u8>, String)]) {
    use waystation::domain::case::Referral;
    use waystation::domain::handoff::{HandoffOutcome, HandoffStatus};
    const RESPONDENTS: usize = 5_000;
    let mut rng = ChaCha8Rng::seed_from_u64(301);
    let ns = uuid::Uuid::from_u128(0x6265_6e63_6872_6573_706f_6e64_656e_7473);
    let ids: Vec<[u8; 16]> = (0..RESPONDENTS)
        .map(|i| *uuid::Uuid::new_v5(&ns, format!("r{i}").as_bytes()).as_bytes())
        .collect();
    {
        let mut ins = tx
            .prepare("INSERT INTO respondents (id, name) VALUES (?1, ?2)")
            .unwrap();
        for (i, id) in ids.iter().enumerate() {
            ins.execute(params![id.to_vec(), format!("深圳市第{i}号劳务有限公司")])
                .unwrap();
        }
    }
    let cases: Vec<(Vec<u8>, i64)> = tx
        .prepare("SELECT id, opened_at FROM cases WHERE code <> 'FT'")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut link = tx
        .prepare("UPDATE cases SET respondent_id = ?1 WHERE id = ?2")
        .unwrap();
    let mut hand = tx
        .prepare(
            "INSERT INTO handoffs (id, case_id, kind, target, from_station, to_station, sent_on,
                 due, status, outcome, accepted_on, concluded_on)
             VALUES (?1, ?2, ?3, ?4,
                 (SELECT station_id FROM cases WHERE id = ?2), ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .unwrap();
    let district = stations[1].0.clone();
    for (case, opened) in cases {
        let r = (RESPONDENTS as f64 * rng.random::<f64>().powf(3.0)) as usize;
        link.execute(params![ids[r.min(RESPONDENTS - 1)].to_vec(), case])
            .unwrap();
        if !rng.random_bool(0.25) {
            continue;
        }
        let opened = Utc.timestamp_millis_opt(opened).unwrap().date_naive();
        let sent = opened + chrono::Duration::days(rng.random_range(0..60));
        let roll: f64 = rng.random();
        let (kind, target, to) = if roll < 0.7 {
            let t = Referral::ALL[rng.random_range(0..Referral::ALL.len())];
            ("referral", Some(t.code()), None)
        } else if roll < 0.9 {
            ("escalation", None, Some(district.clone()))
        } else {
            let s = &stations[rng.random_range(1..stations.len())].0;
            ("transfer", None, Some(s.clone()))
        };
        let status = HandoffStatus::ALL[rng.random_range(0..HandoffStatus::ALL.len())];
        let later = |rng: &mut ChaCha8Rng| sent + chrono::Duration::days(rng.random_range(0..90));
        let accepted = matches!(
            status,
            HandoffStatus::Accepted | HandoffStatus::InProgress | HandoffStatus::Done
        )
        .then(|| later(&mut rng).to_string());
        let concluded = (!status.is_open()).then(|| later(&mut rng).to_string());
        let outcome = (status == HandoffStatus::Done)
            .then(|| HandoffOutcome::ALL[rng.random_range(0..HandoffOutcome::ALL.len())].code());
        let due = status
            .is_open()
            .then(|| (sent + chrono::Duration::days(30)).to_string());
        hand.execute(params![
            uuid::Uuid::new_v4().as_bytes().to_vec(),
            case,
            kind,
            target,
            to,
            sent.to_string(),
            due,
            status.code(),
            outcome,
            accepted,
            concluded
        ])
        .unwrap();
    }
}

fn report(name: &str, mut t: Vec<Duration>) {
    t.sort();
    println!(
        "{name}: n={} p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms",
        t.len(),
        percentile(&t, 0.5).as_secs_f64() * 1e3,
        percentile(&t, 0.9).as_secs_f64() * 1e3,
        t.last().unwrap().as_secs_f64() * 1e3
    );
}

fn bench(c: &mut Criterion) {
    let path = district();
    let store = Store::open(&path).unwrap();
    let stations = store.stations().unwrap();
    assert_eq!(stations.len(), STATIONS);
    let month = (
        NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
    );
    let year = (first_day(), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
    let f = store.figures_on(month.0, month.1, None, today()).unwrap();
    println!(
        "this month, all stations: {} people served ({} named), {} cases opened, {} open at the end",
        f.visits.headcount, f.visits.named, f.cases.opened, f.cases.open_at_end
    );
    println!(
        "referrals sent this month: {} ({} escalations); respondents with open cases at several stations: {}",
        f.referrals.sent(),
        f.referrals.escalations(),
        f.referrals.respondents_at_several_stations
    );
    let one = stations.iter().find(|s| s.code == "S150").unwrap().id;

    report(
        "figures this month, all 300 stations",
        timed(10, 2, |_| {
            store.figures_on(month.0, month.1, None, today()).unwrap();
        }),
    );
    report(
        "figures this month, one station",
        timed(20, 2, |_| {
            store
                .figures_on(month.0, month.1, Some(one), today())
                .unwrap();
        }),
    );
    report(
        "figures this year, all 300 stations",
        timed(3, 1, |_| {
            store.figures_on(year.0, year.1, None, today()).unwrap();
        }),
    );
    let mut g = c.benchmark_group("figures");
    g.sample_size(10);
    g.bench_function("this_month_all_stations", |b| {
        b.iter(|| store.figures_on(month.0, month.1, None, today()).unwrap())
    });
    g.bench_function("this_month_one_station", |b| {
        b.iter(|| {
            store
                .figures_on(month.0, month.1, Some(one), today())
                .unwrap()
        })
    });
    g.finish();

    // The pane's first frame: F4 pressed and drawn; the figures are counted
    // on their own thread meanwhile.
    let now = || Utc.with_ymd_and_hms(2026, 11, 22, 8, 0, 0).unwrap();
    let first = timed(10, 1, |_| {
        let mut app = App::new(Store::open(&path).unwrap(), Lang::ZhCn, now);
        app.db = Some(waystation::store::DbFile::clear(path.clone()));
        let admin = app
            .store
            .staff()
            .unwrap()
            .into_iter()
            .find(|s| s.role == waystation::domain::staff::Role::Admin)
            .expect("the bench database has an admin");
        app.sign_in_as(waystation::domain::access::Session {
            staff: admin.id,
            name: admin.name,
            role: admin.role,
        });
        app.load();
        let s = Instant::now();
        app.update(waystation::tui::action::Action::Show(PaneId::Figures));
        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        term.draw(|f| draw(f, &app)).unwrap();
        let drawn = s.elapsed();
        assert!(
            app.figures.counting(),
            "the figures were counted before the frame"
        );
        // Until the figures arrive, for the record.
        while app.busy() {
            app.poll_work();
            std::thread::sleep(Duration::from_millis(1));
        }
        println!(
            "  F4: first frame {:.2} ms, figures shown after {:.0} ms",
            drawn.as_secs_f64() * 1e3,
            s.elapsed().as_secs_f64() * 1e3
        );
    });
    report("F4 pressed to the figures shown (incl. first frame)", first);
}

criterion_group!(benches, bench);
criterion_main!(benches);
