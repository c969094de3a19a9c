//! The case queue and its counts, against a plain model: every filter and
//! order the console can ask for gives exactly the cases, in exactly the
//! order, that filtering and sorting all cases in memory gives.

use crate::common;

use chrono::NaiveDate;
use common::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use waystation::domain::case::{Case, CaseStatus, CaseType, CloseReason, Outcome};
use waystation::domain::ids::{CaseId, PersonId, StaffId};
use waystation::domain::money::Fen;
use waystation::domain::staff::Role;
use waystation::store::Store;
use waystation::store::{CaseQuery, QueueCounts, QueueSort, StatusFilter};
use waystation::store::{NewCase, StatusChange};

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, d).unwrap()
}

const TODAY: u32 = 22;

struct World {
    _dir: tempfile::TempDir,
    store: Store,
    staff: Vec<StaffId>,
    cases: Vec<CaseId>,
}

/// 120 cases with every status, several types, three handlers and none,
/// follow-up dates before, on and after today or none, and deliberate ties
/// in every sort key.
fn world() -> World {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let mut w = store.begin(None).unwrap();
    let staff = vec![
        w.add_staff("李华", Role::Staff).unwrap(),
        w.add_staff("王芳", Role::Staff).unwrap(),
        w.add_staff("赵强", Role::Counsellor).unwrap(),
    ];
    w.commit().unwrap();
    let people: Vec<PersonId> = (0..10)
        .map(|i| {
            add_person(
                &mut store,
                &common::numbered("工人", i),
                &format!("1380000{i:04}"),
            )
        })
        .collect();
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let types = [
        CaseType::WageArrears,
        CaseType::WorkInjury,
        CaseType::LegalAid,
    ];
    let mut cases = Vec::new();
    for i in 0..120 {
        let n = rng.random_range(1..=3);
        let mut claimants: Vec<PersonId> = Vec::new();
        for _ in 0..n {
            let p = people[rng.random_range(0..people.len())];
            // One person is one claimant (the store refuses a repeat).
            if !claimants.contains(&p) {
                claimants.push(p);
            }
        }
        let follow_up = match rng.random_range(0..4) {
            0 => None,
            _ => Some(day(rng.random_range(18..=26))),
        };
        let c = NewCase {
            case_type: types[rng.random_range(0..types.len())],
            claimants: claimants.into_iter().map(Into::into).collect(),
            claimed: Fen(rng.random_range(0..5) * 100_000),
            handler: match rng.random_range(0..4) {
                3 => None,
                h => Some(staff[h]),
            },
            follow_up,
            respondent: Some(format!("公司{}", i % 7)),
            ..new_case(vec![], at(2026, 11, rng.random_range(1..=20), 2))
        };
        let mut w = store.begin(None).unwrap();
        let (id, _) = w.open_case(&c).unwrap();
        let change = match rng.random_range(0..6) {
            0 => None,
            1 => Some(StatusChange::To(CaseStatus::InProgress)),
            2 => Some(StatusChange::To(CaseStatus::Waiting)),
            3 => Some(StatusChange::Resolve {
                outcome: Outcome::Recovered,
                recovered: Fen(50_000),
            }),
            4 => Some(StatusChange::Close {
                reason: CloseReason::Withdrawn,
            }),
            _ => Some(StatusChange::To(CaseStatus::InProgress)),
        };
        if let Some(ch) = change {
            w.set_status(id, ch, at(2026, 11, 21, 1)).unwrap();
        }
        w.commit().unwrap();
        cases.push(id);
    }
    World {
        _dir: dir,
        store,
        staff,
        cases,
    }
}

