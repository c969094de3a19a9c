//! Erasure on request travels with sync and wins: a person erased on one
//! replica while the others edit them — in any delivery order, duplicated,
//! relayed, with clocks days apart — ends with empty personal fields on
//! every replica, and none of the old values is left in any replica's
//! operation log. The records still converge (equal digests), `check`
//! passes everywhere, and someone else's data is untouched.
//!
//! The same through real bundle files in a shared folder and on a stick.

use crate::common;

use std::cell::Cell;
use std::path::Path;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{PersonDetails, Trade};
use waystation::domain::resident_id::check_char;
use waystation::domain::visit::Services;
use waystation::domain::{Mobile, ResidentId};
use waystation::store::Choice;
use waystation::store::Hit;
use waystation::store::LoggedOp;
use waystation::store::{Store, StoreError};

// ---------------------------------------------------------------------------
// Clocks: a simulated "now" for the run, each replica off by its own skew.

const N: usize = 3;
const DAY_MS: i64 = 86_400_000;

thread_local! {
    static NOW: Cell<i64> = const { Cell::new(0) };
    static SKEW: [Cell<i64>; N] = const { [const { Cell::new(0) }; N] };
}

fn clock_of(r: usize) -> u64 {
    u64::try_from(NOW.with(Cell::get) + SKEW.with(|s| s[r].get())).unwrap_or(0)
}
fn clock0() -> u64 {
    clock_of(0)
}
fn clock1() -> u64 {
    clock_of(1)
}
fn clock2() -> u64 {
    clock_of(2)
}
const CLOCKS: [fn() -> u64; N] = [clock0, clock1, clock2];

fn reset_clocks(skews: &[i64]) {
    NOW.with(|n| n.set(common::at(2026, 11, 20, 8).timestamp_millis()));
    SKEW.with(|s| {
        for (c, k) in s.iter().zip(skews) {
            c.set(*k);
        }
    });
}

// ---------------------------------------------------------------------------
// Values: every personal value a run writes is new, so that finding one in
// a log afterwards can only mean it survived.

/// The n-th value of a personal field: 0 name, 1 mobile, 2 resident ID,
/// 3 employer, 4 date of joining the union.
fn value(field: u8, n: u32) -> String {
    match field {
        0 => format!("工人{n:03}号"),
        1 => format!("139{n:08}"),
        2 => {
            let first: String = format!("11010519900101{:03}", n % 1000);
            let bytes: [u8; 17] = first.as_bytes().try_into().unwrap();
            format!("{first}{}", check_char(&bytes))
        }
        3 => format!("平台{n}号公司"),
        _ => (NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + Duration::days(i64::from(n)))
            .to_string(),
    }
}

/// Sets personal field `field` of `d` to its n-th value.
fn set(d: &mut PersonDetails, field: u8, n: u32) {
    let v = value(field, n);
    match field {
        0 => d.name = v,
        1 => d.mobile = Some(Mobile::parse(&v).unwrap()),
        2 => d.resident_id = Some(ResidentId::parse(&v).unwrap()),
        3 => d.employer = Some(v),
        _ => d.union_joined = NaiveDate::parse_from_str(&v, "%Y-%m-%d").ok(),
    }
}

/// A person with every personal field at its n-th value.
fn details(n: u32) -> PersonDetails {
    let mut d = common::details("临时", "", Trade::Courier);
    d.union_member = true;
    for f in 0..5 {
        set(&mut d, f, n);
    }
    d
}

/// The values that must be gone: those of fields 0–4 for numbers
/// `0..upto` (the bystander's are above).
fn old_values(upto: u32) -> Vec<String> {
    (0..upto)
        .flat_map(|n| (0..5).map(move |f| value(f, n)))
        .collect()
}

/// Numbers from here on belong to the bystander, whose data must survive.
const BYSTANDER: u32 = 900;

// ---------------------------------------------------------------------------
// Replicas.

