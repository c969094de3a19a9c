//! The one lookup, as the console and the command line use it.

use crate::common;

use common::*;
use waystation::domain::case::CaseType;
use waystation::domain::ids::PersonId;
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
        claimants: vec![ids[0].into(), ids[2].into()],
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

/// A station with these people; their ids in the same order.
fn people(names: &[&str]) -> (tempfile::TempDir, Store, Vec<PersonId>) {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut store) = station_db(&dir, "FT");
    let mut w = store.begin(None).unwrap();
    let ids = names
        .iter()
        .map(|n| w.add_person(&details(n, "", Trade::Courier)).unwrap())
        .collect();
    w.commit().unwrap();
    (dir, store, ids)
}

/// How `q` found `id`, if it did (up to 500 results).
fn found(store: &Store, q: &str, id: PersonId) -> Option<Match> {
    store
        .lookup(q, 500)
        .unwrap()
        .into_iter()
        .find_map(|h| match h {
            Hit::Person(p) if p.id == id => Some(p.matched),
            _ => None,
        })
}

/// Found by the whole pinyin, by the usual reading or another.
fn by_pinyin(m: Option<Match>) -> bool {
    matches!(m, Some(Match::Pinyin | Match::PinyinOther))
}

/// Found by the whole pinyin or initials, by the usual reading or another.
fn by_initials(m: Option<Match>) -> bool {
    matches!(
        m,
        Some(Match::Pinyin | Match::Initials | Match::PinyinOther)
    )
}

#[test]
fn by_every_reading_of_each_character() {
    let (_d, s, ids) = people(&["李长江", "王重阳"]);
    // The dictionary's first reading of 长 is zhang, of 重 zhong: the usual
    // spelling; chang and chong are other readings.
    for (q, id, m) in [
        ("lichangjiang", ids[0], Match::PinyinOther),
        ("lizhangjiang", ids[0], Match::Pinyin),
        ("lcj", ids[0], Match::PinyinOther),
        ("lzj", ids[0], Match::Initials),
        ("lichang", ids[0], Match::PinyinOtherStart),
        ("lizhang", ids[0], Match::PinyinStart),
        ("changjiang", ids[0], Match::PinyinPart),
        ("cj", ids[0], Match::PinyinPart),
        ("wangchongyang", ids[1], Match::PinyinOther),
        ("wangzhongyang", ids[1], Match::Pinyin),
        ("wcy", ids[1], Match::PinyinOther),
        ("wzy", ids[1], Match::Initials),
        ("chongyang", ids[1], Match::PinyinPart),
    ] {
        assert_eq!(found(&s, q, id), Some(m), "{q}");
    }
}

#[test]
fn surnames_by_their_reading_as_surnames() {
    let names = [
        "尉建国",
        "尉迟恭",
        "能文",
        "薄一波",
        "都安",
        "阚泽",
        "折克行",
        "粘良",
        "卜凡",
        "单于飞",
        "单雄信",
    ];
    let (_d, s, ids) = people(&names);
    for (q, who) in [
        ("weijianguo", 0),
        ("wjg", 0),
        ("yuchigong", 1),
        ("ycg", 1),
        ("naiwen", 2),
        ("boyibo", 3),
        ("baoyibo", 3),
        ("duan", 4),
        ("douan", 4),
        ("kanze", 5),
        ("shekexing", 6),
        ("zhekexing", 6),
        ("skx", 6),
        ("nianliang", 7),
        ("zhanliang", 7),
        ("bufan", 8),
        ("bofan", 8),
        ("chanyufei", 9),
        ("cyf", 9),
        ("shanxiongxin", 10),
        ("sxx", 10),
        // The character as written, for a clerk who reads it so.
        ("danxiongxin", 10),
        ("weichigong", 1),
    ] {
        let m = found(&s, q, ids[who]);
        assert!(by_initials(m), "{q} → {}: {m:?}", names[who]);
    }
}