/// What the queue must show, computed from every case in memory.
fn model(all: &[Case], q: &CaseQuery) -> Vec<CaseId> {
    let mut v: Vec<&Case> = all
        .iter()
        .filter(|c| match q.status {
            None => true,
            Some(StatusFilter::Open) => c.status.is_open(),
            Some(StatusFilter::Is(s)) => c.status == s,
        })
        .filter(|c| q.case_type.is_none_or(|t| c.case_type == t))
        .filter(|c| q.handler.is_none_or(|h| c.handler == h))
        .filter(|c| {
            q.overdue_on
                .is_none_or(|d| c.status.is_open() && c.follow_up.is_some_and(|f| f < d))
        })
        .collect();
    match q.sort {
        QueueSort::FollowUp => v.sort_by_key(|c| (c.follow_up.is_none(), c.follow_up, c.id)),
        QueueSort::Age => v.sort_by_key(|c| (c.opened_at, c.id)),
        QueueSort::Amount => v.sort_by_key(|c| std::cmp::Reverse((c.claimed, c.id))),
        QueueSort::Number => {
            v.sort_by_key(|c| std::cmp::Reverse((c.number.year, c.number.seq, c.id)))
        }
    }
    v.into_iter().take(q.limit).map(|c| c.id).collect()
}

#[test]
fn every_filter_and_order_matches_the_model() {
    let w = world();
    let all: Vec<Case> = w
        .cases
        .iter()
        .map(|id| w.store.case(*id).unwrap().unwrap())
        .collect();
    // The data has what the filters need to tell apart.
    assert!(all.iter().any(|c| c.status == CaseStatus::Resolved));
    assert!(all.iter().any(|c| c.status == CaseStatus::Waiting));
    assert!(
        all.iter()
            .any(|c| c.handler.is_none() && c.status.is_open())
    );
    assert!(
        all.iter()
            .any(|c| c.follow_up.is_none() && c.status.is_open())
    );

    let mut checked = 0;
    let mut non_empty = 0;
    let statuses = [
        None,
        Some(StatusFilter::Open),
        Some(StatusFilter::Is(CaseStatus::New)),
        Some(StatusFilter::Is(CaseStatus::Waiting)),
        Some(StatusFilter::Is(CaseStatus::Closed)),
    ];
    for status in statuses {
        for case_type in [None, Some(CaseType::WorkInjury)] {
            for handler in [None, Some(None), Some(Some(w.staff[1]))] {
                for overdue_on in [None, Some(day(TODAY))] {
                    for sort in [
                        QueueSort::FollowUp,
                        QueueSort::Age,
                        QueueSort::Amount,
                        QueueSort::Number,
                    ] {
                        for limit in [1, 4, 1000] {
                            let q = CaseQuery {
                                status,
                                case_type,
                                handler,
                                overdue_on,
                                sort,
                                limit,
                            };
                            let want = model(&all, &q);
                            let got: Vec<CaseId> = w
                                .store
                                .case_queue(&q)
                                .unwrap()
                                .iter()
                                .map(|r| r.id)
                                .collect();
                            assert_eq!(got, want, "{q:?}");
                            checked += 1;
                            non_empty += usize::from(!want.is_empty());
                        }
                    }
                }
            }
        }
    }
    assert!(non_empty * 3 > checked * 2, "{non_empty} of {checked}");
    assert!(
        w.store
            .case_queue(&CaseQuery {
                limit: 0,
                ..CaseQuery::default()
            })
            .unwrap()
            .is_empty()
    );
}

#[test]
fn counts_match_the_model() {
    let w = world();
    let all: Vec<Case> = w
        .cases
        .iter()
        .map(|id| w.store.case(*id).unwrap().unwrap())
        .collect();
    for today in [day(18), day(TODAY), day(30)] {
        let n = |s| all.iter().filter(|c| c.status == s).count() as u64;
        let open = || all.iter().filter(|c| c.status.is_open());
        let want = QueueCounts {
            new: n(CaseStatus::New),
            in_progress: n(CaseStatus::InProgress),
            waiting: n(CaseStatus::Waiting),
            overdue: open()
                .filter(|c| c.follow_up.is_some_and(|f| f < today))
                .count() as u64,
            unassigned: open().filter(|c| c.handler.is_none()).count() as u64,
        };
        let got = w.store.case_counts(today).unwrap();
        assert_eq!(got, want, "{today}");
        assert_eq!(got.open(), open().count() as u64);
        // The header agrees with the queue itself.
        let queued = w
            .store
            .case_queue(&CaseQuery {
                overdue_on: Some(today),
                limit: 10_000,
                ..CaseQuery::default()
            })
            .unwrap();
        assert_eq!(queued.len() as u64, got.overdue);
    }
}