fn replicas(skews: &[i64]) -> Vec<Store> {
    reset_clocks(skews);
    (0..N)
        .map(|i| {
            let mut s = Store::open_in_memory().unwrap();
            s.set_clock(CLOCKS[i]);
            s.init_station(["FT", "NS", "ZB"][i], "驿站", "Asia/Shanghai")
                .unwrap();
            common::sign_in_admin(&mut s, ["王芳", "李强", "赵敏"][i]);
            s
        })
        .collect()
}

fn add(s: &mut Store, d: &PersonDetails) -> PersonId {
    let mut w = s.begin(None).unwrap();
    let id = w.add_person(d).unwrap();
    w.commit().unwrap();
    id
}

/// Everyone gets everything, in two rounds so that relayed operations
/// arrive too.
fn exchange_all(rs: &mut [Store]) {
    for _ in 0..2 {
        for from in 0..rs.len() {
            let ops = rs[from].all_ops().unwrap();
            for (to, r) in rs.iter_mut().enumerate() {
                if to != from {
                    r.apply_remote(&ops).unwrap();
                }
            }
        }
    }
}

/// The payloads of a log as text.
fn payloads(ops: &[LoggedOp]) -> Vec<String> {
    ops.iter()
        .map(|o| serde_json::Value::Object(o.fields.clone()).to_string())
        .collect()
}

/// The old values found in `texts`, as JSON strings.
fn leaks(texts: &[String], old: &[String]) -> Vec<String> {
    old.iter()
        .filter(|v| {
            let quoted = format!("\"{v}\"");
            texts.iter().any(|t| t.contains(&quoted))
        })
        .cloned()
        .collect()
}

fn assert_erased(s: &Store, p: PersonId, old: &[String], who: &str) {
    let d = s.person(p).unwrap().expect("the record stays").details;
    assert_eq!(d.name, "", "{who}");
    assert_eq!(
        (&d.mobile, &d.resident_id, &d.employer, &d.union_joined),
        (&None, &None, &None, &None),
        "{who}"
    );
    let log = payloads(&s.all_ops().unwrap());
    let found = leaks(&log, old);
    assert!(found.is_empty(), "{who}: {found:?} still in the log");
    let conflicts = format!("{:?}", s.record_conflicts().unwrap());
    for v in old {
        assert!(!conflicts.contains(v.as_str()), "{who}: {v} listed");
    }
    for v in old {
        let hits = s.lookup(v, 10).unwrap();
        assert!(
            !hits
                .iter()
                .any(|h| matches!(h, Hit::Person(x) if x.id == p)),
            "{who}: {v} still finds the person"
        );
    }
    let report = s.check().unwrap();
    assert!(report.is_ok(), "{who}: {:?}", report.problems);
}

// ---------------------------------------------------------------------------
// The property.

#[derive(Debug, Clone)]
enum Step {
    /// Replica r sets personal field f (0–4) of the person to a new value.
    Edit(usize, u8),
    /// Replica r changes the person's trade (identifies nobody: kept).
    Trade(usize, u8),
    /// Replica r checks the person in (counted in figures by id).
    CheckIn(usize),
    /// Replica `to` applies a selection of `from`'s log: a window, maybe
    /// reversed and duplicated. `from`'s log holds what it relays.
    Deliver {
        from: usize,
        to: usize,
        skip: usize,
        take: usize,
        reverse: bool,
        twice: bool,
    },
    /// Time passes (milliseconds).
    Wait(u32),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..N, 0..5u8).prop_map(|(r, f)| Step::Edit(r, f)),
        1 => (0..N, any::<u8>()).prop_map(|(r, t)| Step::Trade(r, t)),
        1 => (0..N).prop_map(Step::CheckIn),
        4 => (0..N, 0..N, 0..30usize, 1..40usize, any::<bool>(), any::<bool>()).prop_map(
            |(from, to, skip, take, reverse, twice)| Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice,
            }
        ),
        1 => (1..5_000u32).prop_map(Step::Wait),
    ]
}

struct Run {
    rs: Vec<Store>,
    person: PersonId,
    bystander: PersonId,
    /// The next new value's number.
    next: u32,
}

impl Run {
    fn new(skews: &[i64]) -> Run {
        let mut rs = replicas(skews);
        let person = add(&mut rs[0], &details(0));
        let bystander = add(&mut rs[1], &details(BYSTANDER));
        Run {
            rs,
            person,
            bystander,
            next: 1,
        }
    }

