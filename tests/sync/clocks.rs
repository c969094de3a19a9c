//! Clocks that cannot be poisoned. An operation dated further ahead of the
//! receiver's clock than the bound (30 days) is held apart — not in the
//! log, not folded, not passed on — until staff accept it or the clock
//! reaches it; the receiver's own clock never runs past the bound because
//! of it; and whatever clocks the operations carry (0, 1, the last reading,
//! readings stored negative, stations whose clocks read 1970 or the year
//! 6000), replicas that exchange everything hold equal records, pass
//! `check`, list the same conflicts, and an edit made after seeing another
//! wins everywhere.

use crate::common;

use std::cell::Cell;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use waystation::domain::access::Session;
use waystation::domain::ids::{PersonId, ReplicaId};
use waystation::domain::person::Trade;
use waystation::domain::staff::Role;
use waystation::store::{AHEAD_MILLIS, Entity, Hlc, LoggedOp, OP_UPDATE, Store, StoreError};

const N: usize = 3;

thread_local! {
    static WALL: [Cell<u64>; N] = const { [const { Cell::new(0) }; N] };
}

fn wall(r: usize) -> u64 {
    WALL.with(|w| w[r].get())
}
fn clock0() -> u64 {
    wall(0)
}
fn clock1() -> u64 {
    wall(1)
}
fn clock2() -> u64 {
    wall(2)
}
const CLOCKS: [fn() -> u64; N] = [clock0, clock1, clock2];

fn set_wall(r: usize, ms: u64) {
    WALL.with(|w| w[r].set(ms));
}

/// 2026-11-20 08:00 UTC.
fn now_ms() -> u64 {
    common::at(2026, 11, 20, 8).timestamp_millis() as u64
}

const DAY: u64 = 86_400_000;

/// The replica id of forged operations: an insider with the passphrase,
/// or a faulty build.
fn forger() -> ReplicaId {
    ReplicaId(uuid::Uuid::from_u128(
        0xffff_ffff_ffff_7fff_bfff_ffff_ffff_ffff,
    ))
}

fn forged(seq: i64, hlc: u64, person: PersonId, name: &str) -> LoggedOp {
    let mut fields = Map::new();
    fields.insert("name".into(), Value::from(name));
    LoggedOp {
        origin: forger(),
        seq,
        hlc: Hlc(hlc),
        actor: None,
        entity: Entity::Person,
        id: person.0,
        kind: OP_UPDATE,
        fields,
        after: Vec::new(),
    }
}

fn rename(s: &mut Store, p: PersonId, name: &str) -> Result<(), StoreError> {
    let mut d = s.person(p)?.ok_or(StoreError::NotFound("person"))?.details;
    d.name = name.into();
    let mut w = s.begin(None)?;
    w.update_person(p, &d)?;
    w.commit()
}

fn last_hlc(s: &Store) -> Hlc {
    // The clock the next write starts from: the newest of the log's own
    // operations is at most that.
    s.all_ops()
        .unwrap()
        .iter()
        .filter(|o| o.origin == s.replica_id())
        .map(|o| o.hlc)
        .max()
        .unwrap_or_default()
}

