//! The register of respondents across stations: one employer typed the
//! same way at two stations is one record everywhere; typed two ways, it is
//! merged and reads as one at every station; its page lists every case
//! against it in the network; the district sees employers with open cases
//! at several stations.

use crate::common;

use chrono::Utc;
use waystation::domain::error::ValidationError;
use waystation::store::{Entity, RespondentInput, Store, StoreError};

fn station(code: &str) -> Store {
    let mut s = Store::open_in_memory().unwrap();
    s.init_station(code, &format!("{code}驿站"), "Asia/Shanghai")
        .unwrap();
    s
}

fn open_against(s: &mut Store, who: &str, respondent: &str) -> waystation::domain::ids::CaseId {
    let p = common::add_person(s, who, "13800138000");
    let mut c = common::new_case(vec![p], Utc::now());
    c.respondent = Some(respondent.to_owned());
    s.write(|w| w.open_case(&c)).unwrap().0
}

#[test]
fn one_employer_at_three_stations_is_one_record_and_a_warning() {
    let mut rs = vec![station("FT"), station("NS"), station("QU")];
    // Typed apart, spaced and bracketed differently.
    let a = open_against(&mut rs[0], "张三", "深圳市广厦物流有限公司");
    let b = open_against(&mut rs[1], "李四", "深圳市 广厦物流(有限公司)");
    common::exchange_all(&mut rs);
    for s in &rs {
        let ra = s.case(a).unwrap().unwrap().respondent_id.unwrap();
        let rb = s.case(b).unwrap().unwrap().respondent_id.unwrap();
        assert_eq!(ra, rb, "one record for one employer");
        let spread = s.respondents_at_several_stations().unwrap();
        assert_eq!(spread.len(), 1);
        assert_eq!((spread[0].stations, spread[0].open), (2, 2));
        // The figure, counted in the index: all stations, and per station
        // those of its own cases open elsewhere too.
        let id = |code: &str| {
            s.stations()
                .unwrap()
                .into_iter()
                .find(|x| x.code == code)
                .unwrap()
                .id
        };
        assert_eq!(s.count_respondents_at_several_stations(None).unwrap(), 1);
        assert_eq!(
            s.count_respondents_at_several_stations(Some(id("FT")))
                .unwrap(),
            1
        );
        assert_eq!(
            s.count_respondents_at_several_stations(Some(id("QU")))
                .unwrap(),
            0
        );
        // Created at two stations apart: nothing for staff to decide.
        assert!(
            s.record_conflicts()
                .unwrap()
                .iter()
                .all(|c| c.entity != Entity::Respondent),
            "{:?}",
            s.record_conflicts().unwrap()
        );
        // Found by a part of its name, its pinyin and initials.
        for q in ["广厦", "guangsha", "gswl", "szsgs"] {
            let hits = s.find_respondents(q, 10).unwrap();
            assert_eq!(hits.len(), 1, "{q}");
            assert_eq!(hits[0].cases, 2);
            assert_eq!(hits[0].stations, 2);
        }
        let page = s.respondent_page(ra).unwrap().unwrap();
        assert_eq!(page.cases.len(), 2);
    }
    assert_eq!(
        common::conflicts_as_read(&rs[0]),
        common::conflicts_as_read(&rs[2])
    );
}

#[test]
fn two_spellings_merged_read_as_one_everywhere() {
    let mut rs = vec![station("FT"), station("QU")];
    let a = open_against(&mut rs[0], "张三", "广厦物流");
    let b = open_against(&mut rs[1], "李四", "深圳市广厦物流有限公司");
    common::exchange_all(&mut rs);
    let ra = rs[0].case(a).unwrap().unwrap().respondent_id.unwrap();
    let rb = rs[0].case(b).unwrap().unwrap().respondent_id.unwrap();
    assert_ne!(ra, rb);
    assert_eq!(
        rs[0].respondent_duplicates().unwrap().len(),
        0,
        "not the same name"
    );
    // The district records the code on one and merges the other into it.
    rs[1]
        .write(|w| {
            w.update_respondent(
                rb,
                &RespondentInput {
                    name: "深圳市广厦物流有限公司".into(),
                    credit_code: Some("91350100M000100Y43".into()),
                    platform: Some("美团配送".into()),
                    ..Default::default()
                },
            )?;
            w.merge_respondents(ra, rb)
        })
        .unwrap();
    common::exchange_all(&mut rs);
    for s in &rs {
        let page = s.respondent_page(ra).unwrap().unwrap();
        assert_eq!(page.respondent.id, rb, "read as the one merged into");
        assert_eq!(page.merged.len(), 1);
        assert_eq!(page.cases.len(), 2);
        let hits = s.find_respondents("91350100", 10).unwrap();
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].cases, 2);
        // Merged, one employer with open cases at two stations.
        assert_eq!(s.count_respondents_at_several_stations(None).unwrap(), 1);
        let own = s.station_id().unwrap();
        assert_eq!(s.count_respondents_at_several_stations(own).unwrap(), 1);
    }
    let c = open_against(&mut rs[0], "王五", "广厦物流");
    let linked = rs[0].case(c).unwrap().unwrap().respondent_id.unwrap();
    assert_eq!(linked, rb);
    // Typing its code names it too.
    let d = open_against(&mut rs[0], "赵六", "91350100M000100Y43");
    assert_eq!(rs[0].case(d).unwrap().unwrap().respondent_id, Some(rb));
    // Undone, both stand again.
    rs[0].write(|w| w.unmerge_respondent(ra)).unwrap();
    common::exchange_all(&mut rs);
    assert_eq!(
        rs[1].respondent_page(ra).unwrap().unwrap().respondent.id,
        ra
    );
}

#[test]
fn a_code_is_checked_and_held_by_one_respondent() {
    let mut s = station("FT");
    let add = |s: &mut Store, name: &str, code: &str| {
        s.write(|w| {
            w.add_respondent(&RespondentInput {
                name: name.into(),
                credit_code: Some(code.into()),
                ..Default::default()
            })
        })
    };
    // One character mistyped: the check character says so.
    let e = add(&mut s, "甲公司", "91350100M000100Y44").unwrap_err();
    assert!(matches!(
        e,
        StoreError::Invalid(ValidationError::CreditCodeCheck { expected: '3' })
    ));
    add(&mut s, "甲公司", "9135 0100 M000 100Y 43").unwrap();
    let e = add(&mut s, "乙公司", "91350100M000100Y43").unwrap_err();
    assert!(
        matches!(&e, StoreError::Invalid(ValidationError::CreditCodeTaken { name }) if name == "甲公司"),
        "{e:?}"
    );
    let e = add(&mut s, "甲 公司", "").unwrap_err();
    assert!(matches!(
        e,
        StoreError::Invalid(ValidationError::RespondentExists { .. })
    ));
}
