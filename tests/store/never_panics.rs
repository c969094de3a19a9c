//! Whatever is typed into a field, validation answers with a value or a
//! typed error, and lookup with results: never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use waystation::domain::case::CaseNumber;
use waystation::domain::dates::{parse_date, parse_ends, parse_period, parse_time};
use waystation::domain::person::PersonInput;
use waystation::domain::{Fen, Mobile, ResidentId};
use waystation::store::Store;

fn typed() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[0-9０-９ ,.，．+万元¥￥-]{0,24}",
        "[\\p{Han}a-zA-Z ·\t\n\u{3000}]{0,60}",
        "[0-9Xx]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_text_in_any_field_is_answered(s in typed(), t in typed(), n in 0i32..=73_000) {
        let day = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(n as u64);
        let _ = Fen::parse(&s);
        let _ = Mobile::parse(&s);
        let _ = ResidentId::parse(&s);
        let _ = parse_date(&s, day);
        let _ = parse_period(&s, day);
        let _ = parse_ends(Some(&s), Some(&t), day);
        let _ = parse_time(&s);
        let _ = s.parse::<CaseNumber>();
        let input = PersonInput {
            name: s.clone(),
            mobile: t.clone(),
            resident_id: t.clone(),
            employer: s.clone(),
            ..PersonInput::default()
        };
        if let Ok(d) = input.validate() {
            prop_assert!(!d.name.is_empty() && d.name.chars().count() <= 50);
            prop_assert!(!d.name.chars().any(char::is_control));
            prop_assert_eq!(d.name.trim(), d.name.as_str());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_lookup_query_is_answered(q in typed()) {
        thread_local! {
            static STORE: Store = {
                let mut s = Store::open_in_memory().unwrap();
                s.init_station("FT", "测试", "Asia/Shanghai").unwrap();
                let mut w = s.begin(None).unwrap();
                for (n, m) in [("张三", "13812345678"), ("Tom Lee", "13912345678")] {
                    let d = PersonInput { name: n.into(), mobile: m.into(), ..PersonInput::default() }
                        .validate().unwrap();
                    w.add_person(&d).unwrap();
                }
                w.commit().unwrap();
                s
            };
        }
        STORE.with(|s| {
            let hits = s.lookup(&q, 20).unwrap();
            assert!(hits.len() <= 20);
        });
    }
}