/// Finding 8 of issue 14: one operation at the maximum clock stuck the
/// receiver's clock there; an edit made after seeing it then lost the
/// tie-break, `check` failed and two stations kept different values.
#[test]
fn an_operation_at_the_maximum_clock_is_held_and_cannot_poison() {
    set_wall(0, now_ms());
    set_wall(1, now_ms());
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    a.set_clock(CLOCKS[0]);
    b.set_clock(CLOCKS[1]);
    a.init_station("FT", "驿站", "Asia/Shanghai").unwrap();
    b.init_station("NS", "驿站", "Asia/Shanghai").unwrap();
    let p = common::add_person(&mut a, "甲先", "");
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    let before = b.check().unwrap().digest;

    for (seq, hlc) in [(1, i64::MAX as u64), (2, u64::MAX)] {
        let got = b.apply_remote(&[forged(seq, hlc, p, "丙终")]).unwrap();
        assert_eq!((got.held, got.new_ops), (1, 0), "held apart, not applied");
        // Again: still held, once.
        assert_eq!(
            b.apply_remote(&[forged(seq, hlc, p, "丙终")]).unwrap().held,
            1
        );
    }
    assert_eq!(b.check().unwrap().digest, before, "nothing folded");
    assert!(b.all_ops().unwrap().iter().all(|o| o.origin != forger()));
    let held = b.held_apart().unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!((held[0].origin, held[0].count), (forger(), 2));
    assert_eq!(held[0].first.format("%Y").to_string(), "6429");
    assert!(held[0].station.is_none());

    // B's edit afterwards is ordered by B's clock, near the wall clock.
    rename(&mut b, p, "丁后").unwrap();
    assert!(last_hlc(&b).millis() <= now_ms());
    assert!(b.check().unwrap().is_ok());

    // Staff accept them: in the log, folded; B's clock does not move; the
    // edit B made before accepting did not know them and loses to the one
    // dated far ahead — listed as a conflict.
    let got = b.accept_held_noted(Some(&held[0].key)).unwrap();
    assert_eq!((got.new_ops, got.released), (2, 2));
    let noted = b.audit_entries(1).unwrap();
    assert_eq!(noted[0].action, "held_accept", "accepting is audited");
    assert_eq!(noted[0].detail["count"], 2);
    assert!(b.held_apart().unwrap().is_empty());
    let report = b.check().unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "丙终");
    assert_eq!(b.record_conflicts().unwrap().len(), 1);
    // An edit made after seeing them wins, here and everywhere.
    rename(&mut b, p, "戊再").unwrap();
    assert!(last_hlc(&b).millis() <= now_ms(), "{:?}", last_hlc(&b));
    assert!(b.record_conflicts().unwrap().is_empty());
    // A, reading B's log, judges them by its own clock: held there too,
    // until its staff accept them; B's edits apply.
    let got = a.apply_remote(&b.all_ops().unwrap()).unwrap();
    assert_eq!(got.held, 2);
    assert_eq!(a.person(p).unwrap().unwrap().details.name, "戊再");
    assert_eq!(a.held_apart().unwrap()[0].count, 2);
    a.accept_held(None).unwrap();
    // Each accepting left an entry in its audit log; they travel too.
    a.apply_remote(&b.all_ops().unwrap()).unwrap();
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    for s in [&a, &b] {
        assert_eq!(s.person(p).unwrap().unwrap().details.name, "戊再");
        assert!(s.check().unwrap().is_ok());
    }
    assert_eq!(a.check().unwrap().digest, b.check().unwrap().digest);
    assert_eq!(a.record_conflicts().unwrap(), b.record_conflicts().unwrap());
}

#[test]
fn held_operations_apply_when_the_clock_reaches_them() {
    set_wall(0, now_ms());
    set_wall(1, now_ms());
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    b.set_clock(CLOCKS[1]);
    a.init_station("FT", "驿站", "Asia/Shanghai").unwrap();
    b.init_station("NS", "驿站", "Asia/Shanghai").unwrap();
    let p = common::add_person(&mut a, "甲先", "");
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    // 40 days ahead: held; 29 days ahead: applied, and B's clock follows.
    let ahead = |days: u64| Hlc::from_millis(now_ms() + days * DAY).unwrap().0;
    let got = b
        .apply_remote(&[
            forged(1, ahead(29), p, "乙近"),
            forged(2, ahead(40), p, "丙远"),
        ])
        .unwrap();
    assert_eq!((got.new_ops, got.held), (1, 1));
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "乙近");
    // Ten days on: 40 days ahead is within 30 now; the next sync (any
    // apply_remote, or release_due) applies it.
    set_wall(1, now_ms() + 10 * DAY);
    let got = b.release_due().unwrap();
    assert_eq!((got.new_ops, got.released), (1, 1));
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "丙远");
    assert!(b.held_apart().unwrap().is_empty());
    assert!(b.check().unwrap().is_ok());
    const { assert!(AHEAD_MILLIS == 30 * DAY) };
}