    fn holds(&self, r: usize) -> Option<PersonDetails> {
        self.rs[r].person(self.person).unwrap().map(|p| p.details)
    }

    fn step(&mut self, st: &Step) {
        NOW.with(|n| n.set(n.get() + 10));
        match *st {
            Step::Edit(r, f) => {
                let Some(mut d) = self.holds(r) else { return };
                let erased = d.name.is_empty();
                set(&mut d, f, self.next);
                self.next += 1;
                let mut w = self.rs[r].begin(None).unwrap();
                match w.update_person(self.person, &d) {
                    Ok(()) => w.commit().unwrap(),
                    Err(StoreError::NotFound("person")) => {
                        assert!(erased, "refused only once erased here")
                    }
                    Err(e) => panic!("{e}"),
                }
            }
            Step::Trade(r, t) => {
                let Some(mut d) = self.holds(r) else { return };
                d.trade = Trade::ALL[t as usize % Trade::ALL.len()];
                let mut w = self.rs[r].begin(None).unwrap();
                w.update_person(self.person, &d).unwrap();
                w.commit().unwrap();
            }
            Step::CheckIn(r) => {
                if self.holds(r).is_none() {
                    return;
                }
                let mut w = self.rs[r].begin(None).unwrap();
                w.check_in(self.person, Services::EMPTY, common::at(2026, 11, 20, 3))
                    .unwrap();
                w.commit().unwrap();
            }
            Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice,
            } => {
                if from == to {
                    return;
                }
                let mut ops: Vec<LoggedOp> = self.rs[from]
                    .all_ops()
                    .unwrap()
                    .into_iter()
                    .skip(skip)
                    .take(take)
                    .collect();
                if reverse {
                    ops.reverse();
                }
                if twice {
                    ops.extend(ops.clone());
                }
                self.rs[to].apply_remote(&ops).unwrap();
            }
            Step::Wait(ms) => NOW.with(|n| n.set(n.get() + i64::from(ms))),
        }
    }

    /// Replica r erases the person (replica 0, which registered them, when
    /// r has not heard of them yet).
    fn erase(&mut self, r: usize) {
        let r = if self.holds(r).is_some() { r } else { 0 };
        self.rs[r].erase_person(self.person).unwrap();
    }
}

