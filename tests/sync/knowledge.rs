//! What a replica knows of each origin's log, gaps included.

use crate::common;

use common::{add_person, station_db};
use waystation::store::Held;
use waystation::store::Store;

/// A station that made `n` people (so `n`+ operations), and a second,
/// empty-logged database with another station.
fn two(dir: &tempfile::TempDir, n: usize) -> (Store, Store) {
    let (_, mut a) = station_db(dir, "AA");
    for i in 0..n {
        add_person(
            &mut a,
            &common::numbered("测试", i),
            &format!("1391111{i:04}"),
        );
    }
    let (_, b) = station_db(dir, "BB");
    (a, b)
}

#[test]
fn a_replica_knows_its_own_log_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = two(&dir, 3);
    let k = a.knowledge().unwrap();
    let own = k[&a.replica_id()];
    assert_eq!(own.contiguous, own.highest);
    assert_eq!(own.count, own.highest);
    assert!(own.count >= 4, "station + 3 people: {own:?}");
    assert!(!own.has_gap());
}

#[test]
fn a_gap_is_never_known_past_and_its_late_arrival_closes_it() {
    let dir = tempfile::tempdir().unwrap();
    let (a, mut b) = two(&dir, 8);
    let origin = a.replica_id();
    let last = a.knowledge().unwrap()[&origin].highest;
    assert!(last >= 9);
    // B receives 1..=3, then 6..=last: 4 and 5 are missing.
    b.apply_remote(&a.ops_range(origin, 1, 3).unwrap()).unwrap();
    b.apply_remote(&a.ops_range(origin, 6, last).unwrap())
        .unwrap();
    let held = b.knowledge().unwrap()[&origin];
    assert_eq!(
        held,
        Held {
            contiguous: 3,
            highest: last,
            count: last - 2
        }
    );
    assert!(held.has_gap());
    // The middle arrives last.
    b.apply_remote(&a.ops_range(origin, 4, 5).unwrap()).unwrap();
    let held = b.knowledge().unwrap()[&origin];
    assert_eq!(
        held,
        Held {
            contiguous: last,
            highest: last,
            count: last
        }
    );
    assert_eq!(
        b.ops_range(origin, 1, last).unwrap(),
        a.ops_range(origin, 1, last).unwrap()
    );
}

#[test]
fn a_missing_first_operation_means_nothing_is_known() {
    let dir = tempfile::tempdir().unwrap();
    let (a, mut b) = two(&dir, 2);
    let origin = a.replica_id();
    b.apply_remote(&a.ops_range(origin, 2, 3).unwrap()).unwrap();
    let held = b.knowledge().unwrap()[&origin];
    assert_eq!(held.contiguous, 0);
    assert_eq!(held.highest, 3);
}

#[test]
fn a_range_holds_exactly_its_operations_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = two(&dir, 4);
    let ops = a.ops_range(a.replica_id(), 2, 4).unwrap();
    assert_eq!(ops.iter().map(|o| o.seq).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert!(ops.iter().all(|o| o.origin == a.replica_id()));
    assert!(a.ops_range(a.replica_id(), 100, 200).unwrap().is_empty());
}