#[test]
fn an_erasure_reaches_held_operations() {
    set_wall(1, now_ms());
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    b.set_clock(CLOCKS[1]);
    a.init_station("FT", "驿站", "Asia/Shanghai").unwrap();
    b.init_station("NS", "驿站", "Asia/Shanghai").unwrap();
    let p = common::add_person(&mut a, "甲先", "13800138000");
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    let far = Hlc::from_millis(now_ms() + 400 * DAY).unwrap().0;
    b.apply_remote(&[forged(1, far, p, "秘密名")]).unwrap();
    let mut w = b.begin(None).unwrap();
    let staff = w.add_staff("管理员", Role::Admin).unwrap();
    w.commit().unwrap();
    b.set_session(Some(Session {
        staff,
        name: "管理员".into(),
        role: Role::Admin,
    }));
    b.erase_person(p).unwrap();
    b.accept_held(None).unwrap();
    let names: Vec<Value> = b
        .all_ops()
        .unwrap()
        .iter()
        .filter(|o| o.id == p.0)
        .filter_map(|o| o.fields.get("name").cloned())
        .collect();
    assert!(!names.contains(&json!("秘密名")), "{names:?}");
    assert!(b.check().unwrap().is_ok());
}

#[test]
fn a_clock_at_its_last_reading_goes_on_from_the_wall_clock() {
    let mut a = Store::open_in_memory().unwrap();
    let mut b = Store::open_in_memory().unwrap();
    set_wall(1, Hlc::MAX_MILLIS - 5);
    b.set_clock(CLOCKS[1]);
    a.init_station("FT", "驿站", "Asia/Shanghai").unwrap();
    b.init_station("NS", "驿站", "Asia/Shanghai").unwrap();
    let p = common::add_person(&mut a, "甲先", "");
    b.apply_remote(&a.all_ops().unwrap()).unwrap();
    // Within the bound of B's wall clock: applied, and B's clock reaches
    // the end.
    let got = b.apply_remote(&[forged(1, Hlc::MAX.0, p, "丙终")]).unwrap();
    assert_eq!(got.new_ops, 1);
    rename(&mut b, p, "丁后").unwrap();
    assert_eq!(last_hlc(&b), Hlc::from_millis(Hlc::MAX_MILLIS - 5).unwrap());
    assert_eq!(b.person(p).unwrap().unwrap().details.name, "丁后");
    assert!(b.check().unwrap().is_ok());
}

#[test]
fn a_station_whose_clock_reads_past_the_last_reading_writes_nothing() {
    let mut s = Store::open_in_memory().unwrap();
    set_wall(2, now_ms());
    s.set_clock(CLOCKS[2]);
    s.init_station("FT", "驿站", "Asia/Shanghai").unwrap();
    set_wall(2, Hlc::MAX_MILLIS + 1);
    let mut w = s.begin(None).unwrap();
    let e = w
        .add_person(&common::details("甲", "", Trade::Courier))
        .unwrap_err();
    assert!(matches!(e, StoreError::Clock(_)), "{e:?}");
    drop(w);
    assert!(s.check().unwrap().is_ok());
}

// ---------------------------------------------------------------------------
// The property test.

/// Wall clocks a station may read: right, a day or 40 days ahead (its
/// operations held apart by the others), the epoch, 1 ms after it, the
/// last millisecond a reading can carry, or past it (no writes).
fn wall_clock() -> impl Strategy<Value = u64> {
    prop_oneof![
        4 => Just(now_ms()),
        1 => Just(now_ms() + DAY),
        2 => Just(now_ms() + 40 * DAY),
        1 => Just(0u64),
        1 => Just(1u64),
        1 => Just(Hlc::MAX_MILLIS - 1),
        1 => Just(Hlc::MAX_MILLIS + 1),
    ]
}

