//! The list of people who may be one worker registered twice: what pairs
//! them, what never does, and that a merged or erased person drops out.

use crate::common;

use common::*;
use waystation::domain::ids::PersonId;
use waystation::domain::person::{PersonInput, Trade};
use waystation::store::{Store, Why};

fn register(
    s: &mut Store,
    name: &str,
    mobile: &str,
    id: &str,
    trade: Trade,
    employer: &str,
) -> PersonId {
    let d = PersonInput {
        name: name.into(),
        mobile: mobile.into(),
        resident_id: id.into(),
        trade: Some(trade),
        employer: employer.into(),
        ..PersonInput::default()
    }
    .validate()
    .unwrap();
    let mut w = s.begin(None).unwrap();
    let p = w.add_person(&d).unwrap();
    w.commit().unwrap();
    p
}

fn pairs(s: &Store) -> Vec<(PersonId, PersonId, Vec<Why>)> {
    s.duplicate_candidates(100)
        .unwrap()
        .into_iter()
        .map(|c| (c.first, c.second, c.why))
        .collect()
}

#[test]
fn pairs_come_from_an_id_a_phone_or_a_name_read_alike_with_trade_or_employer() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    // One worker, twice: the name written with a homophone, same phone.
    let a = register(&mut s, "王小二", "13900000002", "", Trade::FoodDelivery, "");
    let b = register(&mut s, "王晓二", "13900000002", "", Trade::FoodDelivery, "");
    // Same ID number, the phone changed.
    let c = register(
        &mut s,
        "李四",
        "13900000004",
        "11010519491231002X",
        Trade::Courier,
        "",
    );
    let d = register(
        &mut s,
        "李四",
        "13700000004",
        "11010519491231002X",
        Trade::Courier,
        "",
    );
    // A name read alike and the same employer, no phone in common.
    let e = register(
        &mut s,
        "张伟",
        "13600000001",
        "",
        Trade::Sanitation,
        "市环卫所",
    );
    let f = register(&mut s, "章伟", "", "", Trade::Other, "市环卫所");
    // Not pairs: a name alone; two ID numbers that differ.
    register(&mut s, "赵六", "13500000001", "", Trade::Courier, "");
    register(&mut s, "赵六", "13500000002", "", Trade::Truck, "");
    register(
        &mut s,
        "孙七",
        "13400000001",
        "110105198001010016",
        Trade::Courier,
        "",
    );
    register(
        &mut s,
        "孙七",
        "13400000001",
        "110105198001010024",
        Trade::Courier,
        "",
    );
    let got = pairs(&s);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(got[0].0, c, "the ID number scores highest");
    assert_eq!(got[0].1, d);
    assert!(got[0].2.contains(&Why::SameResidentId));
    let ab = got.iter().find(|p| p.0 == a).unwrap();
    assert_eq!(ab.1, b);
    assert_eq!(
        ab.2,
        vec![Why::SameMobile, Why::SameReading, Why::SameTrade]
    );
    let ef = got.iter().find(|p| p.0 == e).unwrap();
    assert_eq!(ef.1, f);
    assert_eq!(ef.2, vec![Why::SameReading, Why::SameEmployer]);

    // A merged pair is one person: gone from the list; undone, back.
    s.merge_people(b, a, &[]).unwrap();
    assert_eq!(pairs(&s).len(), 2);
    s.unmerge_people(b).unwrap();
    assert_eq!(pairs(&s).len(), 3);
    // An erased person is nobody's duplicate.
    s.create_first_admin("刘敏", "2468").unwrap();
    s.erase_person(f).unwrap();
    assert_eq!(pairs(&s).len(), 2);
}

#[test]
fn a_typo_in_any_one_character_pairs_only_with_the_same_employer() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    // Last character wrong, first character wrong: one worker each.
    let a = register(&mut s, "刘建国", "13900000011", "", Trade::Courier, "顺丰");
    let b = register(&mut s, "刘建军", "13700000011", "", Trade::Courier, "顺丰");
    let c = register(&mut s, "陈美玲", "", "", Trade::Sanitation, "环卫所");
    let d = register(&mut s, "程美玲", "", "", Trade::Other, "环卫 所");
    // In the middle.
    let e = register(&mut s, "周海涛", "", "", Trade::Truck, "德邦");
    let f = register(&mut s, "周江涛", "", "", Trade::Other, "德邦");
    // One character apart with only the trade in common: two people.
    register(&mut s, "孙小红", "13900000012", "", Trade::Courier, "");
    register(&mut s, "孙小明", "13900000013", "", Trade::Courier, "");
    // Two characters: never "close".
    register(&mut s, "周一", "", "", Trade::Truck, "德邦");
    register(&mut s, "周二", "", "", Trade::Truck, "德邦");
    let found = pairs(&s);
    assert_eq!(
        found,
        vec![
            (
                a,
                b,
                vec![Why::CloseName, Why::SameTrade, Why::SameEmployer]
            ),
            (c, d, vec![Why::CloseName, Why::SameEmployer]),
            (e, f, vec![Why::CloseName, Why::SameEmployer]),
        ]
    );
}

#[test]
fn the_intake_check_names_the_worker_as_shown_and_where_he_was_registered() {
    use waystation::store::Typed;
    let dir = tempfile::tempdir().unwrap();
    let (_, mut s) = station_db(&dir, "FT");
    let a = register(
        &mut s,
        "王小二",
        "13900000002",
        "",
        Trade::FoodDelivery,
        "美团",
    );
    let b = register(&mut s, "王晓三", "13700000002", "", Trade::FoodDelivery, "");
    let typed = |name: &str, mobile: Option<&str>, trade, employer: Option<&str>| Typed {
        name: name.into(),
        mobile: mobile.map(str::to_owned),
        resident_id: None,
        trade: Some(trade),
        employer: employer.map(str::to_owned),
    };
    // A homophone with the same trade: him, with where and when.
    let found = s
        .likely_same(&typed("王晓二", None, Trade::FoodDelivery, None), 5)
        .unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].person.id, a);
    assert_eq!(found[0].why, [Why::SameReading, Why::SameTrade]);
    assert_eq!(found[0].registered_by.as_deref(), Some("测试驿站"));
    assert!(found[0].registered_at.is_some());
    // The same name with another trade and no employer: nobody.
    let none = s
        .likely_same(&typed("王小二", None, Trade::Courier, None), 5)
        .unwrap();
    assert!(none.is_empty(), "{none:?}");
    // His number, any name: him, by the number.
    let by_phone = s
        .likely_same(&typed("", Some("13900000002"), Trade::Other, None), 5)
        .unwrap();
    assert_eq!(by_phone.len(), 1);
    assert!(by_phone[0].by_number());
    // Merged, the other record is shown as him, once.
    s.merge_people(b, a, &[]).unwrap();
    let merged = s
        .likely_same(
            &typed("王晓三", Some("13700000002"), Trade::FoodDelivery, None),
            5,
        )
        .unwrap();
    assert_eq!(merged.len(), 1, "{merged:?}");
    assert_eq!(merged[0].person.id, a);
}
