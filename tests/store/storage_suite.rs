//! The storage suite: the same assertions over every way a database comes
//! to be.
//!
//! - created fresh (`Store::open` on a new path) and filled through the
//!   store's own writes, with a second station's operations applied and an
//!   erasure;
//! - bulk-loaded by the demo generator;
//! - upgraded from a database that the waystation of each released schema
//!   version wrote (`tests/fixtures/schema-vN.db`, made by
//!   `tests/fixtures/make.sh`; `schema-vN.txt` beside it holds that
//!   version's own `check` of the file);
//! - restored from a copy of a database, made while it was closed.
//!
//! Every way is one line of [`storage_suite!`], which gives it one test per
//! assertion. What a database must read as always comes from where it came
//! from: the writes made, the demo's summary, the old version's check
//! output, the original of a copy. Self-contained on purpose: no helper
//! from tests/common.
//!
//! When a schema version is released, pin its last commit in make.sh, make
//! its fixture (`tests/fixtures/make.sh N`) and add its line below.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc, Weekday};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;
use waystation::demo::{DemoSpec, generate};
use waystation::domain::case::{CaseStatus, CaseType, CloseReason, Outcome, Referral};
use waystation::domain::ids::{CaseId, PersonId, RuleId};
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonDetails, PersonInput, Trade};
use waystation::domain::schedule::{AvailabilityRule, CounsellorKind, Recurrence};
use waystation::domain::staff::Role;
use waystation::domain::visit::Services;
use waystation::store::AuditAction;
use waystation::store::Hit;
use waystation::store::{APPLICATION_ID, Entity, SCHEMA_VERSION, Store, StoreError};
use waystation::store::{CaseQuery, QueueSort, StatusFilter};
use waystation::store::{NewCase, StatusChange};

// ---------------------------------------------------------------------
// The ways

/// One line per way a database comes to be: `name => expression giving a
/// Made;`. Each gives a module of that name with every test of the suite.
macro_rules! storage_suite {
    ($($way:ident => $made:expr;)+) => {
        $(
            mod $way {
                use super::*;

                fn made() -> Made {
                    $made
                }

                #[test]
                fn opens_at_the_current_version() {
                    super::opens_at_the_current_version(made());
                }

                #[test]
                fn check_passes() {
                    super::check_passes(made());
                }

                #[test]
                fn records_read_as_where_they_came_from() {
                    super::records_read_as_where_they_came_from(made());
                }

                #[test]
                fn replay_of_the_log_gives_the_same_records() {
                    super::replay_of_the_log_gives_the_same_records(made());
                }

                #[test]
                fn second_open_changes_nothing() {
                    super::second_open_changes_nothing(made());
                }

                #[test]
                fn schema_is_the_current_one() {
                    super::schema_is_the_current_one(made());
                }

                #[test]
                fn newer_schema_is_refused() {
                    super::newer_schema_is_refused(made());
                }
            }
        )+
    };
}

storage_suite! {
    fresh => fresh();
    demo => demo();
    schema_v1 => upgraded(1);
    schema_v2 => upgraded(2);
    schema_v3 => upgraded(3);
    schema_v4 => upgraded(4);
    schema_v5 => upgraded(5);
    schema_v6 => upgraded(6);
    schema_v7 => upgraded(7);
    schema_v8 => upgraded(8);
    copy_of_fresh => restored(fresh);
    copy_of_demo => restored(demo);
    copy_of_schema_v1 => restored(|| upgraded(1));
    copy_of_schema_v5 => restored(|| upgraded(5));
}

/// A database as one way left it: closed, alone in a temporary folder.
struct Made {
    dir: TempDir,
    path: PathBuf,
    /// `PRAGMA user_version` of the file as made (before this version
    /// opens it, for an upgrade).
    version: i64,
    /// People and cases to look up, read from the file as made.
    probes: Probes,
    expect: Expect,
}

