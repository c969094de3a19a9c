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
    s.merge_people(b, a).unwrap();
    assert_eq!(pairs(&s).len(), 2);
    s.unmerge_people(b).unwrap();
    assert_eq!(pairs(&s).len(), 3);
    // An erased person is nobody's duplicate.
    s.create_first_admin("刘敏", "2468").unwrap();
    s.erase_person(f).unwrap();
    assert_eq!(pairs(&s).len(), 2);
}
