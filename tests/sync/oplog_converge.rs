//! The operation log as sync will ship it: replicas that apply each other's
//! operations — in any order, duplicated, partial, relayed — end with equal
//! records (equal `check` digests) once all have exchanged everything.

use crate::common;

use proptest::prelude::*;
use waystation::domain::case::{CaseStatus, CaseType, Outcome};
use waystation::domain::error::ValidationError;
use waystation::domain::ids::{CaseId, PersonId};
use waystation::domain::money::Fen;
use waystation::domain::person::Trade;
use waystation::domain::visit::Services;
use waystation::store::LoggedOp;
use waystation::store::Store;
use waystation::store::{ClaimantRef, NewCase, NewClaimant, StatusChange, StoreError};

#[derive(Debug, Clone)]
enum Step {
    /// Replica r registers a person.
    AddPerson(usize, u8),
    /// Replica r renames the k-th person it knows.
    Rename(usize, usize, u8),
    /// Replica r checks in the k-th person it knows.
    CheckIn(usize, usize),
    /// Replica r opens a case for the k-th and j-th people it knows.
    OpenCase(usize, usize, usize),
    /// Replica r moves the k-th case it knows along.
    Advance(usize, usize),
    /// Replica r sets what the j-th claimant of its k-th case is owed
    /// (None: not given) and got back.
    Owed(usize, usize, usize, Option<u16>, Option<u16>),
    /// Replica `to` applies a selection of `from`'s log: a window, maybe
    /// reversed and duplicated.
    Deliver {
        from: usize,
        to: usize,
        skip: usize,
        take: usize,
        reverse: bool,
        twice: bool,
    },
}

const N: usize = 3;

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..N, any::<u8>()).prop_map(|(r, n)| Step::AddPerson(r, n)),
        (0..N, 0..8usize, any::<u8>()).prop_map(|(r, k, n)| Step::Rename(r, k, n)),
        (0..N, 0..8usize).prop_map(|(r, k)| Step::CheckIn(r, k)),
        (0..N, 0..8usize, 0..8usize).prop_map(|(r, k, j)| Step::OpenCase(r, k, j)),
        (0..N, 0..8usize).prop_map(|(r, k)| Step::Advance(r, k)),
        (
            0..N,
            0..8usize,
            0..4usize,
            prop::option::of(any::<u16>()),
            prop::option::of(any::<u16>())
        )
            .prop_map(|(r, k, j, c, g)| Step::Owed(r, k, j, c, g)),
        (
            0..N,
            0..N,
            0..40usize,
            0..40usize,
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(from, to, skip, take, reverse, twice)| Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice
            }),
    ]
}

const NAMES: [&str; 8] = [
    "张三",
    "李四",
    "王五",
    "赵六",
    "欧阳娜娜",
    "单雄信",
    "曾国藩",
    "吕布",
];

/// The records of one kind that a replica holds, in id order.
fn ids_of(s: &Store, entity: waystation::store::Entity) -> Vec<uuid::Uuid> {
    let mut v: Vec<uuid::Uuid> = s
        .all_ops()
        .unwrap()
        .into_iter()
        .filter(|o| o.entity == entity && o.kind == waystation::store::OP_CREATE)
        .map(|o| o.id)
        .collect();
    v.sort();
    v.dedup();
    v.retain(|id| match entity {
        waystation::store::Entity::Person => s.person(PersonId(*id)).unwrap().is_some(),
        _ => s.case(CaseId(*id)).unwrap().is_some(),
    });
    v
}

fn people(s: &Store) -> Vec<PersonId> {
    ids_of(s, waystation::store::Entity::Person)
        .into_iter()
        .map(PersonId)
        .collect()
}

fn cases(s: &Store) -> Vec<CaseId> {
    ids_of(s, waystation::store::Entity::Case)
        .into_iter()
        .map(CaseId)
        .collect()
}