/// What a made database must read as once this version has opened it.
#[derive(Debug, Default)]
struct Expect {
    /// Records per table; a table not listed is not compared.
    counts: BTreeMap<String, u64>,
    /// Operations in the log.
    ops: Option<u64>,
    /// Records that wait for one they refer to.
    waiting: u64,
    /// The digest of the records.
    digest: Option<String>,
    /// An older version's digest, of the tables and columns it had.
    old_digest: Option<(Shape, String)>,
}

/// Tables and their columns (besides `id`), in the order a digest reads
/// them.
type Shape = Vec<(String, Vec<String>)>;

#[derive(Debug, Default)]
struct Probes {
    /// Named people: id, name, mobile.
    people: Vec<(PersonId, String, Option<String>)>,
    cases: Vec<CaseId>,
}

fn fixture(n: u32, ext: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/schema-v{n}.{ext}"))
}

/// Upgraded: a copy of the database schema version `n` wrote; what it must
/// read as is what that version's own `check` printed.
fn upgraded(n: u32) -> Made {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join(format!("schema-v{n}.db"));
    std::fs::copy(fixture(n, "db"), &path).unwrap();
    let printed = std::fs::read_to_string(fixture(n, "txt")).unwrap();
    let old = OldCheck::parse(&printed);
    assert!(
        old.ok,
        "schema v{n}'s own check of its fixture did not pass"
    );
    assert_eq!(user_version(&path), i64::from(n), "schema of the fixture");
    let shape = shape_of(&path);
    // Every kind the current version knows: the ones the old version
    // printed with its counts, the others empty.
    let mut counts = BTreeMap::new();
    for e in Entity::ALL {
        let name = e.table().name.to_owned();
        let n = old.counts.get(&name).copied().unwrap_or(0);
        counts.insert(name, n);
    }
    for name in old.counts.keys() {
        assert!(
            counts.contains_key(name),
            "the old version had a kind {name} unknown now"
        );
    }
    Made {
        version: user_version(&path),
        probes: probes_of(&path),
        expect: Expect {
            counts,
            ops: Some(old.ops),
            waiting: old.waiting,
            digest: None,
            old_digest: Some((shape, old.digest)),
        },
        path,
        dir,
    }
}

/// Bulk-loaded by the demo generator into a new database.
fn demo() -> Made {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("demo.db");
    let summary = {
        let mut store = Store::open(&path).unwrap();
        let spec = DemoSpec {
            code: "FT".into(),
            name: None,
            people: 40,
            visits: 300,
            cases: 25,
            seed: 7,
            today: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
        };
        generate(&mut store, &spec, &mut |_, _, _| {}).unwrap()
    };
    let counts = [
        ("staff", summary.staff),
        ("people", summary.people),
        ("visits", summary.visits),
        ("cases", summary.cases),
        ("counsellors", summary.counsellors),
        ("appointments", summary.appointments),
    ];
    Made {
        version: user_version(&path),
        probes: probes_of(&path),
        expect: Expect {
            counts: counts
                .iter()
                .map(|(t, n)| (t.to_string(), u64::from(*n)))
                .collect(),
            ops: Some(summary.ops),
            ..Expect::default()
        },
        path,
        dir,
    }
}

/// Created by `Store::open` on a new path and filled through the store's
/// writes: every kind of record, edits, a status change, a removed
/// claimant, a second station's operations with a conflict, an erasure.
fn fresh() -> Made {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("fresh.db");
    let made = {
        let mut store = Store::open(&path).unwrap();
        store
            .init_station("FT", "福田区总工会 爱心驿站", "Asia/Shanghai")
            .unwrap();
        fill(&mut store)
    };
    Made {
        version: user_version(&path),
        probes: probes_of(&path),
        expect: Expect {
            counts: made.into_iter().map(|(t, n)| (t.to_owned(), n)).collect(),
            ..Expect::default()
        },
        path,
        dir,
    }
}