/// Clocks a forged operation may carry.
fn forged_clock() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1u64),
        Just(now_ms() << 16),
        Just(i64::MAX as u64 - 1),
        Just(i64::MAX as u64),
        Just(i64::MAX as u64 + 1),
        Just(u64::MAX),
    ]
}

#[derive(Debug, Clone)]
enum Step {
    /// Replica r renames the k-th person it has.
    Rename(usize, usize, u8),
    /// Replica r registers a person.
    Add(usize),
    /// `to` applies a window of `from`'s log, maybe reversed.
    Deliver {
        from: usize,
        to: usize,
        skip: usize,
        take: usize,
        reverse: bool,
    },
    /// A forged operation reaches replica r: a rename of its k-th person.
    Forge(usize, usize, u64),
    /// Replica r's wall clock now reads this.
    Clock(usize, u64),
    /// Staff at replica r accept what it holds apart.
    Accept(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0..N, 0..6usize, any::<u8>()).prop_map(|(r, k, n)| Step::Rename(r, k, n)),
        2 => (0..N).prop_map(Step::Add),
        5 => (0..N, 0..N, 0..30usize, 0..30usize, any::<bool>()).prop_map(
            |(from, to, skip, take, reverse)| Step::Deliver { from, to, skip, take, reverse }
        ),
        2 => (0..N, 0..6usize, forged_clock()).prop_map(|(r, k, h)| Step::Forge(r, k, h)),
        2 => (0..N, wall_clock()).prop_map(|(r, w)| Step::Clock(r, w)),
        1 => (0..N).prop_map(Step::Accept),
    ]
}

fn people(s: &Store) -> Vec<PersonId> {
    let mut v: Vec<PersonId> = s
        .all_ops()
        .unwrap()
        .into_iter()
        .filter(|o| o.entity == Entity::Person && o.kind == waystation::store::OP_CREATE)
        .map(|o| PersonId(o.id))
        .collect();
    v.sort_by_key(|p| p.0);
    v.dedup();
    v.retain(|p| s.person(*p).unwrap().is_some());
    v
}

/// A write refused because the station's clock has no reading to give.
fn ok_or_clock(r: Result<(), StoreError>) -> Result<(), TestCaseError> {
    match r {
        Ok(()) | Err(StoreError::Clock(_)) => Ok(()),
        Err(e) => Err(TestCaseError::fail(format!("{e}"))),
    }
}

/// Everyone gets everything and accepts what it holds apart, until
/// nothing moves.
fn exchange_and_accept(rs: &mut [Store]) {
    for _ in 0..6 {
        let mut moved = 0;
        for from in 0..N {
            let ops = rs[from].all_ops().unwrap();
            for (to, r) in rs.iter_mut().enumerate() {
                if to != from {
                    moved += r.apply_remote(&ops).unwrap().new_ops;
                }
            }
        }
        for r in rs.iter_mut() {
            match r.accept_held(None) {
                Ok(a) => moved += a.new_ops,
                Err(StoreError::NotFound(_)) => {}
                Err(e) => panic!("{e}"),
            }
        }
        if moved == 0 {
            return;
        }
    }
    panic!("the exchange did not settle");
}

fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    for r in 0..N {
        set_wall(r, now_ms());
    }
    let mut rs: Vec<Store> = (0..N)
        .map(|i| {
            let mut s = Store::open_in_memory().unwrap();
            s.set_clock(CLOCKS[i]);
            s.init_station(["FT", "NS", "ZB"][i], "驿站", "Asia/Shanghai")
                .unwrap();
            common::add_person(&mut s, &common::numbered("工人", i), "");
            s
        })
        .collect();
    let mut forged_seq = 0;
    // The furthest each station's wall clock has read.
    let mut furthest = [now_ms(); N];
    for st in steps {
        match st.clone() {
            Step::Rename(r, k, n) => {
                let ps = people(&rs[r]);
                let p = ps[k % ps.len()];
                ok_or_clock(rename(&mut rs[r], p, &common::numbered("改名", n)))?;
            }
            Step::Add(r) => {
                let d = common::details("新人", "", Trade::Courier);
                let res = rs[r].begin(None).and_then(|mut w| {
                    w.add_person(&d)?;
                    w.commit()
                });
                ok_or_clock(res)?;
            }
            Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
            } => {
                if from != to {
                    let mut ops: Vec<LoggedOp> = rs[from]
                        .all_ops()
                        .unwrap()
                        .into_iter()
                        .skip(skip)
                        .take(take)
                        .collect();
                    if reverse {
                        ops.reverse();
                    }
                    rs[to].apply_remote(&ops).unwrap();
                }
            }
            Step::Forge(r, k, hlc) => {
                let ps = people(&rs[r]);
                forged_seq += 1;
                let name = common::numbered("伪造", forged_seq);
                let op = forged(forged_seq, hlc, ps[k % ps.len()], &name);
                rs[r].apply_remote(&[op]).unwrap();
            }
            Step::Clock(r, w) => {
                set_wall(r, w);
                furthest[r] = furthest[r].max(w);
            }
            Step::Accept(r) => match rs[r].accept_held(None) {
                Ok(_) | Err(StoreError::NotFound(_)) => {}
                Err(e) => return Err(TestCaseError::fail(format!("{e}"))),
            },
        }
        // Whatever arrives, no replica's clock runs past the bound after
        // the furthest its wall clock read.
        for (i, s) in rs.iter().enumerate() {
            let own = last_hlc(s);
            prop_assert!(
                own.millis() <= Hlc::limit(furthest[i]).millis(),
                "replica {i}'s clock {own:?}"
            );
            let report = s.check().unwrap();
            prop_assert!(report.is_ok(), "replica {i}: {:?}", report.problems);
        }
    }
    exchange_and_accept(&mut rs);
    let digests: Vec<String> = rs.iter().map(|s| s.digest().unwrap()).collect();
    prop_assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
    let lists: Vec<_> = rs.iter().map(|s| s.record_conflicts().unwrap()).collect();
    prop_assert!(lists.iter().all(|l| *l == lists[0]), "{lists:?}");
    for (i, s) in rs.iter().enumerate() {
        let report = s.check().unwrap();
        prop_assert!(report.is_ok(), "replica {i}: {:?}", report.problems);
        prop_assert!(s.held_apart().unwrap().is_empty());
    }
    // An edit made after seeing everything wins everywhere, whatever the
    // clock of the station that makes it (one that can write).
    let p = people(&rs[0])[0];
    let Some(editor) = (0..N).find(|&r| wall(r) <= Hlc::MAX_MILLIS) else {
        return Ok(());
    };
    rename(&mut rs[editor], p, "最后改名").unwrap();
    exchange_and_accept(&mut rs);
    for (i, s) in rs.iter().enumerate() {
        prop_assert_eq!(
            s.person(p).unwrap().unwrap().details.name,
            "最后改名",
            "replica {}",
            i
        );
        let report = s.check().unwrap();
        prop_assert!(report.is_ok(), "replica {i}: {:?}", report.problems);
    }
    let digests: Vec<String> = rs.iter().map(|s| s.digest().unwrap()).collect();
    prop_assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
    let lists: Vec<_> = rs.iter().map(|s| s.record_conflicts().unwrap()).collect();
    prop_assert!(lists.iter().all(|l| *l == lists[0]), "{lists:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn extreme_clocks_converge_and_an_edit_after_seeing_wins(
        steps in prop::collection::vec(step(), 1..40)
    ) {
        run(&steps)?;
    }
}