#[test]
fn a_row_shows_the_group_its_handler_and_its_amounts() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let mut w = store.begin(None).unwrap();
    let handler = w.add_staff("李华", Role::Staff).unwrap();
    w.commit().unwrap();
    // Registered in this order: the first one stands for the group.
    let zs = add_person(&mut store, "张三", "13800000001");
    let ls = add_person(&mut store, "李四", "13800000002");
    let ww = add_person(&mut store, "王五", "13800000003");
    let mut w = store.begin(None).unwrap();
    let (id, number) = w
        .open_case(&NewCase {
            case_type: CaseType::WageArrears,
            respondent: Some("某某建筑劳务有限公司".into()),
            claimed: Fen(1_697_400),
            handler: Some(handler),
            follow_up: Some(day(25)),
            ..new_case(vec![ww, ls, zs], at(2026, 11, 20, 3))
        })
        .unwrap();
    w.set_amounts(id, Fen(1_697_400), Fen(500_000)).unwrap();
    w.remove_claimant(id, zs).unwrap();
    w.commit().unwrap();

    let rows = store.case_queue(&CaseQuery::default()).unwrap();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r.id, id);
    assert_eq!(r.number, number);
    assert_eq!(r.case_type, CaseType::WageArrears);
    assert_eq!(r.status, CaseStatus::New);
    assert_eq!(r.claimants, 2, "the removed claimant does not count");
    assert_eq!(
        r.first_claimant.as_deref(),
        Some("李四"),
        "first registered"
    );
    assert_eq!(r.respondent.as_deref(), Some("某某建筑劳务有限公司"));
    assert_eq!((r.claimed, r.recovered), (Fen(1_697_400), Fen(500_000)));
    assert_eq!(r.handler.as_deref(), Some("李华"));
    assert_eq!(r.follow_up, Some(day(25)));
    assert_eq!(r.opened_at, at(2026, 11, 20, 3));

    // Unassigning moves it to the unassigned filter; the first claimant
    // follows the claimants.
    let mut w = store.begin(None).unwrap();
    w.assign(id, None).unwrap();
    w.add_claimant(id, zs).unwrap();
    w.commit().unwrap();
    let q = CaseQuery {
        handler: Some(None),
        ..CaseQuery::default()
    };
    let r = &store.case_queue(&q).unwrap()[0];
    assert_eq!(r.handler, None);
    assert_eq!(r.claimants, 3);
    assert_eq!(r.first_claimant.as_deref(), Some("张三"));
    let mine = CaseQuery {
        handler: Some(Some(handler)),
        ..CaseQuery::default()
    };
    assert!(store.case_queue(&mine).unwrap().is_empty());
}

#[test]
fn overdue_means_open_and_due_before_the_day() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let p = add_person(&mut store, "张三", "13800000001");
    let mut open = |follow_up: Option<NaiveDate>, close: bool| {
        let mut w = store.begin(None).unwrap();
        let (id, _) = w
            .open_case(&NewCase {
                follow_up,
                ..new_case(vec![p], at(2026, 11, 1, 2))
            })
            .unwrap();
        if close {
            let reason = CloseReason::Unreachable;
            w.set_status(id, StatusChange::Close { reason }, at(2026, 11, 2, 2))
                .unwrap();
        }
        w.commit().unwrap();
        id
    };
    let yesterday = open(Some(day(21)), false);
    let long_ago = open(Some(day(1)), false);
    let _today = open(Some(day(22)), false);
    let _undated = open(None, false);
    let _closed = open(Some(day(1)), true);
    let q = CaseQuery {
        overdue_on: Some(day(22)),
        status: None,
        ..CaseQuery::default()
    };
    let ids: Vec<CaseId> = store.case_queue(&q).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(ids, [long_ago, yesterday], "most overdue first");
    let by_age = CaseQuery {
        sort: QueueSort::Age,
        ..q
    };
    assert_eq!(store.case_queue(&by_age).unwrap().len(), 2);
    let counts = store.case_counts(day(22)).unwrap();
    assert_eq!((counts.overdue, counts.open(), counts.new), (2, 4, 4));
    // Due dates without a follow-up come last by due date.
    let all = store.case_queue(&CaseQuery::default()).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(all[3].follow_up, None);
    assert_eq!(all[0].id, long_ago);
}