/// Restored: the database another way made, opened once by this version,
/// then copied while closed to another folder; the copy must read as the
/// original does.
fn restored(original: fn() -> Made) -> Made {
    let original = original();
    // The original as this version left it: opened (upgraded) and closed.
    drop(Store::open(&original.path).unwrap());
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("restored.db");
    std::fs::copy(&original.path, &path).unwrap();
    for ext in ["-wal", "-shm"] {
        let mut side = original.path.clone().into_os_string();
        side.push(ext);
        assert!(!Path::new(&side).exists(), "a closed database left {ext}");
    }
    let (report, digest) = {
        let store = Store::open(&original.path).unwrap();
        (store.check().unwrap(), store.digest().unwrap())
    };
    Made {
        version: user_version(&path),
        probes: probes_of(&path),
        expect: Expect {
            counts: report
                .counts
                .iter()
                .map(|(e, n)| (e.table().name.to_owned(), *n))
                .collect(),
            ops: Some(report.ops),
            waiting: report.waiting,
            digest: Some(digest),
            old_digest: None,
        },
        path,
        dir,
    }
}

// ---------------------------------------------------------------------
// The assertions

fn opens_at_the_current_version(m: Made) {
    assert!(
        m.version >= 1 && m.version <= SCHEMA_VERSION,
        "made at {}",
        m.version
    );
    let store = Store::open(&m.path).unwrap();
    let conn = Connection::open(&m.path).unwrap();
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, SCHEMA_VERSION);
    assert_eq!(app, APPLICATION_ID);
    // The records are there to be read.
    assert!(
        store.station().unwrap().is_some(),
        "no station after opening"
    );
}

fn check_passes(m: Made) {
    let store = Store::open(&m.path).unwrap();
    let report = store.check().unwrap();
    assert!(report.is_ok(), "check found: {:#?}", report.problems);
    assert_eq!(report.waiting, m.expect.waiting);
}

fn records_read_as_where_they_came_from(m: Made) {
    let store = Store::open(&m.path).unwrap();
    let report = store.check().unwrap();
    let counts: BTreeMap<String, u64> = report
        .counts
        .iter()
        .map(|(e, n)| (e.table().name.to_owned(), *n))
        .collect();
    assert!(!m.expect.counts.is_empty());
    for (table, n) in &m.expect.counts {
        assert_eq!(counts.get(table), Some(n), "records in {table}");
    }
    if let Some(ops) = m.expect.ops {
        assert_eq!(report.ops, ops, "operations in the log");
    }
    if let Some(digest) = &m.expect.digest {
        assert_eq!(&report.digest, digest, "digest");
    }
    if let Some((shape, digest)) = &m.expect.old_digest {
        assert_eq!(
            &digest_of(&m.path, shape),
            digest,
            "the records of the kinds and fields the old version had differ from what it read"
        );
    }
}