fn skew() -> impl Strategy<Value = i64> {
    prop_oneof![
        Just(0),
        Just(3 * DAY_MS),
        Just(-2 * DAY_MS),
        -DAY_MS..DAY_MS
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn an_erasure_wins_everywhere_in_any_delivery_order(
        skews in prop::collection::vec(skew(), N),
        before in prop::collection::vec(step(), 0..20),
        eraser in 0..N,
        after in prop::collection::vec(step(), 0..20),
    ) {
        let mut run = Run::new(&skews);
        for st in &before {
            run.step(st);
        }
        run.erase(eraser);
        for st in &after {
            run.step(st);
        }
        exchange_all(&mut run.rs);

        let digests: Vec<String> = run.rs.iter().map(|s| s.digest().unwrap()).collect();
        prop_assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
        let lists: Vec<_> = run.rs.iter().map(|s| s.record_conflicts().unwrap()).collect();
        prop_assert!(lists.iter().all(|l| *l == lists[0]), "{lists:?}");
        let old = old_values(run.next);
        for (i, s) in run.rs.iter().enumerate() {
            assert_erased(s, run.person, &old, &format!("replica {i}"));
            let other = s.person(run.bystander).unwrap().unwrap().details;
            prop_assert_eq!(other, details(BYSTANDER), "someone else's data stays");
        }
    }
}

// ---------------------------------------------------------------------------
// Deterministic cases.

#[test]
fn an_erasure_that_arrives_before_the_person_redacts_them_on_arrival() {
    let mut run = Run::new(&[0, 0, 0]);
    // Replica 1 learns the person, edits and erases them; replica 2 gets
    // the erasure (and the edit) first, the registration only later.
    let ops = run.rs[0].all_ops().unwrap();
    run.rs[1].apply_remote(&ops).unwrap();
    run.step(&Step::Edit(1, 0));
    run.erase(1);
    // The registration as replica 0 still holds it, old values and all.
    let is_create = |o: &LoggedOp| o.id == run.person.0 && o.kind == waystation::store::OP_CREATE;
    let create: Vec<LoggedOp> = run.rs[0]
        .all_ops()
        .unwrap()
        .into_iter()
        .filter(is_create)
        .collect();
    assert!(leaks(&payloads(&create), &old_values(1)).len() == 5);
    let rest: Vec<LoggedOp> = run.rs[1]
        .all_ops()
        .unwrap()
        .into_iter()
        .filter(|o| !is_create(o))
        .collect();
    run.rs[2].apply_remote(&rest).unwrap();
    assert!(run.rs[2].person(run.person).unwrap().is_none());
    run.rs[2].apply_remote(&create).unwrap();
    assert_erased(&run.rs[2], run.person, &old_values(run.next), "replica 2");
    exchange_all(&mut run.rs);
    let old = old_values(run.next);
    for (i, s) in run.rs.iter().enumerate() {
        assert_erased(s, run.person, &old, &format!("replica {i}"));
    }
}

#[test]
fn a_concurrent_edit_with_a_later_clock_does_not_bring_a_value_back() {
    // Replica 1's clock is three days ahead: its rename, made without
    // knowing the erasure, is later by the clock and wins the field — with
    // the wiped value.
    let mut run = Run::new(&[0, 3 * DAY_MS, 0]);
    exchange_all(&mut run.rs);
    // Two conflicting renames first, so the conflicts list holds old
    // values before the erasure.
    run.step(&Step::Edit(1, 0));
    run.step(&Step::Edit(2, 0));
    exchange_all(&mut run.rs);
    let listed = run.rs[0].conflicts().unwrap();
    assert!(!listed.is_empty(), "two renames made apart are listed");
    run.step(&Step::Edit(1, 0));
    run.step(&Step::Edit(1, 1));
    run.step(&Step::Trade(1, 3));
    run.erase(0);
    exchange_all(&mut run.rs);
    let old = old_values(run.next);
    for (i, s) in run.rs.iter().enumerate() {
        assert_erased(s, run.person, &old, &format!("replica {i}"));
        assert!(
            s.record_conflicts().unwrap().is_empty(),
            "replica {i}: nothing left to decide"
        );
        assert_eq!(
            s.person(run.person).unwrap().unwrap().details.trade,
            Trade::ALL[3 % Trade::ALL.len()],
            "an edit of what identifies nobody survives"
        );
    }
    assert_eq!(run.rs[0].digest().unwrap(), run.rs[1].digest().unwrap());
    // Deciding what was listed before cannot bring the loser back.
    for l in listed {
        assert!(matches!(
            run.rs[0].resolve_conflict(&l.key, Choice::Other),
            Err(StoreError::NotFound("conflict"))
        ));
    }
    assert_erased(&run.rs[0], run.person, &old, "replica 0, after deciding");
}

#[test]
fn figures_count_the_same_after_an_erasure_arrives() {
    let mut run = Run::new(&[0, 0, 0]);
    exchange_all(&mut run.rs);
    for r in 0..N {
        run.step(&Step::CheckIn(r));
    }
    exchange_all(&mut run.rs);
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let figures = |s: &Store| s.figures_on(day, day, None, day).unwrap();
    let before = figures(&run.rs[2]);
    assert_eq!(before.visits.named, 3);
    run.erase(0);
    exchange_all(&mut run.rs);
    for s in &run.rs {
        assert_eq!(figures(s), before);
    }
}

// ---------------------------------------------------------------------------
// Through bundle files.

mod folder {
    use super::*;
    use waystation::sync::bundle::{KdfParams, NetworkId, NetworkKey, read_bundle};
    use waystation::sync::folder::{SyncReport, create_network, scan, sync};

    fn network() -> (NetworkId, NetworkKey) {
        let id = NetworkId::new();
        let key =
            NetworkKey::derive_with_params("一街一月两次", id, KdfParams::FAST_INSECURE).unwrap();
        (id, key)
    }

    fn new_folder(dir: &Path, name: &str, net: &(NetworkId, NetworkKey)) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::create_dir_all(&p).unwrap();
        create_network(&p, net.0, &net.1).unwrap();
        p
    }

    fn run(s: &mut Store, folder: &Path, net: &(NetworkId, NetworkKey)) -> SyncReport {
        let report = sync(s, folder, net.0, &net.1, &mut |_, _, _| {}).unwrap();
        assert!(report.refused.is_empty(), "{:?}", report.refused);
        report
    }

    /// Every payload in the database file, read with SQLite directly.
    fn db_payloads(path: &Path) -> Vec<String> {
        let conn = rusqlite::Connection::open(path).unwrap();
        let mut stmt = conn.prepare("SELECT payload FROM ops").unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The old values found anywhere in the bytes of a database file and
    /// its write-ahead log: freed space included.
    fn raw_leaks(path: &Path, old: &[String]) -> Vec<String> {
        let mut bytes = std::fs::read(path).unwrap();
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        if let Ok(w) = std::fs::read(&wal) {
            bytes.extend(w);
        }
        old.iter()
            .filter(|v| bytes.windows(v.len()).any(|w| w == v.as_bytes()))
            .cloned()
            .collect()
    }

    /// Every payload in the bundle files of a folder, decrypted.
    fn folder_payloads(folder: &Path, net: &(NetworkId, NetworkKey)) -> Vec<String> {
        let mut out = Vec::new();
        for f in scan(folder).unwrap() {
            let bytes = std::fs::read(&f.path).unwrap();
            let (_, ops) = read_bundle(&net.1, net.0, &bytes).unwrap();
            out.extend(payloads(&ops));
        }
        out
    }

    #[test]
    fn an_erasure_travels_through_sticks_and_wins() {
        let dir = tempfile::tempdir().unwrap();
        let net = network();
        let share = new_folder(dir.path(), "share", &net);
        let stick = new_folder(dir.path(), "stick", &net);
        reset_clocks(&[0, 3 * DAY_MS, 0]);
        let mut stores = Vec::new();
        let mut paths = Vec::new();
        for (i, code) in ["AA", "BB", "CC"].into_iter().enumerate() {
            let (path, mut s) = common::station_db(&dir, code);
            s.set_clock(CLOCKS[i]);
            common::sign_in_admin(&mut s, ["王芳", "李强", "赵敏"][i]);
            stores.push(s);
            paths.push(path);
        }
        let p = add(&mut stores[0], &details(0));
        let q = add(&mut stores[2], &details(BYSTANDER));
        for s in stores.iter_mut() {
            run(s, &share, &net);
        }
        run(&mut stores[0], &share, &net);

        // Apart: B (clock days ahead) renames, C changes the mobile and
        // takes it to the stick; A erases.
        let edit = |s: &mut Store, field: u8, n: u32| {
            let mut d = s.person(p).unwrap().unwrap().details;
            set(&mut d, field, n);
            let mut w = s.begin(None).unwrap();
            w.update_person(p, &d).unwrap();
            w.commit().unwrap();
        };
        edit(&mut stores[1], 0, 1);
        edit(&mut stores[2], 1, 2);
        run(&mut stores[2], &stick, &net);
        stores[0].erase_person(p).unwrap();

        // The erasure reaches B (whose own edit is redacted) and C through
        // the share; C's edit reaches B through the stick, after the
        // erasure: redacted before it is stored.
        let before = scan(&share).unwrap();
        let a = run(&mut stores[0], &share, &net);
        assert_eq!(a.files_rewritten, 1, "A's file with the registration");
        let after = scan(&share).unwrap();
        assert_eq!(
            after.len(),
            before.len() + 1,
            "same files, and one with the erasure"
        );
        run(&mut stores[1], &share, &net);
        run(&mut stores[1], &stick, &net);
        run(&mut stores[2], &share, &net);
        for _ in 0..2 {
            for s in stores.iter_mut() {
                run(s, &share, &net);
                run(s, &stick, &net);
            }
        }
        // Done once per folder: the next syncs rewrite nothing.
        for s in stores.iter_mut() {
            for folder in [&share, &stick] {
                let r = run(s, folder, &net);
                assert_eq!((r.files_rewritten, r.files_written), (0, 0));
            }
        }

        let old = old_values(3);
        let digest = stores[0].digest().unwrap();
        for (i, s) in stores.iter().enumerate() {
            let who = ["A", "B", "C"][i];
            assert_eq!(s.digest().unwrap(), digest, "{who}");
            assert_erased(s, p, &old, who);
            assert_eq!(s.person(q).unwrap().unwrap().details, details(BYSTANDER));
            let found = leaks(&db_payloads(&paths[i]), &old);
            assert!(found.is_empty(), "{who}'s database file: {found:?}");
            let raw = raw_leaks(&paths[i], &old);
            assert!(raw.is_empty(), "{who}'s database file, bytes: {raw:?}");
        }
        // Each station rewrote its own files: nothing old is left on the
        // share or on the stick.
        for (name, folder) in [("share", &share), ("stick", &stick)] {
            let found = leaks(&folder_payloads(folder, &net), &old);
            assert!(found.is_empty(), "{name}: {found:?}");
        }
    }
}

/// A person who came to a station by sync among many others, then was
/// erased at the station that registered them: the receiving station's
/// file holds none of their values anywhere, free pages included (their
/// lookup terms passed through pages that the arrival itself freed,
/// long before the erasure).
#[test]
fn an_erasure_leaves_nothing_in_the_receiving_stations_free_pages() {
    use waystation::sync::bundle::{KdfParams, NetworkId, NetworkKey};
    use waystation::sync::folder::{create_network, sync};
    let dir = tempfile::tempdir().unwrap();
    let id = NetworkId::new();
    let key = NetworkKey::derive_with_params("一街一月两次", id, KdfParams::FAST_INSECURE).unwrap();
    let share = dir.path().join("share");
    std::fs::create_dir_all(&share).unwrap();
    create_network(&share, id, &key).unwrap();
    reset_clocks(&[0, 0, 0]);
    let (_, mut a) = common::station_db(&dir, "AA");
    let (b_path, mut b) = common::station_db(&dir, "BB");
    a.set_clock(CLOCKS[0]);
    b.set_clock(CLOCKS[1]);
    common::sign_in_admin(&mut a, "王芳");
    common::sign_in_admin(&mut b, "李强");
    // Many people in one sync: their lookup terms fill pages that are
    // freed when they are sorted in.
    let mut w = a.begin(None).unwrap();
    for n in 0..3000 {
        // (Their ID numbers would repeat the erased one's: only a
        // thousand are made.)
        let mut d = details(BYSTANDER + 1 + n);
        d.resident_id = None;
        w.add_person(&d).unwrap();
    }
    let p = w.add_person(&details(0)).unwrap();
    w.commit().unwrap();
    let run = |s: &mut Store| {
        let r = sync(s, &share, id, &key, &mut |_, _, _| {}).unwrap();
        assert!(r.refused.is_empty(), "{:?}", r.refused);
    };
    run(&mut a);
    run(&mut b);
    assert!(b.person(p).unwrap().is_some());
    a.erase_person(p).unwrap();
    run(&mut a);
    run(&mut b);
    assert_erased(&b, p, &old_values(1), "B");
    drop(b);
    let bytes = std::fs::read(&b_path).unwrap();
    let mut wal = b_path.as_os_str().to_owned();
    wal.push("-wal");
    let wal = std::fs::read(&wal).unwrap_or_default();
    // The name, the mobile and the ID, as written and reversed (the
    // lookup terms of a number's end).
    let mut needles: Vec<String> = old_values(1);
    needles.extend(
        [value(1, 0), value(2, 0)]
            .iter()
            .map(|v| v.chars().rev().collect::<String>()),
    );
    for v in &needles {
        for (what, hay) in [("file", &bytes), ("write-ahead log", &wal)] {
            assert!(
                !hay.windows(v.len()).any(|w| w == v.as_bytes()),
                "B's {what} still holds {v}"
            );
        }
    }
}
