//! People who share a phone or a name: every holder of a number, oldest
//! registration first; how many people have exactly a name (both read
//! from the lookup index: `store/people.rs` checks their plans).

use crate::common;

use common::*;
use waystation::domain::Mobile;
use waystation::domain::ids::PersonId;
use waystation::domain::person::Trade;
use waystation::store::Store;

const SHARED: &str = "13812345678";

/// 刘洋 registered in June, then 刘建国 (an id minted earlier, a
/// registration made later: order is by registration) in July, both with
/// one phone; 王芳 with her own.
fn family() -> (tempfile::TempDir, Store, [PersonId; 3]) {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let early_id = PersonId::new();
    let late_id = PersonId::new();
    let mut w = store.begin(None).unwrap();
    let son = w
        .add_person_with_id(
            late_id,
            &details("刘洋", SHARED, Trade::FoodDelivery),
            at(2026, 6, 1, 3),
        )
        .unwrap();
    let father = w
        .add_person_with_id(
            early_id,
            &details("刘建国", SHARED, Trade::Courier),
            at(2026, 7, 1, 3),
        )
        .unwrap();
    let other = w
        .add_person(&details("王芳", "13900001111", Trade::Courier))
        .unwrap();
    w.commit().unwrap();
    (dir, store, [son, father, other])
}

#[test]
fn every_holder_of_a_number_oldest_registration_first() {
    let (_dir, store, [son, father, other]) = family();
    let m = Mobile::parse(SHARED).unwrap();
    let ids: Vec<PersonId> = store
        .people_by_mobile(&m)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [son, father]);
    let one = store
        .people_by_mobile(&Mobile::parse("139 0000 1111").unwrap())
        .unwrap();
    assert_eq!(one.len(), 1);
    assert_eq!(one[0].id, other);
    assert!(
        store
            .people_by_mobile(&Mobile::parse("13700000000").unwrap())
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.mobile_sharers(father, &m).unwrap(), ["刘洋"]);
    assert_eq!(store.mobile_sharers(son, &m).unwrap(), ["刘建国"]);
    let own = Mobile::parse("13900001111").unwrap();
    assert!(store.mobile_sharers(other, &own).unwrap().is_empty());
}

#[test]
fn a_changed_number_leaves_the_family() {
    let (_dir, mut store, [son, father, _]) = family();
    let mut d = store.person(son).unwrap().unwrap().details;
    d.mobile = Mobile::parse("13600000000").ok();
    store.write(|w| w.update_person(son, &d)).unwrap();
    let m = Mobile::parse(SHARED).unwrap();
    let ids: Vec<PersonId> = store
        .people_by_mobile(&m)
        .unwrap()
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, [father]);
}

#[test]
fn namesakes_are_counted_and_the_first_few_read() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let mut ids = Vec::new();
    for (name, mobile) in [
        ("李明", "13812345678"),
        ("李明", ""),
        ("李明", "13900001111"),
        ("李明华", "13700001111"),
        ("Li Ming", ""),
    ] {
        ids.push(add_person(&mut store, name, mobile));
    }
    let n = store.people_named("李明", 2).unwrap();
    assert_eq!(n.count, 3, "李明华 is no namesake");
    assert_eq!(
        n.first.iter().map(|p| p.id).collect::<Vec<_>>(),
        ids[..2],
        "the first two registered"
    );
    // As names are compared everywhere: spaces and case do not count.
    assert_eq!(store.people_named("  李明 ", 0).unwrap().count, 3);
    assert_eq!(store.people_named("li  MING", 5).unwrap().count, 1);
    assert_eq!(store.people_named("李", 5).unwrap().count, 0);
    assert_eq!(store.people_named("", 5).unwrap().count, 0);
    assert!(store.people_named("王五", 5).unwrap().first.is_empty());
}