fn replay_of_the_log_gives_the_same_records(m: Made) {
    let store = Store::open(&m.path).unwrap();
    let ops = store.all_ops().unwrap();
    assert!(!ops.is_empty());
    let mut replay = Store::open(&m.dir.path().join("replay.db")).unwrap();
    let applied = replay.apply_remote(&ops).unwrap();
    assert_eq!(applied.new_ops, ops.len());
    assert_eq!(applied.waiting as u64, m.expect.waiting);

    let report = replay.check().unwrap();
    assert!(
        report.is_ok(),
        "check of the replay found: {:#?}",
        report.problems
    );
    assert_eq!(replay.digest().unwrap(), store.digest().unwrap(), "digest");
    let conflicts = |s: &Store| {
        let mut c = s.record_conflicts().unwrap();
        c.sort_by_key(|c| (c.id, c.field.clone(), c.loser));
        c
    };
    assert_eq!(conflicts(&replay), conflicts(&store), "conflicts list");

    // Lookups: each probe is found, and both read alike.
    assert!(!m.probes.people.is_empty() && !m.probes.cases.is_empty());
    for (id, name, mobile) in &m.probes.people {
        let mut queries = vec![name.clone()];
        if let Some(mobile) = mobile {
            queries.push(mobile.clone());
            queries.push(mobile[mobile.len() - 4..].to_owned());
        }
        for q in &queries {
            let hits = store.lookup(q, 50).unwrap();
            if q == name || Some(q) == mobile.as_ref() {
                assert!(
                    hits.iter()
                        .any(|h| matches!(h, Hit::Person(p) if p.id == *id)),
                    "lookup of {q} does not find {name}"
                );
            }
            assert_eq!(replay.lookup(q, 50).unwrap(), hits, "lookup of {q}");
        }
    }
    for id in &m.probes.cases {
        let number = store
            .case(*id)
            .unwrap()
            .expect("probed case")
            .number
            .to_string();
        let hits = store.lookup(&number, 10).unwrap();
        assert!(
            matches!(hits.as_slice(), [Hit::Case(c)] if c.id == *id),
            "lookup of {number}: {hits:?}"
        );
        assert_eq!(
            replay.lookup(&number, 10).unwrap(),
            hits,
            "lookup of {number}"
        );
    }

    // The case queue, in each order, and its header.
    let cases = store
        .check()
        .unwrap()
        .counts
        .iter()
        .find(|(e, _)| *e == Entity::Case)
        .map(|(_, n)| *n as usize)
        .unwrap();
    for sort in [
        QueueSort::FollowUp,
        QueueSort::Age,
        QueueSort::Amount,
        QueueSort::Number,
    ] {
        for status in [None, Some(StatusFilter::Open)] {
            let q = CaseQuery {
                status,
                sort,
                limit: 10_000,
                ..CaseQuery::default()
            };
            let queue = store.case_queue(&q).unwrap();
            if status.is_none() {
                assert_eq!(queue.len(), cases, "the queue of every status");
            }
            assert_eq!(replay.case_queue(&q).unwrap(), queue, "{q:?}");
        }
    }
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert_eq!(
        replay.case_counts(day).unwrap(),
        store.case_counts(day).unwrap()
    );
}

fn second_open_changes_nothing(m: Made) {
    let first = Seen::of(&m.path);
    let second = Seen::of(&m.path);
    assert_eq!(first, second);
}

fn schema_is_the_current_one(m: Made) {
    drop(Store::open(&m.path).unwrap());
    let empty = m.dir.path().join("empty.db");
    drop(Store::open(&empty).unwrap());
    let (have, want) = (schema_of(&m.path), schema_of(&empty));
    let missing: Vec<_> = want.iter().filter(|o| !have.contains(o)).collect();
    let extra: Vec<_> = have.iter().filter(|o| !want.contains(o)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "schema differs from a new database's: missing {missing:#?}, instead {extra:#?}"
    );
}