fn run(steps: &[Step]) -> Vec<Store> {
    let mut rs: Vec<Store> = (0..N)
        .map(|i| {
            let mut s = Store::open_in_memory().unwrap();
            s.init_station(["FT", "NS", "ZB"][i], "驿站", "Asia/Shanghai")
                .unwrap();
            s
        })
        .collect();
    for st in steps {
        match st.clone() {
            Step::AddPerson(r, n) => {
                let d = common::details(
                    NAMES[n as usize % 8],
                    "",
                    Trade::ALL[n as usize % Trade::ALL.len()],
                );
                let mut w = rs[r].begin(None).unwrap();
                w.add_person(&d).unwrap();
                w.commit().unwrap();
            }
            Step::Rename(r, k, n) => {
                let ps = people(&rs[r]);
                if let Some(p) = ps.get(k % ps.len().max(1)) {
                    let mut d = rs[r].person(*p).unwrap().unwrap().details;
                    d.name = format!("{}{}", NAMES[n as usize % 8], n % 3);
                    let mut w = rs[r].begin(None).unwrap();
                    w.update_person(*p, &d).unwrap();
                    w.commit().unwrap();
                }
            }
            Step::CheckIn(r, k) => {
                let ps = people(&rs[r]);
                if let Some(p) = ps.get(k % ps.len().max(1)) {
                    let mut w = rs[r].begin(None).unwrap();
                    w.check_in(*p, Services::EMPTY, common::at(2026, 11, 22, 3))
                        .unwrap();
                    w.commit().unwrap();
                }
            }
            Step::OpenCase(r, k, j) => {
                let ps = people(&rs[r]);
                if !ps.is_empty() {
                    let mut claimants = vec![ps[k % ps.len()], ps[j % ps.len()]];
                    claimants.dedup();
                    // Every other case with amounts per claimant.
                    let each = (k + j) % 2 == 0;
                    let mut w = rs[r].begin(None).unwrap();
                    w.open_case(&NewCase {
                        case_type: CaseType::WageArrears,
                        hardship_kind: None,
                        claimants: claimants
                            .into_iter()
                            .enumerate()
                            .map(|(i, p)| NewClaimant {
                                person: ClaimantRef::Known(p),
                                claimed: each.then_some(Fen(300_000 + i as i64)),
                            })
                            .collect(),
                        respondent: Some("宏达劳务".into()),
                        summary: None,
                        claimed: if each { Fen(0) } else { Fen(1_000_000) },
                        handler: None,
                        follow_up: None,
                        opened_at: common::at(2026, 11, 20, 3),
                    })
                    .unwrap();
                    w.commit().unwrap();
                }
            }
            Step::Advance(r, k) => {
                let cs = cases(&rs[r]);
                if let Some(c) = cs.get(k % cs.len().max(1)) {
                    let status = rs[r].case(*c).unwrap().unwrap().status;
                    let change = match status {
                        CaseStatus::New => StatusChange::To(CaseStatus::InProgress),
                        CaseStatus::InProgress => StatusChange::To(CaseStatus::Waiting),
                        CaseStatus::Waiting if k % 2 == 0 => StatusChange::ResolveEach {
                            outcome: Outcome::Agreement,
                            recovered: rs[r]
                                .claimants(*c)
                                .unwrap()
                                .into_iter()
                                .enumerate()
                                .map(|(i, (p, _))| (p, Fen(100_000 * (i as i64 + 1))))
                                .collect(),
                        },
                        CaseStatus::Waiting => StatusChange::Resolve {
                            outcome: Outcome::Agreement,
                            recovered: Fen(500_000),
                        },
                        CaseStatus::Resolved | CaseStatus::Closed => {
                            StatusChange::To(CaseStatus::InProgress)
                        }
                    };
                    let mut w = rs[r].begin(None).unwrap();
                    match w.set_status(*c, change, common::at(2026, 11, 21, 3)) {
                        Ok(()) => w.commit().unwrap(),
                        // A lump sum where claimants carry their own.
                        Err(StoreError::Invalid(ValidationError::AmountsPerClaimant {
                            ..
                        })) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            Step::Owed(r, k, j, claimed, recovered) => {
                let cs = cases(&rs[r]);
                if let Some(c) = cs.get(k % cs.len().max(1)) {
                    let ks = rs[r].claimants(*c).unwrap();
                    let (p, _) = ks[j % ks.len()];
                    let mut w = rs[r].begin(None).unwrap();
                    w.set_claimant_amounts(
                        *c,
                        p,
                        claimed.map(|f| Fen(i64::from(f) * 100)),
                        recovered.map(|f| Fen(i64::from(f) * 100)),
                    )
                    .unwrap();
                    w.commit().unwrap();
                }
            }
            Step::Deliver {
                from,
                to,
                skip,
                take,
                reverse,
                twice,
            } => common::deliver(&mut rs, from, to, (skip, take), reverse, twice),
        }
    }
    rs
}

use common::exchange_all;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn replicas_converge(steps in prop::collection::vec(step(), 1..40)) {
        let mut rs = run(&steps);
        exchange_all(&mut rs);
        let digests: Vec<String> = rs.iter().map(|s| s.digest().unwrap()).collect();
        prop_assert!(digests.iter().all(|d| *d == digests[0]), "{digests:?}");
        // And the same conflicts listed everywhere.
        let lists: Vec<_> = rs.iter().map(|s| s.record_conflicts().unwrap()).collect();
        prop_assert!(lists.iter().all(|l| *l == lists[0]), "{lists:?}");
        let keys: Vec<Vec<String>> = rs
            .iter()
            .map(|s| s.conflicts().unwrap().into_iter().map(|l| l.key).collect())
            .collect();
        prop_assert!(keys.iter().all(|k| *k == keys[0]), "{keys:?}");
        for s in &rs {
            let report = s.check().unwrap();
            prop_assert!(report.is_ok(), "{:?}", report.problems);
            // A case whose claimants carry amounts totals theirs.
            for c in cases(s) {
                let case = s.case(c).unwrap().unwrap();
                let owed = s.claimants_owed(c).unwrap();
                if owed.iter().any(|k| k.claimed.is_some()) {
                    let sum: i64 = owed.iter().filter_map(|k| k.claimed).map(|f| f.0).sum();
                    prop_assert_eq!(case.claimed.0, sum);
                }
                if owed.iter().any(|k| k.recovered.is_some()) {
                    let sum: i64 = owed.iter().filter_map(|k| k.recovered).map(|f| f.0).sum();
                    prop_assert_eq!(case.recovered.0, sum);
                }
            }
        }
    }

    #[test]
    fn applying_twice_changes_nothing(steps in prop::collection::vec(step(), 1..30)) {
        let mut rs = run(&steps);
        let ops = rs[0].all_ops().unwrap();
        rs[1].apply_remote(&ops).unwrap();
        let once = rs[1].digest().unwrap();
        let again = rs[1].apply_remote(&ops).unwrap();
        prop_assert_eq!(again.new_ops, 0);
        prop_assert_eq!(rs[1].digest().unwrap(), once);
    }
}

#[test]
fn an_edit_made_after_seeing_another_wins_everywhere() {
    // Replica 1 receives replica 0's person and its rename (in reverse
    // order), then renames the person itself: its edit is causally later,
    // so it wins on both replicas.
    let steps = [
        Step::AddPerson(0, 0),
        Step::Rename(0, 0, 1),
        Step::Deliver {
            from: 0,
            to: 1,
            skip: 0,
            take: 100,
            reverse: true,
            twice: false,
        },
        Step::Rename(1, 0, 2),
    ];
    let mut rs = run(&steps);
    exchange_all(&mut rs);
    let p = people(&rs[0])[0];
    assert_eq!(
        rs[0].person(p).unwrap().unwrap().details.name,
        format!("{}{}", NAMES[2], 2)
    );
    assert_eq!(rs[0].digest().unwrap(), rs[1].digest().unwrap());
}

#[test]
fn a_visit_that_arrives_before_its_person_waits_for_it() {
    let steps = [
        Step::AddPerson(0, 0),
        Step::Deliver {
            from: 0,
            to: 1,
            skip: 0,
            take: 100,
            reverse: false,
            twice: false,
        },
        Step::CheckIn(1, 0),
    ];
    let mut rs = run(&steps);
    let ops = rs[1].all_ops().unwrap();
    let (visits, rest): (Vec<LoggedOp>, Vec<LoggedOp>) = ops
        .into_iter()
        .partition(|o| o.entity == waystation::store::Entity::Visit);
    let applied = rs[2].apply_remote(&visits).unwrap();
    assert_eq!(applied.waiting, 1, "the visit waits for its person");
    let report = rs[2].check().unwrap();
    assert!(
        report.is_ok(),
        "waiting is not a problem: {:?}",
        report.problems
    );
    assert_eq!(report.waiting, 1);
    let visit = waystation::domain::ids::VisitId(visits[0].id);
    assert!(rs[2].visit(visit).unwrap().is_none(), "not built yet");
    let applied = rs[2].apply_remote(&rest).unwrap();
    assert_eq!(applied.waiting, 0);
    assert_eq!(rs[2].visit(visit).unwrap().map(|v| v.headcount), Some(1));
    assert!(rs[2].check().unwrap().is_ok());
    assert_eq!(
        rs[2].lookup("张三", 5).unwrap().len(),
        1,
        "lookup terms built on arrival"
    );
}

/// Three days ahead of the real clock.
fn days_ahead() -> u64 {
    waystation::store::wall_millis() + 3 * 86_400_000
}

#[test]
fn an_edit_after_seeing_one_from_a_clock_days_ahead_still_wins() {
    let mut rs = run(&[Step::AddPerson(0, 0)]);
    rs[1].set_clock(days_ahead);
    // Replica 1 (clock 3 days ahead) learns the person and renames it.
    let ops = rs[0].all_ops().unwrap();
    rs[1].apply_remote(&ops).unwrap();
    let p = people(&rs[1])[0];
    let rename = |s: &mut Store, name: &str| {
        let mut d = s.person(p).unwrap().unwrap().details;
        d.name = name.into();
        let mut w = s.begin(None).unwrap();
        w.update_person(p, &d).unwrap();
        w.commit().unwrap();
    };
    rename(&mut rs[1], "张叁");
    // Replica 0, with a correct clock, sees that rename, then renames again:
    // its edit is later in causal order although its wall clock is behind.
    let ops = rs[1].all_ops().unwrap();
    rs[0].apply_remote(&ops).unwrap();
    assert_eq!(rs[0].person(p).unwrap().unwrap().details.name, "张叁");
    rename(&mut rs[0], "张三丰");
    exchange_all(&mut rs);
    for s in &rs {
        assert_eq!(s.person(p).unwrap().unwrap().details.name, "张三丰");
    }
    assert_eq!(rs[0].digest().unwrap(), rs[1].digest().unwrap());
}

#[test]
fn without_seeing_it_the_edit_of_the_fast_clock_wins() {
    // Concurrent edits: the later clock wins, the same on every replica
    // (the losing value is for the sync issue's conflicts list).
    let mut rs = run(&[Step::AddPerson(0, 0)]);
    let ops = rs[0].all_ops().unwrap();
    rs[1].apply_remote(&ops).unwrap();
    rs[1].set_clock(days_ahead);
    let p = people(&rs[1])[0];
    for (r, name) in [(1, "张叁"), (0, "张三丰")] {
        let mut d = rs[r].person(p).unwrap().unwrap().details;
        d.name = name.into();
        let mut w = rs[r].begin(None).unwrap();
        w.update_person(p, &d).unwrap();
        w.commit().unwrap();
    }
    exchange_all(&mut rs);
    for s in &rs {
        assert_eq!(s.person(p).unwrap().unwrap().details.name, "张叁");
    }
}

#[test]
fn claimant_amounts_set_apart_add_up_everywhere() {
    // One group case known to two stations; each sets a different
    // claimant's amount owed before they sync again.
    let steps = [
        Step::AddPerson(0, 0),
        Step::AddPerson(0, 1),
        Step::AddPerson(0, 2),
        Step::OpenCase(0, 0, 2),
        Step::Deliver {
            from: 0,
            to: 1,
            skip: 0,
            take: 40,
            reverse: false,
            twice: false,
        },
        Step::Owed(0, 0, 0, Some(5_000), None),
        Step::Owed(1, 0, 1, Some(7_000), Some(2_000)),
    ];
    let mut rs = run(&steps);
    exchange_all(&mut rs);
    for s in &rs {
        let c = cases(s)[0];
        let owed = s.claimants_owed(c).unwrap();
        let claimed: Vec<Option<Fen>> = owed.iter().map(|k| k.claimed).collect();
        assert_eq!(claimed, [Some(Fen(500_000)), Some(Fen(700_000))]);
        let case = s.case(c).unwrap().unwrap();
        assert_eq!(
            case.claimed,
            Fen(1_200_000),
            "the sum of both, not the last writer's"
        );
        assert_eq!(case.recovered, Fen(200_000));
        let report = s.check().unwrap();
        assert!(report.is_ok(), "{:?}", report.problems);
        // Two claimants changed apart is no conflict.
        assert_eq!(s.record_conflicts().unwrap(), []);
    }
    assert_eq!(rs[0].digest().unwrap(), rs[2].digest().unwrap());
}