#[test]
fn a_merged_person_is_found_shown_and_counted_as_the_one_they_were_merged_into() {
    use waystation::domain::visit::Services;
    use waystation::store::Hit;
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    let a = add_person(&mut s, "张三", "13800000001");
    let b = add_person(&mut s, "张叁", "13900000002");
    let mut w = s.begin(None).unwrap();
    w.check_in(a, Services::EMPTY, at(2026, 11, 20, 2)).unwrap();
    w.check_in(b, Services::EMPTY, at(2026, 11, 21, 2)).unwrap();
    w.commit().unwrap();
    let mut w = s.begin(None).unwrap();
    w.open_case(&new_case(vec![b], at(2026, 11, 21, 3)))
        .unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();

    // B's own phone and name find A, once.
    for q in ["13900000002", "张叁", "zhangsan"] {
        let people: Vec<_> = s
            .lookup(q, 10)
            .unwrap()
            .into_iter()
            .filter_map(|h| match h {
                Hit::Person(p) => Some(p.id),
                Hit::Case(_) => None,
            })
            .collect();
        assert_eq!(people, vec![a], "{q}");
    }
    // A's visits are both; A's last visit is B's; B's case is found by A.
    assert_eq!(s.visits_of(a, 10).unwrap().len(), 2);
    let hit = s.lookup("13800000001", 10).unwrap();
    let Hit::Person(p) = &hit[0] else {
        panic!("{hit:?}")
    };
    assert_eq!(p.last_visit, Some(at(2026, 11, 21, 2)));
    assert!(hit.iter().any(|h| matches!(h, Hit::Case(_))), "{hit:?}");
    // One person, not a family sharing a phone nor two namesakes.
    let shared = waystation::domain::Mobile::parse("13900000002").unwrap();
    let by_phone: Vec<_> = s
        .people_by_mobile(&shared)
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(by_phone, vec![a]);
    assert!(s.mobile_sharers(a, &shared).unwrap().is_empty());
    assert_eq!(s.people_named("张叁", 3).unwrap().count, 0);
    // Here now: B's visit under A's name and id.
    let here = s.present_now(at(2026, 11, 19, 0), 10).unwrap();
    assert_eq!(here.len(), 2);
    assert!(
        here.iter()
            .all(|r| r.person == Some(a) && r.name.as_deref() == Some("张三")),
        "{here:?}"
    );
    assert!(s.check().unwrap().is_ok());

    // B's claim and B's place on the waitlist are shown as A's; the rows
    // stay B's own (removing the claimant removes B's row).
    let case = match &hit.iter().find_map(|h| match h {
        Hit::Case(c) => Some(c.id),
        Hit::Person(_) => None,
    }) {
        Some(c) => *c,
        None => panic!("{hit:?}"),
    };
    let claimants = s.claimants_owed(case).unwrap();
    assert_eq!(
        claimants
            .iter()
            .map(|c| (c.person, c.name.as_str()))
            .collect::<Vec<_>>(),
        [(b, "张三")]
    );
    let mut w = s.begin(None).unwrap();
    w.add_to_waitlist(
        b,
        None,
        waystation::domain::schedule::CounsellorKind::Legal,
        chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        None,
    )
    .unwrap();
    w.commit().unwrap();
    let waiting = s.waitlist(None).unwrap();
    assert_eq!(
        waiting
            .iter()
            .map(|r| (r.person, r.name.as_str()))
            .collect::<Vec<_>>(),
        [(b, "张三")]
    );

    // At the kiosk, the case is found with the last digits of A's phone
    // as well as B's own.
    let number = s.case(case).unwrap().unwrap().number.to_string();
    for last4 in ["0001", "0002"] {
        assert!(s.case_status(&number, last4).unwrap().is_some(), "{last4}");
    }
    assert!(s.case_status(&number, "9999").unwrap().is_none());

    // Undone: each is themself again.
    let mut w = s.begin(None).unwrap();
    w.unmerge_person(b).unwrap();
    w.commit().unwrap();
    assert_eq!(s.claimants_owed(case).unwrap()[0].name, "张叁");
    assert_eq!(s.waitlist(None).unwrap()[0].name, "张叁");
    assert!(s.case_status(&number, "0001").unwrap().is_none());
    assert_eq!(s.visits_of(a, 10).unwrap().len(), 1);
    let found: Vec<_> = s
        .lookup("13900000002", 10)
        .unwrap()
        .into_iter()
        .filter_map(|h| match h {
            Hit::Person(p) => Some(p.id),
            Hit::Case(_) => None,
        })
        .collect();
    assert_eq!(found, vec![b]);
    assert!(s.check().unwrap().is_ok());
}

#[test]
fn erasing_one_record_of_a_merged_worker_erases_every_record_of_him() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    let a = add_person(&mut s, "张三", "13800000001");
    let b = add_person(&mut s, "张叁", "13900000002");
    let c = add_person(&mut s, "李四", "13700000003");
    let mut w = s.begin(None).unwrap();
    w.merge_person(b, a, None).unwrap();
    w.commit().unwrap();
    s.create_first_admin("刘敏", "2468").unwrap();
    // Erased by the record merged into the other: both go.
    s.erase_person(b).unwrap();
    for p in [a, b] {
        let d = s.person(p).unwrap().unwrap().details;
        assert!(d.mobile.is_none(), "{d:?}");
        assert_ne!(d.name, "张三");
        assert_ne!(d.name, "张叁");
    }
    for q in ["13800000001", "13900000002", "张三", "张叁"] {
        assert!(s.lookup(q, 10).unwrap().is_empty(), "{q}");
    }
    // Someone else is untouched.
    assert_eq!(s.person(c).unwrap().unwrap().details.name, "李四");
    assert!(s.check().unwrap().is_ok());
}