#[test]
fn a_short_prefix_lists_people_not_their_spellings() {
    // Each of them has six spellings starting with "zh" (长 zhang or chang,
    // 重 zhong, chong or tong) and as many strings of initials.
    let given = "伟强磊军洋勇杰涛明超刚建文辉力飞鹏斌宇浩凯健俊峰波成国海志永";
    let names: Vec<String> = given.chars().map(|c| format!("张长重{c}")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let (_d, s, _) = people(&refs);
    assert_eq!(s.lookup("zh", 20).unwrap().len(), 20);
    assert_eq!(s.lookup("zhangchangchong", 20).unwrap().len(), 20);
}

/// Every name of `tests/fixtures/pinyin_names.tsv` is found by each
/// spelling listed for it, and by its initials: readings from two other
/// pinyin libraries (see `tests/fixtures/pinyin_names.py`).
#[test]
fn by_the_spellings_of_other_pinyin_libraries() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pinyin_names.tsv");
    let text = std::fs::read_to_string(path).unwrap();
    let rows: Vec<(&str, Vec<Vec<&str>>)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (name, spellings) = l.split_once('\t').unwrap();
            let spellings = spellings
                .split(',')
                .map(|s| s.split(' ').collect())
                .collect();
            (name, spellings)
        })
        .collect();
    assert!(rows.len() > 300, "{} names", rows.len());
    let names: Vec<&str> = rows.iter().map(|(n, _)| *n).collect();
    let (_d, s, ids) = people(&names);
    let mut missed = Vec::new();
    let mut tried = 0;
    for ((name, spellings), id) in rows.iter().zip(&ids) {
        for syllables in spellings {
            let full: String = syllables.concat();
            let initials: String = syllables.iter().filter_map(|s| s.chars().next()).collect();
            tried += 2;
            if !by_pinyin(found(&s, &full, *id)) {
                missed.push(format!("{name} {full}"));
            }
            if !by_initials(found(&s, &initials, *id)) {
                missed.push(format!("{name} {initials}"));
            }
        }
    }
    assert!(tried > 1000, "{tried} spellings");
    assert!(
        missed.is_empty(),
        "not found by {} of {tried}: {missed:?}",
        missed.len()
    );
}

mod readings {
    use super::*;
    use pinyin::ToPinyinMulti;
    use proptest::prelude::*;
    use waystation::domain::text::{MAX_SPELLINGS, name_readings};

    /// Characters of given names with two to four readings.
    const POLYPHONIC: &str = "长重行乐朝曾单解仇都折卜薄强传会和少正大广伯柏石宁盛尚";

    /// Every reading of a character, by the `pinyin` crate alone.
    fn readings_of(c: char) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for p in c.to_pinyin_multi().unwrap() {
            let r = p.plain().replace('ü', "v");
            if !out.contains(&r) {
                out.push(r);
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        /// A name of characters with several readings is found by every
        /// spelling and every string of initials within the cap; and when
        /// its readings make no more combinations than the cap, by each of
        /// them (worked out here from the dictionary alone).
        #[test]
        fn found_by_every_combination_within_the_cap(
            surname in proptest::sample::select(vec!['王', '李', '张', '刘', '陈']),
            given in proptest::collection::vec(
                proptest::sample::select(POLYPHONIC.chars().collect::<Vec<_>>()),
                1..4,
            ),
        ) {
            let name: String = std::iter::once(surname).chain(given.iter().copied()).collect();
            let (_d, s, ids) = people(&[name.as_str()]);
            let id = ids[0];
            let readings = name_readings(&name);
            for q in readings.spellings(0) {
                prop_assert!(by_pinyin(found(&s, &q, id)), "{} {}", name, q);
            }
            for q in readings.initials(0) {
                prop_assert!(by_initials(found(&s, &q, id)), "{} {}", name, q);
            }
            let chars: Vec<char> = name.chars().collect();
            let product: usize = chars.iter().map(|c| readings_of(*c).len()).product();
            if product <= MAX_SPELLINGS {
                let mut every = vec![(String::new(), String::new())];
                for c in &chars {
                    every = every
                        .iter()
                        .flat_map(|(full, initials)| {
                            readings_of(*c).into_iter().map(move |r| {
                                (format!("{full}{r}"), format!("{initials}{}", &r[..1]))
                            })
                        })
                        .collect();
                }
                for (full, initials) in every {
                    prop_assert!(by_pinyin(found(&s, &full, id)), "{} {}", name, full);
                    prop_assert!(by_initials(found(&s, &initials, id)), "{} {}", name, initials);
                }
            }
        }
    }
}

#[test]
fn the_usual_reading_ranks_before_the_others() {
    // 方 may be read wang (方良), 王 only wang: 王 first for `wang`; and
    // 长 is chang or zhang: 常 first for `chang`.
    let (_d, s, ids) = people(&["方平", "王平", "李长江", "李常江"]);
    let hits = s.lookup("wang", 10).unwrap();
    assert_eq!(person_name(&hits[0]), "王平");
    assert_eq!(hits[0].matched(), Match::PinyinStart);
    assert_eq!(found(&s, "wang", ids[0]), Some(Match::PinyinOtherStart));
    let hits = s.lookup("lichangjiang", 10).unwrap();
    assert_eq!(person_name(&hits[0]), "李常江");
    assert_eq!(person_name(&hits[1]), "李长江");
    assert_eq!(hits[1].matched(), Match::PinyinOther);
}
