//! The one lookup, as the console and the command line use it.

use crate::common;

use common::*;
use waystation::domain::case::CaseType;
use waystation::domain::money::Fen;
use waystation::domain::person::{PersonInput, Trade};
use waystation::store::NewCase;
use waystation::store::Store;
use waystation::store::{Hit, Match};

fn setup() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let mut w = store.begin(None).unwrap();
    let mut ids = Vec::new();
    for (name, mobile, rid) in [
        ("张三", "13812345678", ""),
        ("张三丰", "13900001234", "11010519491231002X"),
        ("王小明", "15011112222", ""),
        ("欧阳娜娜", "", ""),
        ("单雄信", "18600005678", ""),
    ] {
        let d = PersonInput {
            name: name.into(),
            mobile: mobile.into(),
            resident_id: rid.into(),
            trade: Some(Trade::Courier),
            ..PersonInput::default()
        }
        .validate()
        .unwrap();
        ids.push(w.add_person(&d).unwrap());
    }
    for _ in 0..41 {
        w.open_case(&new_case(vec![ids[3]], at(2026, 6, 1, 3)))
            .unwrap();
    }
    w.open_case(&NewCase {
        case_type: CaseType::WageArrears,
        hardship_kind: None,
        claimants: vec![ids[0], ids[2]],
        respondent: Some("宏达建筑劳务有限公司".into()),
        summary: None,
        claimed: Fen::parse("169.74万").unwrap(),
        handler: None,
        follow_up: None,
        opened_at: at(2026, 6, 2, 3),
    })
    .unwrap();
    w.commit().unwrap();
    (dir, store)
}

fn first(store: &Store, q: &str) -> Hit {
    store
        .lookup(q, 10)
        .unwrap()
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing for {q}"))
}

fn person_name(h: &Hit) -> &str {
    match h {
        Hit::Person(p) => &p.name,
        Hit::Case(c) => panic!("expected a person, got case {}", c.number),
    }
}

fn case_number(h: &Hit) -> String {
    match h {
        Hit::Case(c) => c.number.to_string(),
        Hit::Person(p) => panic!("expected a case, got person {}", p.name),
    }
}

#[test]
fn by_whole_case_number_first() {
    let (_d, s) = setup();
    let h = first(&s, "FT-2026-0042");
    assert_eq!(case_number(&h), "FT-2026-0042");
    assert_eq!(h.matched(), Match::CaseNumber);
    assert_eq!(case_number(&first(&s, "ft-2026-42")), "FT-2026-0042");
    if let Hit::Case(c) = h {
        assert_eq!(c.claimants, 2);
        assert_eq!(c.claimed, Fen(169_740_000));
    }
}

#[test]
fn by_numeric_tail_of_case_number() {
    let (_d, s) = setup();
    assert_eq!(case_number(&first(&s, "42")), "FT-2026-0042");
    assert_eq!(case_number(&first(&s, "0042")), "FT-2026-0042");
}

#[test]
fn by_mobile_whole_and_last_four() {
    let (_d, s) = setup();
    assert_eq!(person_name(&first(&s, "13812345678")), "张三");
    assert_eq!(person_name(&first(&s, "138 1234 5678")), "张三");
    let tail = s.lookup("5678", 10).unwrap();
    let names: Vec<&str> = tail
        .iter()
        .filter_map(|h| match h {
            Hit::Person(p) => Some(p.name.as_str()),
            _ => None,
        })
        .collect();
    assert!(
        names.contains(&"张三") && names.contains(&"单雄信"),
        "{names:?}"
    );
    assert!(
        tail.iter()
            .all(|h| h.matched() <= Match::MobileTail || matches!(h, Hit::Case(_)))
    );
}

#[test]
fn by_name_any_part_exact_first() {
    let (_d, s) = setup();
    let hits = s.lookup("张三", 10).unwrap();
    assert_eq!(person_name(&hits[0]), "张三");
    assert_eq!(hits[0].matched(), Match::Name);
    assert_eq!(person_name(&hits[1]), "张三丰");
    assert_eq!(person_name(&first(&s, "小明")), "王小明");
    assert_eq!(person_name(&first(&s, "明")), "王小明");
    assert_eq!(person_name(&first(&s, "娜娜")), "欧阳娜娜");
}

#[test]
fn by_pinyin_and_initials() {
    let (_d, s) = setup();
    assert_eq!(person_name(&first(&s, "zs")), "张三");
    assert_eq!(person_name(&first(&s, "zhangsan")), "张三");
    assert_eq!(person_name(&first(&s, "ZSF")), "张三丰");
    assert_eq!(person_name(&first(&s, "wxm")), "王小明");
    assert_eq!(person_name(&first(&s, "xiaoming")), "王小明");
    assert_eq!(person_name(&first(&s, "oynn")), "欧阳娜娜");
    assert_eq!(person_name(&first(&s, "shanxiongxin")), "单雄信");
}

#[test]
fn by_resident_id_tail() {
    let (_d, s) = setup();
    assert_eq!(person_name(&first(&s, "002X")), "张三丰");
    assert_eq!(person_name(&first(&s, "002x")), "张三丰");
    assert_eq!(person_name(&first(&s, "11010519491231002X")), "张三丰");
}

#[test]
fn by_respondent_and_through_claimants() {
    let (_d, s) = setup();
    assert_eq!(case_number(&first(&s, "宏达")), "FT-2026-0042");
    let hits = s.lookup("王小明", 10).unwrap();
    assert_eq!(person_name(&hits[0]), "王小明");
    assert!(
        hits.iter()
            .any(|h| matches!(h, Hit::Case(c) if c.number.seq == 42))
    );
}

#[test]
fn no_match_and_odd_input_are_not_errors() {
    let (_d, s) = setup();
    for q in [
        "",
        "   ",
        "不存在的人",
        "zzzzzz",
        "999999",
        "%",
        "_",
        "'; DROP TABLE people; --",
        "\u{10FFFF}",
    ] {
        let hits = s.lookup(q, 10).unwrap();
        assert!(hits.is_empty(), "{q:?} → {hits:?}");
    }
}