fn newer_schema_is_refused(m: Made) {
    let conn = Connection::open(&m.path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let before = schema_of(&m.path);
    match Store::open(&m.path) {
        Err(StoreError::TooNew { found, supported }) => {
            assert_eq!((found, supported), (SCHEMA_VERSION + 1, SCHEMA_VERSION));
        }
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("a database of a newer schema was opened"),
    }
    // Refused before touching anything.
    assert_eq!(user_version(&m.path), SCHEMA_VERSION + 1);
    assert_eq!(schema_of(&m.path), before);
}

// ---------------------------------------------------------------------
// Helpers

/// What one open of a database shows.
#[derive(Debug, PartialEq)]
struct Seen {
    version: i64,
    replica: uuid::Uuid,
    last_seq: i64,
    ops: u64,
    digest: String,
    schema: Vec<(String, String, String)>,
}

impl Seen {
    fn of(path: &Path) -> Seen {
        let store = Store::open(path).unwrap();
        let seen = Seen {
            version: user_version(path),
            replica: store.replica_id().0,
            last_seq: store.last_seq().unwrap(),
            ops: store.all_ops().unwrap().len() as u64,
            digest: store.digest().unwrap(),
            schema: schema_of(path),
        };
        assert_eq!(seen.version, SCHEMA_VERSION);
        seen
    }
}

fn read_only(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn user_version(path: &Path) -> i64 {
    read_only(path)
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// Every table and index (type, name, SQL with its spacing evened out).
fn schema_of(path: &Path) -> Vec<(String, String, String)> {
    let conn = read_only(path);
    let mut stmt = conn
        .prepare(
            "SELECT type, name, sql FROM sqlite_schema
             WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
        )
        .unwrap();
    stmt.query_map([], |r| {
        let sql: Option<String> = r.get(2)?;
        let sql = sql.unwrap_or_default();
        Ok((
            r.get(0)?,
            r.get(1)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// The record tables a file has and their columns, in the order of the
/// current version's digest (which lists new fields after the old ones).
fn shape_of(path: &Path) -> Shape {
    let conn = read_only(path);
    let mut shape = Vec::new();
    for e in Entity::ALL {
        let table = e.table();
        let mut stmt = conn
            .prepare("SELECT name FROM pragma_table_info(?1)")
            .unwrap();
        let have: Vec<String> = stmt
            .query_map([table.name], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        if have.is_empty() {
            continue;
        }
        let cols: Vec<String> = table
            .cols
            .iter()
            .map(|(c, _)| c.to_string())
            .filter(|c| have.contains(c))
            .collect();
        // The file has no field the current version does not know.
        assert_eq!(
            cols.len() + 1,
            have.len(),
            "fields of {}: {have:?}",
            table.name
        );
        shape.push((table.name.to_owned(), cols));
    }
    shape
}

/// The digest `check` computes, over the tables and columns of `shape`
/// only: what a version whose records had that shape printed.
fn digest_of(path: &Path, shape: &Shape) -> String {
    let conn = read_only(path);
    let mut h = blake3::Hasher::new();
    for (table, cols) in shape {
        h.update(table.as_bytes());
        h.update(&[0]);
        let sql = format!("SELECT id, {} FROM {table} ORDER BY id", cols.join(", "));
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..=cols.len() {
                match row.get_ref(i).unwrap() {
                    ValueRef::Null => {
                        h.update(&[0]);
                    }
                    ValueRef::Integer(v) => {
                        h.update(&[1]);
                        h.update(&v.to_le_bytes());
                    }
                    ValueRef::Real(v) => {
                        h.update(&[2]);
                        h.update(&v.to_bits().to_le_bytes());
                    }
                    ValueRef::Text(t) => {
                        h.update(&[3]);
                        h.update(&(t.len() as u64).to_le_bytes());
                        h.update(t);
                    }
                    ValueRef::Blob(b) => {
                        h.update(&[4]);
                        h.update(&(b.len() as u64).to_le_bytes());
                        h.update(b);
                    }
                }
            }
        }
        h.update(&[0xff]);
    }
    h.finalize().to_hex().to_string()
}

/// A few named people with a mobile, and a few cases, spread over the
/// file (ids are time-ordered: first, middle and last).
fn probes_of(path: &Path) -> Probes {
    let conn = read_only(path);
    let spread = |ids: Vec<Vec<u8>>| -> Vec<Vec<u8>> {
        let n = ids.len();
        let mut picked: Vec<Vec<u8>> = [0, n / 2, n.saturating_sub(1)]
            .into_iter()
            .filter(|i| *i < n)
            .map(|i| ids[i].clone())
            .collect();
        picked.dedup();
        picked
    };
    let query_ids = |sql: &str| -> Vec<Vec<u8>> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let people = spread(query_ids(
        "SELECT id FROM people WHERE name <> '' AND mobile IS NOT NULL ORDER BY id",
    ))
    .into_iter()
    .map(|id| {
        let (name, mobile) = conn
            .query_row(
                "SELECT name, mobile FROM people WHERE id = ?1",
                [&id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        (PersonId(uuid::Uuid::from_slice(&id).unwrap()), name, mobile)
    })
    .collect();
    let cases = spread(query_ids("SELECT id FROM cases ORDER BY id"))
        .into_iter()
        .map(|id| CaseId(uuid::Uuid::from_slice(&id).unwrap()))
        .collect();
    Probes { people, cases }
}

/// What an old version's `waystation check` printed (see schema-vN.txt).
struct OldCheck {
    counts: BTreeMap<String, u64>,
    ops: u64,
    waiting: u64,
    ok: bool,
    digest: String,
}

impl OldCheck {
    fn parse(text: &str) -> OldCheck {
        let mut counts = BTreeMap::new();
        let (mut ops, mut waiting, mut ok, mut digest) = (None, 0, false, None);
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (key, value) = line
                .split_once(": ")
                .unwrap_or_else(|| panic!("not a check line: {line}"));
            match key {
                "operations" => ops = Some(value.parse().unwrap()),
                "check" => ok = value == "ok",
                "digest" => digest = Some(value.to_owned()),
                "problem" => {}
                k if k.starts_with("waiting") => {
                    waiting = value.split_whitespace().next().unwrap().parse().unwrap()
                }
                table => {
                    counts.insert(table.to_owned(), value.parse().unwrap());
                }
            }
        }
        OldCheck {
            counts,
            ops: ops.expect("no operations line"),
            waiting,
            ok,
            digest: digest.expect("no digest line"),
        }
    }
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn person(name: &str, mobile: &str, trade: Trade) -> PersonDetails {
    PersonInput {
        name: name.into(),
        mobile: mobile.into(),
        trade: Some(trade),
        employer: "顺丰速运".into(),
        ..PersonInput::default()
    }
    .validate()
    .unwrap()
}

/// Writes records of every kind through the store; how many each table
/// got.
fn fill(store: &mut Store) -> Vec<(&'static str, u64)> {
    const PEOPLE: [(&str, &str, Trade); 6] = [
        ("张三", "13812345678", Trade::Courier),
        ("李四", "13912345679", Trade::FoodDelivery),
        ("王五", "13712345670", Trade::Sanitation),
        ("欧阳娜娜", "13612345671", Trade::RideHail),
        ("单雄信", "13512345672", Trade::Construction),
        ("吕布", "13412345673", Trade::Security),
    ];
    let mut w = store.begin(None).unwrap();
    let handler = w.add_staff("王芳", Role::Staff).unwrap();
    let people: Vec<PersonId> = PEOPLE
        .iter()
        .map(|(n, m, t)| w.add_person(&person(n, m, *t)).unwrap())
        .collect();
    w.commit().unwrap();

    let mut visits = 0;
    let mut w = store.begin(None).unwrap();
    for (i, p) in people.iter().enumerate() {
        let v = w
            .check_in(*p, Services::default(), at(10 + i as u32, 9))
            .unwrap();
        visits += 1;
        if i % 2 == 0 {
            w.mark_left(v, at(10 + i as u32, 11)).unwrap();
        }
    }
    w.tally(Trade::Sanitation, 3, at(18, 10)).unwrap();
    visits += 1;
    w.update_person(people[1], &person("李四明", "13912345679", Trade::Truck))
        .unwrap();
    w.commit().unwrap();

    let mut cases = 0;
    let mut claimants = 0;
    let mut notes = 0;
    let mut w = store.begin(None).unwrap();
    for (i, pair) in people.chunks(2).enumerate() {
        let (case, _) = w
            .open_case(&NewCase {
                case_type: [CaseType::WageArrears, CaseType::WorkInjury, CaseType::Other][i],
                hardship_kind: None,
                claimants: pair.iter().map(|&p| p.into()).collect(),
                respondent: Some(format!("深圳市某某物流有限公司{i}")),
                summary: Some("拖欠三个月工资".into()),
                claimed: Fen(1_250_000 * (i as i64 + 1)),
                handler: (i != 1).then_some(handler),
                follow_up: NaiveDate::from_ymd_opt(2026, 11, 25 + i as u32),
                opened_at: at(12 + i as u32, 10),
            })
            .unwrap();
        cases += 1;
        claimants += pair.len() as u64;
        w.add_note(case, "电话联系了雇主，约定下周面谈。").unwrap();
        notes += 1;
        match i {
            0 => {
                w.set_status(case, StatusChange::To(CaseStatus::InProgress), at(13, 9))
                    .unwrap();
                w.set_status(
                    case,
                    StatusChange::Resolve {
                        outcome: Outcome::Agreement,
                        recovered: Fen(1_000_000),
                    },
                    at(19, 9),
                )
                .unwrap();
            }
            1 => {
                w.refer(case, Some(Referral::Arbitration)).unwrap();
                w.remove_claimant(case, pair[1]).unwrap();
            }
            _ => {
                w.set_status(
                    case,
                    StatusChange::Close {
                        reason: CloseReason::Unreachable,
                    },
                    at(19, 10),
                )
                .unwrap();
            }
        }
    }
    w.commit().unwrap();

    let mut w = store.begin(None).unwrap();
    let counsellor = w.add_counsellor("陈静", CounsellorKind::Legal).unwrap();
    w.add_rule(&AvailabilityRule {
        id: RuleId::new(),
        counsellor,
        recurrence: Recurrence::Weekly(Weekday::Tue),
        start: NaiveTime::from_hms_opt(14, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        slot_minutes: 60,
        valid_from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        valid_until: None,
    })
    .unwrap();
    w.commit().unwrap();
    let tuesday = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let slots = store.free_slots(counsellor, tuesday).unwrap();
    let mut w = store.begin(None).unwrap();
    for (slot, p) in slots.iter().zip(&people) {
        w.book(counsellor, *p, tuesday, *slot, at(20, 9)).unwrap();
    }
    let appointments = slots.len().min(people.len()) as u64;
    w.add_to_waitlist(
        people[5],
        None,
        CounsellorKind::Legal,
        tuesday,
        Some("下午可以"),
    )
    .unwrap();
    w.commit().unwrap();
    store
        .record_audit(
            AuditAction::Export,
            waystation::store::About::Records("people"),
            &serde_json::json!({"rows": 6}),
        )
        .unwrap();

    // A second station learns everything, and both rename one person apart:
    // a conflict, listed here once its operations arrive.
    let mut other = Store::open_in_memory().unwrap();
    other
        .init_station("NS", "南山区总工会 爱心驿站", "Asia/Shanghai")
        .unwrap();
    other.apply_remote(&store.all_ops().unwrap()).unwrap();
    for (s, name) in [(&mut *store, "王五一"), (&mut other, "王五二")] {
        let mut w = s.begin(None).unwrap();
        w.update_person(people[2], &person(name, "13712345670", Trade::Sanitation))
            .unwrap();
        w.commit().unwrap();
    }
    let mut w = other.begin(None).unwrap();
    let theirs = w
        .add_person(&person("赵六", "13312345674", Trade::HomeService))
        .unwrap();
    w.check_in(theirs, Services::default(), at(20, 8)).unwrap();
    w.commit().unwrap();
    store.apply_remote(&other.all_ops().unwrap()).unwrap();
    assert!(store.conflict_count().unwrap() > 0, "no conflict was made");

    // An admin erases a person on request.
    store.create_first_admin("刘敏", "2468").unwrap();
    store.erase_person(people[4]).unwrap();

    vec![
        ("stations", 2),
        ("staff", 2),
        ("people", people.len() as u64 + 1),
        ("visits", visits + 1),
        ("cases", cases),
        ("case_claimants", claimants),
        ("case_notes", notes),
        ("counsellors", 1),
        ("availability_rules", 1),
        ("appointments", appointments),
        ("waitlist", 1),
        // Two staff changes (王芳 added, the first admin added), the
        // export, the admin's sign-in, the erasure.
        ("audit_log", 5),
    ]
}
